"""Colon-fenced directives: callouts, reveal, tabs, the content blocks (accordion, columns, cards,
timeline, steps, flipcard, quote, figure), `::: frameworks` and `::: check`."""
from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.utils import is_code_block

from builder.errors import SourceRef, did_you_mean

if TYPE_CHECKING:
    from markdown_it.renderer import RendererProtocol
    from markdown_it.utils import OptionsDict

    from builder.markdown import RenderContext

CALLOUTS = ("note", "tip", "warning", "important")
# A group holds only blocks of one child name; the child's kind (its markup) depends on the group.
GROUPS = {
    "tabs": ("tab", "tab"),
    "accordion": ("item", "accordion-item"),
    "cards": ("item", "card"),
    "timeline": ("item", "timeline-item"),
    "steps": ("item", "step"),
    "columns": ("column", "column"),
}
CHILDREN = {child: tuple(group for group, (name, _) in GROUPS.items() if name == child)
            for child, _ in GROUPS.values()}
DIRECTIVES = tuple(sorted({*CALLOUTS, *GROUPS, *CHILDREN, "reveal", "flipcard", "quote", "figure", "frameworks",
                           "check"}))
FRAMEWORK_ARGS = ("level", "jurisdiction")
FIGURE_ARGS = {"size": ("small", "medium", "large", "full"), "align": ("start", "center", "end")}
# kind → (wrapper tag, title tag, title class); a kind is also the wrapper's class
WRAPPERS = {
    "callout": ("aside", "p", "callout-title"),
    "reveal": ("details", "summary", ""),
    "tabs": ("div", "", ""),
    "tab": ("section", "h3", "tab-title"),
    "accordion": ("div", "", ""),
    "accordion-item": ("details", "summary", ""),
    "cards": ("ul", "", ""),
    "card": ("li", "h3", "card-title"),
    "timeline": ("ol", "", ""),
    "timeline-item": ("li", "h3", "timeline-title"),
    "steps": ("ol", "", ""),
    "step": ("li", "h3", "step-title"),
    "columns": ("div", "", ""),
    "column": ("div", "h3", "column-title"),
    "flipcard": ("div", "p", "flipcard-front"),
    "quote": ("figure", "", ""),
    "figure": ("figure", "", ""),
    "directive": ("div", "", ""),
}
# kind → (tag, class) of an element around the body: the card's back, the quoted words
BODY_WRAPPERS = {"flipcard": ("div", "flipcard-back"), "quote": ("blockquote", "quote-text")}


def directives_plugin(md: MarkdownIt) -> None:
    """A block rule of our own rather than mdit's container: the closing line must skip nested openers."""
    md.block.ruler.before(
        "fence",
        "directive",
        _directive_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]},
    )
    md.core.ruler.after("inline", "figures", _figures)
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
    """Every block with Markdown inside: a wrapper, an optional title, and the body parsed as Markdown."""
    kind, title = _wrapper(ctx, where, name, args)
    tag, title_tag, title_class = WRAPPERS[kind]
    opener = state.push(f"{kind}_open", tag, 1)
    opener.attrs = {} if kind == "directive" else _attrs(ctx, where, kind, name, args)
    opener.map = [start_line, close_line]
    opener.hidden = kind == "directive"  # an unknown directive keeps its content, unwrapped
    if title_tag and title:
        _title(state, start_line, title_tag, title_class, title)
    wrap_tag, wrap_class = BODY_WRAPPERS.get(kind, ("", ""))
    if wrap_tag:
        state.push("directive_body_open", wrap_tag, 1).attrSet("class", wrap_class)
    body_start = len(state.tokens)
    _body(state, ctx, name, start_line, close_line)
    if wrap_tag:
        state.push("directive_body_close", wrap_tag, -1)
    if name in GROUPS:
        _check_group(state, ctx, name, state.tokens[body_start:], where)
    elif kind == "quote" and title:
        _title(state, start_line, "figcaption", "quote-attribution", title)
    state.push(f"{kind}_close", tag, -1).hidden = opener.hidden


def _attrs(ctx: RenderContext, where: SourceRef, kind: str, name: str, args: str) -> dict[str, str | int | float]:
    if kind == "callout":
        return {"class": f"callout callout-{name}", "role": "note"}
    if kind == "figure":
        options = _options(ctx, where, name, args, FIGURE_ARGS)
        size, align = options.get("size", "full"), options.get("align", "center")
        return {"class": f"figure figure-{size} figure-{align}"}
    return {"class": kind}


