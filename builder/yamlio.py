"""YAML that remembers where every key and value came from, and front matter splitting."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Issues, SourceRef

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LMap(dict):
    """A YAML mapping with the position of the mapping, of each key and of each value.

    `text_refs` give where a text value's first character is (inside quotes, or on the first line of
    a `|` block), so problems found later inside the text can point at their exact place.
    """

    ref: SourceRef
    key_refs: dict[str, SourceRef]
    value_refs: dict[str, SourceRef]
    text_refs: dict[str, SourceRef]

    def key_ref(self, key: str) -> SourceRef:
        return self.key_refs.get(key, self.ref)

    def value_ref(self, key: str) -> SourceRef:
        return self.value_refs.get(key, self.key_ref(key))


class LList(list):
    """A YAML sequence with the position of the sequence and of each item (and of each text item's text)."""

    ref: SourceRef
    item_refs: list[SourceRef]
    text_refs: list[SourceRef]

    def item_ref(self, index: int) -> SourceRef:
        return self.item_refs[index] if 0 <= index < len(self.item_refs) else self.ref


def _ref(path: str, mark: yaml.Mark, line_offset: int) -> SourceRef:
    # The constructors below write this formula out inline: it runs for every key and value loaded.
    return SourceRef(path, mark.line + 1 + line_offset, mark.column + 1)


def _text_ref(loader: _Loader, node: yaml.ScalarNode, ref: SourceRef) -> SourceRef:
    """Where a scalar's text begins: after its quote, or at the first line of a block scalar.

    `ref` is where the scalar itself begins (its quote or its `|`), which is the answer for plain text.
    """
    style = node.style
    if style == '"' or style == "'":
        return SourceRef(ref.path, ref.line, ref.col + 1)
    if style == "|" or style == ">":
        lines = loader.lines
        if lines is None:  # split once per document, and only for one with a block scalar
            lines = loader.lines = loader.text.splitlines()
        for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            if lines[index].strip():
                indent = len(lines[index]) - len(lines[index].lstrip(" "))
                return SourceRef(ref.path, index + 1 + loader.line_offset, indent + 1)
    return ref


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: SourceRef, again: SourceRef) -> None:
        self.key, self.first, self.again = key, first, again


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading that records positions; `path`, `line_offset` and `text` are set per document."""

    path = ""
    line_offset = 0
    text = ""
    lines: list[str] | None = None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """Resolver.resolve for scalars, with the patterns for each first character listed once.

        The parser asks for every scalar, and Resolver.resolve builds and walks those lists anew each time.
        """
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], _IMPLICIT_ANY):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


# Keep dates as text: the format says YYYY-MM-DD, and JSON Schema checks strings.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
# What _Loader.resolve tries for a plain scalar, by its first character ('' for an empty one).
_IMPLICIT_ANY = _Loader.yaml_implicit_resolvers.get(None, [])
_IMPLICIT = {first: resolvers + _IMPLICIT_ANY for first, resolvers in _Loader.yaml_implicit_resolvers.items()
             if first is not None}

# Plain scalars are built by calling their constructor directly: what construct_object adds (a record
# of every node, for anchors and recursion) only matters for mappings and sequences, and costs more
# than the value. Any other tag, including an unknown one, takes the ordinary way and its errors.
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALARS = {f"tag:yaml.org,2002:{name}": _BaseLoader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
            for name in ("null", "bool", "int", "float")}


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    if node.__class__ is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value  # what SafeConstructor.construct_yaml_str returns
        build = _SCALARS.get(node.tag)
        if build is not None:
            return build(loader, node)
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):  # noqa: ANN201 - a generator
    path, first_line = loader.path, loader.line_offset + 1
    result = LMap()
    result.ref = SourceRef(path, node.start_mark.line + first_line, node.start_mark.column + 1)
    key_refs: dict[str, SourceRef] = {}
    value_refs: dict[str, SourceRef] = {}
    text_refs: dict[str, SourceRef] = {}
    result.key_refs, result.value_refs, result.text_refs = key_refs, value_refs, text_refs
    yield result
    merged = _merge_keys(loader, node)
    from_merge: set[str] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = _construct(loader, key_node)
        key = key if isinstance(key, str) else str(key)
        mark = key_node.start_mark
        where = SourceRef(path, mark.line + first_line, mark.column + 1)
        if key in key_refs:
            if index >= merged and key not in from_merge:  # a key written twice
                raise _DuplicateKey(key, key_refs[key], where)
            from_merge.discard(key)  # a key written out replaces the one merged in
        if index < merged:
            from_merge.add(key)
        result[key] = _construct(loader, value_node)
        key_refs[key] = where
        mark = value_node.start_mark
        value_ref = value_refs[key] = SourceRef(path, mark.line + first_line, mark.column + 1)
        if isinstance(value_node, yaml.ScalarNode):
            text_refs[key] = _text_ref(loader, value_node, value_ref)


def _merge_keys(loader: _Loader, node: yaml.MappingNode) -> int:
    """YAML merge keys (`<<: *defaults`) laid into the mapping, as YAML 1.1 defines them; how many pairs came
    from merging (they are first, and keys written in the mapping itself replace them)."""
    if not any(key.tag == _MERGE for key, _ in node.value):
        return 0
    written = sum(1 for key, _ in node.value if key.tag != _MERGE)
    loader.flatten_mapping(node)
    return len(node.value) - written


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):  # noqa: ANN201 - a generator
    path, first_line = loader.path, loader.line_offset + 1
    result = LList()
    result.ref = SourceRef(path, node.start_mark.line + first_line, node.start_mark.column + 1)
    items = node.value
    result.item_refs = [SourceRef(path, item.start_mark.line + first_line, item.start_mark.column + 1)
                        for item in items]
    result.text_refs = [_text_ref(loader, item, ref) if isinstance(item, yaml.ScalarNode) else ref
                        for item, ref in zip(items, result.item_refs)]
    yield result
    result.extend(_construct(loader, item) for item in items)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


# Budgets: a course's YAML is a few hundred kilobytes, nested a few levels, with an alias or two. A file
# received from someone else may be built to exhaust memory ("billion laughs": anchors of anchors), to
# crash the parser (thousands of nested brackets) or to make the build crawl; it is refused first.
MAX_YAML_CHARS = 4_000_000      # one document (a file, or a lesson's front matter)
MAX_ALIAS_NODES = 10_000        # values that aliases may add to a document, beyond those written out
MAX_DEPTH = 100                 # mappings and lists inside each other


_BRACKETS = re.compile(r"[\[\]{}]")


class _OverBudget(Exception):
    def __init__(self, where: SourceRef, message: str, hint: str) -> None:
        self.where, self.message, self.hint = where, message, hint


def _flow_depth_over(text: str, path: str, line_offset: int) -> None:
    """Refuse brackets nested beyond MAX_DEPTH before the parser sees them (its C composer recurses).

    Counted without regard to quotes, which can only over-count: no real document comes near the limit.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in _BRACKETS.finditer(text):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                index = bracket.start()
                line = text.count("\n", 0, index)
                col = index - (text.rfind("\n", 0, index) + 1)
                raise _OverBudget(SourceRef(path, line + 1 + line_offset, col + 1),
                                  f"YAML nested more than {MAX_DEPTH} levels deep",
                                  "write the content out flat; no course source needs this nesting")
        else:
            depth = max(0, depth - 1)


