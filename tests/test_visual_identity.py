"""The default theme's look as learners meet it from file://: the self-hosted IBM Plex Sans draws the
English text and IBM Plex Sans Arabic the Arabic and Persian text (Chromium reports the face each
glyph came from), a page loads only the script subsets it shows and nothing from the network, and the
single-file edition carries the subsets its language draws and no others; the type
scale grows from phone to desktop with lines of 60 to 75 characters; a link's arrow moves on hover only
when motion is welcome; axe-core up to WCAG 2.2 AA in light and dark, English and Arabic; and in forced colours
(Windows high contrast) the controls and the keyboard focus stay visible.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, file_url, format_violations
from test_accessibility import index_of
from test_learner_support import CURRENT, tab_to

WCAG22 = [*WCAG_TAGS, "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LATIN_FACE, ARABIC_FACE = "IBM Plex Sans", "IBM Plex Sans Arabic"
FONT_FILES = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "fonts"
BLOCKS = Path(__file__).parent / "fixtures" / "courses" / "blocks"


def open_lesson(new_page: Callable[..., GuardedPage], built_course: Path, language: str,
                **options: object) -> GuardedPage:
    guarded = new_page(**options)
    guarded.page.goto(file_url(index_of(built_course, language)))
    expect(guarded.page.locator(f"{CURRENT} .page-title")).to_be_visible()
    guarded.page.evaluate("() => document.fonts.ready.then(() => true)")
    return guarded


def faces_drawing(page: Page, selector: str) -> dict[str, int]:
    """The fonts Chromium drew the element's text with (family → glyphs), as its DevTools report them
    (a face by its own name: the semibold one as "… SemiBold"; fonts of the system as "system:…")."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"].removesuffix(" SemiBold"): f["glyphCount"] for f in fonts if f["isCustomFont"]} | {
        f"system:{f['familyName']}": f["glyphCount"] for f in fonts if not f["isCustomFont"]}


