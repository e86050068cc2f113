"""The search index: every page's text cut at its headings, the glossary and the frameworks, written
as a script (`assets/search-index.js`) that the runtime loads the first time a learner opens the search. A
script, not JSON, because a course opened from file:// may load scripts but not read files."""
from __future__ import annotations

import io
import json
import re
from html import unescape
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


# A tag as the builder writes them: a name, attributes with quoted values or none, `>` or `/>`. HTML made
# only of such tags between text is read by regular expressions instead of HTMLParser's walk, which costs a
# sixth of a clean build; anything else (comments, scripts, unquoted values, a stray `<`) takes the walk.
_ATTRIBUTE = r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)"""
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(" + _ATTRIBUTE + r"*)\s*(/?)>")
_ATTRIBUTES = re.compile(r"""\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'))?""")
_RAW_TEXT = ("script", "style")  # HTMLParser reads their content as text, tags and all
# The only tags that change where text goes: a section's heading, or a control whose text is left out.
_TURNING = re.compile(r"</?(?:[hH][23]|[bB][uU][tT][tT][oO][nN]|[sS][eE][lL][eE][cC][tT]|[sS][cC][rR][iI][pP][tT]"
                      r"|[sS][tT][yY][lL][eE])(?![a-zA-Z0-9-])")


def _text_between(html: str) -> str | None:
    """The text of HTML holding no turning tag, as HTMLParser hands it over piece by piece (each piece
    unescaped alone), or None when something other than a plain tag is left in it."""
    if "&" not in html:  # nothing to unescape: the pieces are one text
        text = _TAG.sub("", html)
        return None if "<" in text else text
    pieces = _TAG.split(html)[::5]
    if any("<" in piece for piece in pieces):
        return None
    return "".join(map(unescape, pieces))


def _split_sections(html: str) -> list[list[str]] | None:
    """What `_Sections` finds in `html`, or None when the HTML holds more than plain tags and text.

    Only headings and skipped controls move the text elsewhere: the text between two of them is taken
    whole, tags and all cut out at once (a page has thousands of tags and a few such)."""
    found: list[tuple[str, list[str], list[str]]] = [("", [], [])]  # anchor, heading's pieces, text's pieces
    into = found[0][2]
    heading: str | None = None
    skipping = 0
    done = 0  # where the text not yet read starts
    for turning in _TURNING.finditer(html):
        if turning.start() < done:  # inside the tag before, which was not plain
            return None
        text = _text_between(html[done:turning.start()])
        if text is None:
            return None
        if text and not skipping:
            into.append(text)
        tag_match = _TAG.match(html, turning.start())
        if tag_match is None:
            return None
        done = tag_match.end()
        closing, tag, attributes, empty = tag_match.groups()
        tag = tag.lower()
        if not closing:
            if tag in _RAW_TEXT:
                return None
            if tag in SKIPPED:
                skipping += 1
            elif tag in HEADINGS:
                anchor = ""
                for name, value in _ATTRIBUTES.findall(attributes):
                    if name.lower() == "id":
                        anchor = unescape(value[1:-1]) if value else ""
                if anchor:
                    found.append((anchor, [], []))
                    heading = tag
            if not empty:  # `<x/>` is a start and an end tag to HTMLParser
                into = found[-1][1 if heading else 2]
                continue
        if tag in SKIPPED and skipping:
            skipping -= 1
        elif tag == heading:
            heading = None
        into = found[-1][1 if heading else 2]
    text = _text_between(html[done:])
    if text is None:
        return None
    if text and not skipping:
        into.append(text)
    return [[anchor, "".join(heading_text), "".join(text)] for anchor, heading_text, text in found]


def _parsed_sections(html: str) -> list[list[str]]:
    sections = _split_sections(html)
    if sections is None:
        parser = _Sections()
        parser.feed(html)
        parser.close()
        sections = parser.sections
    return sections


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def page_entries(page: PageView) -> list[list[str]]:
    """[page id, anchor, title, heading, text] for each section of a page with words in it."""
    sections = _parsed_sections(str(page.body_html or page.section_html))
    if not page.body_html:  # a quiz or scenario: one entry, its headings are not sections of its text
        sections = [["", "", " ".join(" ".join(section[1:]) for section in sections)]]
    entries = []
    for anchor, heading, text in sections:
        heading, text = _squeeze(heading), _squeeze(text)
        if heading or text:
            entries.append([page.id, anchor, page.title, heading, text])
    return entries


def search_data(pages: list[PageView], glossary: GlossaryView | None, frameworks: list[InstrumentView],
                strings: dict[str, str], made: dict[str, str] | None = None) -> dict[str, Any]:
    """The whole index as data: `{"entries": [[page, anchor, title, heading, text], …]}` (the single file
    carries it so). `made` holds each page's entries by page id, encoded as the page was rendered."""
    made = made or {}
    entries: list[list[str]] = []
    for page in pages:
        found = made.get(page.id)
        entries.extend(json.loads(f"[{found}]") if found is not None else page_entries(page))
    return {"entries": entries + reference_entries(glossary, frameworks, strings)}


def reference_entries(glossary: GlossaryView | None, frameworks: list[InstrumentView],
                      strings: dict[str, str]) -> list[list[str]]:
    """The glossary's terms and the frameworks' instruments, as entries of the index."""
    entries: list[list[str]] = []
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
    return entries


_CHUNK = 256  # references encoded at a time
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entries_json(entries: list[list[str]]) -> str:
    """Entries as they stand in the index script's list ("" for none): made once, where a page is
    rendered, and kept with it, so a build that takes the page from a cache does not encode it again."""
    return _encode(entries)[1:-1].replace("</", "<\\/")


def search_script(pages: list[PageView], made: dict[str, str], references: list[list[str]]) -> bytes:
    """The index as a script that hands it to the runtime (`assets/search-index.js`, loaded on first use):
    each page's entries as `made` holds them encoded (by page id; a page missing there is parsed now),
    then `references`, a few hundred at a time.

    By json's C encoder (its `iterencode` is the pure-Python one), a page or a chunk at a time: a large
    course's index is megabytes, never held as one text, escaped, then encoded. A piece holds whole
    entries, so no `</` is cut.
    """
    out = io.BytesIO()
    out.write(b'Coursewright.searchLoaded({"entries":[')
    first = True
    for page in pages:
        text = made.get(page.id)
        if text is None:
            text = entries_json(page_entries(page))
        if text:
            out.write((b"" if first else b",") + text.encode())
            first = False
    for start in range(0, len(references), _CHUNK):
        out.write((b"" if first else b",") + entries_json(references[start:start + _CHUNK]).encode())
        first = False
    out.write(b"]});\n")
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
    return " ".join(" ".join(section[1:]) for section in _parsed_sections(html))
