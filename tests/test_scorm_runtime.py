"""The packaged sample course in a real SCORM runtime (scorm-again) framed by an http LMS page.

Both packages are built and unzipped; a scripted learner (tests/lms/learner.js) goes through the
course in headless Chromium while the test reads what the LMS recorded.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import webcourse
from browser import GuardedPage
from lms.server import serve
from lms.session import LMS_DIR, SESSION_TIME, LmsSession, open_lms

VERSIONS = ["1.2", "2004"]
READY = "() => !!(window.Coursewright && Coursewright.app && Coursewright.app.tracker)"
SUFFIX = {"1.2": "scorm12", "2004": "scorm2004"}


@pytest.fixture(scope="module")
def packages(scorm_packages: dict[str, Any]) -> dict[str, Any]:
    """The sample course packaged in both versions and unzipped: {version: folder, "course": Course}
    (conftest's ``scorm_packages``, made once per session)."""
    return scorm_packages


@pytest.fixture(scope="module")
def origin(packages: dict[str, Any], js_modules: Path) -> Iterator[str]:
    routes = {"/lms/": LMS_DIR, "/vendor/": js_modules / "scorm-again" / "dist"}
    routes.update({f"/{SUFFIX[v]}/": packages[v] for v in VERSIONS})
    with serve(routes) as url:
        yield url


@pytest.fixture
def lms(new_page: Callable[..., GuardedPage], origin: str) -> Callable[..., LmsSession]:
    def open_course(version: str, **options: Any) -> LmsSession:
        session = open_lms(new_page, origin, version, f"/{SUFFIX[version]}/index.html", ready=READY, **options)
        session.course.add_script_tag(path=str(LMS_DIR / "learner.js"))
        return session
    return open_course


def leave(session: LmsSession) -> None:
    """The learner closes the course: the LMS unloads its frame (pagehide in the course)."""
    session.page.evaluate("() => { document.getElementById('course').src = 'about:blank'; }")
    session.page.wait_for_function(
        "() => document.getElementById('course').contentWindow.location.href === 'about:blank'")


def recorded_interactions(values: dict[str, str]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        match = re.match(r"cmi\.interactions\.(\d+)\.(.+)$", key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = value
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_passes(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    answered = session.course.evaluate("() => learner.course(true)")
    assert session.course.evaluate("() => Coursewright.app.summary.completed") is True
    values, el = session.values(), session.el
    if version == "1.2":
        assert values[el["status"]] == "passed"
    else:
        assert (values[el["status"]], values[el["success"]]) == ("completed", "passed")
        # The sample course passes on each assessment, not on a score threshold: no measure to judge.
        assert el["scaled"] not in values
    assert (values[el["raw"]], values[el["min"]], values[el["max"]]) == ("100", "0", "100")
    interactions = recorded_interactions(values)
    assert len(interactions) == answered > 0
    for record in interactions.values():
        assert record["result"] == "correct"
        assert record["type"] in ("choice", "true-false", "fill-in", "matching", "sequencing")
        assert record["id"] and record["correct_responses.0.pattern"] is not None
        assert ("time" if version == "1.2" else "timestamp") in record
    assert {r["type"] for r in interactions.values()} >= {"choice"}
    leave(session)
    assert session.count(el["init"]) == 1 and session.count(el["finish"]) == 1
    values = session.values()
    assert values[el["exit"]] == ("" if version == "1.2" else "normal")
    assert re.match(SESSION_TIME[version], values[el["session_time"]])
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_fails_once_no_attempt_is_left(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    session.course.evaluate("() => learner.course(false)")
    values, el = session.values(), session.el
    assert values.get(el.get("success", el["status"])) != "failed", "attempts are left: not failed yet"
    assert el["raw"] not in values
    final = session.course.evaluate(
        "() => Coursewright.app.course.pages.filter(p => p.kind === 'quiz').pop().id")
    for _ in range(2):
        session.course.evaluate("(id) => learner.quiz(id, false)", final)
    values = session.values()
    status = values[el["status"]] if version == "1.2" else values[el["success"]]
    assert status == "failed"
    assert float(values[el["raw"]]) < 70
    results = [r["result"] for r in recorded_interactions(values).values()]
    assert results.count("wrong" if version == "1.2" else "incorrect") > len(results) / 2
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_leaves_and_resumes_from_the_lms(lms: Callable[..., LmsSession], version: str) -> None:
    first = lms(version)
    pages = first.course.evaluate("() => Coursewright.app.course.pages.map(p => [p.id, p.kind])")
    quiz = next(i for i, (_, kind) in enumerate(pages) if kind == "quiz")
    stop = pages[quiz + 1][0]
    first.course.evaluate("(stop) => learner.course(true, stop)", stop)
    before = first.course.evaluate("() => Coursewright.app.summary.pagesDone")
    leave(first)
    saved_values, el = first.values(), first.el
    assert saved_values[el["exit"]] == "suspend"
    assert first.count(el["finish"]) == 1
    assert saved_values[el["location"]] == stop
    preload = {el["suspend"]: saved_values[el["suspend"]], el["location"]: stop, el["entry"]: "resume"}
    first.guarded.context.close()
    second = lms(version, preload=preload)
    resume = second.course.locator("#resume")
    assert resume.is_visible()
    resume.locator('[data-action="resume"]').click()
    second.course.wait_for_function(f"() => location.hash === '#/{stop}'")
    state = second.course.evaluate("() => Coursewright.app.summary.pagesDone")
    assert state == before
    assert second.course.evaluate(f"() => Coursewright.app.state.quizzes['{pages[quiz][0]}'].submitted") is True
    second.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_bookmark_in_the_last_module_resumes_there(lms: Callable[..., LmsSession], version: str) -> None:
    """index.html lists the first module's pages only: a learner who stopped in the last module is
    offered that page, sees the module's progress on the landing, and comes back to it."""
    first = lms(version)
    module = first.course.evaluate("() => Coursewright.app.course.modules.filter("
                                   "m => m.pages.length > 1 && Coursewright.app.pages[m.pages[0]].kind === 'lesson').pop()")
    assert module["id"] != first.course.evaluate("() => Coursewright.app.course.modules[0].id")
    read, stop = module["pages"][0], module["pages"][1]
    for target in (read, stop):  # moving on from the first counts it read
        first.course.evaluate("(id) => { location.hash = '#/' + id; }", target)
        first.course.wait_for_function(
            f"() => !!document.querySelector(\"section.is-current[data-page='{target}']\")")
    title = first.course.evaluate(f"() => Coursewright.app.pages['{stop}'].title")
    leave(first)
    saved_values, el = first.values(), first.el
    assert saved_values[el["location"]] == stop
    preload = {el["suspend"]: saved_values[el["suspend"]], el["location"]: stop, el["entry"]: "resume"}
    first.guarded.context.close()
    second = lms(version, preload=preload)
    resume = second.course.locator("#resume")
    assert resume.is_visible()
    assert title in resume.locator(".resume-text").text_content()
    status = second.course.locator(f".landing-module[data-module='{module['id']}'] .landing-module-status")
    assert status.text_content() == f"1 of {len(module['pages'])} done"
    resume.locator('[data-action="resume"]').click()
    second.course.wait_for_function(f"() => location.hash === '#/{stop}'")
    heading = second.course.locator(f"section.is-current[data-page='{stop}'] .page-title")
    heading.wait_for(state="visible")
    second.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("fail", ["reject", "throw"])
def test_an_lms_that_rejects_or_throws_does_not_break_the_course(
    lms: Callable[..., LmsSession], version: str, fail: str
) -> None:
    session = lms(version, fail=fail)
    session.course.evaluate("() => learner.course(true)")
    assert session.course.evaluate("() => Coursewright.app.summary.completed") is True
    key = f"coursewright:ct-consular:1.0.0:{SUFFIX[version]}"
    kept = session.course.evaluate(f"() => JSON.parse(localStorage.getItem('{key}'))")
    assert kept and kept["state"]["visited"]
    assert session.page.evaluate("() => lms.rejected") > 0
    leave(session)
    session.guarded.guard.assert_clean()  # warnings only, no console error or exception


@pytest.mark.parametrize("version", VERSIONS)
def test_opened_in_a_new_window(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version, window=True)
    session.course.evaluate("() => learner.course(true)")
    values, el = session.values(), session.el
    assert values[el["raw"]] == "100"
    session.course.close(run_before_unload=True)
    session.page.wait_for_function("() => lms.calls.some(c => /Finish|Terminate/.test(c.name))")
    assert session.count(el["finish"]) == 1
    assert re.match(SESSION_TIME[version], session.values()[el["session_time"]])
    session.guarded.guard.assert_clean()


def test_the_theme_fonts_load_from_the_package(lms: Callable[..., LmsSession]) -> None:
    """Served from an LMS sub-path, the course's fonts come from the package's assets/fonts/."""
    session = lms("2004")
    session.course.evaluate("() => document.fonts.ready.then(() => true)")
    loaded = session.course.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))")
    assert "IBM Plex Sans" in loaded, loaded
    failed = session.course.evaluate("() => [...document.fonts].filter(f => f.status === 'error').length")
    assert failed == 0
    leave(session)


# The sample course's categorisation and hotspot questions, as each version must record them: the
# items matched to their groups (a matching), the areas chosen (a choice).
SORT_KEY, SPOT_KEY = "understanding-trafficking/check/sort-features", "indicators-and-identification/check/hallway-signs"
NEW_TYPES = {
    "1.2": {SORT_KEY: ("matching", "a.a,b.b,c.a,d.a,e.b,f.c"), SPOT_KEY: ("choice", "a,c")},
    "2004": {SORT_KEY: ("matching", "a[.]a[,]b[.]b[,]c[.]a[,]d[.]a[,]e[.]b[,]f[.]c"), SPOT_KEY: ("choice", "a[,]c")},
}
WRONG = {"1.2": {SORT_KEY: "a.b,b.c,c.b,d.b,e.c,f.a", SPOT_KEY: "b"},
         "2004": {SORT_KEY: "a[.]b[,]b[.]c[,]c[.]b[,]d[.]b[,]e[.]c[,]f[.]a", SPOT_KEY: "b"}}


@pytest.mark.parametrize("version", VERSIONS)
def test_categorisation_and_hotspot_answers_reach_the_lms(lms: Callable[..., LmsSession], version: str) -> None:
    """scorm-again accepts both as the version's interaction types and patterns, right and wrong (what
    it refuses, it does not store)."""
    session = lms(version)
    for right in (False, True):
        for key in NEW_TYPES[version]:
            session.course.evaluate("([id, right]) => learner.quiz(id, right)", [key.rpartition("/")[0], right])
        found = {r["id"]: r for r in recorded_interactions(session.values()).values()}
        response = "student_response" if version == "1.2" else "learner_response"
        for key, (kind, pattern) in NEW_TYPES[version].items():
            record = found[key]
            assert record["type"] == kind
            assert record["correct_responses.0.pattern"] == pattern
            assert record[response] == (pattern if right else WRONG[version][key])
            assert record["result"] == ("correct" if right else "wrong" if version == "1.2" else "incorrect")
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_launch_at_a_glossary_entry_and_a_term_card_in_the_lms(
        new_page: Callable[..., GuardedPage], origin: str, packages: dict[str, Any], version: str) -> None:
    """The glossary is a script of its own (pages/glossary.js): launched at one of its entries, the
    course loads it from the package and shows the entry; a term in a lesson opens its card."""
    folder = Path(packages[version])
    term = re.search(r'id=\\"(g-[^"\\]+)\\"', (folder / "pages" / "glossary.js").read_text(encoding="utf-8"))[1]
    assert f'id="{term}"' not in (folder / "index.html").read_text(encoding="utf-8")
    session = open_lms(new_page, origin, version, f"/{SUFFIX[version]}/index.html#{term}", ready=READY)
    course = session.course
    course.wait_for_function("() => !!document.querySelector(\"section.is-current[data-page='glossary']\")")
    course.locator(f"[id='{term}']").wait_for(state="visible")
    assert course.evaluate(f"() => {{ const r = document.getElementById('{term}').getBoundingClientRect();"
                           " return r.top < innerHeight && r.bottom > 0; }")
    lesson = next(p["id"] for p in webcourse.course_data(folder)["pages"]
                  if "term-ref" in webcourse.page_script(folder / "pages" / f"{p['id']}.js")["html"])
    course.evaluate("(id) => { location.hash = '#/' + id; }", lesson)
    course.locator(f"section.is-current[data-page='{lesson}'] a.term-ref").first.click()
    course.locator(".ref-card").wait_for(state="visible")
    course.wait_for_function("() => document.activeElement.classList.contains('ref-card')")
    session.guarded.guard.assert_clean()
