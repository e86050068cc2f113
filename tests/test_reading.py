"""Navigation that follows the reader (runtime/reading.js, runtime/drawer.js): Back returns to the
reading position, the header shrinks on scroll without hiding the focus, the contents drawer holds
the focus on a phone, the header fits a 320 px phone, and checked answers stay readable."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, PageGuard, axe, file_url, format_violations
from test_learner_support import CURRENT, course_data, course_url, open_page  # noqa: F401  (fixture)

WCAG22 = [*WCAG_TAGS, "wcag22aa"]


def first_page_with(page: Page, selector: str) -> str:
    """The first page whose section holds `selector`, from the built files."""
    from test_learner_support import in_every_page

    return in_every_page(page, f"d => d.querySelector('section.page[data-page] {selector}')"
                               ".closest('section.page').dataset.page")


def settle(page: Page) -> None:
    """Two frames: the scroll events have run (the header may have shrunk and kept the text still)."""
    for _ in range(2):
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_back_from_the_glossary_returns_to_the_same_place_in_the_lesson(
        course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    lesson = first_page_with(page, "a.term-ref")
    section = open_page(page, course_url, lesson)
    terms = section.locator("a.term-ref")
    term = terms.nth(terms.count() // 2)
    term.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + scrollY - innerHeight / 2)")
    settle(page)
    expect(term).to_be_in_viewport()
    assert page.evaluate("scrollY") > 200
    term.click()
    card_link = page.locator(".ref-card .ref-card-link")
    expect(card_link).to_be_visible()
    card_link.scroll_into_view_if_needed()
    expect(page.locator("html.header-compact")).to_have_count(1)
    settle(page)
    before = page.evaluate("Math.round(scrollY)")  # where the learner is when they follow the link
    card_link.click()
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    page.go_back()
    expect(page.locator(f"{CURRENT}[data-page='{lesson}']")).to_be_visible()
    page.wait_for_function("y => Math.abs(scrollY - y) <= 2", arg=before)
    expect(term).to_be_in_viewport()
    # Forward and Back again: each page where the learner left it.
    page.go_forward()
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    page.go_back()
    page.wait_for_function("y => Math.abs(scrollY - y) <= 2", arg=before)
    guard.assert_clean()


def test_back_after_next_returns_to_the_end_of_the_page(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ids = [p["id"] for p in course_data(page)["pages"]]
    open_page(page, course_url, ids[1])
    page.locator(".pager-next").scroll_into_view_if_needed()  # the learner reads to the end, where Next is
    page.wait_for_function("() => scrollY > 300")
    expect(page.locator("html.header-compact")).to_have_count(1)
    settle(page)
    before = page.evaluate("Math.round(scrollY)")
    page.locator(".pager-next").click()
    expect(page.locator(f"{CURRENT}[data-page='{ids[2]}'] .page-title")).to_be_focused()
    assert page.evaluate("scrollY") == 0  # a new page starts at its top
    page.go_back()
    expect(page.locator(f"{CURRENT}[data-page='{ids[1]}']")).to_be_visible()
    page.wait_for_function("y => Math.abs(scrollY - y) <= 2", arg=before)
    guard.assert_clean()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_shrinks_on_scroll_and_never_hides_the_focus(
        course_url: str, new_page: Callable[..., GuardedPage], width: int) -> None:
    guarded = new_page(viewport={"width": width, "height": 800})
    page = guarded.page
    page.goto(course_url)
    ids = [p["id"] for p in course_data(page)["pages"]]
    section = open_page(page, course_url, ids[1])
    header = page.locator(".site-header")
    full = header.bounding_box()["height"]
    page.mouse.wheel(0, 900)
    expect(page.locator("html.header-compact")).to_have_count(1)
    compact = header.bounding_box()
    assert compact["y"] == 0 and compact["height"] < full, (compact, full)
    # Shift+Tab through the links of the page, upwards: each focused one is below the header.
    links = section.locator(".page-body a, .lesson-body a, a.term-ref")
    assert links.count() > 1
    page.keyboard.press("End")
    target = links.last
    target.focus()
    for _ in range(min(12, links.count())):
        page.keyboard.press("Shift+Tab")
        settle(page)
        box = page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
            const h = document.querySelector('.site-header').getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, header: h.bottom, html: document.activeElement.outerHTML.slice(0, 120), fixed: !!document.activeElement.closest('.site-header, .pager, #toc')}; }""")
        if not box["fixed"]:
            assert box["top"] >= box["header"] - 0.5, box
    page.mouse.wheel(0, -5000)
    expect(page.locator("html.header-compact")).to_have_count(0)
    guarded.guard.assert_clean()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_stays_still_under_the_pointer_when_the_header_shrinks_and_grows(
        course_url: str, new_page: Callable[..., GuardedPage], width: int) -> None:
    """The header changes size in the scroll event after a scroll, a frame or more after it: the text
    stays where the scroll put it. (Scroll anchoring once took the header's measuring for moving
    content and scrolled the page by the height it gave up, so a press made just then was released
    beside its target, and the click was lost.)"""
    guarded = new_page(viewport={"width": width, "height": 800})
    page = guarded.page
    page.goto(course_url)
    ids = [p["id"] for p in course_data(page)["pages"]]
    section = open_page(page, course_url, ids[1])
    paragraph = section.locator(".page-body p, .lesson-body p").nth(6)
    where = "el => Math.round(el.getBoundingClientRect().top * 10) / 10"
    for scroll, compact in ((600, 1), (610, 1), (10, 0)):
        top = paragraph.evaluate(f"(el, y) => {{ window.scrollTo(0, y); return ({where})(el); }}", scroll)
        settle(page)
        expect(page.locator("html.header-compact")).to_have_count(compact)
        assert page.evaluate("Math.round(scrollY)") == scroll
        moved = paragraph.evaluate(where) - top
        assert abs(moved) <= 0.5, f"the text moved {moved} px when the header changed size at {scroll} px"
    guarded.guard.assert_clean()


