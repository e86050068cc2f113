"""`course build` remembers rendered pages in the user's cache folder: later builds write what a clean build writes.

Each test builds with the `course` command, then compares every file of the output with a build into
a fresh folder (for the sample course unchanged, its first build: `first_build.FirstBuild`, made once
per module and copied into the tests that start from it). Rendering is counted (Markdown calls) to see that a build reused what it could, and the
cache is attacked as a shared folder could be: files altered, signed with another key, or replaced.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import sys
from pathlib import Path

import pytest

import builder.render
from builder.diskcache import MAGIC, MODULES, cache_folder, key_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
import webcourse  # noqa: E402
from first_build import (  # noqa: E402, F401  (fixtures)
    FirstBuild, assert_same_as_fresh_build, assert_same_web, built, course_build, first_build, own_key,
)
from test_build import tree_bytes  # noqa: E402


@pytest.fixture()
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the Markdown texts rendered (in this process) since the test began."""
    calls: list[str] = []
    real = builder.render.render_markdown

    def counting(text, env):  # noqa: ANN001, ANN202
        calls.append(env.path)
        return real(text, env)

    monkeypatch.setattr(builder.render, "render_markdown", counting)
    return calls


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 lessons: large enough that the first build renders on every core."""
    return synthetic.write_course(tmp_path_factory.mktemp("generated") / "course", 120)


def cache_files(out: Path) -> list[Path]:
    """Each module's two files: its pages (`pages-*`) and their laid-out HTML (`sections-*`)."""
    folder = cache_folder(out)
    return sorted([*folder.glob("pages-*.json"), *folder.glob("sections-*.json")])


def test_every_view_has_a_json_form() -> None:
    """A view type the cache cannot write back would make every build a miss: say which at once."""
    import dataclasses

    from builder import views
    from builder.diskcache import _decoder

    for name, kind in vars(views).items():
        if dataclasses.is_dataclass(kind):
            _decoder(kind)  # raises TypeError naming the field type it cannot read


def test_a_second_build_renders_nothing_and_writes_the_same_course(first_build: FirstBuild, tmp_path: Path,
                                                                    rendered: list[str]) -> None:
    sample = tmp_path / "course_src"
    shutil.copytree(ROOT / "course_src", sample)
    out = tmp_path / "dist"
    course_build(sample, out)
    assert rendered and cache_files(out)
    before = tree_bytes(sample)
    rendered.clear()
    course_build(sample, out)
    lessons = [path for path in rendered if path.endswith(".md")]
    assert lessons == []
    assert tree_bytes(sample) == before  # nothing written into the course folder
    assert [p.name for p in out.iterdir()] == ["web"]  # nor beside the course in the output
    assert (out / "web" / "pages" / "glossary.js").is_file() and (out / "web" / "es" / "frameworks.html").is_file()
    assert_same_web(out, first_build.clean_web())



def edit_and_rebuild(course: Path, out: Path, lesson: Path, sentence: str, rendered: list[str],
                     tmp_path: Path) -> None:
    """Add `sentence` before the lesson's first section and build again: only its module's Markdown is
    rendered, the sentence is in the course, and the course is as a fresh build makes it."""
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("\n## ", f"\n{sentence}\n\n## ", 1),
                      encoding="utf-8")
    rendered.clear()
    course_build(course, out)
    assert {Path(path).parent.name for path in rendered if path.endswith(".md")} == {lesson.parent.name}
    assert sentence in webcourse.whole_html(out / "web")
    assert_same_as_fresh_build(course, out, tmp_path)


def test_after_editing_one_lesson_only_its_module_renders(generated: Path, tmp_path: Path,
                                                         rendered: list[str]) -> None:
    course = tmp_path / "course"
    shutil.copytree(generated, course)
    out = tmp_path / "dist"
    course_build(course, out)
    edit_and_rebuild(course, out, synthetic.lesson_files(course)[45], "An added sentence.", rendered, tmp_path)


