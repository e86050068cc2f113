"""Fixtures shared by the tests: paths, the built sample course, and guarded Chromium pages.

Browser tests ask for ``page`` (a Playwright page in a fresh context) and ``guard`` (its
``PageGuard``: console errors, uncaught exceptions and outside requests, the latter aborted), or
for ``new_page`` to open pages with their own context options (``java_script_enabled=False``,
``allow_origins=("http://127.0.0.1:8123",)``). Each xdist worker launches its own browser.
"""
from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from browser import NPM_MISSING, GuardedPage, PageGuard, launch_chromium, open_guarded_page

REPO_ROOT = Path(__file__).resolve().parent.parent


def _missing_tool(reason: str) -> NoReturn:
    """Skip when a tool is missing, except under CI, where ``.ci/run`` has installed everything."""
    __tracebackhide__ = True
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    """Builds remember their pages in the user's cache folder: the suite's go to a folder of its own
    (subprocesses too), never into the home of whoever runs it."""
    if "COURSEWRIGHT_TEST_CACHE" not in os.environ:
        import tempfile

        # Ralph's virtualenv stays where .ci/run installed it, in the real cache folder.
        from lrs.ralph_lrs import ralph_venv
        os.environ.setdefault("COURSEWRIGHT_RALPH_VENV", str(ralph_venv()))

        folder = tempfile.mkdtemp(prefix="coursewright-tests-")
        os.environ["COURSEWRIGHT_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium, so ``-m 'not browser'`` leaves them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir(repo_root: Path) -> Path:
    """``../shared`` beside the repository (design notes, SCORM schemas); it may be absent."""
    return repo_root.parent / "shared"


@pytest.fixture(scope="session")
def js_modules(repo_root: Path) -> Path:
    """``tests/js/node_modules``: scorm-again and axe-core, installed by ``npm ci``."""
    path = repo_root / "tests" / "js" / "node_modules"
    if not path.is_dir():
        _missing_tool(NPM_MISSING)
    return path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        _missing_tool("Debian's chromium is not installed; .ci/run installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., GuardedPage]]:
    """Open guarded pages, each in a new context: ``new_page(allow_origins=(), **context_options)``."""
    opened: list[GuardedPage] = []

    def open_page(*, allow_origins: tuple[str, ...] = (), **context_options: Any) -> GuardedPage:
        guarded = open_guarded_page(browser, allow_origins=allow_origins, **context_options)
        opened.append(guarded)
        return guarded

    yield open_page
    for guarded in opened:
        guarded.context.close()


@pytest.fixture
def guarded_page(new_page: Callable[..., GuardedPage]) -> GuardedPage:
    return new_page()


@pytest.fixture
def page(guarded_page: GuardedPage) -> Page:
    return guarded_page.page


@pytest.fixture
def guard(guarded_page: GuardedPage) -> PageGuard:
    """The guard of ``page``: call ``guard.assert_clean()`` once the page has done its work."""
    return guarded_page.guard


@pytest.fixture(scope="session")
def sample_report(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample course built once per session (per xdist worker): the build's report (a
    ``builder.build.BuildReport``). Its dist folder is ``built_course``; nothing may write into it:
    packages and editions made from it go to folders of their own."""
    try:
        from builder.build import build
    except ModuleNotFoundError as error:
        if error.name != "builder.build":
            raise
        pytest.skip("builder.build does not exist yet: the sample course cannot be built")
    source = repo_root / "course_src"
    if not source.is_dir():
        pytest.skip("the sample course course_src/ does not exist yet")
    return build(source, tmp_path_factory.mktemp("built-course") / "dist")


@pytest.fixture(scope="session")
def built_course(sample_report: Any) -> Path:
    """The sample course built once per session (per xdist worker); the dist root.

    The web course is ``built_course / "web" / "index.html"``.
    """
    return sample_report.web_dir.parent


def build_with_theme(source: Path, out: Path, theme: str) -> Path:
    """The sample course (every language) built again with another theme; the dist root."""
    from builder.build import build

    copy = out.parent / f"course-src-{theme}"
    shutil.copytree(source, copy)
    for course_yaml in [copy / "course.yaml", *copy.glob("translations/*/course.yaml")]:
        text = course_yaml.read_text(encoding="utf-8")
        text, count = re.subn(r"(?m)^theme:.*$", f"theme: {theme}", text)
        if not count:
            text += f"\ntheme: {theme}\n"
        course_yaml.write_text(text, encoding="utf-8")
    build(copy, out)
    return out


# Session fixtures live here, not in a test module: a fixture imported into several modules is made
# once per module that imports it.
@pytest.fixture(scope="session")
def civic_course(built_course: Path, repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course in the civic theme (``built_course`` first: it skips when nothing builds)."""
    return build_with_theme(repo_root / "course_src", tmp_path_factory.mktemp("civic") / "dist", "civic")


@pytest.fixture(scope="session")
def courses(built_course: Path, civic_course: Path) -> dict[str, Path]:
    """The sample course's dist root in each theme: {"default": ..., "civic": ...}."""
    return {"default": built_course, "civic": civic_course}


@pytest.fixture(scope="session")
def scorm_packages(sample_report: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample course packaged in SCORM 1.2 and 2004 and unzipped: {"1.2": folder, "2004":
    folder, "course": Course}. Nothing may write into them."""
    from builder.scorm import write_packages

    out = tmp_path_factory.mktemp("scorm-packages")
    report = sample_report
    found: dict[str, Any] = {"course": report.course}
    versions = ["1.2", "2004"]
    for version, path in zip(versions, write_packages(report.course, report.web_dir, out / "zips", versions)):
        folder = out / {"1.2": "scorm12", "2004": "scorm2004"}[version]
        with zipfile.ZipFile(path) as zf:
            zf.extractall(folder)
        found[version] = folder
    return found


@pytest.fixture(scope="session")
def single_files(repo_root: Path, sample_report: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course's single-file editions, written once per session: language → file."""
    from builder.singlefile import edition_name, single_file_editions

    source = repo_root / "course_src"
    out = tmp_path_factory.mktemp("single-files")
    report = sample_report
    course = report.course
    editions, issues = single_file_editions(report.site, course.id, course.version, course.language, source.resolve())
    assert issues == [], issues
    files = {}
    for language in [course.language, *course.translations]:
        name = edition_name(course.id, course.version, None if language == course.language else language)
        files[language] = out / name
        files[language].write_bytes(editions[name])
    return files
