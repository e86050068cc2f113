"""Loaded pages kept on disk between `course build`s, so an unchanged page file is not parsed again.

A page's model follows from its file alone (kind, path, module, text), so it is kept under a digest
of those, the text's SHA-256 included. The record lives in the render cache's folder and carries that
folder's keyed hash (`diskcache.DiskCache`): JSON, never pickle; a record that does not check or does
not decode is ignored and every page is parsed. A lesson's Markdown body, the bulk of the record, is
not kept: it is the end of the file's text, which the build has read anyway.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cachefolder import texts_after, with_texts
from .errors import SourceRef
from .model import (
    Branch, Character, Choice, Condition, DebriefPart, Group, Lesson, Line, Node, Option, Page, Pair, Question,
    Quiz, Region, Scenario, SortItem,
)

if TYPE_CHECKING:
    from .diskcache import DiskCache
    from .sources import SourceFile

RECORD = "loaded.json"
_CLASSES = {cls.__name__: cls for cls in (Lesson, Quiz, Scenario, Question, Option, Pair, Group, SortItem, Region,
                                          Condition, Branch, Choice, Line, DebriefPart, Character, Node)}


def schemas_fingerprint() -> list[list[Any]]:
    """The source schemas a page was checked against (a changed schema loads every page afresh)."""
    folder = Path(__file__).parent / "schemas"
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(folder.glob("*.json"))]


_PLAIN = (str, int, float, bool, type(None))
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _CLASSES.values()}
# The fields that hold a place (`SourceRef`), and `text_refs`, each text field's place: a page has dozens,
# kept as [line, col] lists (with the path first when it is another file's) and made in one go.
_PLACES = {cls: tuple(f.name for f in dataclasses.fields(cls) if "SourceRef" in str(f.type))
           for cls in _CLASSES.values()}
_TEXT_REFS = "text_refs"


def _place(ref: SourceRef, path: str) -> list[Any]:
    return [ref.line, ref.col] if ref.path == path else [ref.path, ref.line, ref.col]


def encode(value: Any, path: str) -> Any:
    """A model object as JSON: a dataclass as its fields tagged with its class (its places as lists, without
    their path when it is `path`, the page's own), another SourceRef tagged, a dict as its pairs, tuples as
    lists."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is SourceRef:
        return {"@": _place(value, path)}
    if kind is tuple or kind is list:
        return [encode(v, path) for v in value]
    if kind is dict:
        return {"{": [[k, encode(v, path)] for k, v in value.items()]}
    fields = {}
    for name in _FIELDS[kind]:
        field = getattr(value, name)
        if type(field) is SourceRef and name in _PLACES[kind]:
            fields[name] = _place(field, path)
        elif name == _TEXT_REFS and type(field) is Places and field._path == path:
            fields[name] = field._raw
        elif name == _TEXT_REFS and all(type(ref) is SourceRef for ref in field.values()):
            fields[name] = [[text, *_place(ref, path)] for text, ref in field.items()]
        else:
            fields[name] = encode(field, path)
    fields["!"] = kind.__name__
    return fields


class Places(Mapping[str, SourceRef]):
    """A kept page's `text_refs` (each text field → where it starts), as the record gives them: each place is
    made when first asked for, which is when a problem is reported or a field rendered, seldom for most."""

    __slots__ = ("_path", "_raw", "_made")

    def __init__(self, path: str, raw: list[list[Any]]) -> None:
        self._path, self._raw = path, raw  # [text, line, col], or [text, path, line, col] for another file
        self._made: dict[str, SourceRef] | None = None

    def _places(self) -> dict[str, SourceRef]:
        if self._made is None:
            path = self._path
            self._made = {ref[0]: SourceRef(path, ref[1], ref[2]) if len(ref) == 3 else SourceRef(*ref[1:])
                          for ref in self._raw}
        return self._made

    def __getitem__(self, text: str) -> SourceRef:
        return self._places()[text]

    def __iter__(self) -> Iterator[str]:
        return iter(self._places())

    def __len__(self) -> int:
        return len(self._raw)

    def __repr__(self) -> str:
        return repr(self._places())


def _tuple(value: list[Any]) -> tuple[Any, ...]:
    for item in value:
        if type(item) is list:
            return tuple(_tuple(v) if type(v) is list else v for v in value)
    return tuple(value)  # the common case: texts, numbers, model objects


class _Decoder(json.JSONDecoder):
    """Makes the model objects `encode` wrote (every sequence of the model is a tuple) as JSON is parsed;
    a record that does not fit raises."""

    def __init__(self) -> None:
        super().__init__(object_hook=self.made)
        self.path = ""

    def made(self, value: dict[str, Any]) -> Any:
        if "!" in value:
            cls = _CLASSES[value.pop("!")]
            made = cls.__new__(cls)
            path = self.path
            for name in _PLACES[cls]:
                place = value.get(name)
                if type(place) is list:
                    value[name] = SourceRef(path, *place) if len(place) == 2 else SourceRef(*place)
            refs = value.get(_TEXT_REFS)
            if type(refs) is list:
                value[_TEXT_REFS] = Places(path, refs)
            for name, field in value.items():
                if type(field) is list:
                    value[name] = _tuple(field)
            made.__dict__.update(value)
            return made
        if "@" in value:
            place = value["@"]
            return SourceRef(self.path, *place) if len(place) == 2 else SourceRef(*place)
        return dict(value["{"])


class KeptPages:
    """The pages an earlier build loaded, by their file's digest; what this build loads, for the next."""

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk
        self.fingerprint = hashlib.sha256(repr((disk.fingerprint, schemas_fingerprint())).encode()).hexdigest()
        self.stored: dict[str, Any] | None = None
        self.now: dict[str, Any] = {}
        self.hits = 0
        self.decoder = _Decoder()
        # id of each page loaded through here → (the page, its file's digest): the digest stands for the
        # page in the render cache's keys (`origin`). The page is held so that its id is not reused.
        self.origins: dict[int, tuple[Page, str]] = {}
        self.staged = -1  # how many pages the record written to the build's staging folder holds (`save`)

    @staticmethod
    def key(source: SourceFile, module: str) -> str:
        head = f"{source.kind}\0{source.path}\0{module}\0{len(source.text)}\n"  # no name holds a NUL
        return hashlib.sha256((head + source.text).encode("utf-8", "surrogatepass")).hexdigest()

    def _stored(self) -> dict[str, Any]:
        if self.stored is None:
            self.stored = {}
            payload = self.disk._read(self.disk.folder / RECORD) if self.disk.reading else None
            try:
                record, texts = texts_after(payload) if payload is not None else (None, "")
                if isinstance(record, dict) and record.get("fingerprint") == self.fingerprint:
                    self.stored = _kept(record["pages"], texts)
            except (ValueError, KeyError, TypeError):
                self.stored = {}
        return self.stored

    def get(self, source: SourceFile, key: str) -> Page | None:
        """The page as loaded from the same file before (whose `key` it is), or None."""
        kept = self._stored().get(key)
        if kept is None:
            return None
        try:
            self.decoder.path = source.path
            page = self.decoder.decode(kept["page"])
            if isinstance(page, Lesson):
                tail = kept["body"]
                text = source.text
                page.__dict__["body"] = text[len(text) - tail:] if tail else ""
            if not isinstance(page, (Lesson, Quiz, Scenario)) or page.source.path != source.path:
                return None
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None
        self.now[key] = kept
        self.hits += 1
        self.origins[id(page)] = (page, key)
        return page

    def put(self, source: SourceFile, page: Page, key: str) -> None:
        """Keep a page that loaded without problems from the file whose `key` it is (a page with problems
        is parsed again, to report them)."""
        encoded = encode(page, source.path)
        kept: dict[str, Any] = {}
        if isinstance(page, Lesson):
            if not source.text.endswith(page.body):
                return
            encoded["body"] = ""
            kept["body"] = len(page.body)
        kept["page"] = json.dumps(encoded, separators=(",", ":"))
        self.now[key] = kept
        self.origins[id(page)] = (page, key)

    def stored_now(self) -> int:
        """How many pages the record of an earlier build holds (read now, before any fork)."""
        return len(self._stored())

    def record(self, page: Page) -> tuple[str, dict[str, Any]] | None:
        """What this build keeps of a page loaded through here (in a process that loaded it for another)."""
        known = self.origins.get(id(page))
        if known is None or known[0] is not page:
            return None
        return known[1], self.now[known[1]]

    def adopt(self, page: Page, key: str, kept: dict[str, Any]) -> None:
        """A page another process loaded (through its copy of this), with its `record`."""
        self.now[key] = kept
        self.origins[id(page)] = (page, key)

    def origin(self, page: Page) -> str | None:
        """The digest of the file `page` was loaded from as it is (None for a page made otherwise, or
        loaded with problems): the page follows from it alone."""
        known = self.origins.get(id(page))
        return known[1] if known is not None and known[0] is page else None

    def save(self, staging: Path | None = None) -> None:
        """After a good build: the pages it loaded, unless they are the record already. With `staging`,
        the build's staging folder, early (while a worker renders): the commit moves it in place, and
        writes it afresh only if pages were loaded since (a translation's)."""
        if self.stored is not None and self.now.keys() == self.stored.keys():
            return
        if staging is None and self.staged == len(self.now):  # pages are only ever added: the same record
            return
        pages = [[key, kept.get("body"), len(kept["page"])] for key, kept in self.now.items()]
        record = with_texts({"fingerprint": self.fingerprint, "pages": pages}, [kept["page"] for kept in self.now.values()])
        if staging is None:
            self.disk.make_folder()
            self.disk._write(self.disk.folder / RECORD, record)
            return
        try:
            self.disk._write(staging / RECORD, record)
            self.staged = len(self.now)
        except OSError:  # written at the commit, then
            pass


def _kept(pages: list[list[Any]], texts: str) -> dict[str, dict[str, Any]]:
    """The record's pages (`KeptPages.save`'s: [key, body length, length of the model's JSON], then those
    JSON texts strung together) as `put` keeps them."""
    kept: dict[str, dict[str, Any]] = {}
    at = 0
    for key, body, length in pages:
        page = texts[at:at + length]
        at += length
        kept[key] = {"page": page} if body is None else {"page": page, "body": body}
    if at != len(texts):
        raise ValueError("not the same pages")
    return kept
