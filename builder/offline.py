"""The offline promise, checked: nothing a course's HTML or CSS names is fetched from the network.

A learner opens the course from file:// or an LMS, often where the network is watched or absent, and
a shared theme or a lesson with raw HTML could otherwise make every learner's browser call a tracker.
Links the learner follows (`<a href>`) are not fetches and stay allowed; everything a browser loads by
itself (src, srcset, poster, <link>, <iframe>, url(), @import, image-set()) must be a file of the course.
"""
from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

from .errors import Issues, SourceRef

# What a browser fetches without being asked: attributes that load, and CSS that loads.
_FETCHING_ATTRIBUTE = re.compile(
    r"""\b(src|srcset|poster|data|background|action|formaction|manifest|codebase|ping|xlink:href)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LOADING_ELEMENT = re.compile(r"<\s*(link|base|meta)\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\b(?:href|content)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_CSS_STRING_LOADERS = re.compile(r"""(?:-webkit-)?image-set\(|\bsrc\(""", re.IGNORECASE)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_IMPORT_ANY_CASE = re.compile(r"@[iI][mM][pP][oO][rR][tT]")  # a literal first character: a fast search
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_NETWORK = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*(?:https?|ftp|wss?):", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def reaches_network(url: str) -> bool:
    """Whether a URL a browser would load by itself leaves the course (http:, https:, //host, ws:)."""
    return _NETWORK.match(url) is not None


def html_fetches(html: str) -> list[tuple[int, str]]:
    """(offset, URL) of every network URL the HTML makes the browser load; links to follow are not counted.

    A generated page is megabytes: rather than run the patterns over all of it, each place that could
    start a network URL (`//`, `http:`, `@import`) is looked at in its tag or its stretch of CSS.
    """
    found: set[tuple[int, str]] = set()
    tags_seen: set[int] = set()
    for at in _candidates(html):
        tag_start, tag_closed = html.rfind("<", 0, at), html.rfind(">", 0, at)
        if tag_start > tag_closed:  # inside a tag: its attributes
            if tag_start not in tags_seen:
                tags_seen.add(tag_start)
                end = html.find(">", at)
                found |= {(tag_start + offset, url) for offset, url in _tag_fetches(html[tag_start:end + 1])}
            continue
        start = max(0, at - 300)  # in text: CSS in a <style>, or nothing a browser loads
        close = html.find(")", at, at + 2000)
        piece = html[start:close + 1 if close >= 0 else at + 300]
        found |= {(start + offset, url) for offset, url in css_fetches(piece)
                  if reaches_network(url) or url == "@import"}
    return sorted(found)


def _candidates(html: str) -> list[int]:
    """Where a network URL or an @import could be: cheap string searches over the whole page."""
    places = []
    for needle in ("//", "tp:", "tps:", "TP:", "TPS:", "ws:", "ss:"):  # //, http:, https:, ftp:, ws:, wss:
        at = html.find(needle)
        while at >= 0:
            places.append(at)
            at = html.find(needle, at + 1)
    places += [m.start() for m in _IMPORT_ANY_CASE.finditer(html)]
    return sorted(set(places))


def _tag_fetches(tag: str) -> list[tuple[int, str]]:
    """(offset, URL) of what one tag makes the browser load: src, srcset, poster, <link href>, a refresh..."""
    found: list[tuple[int, str]] = []
    for match in _FETCHING_ATTRIBUTE.finditer(tag):
        value = next(v for v in match.groups()[1:] if v is not None)
        urls = [part.strip().split(" ")[0] for part in value.split(",")] if match.group(1).lower() == "srcset" \
            else [value]
        found += [(match.start(), url) for url in urls if reaches_network(url)]
    element = _LOADING_ELEMENT.match(tag)
    if element and (element.group(1).lower() != "meta" or "refresh" in tag.lower()):
        for href in _HREF.finditer(tag):
            value = next(v for v in href.groups() if v is not None)
            url = value.split("url=", 1)[1] if "url=" in value.lower() else value
            if reaches_network(url) or (element.group(1).lower() == "base" and _SCHEME.match(url)):
                found.append((0, url))
    found += [(offset, url) for offset, url in css_fetches(tag) if reaches_network(url)]
    return found


def css_fetches(css: str) -> list[tuple[int, str]]:
    """(offset, URL) of every url(), image-set() string and @import in CSS (or HTML with CSS in it)."""
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), css)
    found = [(m.start(), next(v for v in m.groups() if v is not None)) for m in _CSS_URL.finditer(text)]
    for loader in _CSS_STRING_LOADERS.finditer(text):
        end = text.find(")", loader.end())
        for string in _CSS_STRING.finditer(text, loader.end(), end if end >= 0 else len(text)):
            found.append((string.start(), next(v for v in string.groups() if v is not None)))
    found += [(m.start(), "@import") for m in _IMPORT.finditer(text)]
    return sorted(found)


@functools.lru_cache(maxsize=64)
def _sheet_fetches(css: str) -> tuple[tuple[int, str], ...]:
    """A stylesheet's `css_fetches`, found once per text: `course serve` loads the theme at every rebuild."""
    return tuple(css_fetches(css))


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_stylesheet(path: Path, label: str, issues: Issues) -> None:
    """A theme's or a course's stylesheet may name only its own files: relative paths that stay inside.

    The stylesheets become assets/course.css, so `url(fonts/a.woff2)` is the theme's static/fonts/a.woff2.
    """
    try:
        css = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # reported where the stylesheet is read for the course
    for offset, url in _sheet_fetches(css):
        where = SourceRef(label, *_position(css, offset))
        if url == "@import":
            issues.error(where, "@import in a stylesheet",
                         "list every stylesheet in theme.yaml's stylesheets, or put it in the course's theme/ folder")
        elif url.strip().lower().startswith("data:") or url.strip().startswith("#"):
            continue
        elif _SCHEME.match(url) or url.strip().startswith(("/", "\\")):
            issues.error(where, f"url '{url}' in a stylesheet is not a file of the theme; the course must work "
                         "offline", "put the file in the theme's static/ folder and name it relative to it, "
                         "e.g. url(fonts/serif.woff2)")
        elif posixpath.normpath(url.strip().replace("\\", "/")).startswith(".."):
            issues.error(where, f"url '{url}' in a stylesheet leads outside the theme",
                         "put the file in the theme's static/ folder and name it relative to it")


def check_page(html: str, where: SourceRef, issues: Issues) -> None:
    """Report each network URL the generated page would load (the last guard, for templates)."""
    for offset, url in html_fetches(html):
        line, col = _position(html, offset)
        issues.error(where, f"the generated page loads '{url}' from the network (line {line}, column {col} of "
                     "the page); the course must work offline",
                     "a template or raw HTML names it: put the file in the theme or the course folder")


# Files a learner may open by themselves (a linked page, an image opened in its own tab) load what they
# name then: an SVG's <image href>, an HTML page's <img src>. (Shown with <img>, an SVG loads nothing.)
OPENED_DOCUMENTS = (".svg", ".html", ".htm", ".xhtml")
_SVG_HREF = re.compile(r"""<\s*(?!a[\s>])[A-Za-z][\w:.-]*[^>]*?\s(?:xlink:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
MAX_DOCUMENT_BYTES = 4_000_000


def file_fetches(path: Path) -> list[str]:
    """The network URLs an SVG or HTML file of the course would load when opened (none for other files)."""
    if path.suffix.lower() not in OPENED_DOCUMENTS:
        return []
    try:
        with path.open("rb") as file:
            text = file.read(MAX_DOCUMENT_BYTES).decode("utf-8", "replace")
    except OSError:
        return []
    urls = [url for _, url in html_fetches(text)]
    for match in _SVG_HREF.finditer(text):
        url = match.group(1) if match.group(1) is not None else match.group(2)
        if reaches_network(url):
            urls.append(url)
    return list(dict.fromkeys(urls))
