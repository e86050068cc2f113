"""A learner goes through the whole sample course: every page, every inline check, quiz and scenario,
right in one run and wrong in another; the end screen, the score and pass/fail follow the
completion rule. A reload in the middle of a quiz or a scenario resumes exactly where it was."""
from __future__ import annotations

import math
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser import PageGuard
from test_learner_support import (
    CURRENT,
    answer_checks,
    course_data,
    course_url,  # noqa: F401  (fixture)
    current_page,
    extreme_path,
    give_answer,
    local_tracker,
    play_quiz,
    play_scenario,
    question_box,
    response_for,
    shown_questions,
)


def go_through_course(page: Page, url: str, right: bool) -> dict[str, Any]:
    """Read every page in order with the Next button, answering everything; returns what was earned."""
    page.goto(url)
    data = course_data(page)
    first = data["pages"][0]["id"]
    expect(page.locator(f"{CURRENT}[data-page='{first}']")).to_be_visible()
    page.locator(".landing-start").click()  # the course opens on its landing, above the first page
    earned: dict[str, tuple[float, float]] = {}
    questions = choices = checks = 0
    for number, info in enumerate(data["pages"]):
        section = page.locator(f"{CURRENT}[data-page='{info['id']}']")
        expect(section).to_be_visible()
        expect(section.locator(".page-title")).to_have_text(info["title"])
        if info["kind"] == "lesson":
            checks += answer_checks(section, data["checks"], right)
        elif info["kind"] == "quiz":
            quiz = data["quizzes"][info["id"]]
            questions += len(shown_questions(section, quiz))
            earned[info["id"]] = play_quiz(page, section, quiz, right)
        else:
            scenario = data["scenarios"][info["id"]]
            path, _ = extreme_path(scenario, right)
            choices += len(path)
            earned[info["id"]] = (play_scenario(section, scenario, right), scenario["max_points"])
        page.locator(".pager-next").click()
        if number + 1 < len(data["pages"]):
            expect(page.locator(".page-title:focus")).to_have_text(data["pages"][number + 1]["title"])
    expect(page.locator(f"{CURRENT}[data-page='end']")).to_be_visible()
    return {"data": data, "earned": earned, "questions": questions, "choices": choices, "checks": checks}


def expected_outcome(data: dict[str, Any], earned: dict[str, tuple[float, float]]) -> tuple[float, bool]:
    """Course score (weighted, 0..1) and whether every assessment reached its own pass mark, computed here
    from the course's pass rule (rule each, the sample course's)."""
    rule = data["pass"]
    assert rule["rule"] == "each" and rule["assessments"], "the sample course passes on each assessment"
    items = {**data["quizzes"], **data["scenarios"]}
    scaled = {i: earned[i][0] / earned[i][1] for i in rule["assessments"]}
    total = sum(rule["weights"][i] for i in scaled)
    score = sum(rule["weights"][i] * s for i, s in scaled.items()) / total
    return score, all(s * 100 >= items[i]["pass_mark"] for i, s in scaled.items())


