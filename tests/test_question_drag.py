"""Drag and drop in the sample course's matching and ordering questions, with a mouse and with a
finger (touch events sent as a phone's screen sends them): the answer changes as the menus and
buttons would change it, the move is announced, the menus and move buttons still work from the
keyboard, and a checked matching question still shows every matched answer in full, at full
contrast; axe-core up to WCAG 2.2 AA before and after checking."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, format_violations, sticky_bars_in_flow
from test_learner_support import course_data, course_url, open_page, shown_questions, tab_to  # noqa: F401

WCAG22 = [*WCAG_TAGS, "wcag22aa"]
PHONE = {"width": 390, "height": 844}


def first_quiz_with(data: dict[str, Any], kind: str) -> str:
    for page_id, quiz in data["quizzes"].items():
        if not quiz["draw"] and any(q["type"] == kind for q in quiz["questions"]):
            return page_id
    raise AssertionError(f"the sample course has no {kind} question")


def question_of(page: Page, url: str, kind: str) -> tuple[Locator, dict[str, Any]]:
    page.goto(url)
    data = course_data(page)
    page_id = first_quiz_with(data, kind)
    section = open_page(page, url, page_id)
    question = next(q for q in shown_questions(section, data["quizzes"][page_id]) if q["type"] == kind)
    box = section.locator(f".question[data-key='{question['key']}']")
    box.scroll_into_view_if_needed()
    return box, question


def centre(locator: Locator, top: bool = False) -> tuple[float, float]:
    """The middle of an element, or of its top edge (to drop before it)."""
    found = locator.bounding_box()
    assert found, f"{locator} is not on screen"
    return found["x"] + found["width"] / 2, found["y"] + (4 if top else found["height"] / 2)


def mouse_drag(page: Page, source: Locator, target: Locator, middle: bool = False) -> None:
    x, y = centre(source)
    to_x, to_y = centre(target, top=not middle)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(to_x, to_y, steps=8)
    page.mouse.up()


def touch_drag(page: Page, source: Locator, target: Locator, middle: bool = False) -> None:
    """A finger on the screen: the touch events Chromium turns into pointer events, as on a phone.
    It drops on the target's top edge (before it, in a list) or, `middle`, on its middle."""
    cdp = page.context.new_cdp_session(page)
    x, y = centre(source)
    to_x, to_y = centre(target, top=not middle)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 9):
        point = {"x": x + (to_x - x) * step / 8, "y": y + (to_y - y) * step / 8}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def in_reach(page: Page, source: Locator, target: Locator) -> None:
    """Scroll so that both ends of a drag are in sight, between the sticky header and the sticky
    Check bar, and show that the drop point is the target, not a bar over it: a finger drops where
    the learner sees the row."""
    band = page.evaluate(
        """() => ({ top: document.querySelector('.site-header').getBoundingClientRect().bottom,
                    bottom: document.querySelector('.quiz-bar').getBoundingClientRect().top })"""
    )
    ends = [source.bounding_box(), target.bounding_box()]
    assert all(ends), f"{source} or {target} is not on screen"
    lowest = max(end["y"] + end["height"] for end in ends if end)
    if lowest > band["bottom"] - 8:
        page.evaluate("by => scrollBy(0, by)", lowest - band["bottom"] + 8)
    band = page.evaluate(
        """() => ({ top: document.querySelector('.site-header').getBoundingClientRect().bottom,
                    bottom: document.querySelector('.quiz-bar').getBoundingClientRect().top })"""
    )
    for end in (source, target):
        x, y = centre(end)
        assert band["top"] < y < band["bottom"], f"{end} is out of sight at {y}, the page shows {band}"
        assert end.evaluate("(e, [x, y]) => e.contains(document.elementFromPoint(x, y))", [x, y]), f"{end} is covered"


def order_of(box: Locator) -> list[str]:
    return box.locator(".order-item .order-text").all_inner_texts()


def test_ordering_by_mouse_by_touch_and_by_keyboard(course_url: str, new_page: Callable[..., GuardedPage]) -> None:  # noqa: F811
    for how in ("mouse", "touch"):
        options: dict[str, Any] = {"viewport": PHONE, "has_touch": True, "is_mobile": True} if how == "touch" else {}
        guarded = new_page(**options)
        page = guarded.page
        box, _ = question_of(page, course_url, "ordering")
        before = order_of(box)
        last = box.locator(".order-item").last
        drag = touch_drag if how == "touch" else mouse_drag
        grip, first = last.locator(".order-position"), box.locator(".order-item").first.locator(".order-text")
        in_reach(page, grip, first)
        drag(page, grip, first)
        after = order_of(box)
        assert after == [before[-1], *before[:-1]], f"{how}: {before} became {after}"
        expect(box.locator(".question-status")).to_have_text(f"{before[-1]}: position 1 of {len(before)}")
        assert box.locator(".order-item").first.locator(".order-up").is_disabled()
        guarded.guard.assert_clean()

    # the keyboard method is still there, and still announced
    down = box.locator(".order-item").first.locator(".order-down")
    tab_to(page, down)
    page.keyboard.press("Enter")
    assert order_of(box)[:2] == [before[0], before[-1]]
    expect(box.locator(".question-status")).to_have_text(f"{before[-1]}: position 2 of {len(before)}")