def test_the_header_keeps_its_size_while_a_press_is_held(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    """A press made as the page scrolls (a flick's momentum, a control scrolled into reach just then)
    is released on what it pressed: the header changes size once the press has ended, not under it."""
    guarded = new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    page = guarded.page
    page.goto(course_url)
    ids = [p["id"] for p in course_data(page)["pages"]]
    section = open_page(page, course_url, ids[1])
    paragraph = section.locator(".page-body p, .lesson-body p").nth(6)
    paragraph.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")
    settle(page)
    expect(page.locator("html.header-compact")).to_have_count(0)
    box = paragraph.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.evaluate("() => window.scrollTo(0, 600)")
    settle(page)
    expect(page.locator("html.header-compact")).to_have_count(0)
    page.mouse.up()
    expect(page.locator("html.header-compact")).to_have_count(1)
    # and back: the header grows again only once the next press has ended
    page.mouse.down()
    page.evaluate("() => window.scrollTo(0, 0)")
    settle(page)
    expect(page.locator("html.header-compact")).to_have_count(1)
    page.mouse.up()
    expect(page.locator("html.header-compact")).to_have_count(0)
    guarded.guard.assert_clean()


def test_on_a_phone_the_contents_drawer_holds_the_focus_and_escape_closes_it(
        course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 390, "height": 844})
    page = guarded.page
    page.goto(course_url)
    expect(page.locator("html.is-ready")).to_have_count(1)
    button = page.locator(".menu-button")
    button.press("Enter")
    toc = page.locator("#toc")
    expect(toc).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert toc.evaluate("t => getComputedStyle(t).position") == "fixed"
    expect(page.locator("#toc a[aria-current='page']")).to_be_focused()
    # Tab goes round the drawer and its button, never to the page behind.
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => { const a = document.activeElement;
            return a.closest('#toc') ? 'toc' : a.classList.contains('menu-button') ? 'button' : a.outerHTML.slice(0, 80); }""")
        assert where in ("toc", "button"), where
        seen.add(where)
    assert seen == {"toc", "button"}
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    toc.locator("a").nth(3).focus()
    page.keyboard.press("Escape")
    expect(toc).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    # The close button, and a tap beside the drawer, close it too.
    button.click()
    toc.get_by_role("button", name="Close the contents").click()
    expect(toc).to_be_hidden()
    expect(button).to_be_focused()
    button.click()
    expect(toc).to_be_visible()
    page.mouse.click(380, 600)
    expect(toc).to_be_hidden()
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_header_fits_a_320_px_phone(built_course: Path, new_page: Callable[..., GuardedPage],
                                        language: str) -> None:
    guarded = new_page(viewport={"width": 320, "height": 640})
    page = guarded.page
    page.goto(file_url(built_course / "web" / ("index.html" if language == "en" else f"{language}/index.html")))
    expect(page.locator("html.is-ready")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    buttons = page.locator(".site-header-inner > .menu-button, .site-header-inner > .search-button, .language-button")
    boxes = [b.bounding_box() for b in buttons.all()]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 8, f"the header's buttons wrap onto more than one row: {boxes}"
    for b in buttons.all():
        box = b.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] >= 24, box
    assert page.locator(".site-header").bounding_box()["height"] < 200
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    guarded.guard.assert_clean()


def test_checked_answers_keep_their_look_and_cannot_be_changed(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    quiz_id, quiz = next((i, q) for i, q in data["quizzes"].items() if q["feedback"] == "immediate"
                         and any(x["type"] == "single" for x in q["questions"]))
    section = open_page(page, course_url, quiz_id)
    question = next(q for q in quiz["questions"] if q["type"] == "single")
    box = section.locator(f".question[data-key='{question['key']}']")
    wrong = next(i for i, o in enumerate(question["options"]) if not o["correct"])
    box.locator(f".option[data-index='{wrong}'] label").click()
    box.get_by_role("button", name="Check answer").click()
    expect(box.locator(".question-feedback")).to_be_visible()
    chosen = box.locator(f".option[data-index='{wrong}'] input")
    expect(chosen).to_be_checked()
    assert chosen.evaluate("i => !i.disabled && !i.matches(':disabled')")  # not the grey of a disabled control
    expect(chosen).to_have_attribute("aria-disabled", "true")
    expect(box.locator(".option.is-chosen .mark")).to_contain_text("Your answer")
    other = box.locator(".option input").nth(0 if wrong else 1)
    other.click(force=True)
    expect(chosen).to_be_checked()
    chosen.focus()
    page.keyboard.press("ArrowDown")
    expect(chosen).to_be_checked()
    label = box.locator(f".option[data-index='{wrong}'] label")
    assert label.evaluate("l => getComputedStyle(l).opacity") == "1"
    text = label.evaluate("l => getComputedStyle(l).color")
    body = page.evaluate("getComputedStyle(document.body).color")
    assert text == body
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    guard.assert_clean()
