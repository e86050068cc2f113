"""Themes: the civic theme over the default, a course's own options, template and CSS, the theme
errors a trainer can make, and both shipped themes under axe-core in light, dark and right to left.

The sample course is built four times (default and civic, English and Arabic interface); the
themed fixture course (tests/fixtures/courses/themed) uses civic with its own colours, logo,
one template of its own (partials/end.html) and one stylesheet (theme/brand.css).
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from browser import GuardedPage, axe, file_url, format_violations
from builder.build import build
from builder.cli import main
from builder.errors import Issues, SourceRef
from builder.offline import check_stylesheet
from builder.theme import BUILTIN_THEMES, load_theme, option_problem
from test_learner_theme import PHYSICAL, strip_css_comments

ROOT = Path(__file__).resolve().parent.parent
THEMED = Path(__file__).resolve().parent / "fixtures" / "courses" / "themed"
CIVIC = BUILTIN_THEMES / "civic"
CURRENT = "section.page.is-current"
THEMES = ["default", "civic"]


# --- builds ------------------------------------------------------------------------------------

def set_key(course_yaml: Path, key: str, value: str) -> None:
    """Set one top-level key of a course.yaml, keeping the rest of the file as written."""
    text = course_yaml.read_text(encoding="utf-8")
    line = f"{key}: {value}"
    pattern = re.compile(rf"^{key}:.*$", re.MULTILINE)
    text = pattern.sub(line, text) if pattern.search(text) else text.rstrip("\n") + f"\n{line}\n"
    course_yaml.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Built:
    """A built web course: its folder and its index page's address."""

    web: Path

    @property
    def url(self) -> str:
        return file_url(self.web / "index.html")

    @property
    def html(self) -> str:
        return (self.web / "index.html").read_text(encoding="utf-8")

    @property
    def css(self) -> str:
        return (self.web / "assets" / "course.css").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Built]:
    """The sample course built with a theme and an interface language (translations left out)."""
    built: dict[tuple[str, str], Built] = {}

    def get(theme: str, language: str = "en") -> Built:
        if (theme, language) not in built:
            base = tmp_path_factory.mktemp(f"sample-{theme}-{language}")
            source = base / "course_src"
            shutil.copytree(ROOT / "course_src", source, ignore=shutil.ignore_patterns("translations"))
            course_yaml = source / "course.yaml"
            course_yaml.write_text(re.sub(r"^translations:.*\n", "", course_yaml.read_text("utf-8"), flags=re.M),
                                   encoding="utf-8")
            set_key(course_yaml, "theme", theme)
            set_key(course_yaml, "language", language)
            build(source, base / "dist")
            built[(theme, language)] = Built(base / "dist" / "web")
        return built[(theme, language)]

    return get


def copy_themed(base: Path) -> Path:
    course = base / "themed"
    shutil.copytree(THEMED, course)
    return course


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("themed")
    build(copy_themed(base), base / "dist")
    return Built(base / "dist" / "web")


# --- the civic theme in the output -------------------------------------------------------------

def test_civic_adds_its_stylesheet_after_the_default_ones(sample: Callable[..., Built]) -> None:
    default, civic = sample("default").css, sample("civic").css
    assert ".page-header::after" in civic and ".page-header::after" not in default
    assert civic.startswith(default.rstrip("\n")[:2000]), "civic starts with the default theme's styles"
    assert civic.index(".skip-link") < civic.index("--civic-radius")


def test_civic_lays_out_its_options_as_custom_properties(sample: Callable[..., Built]) -> None:
    html = sample("civic").html
    options = yaml.safe_load((CIVIC / "theme.yaml").read_text(encoding="utf-8"))["options"]
    assert f"--accent: {options['accent']};" in html
    assert f"--civic-brand: {options['brand']};" in html
    assert f"--civic-stripe: {options['stripe']};" in html
    assert f"--civic-radius: {options['radius']};" in html
    assert "--civic-band:" not in html, "the band is on by default"
    assert html.count('id="i-menu"') == 1, "the default theme's icons are there, once"