def test_matching_by_mouse_and_touch_shows_each_answer_in_full_after_checking(
    course_url: str, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    for how in ("mouse", "touch"):
        options: dict[str, Any] = {"viewport": PHONE, "has_touch": True, "is_mobile": True} if how == "touch" else {}
        guarded = new_page(**options)
        page = guarded.page
        box, question = question_of(page, course_url, "matching")
        rows = box.locator(".match-row")
        with sticky_bars_in_flow(page):  # a menu at the window's foot, under the Check bar, is scrolled to
            violations = axe(page, tags=WCAG22)
        assert not violations, format_violations(violations)
        drag = touch_drag if how == "touch" else mouse_drag
        cards = box.locator(".match-card")
        assert cards.count() == len(question["pairs"])
        for n in range(rows.count()):
            card = cards.nth(n)
            answer = card.inner_text()
            box.locator(".match-pool").evaluate(
                "pool => scrollBy(0, pool.getBoundingClientRect().top - document.querySelector('.site-header').getBoundingClientRect().bottom - 8)"
            )
            target = rows.nth(n).locator(".match-left")
            in_reach(page, card, target)
            drag(page, card, target, middle=True)
            select = rows.nth(n).locator(".match-select")
            chosen = select.evaluate("s => s.options[s.selectedIndex].text.trim()")
            assert chosen == answer, f"{how}: dropped '{answer}', the menu says '{chosen}'"
            expect(rows.nth(n).locator(".match-chosen")).to_have_text(answer)
            left = rows.nth(n).locator(".match-left").inner_text()
            expect(box.locator(".question-status")).to_have_text(f"{left}: matched with {answer}")
        box.get_by_role("button", name="Check answer").click()
        expect(box.locator(".question-feedback")).to_be_visible()
        expect(box.locator(".match-pool")).to_be_hidden()
        for n in range(rows.count()):
            chosen = rows.nth(n).locator(".match-chosen")
            expect(chosen).to_be_visible()
            style = chosen.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).opacity]")
            text_colour = page.evaluate("() => getComputedStyle(document.body).color")
            assert style == [text_colour, "1"], f"a checked answer is faded: {style}"
        with sticky_bars_in_flow(page):
            violations = axe(page, tags=WCAG22)
        assert not violations, format_violations(violations)
        guarded.guard.assert_clean()


def test_the_menus_still_match_from_the_keyboard(course_url: str, page: Page) -> None:  # noqa: F811
    box, _ = question_of(page, course_url, "matching")
    select = box.locator(".match-select").first
    tab_to(page, select)
    page.keyboard.press("ArrowDown")
    chosen = select.evaluate("s => s.options[s.selectedIndex].text.trim()")
    expect(box.locator(".match-row").first.locator(".match-chosen")).to_have_text(chosen)


def test_a_finger_held_on_the_check_bar_scrolls_a_covered_row_into_reach(
    course_url: str, new_page: Callable[..., GuardedPage]  # noqa: F811
) -> None:
    """On a phone the sticky Check bar covers the rows below it: a finger held on the bar scrolls the
    page (as at the window's edge), so the row comes out and takes the drop."""
    guarded = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page = guarded.page
    box, _ = question_of(page, course_url, "matching")
    row = box.locator(".match-row").last
    card = box.locator(".match-card").last
    answer = card.inner_text()
    bar = page.locator(".quiz-bar")
    bar_top = bar.evaluate("b => b.getBoundingClientRect().top")
    row.evaluate("(row, top) => scrollBy(0, row.getBoundingClientRect().top - top - 4)", bar_top)
    x, y = centre(row)
    assert not row.evaluate("(e, [x, y]) => e.contains(document.elementFromPoint(x, y))", [x, y]), "the row is not covered"
    cdp = page.context.new_cdp_session(page)
    start_x, start_y = centre(card)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start_x, "y": start_y}]})
    for step in range(6):  # held on the bar, just below its top edge (a finger is never quite still)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + step % 2, "y": bar_top + 8}]})
    x, y = centre(row)
    assert y < bar_top, f"the page did not scroll the row out from under the bar ({y} > {bar_top})"
    cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    expect(row.locator(".match-chosen")).to_have_text(answer)
    guarded.guard.assert_clean()
