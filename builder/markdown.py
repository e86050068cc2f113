"""The one Markdown configuration every lesson and short text field is rendered with."""
from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, image, link
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as attrs_parse
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from builder.errors import Issues, SourceRef
from builder.markdown_directives import directives_plugin
from builder.markdown_fast import fast_paths
from builder.markdown_refs import refs_plugin
from builder.offline import html_fetches
from builder.sources import PAGE_SUFFIXES


@dataclass(frozen=True)
class TermTarget:
    """A glossary term, as references need it."""

    id: str
    term: str


@dataclass(frozen=True)
class InstrumentTarget:
    """A legal instrument, as references need it."""

    id: str
    short: str
    articles: Mapping[str, str]


@dataclass
class MarkdownEnv:
    """What rendering one source needs from the rest of the course."""

    path: str
    line_offset: int
    page_anchor: str
    terms: Mapping[str, TermTarget]
    instruments: Mapping[str, InstrumentTarget]
    issues: Issues
    resolve_link: Callable[[str, SourceRef], str | None]
    resolve_media: Callable[[str, SourceRef], str | None]
    render_check: Callable[[str, SourceRef, int], str]
    frameworks_list: Callable[[dict[str, str], SourceRef], str]
    allow_html: bool = False
    strict: bool = False
    col_offset: int = 0  # where the text starts in its line (a YAML value, a block scalar's indent)
    article_label: str = "{short}, art. {number}"  # how a citation of an article reads, per language
    resolve_file: Callable[[str, SourceRef], str | None] | None = None  # a linked file: resolve_media's way
    find_media: Callable[[str, SourceRef], str | None] | None = None  # like resolve_media, silent when absent
    heading_ids: tuple[str, ...] = ()  # a translation's headings take its source's ids, in order
    source_checks: tuple[str, ...] = ()  # a translation's checks take their structure from these, in order


@dataclass
class RenderedMarkdown:
    """The HTML of one source and what it refers to, for the contents and reference checks."""

    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    refs: set[tuple[str, str | None]] = field(default_factory=set)


@dataclass
class RenderContext:
    """Per-render state the plugins share through markdown-it's env (under the key "render")."""

    env: MarkdownEnv
    result: RenderedMarkdown = field(default_factory=lambda: RenderedMarkdown(""))
    src: str = ""
    checks: int = 0
    open_directives: list[str] = field(default_factory=list)
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Split once, and only when an issue or a link needs a column."""
        if self._lines is None:
            self._lines = self.src.split("\n")
        return self._lines

    def at(self, line: int, col: int = 1) -> SourceRef:
        """A position from a 0-based line of the rendered text and a 1-based column."""
        return SourceRef(self.env.path, self.env.line_offset + line + 1, col + self.env.col_offset)

    def at_offset(self, line: int, offset: int) -> SourceRef:
        """A position from a 0-based line and an offset into the (normalised) source text."""
        return self.at(line, offset - self.src.rfind("\n", 0, offset))

    def at_inline(self, token: Token | None, pos: int | None) -> SourceRef:
        """A position inside an inline token: its block's line plus the lines and column before pos."""
        if token is None or token.map is None:
            return self.at(0)
        if pos is None:
            return self.at(token.map[0])
        content = token.content
        start = content.rfind("\n", 0, pos) + 1
        end = content.find("\n", pos)
        text_line = content[start : len(content) if end < 0 else end].rstrip()
        line = token.map[0] + content.count("\n", 0, pos)
        if not text_line or line >= len(self.lines):
            return self.at(line)
        source_line = self.lines[line].rstrip()
        # Inline content is the source line minus its block prefix (indent, "> ", list marker).
        if source_line.endswith(text_line):
            col = len(source_line) - len(text_line)
        else:
            col = source_line.find(text_line)
            if col < 0:
                return self.at(line)
        return self.at(line, col + pos - start + 1)


def render_markdown(text: str, env: MarkdownEnv) -> RenderedMarkdown:
    """Render a lesson body (or any block Markdown field) to HTML, reporting problems into env.issues."""
    ctx = RenderContext(env)
    ctx.result.html = _parser(env.allow_html, _unused(text)).render(text, _md_env(ctx))
    return ctx.result


def render_inline(text: str, env: MarkdownEnv) -> str:
    """Render a short field (a prompt, an option) as inline HTML, without a surrounding <p>."""
    ctx = RenderContext(env)
    html: str = _parser(env.allow_html, _unused(text)).renderInline(text, _md_env(ctx))
    return html


