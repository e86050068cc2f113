"""Every answer of every question type is a target of at least 24 by 24 CSS px (WCAG 2.2 2.5.8),
before and after checking: a checked answer stays on show, marked unavailable, and axe-core still
counts it as a target. Phone and desktop, English."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from browser import GuardedPage, format_violations, load_axe, sticky_bars_in_flow
from test_accessibility import show
from test_learner_support import (  # noqa: F401
    answer_checks, course_data, course_url, give_answer, response_for, shown_questions,
)
from test_question_drag import PHONE

KINDS = ("single", "multiple", "true-false", "fill-in", "matching", "ordering", "categorisation", "hotspot")

def target_size(page: Page, box: Locator) -> list[dict[str, Any]]:
    """axe's target-size rule on one question, brought to the middle of the window."""
    load_axe(page)
    box.evaluate("b => b.scrollIntoView({block: 'center'})")
    # each box or button large enough on its own, not only spaced enough from its neighbours
    for size in box.locator("input[type=radio], input[type=checkbox]").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
    ):
        assert min(size) >= 24, f"an answer's box is {size[0]} by {size[1]} px"
    with sticky_bars_in_flow(page):
        return box.evaluate("b => axeWithoutHiddenPages(b, {runOnly: {type: 'rule', values: ['target-size']}})")


def quizzes_with(data: dict[str, Any], kind: str) -> list[str]:
    return [page_id for page_id, quiz in data["quizzes"].items()
            if quiz["feedback"] == "immediate" and not quiz["draw"] and any(q["type"] == kind for q in quiz["questions"])]


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_every_question_type_has_24_px_targets_once_checked(
    course_url: str, new_page: Callable[..., GuardedPage], viewport: dict[str, int]  # noqa: F811
) -> None:
    guarded = new_page(viewport=viewport)
    page = guarded.page
    page.goto(course_url)
    data = course_data(page)
    seen = set()
    for kind in KINDS:
        found = quizzes_with(data, kind)
        if not found:
            continue
        section = show(page, found[0])  # by its address, in the page already open (axe-core loaded once)
        question = next(q for q in shown_questions(section, data["quizzes"][found[0]]) if q["type"] == kind)
        box = section.locator(f".question[data-key='{question['key']}']")
        give_answer(box, question, response_for(question, False))
        violations = target_size(page, box)
        assert not violations, f"{kind}, answered: " + format_violations(violations)
        box.get_by_role("button", name="Check answer").click()
        expect(box.locator(".question-feedback")).to_be_visible()
        violations = target_size(page, box)
        assert not violations, f"{kind}, checked: " + format_violations(violations)
        seen.add(kind)
    assert {"single", "multiple", "true-false"} <= seen, f"the sample course's quizzes show only {sorted(seen)}"
    guarded.guard.assert_clean()


def test_inline_checks_have_24_px_targets_once_checked(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    guarded = new_page(viewport=PHONE)
    page = guarded.page
    page.goto(course_url)
    data = course_data(page)
    section = None
    for info in data["pages"]:
        if info["kind"] == "lesson":
            section = show(page, info["id"])
            if section.locator(".inline-check[data-check]").count():
                break
    assert section is not None and answer_checks(section, data["checks"], right=False), "the sample course has no inline checks"
    boxes = section.locator(".inline-check[data-check] .question")
    for n in range(boxes.count()):
        violations = target_size(page, boxes.nth(n))
        assert not violations, f"inline check {n + 1}, checked: " + format_violations(violations)
    guarded.guard.assert_clean()
