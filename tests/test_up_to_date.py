"""`course build` of a course that has not changed since its last good build: said up to date, in a
moment, with the same warnings, and nothing written; any change to what a build reads or wrote builds."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from builder import uptodate
from builder.cachefolder import cache_folder
from builder.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"
PLAIN = FIXTURES / "themes" / "plain"
UP_TO_DATE = "dist/web/index.html is up to date: 5 pages, 2 quizzes, 1 scenario, 2 terms, 2 instruments in "


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny course as course_src/ (its theme two folders up, outside it), as the working folder.

    Its files were copied a moment ago: a build takes a file changed less than two seconds before it
    began as unknown (`test_a_file_saved_just_before_a_build_is_not_trusted`), so here they count as settled.
    """
    folder = tmp_path / "project"
    shutil.copytree(TINY, folder / "course_src")
    shutil.copytree(PLAIN, tmp_path / "themes" / "plain")
    monkeypatch.chdir(folder)
    monkeypatch.setattr(uptodate, "SETTLED_NS", 0)
    return folder


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 0, result.output
    return result


def times(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def with_warning(project: Path) -> None:
    """An image without alt text: a warning every build of the course says."""
    intro = project / "course_src" / "modules" / "01-basics" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("![A small diagram]", "![]"), encoding="utf-8")


def test_an_unchanged_course_is_up_to_date_with_the_same_warnings_and_nothing_written(project: Path) -> None:
    with_warning(project)
    first = run()
    assert first.stdout.startswith("built dist/web/index.html: 5 pages")
    assert "image has no alt text" in first.stderr
    before = times(project / "dist")
    again = run()
    assert again.stdout.startswith(UP_TO_DATE)
    assert again.stdout.rstrip().endswith("(nothing changed since the last build)")
    assert again.stderr == first.stderr  # the warning, word for word
    assert times(project / "dist") == before
    assert run().stdout.startswith(UP_TO_DATE)


def test_an_output_folder_inside_the_course_folder_is_not_taken_for_its_input(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "course_src")  # a trainer working inside the course folder: `course build`
    assert run().stdout.startswith("built dist/web/index.html")
    assert run().stdout.startswith(UP_TO_DATE)


def edit_lesson(project: Path) -> None:
    """One letter changed: the file keeps its size."""
    intro = project / "course_src" / "modules" / "01-basics" / "01-intro.md"
    text = intro.read_text(encoding="utf-8")
    intro.write_text(text.replace("diagram", "diagrem", 1), encoding="utf-8")


def add_stray_file(project: Path) -> None:
    (project / "course_src" / "modules" / "02-practice" / "notes.txt").write_text("to do\n", encoding="utf-8")


def delete_unused_media(project: Path) -> None:
    (project / "course_src" / "media" / "unused.svg").unlink()


def edit_theme(project: Path) -> None:
    css = project.parent / "themes" / "plain" / "css" / "plain.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.changed { color: #222; }\n", encoding="utf-8")


def delete_output_file(project: Path) -> None:
    (project / "dist" / "web" / "index.html").unlink()


def alter_output_file(project: Path) -> None:
    page = project / "dist" / "web" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Tiny Course", b"Tiny Curse", 1))


CHANGES: dict[str, Callable[[Path], None]] = {
    "a lesson edited, same size": edit_lesson, "a file added": add_stray_file,
    "a media file deleted": delete_unused_media, "the theme, outside the course folder": edit_theme,
    "an output file deleted": delete_output_file, "an output file altered": alter_output_file,
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_build_reads_or_wrote_builds_again(project: Path, change: str) -> None:
    run()
    clean = {name: (project / "dist" / "web" / name).read_bytes() for name in times(project / "dist" / "web")}
    CHANGES[change](project)
    again = run()
    assert again.stdout.startswith("built dist/web/index.html: 5 pages"), again.stdout
    web = project / "dist" / "web"
    if change.startswith("an output file"):  # the output is the build's again
        assert {name: (web / name).read_bytes() for name in times(web)} == clean
    if change == "a file added":
        assert "notes.txt:1:1: warning: file is not a page" in again.stderr
    assert run().stdout.startswith(UP_TO_DATE)


def test_a_file_added_to_the_output_is_noticed(project: Path) -> None:
    """Not up to date: the build runs, and refuses to replace a folder holding files it did not write."""
    run()
    (project / "dist" / "web" / "stray.html").write_text("<p>left here</p>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "dist/web holds files the build did not write: stray.html" in result.output


@pytest.mark.parametrize("option", ["--strict", "--clean", "--single-file"])
def test_other_options_build_again(project: Path, option: str) -> None:
    run()
    assert run(option).stdout.startswith("built dist/web/index.html: 5 pages")
    if option == "--single-file":
        assert (project / "dist" / "tiny-course-1.0.0.html").is_file()


def test_a_file_saved_just_before_a_build_is_not_trusted(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved again within one tick of the file system's clock, the file could keep its size and times:
    until it has been quiet for two seconds, a build does not vouch for it."""
    monkeypatch.setattr(uptodate, "SETTLED_NS", 2_000_000_000)
    edit_lesson(project)
    run()
    assert run().stdout.startswith("built dist/web/index.html")


def test_a_record_this_user_did_not_sign_is_not_believed(project: Path) -> None:
    run()
    record = cache_folder(Path("dist")) / uptodate.RECORD
    data = record.read_bytes()
    assert b'"pages":5' in data
    record.write_bytes(data.replace(b'"pages":5', b'"pages":6'))
    assert run().stdout.startswith("built dist/web/index.html: 5 pages")
    assert run().stdout.startswith(UP_TO_DATE)  # the record that build signed



def test_a_file_changed_during_a_rebuild_is_not_trusted(project: Path) -> None:
    """A build after an edit records the course's files as the up-to-date check found them, and a file
    whose time is not yet past (saved as the build began, or stamped ahead by another clock) as unknown:
    the next build builds again."""
    run()
    edit_lesson(project)
    lesson = project / "course_src" / "modules" / "01-basics" / "01-intro.md"
    ahead = time.time_ns() + 3_600_000_000_000
    os.utime(lesson, ns=(ahead, ahead))
    assert run().stdout.startswith("built dist/web/index.html")
    assert run().stdout.startswith("built dist/web/index.html")
