"""Pages loaded on demand, from file://: index.html holds the contents and the outline, each page comes
as a script of its own when the learner goes there, and each module is a page of its own without
JavaScript. Headless Chromium opens the built sample course and a generated course of 120 lessons."""
from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import webcourse
from browser import GuardedPage, PageGuard, axe, file_url, format_violations, record_scripts, recorded_scripts
from test_learner_support import CURRENT, course_url, open_module  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course of 120 lessons in 6 modules, built: the web folder."""
    from builder.build import build

    folder = tmp_path_factory.mktemp("large")
    course = synthetic.write_course(folder / "course", 120)
    return build(course, folder / "dist").web_dir


def page_ids(web: Path) -> list[str]:
    return [p["id"] for p in webcourse.course_data(web)["pages"]]


def heading(page: Page, page_id: str):
    return page.locator(f"{CURRENT}[data-page='{page_id}'] .page-title")


def test_the_first_screen_loads_one_page_and_the_rest_when_the_learner_goes_there(
        large: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 1280, "height": 800})
    page = guarded.page
    record_scripts(page)
    ids = page_ids(large)
    page.goto(file_url(large / "index.html"))
    expect(heading(page, ids[0])).to_be_visible()
    assert recorded_scripts(page)[:2] == ["assets/course.js", f"pages/{ids[0]}.js"]
    assert (large / "index.html").stat().st_size < 100_000  # the outline, not 120 lessons
    first_module = [i for i in ids if i.split("/")[0] == ids[0].split("/")[0]]
    # The contents list the open module's pages; the others are closed (their titles come with
    # pages/outline.js, after the first page).
    expect(page.locator("#toc .toc-pages a.toc-link")).to_have_count(len(first_module))
    # The learner moves to a page of another module through the contents.
    far = ids[len(ids) * 2 // 3]
    assert far.split("/")[0] != ids[0].split("/")[0]
    open_module(page, far.split("/")[0])
    assert "pages/outline.js" in recorded_scripts(page)
    page.locator(f"#toc a[href='#/{far}']").click()
    expect(heading(page, far)).to_be_focused()
    assert f"pages/{far}.js" in recorded_scripts(page)
    assert page.locator("section.page[data-page*='/']").count() < len(ids) / 2  # not the whole course
    # Next, back and forward.
    page.locator(".pager-next").click()
    expect(heading(page, ids[ids.index(far) + 1])).to_be_focused()
    page.go_back()
    expect(heading(page, far)).to_be_visible()
    page.go_back()
    expect(heading(page, ids[0])).to_be_visible()
    guarded.guard.assert_clean()


def test_pages_around_the_current_one_are_brought_while_the_learner_reads(
        large: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    ids = page_ids(large)
    page.goto(file_url(large / "index.html"))
    expect(heading(page, ids[0])).to_be_visible()
    page.wait_for_function(f"() => window.__scripts.includes('pages/{ids[1]}.js')")
    loaded = set(recorded_scripts(page))
    assert f"pages/{ids[-1]}.js" not in loaded  # only what is near
    guarded.guard.assert_clean()


def test_a_deep_link_into_the_last_module(large: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    ids = page_ids(large)
    target = ids[-2]
    page.goto(f"{file_url(large / 'index.html')}#/{target}")
    expect(heading(page, target)).to_be_visible()
    assert page.evaluate("location.hash") == f"#/{target}"
    # index.html lists the first module's pages only: the rest of the outline comes first, then the
    # page, and no page of the first module before it.
    assert [s for s in recorded_scripts(page) if s.startswith("pages/")][:2] == ["pages/outline.js", f"pages/{target}.js"]
    assert page.locator(f"#toc a[href='#/{target}'][aria-current='page']").count() == 1
    guarded.guard.assert_clean()


def test_an_unknown_address_shows_the_first_page(large: Path, page: Page, guard: PageGuard) -> None:
    ids = page_ids(large)
    page.goto(f"{file_url(large / 'index.html')}#/no-such-module/no-such-page")
    expect(heading(page, ids[0])).to_be_visible()
    guard.assert_clean()


def test_a_missing_page_script_is_said_and_the_course_goes_on(
        large: Path, tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    web = tmp_path / "web"
    shutil.copytree(large, web)
    ids = page_ids(web)
    (web / "pages" / f"{ids[5]}.js").unlink()
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(web / "index.html"))
    expect(heading(page, ids[0])).to_be_visible()
    page.evaluate("id => { location.hash = '#/' + id; }", ids[5])
    expect(page.locator("#page-status")).to_contain_text("could not be loaded")
    page.evaluate("id => { location.hash = '#/' + id; }", ids[6])
    expect(heading(page, ids[6])).to_be_visible()
    expect(page.locator("#page-status")).to_be_hidden()
    assert any(ids[5] in message for message in guarded.guard.console_errors)


def test_resume_offers_a_page_of_a_late_module_and_loads_it(large: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    ids = page_ids(large)
    url = file_url(large / "index.html")
    late = ids[-3]
    page.goto(f"{url}#/{late}")
    expect(heading(page, late)).to_be_visible()
    page.goto("about:blank")
    page.goto(url)
    expect(heading(page, ids[0])).to_be_visible()
    resume = page.locator("#resume")
    expect(resume).to_be_visible()
    title = webcourse.course_data(large)["pages"][len(ids) - 3]["title"]
    expect(resume.locator(".resume-text")).to_contain_text(title)
    resume.locator("[data-action='resume']").click()
    expect(heading(page, late)).to_be_visible()
    guarded.guard.assert_clean()


def test_progress_in_a_late_module_shows_on_the_first_screen(large: Path, new_page: Callable[..., GuardedPage]) -> None:
    """index.html gives the modules after the first by their number of pages only: a learner who read a
    page of the fifth module sees it on the landing, in the contents and in the course's progress as
    soon as the course opens, not once the rest of the outline has come."""
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    data = webcourse.course_data(large)
    module = data["modules"][4]
    read, then = module["pages"][0], module["pages"][1]
    url = file_url(large / "index.html")
    page.goto(f"{url}#/{read}")
    expect(heading(page, read)).to_be_visible()
    page.locator(".pager-next").click()  # moving on from a lesson counts it read
    expect(heading(page, then)).to_be_visible()
    page.goto("about:blank")
    page.goto(url)
    card = page.locator(f".landing-module[data-module='{module['id']}']")
    expect(card.locator(".landing-module-status")).to_have_text(f"1 of {len(module['pages'])} done")
    expect(card).to_have_class(re.compile(r"\bis-started\b"))
    expect(card.locator(".landing-module-meta")).to_contain_text(f"Pages: {len(module['pages'])}")
    expect(page.locator(".course-progress-text")).to_have_text(f"{round(100 / len(data['pages']))}%")
    toc = page.locator(f"#toc .toc-module[data-module='{module['id']}'] .toc-module-count")
    expect(toc).to_have_text(f"1 of {len(module['pages'])} done")
    # The course waited for the rest of the outline (it names the page to resume at), and offers it.
    title = next(p["title"] for p in data["pages"] if p["id"] == then)
    expect(page.locator("#resume .resume-text")).to_contain_text(title)
    pages = [s for s in recorded_scripts(page) if s.startswith("pages/")]
    assert pages[0] == "pages/outline.js"
    # The other modules' cards are as a new learner's.
    other = page.locator(f".landing-module[data-module='{data['modules'][1]['id']}'] .landing-module-status")
    expect(other).to_have_text("Not started")
    guarded.guard.assert_clean()


def test_a_new_learner_is_shown_the_first_page_before_the_rest_of_the_outline(
        large: Path, new_page: Callable[..., GuardedPage]) -> None:
    """Nothing saved and no address beyond the first module: the course does not wait for
    pages/outline.js, and once it has come, the landing and the progress are as they were."""
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    data = webcourse.course_data(large)
    page.goto(file_url(large / "index.html"))
    expect(heading(page, data["pages"][0]["id"])).to_be_visible()
    before = page.locator(".landing-module-status").all_text_contents()
    assert [s for s in recorded_scripts(page) if s.startswith("pages/")][0] == f"pages/{data['pages'][0]['id']}.js"
    page.wait_for_function("() => !Coursewright.app.course.untitled")
    assert page.evaluate("Coursewright.app.course.pages.length") == len(data["pages"])
    assert page.locator(".landing-module-status").all_text_contents() == before == ["Not started"] * len(data["modules"])
    expect(page.locator(".course-progress-text")).to_have_text("0%")
    guarded.guard.assert_clean()


# pages/outline.js held back: its script element is kept out of the document until releaseOutline().
HOLD_OUTLINE = """(() => {
  const append = Node.prototype.appendChild;
  const held = [];
  Node.prototype.appendChild = function (node) {
    if (node instanceof HTMLScriptElement && /pages\\/outline\\.js$/.test(node.src) && !window.outlineFree) {
      held.push([this, node]);
      return node;
    }
    return append.call(this, node);
  };
  window.releaseOutline = () => {
    window.outlineFree = true;
    held.splice(0).forEach(([parent, node]) => append.call(parent, node));
  };
})();"""


def last_page_of_the_first_module(page: Page, data: dict[str, Any]) -> tuple[str, str]:
    """Go to the first module's last page as the learner does (the contents); its id and the id of
    the second module's first page."""
    last, start = data["modules"][0]["pages"][-1], data["modules"][1]["pages"][0]
    menu = page.locator(".menu-button")
    if menu.is_visible():
        menu.click()
    page.locator(f"#toc a[href='#/{last}']").click()
    expect(heading(page, last)).to_be_focused()
    return last, start


