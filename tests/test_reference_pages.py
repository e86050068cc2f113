"""The glossary and the frameworks of the paged course load on demand: index.html leaves their
sections out, `pages/glossary.js` and `pages/frameworks.js` bring them when the learner opens them,
an entry of theirs or a reference card; without JavaScript, `glossary.html` and `frameworks.html`
hold them. Headless Chromium opens the built sample course from file://."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import webcourse
from browser import GuardedPage, PageGuard, axe, file_url, format_violations, record_scripts, recorded_scripts
from test_learner_support import CURRENT, course_url, in_every_page  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def web(built_course: Path) -> Path:
    return built_course / "web"


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def test_index_html_leaves_the_glossary_and_frameworks_to_their_scripts(web: Path) -> None:
    html = (web / "index.html").read_text(encoding="utf-8")
    glossary = webcourse.page_script(web / "pages" / "glossary.js")
    frameworks = webcourse.page_script(web / "pages" / "frameworks.js")
    assert 'class="glossary-entry"' in glossary["html"] and 'class="fw-article-summary' in frameworks["html"]
    for absent in ('class="glossary-entry"', 'class="glossary-definition"', 'class="fw-article-summary',
                   'class="fw-summary', 'id="glossary"', 'id="frameworks"'):
        assert absent not in html, absent
    data = json.loads(re.search(r'<script type="application/json" id="course-data">(.*?)</script>', html, re.S)[1])
    assert data["apart"] == ["glossary", "frameworks"]
    # Each language has its own, in its own words.
    spanish = webcourse.page_script(web / "es" / "pages" / "glossary.js")
    assert spanish["html"] != glossary["html"] and 'lang' not in spanish["id"]
    assert spanish["title"] != glossary["title"]
    assert 'class="glossary-entry"' not in (web / "es" / "index.html").read_text(encoding="utf-8")


def test_a_term_card_loads_the_glossary_and_opens_with_its_definition(
        course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(course_url)
    source = in_every_page(page, "(doc) => { const ref = doc.querySelector('section.page[data-kind=lesson] a.term-ref');"
                                 " return [ref.closest('section.page').dataset.page, ref.dataset.term]; }")
    page.goto(f"{course_url}#/{source[0]}")
    assert "pages/glossary.js" not in recorded_scripts(page)
    term = page.locator(f"{CURRENT} a.term-ref[data-term='{source[1]}']").first
    term.click()
    card = page.locator(".ref-card")
    expect(card).to_be_focused()
    assert "pages/glossary.js" in recorded_scripts(page)
    entry = webcourse.reference_html(page_folder(page), "glossary")
    definition = in_every_page(page, f"(doc) => doc.querySelector('#g-{source[1]} .glossary-definition').textContent")
    assert words(card.locator(".ref-card-body").text_content()) == words(definition)
    assert f'id="g-{source[1]}"' in entry
    expect(term).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(term).to_be_focused()
    # The glossary's section is there now, not shown: the lesson stays on show.
    expect(page.locator(f"{CURRENT}[data-page='{source[0]}']")).to_be_visible()
    expect(page.locator("section.page[data-page='glossary']")).to_be_hidden()
    guarded.guard.assert_clean()


def page_folder(page: Page) -> Path:
    from test_learner_support import course_folder

    return course_folder(page)


def test_an_article_card_loads_the_frameworks(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(course_url)
    source = in_every_page(page, "(doc) => { const ref = doc.querySelector("
                                 "'section.page[data-kind=lesson] a.legal-ref[data-article]');"
                                 " return [ref.closest('section.page').dataset.page, ref.dataset.instrument, ref.dataset.article]; }")
    page_id, instrument, article = source
    summary = in_every_page(page, f"(doc) => doc.getElementById('fw-{instrument}--art-{article}')"
                                  ".querySelector('.fw-article-summary').textContent")
    page.goto(f"{course_url}#/{page_id}")
    ref = page.locator(f"{CURRENT} a.legal-ref[data-instrument='{instrument}'][data-article='{article}']").first
    ref.click()
    card = page.locator(".ref-card")
    expect(card).to_be_focused()
    assert words(card.locator(".ref-card-body").text_content()) == words(summary)
    assert "pages/frameworks.js" in recorded_scripts(page)
    # The card's link leads to the article, on the frameworks page.
    card.locator(".ref-card-link").click()
    expect(page.locator(f"{CURRENT}[data-page='frameworks']")).to_be_visible()
    expect(page.locator(f"[id='fw-{instrument}--art-{article}']")).to_be_focused()
    guarded.guard.assert_clean()


def test_the_glossary_page_opens_with_its_entries_and_filters(course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 1280, "height": 800})
    page = guarded.page
    page.goto(course_url)
    total = in_every_page(page, "(doc) => doc.querySelectorAll('#glossary .glossary-entry').length")
    page.locator("#toc a.toc-link[href='#/glossary']").click()
    expect(page.locator(f"{CURRENT}[data-page='glossary'] .page-title")).to_be_focused()
    entries = page.locator("#glossary .glossary-entry")
    expect(entries).to_have_count(total)
    expect(page.locator("#toc a.toc-link[href='#/glossary']")).to_have_attribute("aria-current", "page")
    first = entries.first.locator(".glossary-term").inner_text()
    page.locator("#glossary-filter").fill(first)
    expect(page.locator("#glossary .glossary-entry:visible").first.locator(".glossary-term")).to_have_text(first)
    assert page.locator("#glossary .glossary-entry:visible").count() < total
    expect(page.locator("#glossary-count")).to_contain_text(f"of {total}")
    guarded.guard.assert_clean()


@pytest.mark.parametrize("address", ["term", "article", "page"])
def test_an_address_into_the_glossary_or_frameworks_opened_directly(
        course_url: str, new_page: Callable[..., GuardedPage], address: str) -> None:
    """As from a bookmark or a link elsewhere: the reference page loads, then the entry is shown."""
    guarded = new_page()
    page = guarded.page
    page.goto(course_url)
    term = in_every_page(page, "(doc) => [...doc.querySelectorAll('#glossary .glossary-entry')].at(-1).id")
    article = in_every_page(page, "(doc) => [...doc.querySelectorAll('#frameworks .fw-article')].at(-1).id")
    page.goto("about:blank")
    if address == "page":
        page.goto(f"{course_url}#/frameworks")
        expect(page.locator(f"{CURRENT}[data-page='frameworks'] .page-title")).to_be_visible()
    else:
        anchor = term if address == "term" else article
        page.goto(f"{course_url}#{anchor}")
        expect(page.locator(f"{CURRENT}[data-page='{'glossary' if address == 'term' else 'frameworks'}']")).to_be_visible()
        expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
    guarded.guard.assert_clean()


def test_the_reference_pages_keep_their_place_whatever_order_they_load_in(course_url: str, page: Page,
                                                                          guard: PageGuard) -> None:
    """After the course's pages, the glossary, the frameworks, then the end screen (printing and the
    reading order follow the document)."""
    page.goto(f"{course_url}#/frameworks")
    expect(page.locator(f"{CURRENT}[data-page='frameworks']")).to_be_visible()
    page.evaluate("() => { location.hash = '#/glossary'; }")
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    order = page.locator("#main > section.page").evaluate_all("sections => sections.map((s) => s.dataset.page)")
    assert order[-3:] == ["glossary", "frameworks", "end"] and all("/" in p for p in order[:-3]), order
    guard.assert_clean()


def test_a_search_result_in_the_glossary_shows_its_entry(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    term = in_every_page(page, "(doc) => [...doc.querySelectorAll('#glossary .glossary-entry')].at(-1)"
                               ".querySelector('.glossary-term').textContent")
    page.locator(".search-button").click()
    page.locator("#search-input").fill(term)
    result = page.locator(".search-result[href='#/glossary']").first
    expect(result).to_be_visible()
    anchor = result.get_attribute("data-anchor")
    result.click()
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
    guard.assert_clean()


def test_the_prefetch_brings_the_glossary_and_frameworks_while_the_learner_reads(
        course_url: str, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(course_url)
    page.wait_for_function("() => window.__scripts.includes('pages/frameworks.js')", timeout=60_000)
    assert "pages/glossary.js" in recorded_scripts(page)
    expect(page.locator(f"{CURRENT}[data-page*='/']")).to_be_visible()  # still on the first page
    guarded.guard.assert_clean()


def test_without_javascript_the_glossary_and_frameworks_are_pages_of_their_own(
        web: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(file_url(web / "index.html"))
    page.locator("#toc a.toc-link[href='glossary.html']").click()
    entries = page.locator("#glossary .glossary-entry")
    expect(entries.first).to_be_visible()
    assert entries.count() == webcourse.reference_html(web, "glossary").count('class="glossary-entry"')
    # A reference to an article in a definition leads to the frameworks' page, at the article.
    legal = page.locator("#glossary a.legal-ref[href^='frameworks.html#fw-']").first
    target = legal.get_attribute("href").split("#")[1]
    legal.click()
    assert page.url.endswith(f"/frameworks.html#{target}")
    expect(page.locator(f"[id='{target}']")).to_be_in_viewport()
    page.locator("#toc a.toc-link[href='index.html']").click()
    expect(page.locator("#toc a.toc-link[href='frameworks.html']")).to_be_visible()
    # A module's page leads to the glossary's, at the term.
    data = webcourse.course_data(web)
    html = "".join((web / f"module-{m['id']}.html").read_text(encoding="utf-8") for m in data["modules"])
    assert "index.html#g-" not in html and "index.html#fw-" not in html
    assert re.search(r'href="glossary\.html#g-', html) and re.search(r'href="frameworks\.html#fw-', html)
    guarded.guard.assert_clean()


def test_a_reference_page_opened_with_javascript_goes_to_the_course(
        web: Path, course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    term = in_every_page(page, "(doc) => doc.querySelector('#glossary .glossary-entry').id")
    page.goto(f"{file_url(web / 'glossary.html')}#{term}")
    expect(page.locator(f"{CURRENT}[data-page='glossary']")).to_be_visible()
    assert page.url.endswith(f"/index.html#{term}")
    page.goto(file_url(web / "frameworks.html"))
    expect(page.locator(f"{CURRENT}[data-page='frameworks']")).to_be_visible()
    assert page.url.endswith("/index.html#/frameworks")
    guard.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["glossary", "frameworks"])
def test_a_reference_page_without_javascript_passes_axe(
        web: Path, new_page: Callable[..., GuardedPage], scheme: str, name: str) -> None:
    """As a browser without JavaScript shows it (the page's own script kept from running), checked by axe."""
    guarded = new_page(color_scheme=scheme)
    page = guarded.page
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(file_url(web / f"{name}.html"))
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
    assert page.evaluate("document.documentElement.className") == "no-js"
    expect(page.locator("h1.page-title")).to_have_count(1)
    expect(page.locator("main#main")).to_have_count(1)
    violations = axe(page)
    assert not violations, format_violations(violations)


def test_the_single_file_holds_the_glossary_and_frameworks(tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    from click.testing import CliRunner

    from builder.cli import main

    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(ROOT / "course_src"), "--out", str(out), "--single-file"])
    assert result.exit_code == 0, result.output
    single = next(out.glob("*.html"))
    html = single.read_text(encoding="utf-8")
    assert 'class="glossary-entry"' in html and 'class="fw-article-summary' in html
    assert '"apart"' not in html
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(file_url(single) + "#/glossary")
    expect(page.locator(f"{CURRENT}[data-page='glossary'] .glossary-entry").first).to_be_visible()
    page.goto(file_url(single) + "#/frameworks")
    expect(page.locator(f"{CURRENT}[data-page='frameworks'] .fw-article").first).to_be_visible()
    assert recorded_scripts(page) == []
    guarded.guard.assert_clean()


