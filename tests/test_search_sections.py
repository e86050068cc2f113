"""The search index's quick reading of a page's HTML must find exactly what HTMLParser finds, and leave
to HTMLParser whatever it cannot read the same way."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from builder.build import check
from builder.search_index import _Sections, _split_sections, entries_json, search_script

ROOT = Path(__file__).resolve().parents[1]


def parsed(html: str) -> list[list[str]]:
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return parser.sections


PIECES = st.sampled_from([
    "<h2>", "<h2 id=\"a\">", "<H3 ID='b&amp;c'>", "<h3 id=\"\">", "<h2 id=\"x\" id=\"y\">", "</h2>", "</h3>",
    "<h2 id=\"e\"/>", "<button type=\"button\">", "</button>", "<select>", "</select>", "<br/>", "<br>",
    "<p>", "</p>", "<a href=\"#/m/p\" title=\"a > b\">", "</a>", "<img src=\"x.svg\" alt=\"\">", "<abbr hidden>",
    "</abbr >", "<script>", "</script>", "<style>", "<!-- c -->", "<!DOCTYPE html>", "<?x?>", "<a href=x>",
    "<a b==\"c\">", "<", ">", "&amp;", "&am", "p;", "&lt;b&gt;", "&#x41;", "&nbsp;", "text", " ", "\n", "é",
    "ع", "word ", "</ h2>", "</h2 x=\"y\">", "<h2\nid=\"n\"\n>", "<x-y data-a=\"1\">", "</x-y>", "<p/>",
    "<a title=\"<h2 id='t'>\">", "<b data-x='</h3>'>", "<h2-x>", "<BUTTON>", "</Select>", "<h3/>", "&not", "in;",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_the_quick_reading_finds_what_htmlparser_finds_or_leaves_it(pieces: list[str]) -> None:
    html = "".join(pieces)
    quick = _split_sections(html)
    if quick is not None:
        assert quick == parsed(html)


@pytest.mark.parametrize("html", [
    "<p>a</p><!-- <h2 id=\"x\">hidden</h2> -->", "<script>if (a<b) {}</script><p>t</p>",
    "<p>1 < 2</p>", "<a href=x>link</a>", "<p>unclosed <b",
])
def test_html_beyond_plain_tags_goes_to_htmlparser(html: str) -> None:
    assert _split_sections(html) is None


@pytest.mark.parametrize("course", [ROOT / "course_src", *sorted((ROOT / "tests/fixtures/courses").iterdir())])
def test_every_built_page_reads_the_same_both_ways(course: Path) -> None:
    report = check(course)
    sites = [report.site, *report.site.translations.values()]
    pages = [page for site in sites for page in site.pages]
    assert pages
    for page in pages:
        for html in (str(page.body_html or ""), str(page.section_html)):
            quick = _split_sections(html)
            assert quick is not None, f"{page.id}: the builder's own HTML took the slow reading"
            assert quick == parsed(html), page.id


def test_the_index_script_is_the_index_as_json_with_no_closing_tag() -> None:
    """Each page's entries as encoded where it was rendered (some pages have none), then the glossary's
    and frameworks' a few hundred at a time: one JSON list, as one encoding of it, with no `</`."""
    texts = ["a", "</script>", "é", "\u2028", '"q"', "<", "/", "ع", "\\", "\n", "<\\/"]
    entries = [[f"m/p{i}", "", texts[i % 11] * 3, texts[(i * 7) % 11], "".join(texts[(i + j) % 11] for j in range(9))]
               for i in range(600)]
    pages = [SimpleNamespace(id=f"m/p{i}") for i in range(0, 600, 3)]  # three entries a page, or none
    made = {page.id: entries_json(entries[n * 3:n * 3 + 3] if n % 5 else []) for n, page in enumerate(pages)}
    in_pages = [e for n in range(len(pages)) if n % 5 for e in entries[n * 3:n * 3 + 3]]
    for references in (entries[:300], [], entries[:256]):
        for shown, kept in ((pages, made), ([], {})):
            expected = {"entries": (in_pages if shown else []) + references}
            script = search_script(shown, kept, references).decode("utf-8")
            assert script.startswith("Coursewright.searchLoaded(") and script.endswith(");\n")
            body = script[len("Coursewright.searchLoaded("):-3]
            assert "</" not in body
            assert json.loads(body) == expected
            assert body == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
