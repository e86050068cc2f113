"""XLIFF 2.0 for translators: every text of the course out to one file, and translated text back in.

Each source file becomes a `<file original="path">`, each text field a `<unit>` whose id comes from
the structure (`question:<module>:<page>:<question>.options.2.feedback`), never from a position that
shifts when files are renumbered. Importing writes full copies of the source files under
`translations/<lang>/` with only those texts replaced, so structure always stays the source's.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

import click

from .errors import BuildError, Issue, Issues, SourceRef
from .translations import mark, translation_dir
from .inline_codes import MARKUP_AS_TEXT, Code, Piece, Split, merged, same_source, signature, split, text_parts
from .texts import (
    PLAIN, Catalogue, Document, Unit, _as_text, _existing, _put, dump_yaml, lesson_body, load_catalogue, lookup,
)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("2.0", "2.1")  # 2.1 keeps the 2.0 core and its namespace
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
ET.register_namespace("", XLIFF_NS)

_SIGNIFICANT_SPACE = re.compile(r"^\s|\s$|\n|\t| {2}")


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
    fill: list[tuple[ET.Element, list[Piece]]] = []  # sources and targets, written once the file is indented
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
            source_split = _split(unit)
            if source_split.codes:
                data = ET.SubElement(node, _q("originalData"))
                for code in source_split.codes.values():
                    for ident, value in _data_of(code):
                        ET.SubElement(data, _q("data"), {"id": ident}).text = value
            target_pieces = _aligned(split(target), source_split) if target is not None and source_split.codes \
                else [target] if target is not None else None
            segment = ET.SubElement(node, _q("segment"))
            fill.append((ET.SubElement(segment, _q("source")), source_split.pieces))
            if target_pieces is not None:
                segment.set("state", "translated")
                fill.append((ET.SubElement(segment, _q("target")), target_pieces))
            units, translated = units + 1, translated + (target_pieces is not None)
    name = f"{catalogue.course.id}-{catalogue.course.version}.{src}-{lang}.xlf"
    path = out / name if out is not None and out.is_dir() else out or Path(name)
    ET.indent(root, space="  ")
    for element, pieces in fill:
        _write_pieces(element, pieces)
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


# -- inline codes: <ph/> and <pc> for what the translator keeps --------------------------------------

def _split(unit: Unit) -> Split:
    """A unit's text as text and codes; names, aliases, answers and alternatives have no Markdown."""
    name = next(s for s in reversed(unit.locator) if isinstance(s, str))
    return Split([unit.text], {}) if name in PLAIN else split(unit.text)


def _is_markdown(unit: Unit) -> bool:
    return next(s for s in reversed(unit.locator) if isinstance(s, str)) not in PLAIN


def _data_of(code: Code) -> list[tuple[str, str]]:
    return [(f"d{code.id}", code.start)] if code.kind == "ph" else [(f"d{code.id}s", code.start),
                                                                    (f"d{code.id}e", code.end)]


def _write_pieces(element: ET.Element, pieces: list[Piece]) -> None:
    """Text and codes as the content of a <source>, <target> or <pc>."""
    last: ET.Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        if piece.kind == "ph":
            last = ET.SubElement(element, _q("ph"), {"id": piece.id, "dataRef": f"d{piece.id}",
                                                     "disp": piece.start.strip()[:60] or "\u21b5"})
        else:
            last = ET.SubElement(element, _q("pc"), {"id": piece.id, "dataRefStart": f"d{piece.id}s",
                                                     "dataRefEnd": f"d{piece.id}e", "dispStart": piece.start[:60],
                                                     "dispEnd": piece.end[:60]})
            _write_pieces(last, piece.inner)


def _preorder(pieces: list[Piece]) -> list[Code]:
    found: list[Code] = []
    for piece in pieces:
        if isinstance(piece, Code):
            found.append(piece)
            found.extend(_preorder(piece.inner))
    return found


