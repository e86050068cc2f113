"""The SCORM adapters alone (runtime/scorm.js) against the real scorm-again, through the tracker interface.

A harness page loads scorm.js under the test LMS; each test drives the tracker as the runtime
would and checks what the LMS recorded, element by element, for SCORM 1.2 and 2004.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import GuardedPage
from lms.server import serve
from lms.session import ELEMENTS, LMS_DIR, RUNTIME_DIR, SESSION_TIME, LmsSession, open_lms

VERSIONS = ["1.2", "2004"]
HARNESS = "/lms/harness.html"
READY = "() => typeof window.pickTracker === 'function'"

COURSE = {
    "id": "demo", "version": "1.0.0", "title": "Demo", "language": "en",
    "completion": {"pages": "all", "assessments": "all", "pass_mark": 80},
    "pages": [{"id": "intro/welcome", "kind": "lesson"}, {"id": "intro/check", "kind": "quiz"}],
    "quizzes": {"intro/check": {"kind": "assessment", "pass_mark": 80, "questions": [
        {"id": "q1", "key": "intro/check/q1", "type": "single"},
        {"id": "q2", "key": "intro/check/q2", "type": "fill-in"},
    ]}},
    "checks": {}, "scenarios": {},
}
STATE = {
    "v": 1, "location": "intro/check", "visited": ["intro/welcome", "intro/check"],
    "quizzes": {"intro/check": {"attempt": 1, "seed": 12345, "answers": {"q1": [1], "q2": "Palermo"},
                                "checked": {"q1": True}, "submitted": False, "results": []}},
    "checks": {}, "scenarios": {},
}
# One interaction of each type, in the neutral form of the tracking interface.
INTERACTIONS = [
    {"key": "intro/check/single", "type": "choice", "response": [1], "correct": [1], "result": "correct"},
    {"key": "intro/check/multiple", "type": "choice", "response": [0, 2], "correct": [0, 3], "result": "incorrect"},
    {"key": "intro/check/tf", "type": "true-false", "response": False, "correct": True, "result": "incorrect"},
    {"key": "intro/check/fill", "type": "fill-in", "response": "Palermo\nProtocol", "correct": "palermo protocol",
     "result": "correct"},
    {"key": "intro/check/match", "type": "matching", "response": [[0, 1], [1, 0]], "correct": [[0, 0], [1, 1]],
     "result": "incorrect"},
    {"key": "intro/check/order", "type": "ordering", "response": [2, 0, 1], "correct": [0, 1, 2], "result": "incorrect"},
]
# What each version must record for them: (type, learner response, correct pattern, result).
EXPECTED = {
    "1.2": [("choice", "b", "b", "correct"), ("choice", "a,c", "a,d", "wrong"), ("true-false", "f", "t", "wrong"),
            ("fill-in", "Palermo Protocol", "palermo protocol", "correct"), ("matching", "a.b,b.a", "a.a,b.b", "wrong"),
            ("sequencing", "c,a,b", "a,b,c", "wrong")],
    "2004": [("choice", "b", "b", "correct"), ("choice", "a[,]c", "a[,]d", "incorrect"),
             ("true-false", "false", "true", "incorrect"),
             ("fill-in", "Palermo Protocol", "{case_matters=false}palermo protocol", "correct"),
             ("matching", "a[.]b[,]b[.]a", "a[.]a[,]b[.]b", "incorrect"),
             ("sequencing", "c[,]a[,]b", "a[,]b[,]c", "incorrect")],
}
# Outcomes as results.js's verdict hands them to a tracker.
PASSED = {"completion": "completed", "success": "passed", "rule": "score", "hasPassRule": True,
          "score": {"raw": 90, "min": 0, "max": 100, "scaled": 0.9}}
FAILED = {"completion": "completed", "success": "failed", "rule": "score", "hasPassRule": True,
          "score": {"raw": 50, "min": 0, "max": 100, "scaled": 0.5}}
RETRY = {"completion": "completed", "success": "unknown", "rule": "each", "hasPassRule": True,
         "score": {"raw": 65, "min": 0, "max": 100, "scaled": 0.65}}

# Runs in the course frame: pick the tracker, start it, run `steps` (a list of [method, argument]).
DRIVE = """
([course, steps]) => {
  const picked = window.pickTracker(course);
  window.tracker = picked.tracker;
  const started = tracker.start();
  const results = steps.map(([method, arg]) => {
    if (method === "recordInteraction") arg = Object.assign({timestamp: new Date(2024, 4, 6, 7, 8, 9),
      weighting: 1, latencyMs: 65430, description: "Which one?"}, arg);
    return tracker[method](arg);
  });
  return {name: picked.name, started, results};
}
"""


@pytest.fixture(scope="module")
def origin(js_modules: Path) -> Iterator[str]:
    # /lms-es/ serves the harness again under another path: the page of another language.
    routes = {"/lms/": LMS_DIR, "/lms-es/": LMS_DIR, "/vendor/": js_modules / "scorm-again" / "dist",
              "/runtime/": RUNTIME_DIR}
    with serve(routes) as url:
        yield url


@pytest.fixture
def lms(new_page: Callable[..., GuardedPage], origin: str) -> Callable[..., LmsSession]:
    def open_session(version: str, **options: object) -> LmsSession:
        return open_lms(new_page, origin, version, HARNESS, ready=READY, **options)
    return open_session


def drive(session: LmsSession, *steps: tuple[str, object], course: dict | None = None) -> dict:
    return session.course.evaluate(DRIVE, [course or COURSE, [list(s) for s in steps]])


@pytest.mark.parametrize("version", VERSIONS)
def test_learner_passes(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    steps = [("setLocation", "intro/check"), ("save", STATE)]
    steps += [("recordInteraction", i) for i in INTERACTIONS]
    steps += [("setOutcome", PASSED), ("commit", None), ("finish", None), ("finish", None)]
    result = drive(session, *steps)
    assert result["name"] == ("scorm12" if version == "1.2" else "scorm2004")
    assert result["started"] is None
    assert all(result["results"]), result["results"]
    values, el = session.values(), session.el
    if version == "1.2":
        assert values[el["status"]] == "passed"
        assert values[el["exit"]] == ""
    else:
        assert values[el["status"]] == "completed"
        assert values[el["success"]] == "passed"
        assert values[el["scaled"]] == "0.9"
        assert values[el["exit"]] == "normal"
    assert (values[el["raw"]], values[el["min"]], values[el["max"]]) == ("90", "0", "100")
    assert values[el["location"]] == "intro/check"
    assert re.match(SESSION_TIME[version], values[el["session_time"]]), values[el["session_time"]]
    # Score before status: the last score write comes before the final status write.
    order = session.set_order()
    last_status = max(i for i, k in enumerate(order) if k == el["status"])
    assert max(i for i, k in enumerate(order) if k == el["raw"]) < last_status
    assert session.count(el["init"]) == 1 and session.count(el["finish"]) == 1
    for n, (kind, response, pattern, outcome) in enumerate(EXPECTED[version]):
        p = f"cmi.interactions.{n}."
        assert values[p + "id"] == INTERACTIONS[n]["key"]
        assert values[p + "type"] == kind
        assert values[p + el["response"]] == response
        assert values[p + "correct_responses.0.pattern"] == pattern
        assert values[p + "result"] == outcome
        assert values[p + "weighting"] == "1"
        if version == "1.2":
            assert values[p + "latency"] == "0000:01:05.43"
            assert values[p + "time"] == "07:08:09"
        else:
            assert values[p + "latency"] == "PT1M5.43S"
            assert re.match(r"^2024-05-0[56]T\d\d:08:09\.00Z$", values[p + "timestamp"])
            assert values[p + "description"] == "Which one?"
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_learner_fails(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    drive(session, ("save", STATE), ("setOutcome", FAILED), ("finish", None))
    values, el = session.values(), session.el
    assert values[el["raw"]] == "50"
    if version == "1.2":
        assert values[el["status"]] == "failed"
    else:
        assert values[el["status"]] == "completed" and values[el["success"]] == "failed"
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_never_passed_before_the_course_rule_holds(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    early = {"completion": "incomplete", "success": "passed", "rule": "score", "hasPassRule": True,
             "score": {"raw": 100, "min": 0, "max": 100, "scaled": 1}}
    drive(session, ("setOutcome", early), ("finish", None))
    values, el = session.values(), session.el
    assert values[el["status"]] == "incomplete"
    assert values.get(el.get("success", el["status"])) != "passed"
    assert el["raw"] not in values  # no score an LMS could turn into "passed" on its own
    assert values[el["exit"]] == "suspend"
    assert "passed" not in [c["args"][1] for c in session.calls() if c["name"] == el["set"]]


@pytest.mark.parametrize("version", VERSIONS)
def test_leave_and_resume_from_the_lms(lms: Callable[..., LmsSession], version: str) -> None:
    first = lms(version)
    drive(first, ("setLocation", "intro/check"), ("save", STATE),
          ("setOutcome", {"completed": False, "passed": None, "score": None}), ("finish", None))
    saved = first.saved_attempt()
    assert saved[first.el["entry"]] == "resume"
    assert len(saved[first.el["suspend"]]) < 200
    first.guarded.context.close()  # a new browser profile: nothing kept locally
    second = lms(version, preload=saved)
    result = drive(second, ("finish", None))
    assert result["started"] == STATE
    second.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_location_alone_is_restored(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version, preload={el["location"]: "intro/check", el["suspend"]: "garbage"})
    assert drive(session)["started"] == {"location": "intro/check"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("fail", ["reject", "throw", "init"])
def test_a_failing_lms_never_stops_the_course(lms: Callable[..., LmsSession], version: str, fail: str) -> None:
    session = lms(version, fail=fail)
    steps = [("start", None), ("setLocation", "intro/check"), ("save", STATE)]
    steps += [("recordInteraction", i) for i in INTERACTIONS]
    steps += [("setOutcome", PASSED), ("commit", None), ("finish", None)]
    result = session.course.evaluate(
        """([course, steps]) => {
          const t = window.pickTracker(course).tracker;
          return steps.map(([m, a]) => { try { const r = t[m](a); return r === undefined ? null : r; }
                                        catch (e) { return "threw " + e; } });
        }""", [COURSE, [list(s) for s in steps]])
    assert not any(isinstance(r, str) and r.startswith("threw") for r in result), result
    kept = session.course.evaluate("() => localStorage.getItem('coursewright:demo:1.0.0:' + "
                                   f"'{'scorm12' if version == '1.2' else 'scorm2004'}')")
    assert json.loads(kept)["state"] == STATE
    session.guarded.guard.assert_clean()  # warnings only: no console error, no exception
    # The next visit, with an LMS that will not even start, gets the state kept in the browser.
    again = session.course.evaluate(
        "(course) => { const t = window.pickTracker(course).tracker; t.api = {}; return t.start(); }", COURSE)
    assert again == STATE


@pytest.mark.parametrize("version", VERSIONS)
def test_lms_errors_are_logged_as_warnings(
    new_page: Callable[..., GuardedPage], origin: str, version: str
) -> None:
    session = open_lms(new_page, origin, version, HARNESS, ready=READY, fail="reject")
    messages: list[tuple[str, str]] = []
    session.page.on("console", lambda m: messages.append((m.type, m.text)))
    drive(session, ("setOutcome", PASSED), ("finish", None))
    warned = [text for kind, text in messages if kind == "warning"]
    assert warned, messages
    code = "101" if version == "1.2" else "351"
    assert any(code in text and "General" in text for text in warned), warned
    assert not [text for kind, text in messages if kind == "error"]


@pytest.mark.parametrize("version", VERSIONS)
def test_commits_are_throttled(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    steps = []
    for n in range(40):
        steps += [("recordInteraction", dict(INTERACTIONS[0], key=f"intro/check/q{n}")), ("save", STATE), ("commit", None)]
    drive(session, *steps)
    el = session.el
    assert session.count(el["commit"]) <= 2
    session.course.evaluate("() => tracker.finish()")
    assert session.count(el["finish"]) == 1
    assert session.calls()[-2]["name"] == el["commit"]  # the last writes are flushed before finishing


@pytest.mark.parametrize("version", VERSIONS)
def test_finishes_once_when_the_page_goes_away(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    drive(session, ("setLocation", "intro/welcome"))
    session.course.evaluate("() => { dispatchEvent(new PageTransitionEvent('pagehide')); tracker.finish(); }")
    assert session.count(session.el["finish"]) == 1
    assert session.values()[session.el["exit"]] == "suspend"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_completed_attempt_is_never_taken_back(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    done = {el["status"]: "passed"} if version == "1.2" else {el["status"]: "completed", el["success"]: "passed"}
    session = lms(version, preload=done)
    drive(session, ("setOutcome", {"completed": False, "passed": None, "score": None}), ("finish", None))
    written = [c["args"] for c in session.calls() if c["name"] == el["set"]]
    assert [el["status"], "incomplete"] not in written


@pytest.mark.parametrize("version", VERSIONS)
def test_the_lms_mastery_score_goes_to_the_verdict(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version, preload={el["mastery"]: "95" if version == "1.2" else "0.95"})
    result = drive(session, ("lms", None), ("setOutcome", PASSED), ("finish", None))
    assert result["results"][0]["mastery"] == 0.95
    # The tracker reports the verdict it is given (results.js applies the mastery score to it).
    assert session.values()[el["status"] if version == "1.2" else el["success"]] == "passed"


@pytest.mark.parametrize("version", VERSIONS)
def test_failed_only_when_no_attempt_is_left(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version)
    drive(session, ("setOutcome", RETRY))
    values = session.values()
    sent = [c["args"][1] for c in session.calls() if c["name"] == el["set"] and c["args"][0] == el.get("success", el["status"])]
    assert "failed" not in sent
    assert el["raw"] not in values, "no score while the result is still open"
    assert values[el["status"]] == ("incomplete" if version == "1.2" else "completed")
    session.course.evaluate("(o) => tracker.setOutcome(o)", dict(RETRY, success="failed"))
    values = session.values()
    assert values[el.get("success", el["status"])] == "failed"
    assert values[el["raw"]] == "65"
    assert "cmi.score.scaled" not in values, "rule each is not a threshold on the score: no measure to judge"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_result_is_committed_at_once(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version)
    drive(session, *[("recordInteraction", dict(INTERACTIONS[0], key=f"intro/check/q{n}")) for n in range(5)])
    before = session.count(el["commit"])
    session.course.evaluate("(o) => tracker.setOutcome(o)", PASSED)
    calls = session.calls()
    assert session.count(el["commit"]) == before + 1
    assert calls[-1]["name"] == el["commit"], "status, score, exit and time are committed, not left to the throttle"
    written = [c["args"][0] for c in calls if c["name"] == el["set"]]
    assert el["exit"] in written and el["session_time"] in written


@pytest.mark.parametrize("version", VERSIONS)
def test_exit_is_suspend_from_the_start(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version)
    drive(session)
    assert session.values()[el["exit"]] == "suspend"
    assert session.calls()[-1]["name"] == el["commit"]


def test_browse_mode_is_recorded_as_browsed_in_12(lms: Callable[..., LmsSession]) -> None:
    el = ELEMENTS["1.2"]
    session = lms("1.2", preload={el["mode"]: "browse"})
    drive(session, ("save", STATE), ("setOutcome", PASSED), ("finish", None))
    assert session.values()[el["status"]] == "browsed"


def test_a_refused_initialize_ends_the_conversation(lms: Callable[..., LmsSession]) -> None:
    for version in VERSIONS:
        session = lms(version, fail="init")
        drive(session, ("save", STATE), ("setOutcome", PASSED), ("recordInteraction", INTERACTIONS[0]), ("finish", None))
        names = [c["name"] for c in session.calls()]
        assert names == [ELEMENTS[version]["init"]], names


@pytest.mark.parametrize("version", VERSIONS)
def test_every_accepted_fill_in_answer_is_a_correct_response(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    accepted = ["Palermo Protocol", "Palermo", "trafficking protocol", "the protocol", "UN protocol", "TIP protocol"]
    drive(session, ("recordInteraction", dict(INTERACTIONS[3], correct=accepted[0], accepted=accepted)))
    values = session.values()
    found = [v for k, v in sorted(values.items()) if re.match(r"cmi\.interactions\.0\.correct_responses\.\d+\.pattern", k)]
    prefix = "{case_matters=false}" if version == "2004" else ""
    expected = accepted[:5] if version == "2004" else accepted
    assert sorted(found) == sorted(prefix + a for a in expected)


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_changes_nothing(lms: Callable[..., LmsSession], version: str) -> None:
    el = ELEMENTS[version]
    session = lms(version, preload={el["mode"]: "review"})
    drive(session, ("save", STATE), ("recordInteraction", INTERACTIONS[0]), ("setOutcome", PASSED), ("finish", None))
    assert session.set_order() == []
    assert session.count(el["finish"]) == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_long_texts_are_kept_within_the_version_limits(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    long_answer = "{lang=xx} a very long answer,\n" * 60
    record = dict(INTERACTIONS[3], response=long_answer, correct=long_answer)
    drive(session, ("recordInteraction", dict(record, description="Why?\n" * 100)),
          ("setLocation", "x" * 2000), ("finish", None))
    values = session.values()
    limit = 255 if version == "1.2" else 250
    response = values["cmi.interactions.0." + session.el["response"]]
    assert 0 < len(response) <= limit and "\n" not in response
    if version == "2004":
        assert len(values["cmi.interactions.0.description"]) <= 250
        assert not response.startswith("{")
    assert session.el["location"] not in values
    session.guarded.guard.assert_clean()


def test_2004_is_found_before_12(lms: Callable[..., LmsSession]) -> None:
    session = lms("2004")
    session.page.evaluate("() => { window.API = {LMSInitialize: () => 'true'}; }")
    assert drive(session)["name"] == "scorm2004"


@pytest.mark.parametrize("version", VERSIONS)
def test_opened_in_a_new_window_finds_the_api_through_the_opener(
    lms: Callable[..., LmsSession], version: str
) -> None:
    session = lms(version, window=True)
    result = drive(session, ("setOutcome", PASSED), ("finish", None))
    assert result["name"] == ("scorm12" if version == "1.2" else "scorm2004")
    assert session.values()[session.el["raw"]] == "90"
    assert session.count(session.el["finish"]) == 1


def test_no_api_means_no_scorm_tracker(new_page: Callable[..., GuardedPage], origin: str) -> None:
    guarded = new_page(allow_origins=(origin,))
    guarded.page.goto(f"{origin}{HARNESS}")
    assert guarded.page.evaluate("() => window.pickTracker({id: 'x', version: '1'})") is None


@pytest.mark.parametrize("version", VERSIONS)
def test_a_language_switch_keeps_the_session(lms: Callable[..., LmsSession], version: str) -> None:
    session = lms(version)
    drive(session, ("setLocation", "intro/check"), ("save", STATE), ("recordInteraction", INTERACTIONS[0]))
    with session.course.expect_navigation():
        session.course.evaluate("""() => {
          const link = document.createElement("a");
          link.href = "/lms-es/harness.html";
          link.textContent = "Español";
          document.body.append(link);
          link.click();
        }""")
    session.course.wait_for_function(READY)
    el = session.el
    assert session.count(el["finish"]) == 0  # the session stays open for the next page
    result = drive(session, ("recordInteraction", INTERACTIONS[1]), ("setOutcome", PASSED), ("finish", None))
    assert result["started"] == STATE
    values = session.values()
    assert values["cmi.interactions.1.id"] == INTERACTIONS[1]["key"]
    assert session.count(el["finish"]) == 1
    assert [c["result"] for c in session.calls() if c["name"] == el["init"]] == ["true", "false"]
    session.guarded.guard.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_api_the_manifest_declares_is_used_when_both_are_there(
    new_page: Callable[..., GuardedPage], origin: str, version: str
) -> None:
    other = "API_1484_11" if version == "1.2" else "API"
    method = "Initialize" if version == "1.2" else "LMSInitialize"
    session = open_lms(new_page, origin, version, f"{HARNESS}?scorm={version}", ready=READY)
    session.page.evaluate(f"() => {{ window.{other} = {{{method}: () => {{ window.wrong = true; return 'true'; }}}}; }}")
    assert drive(session)["name"] == ("scorm12" if version == "1.2" else "scorm2004")
    assert session.page.evaluate("() => !window.wrong")
    assert session.count(session.el["init"]) == 1
