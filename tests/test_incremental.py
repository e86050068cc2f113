"""`course serve`'s rebuilds: after every kind of edit, what it writes is what a clean build writes.

Rebuilds reuse pages rendered by earlier builds; these tests make each kind of edit a trainer makes
(a lesson, a module's title, a glossary term, a quiz, a media file, a template of the course's own)
and compare every file the rebuild left in the output with a clean build of the same sources.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

import builder.bothends
import builder.loader
import builder.render
import builder.rendercache
import builder.theme
from builder.build import build
from builder.errors import BuildError
from builder.project import Project

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
from test_build import tree_bytes  # noqa: E402

MODULE = "modules/01-understanding-trafficking"


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def assert_same_files(folder: Path, other: Path) -> None:
    first, second = tree_bytes(folder / "web"), tree_bytes(other / "web")
    assert sorted(first) == sorted(second)
    assert [name for name in second if first[name] != second[name]] == []


def assert_same_as_clean_build(course: Path, project: Project, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    builder.theme._kept_environment.clear()  # the clean build loads every template afresh
    build(course, clean)
    assert_same_files(project.out, clean)


def add_page_template(course: Path) -> Path:
    """A course template that wraps every page: every page must be laid out again."""
    target = course / "theme" / "templates" / "partials" / "page.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text('<div class="wrapped">{% include "default/partials/page.html" %}</div>\n', encoding="utf-8")
    return target


EDITS: dict[str, Callable[[Path], Path]] = {
    "lesson text": lambda c: edit(c / MODULE / "01-what-is-trafficking.md", "\n## ", "\nA sentence added here.\n\n## "),
    "module title": lambda c: edit(c / MODULE / "module.yaml", "title: Understanding trafficking in persons",
                                   "title: Understanding human trafficking"),
    "glossary term": lambda c: edit(c / "glossary.yaml", "aliases: [human trafficking, trafficking]",
                                    "aliases: [human trafficking]"),
    "quiz question": lambda c: edit(c / MODULE / "05-check.quiz.yaml", "prompt: ", "prompt: Now, "),
    "page template of the course": add_page_template,
    # the best run's points change: the course data's totals must follow (worked out once per graph)
    "scenario points": lambda c: edit(c / MODULE / "04-is-it-trafficking.scenario.yaml", "points: 2", "points: 3"),
    # a translated page is merged again, the other languages' pages are not
    "translated lesson": lambda c: edit(c / "translations" / "es" / MODULE / "01-what-is-trafficking.md", "\n## ",
                                        "\nUna frase añadida aquí.\n\n## "),
}


@pytest.fixture()
def sample(tmp_path: Path) -> tuple[Path, Project]:
    course = tmp_path / "course_src"
    shutil.copytree(ROOT / "course_src", course)
    project = Project(course, tmp_path / "served")
    project.build()
    return course, project


@pytest.mark.parametrize("kind", EDITS)
def test_a_rebuild_after_an_edit_writes_what_a_clean_build_writes(
        kind: str, sample: tuple[Path, Project], tmp_path: Path) -> None:
    course, project = sample
    before = tree_bytes(project.out / "web")
    changed = EDITS[kind](course)
    project.rebuild({changed})
    assert tree_bytes(project.out / "web") != before
    assert_same_as_clean_build(course, project, tmp_path)


def test_a_course_template_saved_again_or_removed_reaches_every_page(
        sample: tuple[Path, Project], tmp_path: Path) -> None:
    """Rebuilds keep the theme's templates loaded: one added beside the course's others takes the place
    of the theme's, one saved again is loaded again, and one removed gives way to the theme's own."""
    course, project = sample
    footer = course / "theme" / "templates" / "partials" / "footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text('<div class="footer">{% include "default/partials/footer.html" %}</div>\n', encoding="utf-8")
    project.rebuild({footer})
    template = add_page_template(course)
    project.rebuild({template})
    assert_same_as_clean_build(course, project, tmp_path)
    template.write_text('<div class="wrapped again">{% include "default/partials/page.html" %}</div>\n',
                        encoding="utf-8")
    project.rebuild({template})
    assert 'class="wrapped again"' in (project.out / "web" / f"module-{MODULE.split('-', 1)[1]}.html").read_text(
        encoding="utf-8")
    assert_same_as_clean_build(course, project, tmp_path)
    template.unlink()
    project.rebuild({template})
    assert_same_as_clean_build(course, project, tmp_path)


def test_a_glossary_edit_reaches_its_script_and_its_page(sample: tuple[Path, Project], tmp_path: Path) -> None:
    """`course serve` makes the glossary's script and page anew, as a clean build would."""
    course, project = sample
    web = project.out / "web"
    before = tree_bytes(web)
    project.rebuild({EDITS["glossary term"](course)})
    after = tree_bytes(web)
    assert {"pages/glossary.js", "glossary.html"} <= {name for name in after if after[name] != before.get(name)}
    assert after["pages/frameworks.js"] == before["pages/frameworks.js"]
    assert_same_as_clean_build(course, project, tmp_path)


