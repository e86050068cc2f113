"""Rendered pages kept on disk between `course build`s, so a build of an unchanged course renders nothing.

Keyed as `course serve`'s cache is (a page's model, its place, the course-wide fingerprint), as a
digest. One file per module, written by whichever process rendered it. The cache is input like any
other: courses and output folders are shared as files. So it lives in this user's cache folder
(`$XDG_CACHE_HOME/coursewright/render/`, one folder per output folder), never in the course or the
output; it is JSON, never pickle; and each file carries a keyed hash (HMAC-SHA256) with a key that
never leaves that folder: a file that does not check, or does not decode, is a miss and is rendered
again.

A module's pages are kept in two files: `pages-*` holds what the course's contents, outline, course data,
search index and links need; `sections-*` the pages' laid-out HTML, most of the bytes, which is read
only when one of the module's files in the output has to be made again (or when something asks for a
page's HTML: `views.PageView`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
import types
import typing
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from .cachefolder import (  # noqa: F401  (the cache folder's names, as they were known here)
    MAGIC, builder_fingerprint, cache_folder, key_file, read_signed, secret_key, texts_after, user_folder,
    with_texts, write_signed,
)
from .errors import SourceRef
from .loadcache import KeptPages
from .rendercache import PageEntry

KEPT_FOLDERS = 32  # output folders whose pages are kept; the least recently built are forgotten
OUTPUTS = "outputs.json"  # the output files made from kept pages, as last written (`DiskCache.output_current`)
MODULES = "modules.json"  # each module's digest in the last build, by its name (`DiskCache.load_previous`)
_SKIPPED = {"module", "prev", "next"}  # a page's links to its module and neighbours are set by each build


def digest(value: Any) -> str:
    """A stable digest of a key (repr is the same in every process; hash() of text is not)."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


# -- JSON, both ways ---------------------------------------------------------------------------

_names: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """json's hook for what it cannot write itself (it writes the rest, in C): a view as its fields, a
    place as [path, line, col], a path as text."""
    if isinstance(value, SourceRef):
        return [value.path, value.line, value.col]
    kind = type(value)
    if dataclasses.is_dataclass(kind):
        names = _names.get(kind)
        if names is None:
            names = _names[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.name not in _SKIPPED)
        return {name: getattr(value, name) for name in names}
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"no JSON form for {kind.__name__}")


Decoder = Callable[[Any], Any]
_decoders: dict[Any, Decoder] = {}


