"""Whole builds: every page and reference in the output, only used media, deterministic and atomic writes.

The tiny course (tests/fixtures/courses/tiny) builds with the plain test theme, so these tests hold
whatever state the default theme is in; the sample course and the `course new` starter build with
the default theme, and their tests skip while it has no course.html.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from builder import output
from builder.build import build, check
from builder.cli import main
from builder.errors import BuildError
from builder.sources import slugify

import webcourse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"
PLAIN = FIXTURES / "themes" / "plain"
SAMPLE = ROOT / "course_src"
DEFAULT_TEMPLATE = ROOT / "themes" / "default" / "templates" / "course.html"

needs_default_theme = pytest.mark.skipif(
    not DEFAULT_TEMPLATE.is_file(),
    reason="the default theme has no templates/course.html yet, so courses using it cannot build")

_PREFIX = re.compile(r"^\d+[-_.]")
_PAGE_SUFFIXES = (".quiz.yaml", ".scenario.yaml", ".md")


# --- helpers -------------------------------------------------------------------------------------

class Page(HTMLParser):
    """What the tests need from index.html: element ids, links, images, page sections, course data."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[dict[str, str]] = []
        self.images: list[str] = []
        self.media: set[str] = set()
        self.sections: list[str] = []
        self._script: str | None = None
        self.course_data: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a)
        if tag == "img":
            self.images.append(a.get("src", ""))
        self.media.update(v.split("#")[0] for k, v in a.items() if k in ("src", "href", "poster", "data")
                          and v.startswith("media/"))
        if tag == "section" and "page" in a.get("class", "").split() and "id" in a:
            self.sections.append(a["id"])
        if tag == "script" and a.get("id") == "course-data":
            self._script = ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.course_data = json.loads(self._script)
            self._script = None


def read_page(web: Path) -> Page:
    """index.html with every page loaded into it, and the course data in full."""
    page = Page(webcourse.whole_html(web))
    page.course_data = webcourse.course_data(web)
    return page


def anchor(page_id: str) -> str:
    return "p-" + page_id.replace("/", "--")


def source_page_ids(course: Path) -> list[str]:
    """Every page id the sources define, in reading order, worked out from the file names."""
    ids = []
    for folder in sorted((course / "modules").iterdir(), key=lambda p: int(_PREFIX.match(p.name)[0][:-1])):
        module = _PREFIX.sub("", folder.name)
        meta = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8")) or {}
        names = meta.get("pages") or sorted(p.name for p in folder.iterdir() if p.name.endswith(_PAGE_SUFFIXES))
        for name in names:
            stem = _PREFIX.sub("", name)
            stem = next(stem[: -len(s)] for s in _PAGE_SUFFIXES if stem.endswith(s))
            ids.append(f"{module}/{stem}")
    return ids


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_tiny(base: Path) -> Path:
    """The tiny course at base/courses/tiny with its theme at base/themes/plain, as in the fixtures."""
    course = base / "courses" / "tiny"
    shutil.copytree(TINY, course)
    shutil.copytree(PLAIN, base / "themes" / "plain")
    return course


def assert_pages_present(course: Path, web: Path) -> None:
    """Every source page is a section of index.html with its anchor, once, in reading order."""
    page = read_page(web)
    expected = source_page_ids(course)
    assert expected, "the course has no pages"
    sections = [s for s in page.sections if s.startswith("p-")]
    assert sections == [anchor(i) for i in expected]
    assert page.course_data is not None, "no <script id=\"course-data\"> element"
    assert [p["id"] for p in page.course_data["pages"]] == expected
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"element ids used twice: {sorted(duplicates)}"


