"""JSON Schemas of the source files, checked against loaded YAML with errors at their positions.

The schemas in `builder/schemas/` are the one description of what keys each source file may hold:
`course check` uses them here, and trainers' editors use the copies `course schema DIR` writes.
Schemas only say which keys exist and what shape their values have; rules between fields (a
`single` question with one correct option, a `goto` to a known node) live in `validate.py`.
"""
from __future__ import annotations

import functools
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import fastjsonschema
from fastjsonschema.draft07 import CodeGeneratorDraft07
from fastjsonschema.ref_resolver import RefResolver

from .errors import Issues, SourceRef, did_you_mean

if TYPE_CHECKING:
    # jsonschema is imported when needed (it costs 40 to 70 ms at start): only to word and place the
    # problems of a source that the quick check already found invalid.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_KINDS = ("course", "module", "lesson", "quiz", "question", "scenario", "glossary", "frameworks", "theme")

_URN = "urn:coursewright:schema:"

# What the whole source is called in messages about its top level.
_ROOT_NAMES = {
    "course": "course.yaml",
    "module": "module.yaml",
    "lesson": "the front matter",
    "quiz": "the quiz",
    "question": "the question",
    "scenario": "the scenario",
    "glossary": "glossary.yaml",
    "frameworks": "frameworks.yaml",
    "theme": "theme.yaml",
}

_EXPECTED = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}

_SLUG = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
_VERSION_PATTERN = "^[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*$"  # it becomes part of file names

# Every pattern the schemas use, said in words.
_PATTERNS = {
    _SLUG: "a slug (lower-case letters, digits and hyphens)",
    "^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$": "a page id written module-slug/page-slug",
    "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$": "a language tag such as en, es or pt-BR",
    "^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$":
        "a date written YYYY, YYYY-MM or YYYY-MM-DD",
    _VERSION_PATTERN:
        "a version made of letters and digits joined by dots, hyphens, underscores or plus signs, such as 1.0.2",
    "^#[0-9a-fA-F]{6}$": "a colour written #rrggbb, e.g. #1f6f8b",
    "^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$": "a name of letters, digits, '_' and inner hyphens",
    "^https?://": "a web address starting with https:// or http://",
    "^[^/\\\\]+\\.(?:md|quiz\\.yaml|scenario\\.yaml)$":
        "a page file name in this folder ending in .md, .quiz.yaml or .scenario.yaml",
}


# --- loading ---------------------------------------------------------------------------------

def _read(kind: str) -> dict[str, Any]:
    name = f"{kind}.schema.json"
    try:
        text = files(__package__).joinpath("schemas", name).read_text(encoding="utf-8")
    except NotADirectoryError:
        # Python 3.11 cannot serve resources of a namespace package; the file sits beside us.
        text = (Path(__file__).parent / "schemas" / name).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _bundled(kind: str) -> dict[str, Any]:
    """A kind's schema with the schemas it names copied into `$defs`, so it stands alone in an editor."""
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"unknown schema kind {kind!r}")
    defs: dict[str, Any] = {}

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_URN):
            name = ref[len(_URN):]
            if name not in defs:
                defs[name] = {}
                part = _read(name)
                for header in ("$schema", "$id", "$defs"):
                    part.pop(header, None)
                defs[name] = inline(part)
            return {**node, "$ref": f"#/$defs/{name}"}
        return {key: inline(value) for key, value in node.items()}

    result = inline(_read(kind))
    if defs:
        result["$defs"] = {**result.get("$defs", {}), **defs}
    return result


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_bundled(kind))