def test_civic_stylesheets_use_logical_properties_only() -> None:
    found = []
    for path in sorted(CIVIC.rglob("*.css")):
        for number, line in enumerate(strip_css_comments(path.read_text("utf-8")).splitlines(), 1):
            if line.lstrip().startswith("@media"):
                continue
            found += [f"{path.name}:{number}: {m.group(0)}" for m in PHYSICAL.finditer(line)]
    assert not found, "physical properties (use inline/block logical ones):\n" + "\n".join(found)


def test_civic_moves_only_when_the_learner_allows_it() -> None:
    css = strip_css_comments((CIVIC / "css" / "civic.css").read_text("utf-8"))
    allowed = re.search(r"@media \(prefers-reduced-motion: no-preference\) \{(.*?)\n\}", css, re.S)
    assert allowed, "transitions sit in a prefers-reduced-motion: no-preference block"
    outside = css.replace(allowed.group(0), "")
    assert not re.search(r"\b(transition|animation)\s*:", outside)


def test_every_option_of_every_shipped_theme_is_documented() -> None:
    doc = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    for theme_yaml in sorted(BUILTIN_THEMES.glob("*/theme.yaml")):
        meta = yaml.safe_load(theme_yaml.read_text(encoding="utf-8"))
        assert f"`{meta['name']}`" in doc, f"docs/themes.md does not present theme {meta['name']}"
        for key in meta.get("options") or {}:
            assert f"`{key}`" in doc, f"docs/themes.md does not document option {key} of {meta['name']}"


# --- a course's own options, template and stylesheet -------------------------------------------

def test_course_options_reach_the_page(themed: Built) -> None:
    html = themed.html
    assert "--accent: #5b2a86;" in html
    assert "--civic-brand: #3a1f5c;" in html and "--civic-stripe: #2e8b57;" in html
    assert '<img class="site-logo" src="media/crest.svg" alt="Test ministry">' in html


def test_course_template_replaces_one_template_only(themed: Built) -> None:
    html = themed.html
    assert '<p class="end-contact">Questions about this course? Ask the training unit of Test ministry.</p>' in html
    assert "--civic-brand" in html, "the rest still comes from civic (its icons partial)"
    assert 'class="site-header"' in html and 'class="toc"' in html, "and from the default theme"


def test_course_stylesheet_comes_last(themed: Built) -> None:
    css = themed.css.rstrip("\n")
    assert css.endswith(".end-contact{padding-inline-start:1rem;border-inline-start:6px solid var(--stripe)}"
                        ".site-title{letter-spacing:0.02em}")


def test_course_logo_is_copied_into_the_output(themed: Built) -> None:
    assert (themed.web / "media" / "crest.svg").read_bytes() == (THEMED / "media" / "crest.svg").read_bytes()


def test_course_logo_resolves_inside_the_course(tmp_path: Path) -> None:
    course = copy_themed(tmp_path)
    theme = load_theme("civic", course, {"logo": "./media/../media/crest.svg"}, SourceRef("course.yaml"),
                       "en", issues := Issues())
    assert not issues.items and theme is not None
    assert theme.options["logo"] == "media/crest.svg"
    assert theme.files == {"media/crest.svg": (course / "media" / "crest.svg").resolve()}


def test_a_template_can_name_the_one_it_replaces(tmp_path: Path) -> None:
    """`<theme>/<template>` is the template as that theme has it, before any override."""
    course = copy_themed(tmp_path)
    theme = load_theme("civic", course, {}, SourceRef("course.yaml"), "en", Issues())
    assert theme is not None
    source = {name: Path(theme.env.get_template(name).filename or "") for name in (
        "partials/end.html", "civic/partials/end.html", "default/partials/end.html",
        "partials/icons.html", "civic/partials/icons.html", "default/partials/icons.html")}
    default, civic = BUILTIN_THEMES / "default" / "templates", CIVIC / "templates"
    assert source["partials/end.html"] == (course / "theme" / "templates" / "partials" / "end.html").resolve()
    assert source["civic/partials/end.html"] == default / "partials" / "end.html"
    assert source["default/partials/end.html"] == default / "partials" / "end.html"
    assert source["partials/icons.html"] == civic / "partials" / "icons.html"
    assert source["civic/partials/icons.html"] == civic / "partials" / "icons.html"
    assert source["default/partials/icons.html"] == default / "partials" / "icons.html"