def assert_references_resolve(course: Path, web: Path) -> None:
    """Every glossary term and framework reference, and every in-page link, lands on an element."""
    page = read_page(web)
    ids = set(page.ids)
    page_ids = {p["id"] for p in page.course_data["pages"]}
    glossary = yaml.safe_load((course / "glossary.yaml").read_text(encoding="utf-8")) or []
    frameworks = yaml.safe_load((course / "frameworks.yaml").read_text(encoding="utf-8")) or []
    for term in glossary:
        assert f"g-{slugify(term['term'])}" in ids, f"glossary entry {term['term']!r} has no element"
    for instrument in frameworks:
        assert f"fw-{instrument['id']}" in ids, f"instrument {instrument['id']!r} has no element"
        for article in instrument.get("articles") or ():
            assert f"fw-{instrument['id']}--art-{article['number']}" in ids
    term_refs = [a for a in page.links if "term-ref" in a.get("class", "").split()]
    legal_refs = [a for a in page.links if "legal-ref" in a.get("class", "").split()]
    assert term_refs and legal_refs, "the course cites no term or no instrument"
    for link in term_refs:
        assert link["href"] == f"#g-{link['data-term']}" and link["href"][1:] in ids, link
    for link in legal_refs:
        assert link["href"][1:] in ids, link
        assert link["href"].startswith(f"#fw-{link['data-instrument']}"), link
    for link in page.links:
        href = link["href"]
        if href.startswith("#/"):
            route = href[2:].split("#")[0]
            if "/" in route:  # a page route: module/page
                assert route in page_ids, f"link to no page: {href}"
        elif href.startswith("#") and len(href) > 1:
            assert href[1:] in ids, f"link to no element: {href}"


def assert_media_copied(course: Path, web: Path) -> None:
    """Exactly the media the page uses (images, links, players), byte for byte, at their source paths."""
    used = read_page(web).media
    media = web / "media"
    copied = {p.relative_to(web).as_posix() for p in media.rglob("*") if p.is_file()} if media.is_dir() else set()
    assert copied == used
    for rel in copied:
        assert (web / rel).read_bytes() == (course / rel).read_bytes(), rel


# --- the tiny course (plain test theme) ----------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny") / "dist"
    build(TINY, out)
    return out / "web"


def test_tiny_every_source_page_is_in_index_html(tiny_web: Path) -> None:
    assert source_page_ids(TINY) == ["basics/intro", "basics/more", "basics/check", "practice/window",
                                     "practice/final"]
    assert_pages_present(TINY, tiny_web)


def test_tiny_contents_link_every_page(tiny_web: Path) -> None:
    page = read_page(tiny_web)
    toc = [a["href"] for a in page.links if a.get("data-route")]
    assert toc == [f"#{anchor(i)}" for i in source_page_ids(TINY)]
    assert [a["data-route"] for a in page.links if a.get("data-route")] == \
        [f"#/{i}" for i in source_page_ids(TINY)]


def test_tiny_every_reference_resolves(tiny_web: Path) -> None:
    assert_references_resolve(TINY, tiny_web)
    page = read_page(tiny_web)
    terms = {a["data-term"] for a in page.links if "term-ref" in a.get("class", "")}
    assert terms == {"consent", "referral"}
    legal = {(a["data-instrument"], a.get("data-article")) for a in page.links if "legal-ref" in a.get("class", "")}
    # Lessons cite model-law:2, local-act and local-act:5; the glossary's source cites model-law:2.
    assert legal == {("model-law", "2"), ("local-act", None), ("local-act", "5")}
    lesson_link = next(a for a in page.links if a.get("data-anchor"))
    assert (lesson_link["href"], lesson_link["data-anchor"]) == ("#/basics/more", "p-basics--more--details")
    assert lesson_link["data-anchor"] in page.ids


def test_tiny_scenario_choices_land_on_nodes(tiny_web: Path) -> None:
    page = read_page(tiny_web)
    node_ids = [i for i in page.ids if i.startswith("s-")]
    assert node_ids == ["s-p-practice--window--window", "s-p-practice--window--referred",
                        "s-p-practice--window--sent-away"]
    gotos = [a["href"][1:] for a in page.links if a["href"].startswith("#s-")]
    assert gotos == node_ids[1:]


def test_tiny_copies_only_the_media_it_uses(tiny_web: Path) -> None:
    assert_media_copied(TINY, tiny_web)
    assert sorted(p.name for p in (tiny_web / "media").iterdir()) == ["diagram.svg", "window.svg"]
    assert not (tiny_web / "media" / "unused.svg").exists()


