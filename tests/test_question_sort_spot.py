"""Categorisation and hotspot questions in the sample course, answered as learners answer them: by
mouse, by finger (touch events as a phone's screen sends them) and by keyboard alone; each move
announced, the answer read back as the group buttons and the list of areas hold it, the learner's own
answer marked after checking and in the review; axe-core up to WCAG 2.2 AA in every state, and in
Arabic (right to left) and in the dark scheme; 24 px targets."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Locator, Page, expect

from browser import GuardedPage, axe, file_url, format_violations, sticky_bars_in_flow
from builder.cli import main
from test_learner_support import (  # noqa: F401
    course_data, course_url, give_answer, keyboard_answer, keyboard_press_button, question_box, response_for,
    shown_questions, tab_to,
)
from test_question_drag import PHONE, WCAG22, centre, question_of


def no_violations(page: Page, state: str) -> None:
    # From the top of the page: a control that scrolled under the sticky header counts as obscured.
    page.evaluate("scrollTo(0, 0)")
    with sticky_bars_in_flow(page):  # a control at the window's foot, under the Check bar, is scrolled to
        violations = axe(page, tags=WCAG22)
    assert not violations, f"{state}: " + format_violations(violations)


def box_of(question: Locator, group: int) -> Locator:
    return question.locator(f".sort-box[data-group='{group}']")


def item_text(question: Locator, n: int) -> str:
    return question.locator(f".sort-item[data-item='{n}'] .sort-text").inner_text().strip()


# How much of the window's foot the stuck bars cover (the Check bar, a phone's pager), as the runtime
# measures it for the page's scroll padding.
FOOT = "parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--foot-block-size')) || 0"


def drag_to(page: Page, handle: Locator, target: Locator, touch: bool) -> None:
    """Drag `handle` into the lower part of `target`, both brought on screen first, away from the
    window's edges and the bars stuck at its foot (where a drag scrolls the page)."""
    height = page.viewport_size["height"] - page.evaluate(FOOT)
    handle.evaluate(f"h => scrollBy(0, h.getBoundingClientRect().bottom - {height - 120})")
    found = target.bounding_box()
    assert found
    if found["y"] + found["height"] < 72:  # the box is far above: bring its bottom down
        page.evaluate(f"scrollBy(0, {found['y'] + found['height'] - 150})")
        found = target.bounding_box()
        assert found
    x, y = centre(handle)
    to = (found["x"] + found["width"] / 2, min(max(y, found["y"] + 12), found["y"] + found["height"] - 12))
    assert 60 < y < height - 60 and 60 < to[1] < height - 60, "the item is too far from the box to drag in one go"
    if not touch:
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(*to, steps=8)
        page.mouse.up()
        return
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 9):
        point = {"x": x + (to[0] - x) * step / 8, "y": y + (to[1] - y) * step / 8}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def sort_everything(page: Page, question: Locator, data: dict[str, Any], touch: bool,
                    placed: str = "{item}: placed in {group}") -> None:
    """Drag each item onto its group's box, checking that it lands there and that the drop is announced."""
    groups = [g["text"] for g in data["groups"]]
    for n, item in enumerate(data["sort_items"]):
        text = item_text(question, n)
        handle = question.locator(f".sort-item[data-item='{n}'] .sort-text")
        target = box_of(question, item["group"])
        drag_to(page, handle, target, touch)
        expect(target.locator(f".sort-item[data-item='{n}']")).to_be_visible()
        expect(question.locator(f".sort-item[data-item='{n}'] input[value='{item['group']}']")).to_be_checked()
        expect(question.locator(".question-status")).to_have_text(placed.format(item=text, group=groups[item["group"]]))
    expect(question.locator(".sort-box--pool")).to_be_hidden()


