"""The single-file edition: the web course as one HTML file with every asset inlined, for e-mail or a USB stick.

The same inliner makes the facilitator guide and the learner handout self-contained. It parses the
HTML with the standard library's parser, rewrites only the tags that load something, and leaves every
other byte of the page as it was.
"""
from __future__ import annotations

import base64
import mimetypes
import os
import posixpath
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Issue, SourceRef
from .fontfaces import PageText, page_text, used_font_faces
from .render import RenderedSite

DEFAULT_MAX_MEDIA_KB = 2048
# A theme's fonts are inlined whatever their size: the limit is for the course's media.
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")

# Types the standard table may not know (it varies by system); data: URIs need the right one.
MEDIA_TYPES = {".svg": "image/svg+xml", ".vtt": "text/vtt", ".woff2": "font/woff2", ".woff": "font/woff",
               ".js": "text/javascript", ".css": "text/css", ".webp": "image/webp", ".json": "application/json"}

# The attributes through which an element loads a file (links, <a href>, are handled apart).
LOADING_ATTRIBUTES = {
    "img": ("src",), "script": ("src",), "source": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "track": ("src",), "iframe": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",),
    "link": ("href",),
}


class EditionError(BuildError):
    """A problem found while making the extra editions: the web course was built; none of these was written."""

    def __init__(self, issues: list[Issue], root_label: str = "") -> None:
        super().__init__(issues, root_label)
        lines = self.message.split("\n")[:-1]
        count = sum(1 for i in issues if i.severity == "error")
        lines.append(f"{count} error{'s' if count != 1 else ''}: the web course was built, "
                     "but no single-file edition, guide, handout or PDF was written")
        self.message = "\n".join(lines)


def data_uri(name: str, content: bytes) -> str:
    """A file as a data: URI (base64 keeps any byte safe in an attribute or a CSS url())."""
    suffix = posixpath.splitext(name)[1].lower()
    kind = MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


@dataclass
class SiteFiles:
    """A rendered site's files by URL (generated in memory or copied from the sources), for inlining.

    Files over `max_bytes` are not inlined; each becomes an issue at the file, reported together.
    Fonts are not held to it (see FONT_SUFFIXES).
    """

    site: RenderedSite
    root: Path
    max_bytes: int | None = None
    issues: list[Issue] = field(default_factory=list)

    def read(self, url: str) -> bytes | None:
        """The content of the site file at a URL relative to the site's top folder, or None."""
        rel = posixpath.normpath(unquote(url))
        if rel in self.site.files:
            return self.site.files[rel]
        path = self.site.copies.get(rel)
        if path is None:
            return None
        size = path.stat().st_size
        if self.max_bytes is not None and size > self.max_bytes and not rel.lower().endswith(FONT_SUFFIXES):
            self._too_large(rel, path, size)
            return None
        return path.read_bytes()

    def _too_large(self, rel: str, path: Path, size: int) -> None:
        where = SourceRef(path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path))
        if any(issue.where == where for issue in self.issues):
            return
        self.issues.append(Issue(
            where, f"'{rel}' is {size / 1024:,.1f} KB, over the {self.max_bytes // 1024:,} KB limit for "
                   "files inlined into one HTML file",
            hint="make the file smaller, or raise the limit with --max-media-kb"))


def local_target(url: str) -> str | None:
    """The site-relative path a reference names, or None for fragments, other schemes and absolute paths."""
    if not url or url.startswith(("#", "/", "\\")):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return parts.path


def inline_css(css: str, base: str, files: SiteFiles) -> str:
    """Stylesheet text with each url() to a site file replaced by a data: URI (`base`: the CSS file's folder)."""
    if "url(" not in css.lower():
        return css  # nothing to do, and no need for the CSS tokenizer
    import tinycss2
    from tinycss2.ast import FunctionBlock, StringToken, URLToken

    def swap(nodes: list[Any]) -> list[Any]:
        result = []
        for node in nodes:
            url = None
            if isinstance(node, URLToken):
                url = node.value
            elif isinstance(node, FunctionBlock) and node.lower_name == "url":
                strings = [a for a in node.arguments if isinstance(a, StringToken)]
                url = strings[0].value if len(strings) == 1 else None
            target = local_target(url) if url else None
            content = files.read(posixpath.join(base, target)) if target else None
            if content is not None:
                uri = data_uri(target, content)
                node = URLToken(node.source_line, node.source_column, uri, f"url({uri})")
            elif hasattr(node, "content") and node.content is not None:
                node.content = swap(node.content)
            elif isinstance(node, FunctionBlock):
                node.arguments = swap(node.arguments)
            result.append(node)
        return result

    return tinycss2.serialize(swap(tinycss2.parse_component_value_list(css)))