def slugify(text: str) -> str:
    """A heading slug: lower case, Latin letters folded to ASCII, other scripts kept, words hyphenated."""
    if text.isascii():  # the same rules, without looking up every character's Unicode data
        kept = _ASCII_DROPPED.sub("", text.lower())
        return _ASCII_SEPARATORS.sub("-", kept).strip("-") or "section"
    return _slugify_unicode(text)


def _slugify_unicode(text: str) -> str:
    out: list[str] = []
    for ch in text.lower():
        piece = _FOLDS.get(ch)
        if piece is None:
            bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            piece = bare if bare.isascii() and ch.isalnum() else ch
        for c in piece:
            category = unicodedata.category(c)
            if c.isalnum():
                out.append(c)
            elif category.startswith("M"):
                # Marks are spelling in Devanagari or Arabic, but accents after a folded Latin letter.
                if out and not out[-1].isascii():
                    out.append(c)
            elif c.isspace() or c in "-_/" or category == "Pd":
                if out and out[-1] != "-":
                    out.append("-")
    return "".join(out).strip("-") or "section"


_ASCII_DROPPED = re.compile(r"[^a-z0-9\s\-_/]")
_ASCII_SEPARATORS = re.compile(r"[\s\-_/]+")

# Latin letters NFKD does not decompose into an ASCII base.
_FOLDS = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
}


def _md_env(ctx: RenderContext) -> dict[str, Any]:
    md_env: dict[str, Any] = {"render": ctx}
    if ctx.env.page_anchor:
        md_env["docId"] = ctx.env.page_anchor  # footnote ids become fn-<page anchor>-<n>
    return md_env


# Rules whose syntax a text cannot contain never match in it, yet markdown-it tries them on every line
# (the block rules again for every line of every paragraph, to see whether it ends): a text is parsed
# without them, which gives the same HTML for a good deal less work. Each test errs towards "may use"
# (a test renders every source, and generated mixtures of syntax, both ways).
_LINE_END = r"[ \t]*(?:\n|\Z)"
_SETEXT_UNDERLINE = re.compile(r"[=-]" + _LINE_END)  # a line ending in = or - may underline a heading
_RULE_LINE = re.compile(r"([*_-])(?:[ \t]*\1){2,}" + _LINE_END)  # a line ending in three of * - _
_DEFINITION_LINE = re.compile(r"^[^A-Za-z\n]*[:~]", re.MULTILINE)  # a `: definition` line, maybe nested
_MAY_USE: tuple[tuple[str, Callable[[str, frozenset[str]], bool]], ...] = (
    # a rare single character first: looking for one runs at memchr's speed, for two at a tenth of it
    ("strikethrough", lambda text, ends: "~" in text and "~~" in text),
    ("footnotes", lambda text, ends: "^" in text and ("[^" in text or "^[" in text)),
    ("definitions", lambda text, ends: _may_define(text)),
    ("directives", lambda text, ends: ":::" in text),
    ("references", lambda text, ends: "[[" in text),
    ("lheading", lambda text, ends: not ends.isdisjoint("=-") and _SETEXT_UNDERLINE.search(text) is not None),
    ("hr", lambda text, ends: not ends.isdisjoint("*_-") and _RULE_LINE.search(text) is not None),
    ("blockquote", lambda text, ends: ">" in text),
    ("fence", lambda text, ends: ("`" in text and "```" in text) or ("~" in text and "~~~" in text)),
    ("reference", lambda text, ends: "]:" in text),
    ("code", lambda text, ends: "    " in text or "\t" in text),
    ("html_block", lambda text, ends: "<" in text),
    ("table", lambda text, ends: "|" in text),
)


def _unused(text: str) -> frozenset[str]:
    """The optional syntax (plugins) and block rules a text cannot use."""
    if "\r" in text:  # as markdown-it will see it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ends = _line_ends(text)
    return frozenset(name for name, may_use in _MAY_USE if not may_use(text, ends))


def _line_ends(text: str) -> frozenset[str]:
    """The last character of each line but spaces and tabs: the regular expressions looking for a line
    that ends in `-` (an underline, a rule) scan the whole text, so they run only when one may."""
    lines = text.split("\n")
    ends = frozenset(map(_LAST, lines))
    if " " in ends or "\t" in ends:
        ends = frozenset(map(_LAST, (line.rstrip(" \t") for line in lines)))
    return ends


_LAST = operator.itemgetter(slice(-1, None))  # a line's last character, "" for an empty line


