"""Colon-fenced directives (`::: note`, `::: reveal`, `::: tabs`, `::: frameworks`, `::: check`)."""
from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.utils import is_code_block

from builder.errors import SourceRef, did_you_mean

if TYPE_CHECKING:
    from markdown_it.renderer import RendererProtocol
    from markdown_it.utils import OptionsDict

    from builder.markdown import RenderContext

CALLOUTS = ("note", "tip", "warning", "important")
DIRECTIVES = tuple(sorted((*CALLOUTS, "reveal", "tabs", "tab", "frameworks", "check")))
FRAMEWORK_ARGS = ("level", "jurisdiction")
# kind → (wrapper tag, title tag, title class)
WRAPPERS = {
    "callout": ("aside", "p", "callout-title"),
    "reveal": ("details", "summary", ""),
    "tabs": ("div", "", ""),
    "tab": ("section", "h3", "tab-title"),
    "directive": ("div", "", ""),
}


def directives_plugin(md: MarkdownIt) -> None:
    """A block rule of our own rather than mdit's container: the closing line must skip nested openers."""
    md.block.ruler.before(
        "fence",
        "directive",
        _directive_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]},
    )
    md.add_render_rule("frameworks", _render_frameworks)
    md.add_render_rule("check", _render_check)


def _directive_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    if not state.src.startswith(":::", start, maximum):
        return False
    if silent:
        return True
    marker = _run(state.src[start:maximum], ":")
    info = state.src[start + marker : maximum].strip()
    ctx: RenderContext = state.env["render"]
    where = ctx.at_offset(start_line, start)
    if not info:
        hint = "remove it, or open one with '::: name'"
        ctx.env.issues.error(where, f"'{':' * marker}' closes no directive", hint)
        state.line = start_line + 1
        return True
    name, _, args = info.partition(" ")
    close_line, closed = _find_close(state, start_line, end_line, marker)
    if not closed:
        hint = f"close it with a line of '{':' * marker}'"
        ctx.env.issues.error(where, f"unclosed directive '{name}'", hint)
    if name == "check":
        _check(state, ctx, start_line, close_line)
    elif name == "frameworks":
        _frameworks(state, ctx, where, args.strip(), start_line, close_line)
    else:
        _container(state, ctx, where, name, args.strip(), start_line, close_line)
    state.line = close_line + 1 if closed else close_line
    return True


def _run(text: str, char: str) -> int:
    """How many times text starts with char."""
    return len(text) - len(text.lstrip(char))


def _find_close(state: StateBlock, start_line: int, end_line: int, marker: int) -> tuple[int, bool]:
    """The line closing the directive and whether it exists.

    A bare colon line closes the innermost open directive it is at least as long as, so nested
    directives close with their own lines whatever their colon counts. Fenced code is skipped.
    """
    nested: list[int] = []
    fence = ""
    line = start_line
    while True:
        line += 1
        if line >= end_line:
            return line, False
        start = state.bMarks[line] + state.tShift[line]
        maximum = state.eMarks[line]
        if start < maximum and state.sCount[line] < state.blkIndent:
            return line, False  # the parent block (a list item) ends here
        if is_code_block(state, line):
            continue
        text = state.src[start:maximum]
        if fence:
            if text.startswith(fence) and not text.lstrip(fence[0]).strip():
                fence = ""
            continue
        if text.startswith(("```", "~~~")):
            fence = text[0] * _run(text, text[0])
            continue
        if not text.startswith(":::"):
            continue
        colons = _run(text, ":")
        if text[colons:].strip():
            nested.append(colons)
            continue
        while nested and nested[-1] > colons:
            nested.pop()
        if nested:
            nested.pop()
        elif colons >= marker:
            return line, True


def _container(
    state: StateBlock,
    ctx: RenderContext,
    where: SourceRef,
    name: str,
    args: str,
    start_line: int,
    close_line: int,
) -> None:
    """Callouts, reveal, tabs and tab: a wrapper, an optional title, and the body parsed as Markdown."""
    kind, title = _wrapper(ctx, where, name, args)
    tag, title_tag, title_class = WRAPPERS[kind]
    attrs = {"class": f"callout callout-{name}", "role": "note"} if kind == "callout" else {"class": kind}
    opener = state.push(f"{kind}_open", tag, 1)
    opener.attrs = attrs if kind != "directive" else {}
    opener.map = [start_line, close_line]
    opener.hidden = kind == "directive"  # an unknown directive keeps its content, unwrapped
    if title_tag:
        _title(state, start_line, title_tag, title_class, title)
    body_start = len(state.tokens)
    _body(state, ctx, name, start_line, close_line)
    if kind == "tabs":
        _check_tabs(state, ctx, state.tokens[body_start:], where)
    state.push(f"{kind}_close", tag, -1).hidden = opener.hidden


