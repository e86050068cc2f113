"""The translatable texts of a course: every human text of every source file, with a stable id.

A unit id comes from the structure (`question:<module>:<page>:<question>.options.2.feedback`), never
from a position that shifts when files are renumbered. Translation tools (XLIFF) read these texts out
and put translated ones back; structure always stays the source's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .build import root_label
from .errors import BuildError, Issues
from .inline_codes import body_blocks, body_text, split
from .loader import load_course
from .model import Course
from .sources import SourceFile, SourceTree, read_sources, slugify
from .translations import translation_dir
from .yamlio import LList, LMap, load_yaml, split_front_matter

JOINED = ("answers", "aliases")  # lists of short texts, one unit joined by " | "
PLAIN = (*JOINED, "term", "short", "alt", "id")  # texts with no Markdown: no inline codes

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_ID = re.compile(r"[^\w.:-]")  # unit and file ids are XML name tokens

REFS_NOTE = ("References are tags. [[@id]] and [[@id:article]] stay as they are. In [[term]] translate the term "
             "as the glossary translates it; in [[term|shown text]] translate the shown text.")
CODES_NOTE = ("Tags stand for links, references, emphasis, code and line-start markers (headings, lists, tables): "
              "keep every tag, once, and translate the words between them.")
CHECK_NOTE = "A check inside the lesson: its id, answers and points are kept from the source."
TITLE_NOTE = "The body opens with the page title as a heading: translate it exactly as the title."
NOTES = {
    "answers": "Every answer a learner may type, separated by ' | ': give those learners would type in the "
               "target language; you may add or remove some.",
    "aliases": "Other names of the term, separated by ' | ': lessons may name the term by any of them in [[...]].",
    "term": "Lessons refer to this term as [[term]]: use the same translated name in those references.",
    "alt": "Text alternative of an image, read aloud by screen readers: describe what the image shows.",
    "items": "The items of an ordering question, in their correct order: keep each item in its place.",
    "facilitator": "Notes for trainers, never shown to learners.",
}


@dataclass(frozen=True)
class ById:
    """A step into a list by an item's key (`id: elements`), so reordering items keeps the unit."""

    key: str
    value: str


Step = str | int | ById


@dataclass(frozen=True)
class Unit:
    """One translatable text: its stable id, where it lives in its file, and notes for the translator."""

    id: str
    locator: tuple[Step, ...]
    text: str
    notes: tuple[str, ...]
    joined: bool = False


@dataclass
class Document:
    """One source file as plain data (lessons: {"front": …, "body": …}) and its units."""

    source: SourceFile
    file_id: str
    data: Any
    units: list[Unit] = field(default_factory=list)
    carried: list[tuple[Step, ...]] = field(default_factory=list)  # empty in the source, kept if translated


@dataclass
class Catalogue:
    """Every translatable text of a course, file by file."""

    tree: SourceTree
    course: Course
    documents: list[Document]


# -- what is translatable ------------------------------------------------------------------------

def _plain(data: Any) -> Any:
    """Positioned YAML values as plain dicts and lists, ready for copying and dumping."""
    if isinstance(data, LMap | dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, LList | list):
        return [_plain(v) for v in data]
    return data


def read_document(kind: str, text: str, path: str, issues: Issues) -> Any:
    """A source or translated file as plain data, in the shape unit locators walk."""
    if kind == "lesson":
        parts = split_front_matter(text)
        front = load_yaml(parts.yaml_text, path, issues, parts.yaml_line) if parts.yaml_text else None
        blocks = body_blocks(parts.body)
        for block in blocks:  # a check's YAML as data, its texts found like a quiz question's
            try:
                data = yaml.safe_load(block["check"]) if "check" in block else None
            except yaml.YAMLError:
                data = None
            if isinstance(data, dict):
                block["check"] = data
        return {"front": _plain(front) or {}, "body": blocks}
    return _plain(load_yaml(text, path, issues))


def lesson_body(data: dict) -> str:
    """A lesson's body from its blocks (checks written back as YAML)."""
    return body_text(data["body"], dump_yaml)


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _as_text(value: Any, joined: bool) -> str | None:
    if joined and isinstance(value, list):
        return " | ".join(t for t in map(_scalar, value) if t is not None)
    return _scalar(value)


def _step(data: Any, step: Step) -> Any:
    if isinstance(step, int):
        return data[step] if isinstance(data, list) and step < len(data) else None
    if isinstance(step, ById):
        items = data if isinstance(data, list) else []
        return next((i for i in items if isinstance(i, dict) and _scalar(i.get(step.key)) == step.value), None)
    return data.get(step) if isinstance(data, dict) else None


def _dicts(data: Any, key: str) -> list[dict]:
    items = _step(data, key) if key else data
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


