"""The content blocks as learners meet them: a course using every block (accordion, columns, cards,
timeline, steps, flip card, quote, figure) built and opened from file:// in Chromium, in English and
Arabic; read without JavaScript, operated with the keyboard alone and by touch, checked by axe-core
up to WCAG 2.2 AA in each state and in both colour schemes, mirrored right to left, laid out for print,
and seen once with forced colours.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, file_url, format_violations
from test_learner_support import tab_to

BLOCKS = Path(__file__).parent / "fixtures" / "courses" / "blocks"
WCAG22 = [*WCAG_TAGS, "wcag22aa"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def blocks_course(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The blocks course built in English and, from a copy, in Arabic: language → index.html."""
    from builder.build import build

    root = tmp_path_factory.mktemp("blocks")
    arabic = root / "src-ar"
    shutil.copytree(BLOCKS, arabic)
    course_yaml = arabic / "course.yaml"
    course_yaml.write_text(re.sub(r"(?m)^language: en$", "language: ar", course_yaml.read_text()), encoding="utf-8")
    built = {}
    for language, source in (("en", BLOCKS), ("ar", arabic)):
        build(source, root / language)
        built[language] = root / language / "web" / "index.html"
    return built


def settled(page: Page) -> None:
    """Wait for the card to finish turning: a learner reads it then, and axe measures text mid-turn wrongly."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def open_blocks(new_page: Callable[..., GuardedPage], index: Path, **options: object) -> GuardedPage:
    guarded = new_page(**options)
    guarded.page.goto(file_url(index))
    expect(guarded.page.locator(".accordion").first).to_be_visible()
    return guarded


def assert_accessible(page: Page, state: str) -> None:
    violations = axe(page, tags=WCAG22)
    assert not violations, f"{state}: {format_violations(violations)}"


def test_every_block_reads_in_full_without_javascript(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    # without JavaScript the contents lead to each module's page, which holds its pages in full
    page.goto(file_url(blocks_course["en"].parent / "module-blocks.html"))
    for text in ("At the window", "Protect", "25 December 2003", "Record",
                 "Can an adult consent to being exploited?", "Consent is irrelevant once any of the means was used.",
                 "The applicant never spoke", "A consular officer", "The referral pathway."):
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    expect(page.locator(".flipcard-turn")).to_have_count(0)
    hidden = page.get_by_text("Exploitation.", exact=True)
    expect(hidden).to_be_hidden()
    page.get_by_text("What is the purpose?").click()  # a native disclosure: it needs no script
    expect(hidden).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("A referral pathway"))).to_be_visible()
    guarded.guard.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_state_passes_axe_up_to_wcag_2_2(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage], language: str, scheme: str
) -> None:
    guarded = open_blocks(new_page, blocks_course[language], color_scheme=scheme)
    page = guarded.page
    assert_accessible(page, "closed")
    for summary in page.locator(".accordion-item > summary").all():
        summary.click()
    page.locator(".flipcard-turn").click()
    expect(page.locator(".flipcard-back")).to_be_visible()
    settled(page)
    assert_accessible(page, "accordion open, card turned")
    page.locator(".figure-zoom").click()
    expect(page.locator(".zoom-dialog")).to_be_visible()
    assert_accessible(page, "figure enlarged")
    guarded.guard.assert_clean()


def test_the_keyboard_alone_opens_turns_and_enlarges(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    guarded = open_blocks(new_page, blocks_course["en"])
    page = guarded.page
    page.locator(".page-title").first.focus()

    means = page.locator(".accordion-item").nth(1)
    tab_to(page, means.locator("summary"))
    page.keyboard.press("Enter")
    expect(means.get_by_text("Threat or use of force", exact=False)).to_be_visible()
    page.keyboard.press("Space")
    expect(means.get_by_text("Threat or use of force", exact=False)).to_be_hidden()

    turn = page.get_by_role("button", name="Turn the card over")
    tab_to(page, turn)
    expect(turn).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".flipcard-front")).to_be_visible()
    page.keyboard.press("Enter")
    back = page.get_by_role("button", name="Turn it back")
    expect(back).to_be_focused()
    expect(back).to_have_attribute("aria-expanded", "true")
    # only the face shown is read: the front leaves the accessibility tree, the back joins it
    expect(page.locator(".flipcard-front")).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_text("Consent is irrelevant", exact=False)).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Turn the card over")).to_be_focused()
    expect(page.locator(".flipcard-back")).to_have_attribute("aria-hidden", "true")

    enlarge = page.get_by_role("button", name=re.compile("^Enlarge the image: A referral pathway"))
    tab_to(page, enlarge)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Enlarged image")
    expect(dialog).to_be_visible()
    zoom = dialog.get_by_role("button", name="Zoom in")
    expect(zoom).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(enlarge).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Space")
    expect(zoom).to_have_attribute("aria-pressed", "true")
    shown = dialog.locator(".zoom-image").bounding_box()
    assert shown and shown["width"] > 1280, "zoomed in, the image is wider than the screen, to scroll"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(enlarge).to_be_focused()
    guarded.guard.assert_clean()


def test_a_tap_turns_the_card_and_enlarges_the_figure_on_a_phone(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    guarded = open_blocks(new_page, blocks_course["en"], viewport=PHONE, has_touch=True, is_mobile=True)
    page = guarded.page
    page.locator(".flipcard-front").tap()
    expect(page.get_by_text("Consent is irrelevant", exact=False)).to_be_visible()
    page.locator(".figure-zoom").tap()
    dialog = page.get_by_role("dialog", name="Enlarged image")
    expect(dialog).to_be_visible()
    image = dialog.locator(".zoom-image").bounding_box()
    figure = page.locator(".figure img").bounding_box()
    assert image and figure and image["width"] > figure["width"], "the enlarged image is larger than in the page"
    dialog.get_by_role("button", name="Close").tap()
    expect(dialog).to_be_hidden()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways on a phone: {widths}"
    guarded.guard.assert_clean()


def test_blocks_mirror_right_to_left(blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]) -> None:
    edges = {}
    for language in ("en", "ar"):
        page = open_blocks(new_page, blocks_course[language]).page
        edges[language] = page.evaluate("""() => {
          const step = document.querySelector('.step');
          const title = step.querySelector('.step-title').getBoundingClientRect();
          const quote = document.querySelector('.quote');
          return {
            stepTitleLeft: title.left - step.getBoundingClientRect().left,
            stepTitleRight: step.getBoundingClientRect().right - title.right,
            quoteStart: getComputedStyle(quote).borderRightWidth + '|' + getComputedStyle(quote).borderLeftWidth,
            number: getComputedStyle(step, '::before').content,
          };
        }""")
    en, ar = edges["en"], edges["ar"]
    assert en["stepTitleLeft"] > 40 > en["stepTitleRight"], "English: the number sits left of the step's title"
    assert ar["stepTitleRight"] > 40 > ar["stepTitleLeft"], "Arabic: the number sits right of the step's title"
    assert en["quoteStart"] == "0px|5px" and ar["quoteStart"] == "5px|0px", (en, ar)
    assert "arabic-indic" in ar["number"], ar["number"]


def test_print_shows_both_faces_and_no_controls(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    page = open_blocks(new_page, blocks_course["en"]).page
    page.emulate_media(media="print")
    expect(page.locator(".flipcard-front")).to_be_visible()
    expect(page.get_by_text("Consent is irrelevant", exact=False)).to_be_visible()
    expect(page.locator(".flipcard-turn")).to_be_hidden()
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(page.get_by_text("Exploitation.", exact=True)).to_be_visible()
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.get_by_text("Exploitation.", exact=True)).to_be_hidden()


def test_forced_colours_keep_every_block_readable(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    guarded = open_blocks(new_page, blocks_course["en"], forced_colors="active")
    page = guarded.page
    card = page.locator(".card").first
    assert card.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid", "cards keep their outline"
    page.locator(".flipcard-turn").click()
    expect(page.locator(".flipcard-back")).to_be_visible()
    settled(page)
    assert_accessible(page, "forced colours, card turned")
    guarded.guard.assert_clean()


def test_the_card_turns_without_motion_when_asked(
    blocks_course: dict[str, Path], new_page: Callable[..., GuardedPage]
) -> None:
    for motion, moving in (("no-preference", True), ("reduce", False)):
        page = open_blocks(new_page, blocks_course["en"], reduced_motion=motion).page
        durations = page.locator(".flipcard-front, .accordion-item > summary").evaluate_all(
            "els => els.map(e => parseFloat(getComputedStyle(e).transitionDuration)"
            " + parseFloat(getComputedStyle(e, '::before').transitionDuration || '0'))")
        assert any(d > 0.01 for d in durations) == moving, (motion, durations)
