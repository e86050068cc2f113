"""On a phone the header is compact (its buttons on one row), and previous and next stay at hand: a compact bar at the bottom of the window from the top
of a long page, mirrored in Arabic; and no control the keyboard reaches is hidden behind it (WCAG 2.2
focus not obscured), nor behind a quiz's Check bar, which stays above the pager. On a desktop the
pager stays at the end of the page."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import GuardedPage, file_url
from test_accessibility import index_of
from test_learner_support import CURRENT

PHONE = {"width": 390, "height": 844}
LONG_PAGE = "understanding-trafficking/act-means-purpose"
LONG_QUIZ = "final-assessment/final-assessment"  # fifteen questions on one page


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


# Where the focused control is, and whether anything covers it: the window's edges, the header, the
# Check bar and the pager (each but the one holding it), and what the browser hits at its centre.
FOCUSED_CLEAR = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.closest('#toc')) return null;
  const r = el.getBoundingClientRect();
  const covered = [];
  if (r.top < 0 || r.bottom > innerHeight) covered.push('off the window');
  for (const bar of document.querySelectorAll('.site-header, .page.is-current .quiz-bar, .pager')) {
    if (bar.contains(el)) continue;
    const b = bar.getBoundingClientRect();
    if (b.height && r.bottom > b.top + 0.5 && r.top < b.bottom - 0.5) covered.push(bar.className);
  }
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const label = el.closest('label');
  if (!hit || !(el.contains(hit) || hit.contains(el) || (label && label.contains(hit)))) covered.push('under ' + (hit ? hit.className || hit.tagName : 'nothing'));
  return {covered, what: el.outerHTML.slice(0, 90), inPager: !!el.closest('.pager')};
}"""
HIT = """el => { const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return r.bottom <= innerHeight && !!hit && el.contains(hit); }"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 720}], ids=["phone", "desktop"])
def test_the_keyboard_never_lands_under_the_check_bar_or_the_pager(
    built_course: Path, new_page: Callable[..., GuardedPage], viewport: dict[str, int]
) -> None:
    """Tabbing through a long quiz: every control it reaches, the Check bar's own Submit included, is
    whole on screen, clear of the header, the Check bar and the pager (WCAG 2.4.11); in the middle of
    the quiz, the Check bar is in reach, above the pager on a phone."""
    for language in ("en", "ar"):
        guarded = new_page(viewport=viewport)
        page = guarded.page
        page.goto(f"{file_url(index_of(built_course, language))}#/{LONG_QUIZ}")
        submit = page.locator(f"{CURRENT}[data-page='{LONG_QUIZ}'] .quiz-bar [data-action='submit']")
        expect(submit).to_be_visible()
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        assert submit.evaluate(HIT), f"{language}: mid-quiz, the Check bar's Submit is covered"
        page.locator(f"{CURRENT} .page-title").focus()
        reached = []
        for _ in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED_CLEAR)
            if not focused:
                continue
            if focused["inPager"]:
                break
            assert not focused["covered"], f"{language}: {focused['what']} is covered by {focused['covered']}"
            reached.append(focused["what"])
        assert len(reached) >= 15, f"{language}: the keyboard reached only {len(reached)} controls of the quiz"
        assert any('data-action="submit"' in what for what in reached), f"{language}: Submit was never reached"
        guarded.guard.assert_clean()