@pytest.mark.parametrize("right", [True, False], ids=["all-right", "all-wrong"])
def test_the_whole_course_right_and_wrong(course_url: str, page: Page, guard: PageGuard, right: bool) -> None:
    run = go_through_course(page, course_url, right)
    score, passed = expected_outcome(run["data"], run["earned"])
    assert passed is right

    end = page.locator("#end")
    # All wrong on the first attempt of each: not passed yet, and attempts are left (never "failed").
    expect(end.locator(".end-status")).to_have_text(
        "You have passed the course." if right else "You have not passed yet, and you can try again.")
    percent = math.floor(score * 100 + 0.5)  # rounded half up, as shown
    expect(end.locator(".end-score dd")).to_contain_text(f"{percent}%")
    expect(end.locator(".end-list .is-open")).to_have_count(0)
    assessed = len(run["data"]["pass"]["assessments"])
    expect(page.locator("#toc a.toc-link.is-done")).to_have_count(len(run["data"]["pages"]) - (0 if right else assessed))
    expect(page.locator("#toc a.toc-link.is-retry")).to_have_count(0 if right else assessed)
    expect(page.locator(".course-progress .bar")).to_have_attribute("aria-valuenow", "100")

    tracker = local_tracker(page)
    assert tracker["name"] == "local"
    outcome = tracker["outcome"]
    assert outcome["completion"] == "completed"
    assert outcome["success"] == ("passed" if right else "unknown")
    assert outcome["score"]["raw"] == pytest.approx(score * 100, abs=0.01)
    assert outcome["score"]["scaled"] == pytest.approx(score, abs=1e-4)
    assert tracker["location"] == "end"

    # One interaction per quiz question and per scenario decision; inline checks are not tracked.
    interactions = tracker["interactions"]
    assert len(interactions) == run["questions"] + run["choices"]
    quiz_keys = {q["key"] for quiz in run["data"]["quizzes"].values() for q in quiz["questions"]}
    answered = [i for i in interactions if i["key"] in quiz_keys]
    assert len(answered) == run["questions"]
    assert {i["result"] for i in answered} == {"correct" if right else "incorrect"}
    if right:
        assert all(i["result"] == "correct" for i in interactions), "the best path takes the best choices"
    assert run["checks"] > 0, "the sample course has inline checks"
    guard.assert_clean()


def test_nothing_passes_before_the_completion_rule_holds(course_url: str, page: Page, guard: PageGuard) -> None:
    """Acing the assessments alone does not complete or pass the course: every page must be done."""
    page.goto(course_url)
    data = course_data(page)
    for info in data["pages"]:
        quiz = data["quizzes"].get(info["id"])
        scenario = data["scenarios"].get(info["id"])
        if quiz and quiz["kind"] == "assessment":
            play_quiz(page, page_section(page, course_url, info["id"]), quiz, True)
        elif scenario and scenario["kind"] == "assessment":
            play_scenario(page_section(page, course_url, info["id"]), scenario, True)
    page.goto(f"{course_url}#/end")
    end = page.locator("#end")
    expect(end.locator(".end-status")).to_have_text("You have not finished the course yet.")
    expect(end.locator(".end-list.end-todo li").first).to_be_visible()
    expect(end.locator(".certificate-offer")).to_be_hidden()
    outcome = local_tracker(page)["outcome"]
    assert outcome["completion"] == "incomplete"
    assert outcome["success"] == "unknown"
    guard.assert_clean()


def page_section(page: Page, url: str, page_id: str):
    page.goto(f"{url}#/{page_id}")
    section = page.locator(f"{CURRENT}[data-page='{page_id}']")
    expect(section).to_be_visible()
    return section


def test_a_reload_resumes_the_same_page_with_the_same_answers(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "end" and q["kind"] == "assessment")
    quiz = data["quizzes"][quiz_id]
    section = page_section(page, course_url, quiz_id)
    asked = shown_questions(section, quiz)
    half = asked[: max(1, len(asked) // 2)]
    for question in half:
        give_answer(question_box(section, question["key"]), question, response_for(question, True))
    options_before = section.locator(".option").evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => e.closest('.question').dataset.key + ':' + e.dataset.index)")
    answers_before = section.evaluate("s => Coursewright.app.state.quizzes[s.dataset.page].answers")

    page.reload()
    section = page.locator(f"{CURRENT}[data-page='{quiz_id}']")
    expect(section).to_be_visible()
    assert current_page(page) == quiz_id
    assert [q["key"] for q in shown_questions(section, quiz)] == [q["key"] for q in asked], "the attempt was reshuffled"
    options_after = section.locator(".option").evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => e.closest('.question').dataset.key + ':' + e.dataset.index)")
    assert options_after == options_before, "the options were reshuffled"
    assert section.evaluate("s => Coursewright.app.state.quizzes[s.dataset.page].answers") == answers_before
    for question in half:
        box = question_box(section, question["key"])
        response = response_for(question, True)
        kind = question["type"]
        if kind in ("single", "multiple"):
            for index in response:
                expect(box.locator(f"input[value='{index}']")).to_be_checked()
        elif kind == "true-false":
            expect(box.locator(f"input[value='{str(response).lower()}']")).to_be_checked()
        elif kind == "fill-in":
            expect(box.locator(".fill-in-input")).to_have_value(response)
        elif kind == "matching":
            for left, right in response:
                expect(box.locator(f".match-select[data-left='{left}']")).to_have_value(str(right))
        else:
            order = box.locator(".order-item").evaluate_all("els => els.map(e => Number(e.dataset.item))")
            assert order == response

    # A scenario half played resumes at the same situation with the same path.
    scenario_id, scenario = next(iter(data["scenarios"].items()))
    section = page_section(page, course_url, scenario_id)
    path, _ = extreme_path(scenario, True)
    for index in path[:2]:
        section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
    node_before = section.locator(".scenario-node:not([hidden])").get_attribute("data-node")
    steps_before = section.locator(".scenario-steps li").all_inner_texts()
    page.reload()
    section = page.locator(f"{CURRENT}[data-page='{scenario_id}']")
    expect(section).to_be_visible()
    expect(section.locator(".scenario-node:not([hidden])")).to_have_attribute("data-node", node_before)
    assert section.locator(".scenario-steps li").all_inner_texts() == steps_before
    guard.assert_clean()


