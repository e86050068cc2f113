"""Glossary term references `[[Term]]` and legal references `[[@id:article]]` in Markdown."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from builder.errors import did_you_mean

if TYPE_CHECKING:
    from builder.markdown import RenderContext


def refs_plugin(md: MarkdownIt) -> None:
    """Parse `[[...]]` into reference tokens, then resolve them against the course in a core rule."""
    md.inline.ruler.before("link", "course_ref", _ref_rule)
    md.inline.add_terminator_char("|")  # so `[[Term|]]` can stop its label at the bar
    md.core.ruler.push("course_refs", _resolve_refs)


def fold_term(text: str) -> str:
    """How a written term is matched: case-insensitive, whitespace runs folded."""
    return " ".join(text.split()).lower()


def _ref_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("[[", start) or state.linkLevel > 0:
        return False
    end = src.find("]]", start + 2, state.posMax)
    if end < 0:  # keep the text, and leave a mark so the trainer hears of it
        if not silent:
            state.push("ref_unclosed", "", 0).meta["pos"] = start
            state.push("text", "", 0).content = "[["
        state.pos = start + 2
        return True
    inner = src[start + 2 : end]
    escaped = inner.find("\\|")  # in a table cell the bar must be escaped: [[Term\|shown text]]
    if escaped >= 0:
        target, label_offset = inner[:escaped], escaped + 2
    else:
        target = inner.partition("|")[0]
        label_offset = len(target) + 1
    bar = label_offset <= len(inner)
    if "[" in inner or not target.strip():
        return False
    if not silent:
        if target.lstrip().startswith("@"):
            opener = _push_legal_ref(state, inner)
        elif bar and inner[label_offset:].strip():
            opener = _push_term_ref(state, target, start + 2 + label_offset, end)
        else:
            opener = _push_term_ref(state, target, start + 2, start + 2 + len(target))
        opener.meta["pos"] = start
    state.pos = end + 2
    return True


def _push_term_ref(state: StateInline, target: str, label_start: int, label_end: int) -> Token:
    """The shown text is parsed as inline Markdown, as a link's label is.

    The label must end on a terminator character (`]` or `|`): markdown-it's text rule reads up
    to the next one, whatever posMax says. So trailing space is trimmed from the last token instead.
    """
    while label_start < label_end and state.src[label_start].isspace():
        label_start += 1
    old_max = state.posMax
    token = state.push("term_ref_open", "a", 1)
    token.meta["written"] = " ".join(target.split())
    state.pos, state.posMax = label_start, label_end
    state.linkLevel += 1
    state.md.inline.tokenize(state)
    state.linkLevel -= 1
    state.posMax = old_max
    if state.tokens[-1].type == "text":
        state.tokens[-1].content = state.tokens[-1].content.rstrip()
    state.push("term_ref_close", "a", -1)
    return token


def _push_legal_ref(state: StateInline, inner: str) -> Token:
    """`@id:8(4)` cites article 8; what follows the article number, like `(4)`, stays text."""
    instrument, colon, rest = inner.strip()[1:].partition(":")
    rest = rest.strip()
    article_end = 0
    while article_end < len(rest) and _is_article_char(rest[article_end]):
        article_end += 1
    token = state.push("legal_ref_open", "a", 1)
    token.meta["instrument"] = instrument.strip()
    token.meta["article"] = rest[:article_end] if colon else None
    state.push("text", "", 0).content = f"[[{inner}]]"
    state.push("legal_ref_close", "a", -1)
    if rest[article_end:]:
        state.push("text", "", 0).content = rest[article_end:]
    return token


def _is_article_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == ".")


def _resolve_refs(state: StateCore) -> None:
    ctx: RenderContext = state.env["render"]
    for block in state.tokens:
        if block.type != "inline" or not block.children or "[[" not in block.content:
            continue  # only _ref_rule makes reference tokens, from a "[[" in the text
        children = block.children
        for idx, token in enumerate(children):
            if token.type == "term_ref_open":
                _resolve_term(ctx, block, children, idx)
            elif token.type == "legal_ref_open":
                _resolve_legal(ctx, block, children, idx)
            elif token.type == "ref_unclosed":
                token.hidden = True
                ctx.env.issues.warning(ctx.at_inline(block, token.meta["pos"]), "'[[' is not closed by ']]'",
                                       "close the reference; in a table cell write [[term\\|shown text]]")


def _resolve_term(ctx: RenderContext, block: Token, children: list[Token], idx: int) -> None:
    token = children[idx]
    written = token.meta["written"]
    target = ctx.env.terms.get(fold_term(written))
    if target is None:
        shown = {k: (t.term if k == t.term.lower() else k) for k, t in ctx.env.terms.items()}
        hint = did_you_mean(written, shown.values()) or "add it to glossary.yaml"
        where = ctx.at_inline(block, token.meta.get("pos"))
        ctx.env.issues.error(where, f"unknown glossary term '{written}'", hint)
        _hide(children, idx, "term_ref_close")
        return
    token.attrs = {"class": "term-ref", "href": f"#g-{target.id}", "data-term": target.id}
    ctx.result.terms.add(target.id)


def _resolve_legal(ctx: RenderContext, block: Token, children: list[Token], idx: int) -> None:
    token = children[idx]
    name, article = token.meta["instrument"], token.meta["article"]
    instruments = ctx.env.instruments
    target = instruments.get(name) or instruments.get(name.lower())
    where = ctx.at_inline(block, token.meta.get("pos"))
    if target is None:
        hint = did_you_mean(name, instruments) or "add it to frameworks.yaml"
        ctx.env.issues.error(where, f"unknown legal instrument '{name}'", hint)
        _hide(children, idx, "legal_ref_close")
        return
    if article is not None:
        found = _find_article(article, target.articles)
        if found is None:
            hint = did_you_mean(article, target.articles) or _articles_hint(target.id, target.articles)
            ctx.env.issues.error(where, f"unknown article '{article}' of '{target.id}'", hint)
            _hide(children, idx, "legal_ref_close")
            return
        article = found
    token.attrs = {"class": "legal-ref", "href": f"#fw-{target.id}", "data-instrument": target.id}
    children[idx + 1].content = target.short
    if article is not None:
        token.attrs["href"] = f"#fw-{target.id}--art-{article}"
        token.attrs["data-article"] = article
        children[idx + 1].content = ctx.env.article_label.replace("{short}", target.short).replace(
            "{number}", article)
    ctx.result.refs.add((target.id, article))


def _articles_hint(instrument: str, articles: Mapping[str, str]) -> str:
    if articles:
        return f"'{instrument}' lists articles {', '.join(articles)}"
    return f"add it to the articles of '{instrument}' in frameworks.yaml"


def _find_article(article: str, articles: Mapping[str, str]) -> str | None:
    """Exact first, then case-insensitive: `p1` finds article `P1`."""
    if article in articles:
        return article
    return next((number for number in articles if number.lower() == article.lower()), None)


def _hide(children: list[Token], idx: int, close_type: str) -> None:
    """An unresolved reference keeps its text and loses its link: the error says why."""
    children[idx].hidden = True
    for token in children[idx + 1 :]:
        if token.type == close_type:
            token.hidden = True
            return
