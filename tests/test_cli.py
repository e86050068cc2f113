"""The `course` command as a trainer types it: what each command prints, writes and exits with."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder import __version__
from builder.cli import main
from builder.schema import SCHEMA_KINDS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"
PLAIN = FIXTURES / "themes" / "plain"
DEFAULT_TEMPLATE = ROOT / "themes" / "default" / "templates" / "course.html"

needs_default_theme = pytest.mark.skipif(
    not DEFAULT_TEMPLATE.is_file(),
    reason="the default theme has no templates/course.html yet, so courses using it cannot build")

SUMMARY = re.compile(r"^(?P<pages>\d+) pages, (?P<quizzes>\d+) quizzes, (?P<scenarios>\d+) scenarios?, "
                     r"(?P<terms>\d+) terms, \d+ instruments in (?P<seconds>\d+\.\d\d) s$")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trainer's folder holding the tiny course as course_src/ (its theme two folders up), as cwd."""
    folder = tmp_path / "project"
    shutil.copytree(TINY, folder / "course_src")
    shutil.copytree(PLAIN, tmp_path / "themes" / "plain")
    monkeypatch.chdir(folder)
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean_exit(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# --- build -----------------------------------------------------------------------------------------

def test_build_defaults_to_course_src_and_dist(project: Path) -> None:
    result = run("build")
    assert_clean_exit(result, 0)
    assert (project / "dist" / "web" / "index.html").is_file()
    assert result.stderr == ""


def test_build_prints_one_summary_line(project: Path) -> None:
    result = run("build", "course_src", "--out", "site")
    assert_clean_exit(result, 0)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    prefix = "built site/web/index.html: "
    assert lines[0].startswith(prefix)
    summary = SUMMARY.match(lines[0][len(prefix):])
    assert summary, lines[0]
    assert (summary["pages"], summary["quizzes"], summary["scenarios"], summary["terms"]) == ("5", "2", "1", "2")
    assert float(summary["seconds"]) < 60
    assert (project / "site" / "web" / "index.html").is_file()


def test_build_prints_warnings_to_stderr_and_still_builds(project: Path) -> None:
    intro = project / "course_src" / "modules" / "01-basics" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("![A small diagram]", "![]"), encoding="utf-8")
    result = run("build")
    assert_clean_exit(result, 0)
    assert result.stderr.splitlines() == [
        "course_src/modules/01-basics/01-intro.md:16:1: warning: image has no alt text "
        "(describe the image in ![...])"]
    assert result.stdout.startswith("built dist/web/index.html: 5 pages")


def test_build_strict_refuses_warnings_and_writes_nothing(project: Path) -> None:
    intro = project / "course_src" / "modules" / "01-basics" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("![A small diagram]", "![]"), encoding="utf-8")
    result = run("build", "--strict")
    assert_clean_exit(result, 1)
    assert result.stderr.splitlines() == [
        "course_src/modules/01-basics/01-intro.md:16:1: error: image has no alt text "
        "(describe the image in ![...])",
        "build failed: 1 error; nothing was written"]
    assert not (project / "dist").exists()


def test_build_with_errors_exits_1_and_writes_nothing(project: Path) -> None:
    quiz = project / "course_src" / "modules" / "02-practice" / "02-final.quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("draw: 2", "draw: 9"), encoding="utf-8")
    result = run("build")
    assert_clean_exit(result, 1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "course_src/modules/02-practice/02-final.quiz.yaml:6:7: error: draw is 9 but the quiz has only 3 "
        "questions (lower draw or add questions to the pool)",
        "build failed: 1 error; nothing was written"]
    assert not (project / "dist").exists()


def test_build_refuses_an_out_that_is_a_file(project: Path) -> None:
    (project / "dist").write_text("not a folder", encoding="utf-8")
    assert_refused_naming(run("build"), "dist")
    assert (project / "dist").read_text(encoding="utf-8") == "not a folder"


def test_build_of_a_missing_source_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", "no-such-course")
    assert_clean_exit(result, 1)
    assert result.stderr.splitlines() == [
        "no-such-course:1:1: error: course folder not found "
        "(give the folder that holds course.yaml, or run 'course new DIR' to start one)",
        "build failed: 1 error; nothing was written"]
    assert list(tmp_path.iterdir()) == []


def test_build_without_course_src_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert_clean_exit(result, 1)
    assert result.stderr.startswith("course_src:1:1: error: course folder not found (")
    assert list(tmp_path.iterdir()) == []


# --- check -----------------------------------------------------------------------------------------

def test_check_exits_0_on_a_good_course(project: Path) -> None:
    result = run("check")
    assert_clean_exit(result, 0)
    assert result.stdout.startswith("course_src: no errors (5 pages, 2 quizzes, 1 scenario, 2 terms, ")
    assert not (project / "dist").exists()


def test_check_exits_1_on_a_broken_course(project: Path) -> None:
    glossary = project / "course_src" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("  definition: Passing", "  definiton: Passing"),
                        encoding="utf-8")
    result = run("check", "course_src")
    assert_clean_exit(result, 1)
    assert result.stderr.splitlines() == [
        "course_src/glossary.yaml:7:3: error: unknown key 'definiton' in glossary term (did you mean 'definition'?)",
        "build failed: 1 error; nothing was written"]


