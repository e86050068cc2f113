"""The web course reporting xAPI statements straight to a real LRS (Ralph, with CORS for the course's
address): the LRS named in the launch address (xAPI launch) or in course.yaml; the offline queue
across a closed tab; and no request at all, anywhere, without an LRS: the course asks only for its
own files.
"""
from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from playwright.sync_api import Page

from browser import GuardedPage, axe, format_violations
from lms.server import serve
from lms.session import LMS_DIR
from lrs.checks import by_time, log_queued_script, validator_problems, verb
from lrs.ralph_lrs import Ralph, free_port, require_ralph

READY = "() => !!(window.Coursewright && Coursewright.app && Coursewright.app.tracker)"
ACTOR = {"objectType": "Agent", "name": "Field Officer", "mbox": "mailto:officer@example.org"}
LOG_QUEUED = log_queued_script("localStorage")  # kept for the browser (it survives a closed tab)


@pytest.fixture(scope="module")
def web(built_course: Path) -> Iterator[str]:
    with serve({"/web/": built_course / "web"}) as origin:
        yield origin


@pytest.fixture(scope="module")
def ralph(web: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    require_ralph()
    server = Ralph(tmp_path_factory.mktemp("ralph-xapi"), cors=[web])
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _origin(url: str) -> str:
    return "/".join(url.split("/")[:3])


def _launch_url(web: str, ralph: Ralph, registration: str) -> str:
    query = urlencode({"endpoint": ralph.endpoint, "auth": ralph.auth, "actor": json.dumps(ACTOR),
                       "registration": registration})
    return f"{web}/web/index.html?{query}"


def _open(guarded: GuardedPage, url: str) -> Page:
    page = guarded.page
    page.goto(url)
    page.wait_for_function(READY)
    page.add_script_tag(path=str(LMS_DIR / "learner.js"))
    return page


def _sent(page: Page) -> None:
    page.wait_for_function("() => Coursewright.lrs.queue().pending() === 0 && !Coursewright.lrs.queue().sending",
                           timeout=60000)


def _first_quiz(page: Page) -> str:
    return page.evaluate("() => Coursewright.app.course.pages.filter(p => p.kind === 'quiz')[0].id")


def test_the_launch_address_names_the_lrs_and_the_learner(
    new_page: Callable[..., GuardedPage], web: str, ralph: Ralph,
) -> None:
    registration = str(uuid.uuid4())
    guarded = new_page(allow_origins=(web, _origin(ralph.endpoint)))
    page = _open(guarded, _launch_url(web, ralph, registration))
    assert page.evaluate("() => Coursewright.app.tracker.name") == "xapi"
    questions = page.evaluate("(id) => learner.quiz(id, true)", _first_quiz(page))
    _sent(page)
    guarded.guard.assert_clean()
    statements = by_time(ralph.statements(registration=registration))
    assert [verb(s) for s in statements][0] == "initialized"
    assert sum(verb(s) == "answered" for s in statements) == questions
    assert all(s["actor"]["mbox"] == ACTOR["mbox"] for s in statements)
    assert all(s["object"]["id"].startswith("urn:coursewright:ct-consular") for s in statements)
    assert validator_problems(statements) == []


def test_offline_then_the_tab_closed_nothing_is_lost(
    new_page: Callable[..., GuardedPage], web: str, ralph: Ralph,
) -> None:
    registration = str(uuid.uuid4())
    guarded = new_page(allow_origins=(web, _origin(ralph.endpoint)))
    guarded.context.add_init_script(LOG_QUEUED)
    url = _launch_url(web, ralph, registration)
    page = _open(guarded, url)
    page.evaluate("() => learner.go(Coursewright.app.course.pages[1].id)")
    _sent(page)
    ralph.stop()
    try:
        page.evaluate("(id) => learner.quiz(id, false)", _first_quiz(page))
        page.wait_for_function("() => Coursewright.lrs.queue().failed")
        assert page.get_by_role("status").filter(has_text="Results not yet sent").is_visible()
        page.close()  # the tab is closed while the LRS cannot be reached

        second = guarded.context.new_page()
        page = _open(dataclasses.replace(guarded, page=second), url)
        page.wait_for_function("() => Coursewright.lrs.queue().failed")
        assert page.get_by_role("button", name="Send now").is_visible()
    finally:
        ralph.start()
    page.get_by_role("button", name="Send now").click()
    _sent(page)
    queued = [entry[0] for entry in json.loads(page.evaluate("() => localStorage.getItem('test:queued')"))]
    statements = by_time(ralph.statements(registration=registration))
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids)), "a statement arrived twice"
    extra = [(verb(s), s["timestamp"]) for s in statements if s["id"] not in queued]
    assert not extra, f"{extra} {[(verb(s), s['timestamp']) for s in statements]}"
    assert ids == queued  # every statement the course made, in the order it made them
    stored = [s["stored"] for s in statements]
    assert stored == sorted(stored)
    assert [verb(s) for s in statements].count("terminated") == 1  # the closed tab's visit ended
    assert validator_problems(statements) == []


