"""markdown-it's work done with less of it: the same tokens, for less CPU.

Block rules are tried only where they can match. markdown-it tries its block rules one after the
other at the start of every block, and, for every line of every paragraph, list item and quote, it
tries each rule that may end that block (`table`, `fence`, `list`, `heading`, ...) in silent mode. Almost every such call looks at the first
non-space character of the line and says no: a line of prose cannot start a list. Here each chain
of block rules (`ruler.getRules(chain)`, which every caller in markdown-it and its plugins loops
over) becomes one rule that reads that character once and calls, in their order, only the rules
that may match a line starting with it. A rule left out would have returned False without
touching the state, so the tokens are the ones markdown-it makes.

What each rule needs is read from its source (markdown-it-py 4.3, mdit-py-plugins 0.7, our directives):
each returns False, before it changes anything, unless the character at `bMarks + tShift` of its
line is one of `_FIRST_CHARS`. A rule not listed there (a theme's, a plugin's, a fence made with
other markers) is always called. `table` looks at the next line instead: its delimiter row starts
with `|`, `-` or `:` and a second character (see _may_be_table). A line indented as code, or an
empty one, has every rule tried.

And markdown-it's `normalize`, which rewrote every line break as itself, runs only when it changes
something; a text without inline syntax becomes its text token without the inline parser (`inline`);
a table row with no backslash is cut into cells by `str.split` (`_split_cells`).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from types import CodeType, FunctionType

from markdown_it import MarkdownIt, rules_block, rules_core, rules_inline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote.index import footnote_def

from builder.markdown_directives import _directive_rule

BlockRule = Callable[[StateBlock, int, int, bool], bool]
Chosen = dict[str, tuple[tuple[BlockRule, ...], tuple[BlockRule, ...]]]

_DIGITS = "0123456789"
# rule → the first characters of a line it may match: (when silent, as a terminator; when not)
_FIRST_CHARS: dict[object, tuple[str, str]] = {
    rules_block.fence: ("`~", "`~"),  # the stock instance: make_fence_rule's other markers are unknown
    rules_block.blockquote: (">", ">"),
    rules_block.hr: ("*-_", "*-_"),
    rules_block.list_block: ("*-+" + _DIGITS, "*-+" + _DIGITS),
    rules_block.reference: ("[", "["),
    rules_block.html_block: ("<", "<"),
    rules_block.heading: ("#", "#"),
    rules_block.code: ("", ""),  # only on a line indented as code, where every rule is tried
    footnote_def: ("[", "["),
    _directive_rule: (":", ":"),
}


def _deflist_code() -> CodeType:
    """deflist is a closure made by its plugin: it is known by its code. Silent, it checks the line's
    own `:` or `~` marker; otherwise it looks for the marker on the lines below, so it is always tried."""
    rules = MarkdownIt().use(deflist_plugin).block.ruler.getRules("")
    return next(rule.__code__ for rule in rules if rule.__name__ == "deflist")


_DEFLIST = _deflist_code()
_DEFLIST_SILENT = ":~"
_TABLE_DELIMITER_STARTS = "|-:"


def _split_cells(row: str) -> list[str]:
    """markdown-it's `escapedSplit`, which walks a table row a character at a time to find the pipes a
    backslash escapes: a row without a backslash has none, and is cut at every pipe."""
    return row.split("|") if "\\" not in row else _escaped_split(row)


_TABLE_MODULE = sys.modules[rules_block.table.__module__]
_escaped_split = _TABLE_MODULE.escapedSplit
# markdown-it's `table` rule itself, its rows split by `_split_cells`: the same code, other globals.
_table = FunctionType(rules_block.table.__code__, {**vars(_TABLE_MODULE), "escapedSplit": _split_cells}, "table",
                      rules_block.table.__defaults__, rules_block.table.__closure__)
_TABLE_RULES = (rules_block.table, _table)


def fast_paths(md: MarkdownIt) -> None:
    """markdown-it's work on `md` done with less: the same tokens (see the module's docstring)."""
    stock_table = [rule for rule in md.block.ruler.__rules__ if rule.fn is rules_block.table]
    if stock_table:  # not a plugin's own table; it still ends a paragraph or a reference (its `alt`)
        md.block.ruler.at("table", _table, {"alt": stock_table[0].alt})
    dispatch_block_rules(md)
    core = md.core.ruler.getRules("")
    for name, stock, fast in (("normalize", rules_core.normalize, normalize), ("inline", rules_core.inline, inline)):
        if stock in core:  # not a plugin's own version of it
            md.core.ruler.at(name, fast)


# What markdown-it runs after the inline rules; with no emphasis delimiter in the text, each leaves
# a lone text token as it is (fragments_join gives it level 0, which it has).
_NOTHING_TO_DO_FOR_PLAIN_TEXT = {
    rules_inline.link_pairs, rules_inline.strikethrough.postProcess, rules_inline.emphasis.postProcess,
    rules_inline.fragments_join,
}


def inline(state: StateCore) -> None:
    """markdown-it's core `inline` rule, but a text with no character an inline rule starts at (most
    table cells, list items and headings) becomes its one text token at once: the `text` rule, first
    of the inline rules, would take it whole and nothing after it would change it."""
    md = state.md
    parser = md.inline
    rules = parser.ruler.getRules("")
    plain = (bool(rules) and rules[0] is rules_inline.text
             and _NOTHING_TO_DO_FOR_PLAIN_TEXT.issuperset(parser.ruler2.getRules("")))
    terminator = parser.terminator_re
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if plain and token.content and not token.children and terminator.search(token.content) is None:
            text = Token("text", "", 0)
            text.content = token.content
            token.children.append(text)
        else:
            parser.parse(token.content, md, state.env, token.children)


def normalize(state: StateCore) -> None:
    """markdown-it's `normalize` (CR and CRLF to LF, NUL to U+FFFD), its substitutions made only when
    the text holds a CR or a NUL: replacing every LF by itself cost more than the rest of it."""
    if "\r" in state.src:
        state.src = NEWLINES_RE.sub("\n", state.src)
    if "\0" in state.src:
        state.src = NULL_RE.sub("\ufffd", state.src)


def dispatch_block_rules(md: MarkdownIt) -> None:
    """Make every chain of `md`'s block rules call only the rules that may match at a line's start."""
    ruler = md.block.ruler
    stock_get_rules = ruler.getRules
    made: dict[str, tuple[list[BlockRule], list[BlockRule]]] = {}

    def get_rules(chain: str = "") -> list[BlockRule]:
        rules = stock_get_rules(chain)
        kept = made.get(chain)
        if kept is None or kept[0] is not rules:  # the ruler compiled its chains again (a rule was enabled...)
            kept = made[chain] = (rules, [_Dispatch(rules)] if rules else rules)
        return kept[1]

    ruler.getRules = get_rules  # type: ignore[method-assign]


def _may_match(rule: BlockRule, char: str, silent: bool) -> bool:
    """Whether `rule` may match a line whose first non-space character is `char` (table aside)."""
    chars = _FIRST_CHARS.get(rule)
    if chars is not None:
        return char in chars[0 if silent else 1]
    if getattr(rule, "__code__", None) is _DEFLIST:
        return not silent or char in _DEFLIST_SILENT
    return True


class _Dispatch:
    """One chain of block rules as a single rule: the first of them that matches the line."""

    def __init__(self, rules: list[BlockRule]) -> None:
        self.rules = tuple(rules)
        # first character → the rules to try (without table, with table), when silent and when not
        self.chosen: tuple[Chosen, Chosen] = ({}, {})

    def __call__(self, state: StateBlock, line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if pos >= state.eMarks[line] or state.sCount[line] - state.blkIndent >= 4:
            rules = self.rules  # an empty line, or one indented as code: every rule as markdown-it has them
        else:
            char = state.src[pos]
            found = self.chosen[silent].get(char) or self._choose(char, silent)
            rules = found[1] if found[1] is not found[0] and _may_be_table(state, line + 1) else found[0]
        for rule in rules:
            if rule(state, line, end_line, silent):
                return True
        return False

    def _choose(self, char: str, silent: bool) -> tuple[tuple[BlockRule, ...], tuple[BlockRule, ...]]:
        with_table = tuple(rule for rule in self.rules if rule in _TABLE_RULES or _may_match(rule, char, silent))
        without = tuple(rule for rule in with_table if rule not in _TABLE_RULES)
        found = self.chosen[silent][char] = (without, with_table if len(with_table) > len(without) else without)
        return found


def _may_be_table(state: StateBlock, below: int) -> bool:
    """Whether the line below may be a table's delimiter row: `table` says no before anything else
    unless it starts with one of `|-:` followed by one of them or a space (a space not after `-`,
    which starts a list item)."""
    if below >= len(state.bMarks):
        return True
    pos = state.bMarks[below] + state.tShift[below]
    end = state.eMarks[below]
    if pos + 1 >= end:
        return False
    first, second = state.src[pos], state.src[pos + 1]
    if first not in _TABLE_DELIMITER_STARTS:
        return False
    if second in " \t":
        return first != "-"
    return second in _TABLE_DELIMITER_STARTS
