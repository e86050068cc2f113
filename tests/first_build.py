"""The state a first `course build` of the sample course leaves, made once and copied into each test.

Tests of remembered builds start from a course that has been built once: its output folder and this
user's cache of rendered pages. Building the 4-language sample course takes seconds, so each test
module builds it once (`FirstBuild.make`) and each test gets a copy (`FirstBuild.copy_to`): the
course, the output folder (file times kept, as the record of the output holds them) and the user's
cache folder, its folder for the output renamed for the copy's path. That first build, into an empty
folder with an empty cache, is also the clean build that later builds of the unchanged course are
compared with.

The fixtures here (a module imports those it uses): `own_key`, a user cache folder of each test's
own; `first_build`, made once per module; `built`, the test's copy of it.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.diskcache import cache_folder
from test_build import tree_bytes

ROOT = Path(__file__).resolve().parent.parent


def course_build(course: Path, out: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["build", str(course), "--out", str(out), *args])
    assert result.exit_code == code, result.output
    return result.output


def assert_same_web(out: Path, expected: dict[str, bytes]) -> None:
    """out/web holds the files expected (relative name → bytes), no more, no fewer, each the same."""
    built = tree_bytes(out / "web")
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


@dataclass(frozen=True)
class FirstBuild:
    base: Path  # course_src/, dist/ and user-cache/ (XDG_CACHE_HOME) as the first build left them

    @classmethod
    def make(cls, base: Path, source: Path = ROOT / "course_src") -> FirstBuild:
        shutil.copytree(source, base / "course_src")
        before = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(base / "user-cache")
        try:
            course_build(base / "course_src", base / "dist")
        finally:
            if before is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = before
        return cls(base)

    def clean_web(self) -> dict[str, bytes]:
        """Every file of the clean build's web folder (the course unchanged)."""
        return tree_bytes(self.base / "dist" / "web")

    def copy_to(self, tmp_path: Path) -> tuple[Path, Path]:
        """The course and its output at tmp_path/course_src and tmp_path/dist, with the user cache at
        tmp_path/user-cache, which XDG_CACHE_HOME must name already."""
        assert os.environ.get("XDG_CACHE_HOME") == str(tmp_path / "user-cache")
        course, out = tmp_path / "course_src", tmp_path / "dist"
        shutil.copytree(self.base / "course_src", course)
        shutil.copytree(self.base / "dist", out)
        shutil.copytree(self.base / "user-cache", tmp_path / "user-cache")
        ours = cache_folder(out)
        (ours.parent / cache_folder(self.base / "dist").name).rename(ours)
        return course, out


def assert_same_as_fresh_build(course: Path, out: Path, tmp_path: Path) -> None:
    """out/web holds what a build of the course into a fresh folder writes."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    course_build(course, fresh)
    assert_same_web(out, tree_bytes(fresh / "web"))


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own user cache folder, hence its own key."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> FirstBuild:
    """The sample course built once for the module: where the tests of a later build start."""
    return FirstBuild.make(tmp_path_factory.mktemp("first-build"))


@pytest.fixture()
def built(first_build: FirstBuild, tmp_path: Path) -> tuple[Path, Path]:
    """This test's copy of the sample course and of its first build: (course, out)."""
    return first_build.copy_to(tmp_path)