# --- option types --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "default", "expected"), [
    ("#123456", "#1d5fa7", None),
    ("#abc", "#1d5fa7", None),
    ("rgb(10 20 30)", "#1d5fa7", None),
    ("navy", "#1d5fa7", None),
    (True, False, None),
    (3, 1.5, None),
    ("anything", None, None),
    (None, None, None),
    ("46rem", "46rem", None),
    (123456, "#1d5fa7", ("theme option 'accent' must be a colour such as \"#1d5fa7\", not a number",
                         'did you mean "#123456"? Put it in quotes: accent: "#123456"')),
    (None, "#1d5fa7", ("theme option 'accent' is empty",
                       'in YAML a # starts a comment: put the colour in quotes, accent: "#1d5fa7"')),
    ("1d5fa7", "#1d5fa7", ("theme option 'accent' must be a colour such as \"#1d5fa7\", not '1d5fa7'",
                           'did you mean "#1d5fa7"? Put it in quotes: accent: "#1d5fa7"')),
    ("red; background: url(x)", "#1d5fa7",
     ("theme option 'accent' must be a colour such as \"#1d5fa7\", not 'red; background: url(x)'",
      'write it in quotes as #rrggbb, e.g. accent: "#1d5fa7"')),
    ("no", True, ("theme option 'accent' must be true or false, not text", "the theme's default is accent: true")),
    (1, True, ("theme option 'accent' must be true or false, not a number", "the theme's default is accent: true")),
    (True, 2, ("theme option 'accent' must be a whole number, not true or false", "the theme's default is accent: 2")),
    (2.5, 2, ("theme option 'accent' must be a whole number, not a number", "the theme's default is accent: 2")),
    (46, "46rem", ("theme option 'accent' must be text, not a number", 'the theme\'s default is accent: "46rem"')),
    ([1], None, ("theme option 'accent' must be a single value, not a list", "")),
    (None, "46rem", ("theme option 'accent' is empty",
                     'give it a value like the theme\'s default, accent: "46rem", or leave it out')),
])
def test_option_types_follow_the_defaults(value: Any, default: Any, expected: tuple[str, str] | None) -> None:
    assert option_problem("accent", value, default) == expected


# --- theme errors, as `course check` prints them -----------------------------------------------

def check(course: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[str], Any]:
    monkeypatch.chdir(course.parent)
    result = CliRunner().invoke(main, ["check", course.name, *args])
    return result.exit_code, result.output.splitlines(), result.exception


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} must contain {old!r} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def without_options(course_yaml: Path) -> None:
    text = course_yaml.read_text(encoding="utf-8")
    course_yaml.write_text(re.sub(r"^theme_options:\n(?:  .*\n)+", "", text, flags=re.M), encoding="utf-8")


END = "theme/templates/partials/end.html"
ACCENT = 'accent: "#5b2a86"'
LOGO = "logo: media/crest.svg"

