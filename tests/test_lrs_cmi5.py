"""The cmi5 package launched by a small cmi5 launcher, played in headless Chromium, reporting to a
real LRS (Ralph): the statements read back follow the cmi5 rules, pass an xAPI validator, and give
the verdict the SCORM 2004 package gives for the same learner; the offline queue loses nothing.
"""
from __future__ import annotations

import json
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from browser import WCAG_TAGS, GuardedPage, axe, format_violations
from lms.server import serve as serve_lms
from lms.session import LMS_DIR, open_lms
from lrs.checks import SESSION_ID as SESSION
from lrs.checks import by_time, cmi5_problems, is_defined, log_queued_script, validator_problems, verb
from lrs.launcher import Launch, Launcher, serve
from lrs.ralph_lrs import Ralph, require_ralph
from webcourse import course_data

READY = "() => !!(window.Coursewright && Coursewright.app && Coursewright.app.tracker)"
USE_UP_ATTEMPTS = """async () => {
  const id = Coursewright.app.course.pages.filter(p => p.kind === "quiz").pop().id;
  return (await learner.quiz(id, false)) + (await learner.quiz(id, false));
}"""
AU = "urn:coursewright:ct-consular/au"
LOG_QUEUED = log_queued_script("sessionStorage")  # kept for the tab (it survives a reload)


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    require_ralph()
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def packages(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course's cmi5 and SCORM 2004 packages, unzipped."""
    from builder.build import build
    from builder.cmi5 import write_package
    from builder.scorm import write_packages

    out = tmp_path_factory.mktemp("lrs-packages")
    report = build(repo_root / "course_src", out / "dist")
    translations = {lang: site.course for lang, site in report.site.translations.items()}
    found = {}
    zips = {"cmi5": write_package(report.course, report.web_dir, out / "dist", translations),
            "scorm2004": write_packages(report.course, report.web_dir, out / "dist", ["2004"])[0]}
    for name, path in zips.items():
        with zipfile.ZipFile(path) as zf:
            zf.extractall(out / name)
        found[name] = out / name
    return found


@pytest.fixture(scope="module")
def launcher(ralph: Ralph, packages: dict[str, Path]) -> Iterator[Launcher]:
    with serve(Launcher(ralph, packages["cmi5"])) as running:
        yield running


def _open(new_page: Callable[..., GuardedPage], launcher: Launcher, launch: Launch) -> GuardedPage:
    guarded = new_page(allow_origins=(launcher.origin,))
    guarded.page.add_init_script(LOG_QUEUED)
    guarded.page.goto(launch.url)
    guarded.page.wait_for_function(READY)
    guarded.page.add_script_tag(path=str(LMS_DIR / "learner.js"))
    return guarded


def _clean(guarded: GuardedPage, *, offline: bool = False) -> None:
    """The page's problems, less the answers an LRS gives by the xAPI spec: 404 for a document not
    written yet (the course's saved state on a first launch); and, with `offline`, the requests
    that found no network."""
    expected = ["status of 404 (Not Found)"] + (["net::ERR_", "Failed to fetch"] if offline else [])
    problems = [p for p in guarded.guard.problems() if not any(e in p for e in expected)]
    assert problems == [], "\n".join(problems)


def _play(page: Page, right: bool, stop_at: str | None = None) -> int:
    return page.evaluate("([right, stop]) => learner.course(right, stop)", [right, stop_at])


def _sent(page: Page) -> None:
    """Wait until the course's queue is empty (every statement acknowledged by the LRS)."""
    page.wait_for_function("() => Coursewright.lrs.queue().pending() === 0 && !Coursewright.lrs.queue().sending",
                           timeout=60000)


def _exit(page: Page) -> None:
    page.get_by_role("button", name="Exit course").click()
    page.wait_for_url("**/lms/return.html", timeout=60000)


def _au_statements(ralph: Ralph, launch: Launch) -> list[dict[str, Any]]:
    every = ralph.statements(registration=launch.registration)
    return [s for s in every if verb(s) != "launched"]


def _scorm_verdict(new_page: Callable[..., GuardedPage], folder: Path, js_modules: Path, right: bool) -> dict[str, str]:
    routes = {"/lms/": LMS_DIR, "/vendor/": js_modules / "scorm-again" / "dist", "/scorm2004/": folder}
    with serve_lms(routes) as origin:
        session = open_lms(new_page, origin, "2004", "/scorm2004/index.html", ready=READY)
        session.course.add_script_tag(path=str(LMS_DIR / "learner.js"))
        session.course.evaluate("(right) => learner.course(right)", right)
        if not right:
            session.course.evaluate(USE_UP_ATTEMPTS)
        session.course.evaluate("() => Coursewright.app.tracker.finish()")
        return session.values()


@pytest.mark.parametrize("right", [True, False], ids=["passes", "fails"])
def test_a_learner_journey_reads_back_as_cmi5_and_agrees_with_scorm(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph, packages: dict[str, Path],
    js_modules: Path, right: bool,
) -> None:
    mastery = launcher.imported()[AU]["masteryScore"]  # what the LMS took from cmi5.xml
    launch = launcher.launch(AU, learner=f"journey-{right}")
    guarded = _open(new_page, launcher, launch)
    page = guarded.page
    interactions = _play(page, right)
    if not right:  # every attempt of the final quiz used: failed, with nothing left to change it
        interactions += page.evaluate(USE_UP_ATTEMPTS)
    pages, scenarios = page.evaluate("() => [Coursewright.app.course.pages.length,"
                                     " Object.keys(Coursewright.app.course.scenarios).length]")
    assert page.get_by_role("button", name="Exit course").is_visible()
    _exit(page)
    _clean(guarded)

    statements = _au_statements(ralph, launch)
    assert cmi5_problems(statements, session_id=launch.session_id, activity_id=AU, mastery=mastery) == []
    assert validator_problems(statements) == []
    scorm = _scorm_verdict(new_page, packages["scorm2004"], js_modules, right)
    # One verdict: passed or failed as SCORM 2004 reports it (neither while attempts are left)
    success = scorm.get("cmi.success_status", "unknown")
    verdict = {"passed": ["passed"], "failed": ["failed"], "unknown": []}[success]
    assert _defined(statements) == ["initialized", "completed", *verdict, "terminated"]
    assert success == ("passed" if right else "failed")
    assert scorm["cmi.completion_status"] == "completed"
    allowed = [s for s in statements if not is_defined(s)]
    answered = [s for s in allowed if verb(s) in ("answered", "responded")]
    assert len(answered) == interactions
    assert {verb(s) for s in allowed} == {"answered", "responded", "experienced", "scored"}
    assert len([s for s in allowed if verb(s) == "experienced"]) == pages  # every page of the course, once
    endings = [s["result"]["extensions"]["urn:coursewright:xapi:ending"] for s in allowed if verb(s) == "scored"]
    assert len(endings) == scenarios and set(endings) == ({"good"} if right else {"poor"})
    question = next(s for s in allowed if verb(s) == "answered")
    assert question["object"]["definition"]["interactionType"] in ("choice", "true-false", "fill-in", "matching", "sequencing")
    assert question["result"]["success"] is right and "response" in question["result"]

    judged = next(s for s in statements if verb(s) in ("passed", "failed"))
    assert judged["result"]["success"] is right
    assert float(scorm["cmi.score.raw"]) / 100 == pytest.approx(judged["result"]["score"]["scaled"], abs=1e-4)



def _play_from(page: Page, first: int, last: int | None, right: bool = True) -> None:
    """Play the course's pages from index `first` up to (not including) `last`."""
    page.evaluate("""async ([first, last, right]) => {
      const pages = Coursewright.app.course.pages.slice(first, last === null ? undefined : last);
      for (const p of pages) {
        if (p.kind === "quiz") await learner.quiz(p.id, right);
        else if (p.kind === "scenario") await learner.scenario(p.id, right);
        else await learner.go(p.id);
      }
    }""", [first, last, right])


def _queued(page: Page) -> list[list[str]]:
    return json.loads(page.evaluate("() => sessionStorage.getItem('test:queued')") or "[]")


def _defined(statements: list[dict[str, Any]]) -> list[str]:
    return [verb(s) for s in by_time(statements) if is_defined(s)]


def test_offline_mid_course_then_a_reload_every_statement_arrives_once_in_order(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph,
) -> None:
    launch = launcher.launch(AU, mastery=0.8, learner="offline")
    guarded = _open(new_page, launcher, launch)
    page = guarded.page
    total = page.evaluate("() => Coursewright.app.course.pages.length")
    third = total // 3
    _play_from(page, 0, third)
    _sent(page)
    status = page.get_by_role("status").filter(has_text="Results")
    assert not page.locator("#lrs-status").is_visible()

    launcher.network_down()
    ralph.stop()
    try:
        _play_from(page, third, 2 * third)
        page.wait_for_function("() => Coursewright.lrs.queue().failed")
        waiting = page.evaluate("() => Coursewright.lrs.queue().pending()")
        assert waiting > 0
        assert status.is_visible() and f"Results not yet sent to your organisation: {waiting}." in status.inner_text()
        assert page.get_by_role("button", name="Send now").is_visible()

        page.reload()  # the tab's session goes on; the statements wait in local storage
        page.wait_for_function(READY)
        page.add_script_tag(path=str(LMS_DIR / "learner.js"))
        page.wait_for_function("() => Coursewright.lrs.queue().failed")
        assert page.get_by_role("status").filter(has_text="Results not yet sent").is_visible()
        _play_from(page, 2 * third, None)
    finally:
        ralph.start()
        launcher.network_up()
    page.get_by_role("button", name="Send now").click()
    _sent(page)
    assert page.get_by_role("status").filter(has_text="All results have been sent.").is_visible()
    _exit(page)
    _clean(guarded, offline=True)

    statements = by_time(_au_statements(ralph, launch))
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids)), "a statement arrived twice"
    queued = _queued(page)
    # The terminated statement queued when the page was reloaded offline never reached the LRS and
    # was taken back: the session went on. Everything else arrived, in the order it was made.
    withdrawn = [entry for entry in queued if entry[0] not in set(ids)]
    assert [verb for _, verb in withdrawn] == ["terminated"]
    assert ids == [entry[0] for entry in queued if entry not in withdrawn]
    stored = [s["stored"] for s in statements]
    assert stored == sorted(stored), "statements were stored out of order"
    assert cmi5_problems(statements, session_id=launch.session_id, activity_id=AU, mastery=0.8) == []
    assert _defined(statements) == ["initialized", "completed", "passed", "terminated"]
    assert validator_problems(statements) == []


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_send_no_verdict(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph, mode: str,
) -> None:
    launch = launcher.launch(AU, mode=mode, learner=f"mode-{mode}")
    guarded = _open(new_page, launcher, launch)
    page = guarded.page
    _play(page, True)
    _exit(page)
    _clean(guarded)
    statements = _au_statements(ralph, launch)
    assert _defined(statements) == ["initialized", "terminated"]
    assert cmi5_problems(statements, session_id=launch.session_id, activity_id=AU, mastery=None) == []
    answered = [s for s in statements if verb(s) == "answered"]
    assert (len(answered) > 0) is (mode == "Browse")  # review changes nothing
    key = ("state", AU, f"mode-{mode}", launch.registration, "coursewright.state")
    assert (key in launcher.documents) is (mode == "Browse")  # review keeps no state either