def test_a_theme_without_pages_on_demand_keeps_them_in_index_html(tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    """A course.html that never names `paged` (here the default's, with the word taken out) lays out
    every page in index.html, the glossary and the frameworks with them, and no script for them."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    from builder.build import build

    course = synthetic.write_course(tmp_path / "course", 6)
    template = (ROOT / "themes" / "default" / "templates" / "course.html").read_text(encoding="utf-8")
    (course / "theme" / "templates").mkdir(parents=True)
    (course / "theme" / "templates" / "course.html").write_text(template.replace("paged", "false"), encoding="utf-8")
    web = build(course, tmp_path / "dist").web_dir
    html = (web / "index.html").read_text(encoding="utf-8")
    assert 'class="glossary-entry"' in html and 'class="fw-article' in html
    assert not (web / "pages" / "glossary.js").exists() and not (web / "glossary.html").exists()
    guarded = new_page()
    page = guarded.page
    record_scripts(page)
    page.goto(file_url(web / "index.html") + "#/glossary")
    expect(page.locator(f"{CURRENT}[data-page='glossary'] .glossary-entry").first).to_be_visible()
    page.locator("#toc a.toc-link[href='#/frameworks']").click()
    expect(page.locator(f"{CURRENT}[data-page='frameworks'] .fw-instrument").first).to_be_visible()
    assert not [s for s in recorded_scripts(page) if s.startswith("pages/")]
    guarded.guard.assert_clean()