def test_categorisation_by_mouse_and_by_touch(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    for how in ("mouse", "touch"):
        options: dict[str, Any] = {"viewport": PHONE, "has_touch": True, "is_mobile": True} if how == "touch" else {}
        guarded = new_page(**options)
        page = guarded.page
        question, data = question_of(page, course_url, "categorisation")
        assert question.locator(".sort-box[data-group]").count() == len(data["groups"])
        expect(question.locator(".sort-box--pool .sort-item")).to_have_count(len(data["sort_items"]))
        no_violations(page, f"{how}, unanswered")
        sort_everything(page, question, data, how == "touch")
        no_violations(page, f"{how}, answered")
        question.get_by_role("button", name="Check answer").click()
        expect(question.locator(".feedback-verdict")).to_have_text("Correct")
        expect(question.locator(".sort-item.is-right")).to_have_count(len(data["sort_items"]))
        # once checked, nothing moves, and every item still reads in full
        first = question.locator(".sort-item[data-item='0'] .sort-text")
        first.scroll_into_view_if_needed()
        x, y = centre(first)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 40, y + 60, steps=4)
        expect(page.locator(".match-ghost")).to_have_count(0)
        page.mouse.up()
        expect(box_of(question, data["sort_items"][0]["group"]).locator(".sort-item[data-item='0']")).to_be_visible()
        colour = first.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).opacity]")
        assert colour == [page.evaluate("() => getComputedStyle(document.body).color"), "1"], colour
        no_violations(page, f"{how}, checked")
        guarded.guard.assert_clean()


def test_categorisation_wrong_answer_shows_the_learners_own_and_then_the_right_group(
    course_url: str, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    guarded = new_page()
    page = guarded.page
    question, data = question_of(page, course_url, "categorisation")
    groups = [g["text"] for g in data["groups"]]
    wrong = (data["sort_items"][0]["group"] + 1) % len(groups)
    for n, item in enumerate(data["sort_items"]):
        group = wrong if n == 0 else item["group"]
        question.locator(f".sort-item[data-item='{n}'] input[value='{group}'] + label").click()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".feedback-verdict")).to_have_text("Not quite")
    first = question.locator(".sort-item[data-item='0']")
    expect(box_of(question, wrong).locator(".sort-item[data-item='0']")).to_be_visible()
    expect(first).to_have_class("sort-item is-wrong")
    expect(first.locator(f"input[value='{wrong}']")).to_be_checked()
    # once checked, the group buttons hold the learner's answer
    first.locator(f"input[value='{data['sort_items'][0]['group']}'] + label").click(force=True)  # marked unavailable
    expect(first.locator(f"input[value='{wrong}']")).to_be_checked()
    expect(box_of(question, wrong).locator(".sort-item[data-item='0']")).to_be_visible()
    # a knowledge check shows the right group at once
    expect(first.locator(".sort-marks")).to_have_text(f"Wrong group Belongs in: {groups[data['sort_items'][0]['group']]}",
                                                      use_inner_text=True)
    submit_and_review(page, question, data)
    expect(first.locator(".sort-marks")).to_be_visible()
    no_violations(page, "review")
    guarded.guard.assert_clean()


def submit_and_review(page: Page, question: Locator, data: dict[str, Any]) -> None:
    """Answer the quiz's other questions, submit it, and open the review of the answers."""
    section = question.locator("xpath=ancestor::section[contains(@class, 'page')]")
    quiz = course_data(page)["quizzes"][data["key"].rpartition("/")[0]]
    for other in shown_questions(section, quiz):
        if other["key"] != data["key"]:
            give_answer(question_box(section, other["key"]), other, response_for(other, True))
    section.locator("[data-action='submit']").click()
    expect(section.locator(".quiz-result")).to_be_visible()
    section.get_by_role("button", name="Review my answers").click()


def click_at(page: Page, image: Locator, x: float, y: float, touch: bool) -> None:
    """A click or a tap at (x, y) percent of the image, brought on screen below the sticky header."""
    image.evaluate("i => scrollBy(0, i.getBoundingClientRect().top - 150)")
    found = image.bounding_box()
    assert found
    point = (found["x"] + found["width"] * x / 100, found["y"] + found["height"] * y / 100)
    if touch:
        page.touchscreen.tap(*point)
    else:
        page.mouse.click(*point)