def test_tiny_assets_come_from_the_theme(tiny_web: Path) -> None:
    """The theme's stylesheets and scripts, one file each (minified), and its static files as they are."""
    css = (tiny_web / "assets" / "course.css").read_text(encoding="utf-8")
    for rule in ("body{font-family:sans-serif;max-width:46rem;margin:0 auto", "a{color:var(--accent)"):
        assert rule in css, css
    js = (tiny_web / "assets" / "course.js").read_text(encoding="utf-8")
    assert 'JSON.parse(document.getElementById("course-data").textContent)' in js
    assert (tiny_web / "assets" / "mark.svg").read_bytes() == (PLAIN / "static" / "mark.svg").read_bytes()
    assert sorted(p.relative_to(tiny_web).as_posix() for p in tiny_web.rglob("*") if p.is_file()) == [
        ".coursewright-files", "assets/course.css", "assets/course.js", "assets/mark.svg", "assets/search-index.js",
        "index.html",
        "media/diagram.svg", "media/window.svg"]
    assert (tiny_web / ".coursewright-files").read_text(encoding="utf-8").split() == [
        "assets/course.css", "assets/course.js", "assets/mark.svg", "assets/search-index.js", "index.html",
        "media/diagram.svg", "media/window.svg"]


def test_tiny_course_data_holds_quizzes_checks_and_scenarios(tiny_web: Path) -> None:
    data = read_page(tiny_web).course_data
    assert data["id"] == "tiny-course" and data["version"] == "1.0.0" and data["language"] == "en"
    assert data["completion"] == {"pages": "all", "assessments": "all"}
    # The older completion.pass_mark is a score rule: the course score of its assessments reaches 50%.
    assert (data["pass"]["rule"], data["pass"]["mark"]) == ("score", 50)
    assert set(data["pass"]["weights"]) == set(data["pass"]["assessments"])
    assert [m["id"] for m in data["modules"]] == ["basics", "practice"]
    assert sorted(data["quizzes"]) == ["basics/check", "practice/final"]
    final = data["quizzes"]["practice/final"]
    assert (final["kind"], final["pass_mark"], final["draw"], final["feedback"]) == ("assessment", 50, 2, "end")
    assert [q["key"] for q in final["questions"]] == [
        "practice/final/true-or-false", "practice/final/match-them", "practice/final/order-them"]
    assert list(data["checks"]) == ["basics/intro/check-1"]
    assert data["checks"]["basics/intro/check-1"]["answer"] is True
    scenario = data["scenarios"]["practice/window"]
    assert scenario["start"] == "window" and scenario["max_points"] == 2
    assert scenario["nodes"]["referred"]["ending"] == "good"


# --- determinism ---------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(TINY, tmp_path / "one")
    build(TINY, tmp_path / "two")
    first, second = tree_bytes(tmp_path / "one" / "web"), tree_bytes(tmp_path / "two" / "web")
    assert sorted(first) == sorted(second)
    assert first == second


def test_builds_in_other_processes_and_folders_are_byte_identical(tmp_path: Path) -> None:
    """Different hash seeds (set and dict order) and different source folders give the same bytes."""
    outputs = []
    for seed, name in (("1", "a"), ("2", "b")):
        course = copy_tiny(tmp_path / name)
        out = tmp_path / name / "dist"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", "from builder.cli import run; run()", "build", str(course),
                        "--out", str(out)], check=True, env=env, cwd=tmp_path, capture_output=True)
        outputs.append(tree_bytes(out / "web"))
    assert outputs[0] == outputs[1]
    assert str(tmp_path).encode() not in outputs[0]["index.html"], "the build leaks a local path"


# --- atomicity -----------------------------------------------------------------------------------