def _wrapper(ctx: RenderContext, where: SourceRef, name: str, args: str) -> tuple[str, str]:
    """The token kind and title of a container directive, reporting what is wrong with it."""
    issues = ctx.env.issues
    if name in CALLOUTS:
        return "callout", args or name.capitalize()
    if name == "reveal":
        if not args:
            issues.error(where, "'reveal' needs a title", "write '::: reveal Title'")
        return "reveal", args or "Reveal"
    if name == "tabs":
        return "tabs", ""
    if name == "tab":
        if not ctx.open_directives or ctx.open_directives[-1] != "tabs":
            issues.error(where, "'tab' outside 'tabs'", "put it inside '::: tabs' as ':::: tab Title'")
        if not args:
            issues.error(where, "'tab' needs a title", "write ':::: tab Title'")
        return "tab", args or "Tab"
    hint = did_you_mean(name, DIRECTIVES)
    issues.error(where, f"unknown directive '{name}'; known directives: {', '.join(DIRECTIVES)}", hint)
    return "directive", ""


def _title(state: StateBlock, line: int, tag: str, css_class: str, text: str) -> None:
    """Titles are inline Markdown, so `[[Term]]` works in them too."""
    token = state.push("directive_title_open", tag, 1)
    if css_class:
        token.attrSet("class", css_class)
    inline = state.push("inline", "", 0)
    inline.content = text
    inline.map = [line, line + 1]
    inline.children = []
    state.push("directive_title_close", tag, -1)


def _body(state: StateBlock, ctx: RenderContext, name: str, start_line: int, close_line: int) -> None:
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "directive"
    state.lineMax = close_line  # no lazy continuation past the closing line
    ctx.open_directives.append(name)
    state.md.block.tokenize(state, start_line + 1, close_line)
    ctx.open_directives.pop()
    state.parentType, state.lineMax = old_parent, old_max


def _check_tabs(state: StateBlock, ctx: RenderContext, body: list[Token], where: SourceRef) -> None:
    level = state.level
    tabs = 0
    for token in body:
        if token.level != level or token.nesting < 0 or token.hidden:
            continue
        if token.type == "tab_open":
            tabs += 1
        elif token.map:
            ctx.env.issues.error(
                ctx.at(token.map[0]),
                "only 'tab' blocks may be inside 'tabs'",
                "move this content into a ':::: tab Title' block",
            )
    if not tabs:
        ctx.env.issues.error(where, "'tabs' has no 'tab'", "add ':::: tab Title' blocks inside it")


def _check(state: StateBlock, ctx: RenderContext, start_line: int, close_line: int) -> None:
    """A check's body is YAML for one question, handed to the quiz renderer untouched."""
    ctx.checks += 1
    token = state.push("check", "div", 0)
    token.content = state.getLines(start_line + 1, close_line, state.sCount[start_line], True)
    token.map = [start_line, close_line]
    token.meta = {"n": ctx.checks, "where": ctx.at(start_line + 1)}


def _frameworks(
    state: StateBlock, ctx: RenderContext, where: SourceRef, args: str, start_line: int, close_line: int
) -> None:
    issues = ctx.env.issues
    options: dict[str, str] = {}
    try:
        words = shlex.split(args)
    except ValueError as exc:
        issues.error(where, f"cannot read the arguments of 'frameworks': {exc}", "write key=value pairs")
        words = []
    for word in words:
        key, equals, value = word.partition("=")
        if not equals:
            hint = "write level=international"
            issues.error(where, f"expected key=value in 'frameworks', got '{word}'", hint)
        elif key not in FRAMEWORK_ARGS:
            hint = did_you_mean(key, FRAMEWORK_ARGS) or "use level= or jurisdiction="
            issues.error(where, f"unknown argument '{key}' for 'frameworks'", hint)
        else:
            options[key] = value
    if state.getLines(start_line + 1, close_line, 0, False).strip():
        hint = "move the text outside the directive"
        issues.error(ctx.at(start_line + 1), "'frameworks' takes no content", hint)
    token = state.push("frameworks", "ul", 0)
    token.map = [start_line, close_line]
    token.meta = {"args": options, "where": where}


def _render_frameworks(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    ctx: RenderContext = env["render"]
    meta = tokens[idx].meta
    return _block_html(ctx.env.frameworks_list(meta["args"], meta["where"]))


def _render_check(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    ctx: RenderContext = env["render"]
    token = tokens[idx]
    return _block_html(ctx.env.render_check(token.content, token.meta["where"], token.meta["n"]))


def _block_html(html: str) -> str:
    return html if html.endswith("\n") else html + "\n"