def test_a_second_launch_resumes_from_the_lrs_state_and_completes_once(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph,
) -> None:
    first = launcher.launch(AU, mastery=0.8, learner="resumer")
    guarded = _open(new_page, launcher, first)
    total = guarded.page.evaluate("() => Coursewright.app.course.pages.length")
    _play_from(guarded.page, 0, total // 2)
    done = guarded.page.evaluate("() => Coursewright.app.summary.pagesDone")
    _exit(guarded.page)

    # Another browser (a fresh context: nothing in local storage), the same registration.
    second = launcher.launch(AU, mastery=0.8, learner="resumer", registration=first.registration)
    again = _open(new_page, launcher, second)
    assert again.page.evaluate("() => Coursewright.app.summary.pagesDone") == done > 0
    assert again.page.locator("#resume").is_visible()  # the course offers to go back where they were
    again.page.evaluate("""async (half) => {  // the lesson left open last time counts once moved on from
      for (const p of Coursewright.app.course.pages.slice(0, half)) if (p.kind === "lesson") await learner.go(p.id);
    }""", total // 2)
    _play_from(again.page, total // 2, None)
    _exit(again.page)
    _clean(again)

    every = _au_statements(ralph, first)
    sessions = {}
    for s in every:
        sessions.setdefault(s["context"]["extensions"][SESSION], []).append(s)
    assert set(sessions) == {first.session_id, second.session_id}
    assert _defined(sessions[first.session_id]) == ["initialized", "terminated"]
    assert _defined(sessions[second.session_id]) == ["initialized", "completed", "passed", "terminated"]
    for launch in (first, second):
        assert cmi5_problems(sessions[launch.session_id], session_id=launch.session_id, activity_id=AU,
                             mastery=0.8) == []
    # pages done in the first session are not reported again in the second
    pages = [s["object"]["id"] for s in every if verb(s) == "experienced"]
    assert len(pages) == len(set(pages)) == total


def test_an_au_per_module_reports_that_module_alone(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph, packages: dict[str, Path],
) -> None:
    module = course_data(packages["cmi5"])["modules"][0]["id"]
    au = f"urn:coursewright:ct-consular/{module}"
    launch = launcher.launch(au, learner="unit", path=f"index.html?cw-unit={module}")
    guarded = _open(new_page, launcher, launch)
    page = guarded.page
    ids = page.evaluate("(m) => Coursewright.app.course.pages.filter(p => p.module === m).map(p => p.id)", module)
    assert ids and page.evaluate("() => location.hash") == f"#/{ids[0]}"  # the module's first page
    page.evaluate("""async (ids) => {
      for (const id of ids) {
        const p = Coursewright.app.pages[id];
        if (p.kind === "quiz") await learner.quiz(id, true);
        else if (p.kind === "scenario") await learner.scenario(id, true);
        else await learner.go(id);
      }
    }""", ids)
    _exit(page)
    _clean(guarded)
    statements = _au_statements(ralph, launch)
    assert _defined(statements) == ["initialized", "completed", "terminated"]
    assert cmi5_problems(statements, session_id=launch.session_id, activity_id=au, mastery=None) == []
    done = [s for s in statements if verb(s) == "experienced"]
    assert len(done) == len(ids)
    assert done[-1]["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/progress"] == 100


def test_the_learner_preferred_language_opens_the_course_in_it(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph,
) -> None:
    launch = launcher.launch(AU, learner="hablante", preferences={"languagePreference": "es-ES,en-US",
                                                                 "audioPreference": "on"})
    guarded = _open(new_page, launcher, launch)
    page = guarded.page
    page.wait_for_function("() => document.documentElement.lang === 'es' && Coursewright.app")
    page.wait_for_function(READY)
    assert "/course/es/index.html" in page.url
    page.get_by_role("button", name="Salir del curso").click()
    page.wait_for_url("**/lms/return.html", timeout=60000)
    _clean(guarded)
    statements = _au_statements(ralph, launch)
    assert _defined(statements) == ["initialized", "terminated"]  # one session across the two pages
    assert launcher.fetched and cmi5_problems(statements, session_id=launch.session_id, activity_id=AU,
                                              mastery=None) == []


NO_TOKEN = "cmi5: the LMS gave no auth token"


def _spent(launcher: Launcher, launch: Launch) -> None:
    """The launch's fetch URL used already (the course opened earlier in another tab, say): the
    launcher answers the course's request with the cmi5 error JSON."""
    fetch = parse_qs(urlsplit(launch.url).query)["fetch"][0]
    with urllib.request.urlopen(urllib.request.Request(fetch, method="POST"), timeout=30) as answer:
        assert "auth-token" in json.loads(answer.read())


@pytest.mark.parametrize("path", ["index.html", "ar/index.html"], ids=["en", "ar"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_refused_token_tells_the_learner_accessibly(
    new_page: Callable[..., GuardedPage], launcher: Launcher, path: str, scheme: str,
) -> None:
    launch = launcher.launch(AU, learner=f"refused-{scheme}", path=path)
    _spent(launcher, launch)
    guarded = new_page(allow_origins=(launcher.origin,), color_scheme=scheme)
    page = guarded.page
    page.goto(launch.url)
    page.wait_for_function(READY)
    alert = page.locator("#lrs-status [role=alert]")
    expected = {"index.html": "Your results cannot be sent to your organisation's learning platform",
                "ar/index.html": "لا يمكن إرسال نتائجك إلى منصة التعلّم في مؤسستك"}[path]
    assert alert.is_visible() and expected in alert.inner_text()
    assert ("open it again from your learning platform" in alert.inner_text()) is (path == "index.html")
    assert page.locator("#lrs-status").evaluate("(box) => box.classList.contains('is-warning')")
    reached = False
    for _ in range(40):  # the keyboard reaches the message
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('#lrs-status') !== null"):
            reached = True
            break
    assert reached
    violations = axe(page, tags=[*WCAG_TAGS, "wcag22aa"])
    assert violations == [], format_violations(violations)
    problems = [p for p in guarded.guard.problems() if NO_TOKEN not in p]
    assert problems == [], "\n".join(problems)


def test_a_refused_token_queues_nothing_and_the_next_launch_records_the_work(
    new_page: Callable[..., GuardedPage], launcher: Launcher, ralph: Ralph,
) -> None:
    """cmi5 hands out a token once per launch: without one, no statement of this session can ever
    be stored, so none is kept; the learner's progress stays, and the next launch reports it."""
    refused = launcher.launch(AU, learner="relauncher")
    _spent(launcher, refused)
    start = len(launcher.requests)
    guarded = _open(new_page, launcher, refused)
    page = guarded.page
    _play(page, True)
    page.evaluate("() => Coursewright.app.flush()")
    assert page.evaluate("() => localStorage.getItem('coursewright:xapi-queue')") is None
    assert page.evaluate("() => Coursewright.app.summary.completed") is True
    assert _au_statements(ralph, refused) == []
    assert [r[1].split("/")[2] for r in launcher.requests[start:]] == ["fetch"]  # nothing tried without a token

    again = launcher.launch(AU, learner="relauncher", registration=refused.registration)
    page.goto(again.url)  # the learner opens the course again from the LMS, in the same browser
    page.wait_for_function(READY)
    assert not page.locator("#lrs-status [role=alert]").is_visible()
    _exit(page)
    statements = _au_statements(ralph, again)
    assert _defined(statements) == ["initialized", "completed", "passed", "terminated"]
    assert cmi5_problems(statements, session_id=again.session_id, activity_id=AU, mastery=None) == []
    problems = [p for p in guarded.guard.problems() if NO_TOKEN not in p and "status of 404" not in p]
    assert problems == [], "\n".join(problems)
