"""WCAG 2.1 AA (axe-core) on the default theme: each kind of page of the sample course in the dark,
and each interactive state (feedback right and wrong, a scenario at a choice and at an ending, a
glossary card open, the end screen), in the light and the dark colour scheme, with axe's own rules
on the whole document. Every page in the light is checked in test_accessibility.py (the default
theme in English, with the same WCAG tags and the structure rules besides)."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from browser import GuardedPage, PageGuard, axe, format_violations
from test_learner_support import (
    CURRENT,
    course_data,
    course_url,  # noqa: F401  (fixture)
    extreme_path,
    give_answer,
    question_box,
    response_for,
    shown_questions,
)

SCHEMES = ["light", "dark"]


def assert_accessible(page: Page, where: str) -> None:
    __tracebackhide__ = True
    violations = axe(page)
    assert not violations, f"{where}: {format_violations(violations)}"


def assert_clean_but_axe(guard: PageGuard) -> None:
    """The guard's findings, less axe-core's own attempt to re-read the stylesheet over XHR
    (refused from file://): that request is axe's, not the course's."""
    __tracebackhide__ = True
    own = [p for p in guard.problems()
           if not ("XMLHttpRequest" in p and ".css" in p) and not ("ERR_FAILED" in p and ".css" in p)]
    assert not own, "the page was not clean:\n" + "\n".join(own)


def visit_and_check(page: Page, page_ids: list[str]) -> None:
    for page_id in page_ids:
        page.evaluate("id => { location.hash = '#/' + id; }", page_id)
        expect(page.locator(f"{CURRENT}[data-page='{page_id}']")).to_be_visible()
        assert_accessible(page, page_id)


def test_every_kind_of_page_in_the_dark(course_url: str, new_page: Callable[..., GuardedPage], js_modules) -> None:
    guarded = new_page(color_scheme="dark")
    page = guarded.page
    page.goto(course_url)
    pages = course_data(page)["pages"]
    one_of_each = list({p["kind"]: p["id"] for p in reversed(pages)}.values())
    tabs = page.evaluate("() => document.querySelector('.tabs')?.closest('section.page').dataset.page ?? null")
    visit_and_check(page, [*one_of_each, *([tabs] if tabs else []), "glossary", "frameworks", "end"])
    assert_clean_but_axe(guarded.guard)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_interactive_states(course_url: str, new_page: Callable[..., GuardedPage], js_modules, scheme: str) -> None:
    guarded = new_page(color_scheme=scheme)
    page = guarded.page
    page.goto(course_url)
    data = course_data(page)

    page.locator(f"{CURRENT} a.term-ref").first.click()
    expect(page.locator(".ref-card")).to_be_focused()
    assert_accessible(page, "a glossary card open")

    quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "immediate")
    quiz = data["quizzes"][quiz_id]
    page.goto(f"{course_url}#/{quiz_id}")
    section = page.locator(f"{CURRENT}[data-page='{quiz_id}']")
    for n, question in enumerate(shown_questions(section, quiz)):
        box = question_box(section, question["key"])
        give_answer(box, question, response_for(question, n % 2 == 0))
        box.get_by_role("button", name="Check answer").click()
    assert_accessible(page, "feedback on right and wrong answers")
    section.locator("[data-action='submit']").click()
    assert_accessible(page, "a quiz result")

    scenario_id, scenario = next(iter(data["scenarios"].items()))
    page.goto(f"{course_url}#/{scenario_id}")
    section = page.locator(f"{CURRENT}[data-page='{scenario_id}']")
    path, _ = extreme_path(scenario, False)
    section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{path[0]}']").click()
    assert_accessible(page, "a scenario at a choice, with feedback")
    for index in path[1:]:
        section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
    expect(section.locator(".scenario-ending:not([hidden])")).to_be_visible()
    assert_accessible(page, "a scenario at its ending")

    page.goto(f"{course_url}#/end")
    page.locator("#toc [data-action='reset']").click()
    expect(page.locator("#reset-dialog")).to_be_visible()
    assert_accessible(page, "the reset dialog")
    assert_clean_but_axe(guarded.guard)