def _aligned(target: Split, source: Split) -> list[Piece] | None:
    """A translation's pieces with the source's code ids (the n-th link is the source's n-th link);
    None when it does not use the same kinds of codes as many times."""
    theirs, ours = _preorder(target.pieces), _preorder(source.pieces)
    if [c.kind for c in theirs] != [c.kind for c in ours]:
        return None
    for mine, source_code in zip(theirs, ours):
        mine.id = source_code.id
    return target.pieces


def _pieces(element: ET.Element) -> list[Piece]:
    """The text and codes of a <source>, <target> or <pc>; `<cp hex>` stands for a character XML cannot
    carry; annotations (<mrk>) are unwrapped; codes keep only their id (their content comes from the course)."""
    pieces: list[Piece] = [element.text or ""]
    for child in element:
        if child.tag == _q("cp"):
            hex_value = child.get("hex", "")
            pieces.append(chr(int(hex_value, 16)) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", hex_value) else "")
        elif child.tag == _q("ph"):
            pieces.append(Code("ph", child.get("id", ""), child.get("dataRef", "")))
        elif child.tag == _q("pc"):
            pieces.append(Code("pc", child.get("id", ""), child.get("dataRefStart", ""), child.get("dataRefEnd", ""),
                               merged(_pieces(child))))
        elif child.tag in (_q("sc"), _q("ec")):
            pieces.append(Code(child.tag.rpartition("}")[2], child.get("id", child.get("startRef", "")), ""))
        else:
            pieces.extend(_pieces(child))
        pieces.append(child.tail or "")
    return [p for p in pieces if p != ""]


def _with_codes(pieces: list[Piece], codes: dict[str, str | tuple[str, str]]) -> str | None:
    """The Markdown of pieces, each code replaced by its content; None if one is unknown."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        content = codes.get(piece.id)
        if content is None or isinstance(content, str) != (piece.kind == "ph"):
            return None
        if isinstance(content, str):
            out.append(content)
        else:
            inner = _with_codes(piece.inner, codes)
            if inner is None:
                return None
            out.append(content[0] + inner + content[1])
    return "".join(out)


def _contents(source: Split) -> dict[str, str | tuple[str, str]]:
    return {c.id: c.start if c.kind == "ph" else (c.start, c.end) for c in source.codes.values()}


def _file_contents(pieces: list[Piece], data: dict[str, str]) -> dict[str, str | tuple[str, str]]:
    """What the file says each code of its source stands for (its <originalData>)."""
    found: dict[str, str | tuple[str, str]] = {}
    for code in _preorder(pieces):
        if code.kind == "ph":
            found[code.id] = data.get(code.start, "")
        else:
            found[code.id] = (data.get(code.start, ""), data.get(code.end, ""))
    return found


def _unit_parts(unit: ET.Element) -> tuple[list[Piece], list[Piece] | None, dict[str, str]]:
    """A unit's source and target pieces, its segments joined (tools may split a text into sentences),
    and its original data."""
    sources: list[Piece] = []
    targets: list[Piece] = []
    translated = False
    data = {d.get("id", ""): d.text or "" for d in unit.iter(_q("data"))}
    for part in unit:
        if part.tag in (_q("segment"), _q("ignorable")):
            source, target = part.find(_q("source")), part.find(_q("target"))
            here = _pieces(source) if source is not None else []
            sources.extend(here)
            translated = translated or (target is not None and part.tag == _q("segment"))
            targets.extend(_pieces(target) if target is not None else here)
    return merged(sources), merged(targets) if translated else None, data


def _code_problem(unit: Unit, source: list[Piece], target: list[Piece], data: dict[str, str]) -> str | None:
    """Why a translation's codes cannot be taken: they differ from its source's, or the file changed them."""
    if any(isinstance(p, Code) and p.kind in ("sc", "ec") for p in _preorder(target)):
        return "its target splits a tag into <sc>/<ec>: keep each tag whole around the words it marks"
    expected, found = signature(source), signature(target)
    if expected != found:
        missing = [f"{kind} {ident}" for kind, ident in expected if (kind, ident) not in found]
        extra = [f"{kind} {ident}" for kind, ident in found if (kind, ident) not in expected]
        said = "; ".join(filter(None, [f"missing {', '.join(missing)}" if missing else "",
                                       f"not in the source: {', '.join(extra)}" if extra else ""]))
        return f"its target's tags differ from its source's ({said or 'a tag is used twice'})"
    current = _split(unit)
    if _file_contents(source, data) != _contents(current) and text_parts(source) == text_parts(current.pieces):
        return ("the content of its tags (<originalData>) differs from the course's: the file was edited, or the "
                "course changed since the export")
    for text in text_parts(target) if _is_markdown(unit) else ():
        if found := next((mark for mark in MARKUP_AS_TEXT if mark in text), None):
            return (f"its target writes '{found}' as text: links, references, heading ids and code are tags, so "
                    "keep the source's tags instead of writing new ones")
    return None


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


def _render(doc: Document, existing: Any, present: set[str], texts: dict[str, str], lang: str,
            unplaced: list[str]) -> str:
    """The source file with translated texts: from the XLIFF, else kept from the old translation.

    `present`: the units the file gives a target (an empty one keeps the source's text). A lesson
    whose translation is laid out in other blocks than its source keeps its translated body; the
    body texts that could not be placed in it are added to `unplaced`."""
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
        if existing is not None and len(existing["body"]) != len(doc.data["body"]):
            data["body"] = existing["body"]
            unplaced += sorted(u.id for u in doc.units if u.locator[:1] == ("body",) and u.id in texts)
        return "---\n" + header + dump_yaml(data["front"]) + "---\n" + lesson_body(data)
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
        units, seen, answered = {u.id: u for u in doc.units}, set(), present.setdefault(original, set())
        for node in element.iter(_q("unit")):
            uid, where = node.get("id", ""), positions[node]
            if (unit := units.get(uid)) is None or uid in seen:
                issues.error(where, f"unit '{uid}' appears twice in this file" if unit
                             else f"unit '{uid}' does not match the course: re-export")
                continue
            seen.add(uid)
            source, target, data = _unit_parts(node)
            if target is not None:
                answered.add(uid)  # a unit without a target keeps the translation the course has
            written = _with_codes(target, _contents(_split(unit))) if target else None
            blank = target is not None and not _preorder(target) and not "".join(text_parts(target)).strip()
            if blank and unit.text.strip():
                issues.warning(where, f"unit '{uid}' has an empty target: the source text is kept")
            elif target:
                if problem := _code_problem(unit, source, target, data):
                    issues.error(where, f"unit '{uid}': {problem}", "translate the words between the tags and keep "
                                 "every tag of the source once; or export again for a fresh file")
                    continue
                if written is None:
                    issues.error(where, f"unit '{uid}' uses tags the course no longer has: re-export",
                                 "export again with 'course translate export'")
                    continue
                if not same_source(source, _split(unit).pieces):
                    stale.add(original)
                    issues.warning(where, f"the source of unit '{uid}' changed since the export",
                                   "check the translation, then run 'course translate mark'")
                texts.setdefault(original, {})[uid] = written
    if issues.errors:
        raise BuildError(issues.sorted(), action="import refused")
    outputs, unplaced = {}, {}
    for path, translated in texts.items():
        unplaced[path] = []
        outputs[path] = _render(documents[path], _existing(catalogue, documents[path], lang, issues), present[path],
                                translated, lang, unplaced[path])
        for uid in unplaced[path]:
            stale.add(path)
            issues.warning(SourceRef(str(xliff)), f"unit '{uid}' was not imported: the '{lang}' translation of {path} "
                           "is laid out in other blocks than its source, and is kept as it is",
                           f"put the text into translations/{lang}/{path} by hand, or delete that file and import again")
    base = translation_dir(catalogue.tree.root, lang)
    for path, text in outputs.items():
        (base / path).parent.mkdir(parents=True, exist_ok=True)
        (base / path).write_text(text, encoding="utf-8")
    marked = mark(catalogue.tree, lang, [p for p in outputs if p not in stale]) if outputs else []
    return ImportReport(lang, sorted(outputs), marked, sum(map(len, texts.values())), issues.sorted())


# -- YAML out ------------------------------------------------------------------------------------