def inside(region: dict[str, Any]) -> tuple[float, float]:
    points = region["points"]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def test_hotspot_by_mouse_and_by_touch(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    for how in ("mouse", "touch"):
        options: dict[str, Any] = {"viewport": PHONE, "has_touch": True, "is_mobile": True} if how == "touch" else {}
        guarded = new_page(**options)
        page = guarded.page
        question, data = question_of(page, course_url, "hotspot")
        image = question.locator(".hotspot-image")
        assert image.get_attribute("alt") == data["alt"] and data["alt"]
        image.evaluate("i => scrollBy(0, i.getBoundingClientRect().top - 60)")
        no_violations(page, f"{how}, unanswered")
        # a place with no area says so, and chooses nothing
        click_at(page, image, 2, 2, how == "touch")
        expect(question.locator(".question-message")).to_have_text(
            "There is no area to choose there. Choose an area of the image, or one from the list.")
        expect(question.locator(".hotspot-marker")).to_have_count(0)
        right = [i for i, r in enumerate(data["regions"]) if r["correct"]]
        for n, index in enumerate(right, 1):
            x, y = inside(data["regions"][index])
            click_at(page, image, x, y, how == "touch")
            label = data["regions"][index]["label"]
            expect(question.locator(f".hotspot-option input[value='{index}']")).to_be_checked()
            expect(question.locator(".question-status")).to_have_text(f"{label}: chosen")
            expect(question.locator(".hotspot-marker")).to_have_count(n)
            marker = question.locator(f".hotspot-marker[data-index='{index}']")
            mx, my = centre(marker)
            box = image.bounding_box()
            assert box
            cx, cy = data["regions"][index]["centre"]  # a marker stands at the middle of the area chosen
            assert abs(mx - (box["x"] + box["width"] * cx / 100)) < 2 and abs(my - (box["y"] + box["height"] * cy / 100)) < 2
        no_violations(page, f"{how}, answered")
        question.get_by_role("button", name="Check answer").click()
        expect(question.locator(".feedback-verdict")).to_have_text("Correct")
        expect(question.locator(".hotspot-region.is-right")).to_have_count(len(right))
        expect(question.locator(".hotspot-marker.is-right")).to_have_count(len(right))
        no_violations(page, f"{how}, checked")
        guarded.guard.assert_clean()


def test_hotspot_a_second_click_takes_a_choice_back_and_the_list_answers_too(
    course_url: str, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    guarded = new_page()
    page = guarded.page
    question, data = question_of(page, course_url, "hotspot")
    image = question.locator(".hotspot-image")
    wrong = next(i for i, r in enumerate(data["regions"]) if not r["correct"])
    right = next(i for i, r in enumerate(data["regions"]) if r["correct"])
    image.evaluate("i => scrollBy(0, i.getBoundingClientRect().top - 60)")
    click_at(page, image, *inside(data["regions"][wrong]), touch=False)
    click_at(page, image, *inside(data["regions"][wrong]), touch=False)
    expect(question.locator(".hotspot-marker")).to_have_count(0)
    expect(question.locator(".question-status")).to_have_text(f"{data['regions'][wrong]['label']}: no longer chosen")
    # the list: a marker appears at the area's middle
    question.locator(f".hotspot-option[data-index='{wrong}'] label").click()
    expect(question.locator(f".hotspot-marker[data-index='{wrong}']")).to_be_visible()
    question.locator(f".hotspot-option[data-index='{right}'] label").click()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".feedback-verdict")).to_have_text("Not quite")
    expect(question.locator(f".hotspot-option[data-index='{wrong}']")).to_contain_text("Your answer: wrong")
    expect(question.locator(".hotspot-region.is-wrong")).to_have_count(1)
    expect(question.locator(".hotspot-region.is-answer")).to_have_count(
        sum(1 for r in data["regions"] if r["correct"]) - 1)
    no_violations(page, "checked, wrong")
    submit_and_review(page, question, data)
    expect(question.locator(f".hotspot-option[data-index='{wrong}']")).to_contain_text("Your answer: wrong")
    expect(question.locator(".hotspot-region.is-wrong")).to_have_count(1)
    expect(question.locator(".hotspot-marker.is-wrong")).to_have_count(1)
    no_violations(page, "review")
    guarded.guard.assert_clean()