def _may_define(text: str) -> bool:
    """`_DEFINITION_LINE`, tried only at the start of the lines that hold a `:` or a `~` (few do)."""
    pos = 0
    while True:
        colon, tilde = text.find(":", pos), text.find("~", pos)
        mark = min(colon, tilde) if colon >= 0 and tilde >= 0 else max(colon, tilde)
        if mark < 0:
            return False
        if _DEFINITION_LINE.match(text, text.rfind("\n", 0, mark) + 1):
            return True
        pos = text.find("\n", mark) + 1
        if pos == 0:
            return False


@functools.lru_cache(maxsize=256)
def _parser(allow_html: bool, unused: frozenset[str] = frozenset(), fast: bool = True) -> MarkdownIt:
    """Build once per setting and set of unused rules: a 1,000-lesson course reuses a few instances.
    With `fast`, markdown-it does the same work with less (markdown_fast): the same HTML."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    plugins = {"footnotes": footnote_plugin, "definitions": deflist_plugin, "directives": directives_plugin,
               "references": refs_plugin}
    for name, plugin in plugins.items():
        if name not in unused:
            md.use(plugin)
    rules = [name for name in unused if name not in plugins]
    if not allow_html:
        rules.append("html_block")  # it would only ever say no
    md.disable(list(dict.fromkeys(rules)))
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=slugify)
    md.use(heading_ids_plugin)
    md.use(_links_plugin)
    md.core.ruler.after("normalize", "course_source", _keep_source)
    if fast:
        fast_paths(md)
    return md


_HEADING_ID = re.compile(r"[\w-]+")


def heading_ids_plugin(md: MarkdownIt) -> None:
    """`## Heading {#id}`: an explicit heading id (attributes parsed by mdit-py-plugins' attrs
    parser), which links and translations keep whatever the heading's words; in a translation,
    a heading without one takes the id of the source's heading in the same place."""
    md.core.ruler.before("anchor", "heading_ids", _heading_ids)


def _explicit_id(inline: Token) -> str | None:
    """Take a trailing `{#id}` off a heading's text; the id, or None."""
    children = inline.children or []
    last = children[-1] if children else None
    if last is None or last.type != "text" or not last.content.rstrip().endswith("}"):
        return None
    text = last.content.rstrip()
    start = text.rfind("{")
    try:
        end, attrs = attrs_parse(text[start:]) if start >= 0 else (0, {})
    except ParseError:
        return None
    if end != len(text) - start - 1 or "id" not in attrs:  # `end` is the index of the closing brace
        return None
    last.content = text[:start].rstrip()
    inline.content = inline.content.rstrip()[: len(inline.content.rstrip()) - (len(text) - start)].rstrip()
    return str(attrs["id"])


def _heading_ids(state: StateCore) -> None:
    ctx: RenderContext | None = state.env.get("render")
    inherited = ctx.env.heading_ids if ctx is not None else ()
    headings = [i for i, t in enumerate(state.tokens) if t.type == "heading_open"]
    for n, idx in enumerate(headings):
        opener, inline = state.tokens[idx], state.tokens[idx + 1]
        explicit = _explicit_id(inline)
        if explicit is not None and not _HEADING_ID.fullmatch(explicit) and ctx is not None:
            where = ctx.at(opener.map[0]) if opener.map else SourceRef(ctx.env.path)
            ctx.env.issues.error(where, f"heading id '{explicit}' may only have letters, digits, '-' and '_'",
                                 "write it as {#words-with-hyphens}")
            explicit = None
        chosen = explicit or (inherited[n] if len(inherited) == len(headings) else None)
        if chosen:
            opener.attrSet("id", chosen)