def test_course_yaml_names_the_lrs_and_a_course_without_one_sends_nothing(
    new_page: Callable[..., GuardedPage], tmp_path: Path, ralph: Ralph,
) -> None:
    from click.testing import CliRunner

    from builder.build import build
    from builder.cli import main

    source = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(source)]).exit_code == 0
    plain = build(source, tmp_path / "plain").web_dir
    yaml = (source / "course.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("tracking:\n", "tracking:\n  activity_id: https://training.example.org/courses/tiny\n"
                        f"  xapi:\n    endpoint: {ralph.endpoint}\n    auth: \"{ralph.auth}\"\n")
    assert "xapi:" in yaml
    (source / "course.yaml").write_text(yaml, encoding="utf-8")
    reporting = build(source, tmp_path / "reporting").web_dir
    with serve({"/plain/": plain, "/reporting/": reporting}) as origin:
        if origin not in ralph.cors:  # this server's address must be allowed by the LRS too
            ralph.stop()
            ralph.cors.append(origin)
            ralph.start()
        guarded = new_page(allow_origins=(origin,))  # the LRS is NOT allowed: any request to it is reported
        page = _open(guarded, f"{origin}/plain/index.html")
        page.evaluate("() => learner.course(true)")
        page.reload()
        page.wait_for_function(READY)
        assert page.evaluate("() => Coursewright.app.tracker.name") == "local"
        guarded.guard.assert_clean()  # not one request outside the course

        guarded = new_page(allow_origins=(origin, _origin(ralph.endpoint)))
        page = _open(guarded, f"{origin}/reporting/index.html")
        page.evaluate("() => learner.course(true)")
        _sent(page)
        guarded.guard.assert_clean()
        learner = json.loads(page.evaluate("() => localStorage.getItem('coursewright:xapi-learner')"))
    statements = [s for s in ralph.statements() if s["actor"].get("account", {}).get("name") == learner]
    verbs = [verb(s) for s in by_time(statements)]
    assert verbs[0] == "initialized" and "completed" in verbs
    assert all(s["object"]["id"].startswith("https://training.example.org/courses/tiny") for s in statements)
    assert validator_problems(statements) == []


def test_a_course_without_an_lrs_asks_only_for_its_own_files(
    new_page: Callable[..., GuardedPage], web: str, built_course: Path,
) -> None:
    """The whole sample course (no LRS in course.yaml or the address), a reload, and a language switch:
    every request the browser makes is a GET of one of the course's own files."""
    guarded = new_page(allow_origins=(web,))
    requests: list[tuple[str, str]] = []
    guarded.context.on("request", lambda request: requests.append((request.method, request.url)))
    page = _open(guarded, f"{web}/web/index.html")
    assert page.evaluate("() => Coursewright.app.tracker.name") == "local"
    page.evaluate("() => learner.course(true)")
    page.reload()
    page.wait_for_function(READY)
    page.locator(".language-picker summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name="العربية", exact=True).click()
    page.wait_for_function(READY)
    assert page.evaluate("() => document.documentElement.lang") == "ar"
    guarded.guard.assert_clean()
    files = built_course / "web"

    def own_file(url: str) -> bool:
        parts = urlsplit(url)
        path = unquote(parts.path)
        return (f"{parts.scheme}://{parts.netloc}" == web and path.startswith("/web/")
                and (files / path.removeprefix("/web/")).is_file())

    assert len(requests) > 1
    assert [(method, url) for method, url in requests if method != "GET" or not own_file(url)] == []


@pytest.mark.parametrize("path", ["index.html", "ar/index.html"], ids=["en", "ar"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_unsent_results_indicator_is_announced_and_accessible(
    new_page: Callable[..., GuardedPage], web: str, path: str, scheme: str,
) -> None:
    """An LRS that cannot be reached (nothing listens on its port): the header says so, accessibly."""
    dead = f"http://127.0.0.1:{free_port()}/xapi/"
    guarded = new_page(allow_origins=(web, _origin(dead)), color_scheme=scheme)
    query = urlencode({"endpoint": dead, "auth": "Basic eDp5", "actor": json.dumps(ACTOR)})
    page = guarded.page
    page.goto(f"{web}/web/{path}?{query}")
    page.wait_for_function(READY)
    page.wait_for_function("() => Coursewright.lrs.queue().failed")
    status = page.locator("#lrs-status [role=status]")
    expected = {"index.html": "Results not yet sent to your organisation: 1.",
                "ar/index.html": "نتائج لم تُرسَل بعد إلى مؤسستك"}[path]
    assert status.is_visible() and expected in status.inner_text()
    assert page.locator("#lrs-status").evaluate("(box) => box.classList.contains('is-warning')")
    violations = axe(page)
    assert violations == [], format_violations(violations)