def test_both_read_right_to_left_in_arabic_and_in_the_dark(
    course_url: str, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    arabic = course_url.replace("/index.html", "/ar/index.html")
    guarded = new_page(color_scheme="dark", viewport=PHONE, has_touch=True, is_mobile=True)
    page = guarded.page
    question, data = question_of(page, arabic, "categorisation")
    assert page.evaluate("document.dir") == "rtl"
    title = box_of(question, 0).locator(".sort-box-title")
    expect(title).to_have_text(data["groups"][0]["text"])
    # the boxes sit side by side from the right, or one under the other on a phone: never off screen
    for n in range(len(data["groups"])):
        found = box_of(question, n).bounding_box()
        assert found and found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"]
    sort_everything(page, question, data, True, placed="{item}: في مجموعة {group}")
    no_violations(page, "arabic, dark, answered")
    spot, spot_data = question_of(page, arabic, "hotspot")
    image = spot.locator(".hotspot-image")
    image.evaluate("i => scrollBy(0, i.getBoundingClientRect().top - 60)")
    index = next(i for i, r in enumerate(spot_data["regions"]) if r["correct"])
    x, y = inside(spot_data["regions"][index])
    click_at(page, image, x, y, touch=True)  # the picture is not mirrored: its areas stay where they are drawn
    expect(spot.locator(f".hotspot-option input[value='{index}']")).to_be_checked()
    spot.evaluate("e => e.scrollIntoView({block: 'start'})")
    no_violations(page, "arabic, dark, hotspot answered")
    guarded.guard.assert_clean()


def test_targets_are_at_least_24_pixels(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    guarded = new_page(viewport=PHONE)
    page = guarded.page
    question, _ = question_of(page, course_url, "categorisation")
    heights = question.locator(".sort-option").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, heights
    spot, _ = question_of(page, course_url, "hotspot")
    heights = spot.locator(".hotspot-option").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, heights


def test_keyboard_focus_stays_on_the_item_it_moves(course_url: str, page: Page) -> None:  # noqa: F811
    question, data = question_of(page, course_url, "categorisation")
    radios = question.locator(".sort-item[data-item='1'] input[type=radio]")
    tab_to(page, radios.first)
    page.keyboard.press("Space")
    expect(box_of(question, 0).locator(".sort-item[data-item='1']")).to_be_visible()
    expect(radios.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(box_of(question, 1).locator(".sort-item[data-item='1']")).to_be_visible()
    expect(radios.nth(1)).to_be_focused()
    expect(question.locator(".question-status")).to_have_text(
        f"{item_text(question, 1)}: placed in {data['groups'][1]['text']}")


# Runs in the course page: the runtime's own interaction record and xAPI statement for a response.
STATEMENT = """
([question, response]) => {
  const CW = Coursewright;
  const statements = new CW.xapi.Statements({actor: {objectType: "Agent", mbox: "mailto:learner@example.org"},
    activity: "urn:coursewright:test", base: "urn:coursewright:test", lang: "en", course: {title: "Test"}});
  const interaction = CW.questions.interaction(question, response, 4200, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
  return statements.interaction(interaction, question, false);
}
"""


def test_both_as_valid_xapi_statements(course_url: str, page: Page) -> None:  # noqa: F811
    """Categorisation: a matching of the items (source) to the groups (target); hotspot: a choice of
    the areas; both pass the xAPI validator, right and wrong."""
    from lrs.checks import validator_problems

    page.goto(course_url)
    page.evaluate("() => new Promise((done) => Coursewright.parts.need(['quiz', 'xapi'], done))")
    data = course_data(page)
    questions = {q["type"]: q for quiz in data["quizzes"].values() for q in quiz["questions"]}
    sort, spot = questions["categorisation"], questions["hotspot"]
    right_sort = [[i, item["group"]] for i, item in enumerate(sort["sort_items"])]
    wrong_sort = [[i, (g + 1) % len(sort["groups"])] for i, g in right_sort]
    made = [page.evaluate(STATEMENT, [sort, right_sort]), page.evaluate(STATEMENT, [sort, wrong_sort]),
            page.evaluate(STATEMENT, [spot, [0, 2]]), page.evaluate(STATEMENT, [spot, [1]])]
    assert validator_problems(made) == []
    definition = made[0]["object"]["definition"]
    assert definition["interactionType"] == "matching"
    assert [s["description"]["en"] for s in definition["source"]] == [i["text"] for i in sort["sort_items"]]
    assert [t["description"]["en"] for t in definition["target"]] == [g["text"] for g in sort["groups"]]
    letters = "abcdefghijklmnopqrstuvwxyz"
    assert definition["correctResponsesPattern"] == ["[,]".join(f"{letters[i]}[.]{letters[g]}" for i, g in right_sort)]
    assert (made[0]["result"]["success"], made[1]["result"]["success"]) == (True, False)
    assert made[1]["result"]["response"] == "[,]".join(f"{letters[i]}[.]{letters[g]}" for i, g in wrong_sort)
    spot_definition = made[2]["object"]["definition"]
    assert spot_definition["interactionType"] == "choice"
    assert [c["description"]["en"] for c in spot_definition["choices"]] == [r["label"] for r in spot["regions"]]
    assert spot_definition["correctResponsesPattern"] == ["a[,]c"]
    assert (made[2]["result"]["response"], made[2]["result"]["success"]) == ("a[,]c", True)
    assert (made[3]["result"]["response"], made[3]["result"]["success"]) == ("b", False)


INLINE = """
::: check
id: sort-check
type: categorisation
prompt: Which part of a course is each of these?
groups:
  - id: page
    text: A page
  - id: block
    text: A block inside a lesson
items:
  - text: A scenario
    group: page
  - text: An accordion
    group: block
  - text: A knowledge check
    group: page
:::

::: check
id: spot-check
type: hotspot
prompt: Which part of a lesson is written in YAML?
image: ../../media/lesson-parts.svg
alt: A lesson drawn as two boxes, the front matter above the Markdown body.
regions:
  - label: The box at the top
    rect: [0, 0, 100, 40]
    correct: true
  - label: The box below it
    rect: [0, 40, 100, 60]
:::
"""


def test_inline_checks_of_both_types_in_a_new_course_with_the_keyboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    """`::: check` blocks in a lesson of a course made with `course new`: checked clean, built, answered
    with the keyboard alone, marked right, axe-clean; the picture found relative to the lesson."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "c"]).exit_code == 0
    with open("c/modules/01-getting-started/02-checks.md", "a", encoding="utf-8") as f:
        f.write(INLINE)
    result = runner.invoke(main, ["build", "c", "--out", "dist"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist" / "web" / "media" / "lesson-parts.svg").is_file()
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(tmp_path / "dist" / "web" / "index.html") + "#/getting-started/checks")
    for kind, response in (("categorisation", [[0, 0], [1, 1], [2, 0]]), ("hotspot", [0])):
        box = page.locator(f".question[data-type='{kind}']")
        expect(box).to_be_visible()
        keyboard_answer(page, box, {"type": kind}, response)
        keyboard_press_button(page, box.get_by_role("button", name="Check answer"))
        expect(box.locator(".feedback-verdict")).to_have_text("Correct")
    assert page.locator(".hotspot-image").evaluate("i => i.complete && i.naturalWidth > 0")
    no_violations(page, "inline checks answered")
    guarded.guard.assert_clean()


FORCED_LOOK = """e => {
  const s = getComputedStyle(e);
  return {visibility: s.visibility, display: s.display, border: s.borderTopStyle + ' ' + s.borderTopColor,
          background: s.backgroundColor, stroke: s.stroke, dashes: s.strokeDasharray, after: getComputedStyle(e, '::after').content,
          glyph: getComputedStyle(e, '::after').color};
}"""


def no_forced_violations(page: Page, state: str) -> None:
    """axe-core in forced colours, less its colour contrast: it reads the text's colour before the
    browser forces it and the background after (dequelabs/axe-core#3978), so white on black counts
    as dark on black; the forced colours are the learner's own anyway."""
    page.evaluate("scrollTo(0, 0)")
    violations = [v for v in axe(page, tags=WCAG22) if v["id"] != "color-contrast"]
    assert not violations, f"{state}: " + format_violations(violations)


def test_both_stay_clear_in_forced_colours(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    """Windows High Contrast and the like replace the theme's colours: the groups keep their edges,
    a right or wrong item says so in words, and a hotspot's areas and markers stay on show, right and
    wrong told apart by a tick or a cross and a solid or dotted outline, not by colour."""
    guarded = new_page(forced_colors="active", color_scheme="dark")  # white on black, as many learners set it
    page = guarded.page
    question, data = question_of(page, course_url, "categorisation")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    wrong = (data["sort_items"][0]["group"] + 1) % len(data["groups"])
    for n, item in enumerate(data["sort_items"]):
        question.locator(f".sort-item[data-item='{n}'] input[value='{wrong if n == 0 else item['group']}'] + label").click()
    for n in range(len(data["groups"])):
        look = box_of(question, n).evaluate(FORCED_LOOK)
        assert look["border"].startswith("dashed") and look["border"].split(" ", 1)[1] != look["background"], look
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".sort-item[data-item='0'] .sort-marks")).to_contain_text("Wrong group")
    expect(question.locator(".sort-item[data-item='1'] .sort-marks")).to_contain_text("Right group")
    no_forced_violations(page, "categorisation checked")

    spot, spot_data = question_of(page, course_url, "hotspot")
    regions = spot_data["regions"]
    right = next(i for i, r in enumerate(regions) if r["correct"])
    miss = next(i for i, r in enumerate(regions) if not r["correct"])
    several = spot.locator(".hotspot-option input").first.get_attribute("type") == "checkbox"
    image = spot.locator(".hotspot-image")
    image.evaluate("i => scrollBy(0, i.getBoundingClientRect().top - 60)")
    for index in (right, miss) if several else (miss,):
        click_at(page, image, *inside(regions[index]), touch=False)
    spot.get_by_role("button", name="Check answer").click()
    expect(spot.locator(".feedback-verdict")).to_have_text("Not quite")
    marker = spot.locator(f".hotspot-marker[data-index='{miss}']").evaluate(FORCED_LOOK)
    assert marker["border"].split(" ", 1)[1] != marker["background"] and marker["after"] == '"✗"', marker
    assert marker["glyph"] != marker["background"], f"the cross is the colour of its background: {marker}"
    region = spot.locator(".hotspot-region").nth(miss).evaluate(FORCED_LOOK)
    assert region["visibility"] == "visible" and region["stroke"] not in ("none", marker["background"]), region
    assert region["dashes"] not in ("none", ""), f"a wrong area's outline is told only by its colour: {region}"
    if several:
        marker = spot.locator(f".hotspot-marker[data-index='{right}']").evaluate(FORCED_LOOK)
        assert marker["after"] == '"✓"', marker
    no_forced_violations(page, "hotspot checked")
    guarded.guard.assert_clean()
