"""What the learner's-course tests share: a learner who reads, answers and plays through the built
sample course in Chromium, with the mouse or with the keyboard alone. It holds no tests itself.

Right and wrong answers come from the course data embedded in the page (the runtime's input);
the expected scores are computed here from that data, independently of the runtime's scoring.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

import webcourse
from browser import file_url
from builder.conditions import evaluate

CURRENT = "section.page.is-current"


@pytest.fixture(scope="module")
def course_url(built_course: Path) -> str:
    index = built_course / "web" / "index.html"
    assert index.is_file(), "the build wrote no web/index.html"
    return file_url(index)


def course_folder(page: Page) -> Path:
    """The folder of the built course open in `page` (from file://)."""
    url = page.url.split("#")[0]
    assert url.startswith("file://"), url
    return Path(unquote(urlparse(url).path)).parent


def in_every_page(page: Page, script: str) -> Any:
    """`script` (a function of a document) run on the course with every page in it, as the built
    files hold it: pages load one by one in the running course, so only some are in its document."""
    html = webcourse.whole_html(course_folder(page))
    return page.evaluate("([html, script]) => (0, eval)(script)(new DOMParser().parseFromString(html, 'text/html'))",
                         [html, script])


def course_data(page: Page) -> dict[str, Any]:
    """The course data with every page's part in full: from the built files when the web course is
    opened from them (the runtime gets the pages' parts as each page loads), else as the page holds
    it (the single-file edition holds it all)."""
    if page.url.startswith("file://") and page.url.split("#")[0].endswith("/index.html"):
        return webcourse.course_data(course_folder(page))
    return page.evaluate("() => Coursewright.pages.expand(JSON.parse(document.getElementById('course-data').textContent))")


def current_page(page: Page) -> str | None:
    return page.evaluate(f"() => document.querySelector('{CURRENT}')?.dataset.page ?? null")


def open_page(page: Page, url: str, page_id: str) -> Locator:
    """Go to a page by its address and wait until the runtime shows it."""
    page.goto(f"{url}#/{page_id}")
    section = page.locator(f"{CURRENT}[data-page='{page_id}']")
    expect(section).to_be_visible()
    return section


def open_module(page: Page, module_id: str) -> None:
    """Open a module of the contents as the learner does: its title's button (runtime/toc.js)."""
    toggle = page.locator(f"#toc .toc-module[data-module='{module_id}'] .toc-module-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#toc .toc-module[data-module='{module_id}'] .toc-loading")).to_have_count(0)


def open_every_module(page: Page) -> None:
    """Every module of the contents opened (each list made), for checks of every page's mark."""
    page.evaluate("""() => document.querySelectorAll("#toc .toc-module-toggle[aria-expanded='false']")
        .forEach((button) => button.click())""")
    expect(page.locator("#toc .toc-module-toggle[aria-expanded='false'], #toc .toc-loading")).to_have_count(0)


def local_tracker(page: Page) -> dict[str, Any]:
    """What the LocalTracker was told: outcome, bookmark and interactions."""
    return page.evaluate(
        """() => { const t = Coursewright.app.tracker.inner;
                   return {outcome: t.outcome, location: t.location, name: t.name,
                           interactions: t.interactions.map(i => ({...i, timestamp: String(i.timestamp)}))}; }"""
    )


# --- answers ---------------------------------------------------------------------------------

def response_for(question: dict[str, Any], right: bool) -> Any:
    """A response to give: the correct one, or a wrong one, in the neutral form."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        good = [i for i, o in enumerate(question["options"]) if o["correct"]]
        bad = [i for i, o in enumerate(question["options"]) if not o["correct"]]
        return good if right else bad[:1]
    if kind == "true-false":
        return question["answer"] if right else not question["answer"]
    if kind == "fill-in":
        return question["answers"][0] if right else "no idea"
    if kind == "matching":
        n = len(question["pairs"])
        if right:
            return [[i, i] for i in range(n)]
        rights = [p["right"] for p in question["pairs"]]
        for shift in range(1, n):
            pairs = [[i, (i + shift) % n] for i in range(n)]
            if any(rights[i] != rights[j] for i, j in pairs):
                return pairs
        raise AssertionError(f"{question['key']}: every right-hand side reads the same")
    if kind == "ordering":
        n = len(question["items"])
        return list(range(n)) if right else [1, 0, *range(2, n)]
    if kind == "categorisation":
        groups = [item["group"] for item in question["sort_items"]]
        wrong = (groups[0] + 1) % len(question["groups"])
        return [[i, g if right or i else wrong] for i, g in enumerate(groups)]
    if kind == "hotspot":
        good = [i for i, r in enumerate(question["regions"]) if r["correct"]]
        bad = [i for i, r in enumerate(question["regions"]) if not r["correct"]]
        return good if right else bad[:1]
    raise AssertionError(f"unknown question type {kind}")


def is_right(question: dict[str, Any], response: Any) -> bool:
    """Independent answer checking, to know what score to expect."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        return sorted(response) == [i for i, o in enumerate(question["options"]) if o["correct"]]
    if kind == "hotspot":
        return sorted(response) == [i for i, r in enumerate(question["regions"]) if r["correct"]]
    if kind == "categorisation":
        return all(question["sort_items"][i]["group"] == g for i, g in response)
    if kind == "true-false":
        return response is question["answer"]
    if kind == "fill-in":
        norm = lambda s: "".join(s.lower().split())  # noqa: E731
        return norm(response) in {norm(a) for a in question["answers"]}
    if kind == "matching":
        rights = [p["right"] for p in question["pairs"]]
        return all(rights[i] == rights[j] for i, j in response)
    if kind == "ordering":
        items = question["items"]
        return [items[i] for i in response] == items
    raise AssertionError(kind)


