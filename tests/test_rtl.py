"""Right to left: the Arabic and Persian builds are `<html lang="ar|fa" dir="rtl">` and their layout
is the mirror image of the English one (contents, pager, text, callout rules, progress bars, marks),
measured with bounding boxes in both themes; Latin citations, short names and article numbers inside
Arabic and Persian text are isolated; screenshots of a lesson and quiz in each at 1280 and 360 px are
kept for a look; and no stylesheet of the themes uses a physical left or right property.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import GuardedPage, file_url
from test_accessibility import LANGUAGES, THEMES, first_page_with, index_of, show
from test_learner_support import CURRENT, course_data, in_every_page

REPO_THEMES = Path(__file__).resolve().parent.parent / "themes"
# The sample course's right-to-left editions: Arabic, and Persian once the course lists it.
RTL_LANGUAGES = [language for language in LANGUAGES if language in ("ar", "fa")]


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on screen"
    return {**found, "right": found["x"] + found["width"]}


# --- lang and dir ----------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("es", "ltr"), *((rtl, "rtl") for rtl in RTL_LANGUAGES)])
def test_lang_and_dir_of_each_build(built_course: Path, language: str, direction: str) -> None:
    head = index_of(built_course, language).read_text(encoding="utf-8")[:2000]
    found = re.search(r"<html\b[^>]*>", head)
    assert found, "no <html> element"
    html = found.group(0)
    assert f'lang="{language}"' in html and f'dir="{direction}"' in html, html


# --- the mirror ------------------------------------------------------------------------------

_TEXT_EDGE = """
(section) => {
  // A paragraph whose last line is short: where that line sits tells where text starts.
  for (const p of section.querySelectorAll('.prose p')) {
    const range = document.createRange();
    range.selectNodeContents(p);
    const lines = [...range.getClientRects()];
    const box = p.getBoundingClientRect();
    if (!lines.length || !box.width) continue;
    const last = lines[lines.length - 1];
    const lineStart = Math.min(...lines.filter((r) => Math.abs(r.top - last.top) < 2).map((r) => r.left));
    const lineEnd = Math.max(...lines.filter((r) => Math.abs(r.top - last.top) < 2).map((r) => r.right));
    if (lineEnd - lineStart < box.width * 0.7) {
      return {align: getComputedStyle(p).textAlign, direction: getComputedStyle(p).direction,
              gapLeft: lineStart - box.left, gapRight: box.right - lineEnd};
    }
  }
  return null;
}
"""


@pytest.mark.parametrize("language", ["en", *RTL_LANGUAGES])
@pytest.mark.parametrize("theme", THEMES)
def test_the_layout_mirrors(
    courses: dict[str, Path], new_page: Callable[..., GuardedPage], theme: str, language: str
) -> None:
    rtl = language in RTL_LANGUAGES
    guarded = new_page(viewport={"width": 1280, "height": 900})
    page = guarded.page
    page.goto(file_url(index_of(courses[theme], language)))
    data = course_data(page)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        language, "rtl" if rtl else "ltr"]
    where = f"{theme}, {language}"

    # A lesson in the middle of a module, with a callout: previous and next both shown.
    lesson = in_every_page(page, f"""(doc) => [...doc.querySelectorAll('main > section.page[data-kind="lesson"]')]
        .find((s) => s.dataset.page !== {json.dumps(data["pages"][0]["id"])} && s.querySelector('.prose .callout'))?.dataset.page""")
    assert lesson, "no lesson after the first one has a callout"
    section = show(page, lesson)

    # The contents column is on the start side of the page: right in Arabic, left in English.
    toc, main = box(page, "#toc"), box(page, "#main")
    if rtl:
        assert toc["x"] >= main["right"] - 1, f"{where}: contents {toc} not right of the page {main}"
    else:
        assert toc["right"] <= main["x"] + 1, f"{where}: contents {toc} not left of the page {main}"

    # Next points onward: on the left in Arabic; previous on the right. English is the reverse.
    prev, nxt = box(page, ".pager-prev"), box(page, ".pager-next")
    if rtl:
        assert nxt["right"] <= prev["x"] + 1, f"{where}: next {nxt} should be left of previous {prev}"
    else:
        assert prev["right"] <= nxt["x"] + 1, f"{where}: previous {prev} should be left of next {nxt}"
    flips = page.locator(".pager .icon-flip").evaluate_all("els => els.map(e => getComputedStyle(e).transform)")
    assert all((t != "none") == rtl for t in flips), f"{where}: pager arrows {flips}"

    # Text starts on the right: `text-align: start` resolves to right in Arabic, left in English.
    edge = section.evaluate(_TEXT_EDGE)
    assert edge, f"{where}: no paragraph with a short last line on {lesson}"
    assert edge["align"] in ("start", "right" if rtl else "left"), f"{where}: paragraphs {edge}"
    assert edge["direction"] == ("rtl" if rtl else "ltr")
    flush, open_ = (edge["gapRight"], edge["gapLeft"]) if rtl else (edge["gapLeft"], edge["gapRight"])
    assert flush < 2 < open_, f"{where}: the last line of a paragraph is not flush with the start side: {edge}"

    # Callouts, the current contents entry: the accent rule on the inline-start side.
    for selector in (f"{CURRENT} .callout", "#toc a.toc-link[aria-current='page']"):
        widths = page.locator(selector).first.evaluate(
            "el => [parseFloat(getComputedStyle(el).borderLeftWidth), parseFloat(getComputedStyle(el).borderRightWidth)]")
        start, end = (widths[1], widths[0]) if rtl else widths
        assert start >= 3 and end < start, f"{where}: {selector} borders left/right {widths}: the rule is not at the start"

    # Progress bars fill from the start: the right in Arabic.
    for selector in (".course-progress .bar", f"#toc .toc-module[data-module='{data['pages'][0]['module']}'] .bar"):
        bar = page.locator(selector).first
        measures = bar.evaluate("""el => { const b = el.getBoundingClientRect(), f = el.querySelector('.bar-fill').getBoundingClientRect();
                                      return {barLeft: b.left, barRight: b.right, fillLeft: f.left, fillRight: f.right, fill: f.width}; }""")
        assert measures["fill"] > 0, f"{where}: {selector} is empty after two pages read"
        if rtl:
            assert abs(measures["fillRight"] - measures["barRight"]) < 1.5 and measures["fillLeft"] > measures["barLeft"] + 1, \
                f"{where}: {selector} does not fill from the right: {measures}"
        else:
            assert abs(measures["fillLeft"] - measures["barLeft"]) < 1.5 and measures["fillRight"] < measures["barRight"] - 1, \
                f"{where}: {selector} does not fill from the left: {measures}"

    # A question: the radio button on the start side of its label, the feedback's rule at the start.
    quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "immediate")
    section = show(page, quiz_id)
    option = section.locator(".question--single .option, .question--true-false .option").first
    radio = option.locator("input").bounding_box()
    label = option.locator("label").bounding_box()
    assert radio and label
    if rtl:
        assert radio["x"] >= label["x"] + label["width"] - 1, f"{where}: the radio is not right of its label"
    else:
        assert radio["x"] + radio["width"] <= label["x"] + 1, f"{where}: the radio is not left of its label"
    guarded.guard.assert_clean()


# --- mixed Latin and Arabic ------------------------------------------------------------------

_ISOLATION = """
(selector) => [...document.querySelectorAll(selector)].filter((el) => {
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    if (node.tagName === 'BDI' || ['isolate', 'plaintext', 'isolate-override'].includes(getComputedStyle(node).unicodeBidi)) return false;
  }
  return true;
}).map((el) => el.outerHTML.slice(0, 120))
"""


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_latin_runs_in_right_to_left_text_are_isolated(
    built_course: Path, new_page: Callable[..., GuardedPage], language: str
) -> None:
    """Where the theme renders text that may be Latin inside Arabic or Persian (citations, short
    names of instruments, article numbers, aliases), it is isolated: `<bdi>` or `unicode-bidi: isolate`
    (or `plaintext`, the same with its own direction), so "art. 3(a)", "SOP، SOPs" keep their order."""
    guarded = new_page()
    page = guarded.page
    # The glossary first, then the frameworks: both in the document (each loads when opened).
    page.goto(file_url(index_of(built_course, language)) + "#/glossary")
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    page.evaluate("() => { location.hash = '#/frameworks'; }")
    expect(page.locator(f"{CURRENT}[data-page='frameworks']")).to_be_visible()
    latin = page.evaluate("""() => [...document.querySelectorAll('a.legal-ref, .fw-short, .glossary-alias-list bdi')]
        .filter((el) => /[A-Za-z]/.test(el.textContent)).length""")
    assert latin, f"the {language} sample course has no Latin citation, short name or alias to check"
    for selector in ("a.legal-ref", ".fw-short bdi", ".fw-article-title bdi", ".glossary-alias-list bdi"):
        assert page.locator(selector).count(), f"nothing matches {selector}"
        loose = page.evaluate(_ISOLATION, selector)
        assert not loose, f"{selector} not isolated: {loose[:3]}"
    # Every article number sits in its own <bdi>, whatever script it is in.
    numbers = page.locator(".fw-article").evaluate_all(
        "els => els.map(e => [e.dataset.article, e.querySelector('.fw-article-title bdi')?.textContent])")
    assert all(number == shown for number, shown in numbers), numbers[:5]
    guarded.guard.assert_clean()


# --- numerals --------------------------------------------------------------------------------

_DIGIT_SETS = {"latin": "0-9", "arabic-indic": "\u0660-\u0669", "persian": "\u06f0-\u06f9"}


def digit_sets(text: str) -> set[str]:
    return {name for name, span in _DIGIT_SETS.items() if re.search(f"[{span}]", text)}


@pytest.mark.parametrize(("language", "digits"), [("en", "latin"), *((rtl, {"ar": "latin", "fa": "persian"}[rtl])
                                                                   for rtl in RTL_LANGUAGES)])
def test_numbers_and_dates_use_the_languages_own_digits(
    built_course: Path, new_page: Callable[..., GuardedPage], language: str, digits: str
) -> None:
    """What the builder writes ("page 1 of 5", module numbers) and what the runtime writes (an
    instrument's dates) use one set of digits, the one the course's text is written in, and dates
    are in the Gregorian calendar the instruments were adopted in."""
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(index_of(built_course, language)))
    position = page.locator(f"{CURRENT} .page-position")
    expect(position).to_be_visible()
    assert digit_sets(position.inner_text()) == {digits}, position.inner_text()
    modules = page.locator(".toc-module-number").all_text_contents()
    assert modules and all(digit_sets(text) == {digits} for text in modules), modules[:3]
    page.goto(file_url(index_of(built_course, language)) + "#/frameworks")
    adopted = page.locator(f"{CURRENT} [data-instrument='palermo-protocol'] time").first
    expect(adopted).not_to_have_text("2000-11-15")  # the runtime has written the date in words
    shown = adopted.inner_text()
    assert digit_sets(shown) == {digits}, shown
    year = "2000".translate(str.maketrans("0123456789", {"latin": "0123456789",
                                                         "persian": "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"}[digits]))
    assert year in shown, f"not the Gregorian year of adoption: {shown}"
    guarded.guard.assert_clean()


# --- screenshots -----------------------------------------------------------------------------

@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_right_to_left_screenshots_at_1280_and_360(
    built_course: Path, new_page: Callable[..., GuardedPage], tmp_path_factory: pytest.TempPathFactory, language: str
) -> None:
    """Screenshots of an Arabic and a Persian lesson and quiz, wide and narrow, to look at (written to
    the folder named by COURSEWRIGHT_SCREENSHOTS, or to pytest's temporary folder); the narrow ones
    show the mirrored frame: menu button on the right, title flush right, no sideways scrolling."""
    folder = Path(os.environ.get("COURSEWRIGHT_SCREENSHOTS") or tmp_path_factory.mktemp("rtl-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    url = file_url(index_of(built_course, language))
    for width, height in ((1280, 900), (360, 740)):
        guarded = new_page(viewport={"width": width, "height": height})
        page = guarded.page
        page.goto(url)
        data = course_data(page)
        lesson = first_page_with(page, ".prose table")
        quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "immediate")
        for name, page_id in (("lesson", lesson), ("quiz", quiz_id)):
            show(page, page_id)
            page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
            path = folder / f"{language}-{name}-{width}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000, f"{path} looks blank"
            title = box(page, f"{CURRENT} .page-title")
            kicker = box(page, f"{CURRENT} .page-kicker")
            assert abs(title["right"] - kicker["right"]) < 2, f"{name} at {width}: the title is not flush right"
            assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
                f"{name} at {width} px scrolls sideways"
            if width == 360:
                button = box(page, ".menu-button")
                assert button["right"] > width - 40 and button["x"] > width / 2, f"the menu button is not on the right: {button}"
        guarded.guard.assert_clean()


# --- logical properties only -----------------------------------------------------------------

# Physical left/right properties the themes may use, each with its reason: (file, selector
# fragment, property). Rules whose selector names a direction ([dir="rtl"], :dir()) are exempt:
# they are written for one direction on purpose (the arrows flipped in right-to-left courses).
EXCEPTIONS: list[tuple[str, str, str, str]] = [
    # (path under themes/, selector contains, property, why)
]

_PHYSICAL_NAME = re.compile(
    r"^(?:(?:margin|padding|scroll-margin|scroll-padding)-(?:left|right)"
    r"|border-(?:left|right)(?:-(?:width|style|color))?"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|left|right)$")
_PHYSICAL_VALUE = {"text-align", "text-align-last", "float", "clear", "caption-side"}
_FOUR_SIDES = {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin", "scroll-padding"}


def _split_values(value: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in value:
        depth += char == "("
        depth -= char == ")"
        if char.isspace() and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += char
    return parts + ([current] if current else [])


def _mirror_symmetric(radius: str) -> bool:
    """Whether corner radii read the same mirrored: top-left as top-right, bottom-left as bottom-right."""
    for half in radius.split("/"):
        parts = _split_values(half.strip())
        tl, tr, br, bl = {1: lambda p: p * 4, 2: lambda p: p * 2, 3: lambda p: [p[0], p[1], p[2], p[1]],
                          4: lambda p: p}[min(len(parts), 4)](parts[:4])
        if tl != tr or br != bl:
            return False
    return True


def physical_declarations(css: str) -> list[tuple[str, str, str]]:
    """(selector, property, value) of every declaration that says left or right."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for match in re.finditer(r"([^{};]*)\{([^{}]*)\}", css):
        selector = " ".join(match.group(1).split())
        if re.search(r"\[dir[=~|^$*]*=?|:dir\(", selector):
            continue
        for declaration in match.group(2).split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if not name or not value:
                continue
            parts = _split_values(value.replace("!important", "").strip())
            physical = (
                _PHYSICAL_NAME.match(name)
                or (name in _PHYSICAL_VALUE and re.search(r"\b(left|right)\b", value))
                or re.search(r"\bto (left|right)\b|translatex\(|\b(left|right) (top|bottom|center)\b", value)
                or (name in _FOUR_SIDES and len(parts) == 4 and parts[1] != parts[3])
                or (name == "border-radius" and not _mirror_symmetric(value))
            )
            if physical:
                found.append((selector, name, value))
    return found


def theme_styles() -> dict[str, str]:
    """Every stylesheet of the themes, and every <style> element of their templates."""
    styles = {}
    for path in sorted(REPO_THEMES.rglob("*")):
        relative = path.relative_to(REPO_THEMES).as_posix()
        if path.suffix == ".css":
            styles[relative] = path.read_text(encoding="utf-8")
        elif path.suffix in (".html", ".svg"):
            blocks = re.findall(r"<style[^>]*>(.*?)</style>", path.read_text(encoding="utf-8"), flags=re.S)
            inline = re.findall(r"""\sstyle=["']([^"']*)["']""", path.read_text(encoding="utf-8"))
            text = "\n".join(blocks) + "".join(f"\n[inline]{{{value}}}" for value in inline)
            if text.strip():
                styles[relative] = text
    return styles


def test_the_physical_property_finder_finds_them() -> None:
    css = """
    .a { margin-left: 1rem; } .b { padding-right: 0 } .c { left: 0; } .d { text-align: left }
    .e { float: right } .f { border-left: 4px solid } .g { margin: 0 1rem 0 2rem } .h { right: auto !important }
    .i { border-top-left-radius: 2px } .j { background: linear-gradient(to right, red, blue) }
    .m { border-radius: 0 4px 4px 0 }
    /* .k { margin-left: 1rem } */ [dir="rtl"] .l { transform: scaleX(-1); margin-left: 0 }
    .ok { margin-inline-start: 1rem; inset-inline-end: 0; text-align: start; margin: 0 1rem; padding: 1px 2px 3px;
          border-inline-start: 4px solid; border-start-end-radius: 2px; border-radius: 2px; }
    .ok2 { border-radius: 4px 4px 0 0; border-radius: 50%; }
    """
    names = [(selector, name) for selector, name, _ in physical_declarations(css)]
    assert names == [(".a", "margin-left"), (".b", "padding-right"), (".c", "left"), (".d", "text-align"),
                     (".e", "float"), (".f", "border-left"), (".g", "margin"), (".h", "right"),
                     (".i", "border-top-left-radius"), (".j", "background"), (".m", "border-radius")], names


def test_no_physical_left_or_right_in_the_themes_styles() -> None:
    styles = theme_styles()
    assert any(name.endswith("civic.css") for name in styles) and "default/css/base.css" in styles
    found = []
    for name, css in styles.items():
        for selector, prop, value in physical_declarations(css):
            if any(name == path and fragment in selector and prop == allowed for path, fragment, allowed, _ in EXCEPTIONS):
                continue
            found.append(f"{name}: {selector} {{ {prop}: {value} }}")
    assert not found, (
        "physical left/right in the themes (use inline-start/end, inset-inline, text-align: start;"
        " or add a reasoned exception to EXCEPTIONS):\n" + "\n".join(found))
    # Scripts set no physical position or alignment either.
    scripts = []
    for path in sorted(REPO_THEMES.rglob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.style\.(left|right|margin(Left|Right)|padding(Left|Right)|border(Left|Right)\w*|textAlign|cssFloat)\b", line):
                scripts.append(f"{path.relative_to(REPO_THEMES)}:{number}: {line.strip()}")
    assert not scripts, "scripts setting physical styles:\n" + "\n".join(scripts)