def _tag(tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> str:
    parts = [tag] + [name if value is None else f'{name}="{escape(value, quote=True)}"' for name, value in attrs]
    return "<" + " ".join(parts) + (" />" if closed else ">")


class EditingParser(HTMLParser):
    """An HTML parser that records replacements by offset, so the untouched text stays exactly as it was."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.edits: list[tuple[int, int, str]] = []
        self._starts = [0]
        for line in text.split("\n")[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def _position(self) -> int:
        """Where the tag or text being handled starts, as an offset into the text."""
        line, col = self.getpos()
        return self._starts[line - 1] + col

    def run(self) -> EditingParser:
        self.feed(self.text)
        self.close()
        return self

    def apply(self, start: int = 0, end: int | None = None) -> str:
        """The text from `start` to `end` with the replacements recorded inside it made."""
        end = len(self.text) if end is None else end
        pieces, last = [], start
        for edit_start, edit_end, replacement in sorted(self.edits):
            if start <= edit_start and edit_end <= end:
                pieces += [self.text[last:edit_start], replacement]
                last = edit_end
        pieces.append(self.text[last:end])
        return "".join(pieces)


class _Inliner(EditingParser):
    """Finds the tags that load files and records replacements for them."""

    def __init__(self, text: str, files: SiteFiles, links: dict[str, str], for_print: bool) -> None:
        super().__init__(text)
        self.files, self.links, self.for_print = files, links, for_print
        self.page: PageText | None = None  # read when a stylesheet declares fonts
        self._style: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)
        if tag == "style":
            self._style = (-1, [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            start, chunks = self._style
            self._style = (self._position() if start < 0 else start, chunks + [data])

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._style is not None:
            start, chunks = self._style
            css = "".join(chunks)
            if start >= 0 and (new := inline_css(self._used_fonts(css), "", self.files)) != css:
                self.edits.append((start, start + len(css), new))
            self._style = None

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        raw = self.get_starttag_text() or ""
        start = self._position()
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").lower().split():
            target = local_target(values.get("href") or "")
            content = self.files.read(target) if target else None
            if content is not None:
                css = inline_css(self._used_fonts(content.decode("utf-8")), posixpath.dirname(target), self.files)
                media = f' media="{escape(values["media"], quote=True)}"' if values.get("media") else ""
                self.edits.append((start, start + len(raw), f"<style{media}>\n{css.strip()}\n</style>"))
            return
        changed = False
        new_attrs: list[tuple[str, str | None]] = []
        for name, value in attrs:
            if value is not None and name in LOADING_ATTRIBUTES.get(tag, ()):
                value, swapped = self._inline(value)
                changed |= swapped
            elif value is not None and name == "href" and tag == "a":
                target = local_target(value)
                value, swapped = self._link(value)
                if swapped and target and value.startswith("data:") and "download" not in values:
                    new_attrs.append(("download", posixpath.basename(unquote(target))))
                changed |= swapped
            elif value is not None and name == "style" and "url(" in value.lower():
                new = inline_css(value, "", self.files)
                value, changed = new, changed or new != value
            new_attrs.append((name, value))
        if self.for_print and tag == "details" and "open" not in values:
            new_attrs.append(("open", None))
            changed = True
        if changed:
            self.edits.append((start, start + len(raw), _tag(tag, new_attrs, closed)))

    def _used_fonts(self, css: str) -> str:
        """Only the fonts the page draws its own text with are worth carrying along."""
        if "@font-face" not in css.lower():
            return css
        if self.page is None:
            self.page = page_text(self.text)
        return used_font_faces(css, self.page)

    def _inline(self, url: str) -> tuple[str, bool]:
        target = local_target(url)
        content = self.files.read(target) if target else None
        if content is None:
            return url, False
        fragment = urlsplit(url).fragment
        return data_uri(target, content) + (f"#{fragment}" if fragment else ""), True

    def _link(self, url: str) -> tuple[str, bool]:
        """Links to other languages' pages point at their own files; links to media files carry them along."""
        if url in self.links:
            return self.links[url], True
        return self._inline(url)


def inline_html(html: str, files: SiteFiles, links: dict[str, str] | None = None, *, for_print: bool = False) -> str:
    """The page with every file it loads (styles, scripts, images, fonts, media) inlined as data.

    `links` maps link targets to new ones (another language's index to its single file); with
    `for_print`, collapsed sections (`<details>`) are opened, since paper cannot open them.
    """
    return _Inliner(html, files, links or {}, for_print).run().apply()


def edition_name(course_id: str, version: str, lang: str | None, suffix: str = "", ext: str = "html") -> str:
    """`<id>-<version>[-<lang>][-<suffix>].<ext>`: the file names of the extra editions in dist/."""
    parts = [course_id, version] + ([lang] if lang else []) + ([suffix] if suffix else [])
    return "-".join(parts) + f".{ext}"


def sites_by_language(site: RenderedSite) -> dict[str | None, RenderedSite]:
    """The source language (key None: no language in file names) and each translation's own site."""
    return {None: site, **site.translations}


def single_file_editions(site: RenderedSite, course_id: str, version: str, source_language: str, root: Path,
                         max_media_kb: int = DEFAULT_MAX_MEDIA_KB) -> tuple[dict[str, bytes], list[Issue]]:
    """Every language's `index.html` with its assets inlined, by file name; and the files too large to inline."""
    sites = sites_by_language(site)
    names = {lang: edition_name(course_id, version, lang) for lang in sites}
    editions: dict[str, bytes] = {}
    issues: list[Issue] = []
    for lang, lang_site in sites.items():
        files = SiteFiles(lang_site, root, max_media_kb * 1024)
        links = {}
        for view in lang_site.context.get("languages", []):
            code = None if view.code == source_language else view.code
            if code in names:
                links[view.href] = names[code]
        html = inline_html(lang_site.single_page().decode("utf-8"), files, links)
        editions[names[lang]] = html.encode("utf-8")
        issues += [i for i in files.issues if i not in issues]
    return editions, issues


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file atomically (a temporary file, then a rename): readers never see half a file."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
        try:
            temporary.write_bytes(content)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        written.append(path)
    return written
