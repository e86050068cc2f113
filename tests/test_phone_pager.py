"""On a phone the header is compact (its buttons on one row), and previous and next stay at hand: a compact bar at the bottom of the window from the top
of a long page, mirrored in Arabic; and no control the keyboard reaches is hidden behind it (WCAG 2.2
focus not obscured). On a desktop the pager stays at the end of the page."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from browser import GuardedPage, file_url
from test_accessibility import index_of
from test_learner_support import CURRENT

PHONE = {"width": 390, "height": 844}
LONG_PAGE = "understanding-trafficking/act-means-purpose"


def test_the_pager_stays_at_hand_on_a_phone(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    boxes = {}
    for language in ("en", "ar"):
        guarded = new_page(viewport=PHONE)
        page = guarded.page
        page.goto(f"{file_url(index_of(built_course, language))}#/{LONG_PAGE}")
        expect(page.locator(f"{CURRENT}[data-page='{LONG_PAGE}']")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollHeight > innerHeight * 2"), "the page is not long"
        header = page.locator(".site-header").bounding_box()
        assert header and header["height"] < 180, f"{language}: the header takes {header} of a phone's first screen"
        pager = page.locator(".pager")
        next_link = page.locator(".pager-next")
        expect(next_link).to_be_in_viewport()
        box = pager.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE["height"] + 1 and box["height"] < 90, box
        prev_box, next_box = page.locator(".pager-prev").bounding_box(), next_link.bounding_box()
        assert prev_box and next_box
        boxes[language] = prev_box["x"] < next_box["x"]
        # Tab through the page: each focused control stays clear of the bar
        page.locator(f"{CURRENT} .page-title").focus()
        checked = 0
        for _ in range(25):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => {
              const el = document.activeElement;
              if (!el || el === document.body || el.closest('.pager') || el.closest('#toc')) return null;
              const r = el.getBoundingClientRect();
              return {top: r.top, bottom: r.bottom, what: el.outerHTML.slice(0, 80)};
            }""")
            if focused:
                checked += 1
                bar = pager.bounding_box()
                assert bar and focused["bottom"] <= bar["y"] + 1, f"{language}: hidden behind the bar: {focused}"
        assert checked >= 10, f"{language}: the keyboard reached only {checked} controls in the page"
        guarded.guard.assert_clean()
    assert boxes == {"en": True, "ar": False}, f"previous is on the start side: {boxes}"


def test_on_a_desktop_the_pager_ends_the_page(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    page = new_page(viewport={"width": 1280, "height": 800}).page
    page.goto(f"{file_url(index_of(built_course, 'en'))}#/{LONG_PAGE}")
    expect(page.locator(f"{CURRENT}[data-page='{LONG_PAGE}']")).to_be_visible()
    expect(page.locator(".pager-next")).not_to_be_in_viewport()
