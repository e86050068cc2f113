"""Addresses of headings in pages loaded on demand, from file://: `index.html#<heading id>` opens the page
that holds the heading, even one of a module whose pages are not listed yet, and a heading whose words
begin like a glossary entry ("G-7 countries") or an article ("fw-…") opens its lesson, not the glossary
or the frameworks. Headless Chromium on a generated course of 40 lessons in two modules."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import GuardedPage, file_url, record_scripts
from test_first_screen import LANDING_SEEN
from builder.views import page_anchor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import runtime  # noqa: E402
import synthetic  # noqa: E402

CURRENT = "section.page.is-current"
HEADINGS = """

## G-7 countries

The group's members share passport data under agreements each of them signed on its own.

## Rules of the frameworks {#fw-rules}

Each instrument names the authority that receives a referral.
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built web folder; the third lesson of the second module and the second lesson of the first
    end with the headings above."""
    from builder.build import build

    folder = tmp_path_factory.mktemp("headings")
    source = synthetic.write_course(folder / "course", 40)
    modules = sorted(p for p in (source / "modules").iterdir() if p.is_dir())
    for lesson in (sorted(modules[1].glob("*.md"))[2], sorted(modules[0].glob("*.md"))[1]):
        lesson.write_text(lesson.read_text(encoding="utf-8") + HEADINGS, encoding="utf-8")
    return build(source, folder / "dist").web_dir


def holder(web: Path, words: str) -> tuple[list[str], list[str]]:
    """The page ids whose scripts hold a heading id ending in `--<words>`, the first module's first, and
    those ids."""
    pages, ids = [], []
    for script in sorted((web / "pages").glob("*/*.js")):
        found = re.findall(r'id=\\"([^"\\]+--' + re.escape(words) + r')\\"', script.read_text(encoding="utf-8"))
        if found:
            pages.append(f"{script.parent.name}/{script.stem}")
            ids += found
    first = runtime.course_modules(web)[0][0]
    return sorted(pages, key=lambda p: p.split("/")[0] != first), ids


def opened_at(page: Page, web: Path, anchor: str) -> None:
    """The course opened anew at `anchor` (a new document, not a move within the course)."""
    page.goto("about:blank")
    page.goto(f"{file_url(web / 'index.html')}#{anchor}")


@pytest.mark.parametrize("words", ["g-7-countries", "fw-rules"])
def test_a_heading_of_a_later_module_opens_its_lesson_not_a_reference_page(
        course: Path, new_page: Callable[..., GuardedPage], words: str) -> None:
    pages, ids = holder(course, words)
    page_id = pages[1]  # in the second module: index.html does not list its pages
    anchor = f"{page_anchor(page_id)}--{words}"
    # The builder begins every heading id with its page's anchor ("p-<module>--<page>--"), whatever its words.
    assert anchor in ids and all(i.startswith("p-") for i in ids)
    guarded = new_page()
    page = guarded.page
    record_scripts(page, LANDING_SEEN)
    opened_at(page, course, anchor)
    heading = page.locator(f"[id='{anchor}']")
    expect(heading).to_be_in_viewport()
    expect(heading).to_have_text(re.compile("G-7 countries|Rules of the frameworks"))
    expect(page.locator(CURRENT)).to_have_attribute("data-page", page_id)
    expect(page.locator("section.page[data-page='glossary'].is-current, section.page[data-page='frameworks'].is-current")
           ).to_have_count(0)
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert page.evaluate("window.__landingSeen") is False  # the landing belongs to the first page
    guarded.guard.assert_clean()


def test_a_heading_of_a_page_of_the_first_module_not_yet_loaded(course: Path, new_page: Callable[..., GuardedPage]) -> None:
    page_id = holder(course, "g-7-countries")[0][0]
    anchor = f"{page_anchor(page_id)}--g-7-countries"
    guarded = new_page()
    page = guarded.page
    opened_at(page, course, anchor)
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
    expect(page.locator(CURRENT)).to_have_attribute("data-page", page_id)
    guarded.guard.assert_clean()


def test_a_glossary_entry_and_an_unknown_heading_still_go_where_they_did(
        course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    term = re.search(r'id=\\"(g-[\w-]+)\\"', (course / "pages" / "glossary.js").read_text(encoding="utf-8"))[1]
    opened_at(page, course, term)
    expect(page.locator(f"[id='{term}']")).to_be_in_viewport()
    expect(page.locator(CURRENT)).to_have_attribute("data-page", "glossary")
    # A heading of no page of the course: the course opens on its first page, as for any unknown address.
    opened_at(page, course, "p-no-such-module--no-such-page--g-7-countries")
    expect(page.locator(CURRENT)).to_have_attribute("data-page", re.compile("/"))
    expect(page.locator("#course-intro")).to_be_visible()
    guarded.guard.assert_clean()