def _decoder(hint: Any) -> Decoder:
    """How to turn JSON back into a value of the type a view's field declares.

    Only files that carry this user's keyed hash are decoded, so the types are not checked one by one;
    a file that does not fit raises, and is a miss.
    """
    if hint in _decoders:
        return _decoders[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    decode: Decoder
    if hint is Markup:
        decode = Markup
    elif hint in (str, int, bool, float) or hint is Any:
        decode = _same
    elif origin in (typing.Union, types.UnionType) and type(None) in args:
        inner = _decoder(next(a for a in args if a is not type(None)))
        decode = _same if inner is _same else (lambda v: None if v is None else inner(v))  # noqa: E731
    elif origin is list:
        item = _decoder(args[0])
        decode = list if item is _same else (lambda v: [item(x) for x in v])  # noqa: E731
    elif origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            decode = lambda v: tuple(item(x) for x in v)  # noqa: E731
        else:
            parts = [_decoder(a) for a in args]
            decode = lambda v: tuple(part(x) for part, x in zip(parts, v, strict=True))  # noqa: E731
    elif origin is dict:
        value = _decoder(args[1]) if len(args) == 2 else _same
        decode = dict if value is _same else (lambda v: {k: value(x) for k, x in v.items()})  # noqa: E731
    elif dataclasses.is_dataclass(hint) or hint is _LIGHT_VIEW:
        from . import views  # imported with rendering's modules, while a worker loads pages (`build`)

        kind, left_out = (views.PageView, views.LAID_OUT) if hint is _LIGHT_VIEW else (hint, ())
        hints = typing.get_type_hints(kind, vars(views))
        names = [f.name for f in dataclasses.fields(kind) if f.name not in left_out]
        plain = [n for n in names if n not in _SKIPPED and _decoder(hints[n]) is _same]
        decoded = [(n, _decoder(hints[n])) for n in names if n not in _SKIPPED and n not in plain]
        skipped = [n for n in names if n in _SKIPPED]

        def decode(v: dict[str, Any], cls: Any = kind) -> Any:
            made = cls.__new__(cls)
            fields = made.__dict__
            for name in plain:
                fields[name] = v[name]
            for name, field_decoder in decoded:
                fields[name] = field_decoder(v[name])
            for name in skipped:
                fields[name] = None
            return made
    else:
        raise TypeError(f"no JSON form for {hint!r}")
    _decoders[hint] = decode
    return decode


_LIGHT_VIEW = "a page's view without its laid-out HTML"  # decoded by `_decoder` as PageView, less views.LAID_OUT


def _same(value: Any) -> Any:
    return value


def encode_entry(page_digest: str, entry: PageEntry) -> tuple[dict[str, Any], list[Any]]:
    """A page entry as JSON can hold it (with `_plain` as the encoder's hook for what lies below), its
    search entries as their length (`cachefolder.with_texts`), and its laid-out HTML apart: [digest, section, where
    the body starts in it, its length]."""
    view = _plain(entry.view)
    body, section = view["body_html"], view.pop("section_html")
    start = section.find(body) if body else -1
    if start >= 0:  # a lesson's body is a part of its section: kept once, as where it sits
        view["body_html"] = None
    laid_out = [page_digest, section, start, len(body)]
    return {
        "digest": page_digest, "media": {k: str(v) for k, v in entry.media.items()}, "checks": entry.checks,
        "links": [[page, fragment, where] for page, fragment, where in entry.links],
        "headings": entry.headings, "inputs": entry.inputs, "view": view,
        "search": None if entry.search is None else len(entry.search),
    }, laid_out


def decode_entry(data: dict[str, Any], paths: dict[str, Path], search: str | None) -> tuple[str, PageEntry]:
    """A page entry from its JSON (a file that checked) and its search entries, without its laid-out HTML
    (`lay_out`); raises on anything unexpected. `paths`: the media files named so far (a dozen images
    for a thousand pages)."""
    media = {}
    for url, name in data["media"].items():
        path = paths.get(name)
        if path is None:
            path = paths[name] = Path(name)
        media[url] = path
    view = data["view"]
    body = view.pop("body_html")
    made = _decoder(_LIGHT_VIEW)(view)
    if body is not None:
        made.__dict__["body_html"] = Markup(body)
    entry = PageEntry(
        media=media, checks=data["checks"],
        links=[(page, fragment, SourceRef(*where)) for page, fragment, where in data["links"]],
        headings=data["headings"], inputs=data["inputs"], view=made, search=search,
    )
    return data["digest"], entry


def decode_entries(payload: bytes) -> dict[str, PageEntry]:
    """A module's pages from their file (`DiskCache.save`'s, that checked), by page digest."""
    items, texts = texts_after(payload)
    paths: dict[str, Path] = {}
    entries, at = {}, 0
    for item in items:
        length = item["search"]
        search = None if length is None else texts[at:at + length]
        at += length or 0
        page_digest, entry = decode_entry(item, paths, search)
        entries[page_digest] = entry
    if at != len(texts):
        raise ValueError("not the same search entries")
    return entries


def lay_out(entries: dict[str, PageEntry], payload: bytes) -> None:
    """The pages' laid-out HTML (`encode_entry`'s, from its file) into their views; raises when it does
    not fit them."""
    laid_out, texts = texts_after(payload)
    if len(laid_out) != len(entries):
        raise ValueError("not the same pages")
    at = 0
    for page_digest, length, start, body_length in laid_out:
        fields = entries[page_digest].view.__dict__
        section = texts[at:at + length]
        at += length
        fields["section_html"] = Markup(section)
        if start >= 0:
            fields["body_html"] = Markup(section[start:start + body_length])
        elif "body_html" not in fields:
            raise ValueError("a body with no place")
    if at != len(texts):
        raise ValueError("not the same sections")


# -- the folder ---------------------------------------------------------------------------------

@dataclasses.dataclass
class DiskCache:
    """The cache folder of one output folder: a file of pages per module, named by the module's digest."""

    folder: Path
    key: bytes
    fingerprint: str
    reading: bool = True  # False for `course build --clean`: everything is rendered, and kept afresh
    staging: Path | None = None  # where this build's record of loaded pages waits until the build succeeds
    folder_made: bool = False
    used: set[str] = dataclasses.field(default_factory=set)
    hits: int = 0
    misses: int = 0
    web_dir: Path | None = None  # the output folder this build writes (its files are recorded: `outputs`)
    reuse_output: bool = False  # this build updates that folder in place: files found current are kept
    outputs: dict[str, list[Any]] | None = None  # file → [digest of what made it, size, time] as last written
    made: dict[str, str] = dataclasses.field(default_factory=dict)  # file → digest of what makes it now
    found: dict[str, list[Any]] = dataclasses.field(default_factory=dict)  # files found current → their record
    loads: KeptPages | None = None  # the pages' models, as loaded from their files (`loadcache`)
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # module name → its digest in this build
    previous: dict[str, str] | None = None  # the same, as the last build recorded it

    @classmethod
    def open(cls, out: Path, reading: bool = True) -> DiskCache | None:
        """The cache under `out`, or None when this user has no key to sign it with."""
        key = secret_key()
        if not key:
            return None
        cache = cls(cache_folder(out), key, builder_fingerprint(), reading)
        cache.loads = KeptPages(cache)
        return cache

    def _path(self, module_digest: str) -> Path:
        return self.folder / f"pages-{module_digest}.json"

    def _sections_path(self, module_digest: str) -> Path:
        return self.folder / f"sections-{module_digest}.json"

    def _read(self, path: Path) -> bytes | None:
        return read_signed(self.key, path)

    def _write(self, path: Path, payload: bytes) -> None:
        write_signed(self.key, path, payload)

    # -- output files made from kept pages -------------------------------------------------------
    # A page's script and a module's page are made from what the cache keys already name: when the
    # file in the output folder is the one the last build wrote from the same digest (same size, same
    # time), it is neither made nor read again.

    def output_current(self, rel: str, made_from: str) -> bool:
        """Whether `rel` in the output folder is what `made_from` makes; notes it for the next build."""
        self.made[rel] = made_from
        if self.web_dir is None or not self.reading or not self.reuse_output:
            return False
        if self.outputs is None:
            payload = self._read(self.folder / OUTPUTS)
            try:
                self.outputs = json.loads(payload) if payload is not None else {}
                if not isinstance(self.outputs, dict):
                    self.outputs = {}
            except ValueError:
                self.outputs = {}
        known = self.outputs.get(rel)
        if not isinstance(known, list) or len(known) != 3 or known[0] != made_from:
            return False
        if self.found.get(rel) is known:
            return True
        try:
            stat = os.stat(os.path.join(self.web_dir, rel))  # a path as text: a thousand files
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != known[1:]:
            return False
        self.found[rel] = known
        return True

    def _record_outputs(self, written: dict[str, list[Any]] | None = None) -> None:
        """After the output folder is written: what each file was made from, with its size and time (a
        file found current was not made, hence not written: its record stands). `written`: each output
        file's [size, time, ...] as the build just found them, by its path."""
        if self.web_dir is None:
            return
        record = {}
        for rel, made_from in self.made.items():
            known = self.found.get(rel)
            if known is not None and known[0] == made_from:
                record[rel] = known
                continue
            if written is not None:
                found = written.get(rel)
                if found is not None:
                    record[rel] = [made_from, found[0], found[1]]
                continue
            try:
                stat = os.stat(os.path.join(self.web_dir, rel))  # a path as text: a thousand files
            except OSError:
                continue
            record[rel] = [made_from, stat.st_size, stat.st_mtime_ns]
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write(self.folder / OUTPUTS, json.dumps(record, separators=(",", ":")).encode("utf-8"))

    def has(self, module_digest: str) -> bool:
        return self._path(module_digest).is_file()

    def load(self, module_digest: str, laid_out: bool = True) -> dict[str, PageEntry]:
        """The pages kept for a module (by page digest); {} when there are none, or a file does not check.
        Without `laid_out`, their views come without their laid-out HTML (`lay_out` reads it)."""
        self.used.add(module_digest)
        entries = self._entries(module_digest, laid_out)
        if entries is None:
            self.misses += 1
            return {}
        self.hits += 1
        return entries

    def _entries(self, module_digest: str, laid_out: bool = True) -> dict[str, PageEntry] | None:
        payload = self._read(self._path(module_digest))
        if payload is None:
            return None
        try:
            entries = decode_entries(payload)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None
        if laid_out and not self.lay_out(module_digest, entries):
            return None
        return entries

    def lay_out(self, module_digest: str, entries: dict[str, PageEntry]) -> bool:
        """The laid-out HTML of a module's pages (`load`'s, without it) read into their views; False
        when its file is missing or does not check."""
        payload = self._read(self._sections_path(module_digest))
        if payload is None:
            return False
        try:
            lay_out(entries, payload)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return False
        return True

    def named(self, name: str, module_digest: str) -> None:
        """This build's digest of the module `name` (language and id), recorded for the next build."""
        self.names[name] = module_digest

    def load_previous(self, name: str) -> dict[str, PageEntry]:
        """The pages the last build kept for the module `name`: when one of its pages changes, the others
        are still there, under their own digests (a page's digest is its whole key, whatever file holds it)."""
        if self.previous is None:
            payload = self._read(self.folder / MODULES)
            try:
                self.previous = json.loads(payload) if payload is not None else {}
            except ValueError:
                self.previous = {}
        last = self.previous.get(name) if isinstance(self.previous, dict) else None
        if not isinstance(last, str) or last == self.names.get(name):
            return {}
        return self._entries(last) or {}

    def save(self, module_digest: str, entries: list[tuple[str, PageEntry]]) -> bool:
        """Keep a module's pages, and say whether they are kept: a cache that cannot be written is simply
        not kept.

        Straight into the cache folder, whole or not at all (`write_signed`), by whichever process
        rendered the module, even should the build fail later: a file holds what its name, the digest of
        everything its pages were made from, says, so it is right whatever else the build finds, and the
        build after a fix renders only what the fix touched. (Held in a staging folder, the files were
        moved in one by one once every page was done, on one core, while the other waited.)
        """
        self.used.add(module_digest)
        encoded = [encode_entry(d, e) for d, e in entries]
        pages = with_texts([page for page, _ in encoded], [e.search for _, e in entries if e.search is not None],
                           default=_plain)
        sections = with_texts([[d, len(section), start, length] for _, (d, section, start, length) in encoded],
                              [section for _, (_, section, _, _) in encoded])
        try:
            self.make_folder()
            self._write(self._sections_path(module_digest), sections)
            self._write(self._path(module_digest), pages)
        except OSError:
            return False
        return True

    def make_folder(self) -> None:
        """The cache folder, made once (before workers fork, who write there too)."""
        if not self.folder_made:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.folder_made = True

    def stage(self) -> None:
        """Make the staging folder now, for what is kept only once the build succeeds (the record of
        loaded pages, written early while a worker renders)."""
        if self.staging is None:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.folder.parent))

    def commit(self, written: dict[str, list[Any]] | None = None) -> None:
        """After a good build: its records into the cache folder, and the modules it did not use out of it
        (with what a build stopped while writing left: an hour old). `written`: the output's files as the
        build found them once written (`_record_outputs`)."""
        try:
            if self.staging is not None:
                self.make_folder()
                for path in self.staging.iterdir():
                    os.replace(path, self.folder / path.name)
            self._record_outputs(written)
            if self.names:
                self.make_folder()
                self._write(self.folder / MODULES, json.dumps(self.names, separators=(",", ":")).encode("utf-8"))
            if self.loads is not None:
                self.loads.save()
            keep = {path(d).name for d in self.used for path in (self._path, self._sections_path)}
            for name in os.listdir(self.folder):
                if name.startswith(("pages-", "sections-")) and name not in keep:
                    (self.folder / name).unlink(missing_ok=True)
                elif name.startswith((".pages-", ".sections-")) and _hour_old(self.folder / name):
                    (self.folder / name).unlink(missing_ok=True)
            os.utime(self.folder)
            _forget_old_folders(self.folder.parent)
        except OSError:
            pass
        finally:
            self.discard()

    def discard(self) -> None:
        """After a failed build: its record of loaded pages is not kept, nor its record of the modules and
        the output (the output folder stays as it was); the modules it rendered are (`save`)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _hour_old(path: Path) -> bool:
    """Left by a build that stopped (one still running writes its files in moments)."""
    try:
        return time.time() - path.stat().st_mtime > 3600
    except OSError:
        return False


def _forget_old_folders(parent: Path) -> None:
    """Keep the pages of the output folders built most recently only (and no staging a stopped build left)."""
    for staging in parent.glob(".staging-*"):
        if _hour_old(staging):
            shutil.rmtree(staging, ignore_errors=True)
    folders = sorted((p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEPT_FOLDERS:]:
        shutil.rmtree(old, ignore_errors=True)