def test_retry_while_attempts_remain_keeps_the_best_result(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    quiz_id, quiz = next((i, q) for i, q in data["quizzes"].items() if q["attempts"])
    section = page_section(page, course_url, quiz_id)
    for attempt in range(1, quiz["attempts"] + 1):
        expect(section.locator(".quiz-status")).to_have_text(f"Attempt {attempt} of {quiz['attempts']}")
        play_quiz(page, section, quiz, attempt == 1)
        expect(section.locator(".quiz-result")).to_be_focused()
        retry = section.get_by_role("button", name="Try again")
        if attempt < quiz["attempts"]:
            expect(retry).to_be_visible()
            retry.click()
            expect(section.locator(".quiz-status")).to_be_focused()
            expect(section.locator(".question-feedback:visible")).to_have_count(0)
        else:
            expect(retry).to_have_count(0)
    results = section.evaluate("s => Coursewright.app.state.quizzes[s.dataset.page].results")
    assert len(results) == quiz["attempts"]
    assert results[0]["points"] == results[0]["max"] and results[-1]["points"] == 0
    expect(section.locator(".quiz-result")).to_contain_text("Your best result so far: 100%")
    # On the last attempt the review shows the correct answers.
    expect(section.locator(".mark--answer:visible").first).to_be_visible()
    guard.assert_clean()


def test_an_untouched_ordering_question_counts_as_answered(course_url: str, page: Page, guard: PageGuard) -> None:
    """Items left in the order shown are an answer: the quiz can be submitted."""
    page.goto(course_url)
    data = course_data(page)
    quiz_id, quiz = next((i, q) for i, q in data["quizzes"].items()
                         if q["feedback"] == "end" and any(x["type"] == "ordering" for x in q["questions"]))
    # A saved attempt whose draw holds an ordering question, as a returning learner would have.
    seed = page.evaluate(
        """([id]) => { const quiz = Coursewright.app.course.quizzes[id];
             for (let seed = 1; ; seed++) {
               const shown = Coursewright.quiz.layout(quiz, seed).questions.map(i => quiz.questions[i]);
               if (shown.some(q => q.type === 'ordering')) return seed; } }""", [quiz_id])
    page.evaluate(
        """([id, seed]) => localStorage.setItem(Coursewright.storageKey(Coursewright.app.course), JSON.stringify(
             {v: 1, location: id, visited: [], checks: {}, scenarios: {},
              quizzes: {[id]: {attempt: 1, seed, answers: {}, checked: {}, submitted: false, results: []}}}))""",
        [quiz_id, seed])
    page.goto("about:blank")
    section = page_section(page, course_url, quiz_id)
    for question in shown_questions(section, quiz):
        if question["type"] != "ordering":
            give_answer(question_box(section, question["key"]), question, response_for(question, True))
    section.locator("[data-action='submit']").click()
    expect(section.locator(".quiz-result")).to_be_visible()
    expect(section.locator(".quiz-message")).not_to_contain_text("Still open")
    guard.assert_clean()
