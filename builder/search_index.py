"""The search index: every page's text cut at its headings, the glossary and the frameworks, written
as a script (`assets/search-index.js`) that the runtime loads the first time a learner opens the search. A
script, not JSON, because a course opened from file:// may load scripts but not read files."""
from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from typing import Any

from .views import GlossaryView, InstrumentView, PageView

HEADINGS = ("h2", "h3")
SKIPPED = ("script", "style", "button", "select")  # controls say nothing a learner searches for


class _Sections(HTMLParser):
    """Text of a page body, split where an h2 or h3 with an id starts a section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", ""]]  # anchor, heading, text
        self.heading: str | None = None
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in HEADINGS:
            anchor = dict(attrs).get("id") or ""
            if anchor:
                self.sections.append([anchor, "", ""])
                self.heading = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag == self.heading:
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.sections[-1][1 if self.heading else 2] += data


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def page_entries(page: PageView) -> list[list[str]]:
    """[page id, anchor, title, heading, text] for each section of a page with words in it."""
    parser = _Sections()
    parser.feed(str(page.body_html or page.section_html))
    parser.close()
    sections = parser.sections
    if not page.body_html:  # a quiz or scenario: one entry, its headings are not sections of its text
        sections = [["", "", " ".join(" ".join(section[1:]) for section in sections)]]
    entries = []
    for anchor, heading, text in sections:
        heading, text = _squeeze(heading), _squeeze(text)
        if heading or text:
            entries.append([page.id, anchor, page.title, heading, text])
    return entries


def search_data(pages: list[PageView], glossary: GlossaryView | None, frameworks: list[InstrumentView],
                strings: dict[str, str], made: dict[str, list[list[str]]] | None = None) -> dict[str, Any]:
    """The whole index: `{"entries": [[page, anchor, title, heading, text], …]}`.

    `made` holds each page's entries by page id, made as the page was rendered (and kept with it by the
    render caches): the pages' HTML is not parsed again for the index.
    """
    entries: list[list[str]] = []
    made = made or {}
    for page in pages:
        found = made.get(page.id)
        entries.extend(found if found is not None else page_entries(page))
    glossary_title = strings.get("glossary_title", "Glossary")
    for letter in glossary.letters if glossary else []:
        for term in letter.terms:
            text = _squeeze(_text(str(term.definition_html)) + " " + " ".join(term.aliases))
            entries.append(["glossary", term.anchor, glossary_title, term.term, text])
    frameworks_title = strings.get("frameworks_title", "Frameworks")
    for instrument in frameworks:
        articles = " ".join(f"{a.number} {a.title} {_text(str(a.summary_html))}" for a in instrument.articles)
        text = _squeeze(f"{instrument.short} {_text(str(instrument.summary_html))} {articles}")
        entries.append(["frameworks", instrument.anchor, frameworks_title, instrument.title, text])
    return {"entries": entries}


def search_script(data: dict[str, Any]) -> bytes:
    """The index as a script that hands it to the runtime (`assets/search-index.js`, loaded on first use).

    Encoded piece by piece (a string is one piece, so no `</` is cut): a large course's index is tens
    of megabytes, and as one text, escaped, then encoded, it was held three or four times at once.
    """
    out = io.BytesIO()
    out.write(b"Coursewright.searchLoaded(")
    for piece in json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).iterencode(data):
        out.write(piece.replace("</", "<\\/").encode())
    out.write(b");\n")
    return out.getvalue()


_texts: dict[str, str] = {}  # the glossary's and frameworks' texts, by their HTML: every build asks again


def _text(html: str) -> str:
    known = _texts.get(html)
    if known is None:
        if len(_texts) >= 8192:
            _texts.clear()
        known = _texts[html] = _parsed_text(html)
    return known


def _parsed_text(html: str) -> str:
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(section[1:]) for section in parser.sections)