class _Scope:
    """The texts of one thing (a page, a question, a node, a term): its unit ids and notes share its name."""

    def __init__(self, doc: Document, uid: str, what: str, base: tuple[Step, ...], node: Any) -> None:
        self.doc, self.uid, self.what, self.base, self.node = doc, uid, what, base, node

    def unit(self, *rel: str | int, extra: tuple[str, ...] = (), whole: bool = False) -> None:
        """One text; `whole`: the text is the scope itself (a block of a lesson body), named by the scope alone."""
        value = self.node
        for step in rel:
            value = _step(value, step)
        name = next(s for s in reversed(rel) if isinstance(s, str))
        joined, locator = name in JOINED, (*self.base, *rel)
        text = _as_text(value, joined)
        if text is None or not text.strip():
            if joined:  # a translation may add aliases or answers the source does not have
                self.doc.carried.append(locator)
            return
        notes = [self.what if whole else f"{self.what}: {_label(rel)}", *extra, *([NOTES[name]] if name in NOTES else [])]
        notes += [REFS_NOTE] if "[[" in text else []
        notes += [CODES_NOTE] if name not in PLAIN and split(text).codes else []
        uid = self.uid if whole else ".".join([self.uid, *(str(s + 1) if isinstance(s, int) else s for s in rel)])
        self.doc.units.append(Unit(_NOT_ID.sub("_", uid), locator, text, tuple(notes), joined))

    def texts(self, *names: str, extra: tuple[str, ...] = ()) -> None:
        """Each named text; a list of texts (objectives, items) gives one unit per text."""
        for name in names:
            items = _step(self.node, name)
            if isinstance(items, list) and name not in JOINED:
                for n in range(len(items)):
                    self.unit(name, n, extra=extra)
            else:
                self.unit(name, extra=extra)

    def each(self, name: str, *keys: str) -> None:
        """The named texts of each item of a list: options, pairs, choices."""
        items = _step(self.node, name)
        for n in range(len(items) if isinstance(items, list) else 0):
            for key in keys:
                self.unit(name, n, key)


def _label(rel: tuple[str | int, ...]) -> str:
    """`("options", 1, "feedback")` → "option 2 feedback": the place as a trainer would name it."""
    words = []
    for i, step in enumerate(rel):
        if isinstance(step, int):
            words.append(str(step + 1))
        else:
            plural = i + 1 < len(rel) and isinstance(rel[i + 1], int) and step.endswith("s")
            words.append(step[:-1] if plural else step)
    return " ".join(words)


def _question(s: _Scope, extra: tuple[str, ...] = ()) -> None:
    """A question's texts; its id, type, correct answers and points are structure."""
    s.texts("prompt", extra=extra)
    s.each("options", "text", "feedback")
    s.texts("answers")
    s.each("pairs", "left", "right")
    s.texts("items")
    s.each("groups", "text")
    s.each("items", "text")
    s.texts("alt")
    s.each("regions", "label")
    s.unit("feedback", "correct")
    s.unit("feedback", "incorrect")
    s.texts("explanation")


