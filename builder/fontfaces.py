"""Which of a stylesheet's @font-face rules a page uses, so that the single file carries only those fonts.

A browser downloads a face only when a character of its `unicode-range` is drawn in its family; a
page with every file inlined has no such choice, so the builder makes it: a face stays when its family
is named outside the @font-face rules and the page's own text has a character in its range.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Mapping

_RANGE = re.compile(r"u\+([0-9a-f?]{1,6})(?:-([0-9a-f]{1,6}))?", re.IGNORECASE)
# Elements whose text is never drawn in the page's fonts.
_UNDRAWN = {"script", "style", "template", "svg", "math"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class PageText:
    """The characters a page draws in its own language, and the inline styles that may name fonts."""

    characters: set[str] = field(default_factory=set)
    styles: list[str] = field(default_factory=list)


class _TextParser(HTMLParser):
    """Collects the page's text, leaving out undrawn elements and words in another language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self.language: str | None = None
        self._skip: list[str] = []  # open elements whose text does not count

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("style"):
            self.page.styles.append(values["style"] or "")
        if tag == "html":
            self.language = (values.get("lang") or "").lower() or None
            return
        if tag == "input" and not self._skip:
            self.page.characters.update((values.get("placeholder") or "") + (values.get("value") or ""))
        if tag in _VOID:
            return
        lang = (values.get("lang") or "").lower()
        if self._skip or tag in _UNDRAWN or (lang and self.language and lang != self.language):
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip:  # elements left open inside (a <p> without </p>) close with it
            while self._skip.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.page.characters.update(data)


def page_text(html: str) -> PageText:
    """The characters of a page's text in its own language (the `<html lang>`)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.page


def site_text(files: Mapping[str, bytes]) -> PageText:
    """What a whole site's pages may draw, erring towards more: every character of its HTML pages and
    page scripts (their sections, the course data's interface strings), and its HTML pages whole as
    the place font families may be named (the theme's font list on each <html>). Its `assets/` are left
    out: the runtime's code draws nothing of its own. Not parsed: a large course has megabytes of it."""
    text = PageText()
    for name, content in files.items():
        if name.startswith("assets/") or not name.endswith((".html", ".js")):
            continue
        decoded = content.decode("utf-8", errors="replace")
        text.characters.update(decoded)
        if name.endswith(".html"):
            text.styles.append(decoded)
    return text


def unicode_ranges(value: str) -> list[tuple[int, int]]:
    """`U+0000-00FF, U+0131, U+04??` as inclusive code point ranges."""
    ranges = []
    for start, end in _RANGE.findall(value):
        if "?" in start:
            ranges.append((int(start.replace("?", "0"), 16), int(start.replace("?", "F"), 16)))
        else:
            ranges.append((int(start, 16), int(end or start, 16)))
    return ranges


def _declarations(rule: Any) -> dict[str, str]:
    import tinycss2

    found = {}
    for item in tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            found[item.lower_name] = tinycss2.serialize(item.value).strip()
    return found


def _family(value: str) -> str:
    return value.strip().strip("'\"").lower()


def used_font_faces(css: str, page: PageText) -> str:
    """The stylesheet without the @font-face rules the page cannot use (every other byte kept)."""
    if "@font-face" not in css.lower():
        return css
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    faces = [r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "font-face"]
    elsewhere = (tinycss2.serialize([r for r in rules if r not in faces and r.type != "comment"])
                 + " ".join(page.styles)).lower()
    points = {ord(c) for c in page.characters}

    def used(rule: Any) -> bool:
        declared = _declarations(rule)
        family = _family(declared.get("font-family", ""))
        if not family or family not in elsewhere:
            return False
        ranges = unicode_ranges(declared["unicode-range"]) if "unicode-range" in declared else None
        return ranges is None or any(low <= p <= high for p in points for low, high in ranges)

    return tinycss2.serialize([r for r in rules if r not in faces or used(r)])



def _url(node: Any) -> str | None:
    """The URL a token names: `url(a.woff2)` or `url("a.woff2")`; None for any other token."""
    from tinycss2.ast import FunctionBlock, StringToken, URLToken

    if isinstance(node, URLToken):
        return node.value
    if isinstance(node, FunctionBlock) and node.lower_name == "url":
        strings = [a for a in node.arguments if isinstance(a, StringToken)]
        return strings[0].value if len(strings) == 1 else None
    return None


def _relative(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.path) and not (parts.scheme or parts.netloc or url.startswith(("/", "\\", "#")))


def _font_face_rules(css: str) -> tuple[list[Any], list[Any]]:
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    return rules, [r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "font-face"]


# The theme's stylesheet is the same for every language and every build: what was read from it and made
# of it is kept (by its text), so a translated course's build, or a rebuild on save, parses it once.
_known: dict[tuple[str, tuple[tuple[str, str], ...] | None], Any] = {}


def _remembered(key: tuple[str, tuple[tuple[str, str], ...] | None], make: Callable[[], Any]) -> Any:
    found = _known.get(key)
    if found is None:
        if len(_known) >= 16:
            _known.clear()
        found = _known[key] = make()
    return found


def font_files(css: str) -> list[str]:
    """The files the stylesheet's @font-face rules load, as written (relative URLs only: the only url()
    a @font-face rule holds is its `src`)."""
    if "@font-face" not in css.lower():
        return []
    return list(_remembered((css, None), lambda: _font_files(css)))


def _font_files(css: str) -> tuple[str, ...]:
    _, faces = _font_face_rules(css)
    urls = (_url(node) for rule in faces for node in rule.content or [])
    return tuple(dict.fromkeys(url for url in urls if url and _relative(url)))


def without_font_files(css: str, urls: set[str]) -> str:
    """The stylesheet without the @font-face rules that load only files of `urls` (as written), every
    other byte kept: a browser then never asks for those files."""
    if not urls:
        return css
    import tinycss2

    rules, faces = _font_face_rules(css)

    def dropped(rule: Any) -> bool:
        loaded = {url for node in rule.content or [] if (url := _url(node))}
        return bool(loaded) and loaded <= urls

    return tinycss2.serialize([r for r in rules if r not in faces or not dropped(r)])


def with_font_files(css: str, moved: dict[str, str]) -> str:
    """The stylesheet with its @font-face rules loading their files where `moved` says (URL → URL), the
    rest the same in meaning (the tokenizer writes `U+0000-00FF` as `U+0-FF`)."""
    if not moved:
        return css
    return _remembered((css, tuple(moved.items())), lambda: _with_font_files(css, moved))


def _with_font_files(css: str, moved: dict[str, str]) -> str:
    import tinycss2
    from tinycss2.ast import URLToken

    rules, faces = _font_face_rules(css)
    for rule in faces:
        rule.content = [URLToken(node.source_line, node.source_column, moved[url], f"url({moved[url]})")
                        if (url := _url(node)) in moved else node for node in rule.content or []]
    return tinycss2.serialize(rules)