def test_a_failed_build_keeps_the_modules_it_rendered_and_the_build_after_the_fix_renders_one(
        generated: Path, tmp_path: Path, rendered: list[str]) -> None:
    """A module's file holds what its name (the digest of all it was made from) says, whatever else the
    build found: a build that fails on one lesson writes no output, but keeps the modules it rendered
    (on both cores), so that once the lesson is fixed only its module renders."""
    course = tmp_path / "course"
    shutil.copytree(generated, course)
    out = tmp_path / "dist"
    broken = synthetic.lesson_files(course)[45]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("\n## ", "\nSee [[no such term]].\n\n## ", 1), encoding="utf-8")
    assert "unknown glossary term" in course_build(course, out, code=1)
    assert not out.exists(), "a failed build writes no output"
    modules = len([p for p in (course / "modules").iterdir() if p.is_dir()])
    assert len(cache_files(out)) >= 2 * (modules - 1), "every module without the error was kept"
    broken.write_text(text, encoding="utf-8")
    rendered.clear()
    course_build(course, out)
    assert {Path(path).parent.name for path in rendered if path.endswith(".md")} == {broken.parent.name}
    assert_same_as_fresh_build(course, out, tmp_path)


def test_the_cache_is_kept_for_the_last_build_only(generated: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(generated, course)
    out = tmp_path / "dist"
    course_build(course, out)
    first = cache_files(out)
    lesson = synthetic.lesson_files(course)[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    course_build(course, out)
    second = cache_files(out)
    assert len(second) == len(first)
    assert len(set(second) - set(first)) == 2  # the edited module's two files replaced its old ones


def _resign(path: Path, payload: bytes) -> None:
    """Write a cache file as this user's builder would: it will be trusted."""
    key = key_file().read_bytes()
    mac = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
    path.write_bytes(MAGIC + mac + b"\n" + payload)


def _payload(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 2)[2]


def test_a_signed_cache_is_used_and_clean_ignores_it(first_build: FirstBuild, built: tuple[Path, Path]) -> None:
    sample, out = built
    module = next(p.name.split("-", 1)[1] for p in cache_files(out) if b"Trafficking in persons" in _payload(p))
    for path in cache_files(out):
        if path.name.endswith(module):  # the module's pages and their laid-out HTML (the same length: the
            # files give the length of each page's search entries and HTML)
            _resign(path, _payload(path).replace(b"Trafficking in persons", b"SIGNED-BY-THIS-USER-OK"))
    shutil.rmtree(out / "web")  # else the page files there, as the last build wrote them, are kept
    course_build(sample, out)
    assert "SIGNED-BY-THIS-USER" in webcourse.whole_html(out / "web")
    course_build(sample, out, "--clean")
    assert "SIGNED-BY-THIS-USER" not in webcourse.whole_html(out / "web")
    assert_same_web(out, first_build.clean_web())
    assert all(b"SIGNED-BY-THIS-USER" not in _payload(p) for p in cache_files(out))  # --clean kept it afresh


@pytest.mark.parametrize("attack", ["altered", "truncated", "another key", "pickle", "not json", "wrong shape"])
def test_a_cache_this_user_did_not_write_is_ignored(first_build: FirstBuild, built: tuple[Path, Path],
                                                    tmp_path: Path, attack: str) -> None:
    sample, out = built
    planted = tmp_path / "planted"
    for path in cache_files(out):
        payload = _payload(path)
        if attack == "altered":  # the text changed, the hash kept
            path.write_bytes(path.read_bytes().replace(b"<p>", b"<p><script>alert(1)</script>"))
        elif attack == "truncated":  # a build stopped while writing, or a full disk
            path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
        elif attack == "another key":
            mac = hmac.new(b"k" * 32, payload.replace(b"<p>", b"<p>PLANTED "), hashlib.sha256).hexdigest()
            path.write_bytes(MAGIC + mac.encode() + b"\n" + payload.replace(b"<p>", b"<p>PLANTED "))
        elif attack == "pickle":
            import pickle

            class Plant:
                def __reduce__(self):  # noqa: ANN204
                    return (Path.touch, (planted,))

            path.write_bytes(pickle.dumps(Plant()))
        elif attack == "not json":
            _resign(path, b"\x80\x04not json at all")
        else:
            _resign(path, b'[{"digest": 1, "view": []}]')
    shutil.rmtree(out / "web")  # every page is then made from what the cache gives
    course_build(sample, out)
    html = webcourse.whole_html(out / "web")
    assert "alert(1)" not in html and "PLANTED" not in html
    assert not planted.exists()
    assert_same_web(out, first_build.clean_web())


def _laid_out_files(out: Path) -> list[Path]:
    return sorted(cache_folder(out).glob("sections-*.json"))


def _editions(out: Path) -> dict[str, bytes]:
    """The single-file editions and the documents (guide, handout) a build wrote beside its web folder."""
    return {p.name: p.read_bytes() for p in out.glob("*.html")}


@pytest.mark.parametrize("attack", ["missing", "altered"])
def test_pages_whose_laid_out_html_cannot_be_read_are_laid_out_again(first_build: FirstBuild,
                                                                     built: tuple[Path, Path], rendered: list[str],
                                                                     attack: str) -> None:
    """Each module's laid-out HTML is kept apart from the rest of its pages; when its output files have to
    be made again and that file is gone or does not check, the module's pages are laid out again."""
    sample, out = built
    assert _laid_out_files(out)
    for path in _laid_out_files(out):
        if attack == "missing":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes().replace(b"<p>", b"<p>PLANTED ", 1))
    shutil.rmtree(out / "web")  # every page script and module page is made again
    rendered.clear()
    course_build(sample, out)
    assert [path for path in rendered if path.endswith(".md")]
    assert "PLANTED" not in webcourse.whole_html(out / "web")
    assert_same_web(out, first_build.clean_web())
    assert len(_laid_out_files(out)) == len(cache_files(out)) // 2  # kept afresh


def test_a_build_whose_output_is_in_place_reads_no_laid_out_html(first_build: FirstBuild, built: tuple[Path, Path],
                                                                 tmp_path: Path, rendered: list[str]) -> None:
    """While the output holds a module's files as they would be made, its pages' laid-out HTML is not
    needed: with those files gone, an edit lays out its own page only and the course is as a clean build
    makes it. The single-file edition and the documents, which show every page, then lay out again the
    pages whose HTML cannot be read, and are the same as a fresh build's."""
    sample, out = built
    names = json.loads(_payload(cache_folder(out) / MODULES))
    edited = {f"sections-{digest}.json" for name, digest in names.items() if name.endswith("/understanding-trafficking")}
    for path in _laid_out_files(out):
        if path.name not in edited:  # the edited module's other pages come from its file, laid out
            path.unlink()
    lesson = sample / "modules/01-understanding-trafficking/01-what-is-trafficking.md"
    edit_and_rebuild(sample, out, lesson, "AN ADDED SENTENCE.", rendered, tmp_path)
    rendered.clear()
    course_build(sample, out, "--single-file", "--facilitator")
    assert len({path for path in rendered if path.endswith(".md")}) > 1  # the other pages, laid out again
    fresh = tmp_path / "fresh-editions"
    course_build(sample, fresh, "--single-file", "--facilitator")
    editions = _editions(out)
    assert any(b"AN ADDED SENTENCE." in edition for edition in editions.values())
    assert editions == _editions(fresh)


def test_the_editions_after_a_remembered_build_are_the_same_as_a_fresh_build_s(
        first_build: FirstBuild, built: tuple[Path, Path], tmp_path: Path, rendered: list[str]) -> None:
    """The single-file edition and the documents read the laid-out HTML a build that found its output in
    place left unread."""
    sample, out = built
    rendered.clear()
    course_build(sample, out, "--single-file")
    assert [path for path in rendered if path.endswith(".md")] == []
    course_build(sample, out, "--single-file", "--facilitator")
    fresh = tmp_path / "fresh-editions"
    course_build(sample, fresh, "--single-file", "--facilitator")
    assert _editions(out) and _editions(out) == _editions(fresh)


def test_a_large_clean_build_lets_its_laid_out_html_go_and_its_editions_are_whole(generated: Path,
                                                                                tmp_path: Path) -> None:
    """Rendered on two processes, each module's pages give their laid-out HTML up once it is written and
    kept on disk (a large course's memory); the single-file edition and the documents, which show every
    page, read it back, and are those of a build that kept everything in memory."""
    from builder.build import build
    from builder.documents import write_editions

    out = tmp_path / "remembered"
    course_build(generated, out, "--clean", "--single-file", "--facilitator")
    report = build(generated, tmp_path / "in-memory")  # no disk cache: every view keeps its HTML
    assert report.site is not None and all("section_html" in page.__dict__ for page in report.site.pages)
    plain = tmp_path / "in-memory-editions"
    write_editions(report, generated, plain, documents=True, single_file=True)
    assert _editions(out) and _editions(out) == _editions(plain)
    assert_same_web(out, tree_bytes(tmp_path / "in-memory" / "web"))

    remembered = build(generated, tmp_path / "again", remember=True, clean=True, keep_output=True)
    assert remembered.site is not None
    let_go = [page for page in remembered.site.pages if "section_html" not in page.__dict__]
    assert len(let_go) == len(remembered.site.pages)  # the building process's modules and the worker's
    assert str(let_go[-1].section_html) == str(report.site.pages[-1].section_html)  # read back when asked
