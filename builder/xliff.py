"""XLIFF 2.0 for translators: every text of the course out to one file, and translated text back in.

Each source file becomes a `<file original="path">`, each text field a `<unit>` whose id comes from
the structure (`question:<module>:<page>:<question>.options.2.feedback`), never from a position that
shifts when files are renumbered. Importing writes full copies of the source files under
`translations/<lang>/` with only those texts replaced, so structure always stays the source's.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

import click
import yaml

from .build import root_label
from .errors import BuildError, Issue, Issues, SourceRef
from .loader import load_course
from .model import Course
from .sources import SourceFile, SourceTree, read_sources, slugify
from .translations import mark, translation_dir
from .yamlio import LList, LMap, load_yaml, split_front_matter

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("2.0", "2.1")  # 2.1 keeps the 2.0 core and its namespace
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
JOINED = ("answers", "aliases")  # lists of short texts, one unit joined by " | "
ET.register_namespace("", XLIFF_NS)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_ID = re.compile(r"[^\w.:-]")  # unit and file ids are XML name tokens
_SIGNIFICANT_SPACE = re.compile(r"^\s|\s$|\n|\t| {2}")

REFS_NOTE = ("Keep [[...]] references: [[@id]] and [[@id:article]] stay exactly as they are. In [[term]] and "
             "[[term|shown text]] translate the shown text; the part before '|' must be the term or one of its "
             "aliases as translated in the glossary, so write [[translated term|shown text]].")
BLOCKS_NOTE = ("Lines starting with ':::' open and close blocks: keep them, translating only a title after the "
               "block's name ('::: tip Title'). Inside '::: check' translate the values of prompt, text, feedback, "
               "explanation and answers; keep the keys, ids, 'correct:' and 'answer:' as they are.")
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
        split = split_front_matter(text)
        front = load_yaml(split.yaml_text, path, issues, split.yaml_line) if split.yaml_text else None
        return {"front": _plain(front) or {}, "body": split.body}
    return _plain(load_yaml(text, path, issues))


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

    def unit(self, *rel: str | int, extra: tuple[str, ...] = ()) -> None:
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
        notes = [f"{self.what}: {_label(rel)}", *extra, *([NOTES[name]] if name in NOTES else [])]
        notes += [REFS_NOTE] if "[[" in text else []
        notes += [BLOCKS_NOTE] if re.search(r"^\s*:::", text, re.MULTILINE) else []
        uid = ".".join([self.uid, *(str(s + 1) if isinstance(s, int) else s for s in rel)])
        self.doc.units.append(Unit(_NOT_ID.sub("_", uid), locator, text, tuple(notes), joined))

    def texts(self, *names: str) -> None:
        """Each named text; a list of texts (objectives, items) gives one unit per text."""
        for name in names:
            items = _step(self.node, name)
            if isinstance(items, list) and name not in JOINED:
                for n in range(len(items)):
                    self.unit(name, n)
            else:
                self.unit(name)

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
            words.append(step[:-1] if i + 1 < len(rel) and isinstance(rel[i + 1], int) else step)
    return " ".join(words)


def _fill(doc: Document, key: str) -> None:
    """Every text field of one file, in reading order; ids, correct answers, links and points are left out."""
    d, kind, page = doc.data, doc.source.kind, key.split(":", 1)[-1]
    shown = page.replace(":", "/")
    if kind == "course":
        _Scope(doc, "course", "course", (), d).texts("title", "subtitle", "description")
    elif kind == "module":
        _Scope(doc, key, f"module '{page}'", (), d).texts("title", "description", "objectives")
    elif kind == "lesson":
        _Scope(doc, key, f"lesson '{shown}'", ("front",), d["front"]).texts("title", "objectives", "summary",
                                                                             "facilitator")
        first = next((line for line in d["body"].splitlines() if line.strip()), "")
        titled = first.startswith("# ") and first[2:].strip() == str(d["front"].get("title", "")).strip()
        _Scope(doc, key, f"lesson '{shown}'", (), d).unit("body", extra=(TITLE_NOTE,) if titled else ())
    elif kind in ("quiz", "scenario"):
        _Scope(doc, key, f"{kind} '{shown}'", (), d).texts("title", "objectives", "summary", "facilitator", "intro")
        for q in _dicts(d, "questions"):
            if qid := _scalar(q.get("id")):
                s = _Scope(doc, f"question:{page}:{qid}", f"quiz question '{qid}'", ("questions", ById("id", qid)), q)
                s.texts("prompt")
                s.each("options", "text", "feedback")
                s.texts("answers")
                s.each("pairs", "left", "right")
                s.texts("items")
                s.unit("feedback", "correct")
                s.unit("feedback", "incorrect")
                s.texts("explanation")
        nodes = _step(d, "nodes")
        for nid, node in nodes.items() if isinstance(nodes, dict) else ():
            s = _Scope(doc, f"node:{page}:{nid}", f"scenario node '{nid}'", ("nodes", str(nid)), node)
            s.texts("text", "alt")
            s.each("choices", "text", "feedback")
            s.texts("debrief")
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

def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


@dataclass
class ExportReport:
    path: Path
    files: int
    units: int
    translated: int
    warnings: list[Issue]


def _not_listed(lang: str, catalogue: Catalogue, where: SourceRef, issues: Issues) -> None:
    if lang not in catalogue.course.translations:
        issues.warning(where, f"'{lang}' is not in course.yaml's translations",
                       "list it under translations: in course.yaml to build the course in that language")


def export_xliff(source: Path, lang: str, out: Path | None = None) -> ExportReport:
    """Write the course's texts, with the translations it already has, as one XLIFF 2.0 file."""
    catalogue = load_catalogue(source)
    src = catalogue.course.language
    if not LANGUAGE_TAG.match(lang) or lang.lower() == src.lower():
        raise click.BadParameter(f"'{lang}' is not a language to translate into: use a tag such as ar, es, "
                                 f"pt-BR, other than the course's own '{src}'", param_hint="--lang")
    issues = Issues()
    _not_listed(lang, catalogue, catalogue.course.source, issues)
    root = ET.Element(_q("xliff"), {"version": "2.0", "srcLang": src, "trgLang": lang})
    units = translated = 0
    for doc in (d for d in catalogue.documents if d.units):
        existing = _existing(catalogue, doc, lang, issues)
        element = ET.SubElement(root, _q("file"), {"id": doc.file_id, "original": doc.source.path})
        for unit in doc.units:
            target = _as_text(lookup(existing, doc.data, unit.locator), unit.joined) if existing else None
            target = target if target and target.strip() and target != unit.text else None
            node = ET.SubElement(element, _q("unit"), {"id": unit.id})
            if any(_SIGNIFICANT_SPACE.search(t) for t in (unit.text, target or "")):
                node.set(XML_SPACE, "preserve")
            notes = ET.SubElement(node, _q("notes"))
            for n, text in enumerate(unit.notes):
                ET.SubElement(notes, _q("note"), {"category": "location" if n == 0 else "format"}).text = text
            segment = ET.SubElement(node, _q("segment"))
            ET.SubElement(segment, _q("source")).text = unit.text
            if target is not None:
                segment.set("state", "translated")
                ET.SubElement(segment, _q("target")).text = target
            units, translated = units + 1, translated + (target is not None)
    name = f"{catalogue.course.id}-{catalogue.course.version}.{src}-{lang}.xlf"
    path = out / name if out is not None and out.is_dir() else out or Path(name)
    ET.indent(root, space="  ")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return ExportReport(path, len(root), units, translated, issues.sorted())


