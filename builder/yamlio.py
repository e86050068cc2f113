"""YAML that remembers where every key and value came from, and front matter splitting."""
from __future__ import annotations

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
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        key = key if isinstance(key, str) else str(key)
        mark = key_node.start_mark
        where = SourceRef(path, mark.line + first_line, mark.column + 1)
        if key in key_refs:
            raise _DuplicateKey(key, key_refs[key], where)
        result[key] = _construct(loader, value_node)
        key_refs[key] = where
        mark = value_node.start_mark
        value_ref = value_refs[key] = SourceRef(path, mark.line + first_line, mark.column + 1)
        if isinstance(value_node, yaml.ScalarNode):
            text_refs[key] = _text_ref(loader, value_node, value_ref)


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


def load_yaml(text: str, path: str, issues: Issues, line_offset: int = 0) -> Any:
    """Parse YAML text; syntax errors and duplicate keys go to `issues` and give None."""
    try:
        loader = _Loader(text)
        loader.path, loader.line_offset, loader.text = path, line_offset, text
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
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
