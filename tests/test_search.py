"""Search: the index the builder writes beside the runtime (every page, the glossary, the frameworks,
in each language), and the search box as learners use it from file://: with the keyboard alone, a
result opening its page at the heading of the section that matched, accents and Arabic short vowels
ignored, and axe-core up to WCAG 2.2 AA with results on show; and the same in the single-file edition,
which carries its index inside."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, file_url, format_violations
from test_accessibility import LANGUAGES, index_of
from test_learner_support import CURRENT, course_data, in_every_page, tab_to

WCAG22 = [*WCAG_TAGS, "wcag22aa"]


def index_entries(built_course: Path, language: str) -> list[list[str]]:
    script = index_of(built_course, language).parent / "assets" / "search-index.js"
    text = script.read_text(encoding="utf-8")
    found = re.fullmatch(r"Coursewright\.searchLoaded\((.*)\);\n", text, re.DOTALL)
    assert found, "the index is not a script handing its data to the runtime"
    return json.loads(found.group(1))["entries"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_covers_every_page_the_glossary_and_the_frameworks(
    built_course: Path, page: Page, language: str
) -> None:
    entries = index_entries(built_course, language)
    page.goto(file_url(index_of(built_course, language)))
    data = course_data(page)
    indexed = {entry[0] for entry in entries}
    assert {p["id"] for p in data["pages"]} <= indexed
    assert {"glossary", "frameworks"} <= indexed
    anchors = in_every_page(page, "(doc) => [...doc.querySelectorAll('[id]')].map(e => e.id)")
    missing = [e for e in entries if e[1] and e[1] not in anchors]
    assert not missing, f"index entries point at anchors the page lacks: {missing[:3]}"


def open_search(page: Page) -> None:
    page.locator(".page-title").first.focus()
    button = page.locator(".search-button")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.get_by_role("searchbox")).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")


def find_and_open(page: Page, phrase: str, page_id: str, anchor: str, heading: str) -> None:
    """Search for a phrase by keyboard, check the results with axe, and open the wanted one at its heading."""
    open_search(page)
    page.keyboard.type(phrase)
    wanted = page.locator(f".search-result[href='#/{page_id}'][data-anchor='{anchor}']")
    expect(wanted).to_have_count(1)
    expect(wanted.locator("xpath=..").locator("mark").first).to_be_visible()
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    tab_to(page, wanted)
    page.keyboard.press("Enter")
    expect(page.locator(f"{CURRENT}[data-page='{page_id}']")).to_be_visible()
    target = page.locator(f"[id='{anchor}']")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text(heading)


def test_search_by_keyboard_opens_the_page_at_the_match(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    entries = index_entries(built_course, "en")
    # a section of a lesson, found by a phrase of its own text
    page_id, anchor, _, heading, text = next(e for e in entries if e[1] and "/" in e[0] and len(e[4].split()) > 12)
    phrase = " ".join(text.split()[4:7])
    guarded = new_page(viewport={"width": 1280, "height": 900})
    page = guarded.page
    page.goto(file_url(index_of(built_course, "en")))
    find_and_open(page, phrase, page_id, anchor, heading)
    expect(page.locator(".search-count")).to_have_text(re.compile(r"^\d+ results?$"))
    expect(page.locator("#search")).to_be_hidden()

    open_search(page)
    expect(page.get_by_role("searchbox")).to_have_value(phrase)
    page.keyboard.press("Escape")
    expect(page.locator("#search")).to_be_hidden()
    expect(page.locator(".search-button")).to_be_focused()
    guarded.guard.assert_clean()


def test_accents_and_short_vowels_are_ignored(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(index_of(built_course, "ar")))
    open_search(page)
    page.keyboard.type("باليرمو")
    expect(page.locator(".search-results li").first).to_be_visible()
    plain = page.locator(".search-count").inner_text()
    page.get_by_role("searchbox").fill("بَالِيرْمُو")  # the same word with its short vowels written
    expect(page.locator(".search-count")).to_have_text(plain)
    page.get_by_role("searchbox").fill("zzzzqqq")
    expect(page.locator(".search-count")).to_have_text("لا توجد نتائج")
    guarded.guard.assert_clean()


def test_results_read_in_forced_colours(built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(forced_colors="active")
    page = guarded.page
    page.goto(file_url(index_of(built_course, "en")))
    open_search(page)
    page.keyboard.type("consent")
    expect(page.locator(".search-results mark").first).to_be_visible()
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_single_file_searches_its_own_index(
    single_files: dict[str, Path], built_course: Path, new_page: Callable[..., GuardedPage], language: str
) -> None:
    """The single file has no files beside it: the index is inside, and a result opens its page at the match."""
    entries = index_entries(built_course, language)
    page_id, anchor, _, heading, text = next(e for e in entries if e[1] and "/" in e[0] and len(e[4].split()) > 12)
    phrase = " ".join(text.split()[4:7])
    guarded = new_page(viewport={"width": 1280, "height": 900})
    page = guarded.page
    page.goto(file_url(single_files[language]))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    find_and_open(page, phrase, page_id, anchor, heading)
    assert [url for url in requested if not url.startswith("data:")] == [], "the single file loaded a file"
    guarded.guard.assert_clean()