def test_next_leaves_the_first_module_before_the_rest_of_the_outline_has_come(
        large: Path, new_page: Callable[..., GuardedPage]) -> None:
    """index.html names the second module's first page: on the first module's last page, Next is
    there and leads on at once, while pages/outline.js is still on its way; once it has come, Next
    goes on through the second module and the progress counts the same pages."""
    guarded = new_page(viewport={"width": 1280, "height": 800})
    page = guarded.page
    page.add_init_script(HOLD_OUTLINE)
    data = webcourse.course_data(large)
    page.goto(file_url(large / "index.html"))
    last, start = last_page_of_the_first_module(page, data)
    title = next(p["title"] for p in data["pages"] if p["id"] == start)
    assert page.evaluate("() => Coursewright.pages.partial()"), "pages/outline.js came: nothing was held back"
    pager_next = page.locator(".pager-next")
    expect(pager_next).to_be_visible()
    expect(pager_next).to_contain_text(title)
    pager_next.click()
    expect(heading(page, start)).to_be_focused()
    assert page.evaluate("location.hash") == f"#/{start}"
    assert page.evaluate("() => Coursewright.pages.partial()")
    total = f"of {len(data['pages'])}"
    expect(page.locator(".course-progress .bar")).to_have_attribute("aria-valuetext", re.compile(total))
    page.evaluate("() => window.releaseOutline()")
    page.wait_for_function("() => !Coursewright.pages.partial()")
    expect(page.locator(".course-progress .bar")).to_have_attribute("aria-valuetext", re.compile(total))
    pager_next.click()
    expect(heading(page, data["modules"][1]["pages"][1])).to_be_focused()
    page.go_back()
    page.go_back()
    expect(heading(page, last)).to_be_visible()
    guarded.guard.assert_clean()


