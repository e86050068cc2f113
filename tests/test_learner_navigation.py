"""Moving through the course: deep links, back and forward, focus on each new page, the contents'
marks and progress bars, the resume offer, reset, the narrow-screen menu, references in place,
the glossary filter, reading with JavaScript off, printing, and right-to-left mirroring."""
from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from browser import GuardedPage, PageGuard
from test_learner_support import (
    CURRENT,
    course_data,
    course_url,  # noqa: F401  (fixture)
    current_page,
    in_every_page,
    local_tracker,
    open_module,
)


def heading(page: Page, page_id: str):
    return page.locator(f"{CURRENT}[data-page='{page_id}'] .page-title")


def test_deep_links_back_and_forward(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ids = [p["id"] for p in course_data(page)["pages"]]
    page.goto(f"{course_url}#/{ids[2]}")
    expect(heading(page, ids[2])).to_be_visible()
    assert page.locator("section.page.is-current").count() == 1
    expect(page.locator("section.page:visible")).to_have_count(1)

    page.locator(".pager-next").click()
    expect(heading(page, ids[3])).to_be_focused()
    assert page.evaluate("location.hash") == f"#/{ids[3]}"
    page.locator(".pager-prev").click()
    expect(heading(page, ids[2])).to_be_focused()
    open_module(page, ids[5].split("/")[0])  # another module, closed: its title's button opens it
    page.locator(f"#toc a[href='#/{ids[5]}']").click()
    expect(heading(page, ids[5])).to_be_focused()

    page.go_back()
    expect(heading(page, ids[2])).to_be_visible()
    page.go_back()
    expect(heading(page, ids[3])).to_be_visible()
    page.go_forward()
    expect(heading(page, ids[2])).to_be_focused()
    assert page.title().startswith(page.locator(f"{CURRENT} .page-title").inner_text())
    guard.assert_clean()


def test_anchors_inside_pages_show_their_page(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    # The glossary and the frameworks load when an entry is opened (pages/glossary.js): their anchors
    # come from the built files.
    term_id = in_every_page(page, "(doc) => doc.querySelector('#glossary .glossary-entry').id")
    article_id = in_every_page(page, "(doc) => doc.querySelector('#frameworks .fw-article').id")
    page.goto(f"{course_url}#{term_id}")
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    term = page.locator(f"[id='{term_id}']")
    expect(term).to_be_in_viewport()
    article = page.locator(f"[id='{article_id}']")
    page.evaluate("id => { location.hash = id; }", article_id)
    expect(page.locator(f"{CURRENT}[data-page='frameworks']")).to_be_visible()
    expect(article).to_be_focused()
    # The pager leads back to the course from a reference page.
    expect(page.locator(".pager-prev .pager-dir")).to_have_text("Back to")
    guard.assert_clean()


def half_up(value: float) -> int:
    """Rounded as the runtime rounds (Math.round), not to even."""
    return int(value + 0.5)


def test_contents_marks_and_progress(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    data = course_data(page)
    lessons = [p for p in data["pages"] if p["kind"] == "lesson"]
    first_module = data["modules"][0]
    bar = page.locator(".course-progress .bar")
    first = page.locator(f"#toc a[href='#/{lessons[0]['id']}']")
    expect(first).to_have_attribute("aria-current", "page")
    # Opening the course is not reading its first page: nothing is done at launch.
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator(".course-progress-text")).to_have_text("0%")
    expect(first).not_to_have_class(re.compile(r"\bis-done\b"))
    expect(first.locator(".toc-status")).to_have_count(0)
    # Moving on from a lesson is having read it.
    page.get_by_role("link", name="Start the course").click()  # the landing sits on top of the first page
    page.locator(".pager-next").click()
    expect(first).not_to_have_attribute("aria-current", "page")
    expect(first).to_have_class("toc-link is-done")
    expect(first.locator(".toc-status")).to_have_text(" (done)")
    expect(bar).to_have_attribute("aria-valuenow", str(half_up(100 / len(data["pages"]))))
    count = page.locator(f".toc-module[data-module='{first_module['id']}'] .toc-module-count")
    expect(count).to_have_text(f"1 of {len(first_module['pages'])} done")
    # So is scrolling to its end.
    second = lessons[1]["id"]
    expect(page.locator(f"#toc a[href='#/{second}']")).to_have_attribute("aria-current", "page")
    page.mouse.wheel(0, 20000)
    expect(page.locator(f"#toc a[href='#/{second}']")).to_have_class("toc-link is-done")
    expect(bar).to_have_attribute("aria-valuenow", str(half_up(200 / len(data["pages"]))))
    # Opening a quiz does not finish it.
    quiz = next(p for p in data["pages"] if p["kind"] == "quiz")
    page.goto(f"{course_url}#/{quiz['id']}")
    expect(heading(page, quiz["id"])).to_be_visible()
    expect(page.locator(f"#toc a[href='#/{quiz['id']}']")).not_to_have_class("toc-link is-done")
    assert local_tracker(page)["location"] == quiz["id"]
    guard.assert_clean()


def test_resume_offer_and_reset(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(course_url)
    pages = course_data(page)["pages"]
    ids = [p["id"] for p in pages]
    page.goto(f"{course_url}#/{ids[4]}")
    expect(heading(page, ids[4])).to_be_visible()

    # The learner comes back later: a new tab of the same browser, without an address.
    again = guarded.context.new_page()
    again.goto(course_url)
    expect(heading(again, ids[0])).to_be_visible()
    offer = again.locator("#resume")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(pages[4]["title"])
    offer.get_by_role("button", name="Resume where I stopped").click()
    expect(heading(again, ids[4])).to_be_focused()
    expect(offer).to_be_hidden()

    again.locator(".end-actions [data-action='reset'], #toc [data-action='reset']").first.click()
    dialog = again.locator("#reset-dialog")
    expect(dialog).to_be_visible()
    again.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(again.locator("#toc [data-action='reset']")).to_be_focused()
    again.locator("#toc [data-action='reset']").click()
    dialog.get_by_role("button", name="Reset").click()
    expect(heading(again, ids[0])).to_be_focused()
    expect(again.locator("#announcer")).to_have_text("Your progress has been reset.")
    state = again.evaluate("Coursewright.app.state")
    assert state["visited"] == [], "a reset leaves nothing done, the page on show included"
    expect(again.locator(".course-progress .bar")).to_have_attribute("aria-valuenow", "0")
    assert all(not q["results"] and not q["answers"] for q in state["quizzes"].values())
    assert all(not s["runs"] and not s["path"] for s in state["scenarios"].values())
    again.reload()
    expect(again.locator("#resume")).to_be_hidden()

    # A reset on the first page itself: the page on show is bookmarked, not read.
    again.locator("#toc [data-action='reset']").click()
    dialog.get_by_role("button", name="Reset").click()
    expect(heading(again, ids[0])).to_be_focused()
    assert again.evaluate("Coursewright.app.state.visited") == []
    assert again.evaluate("Coursewright.app.state.location") == ids[0]
    guarded.guard.assert_clean()


def test_narrow_screen_menu_and_reflow(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 320, "height": 640})
    page = guarded.page
    page.goto(course_url)
    data = course_data(page)
    toc = page.locator("#toc")
    button = page.locator(".menu-button")
    expect(toc).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(toc).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(toc).to_be_hidden()
    expect(button).to_be_focused()
    button.click()
    target = data["pages"][3]["id"]
    toc.locator(f"a[href='#/{target}']").click()
    expect(toc).to_be_hidden()
    expect(heading(page, target)).to_be_focused()
    # Every page reflows at 320 px: nothing wider than the screen.
    for info in [*data["pages"], {"id": "glossary"}, {"id": "frameworks"}, {"id": "end"}]:
        page.evaluate("id => { location.hash = '#/' + id; }", info["id"])
        expect(page.locator(f"{CURRENT}[data-page='{info['id']}']")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{info['id']} is {width} px wide at 320 px"
    guarded.guard.assert_clean()


def test_wide_screen_shows_contents_beside_the_page(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 1280, "height": 800})
    page = guarded.page
    page.goto(course_url)
    expect(page.locator(".menu-button")).to_be_hidden()
    toc = page.locator("#toc").bounding_box()
    main = page.locator("#main").bounding_box()
    assert toc and main and toc["x"] + toc["width"] <= main["x"] + 1

    # dir="rtl" mirrors the layout: contents on the right, "next" on the left.
    page.evaluate("document.documentElement.dir = 'rtl'")
    toc = page.locator("#toc").bounding_box()
    main = page.locator("#main").bounding_box()
    assert toc and main and main["x"] + main["width"] <= toc["x"] + 1, "the contents did not move to the right"
    prev_box = page.locator(".pager-next").bounding_box()
    assert prev_box and prev_box["x"] < 640, "the next link did not move to the left"
    guarded.guard.assert_clean()


def test_term_and_legal_references_open_in_place(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ref = page.locator(f"{CURRENT} a.legal-ref[data-article]").first
    if ref.count() == 0:
        page_id = in_every_page(page, "(doc) => doc.querySelector('section.page[data-kind=lesson] a.legal-ref[data-article]')"
                                      ".closest('section.page').dataset.page")
        page.goto(f"{course_url}#/{page_id}")
        ref = page.locator(f"{CURRENT} a.legal-ref[data-article]").first
    ref.click()
    card = page.locator(".ref-card")
    expect(card).to_be_visible()
    article = page.locator(f"#fw-{ref.get_attribute('data-instrument')}--art-{ref.get_attribute('data-article')}")
    expect(card.locator(".ref-card-title")).to_contain_text(ref.inner_text())
    expect(card.locator(".ref-card-subtitle")).to_have_text(article.locator(".fw-article-title").text_content().strip())
    summary = " ".join(article.locator(".fw-article-summary").text_content().split())
    assert " ".join(card.locator(".ref-card-body").text_content().split()) == summary
    card.get_by_role("button", name="Close").click()
    expect(card).to_have_count(0)
    expect(ref).to_be_focused()

    term = page.locator(f"{CURRENT} a.term-ref").first
    entry = page.locator(f"#g-{term.get_attribute('data-term')}")
    term.click()
    expect(card).to_be_focused()
    card.locator(".ref-card-link").click()
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    expect(entry).to_be_focused()
    guard.assert_clean()


def test_glossary_filter(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(f"{course_url}#/glossary")
    entries = page.locator("#glossary .glossary-entry")
    total = entries.count()
    field = page.get_by_label("Find a term")
    first_term = entries.first.locator(".glossary-term").inner_text()
    field.fill(first_term.upper())
    expect(entries.first).to_be_visible()
    assert page.locator("#glossary .glossary-entry:visible").count() < total
    expect(page.locator("#glossary-count")).to_contain_text(f"of {total}")
    field.fill("zzzzzz")
    expect(page.locator("#glossary .glossary-entry:visible")).to_have_count(0)
    expect(page.locator("#glossary .filter-empty")).to_be_visible()
    field.fill("")
    expect(page.locator("#glossary .glossary-entry:visible")).to_have_count(total)
    guard.assert_clean()


def test_quizzes_and_scenarios_read_without_javascript(
    course_url: str, new_page: Callable[..., GuardedPage]
) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(course_url)
    modules = page.eval_on_selector_all("#toc a.toc-link[href^='module-']", "links => links.map(a => a.href)")
    assert modules, "without JavaScript the contents lead to no module's page"
    for module in modules:  # the first module's page with a quiz and a scenario
        page.goto(module)
        if page.locator("section.page[data-kind='quiz']").count() and page.locator(
                "section.page[data-kind='scenario']").count():
            break
    quizzes = page.locator("section.page[data-kind='quiz']")
    assert quizzes.count() > 0
    expect(quizzes.first.locator(".question").first).to_be_visible()
    expect(quizzes.first.locator(".question-prompt").first).to_be_visible()
    text = " ".join(quizzes.all_inner_texts())
    for revealed in ("Correct answer", "Not quite", "Explanation"):
        assert revealed not in text, f"'{revealed}' shows without JavaScript"
    expect(page.locator(".mark, .question-feedback:visible, .option-feedback")).to_have_count(0)
    nodes = page.locator("section.page[data-kind='scenario']").first.locator(".scenario-node")
    assert nodes.count() > 1
    link = nodes.first.locator("a.scenario-choice").first
    target = link.get_attribute("href")
    assert page.locator(target).count() == 1, f"{target} leads nowhere"
    # The module page's #/<page-id> links work without JavaScript too.
    second = page.locator("#toc a.toc-link").nth(1)
    second.click()
    assert page.evaluate("location.hash") == second.get_attribute("href")
    expect(page.locator(f"[id='{second.get_attribute('href')[1:]}']")).to_be_in_viewport()
    guarded.guard.assert_clean()


def test_print_is_a_handout(course_url: str, page: Page, guard: PageGuard) -> None:
    """Pages load on demand: printing shows the page on show, whole, without navigation or answers."""
    page.goto(course_url)
    data = course_data(page)
    scenario_id = next(p["id"] for p in data["pages"] if p["kind"] == "scenario")
    page.goto(f"{course_url}#/{scenario_id}")
    expect(page.locator(f"{CURRENT}[data-page='{scenario_id}']")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(f"section.page[data-page='{scenario_id}']")).to_be_visible()
    expect(page.locator("section.page:visible")).to_have_count(1)
    expect(page.locator("#toc")).to_be_hidden()
    expect(page.locator(".pager")).to_be_hidden()
    scenario = page.locator("section.page[data-kind='scenario']").first
    assert scenario.locator(".scenario-node:visible").count() == scenario.locator(".scenario-node").count()
    expect(page.locator(".question-feedback:visible")).to_have_count(0)
    assert current_page(page) == scenario_id
    guard.assert_clean()


def test_links_to_a_heading_of_another_page(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    source = in_every_page(page, "(doc) => doc.querySelector('a[href^=\"#/\"][data-anchor]').closest('section.page').dataset.page")
    page.goto(f"{course_url}#/{source}")
    link = page.locator(f"{CURRENT} a[href^='#/'][data-anchor]").first
    target_page = link.get_attribute("href")[2:]
    anchor = link.get_attribute("data-anchor")
    link.click()
    expect(page.locator(f"{CURRENT}[data-page='{target_page}']")).to_be_visible()
    target = page.locator(f"[id='{anchor}']")
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    page.go_back()
    expect(page.locator(f"{CURRENT}[data-page='{source}']")).to_be_visible()
    guard.assert_clean()


def test_a_term_inside_a_definition_opens_in_the_same_place(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    source = in_every_page(page,
        "(doc) => { const inner = [...doc.querySelectorAll('#glossary .glossary-definition a.term-ref')];"
        " const ids = new Set(inner.map(a => a.closest('.glossary-entry').dataset.term));"
        " const ref = [...doc.querySelectorAll('section.page[data-kind=lesson] a.term-ref')]"
        "   .find(a => ids.has(a.dataset.term)); return [ref.closest('section.page').dataset.page, ref.dataset.term]; }")
    page.goto(f"{course_url}#/{source[0]}")
    outer = page.locator(f"{CURRENT} a.term-ref[data-term='{source[1]}']").first
    outer.click()
    card = page.locator(".ref-card")
    inner = card.locator("a.term-ref").first
    inner_term = inner.get_attribute("data-term")
    inner.click()
    expect(card).to_have_count(1)
    expect(card).to_be_focused()
    expect(card.locator(".ref-card-link")).to_have_attribute("href", f"#g-{inner_term}")
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(outer).to_be_focused()
    guard.assert_clean()


def test_print_this_page_or_this_module_leaves_the_other_pages_out(course_url: str, page: Page, guard: PageGuard) -> None:
    """The browser's print dialog cannot open headless: window.print is replaced by a no-op, and what
    it would print is the page as laid out for print."""
    page.goto(course_url)
    data = course_data(page)
    module = data["pages"][1]["module"]
    own = [p["id"] for p in data["pages"] if p.get("module") == module]
    assert len(own) > 1, "the test needs a module of several pages"
    page.goto(f"{course_url}#/{own[1]}")
    expect(heading(page, own[1])).to_be_visible()
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
    section = page.locator(f"section.page[data-page='{own[1]}']")
    printed = page.locator("section.page:visible")
    section.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(printed).to_have_count(1)
    expect(printed).to_have_attribute("data-page", own[1])
    expect(page.locator("button[data-print]:visible")).to_have_count(0)

    page.emulate_media(media="screen")
    section.get_by_role("button", name="Print this module").click()
    page.emulate_media(media="print")
    expect(printed).to_have_count(len(own))
    assert printed.evaluate_all("els => els.map(e => e.dataset.page)") == own

    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    # The browser's own print command: the page on show, as the course's pages load on demand.
    expect(printed).to_have_count(1)
    expect(printed).to_have_attribute("data-page", own[1])
    guard.assert_clean()