def test_a_missing_image_fails_the_rebuild_and_its_return_mends_it(
        sample: tuple[Path, Project], tmp_path: Path) -> None:
    course, project = sample
    image = course / "media" / "act-means-purpose.svg"
    kept = image.read_bytes()
    image.unlink()
    with pytest.raises(BuildError) as failed:
        project.rebuild({image})
    assert "media file '../../media/act-means-purpose.svg' not found" in str(failed.value)
    image.write_bytes(kept)
    project.rebuild({image})
    assert_same_as_clean_build(course, project, tmp_path)


def test_files_removed_from_the_output_come_back_at_the_next_rebuild(
        sample: tuple[Path, Project], tmp_path: Path) -> None:
    """A rebuild looks for the files of a folder changed since the last build only: removing a page's
    script, a whole module's folder or index.html changes a folder, and the next rebuild writes them."""
    course, project = sample
    web = project.out / "web"
    for rounds in range(2):  # after the first build, then after a rebuild
        (web / "index.html").unlink()
        scripts = sorted((web / "pages").glob("*/*.js"))
        scripts[-1].unlink()
        shutil.rmtree(scripts[0].parent)
        project.rebuild({EDITS["lesson text"](course)})
        assert (web / "index.html").is_file() and scripts[-1].is_file() and scripts[0].is_file()
        assert_same_as_clean_build(course, project, tmp_path)


def test_a_scenario_mistake_is_reported_at_every_rebuild_until_it_is_mended(
        sample: tuple[Path, Project], tmp_path: Path) -> None:
    """Scenarios found sound are not checked again; one with a mistake is, whatever else is saved."""
    course, project = sample
    story = course / MODULE / "04-is-it-trafficking.scenario.yaml"
    edit(story, "goto: kitchen-review", "goto: kitchen-reveiw")
    for changed in (story, EDITS["lesson text"](course)):
        with pytest.raises(BuildError) as failed:
            project.rebuild({changed})
        assert "choice goes to 'kitchen-reveiw', which is not a node" in str(failed.value)
    edit(story, "goto: kitchen-reveiw", "goto: kitchen-review")
    project.rebuild({story})
    assert_same_as_clean_build(course, project, tmp_path)


def test_a_changed_captions_file_reaches_the_page(tmp_path: Path) -> None:
    course = tmp_path / "course_src"
    shutil.copytree(ROOT / "course_src", course)
    (course / "media" / "briefing.mp4").write_bytes(b"\0" * 64)
    captions = course / "media" / "briefing.vtt"
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nFirst words.\n", encoding="utf-8")
    lesson = edit(course / MODULE / "01-what-is-trafficking.md", "\n## ",
                  "\n![A short briefing by a consular officer.](../../media/briefing.mp4)\n\n## ")
    project = Project(course, tmp_path / "served")
    project.build()
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nOther words.\n", encoding="utf-8")
    project.rebuild({captions, lesson})
    assert_same_as_clean_build(course, project, tmp_path)