def _node_ref(path: str, node: yaml.Node, line_offset: int) -> SourceRef:
    return _ref(path, node.start_mark, line_offset)


def _check_graph(root: yaml.Node, path: str, line_offset: int) -> None:
    """Walk the composed document once, in order, counting what its aliases add and how deep it nests.

    A node met again is an alias: it adds its whole expanded size, known from the first meeting. The walk
    stops at the first alias that takes the document over budget, and names where it is used.
    """
    sizes: dict[int, int] = {}
    added = 0
    # Each frame: a node, its children still to walk (each with the node that says where it is written), depth.
    stack: list[tuple[yaml.Node, list[tuple[yaml.Node, yaml.Node]], int]] = []
    open_ids: set[int] = set()

    def children(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
        if isinstance(node, yaml.MappingNode):
            return [pair for key, value in node.value for pair in ((key, key), (value, key))][::-1]
        if isinstance(node, yaml.SequenceNode):
            return [(item, node) for item in node.value][::-1]
        return []

    sizes[id(root)] = 1
    stack.append((root, children(root), 1))
    open_ids.add(id(root))
    while stack:
        node, todo, depth = stack[-1]
        if not todo:
            stack.pop()
            open_ids.discard(id(node))
            if stack:
                sizes[id(stack[-1][0])] += sizes[id(node)]
            continue
        child, place = todo.pop()
        if id(child) in open_ids:
            raise _OverBudget(_node_ref(path, place, line_offset), "a YAML alias refers to the value that contains it",
                              "write the value out; course sources cannot be recursive")
        if id(child) in sizes:  # an alias: its value again, whole
            size = sizes[id(child)]
            added += size
            sizes[id(node)] += size
            if added > MAX_ALIAS_NODES:
                raise _OverBudget(_node_ref(path, place, line_offset),
                                  f"YAML aliases here expand to more than {MAX_ALIAS_NODES:,} values",
                                  "write the values out, or use fewer anchors and aliases")
            continue
        if depth + 1 > MAX_DEPTH:
            raise _OverBudget(_node_ref(path, child, line_offset), f"YAML nested more than {MAX_DEPTH} levels deep",
                              "write the content out flat; no course source needs this nesting")
        sizes[id(child)] = 1
        grandchildren = children(child)
        if grandchildren:
            stack.append((child, grandchildren, depth + 1))
            open_ids.add(id(child))
        else:
            sizes[id(node)] += 1


def load_yaml(text: str, path: str, issues: Issues, line_offset: int = 0) -> Any:
    """Parse YAML text within the budgets; syntax errors, duplicate keys and refusals go to `issues`, giving None."""
    if len(text) > MAX_YAML_CHARS:
        issues.error(SourceRef(path, 1 + line_offset, 1),
                     f"YAML text of {len(text):,} characters; the limit is {MAX_YAML_CHARS:,}",
                     "split the content into several files")
        return None
    try:
        _flow_depth_over(text, path, line_offset)
        loader = _Loader(text)
        loader.path, loader.line_offset, loader.text = path, line_offset, text
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if "&" in text and "*" in text:  # an alias needs an anchor in the same document
                _check_graph(node, path, line_offset)
            try:
                return loader.construct_document(node)
            except RecursionError:  # nested too deep: the walk finds where
                _check_graph(node, path, line_offset)
                raise
        finally:
            loader.dispose()
    except _OverBudget as over:
        issues.error(over.where, over.message, over.hint)
    except RecursionError:
        issues.error(SourceRef(path, 1 + line_offset, 1), "YAML nested too deeply to read",
                     "write the content out flat; no course source needs this nesting")
    except _DuplicateKey as dup:
        issues.error(dup.again, f"duplicate key '{dup.key}' (first at line {dup.first.line})",
                     "each key may appear once in a mapping")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _ref(path, mark, line_offset) if mark else SourceRef(path, 1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        hint = ""
        if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "'\\t'" in problem:
            hint = "indent with spaces, not tabs"
        elif "mapping values are not allowed" in problem:
            hint = "put text that contains ': ' in quotes"
        issues.error(where, f"YAML syntax error: {problem}", hint)
    except yaml.YAMLError as exc:
        issues.error(SourceRef(path, 1 + line_offset, 1), f"YAML error: {exc}")
    return None


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown source split into its YAML front matter and its body."""

    yaml_text: str | None
    yaml_line: int  # 0-based line in the file where the YAML text starts
    body: str
    body_line: int  # 0-based line in the file where the body starts


def split_front_matter(text: str) -> FrontMatter:
    """Split `---` fenced front matter from a Markdown text (none when the first line is not `---`)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not (text.startswith("---\n") or text.startswith("---\r\n") or text.rstrip() == "---"):
        return FrontMatter(None, 0, text, 0)
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter("".join(lines[1:index]), 1, "".join(lines[index + 1:]), index + 1)
    return FrontMatter("".join(lines[1:]), 1, "", len(lines))
