"""The keyboard alone (Tab, Shift+Tab, Enter, Space, the arrow keys and Escape; no mouse, no
element.click()): the skip link, a whole module completed (its lessons and their checks, its
scenario to an ending, its knowledge check with every question type it has), focus on each new
page's heading, the glossary and legal-reference cards, the reset dialog and the menu on a phone.
At every key press, the element with the focus shows it (an outline or a box shadow)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from browser import GuardedPage, file_url
from test_accessibility import THEMES, index_of
from test_learner_support import CURRENT, after_choice, course_data, extreme_path, order_now, response_for, shown_questions

# What the focused element looks like: "" when the focus shows (or nothing has it), else a
# description of the element whose focus is invisible.
_FOCUS_SHOWN = """
(target) => {
  const el = document.activeElement;
  const reached = target ? el === target : false;
  if (!el || el === document.body || el === document.documentElement) return {reached, hidden: ''};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('');
  return {reached, hidden: outline || shadow ? '' : name};
}
"""


class Keyboard:
    """Key presses that also check, after each one, that the focus can be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.presses = 0
        self.invisible: list[str] = []

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1
        self._look(None)

    def _look(self, target: Locator | None) -> bool:
        if target is None:
            seen = self.page.evaluate(_FOCUS_SHOWN, None)
        else:
            seen = target.evaluate(_FOCUS_SHOWN)
        if seen["hidden"] and seen["hidden"] not in self.invisible:
            self.invisible.append(seen["hidden"])
        return seen["reached"]

    def tab_to(self, target: Locator, *, back: bool = False, limit: int = 300) -> None:
        """Tab (or Shift+Tab) until the target has the focus."""
        for _ in range(limit):
            if self._look(target):
                return
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            self.presses += 1
        raise AssertionError(f"{'Shift+Tab' if back else 'Tab'} never reached {target}")

    def activate(self, target: Locator, key: str = "Enter") -> None:
        self.tab_to(target)
        self.press(key)

    def assert_focus_always_shown(self) -> None:
        __tracebackhide__ = True
        assert not self.invisible, (
            f"in {self.presses} key presses, the focus was invisible on: " + ", ".join(self.invisible))

    def answer(self, box: Locator, question: dict[str, Any], response: Any) -> None:
        """Answer one question: radios with Space and the arrows, boxes with Space, text typed,
        select menus with the arrows, ordering with the move buttons."""
        kind = question["type"]
        if kind in ("single", "true-false"):
            wanted = str(response[0]) if kind == "single" else str(response).lower()
            radios = box.locator("input[type=radio]")
            values = radios.evaluate_all("els => els.map(e => e.value)")
            self.tab_to(radios.first)
            self.press("Space")
            for _ in range(values.index(wanted)):
                self.press("ArrowDown")
            expect(box.locator(f"input[value='{wanted}']")).to_be_checked()
        elif kind in ("multiple", "hotspot"):
            for index in response:
                checkbox = box.locator(f"input[value='{index}']")
                self.activate(checkbox, "Space")
                expect(checkbox).to_be_checked()
        elif kind == "categorisation":
            for item, group in response:
                radios = box.locator(f".sort-item[data-item='{item}'] input[type=radio]")
                self.tab_to(radios.first)
                self.press("Space")
                for _ in range(group):
                    self.press("ArrowDown")
                expect(radios.nth(group)).to_be_checked()
        elif kind == "fill-in":
            self.tab_to(box.locator(".fill-in-input"))
            self.page.keyboard.type(response)
        elif kind == "matching":
            for left, right in response:
                select = box.locator(f".match-select[data-left='{left}']")
                values = select.locator("option").evaluate_all("els => els.map(e => e.value)")
                self.tab_to(select)
                for _ in range(values.index(str(right))):
                    self.press("ArrowDown")
                expect(select).to_have_value(str(right))
        elif kind == "ordering":
            for position, item in enumerate(response):
                while order_now(box).index(item) > position:
                    self.activate(box.locator(f".order-item[data-item='{item}'] .order-up"))
            assert order_now(box) == response
        else:
            raise AssertionError(f"unknown question type {kind}")