def test_next_leaves_the_first_module_when_outline_js_cannot_load(
        large: Path, tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    """pages/outline.js missing (a partial upload, a blocked file): Next on the first module's last
    page still leads to the second module's first page, which counts as visited."""
    web = tmp_path / "web"
    shutil.copytree(large, web)
    data = webcourse.course_data(web)
    (web / "pages" / "outline.js").unlink()
    guarded = new_page(viewport={"width": 390, "height": 800})
    page = guarded.page
    page.goto(file_url(web / "index.html"))
    last, start = last_page_of_the_first_module(page, data)
    page.locator(".pager-next").click()
    expect(heading(page, start)).to_be_focused()
    assert page.evaluate("() => Coursewright.app.state.location") == start
    assert page.evaluate("() => Coursewright.pages.partial()")
    problems = guarded.guard.problems()
    assert problems and all("outline.js" in p or "ERR_FILE_NOT_FOUND" in p for p in problems), problems


@pytest.fixture(scope="module")
def two_cards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same 120 lessons in 6 modules, built with index.html holding the landing's first 2 module
    cards (a course of more modules than the first screen shows): the web folder."""
    from builder import landing
    from builder.build import build

    folder = tmp_path_factory.mktemp("two-cards")
    course = synthetic.write_course(folder / "course", 120)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(landing, "FIRST_CARDS", 2)
        return build(course, folder / "dist").web_dir


def test_the_landing_cards_index_html_leaves_out_come_as_the_others(
        large: Path, two_cards: Path, new_page: Callable[..., GuardedPage]) -> None:
    """Once pages/outline.js has come, the landing lists every module exactly as a landing holding
    every card does, and a late module's card leads to its first page."""
    cards = []
    for web in (large, two_cards):
        guarded = new_page()
        page = guarded.page
        page.goto(file_url(web / "index.html"))
        page.wait_for_function("() => !Coursewright.app.course.untitled")
        cards.append(page.locator(".landing-modules > li").evaluate_all("cards => cards.map((c) => c.outerHTML)"))
        guarded.guard.assert_clean()
    assert cards[0] == cards[1] and len(cards[0]) == 6
    data = webcourse.course_data(two_cards)
    module = data["modules"][4]
    page.locator(f".landing-module[data-module='{module['id']}'] a").click()
    expect(heading(page, module["pages"][0])).to_be_focused()
    # index.html holds two cards; without JavaScript, the contents lead to every module.
    html = (two_cards / "index.html").read_text(encoding="utf-8")
    assert html.count('class="landing-module"') == 2
    guarded = new_page(java_script_enabled=False)
    guarded.page.goto(file_url(two_cards / "index.html"))
    expect(guarded.page.locator(".landing-module")).to_have_count(2)
    expect(guarded.page.locator("#toc a.toc-link[href^='module-']")).to_have_count(len(data["modules"]))
    guarded.guard.assert_clean()


def test_without_javascript_each_module_is_a_page_linked_from_the_contents(
        large: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    data = webcourse.course_data(large)
    page.goto(file_url(large / "index.html"))
    links = page.locator("#toc a.toc-link[href^='module-']")
    expect(links).to_have_count(len(data["modules"]))
    links.nth(2).click()
    module = data["modules"][2]
    for page_id in module["pages"]:
        expect(page.locator(f"section.page[data-page='{page_id}'] .page-title")).to_be_visible()
    # A link to a lesson of another module leads to that module's page, at that lesson.
    other = page.locator("section.page a[href^='module-']").first
    href = other.get_attribute("href")
    target = href.split("#/")[1]
    other.click()
    expect(page.locator(f"[id='/{target}']")).to_be_in_viewport()
    assert page.url.endswith(f"/module-{target.split('/')[0]}.html#/{target}")
    # Terms lead to the glossary's own page (index.html leaves it out), at the term.
    page.go_back()
    term = page.locator("section.page a.term-ref").first
    term.click()
    assert "/glossary.html#g-" in page.url
    expect(page.locator(f"[id='{page.url.split('#')[1]}']")).to_be_in_viewport()
    guarded.guard.assert_clean()


def test_a_module_page_opened_with_javascript_goes_to_the_course(large: Path, page: Page, guard: PageGuard) -> None:
    data = webcourse.course_data(large)
    module = data["modules"][3]
    page.goto(f"{file_url(large / ('module-' + module['id'] + '.html'))}#/{module['pages'][2]}")
    expect(heading(page, module["pages"][2])).to_be_visible()
    assert page.url.endswith(f"/index.html#/{module['pages'][2]}")
    guard.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_module_page_passes_axe(built_course: Path, new_page: Callable[..., GuardedPage], scheme: str) -> None:
    """As a browser without JavaScript shows it (the page's own script kept from running), checked by axe."""
    guarded = new_page(color_scheme=scheme)
    page = guarded.page
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    web = built_course / "web"
    module = webcourse.course_data(web)["modules"][1]
    page.goto(file_url(web / f"module-{module['id']}.html"))
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
    assert page.evaluate("document.documentElement.className") == "no-js"
    assert page.locator("section.page").count() == len(module["pages"])
    violations = axe(page)
    assert not violations, format_violations(violations)


def test_the_single_file_edition_loads_no_page(built_course: Path, tmp_path: Path,
                                               new_page: Callable[..., GuardedPage]) -> None:
    from click.testing import CliRunner

    from builder.cli import main

    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(ROOT / "course_src"), "--out", str(out), "--single-file"])
    assert result.exit_code == 0, result.output
    single = next(out.glob("*.html"))
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(file_url(single))
    ids = page_ids(out / "web")
    for page_id in (ids[-1], ids[len(ids) // 2], ids[0]):
        page.evaluate("id => { location.hash = '#/' + id; }", page_id)
        expect(heading(page, page_id)).to_be_visible()
    assert page.locator("section.page[data-page*='/']").count() == len(ids)
    assert recorded_scripts(page) == []  # every script inlined, no page fetched
    guarded.guard.assert_clean()