@functools.lru_cache(maxsize=4096)  # each source lesson once, however many languages translate it
def outline(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A lesson body's heading ids (explicit or from their words) and its `::: check` blocks' YAML,
    in order: what a translation of it inherits. Rendered as the course renders it, its problems
    left to that render."""
    checks: list[str] = []

    def nothing(*_: object) -> None:
        return None

    def check(body: str, *_: object) -> str:
        checks.append(body)
        return ""

    env = MarkdownEnv(path="", line_offset=0, page_anchor="", terms={}, instruments={}, issues=Issues(),
                      resolve_link=nothing, resolve_media=nothing, render_check=check, frameworks_list=lambda *_: "")
    headings = tuple(anchor for _, _, anchor in render_markdown(text, env).headings)
    return headings, tuple(checks)


def _keep_source(state: StateCore) -> None:
    """Positions are computed against the normalised text the rules see."""
    ctx: RenderContext = state.env["render"]
    ctx.src = state.src


def _links_plugin(md: MarkdownIt) -> None:
    """Heading ids, links and images: resolved against the course, after the other rules ran."""
    md.inline.ruler.at("link", _positioned(link, "link_open"))
    md.inline.ruler.at("image", _positioned(image, "image"))
    md.core.ruler.push("course_links", _course_links)


InlineRule = Callable[[StateInline, bool], bool]


def _positioned(rule: InlineRule, opener: str) -> InlineRule:
    """Wrap a built-in inline rule so its token remembers where it started, for issue columns."""

    def positioned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if token.type == opener:
                token.meta["pos"] = start
                break
        return True

    return positioned


# Links and images begin with "[", autolinks and raw HTML with "<": text without either has none to resolve.
_MAY_LINK = re.compile(r"[\[<]")


def _course_links(state: StateCore) -> None:
    ctx: RenderContext = state.env["render"]
    anchors = _prefix_headings(state, ctx)
    for block in state.tokens:
        if block.type == "inline" and block.children and _MAY_LINK.search(block.content):
            _resolve_children(block, block.children, ctx, anchors, state.md)
            if ctx.env.allow_html:
                for child in block.children:
                    if child.type == "html_inline":
                        _raw_html_offline(child.content, ctx.at_inline(block, None), ctx)
                        _raw_html_ids(child.content, ctx.at_inline(block, None), ctx)
        elif block.type == "html_block" and block.map is not None:
            _raw_html_offline(block.content, ctx.at(block.map[0]), ctx)
            _raw_html_ids(block.content, ctx.at(block.map[0]), ctx)


# The ids the course's addresses keep for the glossary's and the frameworks' entries: the runtime opens
# "#g-…" or "#fw-…" on those pages when no loaded page holds it (runtime/pages.js, holding()).
_REFERENCE_ID = re.compile(r"""\s(?i:id)\s*=\s*["']?((?:g-|glossary|fw-|frameworks)[^"'\s>]*)""")


def _raw_html_ids(html: str, where: SourceRef, ctx: RenderContext) -> None:
    """An id in a page's raw HTML that begins like a glossary entry's or an article's: its address would
    open the glossary or the frameworks while its page is not loaded (headings never do: their ids begin
    with their page's). A glossary entry's or an article's own text may."""
    if ctx.env.page_anchor.startswith(("g-", "fw-")):
        return
    for found in _REFERENCE_ID.finditer(html):
        at = where.at(where.line + html.count("\n", 0, found.start()), where.col)
        ctx.env.issues.warning(at, f"raw HTML gives an element the id '{found[1]}', which begins like the glossary's "
                               f"or the frameworks' addresses: '#{found[1]}' would open that page instead",
                               "begin the id otherwise, with a word of this page")


_SCRIPTED = re.compile(r"<\s*script\b|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _raw_html_offline(html: str, where: SourceRef, ctx: RenderContext) -> None:
    """Raw HTML (allow_html) may link to the web, but not make the browser load anything from it.

    A script could fetch anything: it is a warning, which `--strict` makes an error, so that a strict
    check passing still means the course loads nothing from the network.
    """
    scripted = _SCRIPTED.search(html)
    if scripted:
        at = where.at(where.line + html.count("\n", 0, scripted.start()), where.col)
        ctx.env.issues.warning(at, "raw HTML runs a script: the builder cannot check that it loads nothing from "
                               "the network", "remove the script if you can; --strict refuses it")
    for offset, url in html_fetches(html):
        at = where.at(where.line + html.count("\n", 0, offset), where.col if "\n" not in html[:offset] else 1)
        shown = "@import in a <style>" if url == "@import" else f"'{url}'"
        ctx.env.issues.error(at, f"raw HTML loads {shown} from the network; the course must work offline",
                             "download the file into media/ and name it there; a link (<a href>) may point to the web")


def _prefix_headings(state: StateCore, ctx: RenderContext) -> dict[str, str]:
    """Every lesson shares one page, so heading ids carry the page anchor; returns slug → id."""
    prefix = ctx.env.page_anchor
    anchors: dict[str, str] = {}
    for idx, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        slug = str(token.attrGet("id") or "")
        anchor = f"{prefix}--{slug}" if prefix else slug
        token.attrSet("id", anchor)
        anchors[slug] = anchor
        children = state.tokens[idx + 1].children or []
        text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        ctx.result.headings.append((int(token.tag[1]), text, anchor))
    return anchors


def _resolve_children(
    block: Token, children: list[Token], ctx: RenderContext, anchors: dict[str, str], md: MarkdownIt
) -> None:
    for idx, token in enumerate(children):
        if token.type == "link_open":
            _resolve_link(block, token, children, idx, ctx, anchors, md)
        elif token.type == "image":
            children[idx] = _resolve_image(block, token, ctx, md)


def _resolve_link(
    block: Token,
    token: Token,
    children: list[Token],
    idx: int,
    ctx: RenderContext,
    anchors: dict[str, str],
    md: MarkdownIt,
) -> None:
    href = str(token.attrGet("href") or "")
    if not href:
        return  # markdown-it's validateLink already emptied an unsafe href
    parts = urlsplit(_link_text(md, href))
    if parts.scheme:
        token.attrSet("class", "external")
        token.attrSet("rel", "noopener")
        return
    if href.startswith("#"):
        if parts.fragment in anchors:
            token.attrSet("href", "#" + anchors[parts.fragment])
        return
    if href.startswith("/"):
        return
    where = ctx.at_inline(block, token.meta.get("pos"))
    if parts.path.lower().endswith(_PAGE_SUFFIXES):  # a page, not a file
        url = ctx.env.resolve_link(parts.path + (f"#{parts.fragment}" if parts.fragment else ""), where)
        if url is not None:
            route, _, element_id = url.partition("#")[2].partition("#")
            token.attrSet("href", _link(md, "#" + route))
            if element_id:
                token.attrSet("data-anchor", element_id)
    else:
        url = (ctx.env.resolve_file or ctx.env.resolve_media)(parts.path, where)
        if url is not None:
            query = f"?{parts.query}" if parts.query else ""
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            token.attrSet("href", _link(md, url) + query + fragment)
    if url is None:
        _drop_link(children, idx)


_PLAIN_URL = re.compile(r"(?!/)[A-Za-z0-9._~/#-]*\Z")  # what markdown-it's URL normalising leaves as it is


def _link(md: MarkdownIt, url: str) -> str:
    """`md.normalizeLink`, skipped for the plain paths and routes most links are."""
    return url if _PLAIN_URL.match(url) else md.normalizeLink(url)


def _link_text(md: MarkdownIt, url: str) -> str:
    """`md.normalizeLinkText` (percent escapes decoded), skipped for plain paths."""
    return url if _PLAIN_URL.match(url) else md.normalizeLinkText(url)


def _drop_link(children: list[Token], idx: int) -> None:
    """Keep a broken link's text: the resolver has already reported it."""
    children[idx].hidden = True
    depth = 0
    for token in children[idx:]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
            if depth == 0:
                token.hidden = True
                return


def _resolve_image(block: Token, token: Token, ctx: RenderContext, md: MarkdownIt) -> Token:
    where = ctx.at_inline(block, token.meta.get("pos"))
    if not token.content.strip():
        report = ctx.env.issues.error if ctx.env.strict else ctx.env.issues.warning
        report(where, "image has no alt text", "describe the image in ![...]")
    src = _link_text(md, str(token.attrGet("src") or ""))
    url = ctx.env.resolve_media(src, where) if src else None
    if url is None:
        return Token("text", "", 0, content=token.content)
    path = src.split("#", 1)[0].split("?", 1)[0]  # the file, without a fragment or query
    kind = _media_kind(path)
    if kind is not None:
        return _media_player(kind, path, _link(md, url), token.content, where, ctx, md)
    token.attrSet("src", _link(md, url))
    token.attrSet("loading", "lazy")
    token.attrSet("decoding", "async")
    return token


_PAGE_SUFFIXES = tuple(PAGE_SUFFIXES)
_VIDEO = (".mp4", ".webm", ".ogv", ".m4v")
_AUDIO = (".mp3", ".ogg", ".oga", ".m4a", ".wav", ".opus")


def _media_kind(path: str) -> str | None:
    path = path.lower()
    return "video" if path.endswith(_VIDEO) else "audio" if path.endswith(_AUDIO) else None


def _media_player(kind: str, path: str, url: str, label: str, where: SourceRef, ctx: RenderContext,
                  md: MarkdownIt) -> Token:
    """`![Label](talk.mp4)` plays in place; `talk.vtt` beside it becomes its captions track."""
    stem = path.rsplit(".", 1)[0]
    find = ctx.env.find_media
    captions = find(stem + ".vtt", where) if find is not None else None
    if captions is None:
        report = ctx.env.issues.error if ctx.env.strict else ctx.env.issues.warning
        report(where, f"{kind} has no captions", f"add a WebVTT file beside it: {stem}.vtt")
    text = escape_html(label)
    track = (f'<track kind="captions" src="{escape_html(captions)}" default label="{text}">'
             if captions else "")
    html = (f'<{kind} class="media-player" controls preload="metadata" aria-label="{text}" '
            f'src="{escape_html(url)}">{track}<a href="{escape_html(url)}">{text}</a></{kind}>')
    return Token("html_inline", "", 0, content=html)