@pytest.fixture
def course(built_course: Path) -> Callable[[str], str]:
    def url(language: str = "en") -> str:
        index = built_course / "web" / ("index.html" if language == "en" else f"{language}/index.html")
        assert index.is_file(), f"the build wrote no {index}"
        return file_url(index)
    return url


def heading_of(page: Page, page_id: str) -> Locator:
    return page.locator(f"{CURRENT}[data-page='{page_id}'] .page-title")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_skip_link_comes_first_and_moves_focus_to_the_content(
    course: Callable[[str], str], new_page: Callable[..., GuardedPage], language: str
) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(course(language))
    data = course_data(page)
    keys = Keyboard(page)
    keys.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"skip link off screen: {box}"
    keys.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # The next Tab goes into the page, past the header and the contents.
    keys.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)"), \
        "after the skip link, Tab left the main content"
    assert page.evaluate("() => !document.getElementById('toc').contains(document.activeElement)")
    expect(page.locator(f"{CURRENT}[data-page='{data['pages'][0]['id']}']")).to_be_visible()
    keys.assert_focus_always_shown()
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_whole_module_with_the_keyboard_alone(
    course: Callable[[str], str], new_page: Callable[..., GuardedPage], language: str
) -> None:
    """Module 1, start to end: lessons (and their checks), the scenario to its best ending, the
    knowledge check with every question answered; then the module shows as done."""
    guarded = new_page(viewport={"width": 1280, "height": 900})
    page = guarded.page
    page.goto(course(language))
    data = course_data(page)
    strings = data["strings"]
    module = data["modules"][0]
    keys = Keyboard(page)
    keys.press("Tab")
    keys.press("Enter")  # the skip link
    expect(page.locator("#main")).to_be_focused()
    keys.activate(page.locator(".landing-start"))  # the course opens on its landing, above the first page

    types_answered: set[str] = set()
    for n, page_id in enumerate(module["pages"]):
        section = page.locator(f"{CURRENT}[data-page='{page_id}']")
        expect(section).to_be_visible()
        kind = section.get_attribute("data-kind")
        if kind == "lesson":
            for i in range(section.locator(".inline-check").count()):
                box = section.locator(".inline-check").nth(i)
                question = data["checks"][box.get_attribute("data-check")]
                keys.answer(box.locator(".question"), question, response_for(question, True))
                keys.activate(box.locator("[data-action='check']"))
                expect(box.locator(".question-feedback")).to_be_focused()
                expect(box.locator(".feedback-verdict")).to_have_text(strings["feedback_correct"])
        elif kind == "scenario":
            scenario = data["scenarios"][page_id]
            choices, _ = extreme_path(scenario, True)
            for index in choices:
                keys.activate(section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']"))
                after_choice(section)
            expect(section.locator(".scenario-ending:not([hidden])")).to_be_visible()
        elif kind == "quiz":
            quiz = data["quizzes"][page_id]
            for question in shown_questions(section, quiz):
                box = section.locator(f".question[data-key='{question['key']}']")
                keys.answer(box, question, response_for(question, True))
                types_answered.add(question["type"])
                if quiz["feedback"] == "immediate":
                    keys.activate(box.locator("[data-action='check']"))
                    expect(box.locator(".question-feedback")).to_be_focused()
                    expect(box.locator(".feedback-verdict")).to_have_text(strings["feedback_correct"])
            keys.activate(section.locator("[data-action='submit']"))
            expect(section.locator(".quiz-result")).to_be_focused()
            types_in_quiz = {q["type"] for q in quiz["questions"]}
            assert types_answered >= types_in_quiz, f"question types left unanswered: {types_in_quiz - types_answered}"

        # On to the next page with the pager; the focus lands on the new page's heading.
        following = module["pages"][n + 1] if n + 1 < len(module["pages"]) else data["modules"][1]["pages"][0]
        keys.activate(page.locator(".pager-next"))
        expect(heading_of(page, following)).to_be_focused()

    # Module 1 is done: every page marked, the count full, the progress bar full.
    item = page.locator(f"#toc .toc-module[data-module='{module['id']}']")
    total = len(module["pages"])
    expect(item.locator("a.toc-link.is-done")).to_have_count(total)
    full = page.evaluate("n => Coursewright.t('progress_module', {done: n, total: n})", total)
    expect(item.locator(".toc-module-count")).to_have_text(full)
    assert item.locator(".bar-fill").evaluate("el => el.style.inlineSize") == "100%"
    summary = page.evaluate(f"() => Coursewright.app.summary.modules[{module['id']!r}]")
    assert summary["done"] == summary["total"] == total

    # Back with Shift+Tab to the previous page link: the focus follows there too.
    keys.tab_to(page.locator(".pager-prev"), back=True)
    keys.press("Enter")
    expect(heading_of(page, module["pages"][-1])).to_be_focused()
    keys.assert_focus_always_shown()
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_contents_and_reference_cards_with_the_keyboard(
    course: Callable[[str], str], new_page: Callable[..., GuardedPage], language: str
) -> None:
    """A contents link moves the focus to the new page's heading. A glossary term and a legal
    reference open their card with Enter; the card traps nothing (Tab goes on past it); Escape
    closes it and gives the focus back to the reference."""
    guarded = new_page()
    page = guarded.page
    page.goto(course(language))
    data = course_data(page)
    keys = Keyboard(page)

    for selector in ("a.term-ref", "a.legal-ref"):
        page_id = page.evaluate(
            "sel => document.querySelector('main > section.page ' + sel).closest('section.page').dataset.page", selector)
        link = page.locator(f"#toc a[href='#/{page_id}']")
        keys.tab_to(link)
        keys.press("Enter")
        expect(heading_of(page, page_id)).to_be_focused()
        expect(link).to_have_attribute("aria-current", "page")

        reference = page.locator(f"{CURRENT} {selector}").first
        keys.activate(reference)
        card = page.locator(".ref-card")
        expect(card).to_be_focused()
        expect(reference).to_have_attribute("aria-expanded", "true")
        expect(reference).to_have_attribute("aria-controls", card.get_attribute("id"))
        # Tab goes through the card (its links, then its close button), then on past it.
        keys.press("Tab")
        assert card.evaluate("el => el.contains(document.activeElement)"), "Tab from the card left it"
        keys.tab_to(card.locator(".ref-card-close"))
        keys.press("Tab")
        assert not card.evaluate("el => el.contains(document.activeElement)"), "the card keeps the focus in"
        assert page.evaluate("() => document.activeElement !== document.body"), "the focus fell off the page"
        # Back into the card; Escape closes it and the focus returns to the reference.
        keys.press("Shift+Tab")
        expect(card.locator(".ref-card-close")).to_be_focused()
        keys.press("Escape")
        expect(page.locator(".ref-card")).to_have_count(0)
        expect(reference).to_be_focused()
        expect(reference).to_have_attribute("aria-expanded", "false")
        # Enter opens it again, the close button closes it, the focus returns again.
        keys.press("Enter")
        expect(card).to_be_focused()
        keys.tab_to(card.locator(".ref-card-close"))
        keys.press("Enter")
        expect(page.locator(".ref-card")).to_have_count(0)
        expect(reference).to_be_focused()
    assert data["pages"]
    keys.assert_focus_always_shown()
    guarded.guard.assert_clean()


def test_reset_dialog_holds_and_returns_the_focus(course: Callable[[str], str], new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(course())
    keys = Keyboard(page)
    opener = page.locator("#toc [data-action='reset']")
    keys.activate(opener)
    dialog = page.locator("#reset-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-action='reset-cancel']")).to_be_focused()
    # The dialog is modal: Tab and Shift+Tab never reach the page behind it.
    for key in ("Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"):
        keys.press(key)
        outside = page.evaluate("""() => { const el = document.activeElement;
            return el && el !== document.body && !document.getElementById('reset-dialog').contains(el) ? el.outerHTML.slice(0, 120) : ''; }""")
        assert not outside, f"{key} took the focus out of the dialog, to {outside}"
    keys.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    keys.assert_focus_always_shown()
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_menu_on_a_phone_with_the_keyboard(
    course: Callable[[str], str], new_page: Callable[..., GuardedPage], language: str
) -> None:
    guarded = new_page(viewport={"width": 360, "height": 740})
    page = guarded.page
    page.goto(course(language))
    data = course_data(page)
    keys = Keyboard(page)
    button = page.locator(".menu-button")
    expect(page.locator("#toc")).to_be_hidden()
    keys.activate(button)
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#toc")).to_be_visible()
    current = page.locator(f"#toc a[href='#/{data['pages'][0]['id']}']")
    expect(current).to_be_focused()
    keys.press("Escape")
    expect(page.locator("#toc")).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    # Open again and follow a link: the menu closes, the focus is on the new page's heading.
    keys.press("Enter")
    second = data["pages"][1]["id"]
    keys.tab_to(page.locator(f"#toc a[href='#/{second}']"))
    keys.press("Enter")
    expect(heading_of(page, second)).to_be_focused()
    expect(page.locator("#toc")).to_be_hidden()
    keys.assert_focus_always_shown()
    guarded.guard.assert_clean()


# The focus ring against what is behind it: 3:1 at least (WCAG 1.4.11, non-text contrast).
_RING = """
() => {
  const el = document.activeElement;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const style = getComputedStyle(el);
  if (style.outlineStyle === 'none') return null;
  let back = el.parentElement, colour = null;
  for (; back; back = back.parentElement) {
    const c = rgb(getComputedStyle(back).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { colour = c; break; }
  }
  colour = colour || [255, 255, 255];
  const [a, b] = [lum(rgb(style.outlineColor)), lum(colour)].sort((x, y) => y - x);
  const name = el.tagName.toLowerCase() + [...el.classList].map((c) => '.' + c).join('');
  return {name, ratio: (a + 0.05) / (b + 0.05), ring: style.outlineColor, behind: `rgb(${colour.slice(0, 3).join(', ')})`};
}
"""


_KINDS = """
() => {
  const el = document.activeElement;
  const kinds = {'skip link': '.skip-link', contents: '#toc a', radio: 'input[type=radio]', checkbox: 'input[type=checkbox]',
                 text: 'input[type=text]', select: 'select', 'move button': '.order-item button', submit: '[data-action=submit]',
                 pager: '.pager a'};
  return Object.keys(kinds).filter((k) => el.matches(kinds[k]));
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_focus_shows_on_every_control_in_both_themes(
    courses: dict[str, Path], new_page: Callable[..., GuardedPage], theme: str, scheme: str
) -> None:
    """Tab through the whole frame and a quiz with every kind of control (the assessment, all six
    question types): every stop shows its focus, with a ring of 3:1 against what is behind it."""
    guarded = new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = guarded.page
    url = file_url(index_of(courses[theme], "en"))
    page.goto(url)
    data = course_data(page)
    quiz_id = max(data["quizzes"], key=lambda i: len({q["type"] for q in data["quizzes"][i]["questions"]}))
    page.goto("about:blank")
    page.goto(f"{url}#/{quiz_id}")  # opened at the quiz: the first Tab goes to the skip link
    section = page.locator(f"{CURRENT}[data-page='{quiz_id}']")
    expect(section).to_be_visible()
    shown = shown_questions(section, data["quizzes"][quiz_id])
    keys = Keyboard(page)
    faint: dict[str, str] = {}
    stops = 0
    reached: set[str] = set()
    for _ in range(400):
        keys.press("Tab")
        if page.evaluate("() => document.activeElement === document.body || document.activeElement.closest('.site-footer')"):
            break
        stops += 1
        reached |= set(page.evaluate(_KINDS))
        ring = page.evaluate(_RING)
        if ring and ring["ratio"] < 3 and ring["name"] not in faint:
            faint[ring["name"]] = f"{ring['ring']} on {ring['behind']}: {ring['ratio']:.2f}:1"
    kinds = {"single": "radio", "true-false": "radio", "multiple": "checkbox", "fill-in": "text",
             "matching": "select", "ordering": "move button", "categorisation": "radio", "hotspot": "checkbox"}
    wanted = {"skip link", "contents", "submit", "pager"} | {kinds[q["type"]] for q in shown}
    missing = wanted - reached
    assert not missing, f"the walk ({stops} stops) never reached: {sorted(missing)}"
    keys.assert_focus_always_shown()
    assert not faint, f"{theme}, {scheme}: focus rings below 3:1: {faint}"
    guarded.guard.assert_clean()