ERRORS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "unknown-option": (
        lambda c: edit(c / "course.yaml", ACCENT, 'accnet: "#5b2a86"'),
        ["themed/course.yaml:9:3: error: theme 'civic' has no option 'accnet' (did you mean 'accent'?)"]),
    "unknown-option-nothing-close": (
        lambda c: edit(c / "course.yaml", ACCENT, "colour_scheme: dark"),
        ["themed/course.yaml:9:3: error: theme 'civic' has no option 'colour_scheme' (its options are: accent, "
         "accent_dark, brand, brand_dark, certificate_signatory, certificate_signatory_title, font, header_band, "
         "heading_font, logo, logo_alt, max_width, radius, stripe)"]),
    "colour-as-a-number": (
        lambda c: edit(c / "course.yaml", ACCENT, "accent: 123456"),
        ["themed/course.yaml:9:11: error: theme option 'accent' must be a colour such as \"#0b6170\", not a "
         "number (did you mean \"#123456\"? Put it in quotes: accent: \"#123456\")"]),
    "colour-without-quotes": (
        lambda c: edit(c / "course.yaml", ACCENT, "accent: #5b2a86"),
        ["themed/course.yaml:9:10: error: theme option 'accent' is empty (in YAML a # starts a comment: put "
         "the colour in quotes, accent: \"#0b6170\")"]),
    "switch-as-text": (
        lambda c: edit(c / "course.yaml", ACCENT, 'header_band: "no"'),
        ["themed/course.yaml:9:16: error: theme option 'header_band' must be true or false, not text "
         "(the theme's default is header_band: true)"]),
    "logo-missing": (
        lambda c: edit(c / "course.yaml", LOGO, "logo: media/seal.svg"),
        ["themed/course.yaml:12:9: error: logo 'media/seal.svg' not found: no such file (give a path relative "
         "to the course folder, e.g. media/logo.svg)"]),
    "logo-outside-the-course": (
        lambda c: (write(c.parent / "secret.svg", "<svg/>"), edit(c / "course.yaml", LOGO, "logo: ../secret.svg")),
        ["themed/course.yaml:12:9: error: logo '../secret.svg' not found: the path leads outside the course "
         "folder (give a path relative to the course folder, e.g. media/logo.svg)"]),
    "logo-on-the-network": (
        lambda c: edit(c / "course.yaml", LOGO, "logo: https://example.org/seal.svg"),
        ["themed/course.yaml:12:9: error: logo 'https://example.org/seal.svg' is on the network; the course "
         "must work offline (download the file into the course folder, e.g. media/logo.svg, and name it there)"]),
    "unknown-theme": (
        lambda c: edit(c / "course.yaml", "theme: civic", "theme: civik"),
        ["themed/course.yaml:7:8: error: theme 'civik' not found (did you mean 'civic'?)"]),
    "theme-extends-an-unknown-theme": (
        lambda c: (write(c.parent / "themes" / "ours" / "theme.yaml", "name: ours\nextends: defualt\n"),
                   edit(c / "course.yaml", "theme: civic", "theme: ours")),
        ["themes/ours/theme.yaml:2:10: error: theme 'defualt' not found (did you mean 'default'?)"]),
    "template-missing-in-an-override": (
        lambda c: edit(c / END, '<p class="end-contact">', '{% include "partials/contact.html" %}\n'
                       '<p class="end-contact">'),
        ["themed/theme/templates/partials/end.html:8:1: error: template 'partials/contact.html' not found in the "
         "course's theme/templates/, then themes 'civic' → 'default' (add the template to one of their "
         "templates/ folders, or fix its name)"]),
    "template-misspelt-in-an-override": (
        lambda c: edit(c / END, '<p class="end-contact">', '{% include "partials/glosary.html" %}\n'
                       '<p class="end-contact">'),
        ["themed/theme/templates/partials/end.html:8:1: error: template 'partials/glosary.html' not found in the "
         "course's theme/templates/, then themes 'civic' → 'default' (did you mean 'partials/glossary.html'?)"]),
    "template-missing-in-a-theme": (
        lambda c: (write(c.parent / "themes" / "bare" / "theme.yaml", "name: bare\n"),
                   edit(c / "course.yaml", "theme: civic", "theme: bare"),
                   without_options(c / "course.yaml"), shutil.rmtree(c / "theme")),
        ["themes/bare/theme.yaml:1:1: error: template 'course.html' not found in theme 'bare' (add the "
         "template to one of their templates/ folders, or fix its name)"]),
    "override-named-after-no-template": (
        lambda c: write(c / "theme" / "templates" / "partials" / "pages.html", "<p>x</p>\n"),
        ["themed/theme/templates/partials/pages.html:1:1: error: template 'partials/pages.html' replaces no "
         "template of theme 'civic', and no template uses it (did you mean 'partials/page.html'?)"]),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_theme_mistakes_are_reported_exactly(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    change, expected = ERRORS[case]
    course = copy_themed(tmp_path)
    change(course)
    code, lines, exception = check(course, monkeypatch, "--strict")
    assert lines[:-1] == expected
    assert code == 1 and isinstance(exception, SystemExit), "exit 1, no traceback"
    assert lines[-1].startswith("check failed: 1 error") or lines[-1].startswith("build failed: 1 error")


def test_a_large_course_reports_a_theme_mistake_as_a_small_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A course large enough to load on two cores loads its theme while a worker loads pages: the same
    mistake, said once."""
    course = copy_themed(tmp_path)
    more = course / "modules" / "02-more"
    write(more / "module.yaml", "title: More reading\n")
    for n in range(1, 61):
        write(more / f"{n:02d}-page-{n}.md", f"---\ntitle: Page {n}\n---\n\nThe text of page {n}.\n")
    change, expected = ERRORS["unknown-option"]
    change(course)
    code, lines, exception = check(course, monkeypatch, "--strict")
    assert lines[:-1] == expected
    assert code == 1 and isinstance(exception, SystemExit), "exit 1, no traceback"


def test_the_themed_course_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines, _ = check(copy_themed(tmp_path), monkeypatch, "--strict")
    assert code == 0, lines
    assert lines[0].startswith("themed: no errors (3 pages, 1 quiz, 1 scenario")


def test_an_override_used_by_another_override_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = copy_themed(tmp_path)
    write(course / "theme" / "templates" / "partials" / "contact.html", "<p class=\"contact\">Write to us.</p>\n")
    edit(course / END, '<p class="end-contact">', '{% include "partials/contact.html" %}\n<p class="end-contact">')
    code, lines, _ = check(course, monkeypatch, "--strict")
    assert code == 0, lines


# --- in Chromium ---------------------------------------------------------------------------------

def open_course(new_page: Callable[..., GuardedPage], url: str, **options: Any) -> Page:
    page = new_page(**options).page
    page.goto(url)
    expect(page.locator(CURRENT)).to_be_visible()
    return page


def show(page: Page, page_id: str) -> None:
    page.evaluate("id => { location.hash = '#/' + id; }", page_id)
    expect(page.locator(f"{CURRENT}[data-page='{page_id}']")).to_be_visible()


def style(page: Page, selector: str, prop: str) -> str:
    return page.evaluate("([s, p]) => getComputedStyle(document.querySelector(s)).getPropertyValue(p)",
                         [selector, prop])


def one_of_each_kind(page: Page) -> list[str]:
    pages = page.evaluate("() => Coursewright.app.course.pages")
    return [next(p["id"] for p in pages if p["kind"] == kind) for kind in ("lesson", "quiz", "scenario")]


def test_civic_looks_different_on_the_same_page(sample: Callable[..., Built],
                                               new_page: Callable[..., GuardedPage]) -> None:
    looks = {}
    for theme in THEMES:
        page = open_course(new_page, sample(theme).url)
        looks[theme] = {
            "header": style(page, ".site-header", "background-color"),
            "heading font": style(page, f"{CURRENT} .page-title", "font-family"),
            "title size": style(page, f"{CURRENT} .page-title", "font-size"),
            "corners": style(page, f"{CURRENT} .module-intro", "border-start-start-radius"),
            "page": style(page, "html", "background-color"),
        }
    default, civic = looks["default"], looks["civic"]
    assert civic["header"] == "rgb(19, 41, 75)", "the brand band"
    assert "serif" in civic["heading font"] and "Iowan Old Style" in civic["heading font"]
    assert civic["corners"] == "2px"
    for key in looks["default"]:
        assert civic[key] != default[key], f"{key}: civic {civic[key]} is the default's {default[key]}"


def test_course_options_and_stylesheet_reach_the_styles(themed: Built,
                                                        new_page: Callable[..., GuardedPage]) -> None:
    page = open_course(new_page, themed.url)
    assert style(page, ".site-header", "background-color") == "rgb(58, 31, 92)"
    assert style(page, ".site-header", "border-block-end-color") == "rgb(46, 139, 87)"
    assert style(page, f"{CURRENT} .prose a", "color") == "rgb(91, 42, 134)"
    size = float(style(page, ".site-title", "font-size").removesuffix("px"))
    spacing = float(style(page, ".site-title", "letter-spacing").removesuffix("px"))
    assert spacing == pytest.approx(0.02 * size, abs=0.01), "theme/brand.css"
    show(page, "end")
    assert style(page, ".end-contact", "border-inline-start-width") == "6px"
    assert style(page, ".end-contact", "border-inline-start-color") == "rgb(46, 139, 87)"


def test_a_plain_header_instead_of_the_band(tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    course = copy_themed(tmp_path)
    edit(course / "course.yaml", ACCENT, f"{ACCENT}\n  header_band: false")
    build(course, tmp_path / "dist")
    page = open_course(new_page, file_url(tmp_path / "dist" / "web" / "index.html"))
    assert style(page, ".site-header", "background-color") == "rgb(245, 242, 235)", "the paper surface"
    assert style(page, ".site-title", "color") == "rgb(29, 28, 26)"
    assert style(page, ".site-header", "border-block-end-color") == "rgb(46, 139, 87)", "the rule stays"


def test_civic_mirrors_right_to_left(sample: Callable[..., Built], new_page: Callable[..., GuardedPage]) -> None:
    page = open_course(new_page, sample("civic", "ar").url)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    _, quiz, _ = one_of_each_kind(page)
    show(page, quiz)
    question = f"{CURRENT} .question"
    assert (style(page, question, "border-right-width"), style(page, question, "border-left-width")) == ("4px", "1px")
    toc, main = (page.locator(s).bounding_box() for s in (".toc", "#main"))
    assert toc and main and toc["x"] > main["x"], "the contents are on the right"


def test_civic_honours_reduced_motion(sample: Callable[..., Built], new_page: Callable[..., GuardedPage]) -> None:
    url = sample("civic").url
    still = open_course(new_page, url, reduced_motion="reduce")
    moving = open_course(new_page, url, reduced_motion="no-preference")
    for page in (still, moving):
        show(page, one_of_each_kind(page)[2])
    choice = f"{CURRENT} .scenario-choice"
    assert style(still, choice, "transition-duration") in ("0s", "0s, 0s")
    assert style(moving, choice, "transition-duration") == "0.15s, 0.15s"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_civic_focus_is_visible_on_the_band(sample: Callable[..., Built], new_page: Callable[..., GuardedPage],
                                            scheme: str) -> None:
    page = open_course(new_page, sample("civic").url, viewport={"width": 360, "height": 780}, color_scheme=scheme)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".menu-button")).to_be_focused()
    assert style(page, ".menu-button", "outline-style") == "solid"
    assert style(page, ".menu-button", "outline-width") == "3px"
    assert style(page, ".menu-button", "outline-color") == "rgb(201, 162, 39)", "the gold rule's colour"


def assert_no_violations(page: Page, where: str) -> None:
    __tracebackhide__ = True
    # A colour scheme switched under a loaded page runs the theme's colour transitions: judge what settles.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    violations = axe(page)
    assert not violations, f"{where}: {format_violations(violations)}"


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("theme", THEMES)
def test_lesson_quiz_and_scenario_pass_axe_light_and_dark(theme: str, language: str, js_modules: Path,
                                                         sample: Callable[..., Built],
                                                         new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(color_scheme="light")
    page = guarded.page
    page.goto(sample(theme, language).url)
    expect(page.locator(CURRENT)).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for page_id in one_of_each_kind(page):
            show(page, page_id)
            assert_no_violations(page, f"{theme}, {language}, {scheme}: {page_id}")
    own = [p for p in guarded.guard.problems() if ".css" not in p]  # axe re-reads stylesheets over XHR
    assert not own, "the page was not clean:\n" + "\n".join(own)


def test_the_shipped_stylesheets_name_only_their_own_files(tmp_path: Path) -> None:
    """A build does not search the shipped themes' stylesheets for what they load (`load_theme`): they
    are the tool's own, and this is where they are searched, every one each theme uses."""
    sheets: set[Path] = set()
    for theme_yaml in sorted(BUILTIN_THEMES.glob("*/theme.yaml")):
        theme = load_theme(theme_yaml.parent.name, tmp_path, {}, SourceRef("course.yaml"), "en", Issues())
        assert theme is not None
        sheets.update(theme.stylesheets)
        sheets.update(p for folder in theme.folders for p in (folder / "documents").glob("*.css"))
    assert len(sheets) > 10
    for sheet in sorted(sheets):
        found = Issues()
        check_stylesheet(sheet, sheet.relative_to(BUILTIN_THEMES).as_posix(), found)
        assert found.items == [], sheet
