"""The first screen of a course opened at a page's address, from file://: the page of the first module
the address names comes with the runtime (index.html's first lines ask for its script, once), and the
landing, which belongs to the first page, never shows before it. Numbers read the same whether the
browser's number formatter wrote them or not. Headless Chromium on a generated course of 40 lessons."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

import webcourse
from browser import GuardedPage, file_url, record_scripts, recorded_scripts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402

# Every frame: was the landing's title on screen?
LANDING_SEEN = """
window.__landingSeen = false;
const look = () => {
  const title = document.querySelector('#course-intro .landing-title');
  const box = title && title.getBoundingClientRect();
  if (box && box.height > 0 && box.bottom > 0) window.__landingSeen = true;
  requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from builder.build import build

    folder = tmp_path_factory.mktemp("first-screen")
    return build(synthetic.write_course(folder / "course", 40), folder / "dist").web_dir


def page_ids(web: Path) -> list[str]:
    return [p["id"] for p in webcourse.course_data(web)["pages"]]


def test_a_page_of_the_first_module_named_by_the_address_comes_first_and_alone(
        course: Path, new_page: Callable[..., GuardedPage]) -> None:
    ids = page_ids(course)
    target = ids[2]
    assert target.split("/")[0] == ids[0].split("/")[0]
    guarded = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = guarded.page
    record_scripts(page, LANDING_SEEN)
    page.goto(f"{file_url(course / 'index.html')}#/{target}")
    expect(page.locator(f"section.page.is-current[data-page='{target}'] .page-title")).to_be_visible()
    scripts = recorded_scripts(page)
    assert scripts[:2] == [f"pages/{target}.js", "assets/course.js"], scripts
    assert scripts.count(f"pages/{target}.js") == 1
    assert page.evaluate("window.__landingSeen") is False
    # The course title in the header still leads to the landing.
    page.locator(".site-title-link").click()
    expect(page.locator("#course-intro .landing-title")).to_be_in_viewport()
    guarded.guard.assert_clean()


def test_a_page_named_that_is_not_in_the_first_module_is_not_asked_for_early(
        course: Path, new_page: Callable[..., GuardedPage]) -> None:
    ids = page_ids(course)
    later = next(i for i in ids if i.split("/")[0] != ids[0].split("/")[0])
    guarded = new_page()
    page = guarded.page
    record_scripts(page, LANDING_SEEN)
    page.goto(f"{file_url(course / 'index.html')}#/{later}")
    expect(page.locator(f"section.page.is-current[data-page='{later}'] .page-title")).to_be_visible()
    assert recorded_scripts(page)[0] == "assets/course.js"
    assert page.evaluate("window.__landingSeen") is False
    # An address of no page: no script asked for early, the course opens on its landing.
    page.goto("about:blank")
    page.goto(f"{file_url(course / 'index.html')}#/{ids[0].split('/')[0]}/no-such-page")
    expect(page.locator("#course-intro .landing-title")).to_be_visible()
    assert not any(s.endswith("/no-such-page.js") for s in recorded_scripts(page))
    guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa"])
def test_numbers_read_as_the_formatter_writes_them(
        course: Path, new_page: Callable[..., GuardedPage], language: str) -> None:
    """Whole numbers below a thousand are written without the browser's formatter (its first use takes a
    tenth of a second on a slow phone): the same text as the formatter's, in the catalogue's digits."""
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(course / "index.html"))
    expect(page.locator("html.is-ready")).to_have_count(1)
    digits = {"fa": "۰۱۲۳۴۵۶۷۸۹"}.get(language, "0123456789")
    mismatched = page.evaluate("""([language, digits]) => {
      const CW = window.Coursewright;
      CW.language = language;
      CW.strings = Object.assign({}, CW.strings, { digits });
      const formatter = new Intl.NumberFormat(language + '-u-nu-latn', { maximumFractionDigits: 2 });
      const wrong = [];
      for (const n of [...Array(1001).keys(), 1234, 12345, 2.5, -3, 0.125]) {
        const expected = formatter.format(n).replace(/[0-9]/g, (d) => digits.charAt(+d));
        if (CW.formatNumber(n) !== expected) wrong.push([n, CW.formatNumber(n), expected]);
      }
      return wrong;
    }""", [language, digits])
    assert mismatched == []
    guarded.guard.assert_clean()