def _fill(doc: Document, key: str) -> None:
    """Every text field of one file, in reading order; ids, correct answers, links and points are left out."""
    d, kind, page = doc.data, doc.source.kind, key.split(":", 1)[-1]
    shown = page.replace(":", "/")
    if kind == "course":
        _Scope(doc, "course", "course", (), d).texts("title", "subtitle", "description", "organization", "authors",
                                                     "cover_alt")
    elif kind == "module":
        _Scope(doc, key, f"module '{page}'", (), d).texts("title", "description", "objectives")
    elif kind == "lesson":
        _Scope(doc, key, f"lesson '{shown}'", ("front",), d["front"]).texts("title", "objectives", "summary",
                                                                             "facilitator")
        title = "# " + str(d["front"].get("title", "")).strip()
        texts = checks = 0
        for n, block in enumerate(d["body"]):
            if "text" in block:
                texts += 1
                titled = texts == 1 and block["text"].strip() == title
                _Scope(doc, f"{key}.body.{texts}", f"lesson '{shown}': body, text {texts}", ("body", n), block).unit(
                    "text", extra=(TITLE_NOTE,) if titled else (), whole=True)
            elif isinstance(block.get("check"), dict):
                checks += 1
                qid = _scalar(block["check"].get("id")) or f"check-{checks}"
                _question(_Scope(doc, f"{key}.check.{qid}", f"lesson '{shown}' check '{qid}'",
                                 ("body", n, "check"), block["check"]), extra=(CHECK_NOTE,))
    elif kind in ("quiz", "scenario"):
        _Scope(doc, key, f"{kind} '{shown}'", (), d).texts("title", "objectives", "summary", "facilitator", "intro")
        for q in _dicts(d, "questions"):
            if qid := _scalar(q.get("id")):
                _question(_Scope(doc, f"question:{page}:{qid}", f"quiz question '{qid}'",
                                 ("questions", ById("id", qid)), q))
        nodes = _step(d, "nodes")
        for nid, node in nodes.items() if isinstance(nodes, dict) else ():
            s = _Scope(doc, f"node:{page}:{nid}", f"scenario node '{nid}'", ("nodes", str(nid)), node)
            s.texts("text", "alt")
            s.each("lines", "say")
            s.each("choices", "text", "feedback")
            if isinstance(_step(node, "debrief"), list):
                s.each("debrief", "text")
            else:
                s.texts("debrief")
        people = _step(d, "characters")
        for cid, person in people.items() if isinstance(people, dict) else ():
            _Scope(doc, f"character:{page}:{cid}", f"scenario character '{cid}'", ("characters", str(cid)),
                   person).texts("name", "role", "alt")
    elif kind == "glossary":
        for i, term in enumerate(d if isinstance(d, list) else []):
            name = _scalar(_step(term, "term")) or ""
            _Scope(doc, f"term:{slugify(name)}", f"glossary term '{name}'", (i,), term).texts(
                "term", "aliases", "definition")
    elif kind == "frameworks":
        for item in _dicts(d, ""):
            if ident := _scalar(item.get("id")):
                base = (ById("id", ident),)
                _Scope(doc, f"instrument:{ident}", f"instrument '{ident}'", base, item).texts(
                    "title", "short", "jurisdiction", "summary")
                for article in _dicts(item, "articles"):
                    if number := _scalar(article.get("number")):
                        _Scope(doc, f"instrument:{ident}.articles.{number}", f"instrument '{ident}' article {number}",
                               (*base, "articles", ById("number", number)), article).texts("title", "summary")


def _documents(tree: SourceTree, issues: Issues) -> list[Document]:
    keyed: list[tuple[SourceFile | None, str]] = [(tree.course, "course"), (tree.glossary, "glossary"),
                                                  (tree.frameworks, "frameworks")]
    for module in tree.modules:
        keyed.append((module.module_yaml, f"module:{module.slug}"))
        keyed.extend((page, f"{page.kind}:{module.slug}:{page.slug}") for page in module.pages)
    documents, seen = [], set()
    for source, key in keyed:
        if source is None:
            continue
        doc = Document(source, _NOT_ID.sub("_", key), read_document(source.kind, source.text, source.path, issues))
        _fill(doc, key)
        for ident in [doc.file_id, *(u.id for u in doc.units)]:
            if ident in seen:
                issues.error(source.ref, f"two texts would share the id '{ident}'",
                             "give every page, question, term and article its own id or name ('course check')")
            seen.add(ident)
        for unit in doc.units:
            if _NOT_XML.search(unit.text):
                issues.error(source.ref, f"'{unit.id}' holds a control character XML cannot carry", "remove it")
        documents.append(doc)
    return documents


def load_catalogue(source: Path) -> Catalogue:
    """The course's texts, or BuildError when the course itself does not load."""
    issues = Issues()
    tree = read_sources(source, issues)
    course = load_course(tree, issues)
    documents = _documents(tree, issues) if course is not None and not issues.errors else []
    if course is None or issues.errors:
        raise BuildError(issues.sorted(), root_label(source).rstrip("/"))
    return Catalogue(tree, course, documents)


def lookup(data: Any, source: Any, locator: tuple[Step, ...]) -> Any:
    """The value at `locator` in a translation, matched as the build matches it (lists by equal length)."""
    for step in locator:
        if isinstance(step, int) and not (isinstance(data, list) and len(data) == len(source or [])):
            return None
        data, source = _step(data, step), _step(source, step)
        if data is None:
            return None
    return data


def _put(data: Any, locator: tuple[Step, ...], value: Any) -> None:
    for step in locator[:-1]:
        data = _step(data, step)
    if isinstance(data, list | dict):
        data[locator[-1]] = value


def _existing(catalogue: Catalogue, doc: Document, lang: str, issues: Issues) -> Any:
    """The translation translations/<lang>/ already has of a file, or None."""
    path = translation_dir(catalogue.tree.root, lang) / doc.source.path
    if not path.is_file():
        return None
    found = Issues()
    rel = path.relative_to(catalogue.tree.root).as_posix()
    data = read_document(doc.source.kind, path.read_text(encoding="utf-8").lstrip("\ufeff"), rel, found)
    if found.errors:
        issues.warning(found.errors[0].where, f"{found.errors[0].message}: its text is left out",
                       "fix the translated file, or delete it")
        return None
    return data


# -- export --------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text and indented lists: files a trainer can read and edit."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML a trainer can read: keys in the source's order, text as written, multi-line text as blocks."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