def loaded_faces(page: Page) -> set[str]:
    return set(page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"))


@pytest.mark.parametrize(("language", "face", "unused"), [
    ("en", LATIN_FACE, ARABIC_FACE), ("ar", ARABIC_FACE, None), ("fa", ARABIC_FACE, None)])
def test_the_theme_fonts_draw_the_text_from_file(
    built_course: Path, new_page: Callable[..., GuardedPage], language: str, face: str, unused: str | None
) -> None:
    guarded = open_lesson(new_page, built_course, language)
    page = guarded.page
    for selector in (f"{CURRENT} .prose p", f"{CURRENT} .page-title"):
        drawn = faces_drawing(page, f"main {selector}")
        assert face in drawn and all(not name.startswith("system:") for name in drawn), \
            f"{language} {selector} is drawn with {drawn}, not only the theme's fonts"
    assert face in {f.strip('"') for f in loaded_faces(page)}
    if unused:
        assert unused not in {f.strip('"') for f in loaded_faces(page)}, \
            "an English page downloaded the Arabic subset it does not show"
    guarded.guard.assert_clean()  # the fonts came from the course's files: no request left file://


@pytest.mark.parametrize(("language", "faces"), [
    ("en", {LATIN_FACE}), ("ar", {LATIN_FACE, ARABIC_FACE}), ("fa", {LATIN_FACE, ARABIC_FACE})])
def test_the_single_file_carries_the_fonts_its_language_draws(
    single_files: dict[str, Path], new_page: Callable[..., GuardedPage], language: str, faces: set[str]
) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(single_files[language]))
    expect(page.locator(f"{CURRENT} .page-title")).to_be_visible()
    declared = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .filter(r => r instanceof CSSFontFaceRule)
        .map(r => [r.style.getPropertyValue('font-family').replace(/"/g, ''), r.style.getPropertyValue('src').slice(0, 30)])""")
    assert {family for family, _ in declared} == faces
    assert all(src.startswith('url("data:font/woff2;base64,') for _, src in declared), declared
    page.evaluate("() => document.fonts.ready.then(() => true)")
    face = ARABIC_FACE if language != "en" else LATIN_FACE
    drawn = faces_drawing(page, f"main {CURRENT} .prose p")
    assert face in drawn and all(not name.startswith("system:") for name in drawn), drawn
    guarded.guard.assert_clean()


def test_a_theme_swaps_the_fonts(tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    """A theme that extends default with a face of its own, named first in `font`, gets it drawn, and the
    default's faces are neither downloaded nor carried in the single file (docs/themes.md, Fonts)."""
    from builder.build import build
    from builder.singlefile import single_file_editions

    theme = tmp_path / "themes" / "house"
    (theme / "static" / "fonts").mkdir(parents=True)
    (theme / "css").mkdir()
    shutil.copy(FONT_FILES / "ibm-plex-sans-latin-600.woff2", theme / "static" / "fonts" / "house.woff2")
    (theme / "theme.yaml").write_text("name: house\nextends: default\nstylesheets: [css/house.css]\n"
                                      "scripts: []\noptions: {}\n", encoding="utf-8")
    (theme / "css" / "house.css").write_text(
        '@font-face { font-family: "House Sans"; font-weight: 100 900; font-display: swap;\n'
        '  src: url(fonts/house.woff2) format("woff2"); unicode-range: U+0000-00FF; }\n', encoding="utf-8")
    course = tmp_path / "course"
    shutil.copytree(BLOCKS, course)
    yaml_file = course / "course.yaml"
    yaml_file.write_text(re.sub(r"(?m)^theme: default$", "theme: ../themes/house\n"
                                "theme_options:\n  font: '\"House Sans\", sans-serif'", yaml_file.read_text()),
                         encoding="utf-8")
    report = build(course, tmp_path / "dist")
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(report.web_dir / "index.html"))
    expect(page.locator(".page-title").first).to_be_visible()
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert {f.strip('"') for f in loaded_faces(page)} == {"House Sans"}
    guarded.guard.assert_clean()
    editions, _ = single_file_editions(report.site, report.course.id, report.course.version, "en", course)
    single = next(iter(editions.values())).decode("utf-8")
    assert single.count("@font-face") == 1 and "House Sans" in single and "IBM Plex" not in single


def test_persian_letters_are_in_the_arabic_face() -> None:
    """The Arabic subset has the letters Persian adds to Arabic, and Persian and Arabic-Indic digits."""
    fonttools = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the font files")
    pytest.importorskip("brotli", reason="brotli unpacks woff2")
    for weight in ("400", "600"):
        cmap = fonttools.TTFont(FONT_FILES / f"ibm-plex-sans-arabic-{weight}.woff2").getBestCmap()
        missing = [c for c in "پچژگکی،؛؟۰۱۲۳۴۵۶۷۸۹٠١٢٣" if ord(c) not in cmap]
        assert not missing, f"weight {weight} lacks {missing}"


def test_the_type_scale_grows_from_phone_to_desktop_and_lines_stay_readable(
    built_course: Path, new_page: Callable[..., GuardedPage]
) -> None:
    sizes = {}
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = open_lesson(new_page, built_course, "en", viewport=viewport).page
        sizes[name] = page.evaluate(f"""() => ({{
            body: parseFloat(getComputedStyle(document.querySelector('{CURRENT} .prose p')).fontSize),
            title: parseFloat(getComputedStyle(document.querySelector('{CURRENT} .page-title')).fontSize),
            h2: parseFloat(getComputedStyle(document.querySelector('{CURRENT} .prose h2')).fontSize) }})""")
        if name == "desktop":
            # characters a line: each paragraph's width over the width of its text set in one line
            per_line = page.evaluate(f"""() => [...document.querySelectorAll('{CURRENT} .prose > p')].map(p => {{
                const c = document.createElement('canvas').getContext('2d'), s = getComputedStyle(p);
                c.font = `${{s.fontWeight}} ${{s.fontSize}} ${{s.fontFamily}}`;
                const text = p.textContent.replace(/\\s+/g, ' ');
                return text.length * p.clientWidth / c.measureText(text).width; }})""")
            assert per_line and all(60 <= n <= 75 for n in per_line), f"characters a line: {per_line}"
    assert sizes["phone"]["body"] == pytest.approx(16, abs=0.5)
    assert sizes["desktop"]["body"] == pytest.approx(18, abs=0.5)
    for name, s in sizes.items():
        assert s["title"] > s["h2"] > s["body"], f"{name}: the headings do not step down: {s}"
    assert sizes["desktop"]["title"] / sizes["desktop"]["body"] > sizes["phone"]["title"] / sizes["phone"]["body"], \
        "the scale should open up on a wide screen"


def test_hover_moves_only_when_motion_is_welcome(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    """The next link's arrow leans forward on hover (backward in Arabic), and stays put with "reduce motion"."""
    for language, forward in (("en", 1), ("ar", -1)):
        for motion, moving in (("no-preference", True), ("reduce", False)):
            page = open_lesson(new_page, built_course, language, reduced_motion=motion, viewport=DESKTOP).page
            arrow = page.locator(f"{CURRENT} ~ .pager .pager-next .icon, .pager .pager-next .icon").first
            page.locator(".pager .pager-next").first.hover()
            duration = arrow.evaluate("el => parseFloat(getComputedStyle(el).transitionDuration)")
            assert (duration > 0) == moving, (language, motion, duration)
            if moving:  # it ends leaning forward
                arrow.evaluate("(el, f) => new Promise(done => { const look = () => "
                               "(parseFloat(getComputedStyle(el).translate) || 0) * f > 0 ? done() "
                               ": requestAnimationFrame(look); look(); })", forward)
            else:
                assert arrow.evaluate("el => getComputedStyle(el).translate") == "none", (language, motion)
    assert page.locator(CURRENT).evaluate("el => getComputedStyle(el).animationName") == "none"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_lesson_meets_wcag_22_aa(
    built_course: Path, new_page: Callable[..., GuardedPage], language: str, scheme: str
) -> None:
    guarded = open_lesson(new_page, built_course, language, color_scheme=scheme, reduced_motion="reduce")
    violations = axe(guarded.page, tags=WCAG22)
    assert not violations, f"{language} {scheme}: {format_violations(violations)}"
    guarded.guard.assert_clean()


def test_forced_colours_keep_controls_and_focus_visible(
    built_course: Path, new_page: Callable[..., GuardedPage]
) -> None:
    guarded = open_lesson(new_page, built_course, "en", forced_colors="active", reduced_motion="reduce")
    page = guarded.page
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    for control in (page.locator(".search-button"), page.locator(f"{CURRENT} .page-print .btn").first,
                    page.locator(".pager-link").last):
        tab_to(page, control)
        style = control.evaluate("""el => { const s = getComputedStyle(el);
            return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), border: s.borderTopStyle,
                     outlineColor: s.outlineColor, background: s.backgroundColor }; }""")
        assert style["outline"] != "none" and style["width"] >= 2, f"no visible focus on {control}: {style}"
        assert style["border"] == "solid", f"{control} has no outline of its own in forced colours: {style}"
        assert style["outlineColor"] != style["background"], style
    bars = page.locator(".toc-link").evaluate_all("""els => {
        const probe = document.body.appendChild(document.createElement('i'));
        probe.style.color = 'Canvas';
        const canvas = getComputedStyle(probe).color;
        probe.remove();
        return els.map(e => [e.getAttribute('aria-current'), getComputedStyle(e).borderInlineStartColor === canvas]); }""")
    assert [hidden for current, hidden in bars if current != "page"] and all(
        hidden for current, hidden in bars if current != "page"), "contents links other than the current one show a bar"
    assert not next(hidden for current, hidden in bars if current == "page"), "the current page has no bar"
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    guarded.guard.assert_clean()
