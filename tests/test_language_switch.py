"""Switching language as a learner does, in every edition: the picker keeps the page and the progress.

In an LMS (scorm-again, framed by an http host page) the package with every language launches
`launch.html`, which owns the one LMS session: Initialize and Terminate reach the LMS once however
often the learner switches, and the language they chose comes back when they resume.
"""
from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame

from browser import GuardedPage, file_url
from lms.server import serve
from lms.session import LMS_DIR, LmsSession, open_lms

VERSIONS = ["1.2", "2004"]
SUFFIX = {"1.2": "scorm12", "2004": "scorm2004"}
RUNNING = "() => !!(window.Coursewright && Coursewright.app && Coursewright.nav !== undefined)"
INNER_READY = ("() => { const f = document.getElementById('course');"
               " try { const w = f.contentWindow; return !!(w.Coursewright && w.Coursewright.app"
               " && w.document.documentElement.classList.contains('is-ready')); } catch (e) { return false; } }")


@pytest.fixture(scope="module")
def packages(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample course with all its languages, packaged as `course package` does, unzipped."""
    from builder.build import build
    from builder.scorm import write_packages

    out = tmp_path_factory.mktemp("language-packages")
    from builder.documents import write_editions

    report = build(repo_root / "course_src", out / "dist")
    found: dict[str, Any] = {"web": report.web_dir, "languages": [report.course.language, *report.course.translations]}
    single = write_editions(report, repo_root / "course_src", out / "dist", single_file=True)
    found["single"] = {path.name: path for path in single}
    for version, path in zip(VERSIONS, write_packages(report.course, report.web_dir, out / "zips", VERSIONS,
                                                      shell=True)):
        folder = out / SUFFIX[version]
        with zipfile.ZipFile(path) as zf:
            zf.extractall(folder)
            found[f"manifest-{version}"] = zf.read("imsmanifest.xml").decode("utf-8")
        found[version] = folder
    return found


@pytest.fixture(scope="module")
def origin(packages: dict[str, Any], js_modules: Path) -> Iterator[str]:
    routes = {"/lms/": LMS_DIR, "/vendor/": js_modules / "scorm-again" / "dist", "/web/": packages["web"]}
    routes.update({f"/{SUFFIX[v]}/": packages[v] for v in VERSIONS})
    with serve(routes) as url:
        yield url


def launch_of(version: str) -> str:
    """The launch page as the LMS opens it: the manifest's href and its parameters."""
    return f"/{SUFFIX[version]}/launch.html?scorm={version}"


def course_frame(session: LmsSession) -> Frame:
    """The course inside the launch page's frame (the launch page framed by the LMS, or in its own window)."""
    shell = session.course
    shell.wait_for_function(INNER_READY)
    return (shell if isinstance(shell, Frame) else shell.main_frame).child_frames[0]


def pick(frame: Frame, name: str) -> None:
    """Open the picker with the keyboard and follow a language by its own name."""
    summary = frame.locator(".language-picker summary")
    summary.focus()
    summary.press("Enter")
    link = frame.get_by_role("link", name=name, exact=True)
    assert link.is_visible()
    link.press("Enter")


def progress_of(frame: Frame) -> dict[str, Any]:
    return frame.evaluate("() => ({lang: document.documentElement.lang, hash: location.hash,"
                          " visited: Coursewright.app.state.visited.slice().sort(),"
                          " done: Coursewright.app.summary.pagesDone})")


@pytest.mark.parametrize("moodle", [False, True], ids=["scorm-again", "moodle-like"])
@pytest.mark.parametrize("version", VERSIONS)
def test_switching_language_in_the_lms_keeps_one_session_the_page_and_the_progress(
        new_page: Callable[..., GuardedPage], origin: str, packages: dict[str, Any], version: str,
        moodle: bool) -> None:
    assert 'href="launch.html"' in packages[f"manifest-{version}"]
    session = open_lms(new_page, origin, version, launch_of(version), ready=INNER_READY,
                       moodle=moodle)
    el = session.el
    english = course_frame(session)
    pages = english.evaluate("() => Coursewright.app.course.pages.map(p => p.id)")
    visit(english, pages[:4])
    before = progress_of(english)
    assert set(pages[:3]) <= set(before["visited"])
    with english.expect_navigation():
        pick(english, "Español")
    spanish = course_frame(session)
    spanish.wait_for_function("() => document.documentElement.lang === 'es' && document.documentElement.classList.contains('is-ready')")
    after = progress_of(spanish)
    assert after["hash"] == before["hash"] == f"#/{pages[3]}"
    assert spanish.url.split("#")[0].endswith(f"/es/index.html?scorm={version}")  # the launch parameter goes along
    assert set(before["visited"]) <= set(after["visited"]) and after["done"] >= before["done"] > 0
    # The launch page takes the course's language once the course in its frame has loaded.
    session.page.wait_for_function("() => document.getElementById('course').contentDocument.documentElement.lang === 'es'")
    visit(spanish, pages[4:6])
    last = progress_of(spanish)["visited"]
    assert set(after["visited"]) <= set(last)
    assert session.count(el["init"]) == 1 and session.count(el["finish"]) == 0

    session.page.evaluate("() => { lms.unloading = true; document.getElementById('course').src = 'about:blank'; }")
    session.page.wait_for_function("() => lms.count(lms.version === '1.2' ? 'LMSFinish' : 'Terminate') > 0")
    assert session.count(el["init"]) == 1 and session.count(el["finish"]) == 1
    assert all(c["result"] == "true" for c in session.calls() if c["name"] in (el["init"], el["finish"]))
    saved = session.saved_attempt()
    assert saved[el["location"]] == pages[5] and saved[el["entry"]] == "resume"
    if moodle:  # what the LMS kept is what its last commit or beacon sent
        kept = session.page.evaluate("() => lms.server")
        assert kept is not None and session.page.evaluate("() => lms.beacons.dropped") == 0
    session.guarded.guard.assert_clean()
    session.guarded.context.close()

    again = open_lms(new_page, origin, version, launch_of(version), preload=saved, ready=INNER_READY,
                     moodle=moodle)
    frame = course_frame(again)
    frame.wait_for_function("() => document.documentElement.lang === 'es' && document.documentElement.classList.contains('is-ready')")
    back = progress_of(course_frame(again))
    assert back["lang"] == "es" and back["hash"] == f"#/{pages[5]}"
    assert set(last) <= set(back["visited"])
    assert again.count(el["init"]) == 1 and again.count(el["finish"]) == 0
    again.guarded.guard.assert_clean()


def visit(page: Any, ids: list[str]) -> None:
    """Show each page in turn, as a learner reading on does."""
    for page_id in ids:
        page.evaluate("(id) => { location.hash = '#/' + id; }", page_id)
        page.wait_for_function("(id) => Coursewright.app.state.location === id", arg=page_id)


def ready(page: Any) -> None:
    page.wait_for_function("() => document.documentElement.classList.contains('is-ready')")


@pytest.mark.parametrize("edition", ["web", "served", "single file"])
def test_the_picker_keeps_the_page_and_the_progress_and_the_language_comes_back(
        new_page: Callable[..., GuardedPage], origin: str, packages: dict[str, Any], edition: str) -> None:
    guarded = new_page(allow_origins=(origin,))
    page = guarded.page
    single = sorted(packages["single"])
    start = {"web": file_url(packages["web"] / "index.html"), "served": f"{origin}/web/index.html",
             "single file": file_url(packages["single"]["ct-consular-1.0.0.html"])}[edition]
    page.goto(start)
    ready(page)
    pages = page.evaluate("() => Coursewright.app.course.pages.map(p => p.id)")
    visit(page, pages[:3])
    names = page.locator(".language-link").evaluate_all(
        "links => links.map(a => [a.lang, a.textContent.trim(), a.querySelector('[dir]').dir])")
    assert names == [["en", "English", "ltr"], ["es", "Español", "ltr"], ["ar", "العربية", "rtl"], ["fa", "فارسی", "rtl"]]
    with page.expect_navigation():
        pick(page.main_frame, "العربية")
    ready(page)
    expected = {"web": "/ar/index.html", "served": "/ar/index.html", "single file": "ct-consular-1.0.0-ar.html"}
    assert page.url.endswith(f"{expected[edition]}#/{pages[2]}"), (page.url, single)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert set(pages[:2]) <= set(page.evaluate("() => Coursewright.app.state.visited"))
    current = page.locator(".language-link[aria-current]")
    assert current.get_attribute("lang") == "ar"
    # Back later, by the first address: the course opens in the language chosen, where the learner was.
    page.goto(start)
    page.wait_for_url(f"**{expected[edition]}#/{pages[2]}")
    ready(page)
    assert page.evaluate("() => document.documentElement.lang") == "ar"
    guarded.guard.assert_clean()


def test_not_you_starts_fresh_on_a_shared_computer(new_page: Callable[..., GuardedPage],
                                                  packages: dict[str, Any]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(packages["web"] / "index.html"))
    ready(page)
    pages = page.evaluate("() => Coursewright.app.course.pages.map(p => p.id)")
    visit(page, pages[:3])
    page.goto("about:blank")
    page.goto(file_url(packages["web"] / "index.html"))  # the next learner opens the course
    ready(page)
    resume = page.locator("#resume")
    assert resume.is_visible()
    not_you = resume.get_by_role("button", name="Not you? Start fresh")
    not_you.click()
    dialog = page.locator("#reset-dialog")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => Coursewright.app.state.visited.length <= 1")
    assert not resume.is_visible()
    page.goto("about:blank")
    page.goto(file_url(packages["web"] / "index.html"))
    ready(page)
    assert not page.locator("#resume").is_visible()
    assert page.evaluate("() => location.hash") == f"#/{pages[0]}"
    guarded.guard.assert_clean()


def test_the_course_subtitle_and_description_greet_the_learner_on_the_first_page(
        new_page: Callable[..., GuardedPage], packages: dict[str, Any]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(packages["web"] / "es/index.html"))
    ready(page)
    intro = page.locator("#course-intro")
    assert intro.is_visible()
    subtitle = page.evaluate("() => document.querySelector('.course-subtitle').textContent")
    assert subtitle and subtitle in page.locator("main").inner_text()
    assert intro.locator(".course-description").inner_text().strip()
    pages = page.evaluate("() => Coursewright.app.course.pages.map(p => p.id)")
    visit(page, pages[1:2])
    assert not intro.is_visible()
    visit(page, pages[:1])
    assert intro.is_visible()
    guarded.guard.assert_clean()


def test_the_picker_works_with_javascript_off(new_page: Callable[..., GuardedPage], packages: dict[str, Any]) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(file_url(packages["web"] / "index.html"))
    page.locator(".language-picker summary").click()
    link = page.get_by_role("link", name="Español", exact=True)
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/es/index.html")
    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert page.locator(".course-subtitle").is_visible()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_launch_page_in_a_window_of_its_own_keeps_one_session(
        new_page: Callable[..., GuardedPage], origin: str, version: str) -> None:
    session = open_lms(new_page, origin, version, launch_of(version), ready=INNER_READY, window=True)
    el = session.el
    english = course_frame(session)
    pages = english.evaluate("() => Coursewright.app.course.pages.map(p => p.id)")
    visit(english, pages[:2])
    with english.expect_navigation():
        pick(english, "العربية")
    arabic = course_frame(session)
    arabic.wait_for_function("() => document.documentElement.lang === 'ar' && document.documentElement.classList.contains('is-ready')")
    assert arabic.evaluate("() => location.hash") == f"#/{pages[1]}"
    session.course.close(run_before_unload=True)
    session.page.wait_for_function("() => lms.count(lms.version === '1.2' ? 'LMSFinish' : 'Terminate') > 0")
    assert session.count(el["init"]) == 1 and session.count(el["finish"]) == 1
    assert session.values()[el["location"]] == pages[1]