def test_a_build_pauses_the_cycle_collector_and_leaves_it_as_it_found_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run with the collector paused (they make almost no cyclic garbage); `course serve`, a
    long-lived process, needs it back after each build, good or failed."""
    import gc

    import builder.validate

    course = copy_tiny(tmp_path)
    seen: list[bool] = []
    real = builder.validate.validate_course

    def watching(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(builder.validate, "validate_course", watching)
    assert gc.isenabled()
    build(course, tmp_path / "dist")
    check(course)
    assert seen == [False, False] and gc.isenabled()
    intro = course / "modules" / "01-basics" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("[[consent]]", "[[consnet]]"), encoding="utf-8")
    for failing in (lambda: build(course, tmp_path / "dist"), lambda: check(course)):
        with pytest.raises(BuildError):
            failing()
        assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(BuildError):
            build(course, tmp_path / "dist")
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


FREEZE_AT_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), file=sys.stderr))
from builder.cli import run
sys.argv = ["course", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize("command", ["build", "check", "package"])
def test_the_course_command_leaves_a_build_s_objects_to_its_end_and_a_caller_s_process_collects_them(
        tmp_path: Path, command: str) -> None:
    """`course build` ends when its build does, freeing nothing (`cli.run`): the collector leaves the
    build's objects alone rather than walk them all once more. Called from a process that goes on (a
    tool, a test), the same command freezes nothing, or every build would stay in memory."""
    import gc

    course = copy_tiny(tmp_path)
    out = ["--out", str(tmp_path / "dist")] if command != "check" else []
    done = subprocess.run([sys.executable, "-c", FREEZE_AT_EXIT, command, str(course), *out], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    frozen = int(re.search(r"frozen (\d+)", done.stderr)[1])
    assert frozen > 10_000, "the build's objects were left to the collector"
    assert CliRunner().invoke(main, [command, str(course), *out]).exit_code == 0
    assert gc.get_freeze_count() == 0


def test_a_failed_build_leaves_the_previous_output_as_it_was(tmp_path: Path) -> None:
    course = copy_tiny(tmp_path)
    out = tmp_path / "dist"
    build(course, out)
    before = tree_bytes(out / "web")
    intro = course / "modules" / "01-basics" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("[[consent]]", "[[consnet]]"), encoding="utf-8")
    (course / "media" / "diagram.svg").write_text("<svg/>", encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build(course, out)
    assert [i.message for i in failure.value.issues] == ["unknown glossary term 'consnet'"]
    assert tree_bytes(out / "web") == before
    assert sorted(p.name for p in out.iterdir()) == ["web"], "temporary folders were left behind"


def test_a_build_that_fails_while_writing_leaves_the_previous_output(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    course = copy_tiny(tmp_path)
    out = tmp_path / "dist"
    build(course, out)
    before = tree_bytes(out / "web")
    (course / "media" / "window.svg").write_text("<svg/>", encoding="utf-8")
    copied = []

    def failing_copy(source: Path, target: Path) -> None:
        if copied:
            raise OSError(28, "No space left on device")
        copied.append(target)
        shutil.copyfile(source, target)

    monkeypatch.setattr(output.shutil, "copyfile", failing_copy)
    with pytest.raises(OSError):
        build(course, out)
    assert copied, "the build failed before it started writing"
    assert tree_bytes(out / "web") == before
    assert sorted(p.name for p in out.iterdir()) == ["web"], "temporary folders were left behind"


def test_a_good_build_replaces_the_previous_output_whole(tmp_path: Path) -> None:
    """A file an older build wrote and this one does not (an image no lesson shows any more) goes."""
    course = copy_tiny(tmp_path)
    out = tmp_path / "dist"
    intro = course / "modules" / "01-basics" / "01-intro.md"
    text = intro.read_text(encoding="utf-8")
    intro.write_text(text + "\n![Unused](../../media/unused.svg)\n", encoding="utf-8")
    build(course, out)
    assert (out / "web" / "media" / "unused.svg").is_file()
    intro.write_text(text, encoding="utf-8")
    build(course, out)
    assert not (out / "web" / "media" / "unused.svg").exists()
    assert sorted(p.name for p in out.iterdir()) == ["web"]


def test_a_file_the_build_did_not_write_is_never_deleted(tmp_path: Path) -> None:
    """Notes a trainer saved in dist/web/ stop the build with a message; nothing changes in dist/."""
    course = copy_tiny(tmp_path)
    out = tmp_path / "dist"
    build(course, out)
    notes = out / "web" / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    before = {p: p.read_bytes() for p in (out / "web").rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["build", str(course), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {out / 'web'} holds files the build did not write: notes.txt. The build replaces the whole "
        "folder: move them elsewhere (or delete them), or give another --out; nothing was changed")
    assert {p: p.read_bytes() for p in (out / "web").rglob("*") if p.is_file()} == before


def _theme_file_over_a_generated_one(tmp_path: Path) -> Path:
    course = copy_tiny(tmp_path)
    (tmp_path / "themes" / "plain" / "static" / "course.css").write_text("body{}", encoding="utf-8")
    return course


def test_a_file_written_twice_is_an_error_naming_its_source(tmp_path: Path) -> None:
    course = _theme_file_over_a_generated_one(tmp_path)
    with pytest.raises(BuildError) as failure:
        build(course, tmp_path / "dist")
    [issue] = failure.value.issues
    assert (issue.where.path, issue.message) == (
        str((tmp_path / "themes" / "plain" / "static" / "course.css").resolve()),
        "'assets/course.css' would be written twice (generated and copied)")
    assert not (tmp_path / "dist").exists()


def test_check_reports_a_file_written_twice_as_build_does(tmp_path: Path) -> None:
    course = _theme_file_over_a_generated_one(tmp_path)
    with pytest.raises(BuildError) as failure:
        check(course)
    assert [i.message for i in failure.value.issues] == [
        "'assets/course.css' would be written twice (generated and copied)"]


def test_check_writes_nothing(tmp_path: Path) -> None:
    course = copy_tiny(tmp_path)
    before = tree_bytes(tmp_path)
    report = check(course)
    assert report.web_dir is None
    assert tree_bytes(tmp_path) == before


# --- the sample course and the starter (default theme) -------------------------------------------

@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("starter") / "my-course"
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def starter_web(starter: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("starter-dist")
    build(starter, out)
    return out / "web"


@pytest.fixture(scope="module")
def sample_web(built_course: Path) -> Path:
    """The sample course's web folder, as the session's one build of it wrote it (conftest)."""
    return built_course / "web"


@needs_default_theme
def test_sample_course_every_source_page_is_in_index_html(sample_web: Path) -> None:
    assert_pages_present(SAMPLE, sample_web)


@needs_default_theme
def test_sample_course_every_reference_resolves(sample_web: Path) -> None:
    assert_references_resolve(SAMPLE, sample_web)


@needs_default_theme
def test_sample_course_copies_only_the_media_it_uses(sample_web: Path) -> None:
    assert_media_copied(SAMPLE, sample_web)


@needs_default_theme
def test_sample_course_builds_deterministically(sample_web: Path, tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "again")
    assert tree_bytes(tmp_path / "again" / "web") == tree_bytes(sample_web)


@needs_default_theme
def test_sample_course_passes_check_strict() -> None:
    result = CliRunner().invoke(main, ["check", str(SAMPLE), "--strict"])
    # Diagrams whose translated drawing is not in translations/<lang>/media/ yet are the one thing
    # reported; each drawing that lands takes its line away, and then the check passes.
    course = yaml.safe_load((SAMPLE / "course.yaml").read_text(encoding="utf-8"))
    # (a drawing without words, such as the hotspot question's picture, needs no translation)
    missing = {(f"media/{svg.name}", lang) for lang in course["translations"] for svg in (SAMPLE / "media").glob("*.svg")
               if not (SAMPLE / "translations" / lang / "media" / svg.name).is_file()
               and "<text" in svg.read_text(encoding="utf-8")}
    problems = [line for line in result.output.splitlines() if ": error: " in line]
    found = {(m[1], m[2]) for line in problems
             if (m := re.search(r"/(media/[\w.-]+):1:1: error: image not translated into '([\w-]+)'", line))}
    assert found == missing and len(problems) == len(missing), result.output
    assert result.exit_code == (1 if missing else 0), result.output
    assert "warning" not in result.output


@needs_default_theme
def test_starter_every_source_page_is_in_index_html(starter: Path, starter_web: Path) -> None:
    assert_pages_present(starter, starter_web)


@needs_default_theme
def test_starter_every_reference_resolves(starter: Path, starter_web: Path) -> None:
    assert_references_resolve(starter, starter_web)


@needs_default_theme
def test_starter_copies_only_the_media_it_uses(starter: Path, starter_web: Path) -> None:
    assert_media_copied(starter, starter_web)


@needs_default_theme
def test_starter_builds_deterministically(starter: Path, starter_web: Path, tmp_path: Path) -> None:
    build(starter, tmp_path / "again")
    assert tree_bytes(tmp_path / "again" / "web") == tree_bytes(starter_web)


@needs_default_theme
def test_starter_shows_every_content_block(starter_web: Path) -> None:
    """A new course shows each block by example, on the module's page a learner without JavaScript reads."""
    page = lxml.html.parse(str(starter_web / "module-getting-started.html")).getroot()
    lesson = page.xpath("//section[contains(@class, 'page')][.//h1[normalize-space()='Content blocks']]")
    assert len(lesson) == 1, "no lesson 'Content blocks' in the starter"
    for block in ("accordion", "columns", "cards", "timeline", "steps", "flipcard", "quote", "figure"):
        assert lesson[0].xpath(f".//*[contains(concat(' ', @class, ' '), ' {block} ')]"), f"no {block} in the lesson"
    assert lesson[0].xpath(".//figure//figcaption[normalize-space()]"), "the figure has no caption"


@needs_default_theme
def test_starter_passes_check_strict(starter: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(starter), "--strict"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
