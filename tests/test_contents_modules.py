"""The contents' modules collapse, and the runtime's optional parts load when a page needs them.

Headless Chromium opens the built sample course (and its Arabic build) from file://: each module of the
contents is a disclosure button; the module of the page on show is open with that page marked and in
view; the learner opens and closes modules with the mouse or the keyboard, in a phone's drawer too, and
finds them as they left them after a reload; without JavaScript every module's page is a link. The first
lesson shows with course.js and its own page only (and the quiz part when it has inline checks); a quiz, a scenario, search and the certificate bring
their part of the runtime the first time they are needed.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, file_url, format_violations, record_scripts, recorded_scripts
from test_learner_support import CURRENT, course_data, open_module, play_quiz, play_scenario, tab_to

WCAG22 = [*WCAG_TAGS, "wcag22aa"]

# What had been asked for when the first lesson's title came on screen.
AT_FIRST_LESSON = """
window.__atFirstLesson = null;
const watchFirst = () => {
  const title = document.querySelector('section.page.is-current[data-kind="lesson"] .page-title');
  if (title && title.getBoundingClientRect().height > 0) window.__atFirstLesson = window.__scripts.slice();
  else requestAnimationFrame(watchFirst);
};
requestAnimationFrame(watchFirst);
"""
PARTS = ("course-quiz.js", "course-scenario.js", "course-search.js", "course-certificate.js", "course-scorm.js", "course-xapi.js")


def toggle(page: Page, module_id: str):
    return page.locator(f"#toc .toc-module[data-module='{module_id}'] .toc-module-toggle")


def module_list(page: Page, module_id: str):
    return page.locator(f"#toc .toc-module[data-module='{module_id}'] ol.toc-pages")


def open_course(new_page: Callable[..., GuardedPage], web: Path, hash_: str = "", **options) -> GuardedPage:
    guarded = new_page(**({"viewport": {"width": 1280, "height": 800}} | options))
    record_scripts(guarded.page, AT_FIRST_LESSON)
    guarded.page.goto(file_url(web / "index.html") + hash_)
    expect(guarded.page.locator(CURRENT)).to_be_visible()
    return guarded


def test_the_current_module_is_open_and_the_others_closed(built_course: Path,
                                                          new_page: Callable[..., GuardedPage]) -> None:
    guarded = open_course(new_page, built_course / "web")
    page = guarded.page
    data = course_data(page)
    first, *others = [m["id"] for m in data["modules"]]
    expect(toggle(page, first)).to_have_attribute("aria-expanded", "true")
    expect(module_list(page, first)).to_be_visible()
    expect(page.locator(f"#toc a[href='#/{data['pages'][0]['id']}']")).to_have_attribute("aria-current", "page")
    for module_id in others:
        expect(toggle(page, module_id)).to_have_attribute("aria-expanded", "false")
        expect(module_list(page, module_id)).to_be_hidden()
        controls = toggle(page, module_id).get_attribute("aria-controls")
        assert page.locator(f"#{controls}").count() == 1  # the button names the list it opens
    guarded.guard.assert_clean()


def test_a_deep_link_opens_its_module_and_shows_its_entry_in_the_contents(
        built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    web = built_course / "web"
    guarded = open_course(new_page, web)
    data = course_data(guarded.page)
    last = data["pages"][-1]
    guarded = open_course(new_page, web, f"#/{last['id']}", viewport={"width": 1280, "height": 600})
    page = guarded.page
    expect(page.locator(f"{CURRENT}[data-page='{last['id']}']")).to_be_visible()
    expect(toggle(page, last["module"])).to_have_attribute("aria-expanded", "true")
    link = page.locator(f"#toc a[href='#/{last['id']}']")
    expect(link).to_have_attribute("aria-current", "page")
    expect(link).to_be_in_viewport()  # the contents scrolled to it
    expect(toggle(page, data["modules"][0]["id"])).to_have_attribute("aria-expanded", "false")
    guarded.guard.assert_clean()


def test_modules_open_and_close_with_the_keyboard_and_stay_so(built_course: Path,
                                                              new_page: Callable[..., GuardedPage]) -> None:
    web = built_course / "web"
    guarded = open_course(new_page, web)
    page = guarded.page
    data = course_data(page)
    second = data["modules"][1]
    button = toggle(page, second["id"])
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(module_list(page, second["id"]).locator("a.toc-link")).to_have_count(len(second["pages"]))
    page.keyboard.press("Tab")  # the first page of the module is next in the reading order
    expect(page.locator(f"#toc a[href='#/{second['pages'][0]}']")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(module_list(page, second["id"])).to_be_hidden()
    first = toggle(page, data["modules"][0]["id"])
    first.focus()
    page.keyboard.press("Enter")  # the learner closes the module they are in
    expect(first).to_have_attribute("aria-expanded", "false")
    third = data["modules"][2]["id"]
    toggle(page, third).click()
    page.reload()
    expect(page.locator(CURRENT)).to_be_visible()
    expect(toggle(page, third)).to_have_attribute("aria-expanded", "true")  # remembered
    expect(toggle(page, second["id"])).to_have_attribute("aria-expanded", "false")
    guarded.guard.assert_clean()


def test_modules_collapse_in_the_phone_drawer_and_in_arabic(built_course: Path,
                                                           new_page: Callable[..., GuardedPage]) -> None:
    guarded = open_course(new_page, built_course / "web" / "ar", viewport={"width": 390, "height": 844},
                          has_touch=True, is_mobile=True)
    page = guarded.page
    assert page.evaluate("document.documentElement.dir") == "rtl"
    data = course_data(page)
    page.locator(".menu-button").click()
    expect(page.locator("#toc")).to_be_visible()
    second = data["modules"][1]
    button = toggle(page, second["id"])
    button.tap()
    expect(button).to_have_attribute("aria-expanded", "true")
    # The chevron sits at the inline end: on the left in Arabic.
    chevron = button.locator(".toc-chevron").bounding_box()
    label = button.locator(".toc-module-label").bounding_box()
    assert chevron["x"] + chevron["width"] <= label["x"] + 1
    target = second["pages"][0]
    page.locator(f"#toc a[href='#/{target}']").tap()
    expect(page.locator(f"{CURRENT}[data-page='{target}']")).to_be_visible()
    expect(page.locator("#toc")).to_be_hidden()  # the drawer closed on the way
    guarded.guard.assert_clean()


def test_axe_finds_nothing_with_modules_closed_and_open(built_course: Path,
                                                        new_page: Callable[..., GuardedPage]) -> None:
    for web, scheme in ((built_course / "web", "light"), (built_course / "web" / "ar", "dark")):
        guarded = open_course(new_page, web, color_scheme=scheme)
        page = guarded.page
        violations = axe(page, tags=WCAG22)
        assert not violations, format_violations(violations)
        for module in course_data(page)["modules"]:
            open_module(page, module["id"])
        violations = axe(page, tags=WCAG22)
        assert not violations, format_violations(violations)
        guarded.guard.assert_clean()


def test_without_javascript_every_module_is_a_link(built_course: Path,
                                                   new_page: Callable[..., GuardedPage]) -> None:
    web = built_course / "web"
    data = course_data(open_course(new_page, web).page)
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(file_url(web / "index.html"))
    expect(page.locator("#toc .toc-module-toggle")).to_have_count(0)
    links = page.locator("#toc .toc-module-open a.toc-link")
    expect(links).to_have_count(len(data["modules"]))
    for index in range(len(data["modules"])):
        expect(links.nth(index)).to_be_visible()
    links.nth(1).click()  # the module's own page lists its pages
    expect(page.locator(f"section.page[data-page='{data['modules'][1]['pages'][0]}']")).to_be_attached()


def test_the_first_lesson_needs_no_optional_part(built_course: Path,
                                                 new_page: Callable[..., GuardedPage]) -> None:
    guarded = open_course(new_page, built_course / "web")
    page = guarded.page
    page.wait_for_function("window.__atFirstLesson !== null")
    loaded = page.evaluate("window.__atFirstLesson")
    assert loaded[0] == "assets/course.js"
    needed = {"course-quiz.js"} if page.locator(f"{CURRENT} .inline-check").count() else set()  # its checks
    assert {s.rsplit("/", 1)[-1] for s in loaded} & set(PARTS + ("outline.js",)) == needed
    guarded.guard.assert_clean()


def test_a_quiz_and_a_scenario_opened_directly_bring_their_parts(built_course: Path,
                                                                 new_page: Callable[..., GuardedPage]) -> None:
    web = built_course / "web"
    data = course_data(open_course(new_page, web).page)
    quiz = next(p for p in data["pages"] if p["kind"] == "quiz")
    guarded = open_course(new_page, web, f"#/{quiz['id']}")
    page = guarded.page
    section = page.locator(f"{CURRENT}[data-page='{quiz['id']}']")
    expect(section).to_be_visible()
    assert "assets/course-quiz.js" in recorded_scripts(page)
    points, maximum = play_quiz(page, section, data["quizzes"][quiz["id"]], right=True)
    assert points == maximum > 0
    scenario = next(p for p in data["pages"] if p["kind"] == "scenario")
    page.goto(file_url(web / "index.html") + f"#/{scenario['id']}")
    section = page.locator(f"{CURRENT}[data-page='{scenario['id']}']")
    expect(section).to_be_visible()
    assert "assets/course-scenario.js" in recorded_scripts(page)
    play_scenario(section, data["scenarios"][scenario["id"]], best=True)
    guarded.guard.assert_clean()


def test_search_and_the_certificate_bring_their_parts_when_used(built_course: Path,
                                                                new_page: Callable[..., GuardedPage]) -> None:
    guarded = open_course(new_page, built_course / "web")
    page = guarded.page
    page.locator(".search-button").click()
    expect(page.locator("#search-input")).to_be_focused()
    page.locator("#search-input").fill("trafficking")
    expect(page.locator(".search-results li").first).to_be_visible()
    assert "assets/course-search.js" in recorded_scripts(page)
    page.keyboard.press("Escape")
    page.locator("#toc a[href='#/end']").click()
    expect(page.locator(f"{CURRENT}[data-page='end']")).to_be_visible()
    page.wait_for_function("window.__scripts.includes('assets/course-certificate.js')")
    page.wait_for_function("!!window.Coursewright.certificate")
    guarded.guard.assert_clean()


def test_in_forced_colours_a_module_shows_whether_it_is_open_and_where_the_focus_is(
        built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    """Windows High Contrast replaces the theme's colours: each module's chevron is still drawn (in
    the text's colour, not the background's), pointing down when open and along the line when closed,
    and the focused module title has an outline of its own."""
    guarded = open_course(new_page, built_course / "web", forced_colors="active", reduced_motion="reduce")
    page = guarded.page
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    first, second = [m["id"] for m in course_data(page)["modules"]][:2]
    chevrons = page.evaluate("""([open, closed]) => {
        const probe = document.body.appendChild(document.createElement('i'));
        probe.style.color = 'Canvas';
        const canvas = getComputedStyle(probe).color;
        probe.remove();
        return [open, closed].map(id => {
          const icon = document.querySelector(`#toc .toc-module[data-module='${id}'] .toc-chevron`);
          const box = icon.getBoundingClientRect(), s = getComputedStyle(icon);
          return {size: Math.min(box.width, box.height), drawn: s.color !== canvas && s.visibility === 'visible',
                  turn: s.transform, expanded: icon.closest('button').getAttribute('aria-expanded')};
        }); }""", [first, second])
    opened, closed = chevrons
    assert opened["expanded"] == "true" and closed["expanded"] == "false", chevrons
    assert all(c["drawn"] and c["size"] >= 12 for c in chevrons), f"a chevron is not drawn: {chevrons}"
    assert opened["turn"] != closed["turn"], f"open and closed modules look the same: {chevrons}"
    tab_to(page, toggle(page, second))
    style = toggle(page, second).evaluate("""el => { const s = getComputedStyle(el);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
                background: s.backgroundColor}; }""")
    assert style["outline"] != "none" and style["width"] >= 2 and style["color"] != style["background"], style
    toggle(page, second).press("Enter")
    expect(toggle(page, second)).to_have_attribute("aria-expanded", "true")
    turned = toggle(page, second).locator(".toc-chevron").evaluate("e => getComputedStyle(e).transform")
    assert turned == opened["turn"], "a module opened from the keyboard does not show it"
    guarded.guard.assert_clean()
