"""The assessment flow in Chromium: one question per screen with a progress indicator, unanswered
questions marked on Submit with the focus moved to the first, a Submit / Try again bar that stays
in reach, the learner's own answers marked right or wrong in review, and no feedback that gives the
right answer away while attempts remain."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from browser import WCAG_TAGS, GuardedPage, PageGuard, axe, format_violations
from lms.session import LMS_DIR
from test_accessibility import settle
from test_learner_support import (
    CURRENT,
    course_data,
    course_url,  # noqa: F401  (fixture)
    give_answer,
    question_box,
    response_for,
)

# The last quiz of the whole outline: from file:// the modules beyond the first come with pages/outline.js.
FINAL_QUIZ = ("() => new Promise((done) => Coursewright.pages.whole(() =>"
              " done(Coursewright.app.course.pages.filter(p => p.kind === 'quiz').pop().id)))")


def open_final(page: Page, url: str, one_per_screen: bool) -> tuple[Locator, dict[str, Any], list[dict[str, Any]]]:
    """The final assessment quiz, optionally one question per screen (set before its page is first shown)."""
    page.goto(url)
    quiz_id = page.evaluate(FINAL_QUIZ)
    # its page's script brings the quiz's data (pages load on demand): set the flag once it is in
    page.evaluate("(id) => new Promise((done) => Coursewright.pages.load(id, done))", quiz_id)
    page.evaluate("([id, on]) => { Coursewright.app.course.quizzes[id].one_per_screen = on; }", [quiz_id, one_per_screen])
    page.evaluate("(id) => { location.hash = '#/' + id; }", quiz_id)
    section = page.locator(f"{CURRENT}[data-page='{quiz_id}']")
    expect(section).to_be_visible()
    quiz = course_data(page)["quizzes"][quiz_id]
    keys = page.evaluate("(id) => { const v = Coursewright.app.views.find(v => v.id === id && v.qs);"
                         " return Coursewright.quiz.shown(v.data, v.qs).map(q => q.key); }", quiz_id)
    by_key = {q["key"]: q for q in quiz["questions"]}
    return section, quiz, [by_key[k] for k in keys]


def test_one_question_per_screen_with_progress(course_url: str, page: Page, guard: PageGuard) -> None:
    section, quiz, asked = open_final(page, course_url, True)
    total = len(asked)
    expect(section.locator(".quiz-item:visible")).to_have_count(1)
    expect(section.locator(".quiz-progress")).to_have_text(f"Question 1 of {total}")
    expect(section.locator(".quiz-meter")).to_have_attribute("aria-valuetext", f"Question 1 of {total}")
    previous = section.get_by_role("button", name="Previous question")
    following = section.get_by_role("button", name="Next question")
    expect(previous).to_be_disabled()
    give_answer(question_box(section, asked[0]["key"]), asked[0], response_for(asked[0], True))
    following.click()
    expect(section.locator(".quiz-progress")).to_have_text(f"Question 2 of {total}")
    expect(question_box(section, asked[1]["key"])).to_be_visible()
    expect(question_box(section, asked[0]["key"])).to_be_hidden()

    # Submit with questions open: the first open one comes on screen, marked, with the focus in it.
    # (An ordering question counts as answered as shown, so it is never open.)
    open_ = [n for n, q in enumerate(asked) if n > 0 and q["type"] != "ordering"]
    following.click()  # away from the first open question, to see the Submit bring it back
    section.get_by_role("button", name="Submit my answers").click()
    expect(section.locator(".quiz-message")).to_contain_text(f"Still open: {len(open_)}")
    expect(section.locator(".quiz-progress")).to_have_text(f"Question {open_[0] + 1} of {total}")
    second = question_box(section, asked[open_[0]]["key"])
    expect(second).to_have_class(lambda_class("is-unanswered"))
    expect(second).to_contain_text("Not answered yet")
    assert page.evaluate("() => !!document.activeElement.closest('.question.is-unanswered')")
    while previous.is_enabled():  # back to the first question, then on to the second
        previous.click()
    following.click()

    for n, question in enumerate(asked[1:], start=2):
        expect(section.locator(".quiz-progress")).to_have_text(f"Question {n} of {total}")
        give_answer(question_box(section, question["key"]), question, response_for(question, n % 2 == 0))
        if n < total:
            following.click()
    expect(following).to_be_disabled()
    expect(second).not_to_have_class(lambda_class("is-unanswered"))
    section.get_by_role("button", name="Submit my answers").click()
    expect(section.locator(".quiz-result")).to_be_focused()
    # The review shows every question, with the learner's own answers.
    expect(section.locator(".quiz-item:visible")).to_have_count(total)
    expect(section.locator(".quiz-progress")).to_be_hidden()
    guard.assert_clean()


def lambda_class(name: str) -> re.Pattern[str]:
    """A class among others, for to_have_class."""
    return re.compile(rf"(^|\s){name}(\s|$)")


def test_review_marks_wrong_answers_and_keeps_the_answer_back_while_attempts_remain(
    course_url: str, page: Page, guard: PageGuard
) -> None:
    section, quiz, asked = open_final(page, course_url, False)
    choice = [q for q in asked if q["type"] in ("single", "multiple", "true-false")]
    for question in asked:
        give_answer(question_box(section, question["key"]), question, response_for(question, False))
    bar = section.locator(".quiz-bar")
    assert bar.evaluate("b => getComputedStyle(b).position") == "sticky"
    section.get_by_role("button", name="Submit my answers").click()
    expect(section.locator(".quiz-result")).to_contain_text("Not passed")
    # Wrong answers are marked wrong, in words; the right answer and explanations are held back.
    box = question_box(section, choice[0]["key"])
    expect(box.locator(".option.is-chosen.is-wrong")).not_to_have_count(0)
    expect(box.locator(".option.is-chosen .mark-text").first).to_have_text("Your answer: wrong")
    expect(section.locator(".mark--answer:visible", has_text="Correct answer")).to_have_count(0)
    expect(section.locator(".feedback-explanation:visible")).to_have_count(0)
    expect(section.locator(".option-feedback:visible")).to_have_count(0)
    expect(box.locator(".feedback-held")).to_be_visible()
    # Try again is in the bar at the bottom, in reach from anywhere in the review.
    retry = bar.get_by_role("button", name="Try again")
    expect(retry).to_be_visible()
    page.mouse.wheel(0, 3000)
    expect(retry).to_be_in_viewport()
    retry.click()
    expect(section.locator(".quiz-status")).to_have_text(f"Attempt 2 of {quiz['attempts']}")
    expect(retry).to_be_hidden()
    guard.assert_clean()


# The three end-screen results and the review of a failed attempt, for axe (WCAG 2.2 AA).
# Each with the verdict its end screen must give (success/completion), so that a walk that stopped short
# of the final assessment cannot pass for the state it names.
STATES = {
    "passed": (["learner.course(true)"], "passed/completed"),
    "failed with attempts left": (["learner.course(false)"], "unknown/completed"),
    "failed with none left": (["learner.course(false)", f"learner.quiz(await ({FINAL_QUIZ})(), false)",
                               f"learner.quiz(await ({FINAL_QUIZ})(), false)"], "failed/completed"),
}


def test_result_states_are_accessible(course_url: str, new_page: Callable[..., GuardedPage], js_modules: Path) -> None:
    """Each state is reached once and checked in the light, then in the dark colour scheme."""
    guarded = new_page(color_scheme="light")
    page = guarded.page

    def assert_accessible(where: str) -> None:
        __tracebackhide__ = True
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            settle(page)
            violations = axe(page, tags=[*WCAG_TAGS, "wcag22aa"])
            assert not violations, f"{where}, {scheme}: " + format_violations(violations)

    for name, (steps, verdict) in STATES.items():
        page.emulate_media(color_scheme="light")
        page.goto(course_url)
        page.evaluate("() => localStorage.clear()")
        page.goto("about:blank")
        page.goto(course_url)
        page.add_script_tag(path=str(LMS_DIR / "learner.js"))
        for step in steps:
            page.evaluate(f"async () => {{ await {step}; }}")
        if name != "passed":  # the review of the last attempt, with the learner's wrong answers
            assert_accessible(f"{name}, quiz review")
        page.evaluate("() => learner.go('end')")
        expect(page.locator("#end .end-status")).to_have_attribute("data-result", verdict)
        assert_accessible(f"{name}, end screen")
    guarded.guard.assert_clean()
