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
    return SourceRef(path, mark.line + 1 + line_offset, mark.column + 1)


def _text_ref(loader: _Loader, node: yaml.Node) -> SourceRef:
    """Where a scalar's text begins: after its quote, or at the first line of a block scalar."""
    ref = _ref(loader.path, node.start_mark, loader.line_offset)
    style = getattr(node, "style", None)
    if style in ('"', "'"):
        return ref.at(ref.line, ref.col + 1)
    if style in ("|", ">"):
        lines = loader.lines
        for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            if lines[index].strip():
                indent = len(lines[index]) - len(lines[index].lstrip(" "))
                return ref.at(index + 1 + loader.line_offset, indent + 1)
    return ref


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: SourceRef, again: SourceRef) -> None:
        self.key, self.first, self.again = key, first, again


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading that records positions; `path` and `line_offset` are set per document."""

    path = ""
    line_offset = 0
    lines: list[str] = []


# Keep dates as text: the format says YYYY-MM-DD, and JSON Schema checks strings.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):  # noqa: ANN201 - a generator
    path, offset = loader.path, loader.line_offset
    result = LMap()
    result.ref = _ref(path, node.start_mark, offset)
    result.key_refs, result.value_refs, result.text_refs = {}, {}, {}
    yield result
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = key if isinstance(key, str) else str(key)
        where = _ref(path, key_node.start_mark, offset)
        if key in result.key_refs:
            raise _DuplicateKey(key, result.key_refs[key], where)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_refs[key] = where
        result.value_refs[key] = _ref(path, value_node.start_mark, offset)
        if isinstance(value_node, yaml.ScalarNode):
            result.text_refs[key] = _text_ref(loader, value_node)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):  # noqa: ANN201 - a generator
    path, offset = loader.path, loader.line_offset
    result = LList()
    result.ref = _ref(path, node.start_mark, offset)
    result.item_refs = [_ref(path, item.start_mark, offset) for item in node.value]
    result.text_refs = [_text_ref(loader, item) if isinstance(item, yaml.ScalarNode) else ref
                        for item, ref in zip(node.value, result.item_refs)]
    yield result
    result.extend(loader.construct_object(item, deep=True) for item in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(text: str, path: str, issues: Issues, line_offset: int = 0) -> Any:
    """Parse YAML text; syntax errors and duplicate keys go to `issues` and give None."""
    try:
        loader = _Loader(text)
        loader.path, loader.line_offset = path, line_offset
        loader.lines = text.splitlines()
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