class WorkerFirst(builder.bothends.Claims):
    """Claims where this process waits (a while at most) for a worker to take a module before it takes
    its first: on a busy machine it would otherwise take them all before a worker started."""

    def front(self) -> bool:
        deadline = time.monotonic() + 30
        while self.ends[1] == len(self.todo) and time.monotonic() < deadline:
            time.sleep(0.005)
        return super().front()


def _workers_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder.bothends, "Claims", WorkerFirst)


def _pages_from_workers(monkeypatch: pytest.MonkeyPatch, scripts: list[str] | None = None) -> list[int]:
    """Counts the pages this process read from its workers (and the page scripts they wrote, in `scripts`)."""
    read: list[int] = []
    real = builder.rendercache._take_rendered

    def counted(renderer, rendered):  # noqa: ANN001, ANN202 - as _take_rendered
        for pages, written, _ in (rendered or {}).values():
            read.extend(page.view.number for page in pages)
            if scripts is not None:
                scripts.extend(written)
        real(renderer, rendered)

    monkeypatch.setattr(builder.rendercache, "_take_rendered", counted)
    return read


def test_a_large_course_built_on_every_core_is_the_one_built_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = synthetic.write_course(tmp_path / "course", 40)
    scripts: list[str] = []
    from_workers = _pages_from_workers(monkeypatch, scripts)
    _workers_go_first(monkeypatch)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 3)
    build(course, tmp_path / "parallel")
    assert from_workers, "the workers rendered no page"
    assert len([s for s in scripts if s.startswith("pages/")]) == len(from_workers), \
        "a worker writes the script of each page it renders"
    assert [s for s in scripts if s.startswith("module-")], "and the page of each module it renders"
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 1)
    build(course, tmp_path / "serial")
    assert_same_files(tmp_path / "parallel", tmp_path / "serial")


def test_where_processes_cannot_fork_a_large_course_is_built_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows starts a process afresh rather than as a copy: the workers, which share the course in
    memory, are forked or not started at all; the course is loaded and rendered here, the same."""
    import multiprocessing

    course = synthetic.write_course(tmp_path / "course", 60)
    build(course, tmp_path / "forked")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])

    def no_fork(method: str | None = None) -> None:
        raise AssertionError(f"a process was started ({method}) where none can be forked")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    from_workers = _pages_from_workers(monkeypatch)
    build(course, tmp_path / "alone")
    assert not from_workers
    assert_same_files(tmp_path / "forked", tmp_path / "alone")


def _every_lesson(course: Path, old: str, new: str) -> None:
    for lesson in sorted(course.glob("modules/*/*.md")):
        edit(lesson, old, new)


def test_a_remembered_build_whose_workers_update_the_output_is_the_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers write their pages' scripts beside the files they replace; the building process swaps
    them in with its own, and lists them."""
    course = synthetic.write_course(tmp_path / "course", 40)
    out = tmp_path / "out"
    _workers_go_first(monkeypatch)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 3)
    build(course, out, remember=True, keep_output=True)
    _every_lesson(course, "\n## ", "\nA sentence added to every lesson.\n\n## ")
    scripts: list[str] = []
    from_workers = _pages_from_workers(monkeypatch, scripts)
    build(course, out, remember=True, keep_output=True)
    assert from_workers and scripts, "the workers rendered no page"
    assert any("A sentence added to every lesson." in (out / "web" / script).read_text(encoding="utf-8")
               for script in scripts)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 1)
    build(course, tmp_path / "clean")
    assert_same_files(out, tmp_path / "clean")


