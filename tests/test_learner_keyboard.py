"""The keyboard alone: quizzes covering all six question types, a scenario, the contents and a
glossary definition, operated with Tab, Space, Enter, the arrow keys and Escape; no mouse."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from browser import PageGuard
from test_learner_support import (
    CURRENT,
    course_data,
    course_url,  # noqa: F401  (fixture)
    after_choice,
    extreme_path,
    is_right,
    keyboard_answer,
    keyboard_press_button,
    question_box,
    response_for,
    shown_questions,
    tab_to,
)

TYPES = {"single", "multiple", "true-false", "fill-in", "matching", "ordering", "categorisation", "hotspot"}


def quizzes_covering_every_type(data: dict[str, Any]) -> list[str]:
    """Knowledge checks (every question asked) that together hold the eight types."""
    chosen: list[str] = []
    covered: set[str] = set()
    for page_id, quiz in data["quizzes"].items():
        if quiz["draw"]:
            continue
        types = {q["type"] for q in quiz["questions"]}
        if types - covered:
            chosen.append(page_id)
            covered |= types
    assert covered >= TYPES, f"the sample course's quizzes lack {TYPES - covered}"
    return chosen


def test_quizzes_of_every_type_with_the_keyboard_alone(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    for page_id in quizzes_covering_every_type(data):
        quiz = data["quizzes"][page_id]
        page.goto(f"{course_url}#/{page_id}")
        section = page.locator(f"{CURRENT}[data-page='{page_id}']")
        expect(section).to_be_visible()
        section.locator(".page-title").focus()
        for n, question in enumerate(shown_questions(section, quiz)):
            box = question_box(section, question["key"])
            right = n % 2 == 0
            response = response_for(question, right)
            keyboard_answer(page, box, question, response)
            if quiz["feedback"] == "immediate":
                keyboard_press_button(page, box.get_by_role("button", name="Check answer"))
                feedback = box.locator(".question-feedback")
                expect(feedback).to_be_focused()
                expect(feedback.locator(".feedback-verdict")).to_have_text("Correct" if is_right(question, response) else "Not quite")
        keyboard_press_button(page, section.locator("[data-action='submit']"))
        expect(section.locator(".quiz-result")).to_be_focused()
        expect(section.locator(".result-score")).to_be_visible()
    guard.assert_clean()


def test_a_scenario_and_the_pager_with_the_keyboard_alone(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    page_id, scenario = next(iter(data["scenarios"].items()))
    page.goto(f"{course_url}#/{page_id}")
    section = page.locator(f"{CURRENT}[data-page='{page_id}']")
    expect(section).to_be_visible()
    path, _ = extreme_path(scenario, True)
    for index in path:
        choice = section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']")
        tab_to(page, choice)
        page.keyboard.press("Enter")
        after_choice(section)
    expect(section.locator(".scenario-ending:not([hidden])")).to_be_visible()
    keyboard_press_button(page, section.get_by_role("button", name="Start the scenario again"))
    start = section.locator(f".scenario-node[data-node='{scenario['start']}']")
    expect(start).to_be_visible()
    expect(start).to_be_focused()

    following = data["pages"][[p["id"] for p in data["pages"]].index(page_id) + 1]
    keyboard_press_button(page, page.locator(".pager-next"))
    heading = page.locator(f"{CURRENT}[data-page='{following['id']}'] .page-title")
    expect(heading).to_be_focused()
    guard.assert_clean()


def test_skip_link_contents_and_glossary_with_the_keyboard(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    # The contents: a link to the second page, followed by Enter.
    second = data["pages"][1]
    link = page.locator(f"#toc a[href='#/{second['id']}']")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.locator(f"{CURRENT}[data-page='{second['id']}'] .page-title")).to_be_focused()
    expect(link).to_have_attribute("aria-current", "page")

    # A glossary term opens in place; Escape closes it and gives the focus back.
    term = page.locator(f"{CURRENT} a.term-ref").first
    tab_to(page, term)
    page.keyboard.press("Enter")
    card = page.locator(".ref-card")
    expect(card).to_be_focused()
    expect(term).to_have_attribute("aria-expanded", "true")
    expect(card.locator(".ref-card-link")).to_have_attribute("href", f"#g-{term.get_attribute('data-term')}")
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(term).to_be_focused()
    expect(term).to_have_attribute("aria-expanded", "false")
    guard.assert_clean()
