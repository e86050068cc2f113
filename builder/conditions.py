"""The condition language of scenarios: parsed and checked here, never run as code.

A condition reads flags and scores a learner's choices have set: `shared-story and not consent`,
`trust >= 2 or (warned and trust > 0)`. The parser turns the text into a small tree of lists that
the builder evaluates when it proves a scenario's graph and the runtime evaluates in the browser:

    ["flag", name]  ["score", name]  ["num", n]  ["bool", b]
    ["not", x]  ["and", x, y, ...]  ["or", x, y, ...]  ["cmp", op, left, right]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

Tree = list  # a parsed condition, as above: JSON as it is

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<paren>[()])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
""", re.VERBOSE)
_WORDS = {"and", "or", "not", "true", "false"}


class ConditionError(ValueError):
    """A mistake in a condition, at `offset` characters into its text."""

    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Names:
    """The flags and scores a scenario's choices set: the names its conditions may read."""

    flags: frozenset[str]
    scores: frozenset[str]


@dataclass(frozen=True)
class _Token:
    kind: str  # num, op, paren, name, word, end
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ConditionError(f"unexpected character '{text[pos]}'", pos,
                                 "conditions use names, numbers, and/or/not, comparisons and brackets")
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word.lower() in _WORDS:
                kind, word = "word", word.lower()
            out.append(_Token(kind, word, pos))
        pos = match.end()
    out.append(_Token("end", "", len(text)))
    return out


class _Parser:
    """Recursive descent: or → and → not → comparison → atom; names are checked against `names`."""

    def __init__(self, text: str, names: Names) -> None:
        self.tokens = _tokens(text)
        self.names = names
        self.at = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_word(self, word: str) -> bool:
        return self.token.kind == "word" and self.token.text == word

    def parse(self) -> Tree:
        if self.token.kind == "end":
            raise ConditionError("the condition is empty", 0, "write e.g. 'consent and not harmed'")
        tree, kind = self.either()
        if self.token.kind != "end":
            raise ConditionError(f"unexpected '{self.token.text}'", self.token.offset,
                                 "join conditions with 'and' or 'or'")
        self.boolean(tree, kind, 0)
        return tree

    def boolean(self, tree: Tree, kind: str, offset: int) -> None:
        if kind == "number":
            raise ConditionError("a number or score is not true or false by itself", offset,
                                 "compare it, e.g. 'trust >= 2'")

    def joined(self, word: str, part) -> tuple[Tree, str]:  # noqa: ANN001 - the next level down
        start = self.token.offset
        tree, kind = part()
        if not self.is_word(word):
            return tree, kind
        self.boolean(tree, kind, start)
        items = [tree]
        while self.is_word(word):
            self.take()
            start = self.token.offset
            item, kind = part()
            self.boolean(item, kind, start)
            items.append(item)
        return [word, *items], "bool"

    def either(self) -> tuple[Tree, str]:
        return self.joined("or", self.both)

    def both(self) -> tuple[Tree, str]:
        return self.joined("and", self.negation)

    def negation(self) -> tuple[Tree, str]:
        if self.is_word("not"):
            self.take()
            start = self.token.offset
            tree, kind = self.negation()
            self.boolean(tree, kind, start)
            return ["not", tree], "bool"
        return self.comparison()

    def comparison(self) -> tuple[Tree, str]:
        start = self.token.offset
        left, kind = self.atom()
        if self.token.kind != "op":
            return left, kind
        op = self.take()
        right_at = self.token.offset
        right, right_kind = self.atom()
        if op.text in ("==", "!=") and kind == right_kind == "bool":
            return ["cmp", op.text, left, right], "bool"
        for tree_kind, where in ((kind, start), (right_kind, right_at)):
            if tree_kind != "number":
                raise ConditionError(f"'{op.text}' compares numbers or scores, not flags", where,
                                     "a flag is true or false by itself: write 'flag' or 'not flag'")
        if self.token.kind == "op":
            raise ConditionError("comparisons cannot be chained", self.token.offset,
                                 "write 'a > 1 and a < 4'")
        return ["cmp", op.text, left, right], "bool"

    def atom(self) -> tuple[Tree, str]:
        token = self.take()
        if token.kind == "paren" and token.text == "(":
            tree, kind = self.either()
            if not (self.token.kind == "paren" and self.token.text == ")"):
                raise ConditionError("missing ')'", self.token.offset, "close every '(' you open")
            self.take()
            return tree, kind
        if token.kind == "num":
            return ["num", float(token.text) if "." in token.text else int(token.text)], "number"
        if token.kind == "word" and token.text in ("true", "false"):
            return ["bool", token.text == "true"], "bool"
        if token.kind == "name":
            if token.text in self.names.flags:
                return ["flag", token.text], "bool"
            if token.text in self.names.scores:
                return ["score", token.text], "number"
            raise ConditionError(f"unknown flag or score '{token.text}'", token.offset,
                                 _unknown_hint(token.text, self.names))
        if token.kind == "end":
            raise ConditionError("the condition ends too early", token.offset,
                                 "something is missing after the last word")
        raise ConditionError(f"unexpected '{token.text}'", token.offset,
                             "expected a flag, a score, a number or '('")


def _unknown_hint(name: str, names: Names) -> str:
    from .errors import did_you_mean

    known = sorted(names.flags | names.scores)
    return (did_you_mean(name, known) or
            (f"flags and scores set by this scenario's choices: {', '.join(known)}" if known
             else "no choice of this scenario sets a flag or a score: add 'set:' or 'add:' to a choice"))


def parse(text: str, names: Names) -> Tree:
    """The condition's tree, or ConditionError with the offset of the mistake in `text`."""
    return _Parser(text, names).parse()


def evaluate(tree: Tree, flags: frozenset[str] | set[str], scores: Mapping[str, float]) -> Any:
    """The value of a parsed condition for a learner's flags and scores (unset scores are 0)."""
    op = tree[0]
    if op == "flag":
        return tree[1] in flags
    if op == "score":
        return scores.get(tree[1], 0)
    if op in ("num", "bool"):
        return tree[1]
    if op == "not":
        return not evaluate(tree[1], flags, scores)
    if op == "and":
        return all(evaluate(t, flags, scores) for t in tree[1:])
    if op == "or":
        return any(evaluate(t, flags, scores) for t in tree[1:])
    left, right = evaluate(tree[2], flags, scores), evaluate(tree[3], flags, scores)
    return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
            ">": left > right, ">=": left >= right}[tree[1]]


def names_in(tree: Tree) -> set[str]:
    """The flags and scores a condition reads."""
    if tree[0] in ("flag", "score"):
        return {tree[1]}
    if tree[0] in ("num", "bool"):
        return set()
    parts = tree[2:] if tree[0] == "cmp" else tree[1:]
    return set().union(*(names_in(t) for t in parts))