def order_now(box: Locator) -> list[int]:
    return [int(x) for x in box.locator(".order-item").evaluate_all("els => els.map(e => e.dataset.item)")]


def give_answer(box: Locator, question: dict[str, Any], response: Any) -> None:
    """Answer one question with the mouse (clicks, typing, select menus, move buttons, group buttons)."""
    kind = question["type"]
    if kind in ("single", "multiple", "hotspot"):
        for index in response:
            box.locator(f".option[data-index='{index}'] label").click()
    elif kind == "true-false":
        box.locator(f".option[data-index='{str(response).lower()}'] label").click()
    elif kind == "fill-in":
        box.locator(".fill-in-input").fill(response)
    elif kind == "matching":
        for left, right in response:
            box.locator(f".match-select[data-left='{left}']").select_option(str(right))
    elif kind == "ordering":
        for position, item in enumerate(response):
            while order_now(box).index(item) > position:
                box.locator(f".order-item[data-item='{item}'] .order-up").click()
        assert order_now(box) == response
    elif kind == "categorisation":
        for item, group in response:
            box.locator(f".sort-item[data-item='{item}'] input[value='{group}'] + label").click()


def shown_questions(section: Locator, quiz: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions of the attempt on show, in the order shown."""
    keys = section.locator(".quiz-item:not([hidden])").evaluate_all("els => els.map(e => e.dataset.key)")
    by_key = {q["key"]: q for q in quiz["questions"]}
    return [by_key[k] for k in keys]


def question_box(section: Locator, key: str) -> Locator:
    return section.locator(f".question[data-key='{key}']")


def play_quiz(page: Page, section: Locator, quiz: dict[str, Any], right: bool) -> tuple[float, float]:
    """Answer every question of the attempt on show and finish it; returns (points, max)."""
    points = maximum = 0.0
    for question in shown_questions(section, quiz):
        box = question_box(section, question["key"])
        response = response_for(question, right)
        give_answer(box, question, response)
        if quiz["feedback"] == "immediate":
            box.get_by_role("button", name="Check answer").click()
            expect(box.locator(".question-feedback")).to_be_visible()
        maximum += question["points"]
        points += question["points"] if is_right(question, response) else 0
    section.locator("[data-action='submit']").click()
    expect(section.locator(".quiz-result")).to_be_visible()
    return points, maximum


# --- scenarios -------------------------------------------------------------------------------

def next_node(choice: dict[str, Any], flags: frozenset[str], scores: dict[str, float]) -> str | None:
    """Where a choice of the runtime's data leads for a learner's flags and scores."""
    for condition, node in choice.get("branches") or [[None, choice["goto"]]]:
        if condition is None or evaluate(condition, flags, scores):
            return node
    return None


def remember(choice: dict[str, Any], flags: frozenset[str], scores: dict[str, float]) -> tuple[frozenset[str], dict]:
    scores = dict(scores)
    for name, amount in (choice.get("add") or {}).items():
        scores[name] = scores.get(name, 0) + amount
    return flags | frozenset(choice.get("set") or ()), scores


def extreme_path(scenario: dict[str, Any], best: bool) -> tuple[list[int], float]:
    """The choices of the path with the most (or fewest) points from start to an ending, following
    the conditions a learner's choices make true on the way."""
    nodes = scenario["nodes"]

    def walk(node_id: str, seen: frozenset[str], flags: frozenset[str],
             scores: dict[str, float]) -> tuple[float, list[int]] | None:
        node = nodes[node_id]
        if node["ending"]:
            return 0.0, []
        options = []
        for index, choice in enumerate(node["choices"]):
            after_flags, after_scores = remember(choice, flags, scores)
            target = next_node(choice, after_flags, after_scores)
            if target is None or target in seen:
                continue
            rest = walk(target, seen | {target}, after_flags, after_scores)
            if rest is not None:
                options.append((choice["points"] + rest[0], [index, *rest[1]]))
        if not options:
            return None
        return max(options, key=lambda o: o[0]) if best else min(options, key=lambda o: o[0])

    result = walk(scenario["start"], frozenset({scenario["start"]}), frozenset(), {})
    assert result is not None, "the scenario has no path to an ending"
    return result[1], result[0]


def after_choice(section: Locator) -> None:
    """After a decision the focus is on its feedback or, when it ended the story, on the ending."""
    expect(section.locator(".scenario-feedback:focus, .scenario-ending:not([hidden]):focus")).to_have_count(1)


def play_scenario(section: Locator, scenario: dict[str, Any], best: bool) -> float:
    """Play the best (or worst) path to its ending; returns the points earned."""
    choices, points = extreme_path(scenario, best)
    for index in choices:
        node = section.locator(".scenario-node:not([hidden])")
        node.locator(f".scenario-choice[data-choice='{index}']").click()
        after_choice(section)
    expect(section.locator(".scenario-ending:not([hidden])")).to_be_visible()
    return points


def answer_checks(section: Locator, checks: dict[str, Any], right: bool) -> int:
    """Answer the inline checks of a lesson; returns how many there were."""
    boxes = section.locator(".inline-check[data-check]")
    count = boxes.count()
    for i in range(count):
        box = boxes.nth(i)
        question = checks[box.get_attribute("data-check")]
        give_answer(box.locator(".question"), question, response_for(question, right))
        box.get_by_role("button", name="Check answer").click()
        verdict = "Correct" if right else "Not quite"
        expect(box.locator(".feedback-verdict")).to_have_text(verdict)
    return count


# --- the keyboard alone ----------------------------------------------------------------------

def is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = 400) -> None:
    """Press Tab until the target has the focus."""
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def keyboard_answer(page: Page, box: Locator, question: dict[str, Any], response: Any) -> None:
    """Answer one question with the keyboard alone."""
    kind = question["type"]
    if kind in ("single", "true-false"):
        wanted = response[0] if kind == "single" else str(response).lower()
        radios = box.locator("input[type=radio]")
        values = radios.evaluate_all("els => els.map(e => e.value)")
        tab_to(page, radios.first)
        page.keyboard.press("Space")
        steps = values.index(str(wanted))
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        expect(box.locator(f"input[value='{wanted}']")).to_be_checked()
    elif kind == "multiple" or kind == "hotspot" and box.locator("input[type=checkbox]").count():
        for index in response:
            checkbox = box.locator(f"input[value='{index}']")
            tab_to(page, checkbox)
            page.keyboard.press("Space")
            expect(checkbox).to_be_checked()
    elif kind == "hotspot":
        tab_to(page, box.locator("input[type=radio]").first)
        page.keyboard.press("Space")
        for _ in range(response[0]):
            page.keyboard.press("ArrowDown")
        expect(box.locator(f"input[value='{response[0]}']")).to_be_checked()
    elif kind == "categorisation":
        # Each item's group buttons: Space chooses the first group, the arrows the next ones; the
        # item moves into its group's box and keeps the focus.
        for item, group in response:
            radios = box.locator(f".sort-item[data-item='{item}'] input[type=radio]")
            tab_to(page, radios.first)
            page.keyboard.press("Space")
            for _ in range(group):
                page.keyboard.press("ArrowRight" if page.evaluate("document.dir") != "rtl" else "ArrowLeft")
            expect(radios.nth(group)).to_be_checked()
            expect(radios.nth(group)).to_be_focused()
    elif kind == "fill-in":
        field = box.locator(".fill-in-input")
        tab_to(page, field)
        page.keyboard.type(response)
    elif kind == "matching":
        for left, right in response:
            select = box.locator(f".match-select[data-left='{left}']")
            values = select.locator("option").evaluate_all("els => els.map(e => e.value)")
            tab_to(page, select)
            for _ in range(values.index(str(right))):
                page.keyboard.press("ArrowDown")
            expect(select).to_have_value(str(right))
    elif kind == "ordering":
        for position, item in enumerate(response):
            while order_now(box).index(item) > position:
                up = box.locator(f".order-item[data-item='{item}'] .order-up")
                tab_to(page, up)
                page.keyboard.press("Enter")
        assert order_now(box) == response
    else:
        raise AssertionError(kind)


def keyboard_press_button(page: Page, button: Locator) -> None:
    tab_to(page, button)
    page.keyboard.press("Enter")