def test_a_failed_build_leaves_no_file_a_worker_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = synthetic.write_course(tmp_path / "course", 40)
    out = tmp_path / "out"
    _workers_go_first(monkeypatch)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 3)
    build(course, out, remember=True, keep_output=True)
    before = tree_bytes(out / "web")
    _every_lesson(course, "\n## ", "\nA sentence added to every lesson.\n\n## ")
    edit(sorted(course.glob("modules/*/*.md"))[0], "\n## ", "\n[A page that is not there](nowhere.md)\n\n## ")
    scripts: list[str] = []
    from_workers = _pages_from_workers(monkeypatch, scripts)
    with pytest.raises(BuildError) as failed:
        build(course, out, remember=True, keep_output=True)
    assert "nowhere.md" in str(failed.value)
    assert scripts, "the workers wrote no page script"
    assert tree_bytes(out / "web") == before  # no page script changed, none left beside another


def _loaded_by_workers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The page files a worker loaded for this process, as it hands them over."""
    paths: list[str] = []
    real = builder.loader._module

    def counted(module, issues, cache=None, kept=None, loaded=None):  # noqa: ANN001, ANN202 - as _module
        paths.extend(loaded or ())
        return real(module, issues, cache, kept, loaded)

    monkeypatch.setattr(builder.loader, "_module", counted)
    return paths


def test_a_large_course_loaded_on_two_cores_is_the_one_loaded_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = synthetic.write_course(tmp_path / "course", 60)
    loaded = _loaded_by_workers(monkeypatch)
    _workers_go_first(monkeypatch)
    monkeypatch.setattr(builder.loader, "worker_count", lambda lessons: 2)
    build(course, tmp_path / "parallel", remember=True, clean=True)
    assert loaded, "the worker loaded no page"
    monkeypatch.setattr(builder.loader, "worker_count", lambda lessons: 1)
    build(course, tmp_path / "serial", remember=True, clean=True)
    assert_same_files(tmp_path / "parallel", tmp_path / "serial")
    # and the next build, which finds those pages in the record of what was loaded, parses none again
    monkeypatch.setattr(builder.loader, "_PAGE_LOADERS", {})
    build(course, tmp_path / "parallel", remember=True)
    assert_same_files(tmp_path / "parallel", tmp_path / "serial")


def test_a_mistake_in_a_page_a_worker_loaded_is_reported_as_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = synthetic.write_course(tmp_path / "course", 60)
    last = sorted(course.glob("modules/*/*.md"))[-1]
    edit(last, "title: ", "title: [unclosed\nduration: ")
    reports = []
    for workers in (2, 1):
        loaded = _loaded_by_workers(monkeypatch)
        _workers_go_first(monkeypatch)
        monkeypatch.setattr(builder.loader, "worker_count", lambda lessons, n=workers: n)
        with pytest.raises(BuildError) as failed:
            build(course, tmp_path / f"out-{workers}")
        reports.append(str(failed.value))
        assert (last.relative_to(course).as_posix() in loaded) == (workers == 2)
    assert last.relative_to(course).as_posix() in reports[0]
    assert reports[0] == reports[1]


def test_a_module_a_worker_did_not_finish_is_rendered_by_the_building_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = synthetic.write_course(tmp_path / "course", 40)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 1)
    build(course, tmp_path / "serial")

    def die_rendering(renderer, index) -> None:  # noqa: ANN001 - as _render_from_back
        (tmp_path / "taken").write_text(str(index))
        os._exit(1)

    from_workers = _pages_from_workers(monkeypatch)
    monkeypatch.setattr(builder.rendercache, "_render_from_back", die_rendering)
    _workers_go_first(monkeypatch)
    monkeypatch.setattr(builder.render, "worker_count", lambda lessons: 2)
    build(course, tmp_path / "parallel")
    assert (tmp_path / "taken").exists(), "the worker took no module"
    assert from_workers == []
    assert_same_files(tmp_path / "parallel", tmp_path / "serial")