def test_python_dash_m_runs_the_same_command(project: Path) -> None:
    """`python -m builder.cli check` checks the course and exits as `course check` does."""
    good = subprocess.run([sys.executable, "-m", "builder.cli", "check", "course_src"],
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("course_src: no errors (5 pages, 2 quizzes, 1 scenario, 2 terms, ")
    glossary = project / "course_src" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("  definition: Passing", "  definiton: Passing"),
                        encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "builder.cli", "check", "course_src"],
                            capture_output=True, text=True, check=False)
    assert broken.returncode == 1
    assert "glossary.yaml:7:3: error: unknown key 'definiton'" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_check_of_a_missing_source_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check", "nowhere")
    assert_clean_exit(result, 1)
    assert "nowhere:1:1: error: course folder not found" in result.stderr


def test_check_of_a_file_instead_of_a_folder_is_a_clear_error(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "course.yaml").write_text("id: x\ntitle: X\n", encoding="utf-8")
    result = run("check", "course.yaml")
    assert_clean_exit(result, 1)
    assert "course.yaml:1:1: error: course folder not found" in result.stderr


# --- new -------------------------------------------------------------------------------------------

def test_new_creates_a_course(tmp_path: Path) -> None:
    target = tmp_path / "my-course"
    result = run("new", str(target))
    assert_clean_exit(result, 0)
    assert result.stdout.startswith(f"created {target}")
    for name in ("course.yaml", "glossary.yaml", "frameworks.yaml"):
        assert (target / name).is_file(), name
    kinds = {p.name.split(".", 1)[1] for p in (target / "modules").rglob("*") if p.is_file()
             and p.name != "module.yaml"}
    assert kinds == {"md", "quiz.yaml", "scenario.yaml"}, "the starter shows every page kind"
    assert not list(target.rglob("__pycache__"))


def test_new_fills_an_existing_empty_folder(tmp_path: Path) -> None:
    result = run("new", str(tmp_path))
    assert_clean_exit(result, 0)
    assert (tmp_path / "course.yaml").is_file()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes", encoding="utf-8")
    result = run("new", str(tmp_path))
    assert_clean_exit(result, 1)
    assert result.stderr == f"Error: {tmp_path} is not empty: choose a new folder for the course\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "my notes"


def assert_refused_naming(result: Result, name: str) -> None:
    """A trainer's mistake on the command line: exit 1, a message naming the path, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"crashed: {result.exception!r}"
    assert result.stderr.startswith("Error: ") and name in result.stderr, result.stderr


def test_new_refuses_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("my notes", encoding="utf-8")
    assert_refused_naming(run("new", "notes.txt"), "notes.txt")
    assert Path("notes.txt").read_text(encoding="utf-8") == "my notes"


@needs_default_theme
def test_new_course_builds_and_passes_check_strict(tmp_path: Path) -> None:
    target = tmp_path / "my-course"
    assert_clean_exit(run("new", str(target)), 0)
    checked = run("check", str(target), "--strict")
    assert_clean_exit(checked, 0)
    assert "warning" not in checked.output
    built = run("build", str(target), "--out", str(tmp_path / "dist"))
    assert_clean_exit(built, 0)
    assert SUMMARY.match(built.stdout.strip().split(": ", 1)[1])
    assert (tmp_path / "dist" / "web" / "index.html").is_file()


# --- schema and version ----------------------------------------------------------------------------

def test_schema_writes_every_schema(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    result = run("schema", str(target))
    assert_clean_exit(result, 0)
    assert result.stdout.startswith(f"wrote {len(SCHEMA_KINDS)} schemas to {target}")
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{k}.schema.json" for k in SCHEMA_KINDS)
    for kind in ("course", "module", "lesson", "quiz", "scenario", "glossary", "frameworks"):
        schema = json.loads((target / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "urn:coursewright" not in json.dumps(schema.get("$defs", {})), "schemas must stand alone"


def test_schema_refuses_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("schemas").write_text("not a folder", encoding="utf-8")
    assert_refused_naming(run("schema", "schemas"), "schemas")


def test_version() -> None:
    result = run("--version")
    assert_clean_exit(result, 0)
    assert result.stdout == f"course, version {__version__}\n"


def _course_process(*args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    """The installed `course` script's entry point, in a process of its own."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", "from builder.cli import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_the_command_exits_with_its_status_and_all_its_output(tmp_path: Path) -> None:
    built = _course_process("build", str(TINY), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"built {tmp_path / 'out' / 'web' / 'index.html'}: ")
    assert (tmp_path / "out" / "web" / "index.html").is_file()

    failed = _course_process("check", str(tmp_path / "missing"), cwd=tmp_path)
    assert failed.returncode == 1
    assert "course folder not found" in failed.stderr
    assert "Traceback" not in failed.stderr

    usage = _course_process("build", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2
    assert "No such option '--no-such-option'" in usage.stderr