def _wrapper(ctx: RenderContext, where: SourceRef, name: str, args: str) -> tuple[str, str]:
    """The token kind and title of a container directive, reporting what is wrong with it."""
    issues = ctx.env.issues
    if name in CALLOUTS:
        return "callout", args or name.capitalize()
    if name == "reveal":
        if not args:
            issues.error(where, "'reveal' needs a title", "write '::: reveal Title'")
        return "reveal", args or "Reveal"
    if name in GROUPS:
        if args:
            hint = f"put a heading above it, and the titles on its ':::: {GROUPS[name][0]} Title' lines"
            issues.error(where, f"'{name}' takes no title", hint)
        return name, ""
    if name in CHILDREN:
        return _child(ctx, where, name, args)
    if name == "flipcard":
        if not args:
            issues.error(where, "'flipcard' needs the text of its front", "write '::: flipcard Front text'")
        return "flipcard", args or "?"
    if name in ("quote", "figure"):
        return name, args
    hint = did_you_mean(name, DIRECTIVES)
    issues.error(where, f"unknown directive '{name}'; known directives: {', '.join(DIRECTIVES)}", hint)
    return "directive", ""


def _child(ctx: RenderContext, where: SourceRef, name: str, args: str) -> tuple[str, str]:
    """`tab`, `item` and `column`: their markup is their group's; a title is required but for columns."""
    issues = ctx.env.issues
    parents = CHILDREN[name]
    parent = ctx.open_directives[-1] if ctx.open_directives else ""
    if parent not in parents:
        where_to = " or ".join(f"'::: {group}'" for group in parents)
        listed = " or ".join(f"'{group}'" for group in parents)
        issues.error(where, f"'{name}' outside {listed}", f"put it inside {where_to} as ':::: {name} Title'")
        parent = parents[0]
    if not args and name != "column":
        issues.error(where, f"'{name}' needs a title", f"write ':::: {name} Title'")
        return GROUPS[parent][1], name.capitalize()
    return GROUPS[parent][1], args


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


def _check_group(state: StateBlock, ctx: RenderContext, name: str, body: list[Token], where: SourceRef) -> None:
    """A group holds its children and nothing else, and at least one of them."""
    child, kind = GROUPS[name]
    level = state.level
    children = 0
    for token in body:
        if token.level != level or token.nesting < 0 or token.hidden:
            continue
        if token.type == f"{kind}_open":
            children += 1
        elif token.map:
            ctx.env.issues.error(
                ctx.at(token.map[0]),
                f"only '{child}' blocks may be inside '{name}'",
                f"move this content into a ':::: {child} Title' block",
            )
    if not children:
        ctx.env.issues.error(where, f"'{name}' has no '{child}'", f"add ':::: {child} Title' blocks inside it")


def _figures(state: StateCore) -> None:
    """Once inline content is parsed: a figure's first paragraph is its image, shown bare, and the
    paragraphs after it are its caption."""
    tokens = state.tokens
    for idx in reversed(range(len(tokens))):
        if tokens[idx].type == "figure_open":
            _figure_body(tokens, idx, state.env["render"])


def _figure_body(tokens: list[Token], start: int, ctx: RenderContext) -> None:
    opener = tokens[start]
    end = next(i for i in range(start + 1, len(tokens))
               if tokens[i].type == "figure_close" and tokens[i].level == opener.level)
    body = tokens[start + 1 : end]
    inline = body[1] if len(body) > 2 and body[0].type == "paragraph_open" else None
    children = inline.children or [] if inline else []
    images = [child for child in children if child.type == "image"]
    if not images or any(_beside_image(child) for child in children):
        line = body[0].map[0] if body and body[0].map else (opener.map or [0])[0]
        hint = "put '![What it shows](../../media/file.png)' alone on the first line inside the figure"
        ctx.env.issues.error(ctx.at(line), "a 'figure' starts with its image", hint)
        return
    body[0].hidden = body[2].hidden = True
    body[2].block = True  # a line break after the image
    if len(body) > 3:
        tokens.insert(end, Token("figcaption_close", "figcaption", -1, block=True))
        tokens.insert(start + 4, Token("figcaption_open", "figcaption", 1, block=True))


def _beside_image(token: Token) -> bool:
    """Whether an inline token is more than the image and the spaces around it."""
    return token.type not in ("image", "softbreak") and (token.type != "text" or bool(token.content.strip()))


def _options(
    ctx: RenderContext, where: SourceRef, name: str, args: str, known: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """`key=value` arguments with values from a known list."""
    issues = ctx.env.issues
    options: dict[str, str] = {}
    for word in args.split():
        key, equals, value = word.partition("=")
        if not equals or key not in known:
            hint = did_you_mean(key, tuple(known)) or f"write {' '.join(f'{k}={v[0]}' for k, v in known.items())}"
            issues.error(where, f"unknown argument '{word}' for '{name}'", hint)
        elif value not in known[key]:
            hint = did_you_mean(value, known[key]) or f"use one of: {', '.join(known[key])}"
            issues.error(where, f"'{key}' of '{name}' is '{value}'; it is one of: {', '.join(known[key])}", hint)
        else:
            options[key] = value
    return options


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