# -- import --------------------------------------------------------------------------------------

def parse_xml(path: Path, label: str, issues: Issues) -> tuple[ET.Element | None, dict[ET.Element, SourceRef]]:
    """An ElementTree with each element's line and column, or None with the parser's error."""
    builder, positions = ET.TreeBuilder(), {}
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(name(tag), {name(k): v for k, v in attrs.items()})
        positions[element] = SourceRef(label, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(path.read_bytes(), True)
    except expat.ExpatError as exc:
        issues.error(SourceRef(label, exc.lineno, exc.offset + 1),
                     f"malformed XML: {expat.errors.messages[exc.code]}",
                     "the file is damaged: save it again from your translation tool")
        return None, positions
    return builder.close(), positions


def _content(element: ET.Element) -> str:
    """The text of a source or target; `<cp hex>` stands for a character XML cannot carry."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _q("cp"):
            hex_value = child.get("hex", "")
            parts.append(chr(int(hex_value, 16)) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", hex_value) else "")
        else:
            parts.append(_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _unit_texts(unit: ET.Element) -> tuple[str, str | None]:
    """A unit's source and target, its segments joined (tools may split a text into sentences)."""
    sources, targets, translated = [], [], False
    for part in unit:
        if part.tag in (_q("segment"), _q("ignorable")):
            source, target = part.find(_q("source")), part.find(_q("target"))
            sources.append(_content(source) if source is not None else "")
            translated = translated or (target is not None and part.tag == _q("segment"))
            targets.append(_content(target) if target is not None else sources[-1])
    return "".join(sources), "".join(targets) if translated else None


@dataclass
class ImportReport:
    lang: str
    written: list[str]
    marked: list[str]
    texts: int
    warnings: list[Issue]


def _check_root(root: ET.Element, where: SourceRef, catalogue: Catalogue, issues: Issues) -> str | None:
    """The target language, once the file is XLIFF 2 made from this course."""
    namespace, _, local = root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if root.tag != _q("xliff") or root.get("version") not in VERSIONS:
        found = (f"version '{root.get('version', '')}'" if root.tag == _q("xliff") else f"<{local}> in the namespace "
                 f"'{namespace}'" if namespace else f"<{local}> with no namespace")
        issues.error(where, f"not an XLIFF 2.0 file: {found}", "export the file as XLIFF 2.0")
        return None
    src, lang, course_lang = root.get("srcLang", ""), root.get("trgLang", ""), catalogue.course.language
    if src.lower() != course_lang.lower():
        issues.error(where, f"srcLang is '{src}' but the course is written in '{course_lang}'",
                     "import into the course the file was exported from")
    if not lang:
        issues.error(where, "trgLang is missing: the file does not say which language it holds",
                     'set trgLang on <xliff>, e.g. trgLang="ar"')
    elif not LANGUAGE_TAG.match(lang) or lang.lower() == course_lang.lower():
        issues.error(where, f"trgLang '{lang}' is not a language to translate into",
                     "use a tag such as ar, es, pt-BR")
    else:
        _not_listed(lang, catalogue, where, issues)
    return lang if not issues.errors else None


def _render(doc: Document, existing: Any, present: set[str], texts: dict[str, str], lang: str) -> str:
    """The source file with translated texts: from the XLIFF, else kept from the old translation."""
    data = copy.deepcopy(doc.data)
    for unit in doc.units:
        value: Any = texts.get(unit.id)
        if value is not None:
            value = [a.strip() for a in value.split("|") if a.strip()] if unit.joined else value
        elif unit.id not in present and existing is not None:
            value = lookup(existing, doc.data, unit.locator)
        if value is not None:
            _put(data, unit.locator, value)
    for locator in doc.carried if existing is not None else ():
        if (value := lookup(existing, doc.data, locator)) is not None:
            _put(data, locator, value)
    header = (f"# The '{lang}' translation of {doc.source.path}, written by 'course translate import'.\n"
              "# Only its text is used: ids, correct answers, scenario links and points come from the source.\n")
    if doc.source.kind == "lesson":
        return "---\n" + header + dump_yaml(data["front"]) + "---\n" + data["body"]
    return header + dump_yaml(data)


def import_xliff(xliff: Path, source: Path) -> ImportReport:
    """Write translations/<lang>/ from a translated XLIFF file; refuse, writing nothing, on any error."""
    issues = Issues()
    root, positions = parse_xml(xliff, str(xliff), issues)
    catalogue = load_catalogue(source) if root is not None else None
    lang = _check_root(root, positions[root], catalogue, issues) if root is not None and catalogue else None
    if lang is None:
        raise BuildError(issues.sorted(), action="import refused")
    documents = {doc.source.path: doc for doc in catalogue.documents}
    texts: dict[str, dict[str, str]] = {}
    present: dict[str, set[str]] = {}
    stale: set[str] = set()
    for element in root.findall(_q("file")):
        original = element.get("original", "")
        if (doc := documents.get(original)) is None:
            issues.error(positions[element], f"file '{original}' is not a source file of the course: re-export",
                         "export again with 'course translate export'")
            continue
        units, seen = {u.id: u for u in doc.units}, present.setdefault(original, set())
        for node in element.iter(_q("unit")):
            uid, where = node.get("id", ""), positions[node]
            if (unit := units.get(uid)) is None or uid in seen:
                issues.error(where, f"unit '{uid}' appears twice in this file" if unit
                             else f"unit '{uid}' does not match the course: re-export")
                continue
            seen.add(uid)
            source_text, target = _unit_texts(node)
            if target is not None and not target.strip() and unit.text.strip():
                issues.warning(where, f"unit '{uid}' has an empty target: the source text is kept")
            elif target is not None and target.strip():
                if source_text != unit.text:
                    stale.add(original)
                    issues.warning(where, f"the source of unit '{uid}' changed since the export",
                                   "check the translation, then run 'course translate mark'")
                texts.setdefault(original, {})[uid] = target
    if issues.errors:
        raise BuildError(issues.sorted(), action="import refused")
    outputs = {path: _render(documents[path], _existing(catalogue, documents[path], lang, issues), present[path],
                             translated, lang) for path, translated in texts.items()}
    base = translation_dir(catalogue.tree.root, lang)
    for path, text in outputs.items():
        (base / path).parent.mkdir(parents=True, exist_ok=True)
        (base / path).write_text(text, encoding="utf-8")
    marked = mark(catalogue.tree, lang, [p for p in outputs if p not in stale]) if outputs else []
    return ImportReport(lang, sorted(outputs), marked, sum(map(len, texts.values())), issues.sorted())


# -- YAML out ------------------------------------------------------------------------------------

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