def write_schemas(directory: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every kind, self-contained, for editors to validate and complete with."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMA_KINDS:
        path = directory / f"{kind}.schema.json"
        path.write_text(json.dumps(_bundled(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


# --- checking --------------------------------------------------------------------------------

class _PassFailGenerator(CodeGeneratorDraft07):
    """fastjsonschema's generator (the one it picks for our 2020-12 schemas), raising a bare exception.

    The quick check only says valid or not: the messages come from jsonschema. fastjsonschema writes
    the rule and a copy of its schema into every `raise` it generates, which is most of the code and
    most of the time to generate and compile it (about 50 ms for a course's kinds, 12 ms without).
    """

    def exc(self, msg: str, *args: Any, append_to_msg: str | None = None, rule: str | None = None) -> None:
        self.l("raise JsonSchemaValueException('invalid')")


@functools.cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code: most sources are valid, and this says so quickly.

    It fills in the schema's defaults as it checks, as fastjsonschema.compile's validators do.
    """
    definition = _bundled(kind)
    try:
        resolver = RefResolver.from_schema(definition, handlers={}, store={})
        generator = _PassFailGenerator(definition, resolver=resolver, use_formats=False)
        state = generator.global_state
        exec(generator.func_code, state)  # noqa: S102 - what fastjsonschema.compile does with its code
        return state[resolver.get_scope_name()]
    except (AttributeError, TypeError, KeyError):
        # The generator is not fastjsonschema's public API: should it change, compile the ordinary way.
        return fastjsonschema.compile(definition, use_formats=False)


def check(data: Any, kind: str, issues: Issues, where: SourceRef) -> bool:
    """Validate one loaded source against its schema; report every problem at its position; True if clean."""
    try:
        _fast_validator(kind)(data)
        return True
    except fastjsonschema.JsonSchemaException:
        pass  # find every problem, with positions and plain words, the thorough way
    errors = list(_validator(kind).iter_errors(data))
    if errors:
        _Reporter(data, kind, issues, where).report_all(errors)
    return not errors


class _Reporter:
    """Turns jsonschema's errors into one plain message each, at the key or value to fix."""

    def __init__(self, data: Any, kind: str, issues: Issues, where: SourceRef) -> None:
        self.data, self.kind, self.issues, self.where = data, kind, issues, where
        self.seen_required: set[tuple[Any, ...]] = set()
        self.typo_targets: set[tuple[tuple[Any, ...], str]] = set()

    def report_all(self, errors: Iterable[ValidationError]) -> None:
        errors = list(errors)
        # A value of the wrong type also fails its enum, pattern or range: the type is the news.
        mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        for error in errors:
            if error.validator == "additionalProperties":
                self._note_typos(error)
        for error in errors:
            if error.validator != "type" and tuple(error.absolute_path) in mistyped:
                continue
            self.report(error)

    def report(self, error: ValidationError) -> None:
        path = tuple(error.absolute_path)
        handler = getattr(self, f"_on_{error.validator}", None)
        if "propertyNames" in error.schema_path:
            self._on_property_name(error, path)
        elif handler is not None:
            handler(error, path)
        else:
            description = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
            self.issues.error(self._value_ref(path), f"{self._name(path)} is not valid here", description)

    # positions and names

    def _walk(self, path: tuple[Any, ...]) -> tuple[Any, SourceRef, SourceRef]:
        """The value at `path`, the position of its key (or list item) and of the value itself."""
        node = self.data
        key_ref = value_ref = getattr(node, "ref", self.where)
        for step in path:
            if isinstance(node, dict) and step in node:
                if hasattr(node, "key_refs"):
                    key_ref, value_ref = node.key_ref(step), node.value_ref(step)
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                if hasattr(node, "item_refs"):
                    key_ref = value_ref = node.item_ref(step)
                node = node[step]
            else:
                break
        return node, key_ref, value_ref

    def _value_ref(self, path: tuple[Any, ...]) -> SourceRef:
        return self._walk(path)[2]

    def _mapping_ref(self, path: tuple[Any, ...]) -> SourceRef:
        node, _, value_ref = self._walk(path)
        return getattr(node, "ref", value_ref)

    def _name(self, path: tuple[Any, ...]) -> str:
        if not path:
            return _ROOT_NAMES[self.kind]
        last = path[-1]
        if isinstance(last, int):
            return f"item {last + 1} of {self._name(path[:-1])}"
        return f"'{last}'"

    # one method per keyword

    def _on_type(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        value = error.instance
        if not path and value is None:
            self._empty_root(error)
            return
        expected = " or ".join(_EXPECTED.get(t, t) for t in types)
        message = f"{self._name(path)} must be {expected}, not {_kind_of(value, types)}"
        self.issues.error(self._value_ref(path), message, _type_hint(value, types, path))

    def _empty_root(self, error: ValidationError) -> None:
        schema = error.schema if isinstance(error.schema, dict) else {}
        if schema.get("type") == "array":
            hint = "write [] for an empty list"
        else:
            hint = "it needs at least: " + ", ".join(schema.get("required", [])) if schema.get("required") else ""
        self.issues.error(self._mapping_ref(()), f"{_ROOT_NAMES[self.kind]} is empty", hint)

    def _on_additionalProperties(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        mapping = error.instance
        allowed = list(error.schema.get("properties", {}))
        place = _title(error.schema) or self._name(path)
        for key in _extra_keys(mapping, error.schema):
            hint = did_you_mean(key, allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else "")
            where = mapping.key_ref(key) if hasattr(mapping, "key_refs") else self._mapping_ref(path)
            self.issues.error(where, f"unknown key '{key}' in {place}", hint)

    def _note_typos(self, error: ValidationError) -> None:
        """Remember which required keys an unknown key is a typo of, so only the typo is reported."""
        allowed = list(error.schema.get("properties", {}))
        path = tuple(error.absolute_path)
        for key in _extra_keys(error.instance, error.schema):
            for name in error.schema.get("required", []):
                if f"'{name}'" in did_you_mean(key, allowed):
                    self.typo_targets.add((path, name))

    def _on_required(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        # jsonschema raises one error per missing key without naming it: report them all once.
        seen = (path, id(error.schema))
        if seen in self.seen_required:
            return
        self.seen_required.add(seen)
        for name in error.validator_value:
            if name not in error.instance and (path, name) not in self.typo_targets:
                self.issues.error(self._mapping_ref(path), f"missing required key '{name}'")

    def _on_enum(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        choices = [str(choice) for choice in error.validator_value]
        value = error.instance
        message = f"{self._name(path)} must be one of: {', '.join(choices)} (got {_show(value)})"
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        self.issues.error(self._value_ref(path), message, hint)

    def _on_const(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        message = f"{self._name(path)} must be {_show(error.validator_value)}, got {_show(error.instance)}"
        self.issues.error(self._value_ref(path), message)

    def _on_pattern(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        value = error.instance
        phrase = _PATTERNS.get(error.validator_value, "in the expected form")
        message = f"{self._name(path)} must be {phrase}, got {_show(value)}"
        self.issues.error(self._value_ref(path), message, _pattern_hint(value, error.validator_value))

    def _on_property_name(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        key = error.instance
        mapping = self._walk(path)[0]
        where = mapping.key_ref(key) if hasattr(mapping, "key_refs") else self._mapping_ref(path)
        names = _title(error.schema) or f"key in {self._name(path)}"
        if error.validator == "pattern":
            rule = "must be " + _PATTERNS.get(error.validator_value, "in the expected form")
        else:
            rule = "is not allowed"
        hint = _pattern_hint(key, error.validator_value) if error.validator == "pattern" else ""
        self.issues.error(where, f"{names} {_show(key)} {rule}", hint)

    def _on_minimum(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        self._range(error, path, f"at least {_number(error.validator_value)}")

    def _on_maximum(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        self._range(error, path, f"at most {_number(error.validator_value)}")

    def _on_exclusiveMinimum(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        self._range(error, path, f"greater than {_number(error.validator_value)}")

    def _on_exclusiveMaximum(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        self._range(error, path, f"less than {_number(error.validator_value)}")

    def _range(self, error: ValidationError, path: tuple[Any, ...], bound: str) -> None:
        schema = error.schema
        if "minimum" in schema and "maximum" in schema:
            bound = f"from {_number(schema['minimum'])} to {_number(schema['maximum'])}"
        message = f"{self._name(path)} must be {bound}, got {_show(error.instance)}"
        self.issues.error(self._value_ref(path), message)

    def _on_minLength(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        size = error.validator_value
        rule = "must not be empty" if size == 1 else f"must be at least {size} characters long"
        self.issues.error(self._value_ref(path), f"{self._name(path)} {rule}")

    def _on_maxLength(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        message = (f"{self._name(path)} must be at most {error.validator_value} characters long, "
                   f"got {len(str(error.instance))}")
        self.issues.error(self._value_ref(path), message)

    def _on_minItems(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        size = error.validator_value
        rule = "must not be empty" if size == 1 else f"must have at least {size} items"
        self.issues.error(self._value_ref(path), f"{self._name(path)} {rule}")

    _on_minProperties = _on_minItems

    def _on_maxItems(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        rule = f"must have at most {error.validator_value} items"
        self.issues.error(self._value_ref(path), f"{self._name(path)} {rule}")

    def _on_uniqueItems(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        items = error.instance
        for index, item in enumerate(items):
            if any(_same(item, earlier) for earlier in items[:index]):
                where = items.item_ref(index) if hasattr(items, "item_refs") else self._value_ref(path)
                self.issues.error(where, f"{self._name(path)} lists {_show(item)} twice",
                                  "each value may appear once")
                return

    def _on_anyOf(self, error: ValidationError, path: tuple[Any, ...]) -> None:
        alternatives = error.validator_value
        value = error.instance
        # A list or mapping that has the shape of one alternative: what is wrong is inside it.
        for index, alternative in enumerate(alternatives):
            if alternative.get("type") in ("array", "object") and _has_type(value, alternative["type"]):
                self.report_all(e for e in error.context if e.relative_schema_path[0] == index)
                return
        expected = " or ".join(_describe(alternative) for alternative in alternatives)
        words = [a["const"] for a in alternatives if isinstance(a.get("const"), str)]
        hint = did_you_mean(value, words) if isinstance(value, str) else ""
        if not hint and value is None:
            hint = "write a value after the colon, or delete the key"
        self.issues.error(self._value_ref(path), f"{self._name(path)} must be {expected}, got {_show(value)}", hint)

    _on_oneOf = _on_anyOf


# --- words -----------------------------------------------------------------------------------

def _title(schema: Any) -> str:
    """A schema's title as a noun inside a sentence ('Option' → 'option', 'SCORM' stays)."""
    title = schema.get("title", "") if isinstance(schema, dict) else ""
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        return title[0].lower() + title[1:]
    return title


def _extra_keys(mapping: Any, schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [key for key in mapping
            if key not in properties and not any(re.search(p, str(key)) for p in patterns)]


def _has_type(value: Any, name: str) -> bool:
    from jsonschema import Draft202012Validator

    return Draft202012Validator.TYPE_CHECKER.is_type(value, name)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _show(value: Any) -> str:
    """A value as a trainer wrote it, never as Python shows it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        text = " ".join(value.split())
        return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value"


def _kind_of(value: Any, expected: list[str]) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and "integer" in expected and "number" not in expected:
        return "a number with decimals"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value"


def _type_hint(value: Any, expected: list[str], path: tuple[Any, ...]) -> str:
    if value is None:
        if path and isinstance(path[-1], int):
            return "remove the empty item"
        return "write a value after the colon, or delete the key"
    if "string" in expected:
        if isinstance(value, bool):
            return "put it in quotes: YAML reads yes, no, on, off, true and false as true/false"
        if isinstance(value, int) and path and isinstance(path[-1], str):
            return f'put it in quotes: {path[-1]}: "{value}"'
        if isinstance(value, (int, float)):
            return "put it in quotes so YAML keeps it as written"
    if "array" in expected and isinstance(value, str):
        return "write one '- ...' line per item, or [first, second]"
    return ""


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pattern_hint(value: Any, pattern: Any) -> str:
    if pattern == _SLUG and isinstance(value, str):
        slug = _slugify(value)
        if slug and slug != value:
            return f"try '{slug}'"
    if pattern == _VERSION_PATTERN and isinstance(value, str):
        version = re.sub(r"[^A-Za-z0-9._+]+", "-", value).strip("-._+")
        version = re.sub(r"([._+-])[._+-]+", r"\1", version)
        if version and version != value:
            return f"it becomes part of file names: try '{version}'"
        return "it becomes part of file names"
    return ""


def _describe(schema: dict[str, Any]) -> str:
    """One alternative of an anyOf in words: its title, or what its type and range say."""
    if schema.get("title"):
        return schema["title"]
    if "const" in schema:
        return _show(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(str(choice) for choice in schema["enum"])
    types = schema.get("type", [])
    types = types if isinstance(types, list) else [types]
    words = " or ".join(_EXPECTED.get(t, t) for t in types) or "something else"
    if "minimum" in schema and "maximum" in schema:
        words += f" from {_number(schema['minimum'])} to {_number(schema['maximum'])}"
    return words
