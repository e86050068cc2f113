"""A `course build` whose inputs and output are as the last good build left them has nothing to do.

What make and Ninja do, by each file's signature (size, modification and change times, inode) rather
than its time alone, over every file the build could read: the course folder (but the output folder,
when it lies inside), the theme folders the course used, the builder's own folder and the folders of
the libraries it reads and renders with; and over every file of the output's web folder, as that
build left it. When every signature and every option is the same, the build's result is the last
one's: its summary and its warnings are said again, and nothing is read, rendered or written.

A file changed shortly before (or during) the build could change again within one tick of the file
system's clock with the same size: such a file is recorded as unknown, so the next build runs in full.
The record sits in the render cache's folder, signed as its files are (`cachefolder`); one that does
not check, or does not fit, is no record. `course build --clean` never asks it.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .cachefolder import cache_folder, read_signed, secret_key, write_signed
from .errors import Issue, SourceRef
from .sources import SETTLED_NS  # as `course serve` trusts a file: quiet for longer than a clock tick

RECORD = "uptodate.json"
# What the builder reads and renders with, besides its own folder: a changed library may change a page.
LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "yaml", "fastjsonschema")
_NOT_INPUT = {"__pycache__"}  # Python's compiled copies: made on import, never read by a build

Signatures = dict[str, Any]


def summary(counts: dict[str, int], seconds: float) -> str:
    """A build's result in one line: what the course holds, and how long it took."""
    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    return (f"{count(counts['pages'], 'page', 'pages')}, {count(counts['quizzes'], 'quiz', 'quizzes')}, "
            f"{count(counts['scenarios'], 'scenario', 'scenarios')}, {count(counts['terms'], 'term', 'terms')}, "
            f"{count(counts['instruments'], 'instrument', 'instruments')} in {seconds:.2f} s")


@dataclass
class LastBuild:
    """What the last good build said: what the course holds, and its warnings."""

    counts: dict[str, int]
    warnings: list[Issue]


def _options(source: Path, out: Path, strict: bool) -> list[Any]:
    """Everything besides files that decides a build's output: the folders, the options, the builder
    and the Python that runs it (another interpreter or path may find other libraries)."""
    return [__version__, str(source.resolve()), str(out.resolve()), strict, sys.version, sys.executable, sys.path]


def signatures(folder: Path, skip: str = "", settled_before: int | None = None) -> Signatures | None:
    """Each file's signature under `folder` (by its path there), the folder `skip` left out; a file
    changed after `settled_before` (nanoseconds) is unknown, None. None for a folder that cannot be read."""
    found: Signatures = {}
    root = str(folder)
    start = len(root) + 1
    pending = [root]
    try:
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in _NOT_INPUT and entry.path != skip:
                            pending.append(entry.path)
                        continue
                    found[entry.path[start:]] = _signature(entry, settled_before)
    except OSError:
        return None
    return found


def _signature(entry: os.DirEntry[str], settled_before: int | None) -> list[Any] | None:
    try:
        info = entry.stat()
    except OSError:  # a link to nothing: said as such
        return ["missing", os.readlink(entry.path)]
    signature: list[Any] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    if entry.is_symlink():
        signature.append(os.readlink(entry.path))
    return signature if settled_before is None else _settled_one(signature, settled_before)


def _settled_one(signature: list[Any], settled_before: int) -> list[Any] | None:
    """A file's signature, or None (unknown) when the file changed after `settled_before`."""
    changed = isinstance(signature[0], int) and max(signature[1], signature[2]) >= settled_before
    return None if changed else signature


def _library_folders() -> list[str]:
    """The folders of the libraries, as this process imported them."""
    folders = []
    for name in LIBRARIES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            folders.append(os.path.dirname(module.__file__))
    return folders


def _input_folders(source: Path, theme_folders: list[Path]) -> list[str]:
    builder = os.path.dirname(os.path.abspath(__file__))
    return [str(source.resolve()), *(str(Path(f).resolve()) for f in theme_folders), builder, *_library_folders()]


def signed_early(source: Path, out: Path, started_ns: int,
                 seen: dict[str, Signatures | None] | None = None) -> dict[str, Signatures | None]:
    """The signatures of the course, the builder and its libraries, taken before the build ends (while
    a worker renders), for `remember`: a file changed later has another signature then, or is unknown.
    `seen`: those the up-to-date check took before the build (`last_result`), each file's as it was then."""
    skip = str(out.resolve())
    settled_before = started_ns - SETTLED_NS
    return {folder: _settled(seen[folder], settled_before) if seen and folder in seen
            else signatures(Path(folder), skip, settled_before) for folder in _input_folders(source, [])}


def _settled(found: Signatures | None, settled_before: int) -> Signatures | None:
    """Signatures taken with no bound, as `signatures` gives them with `settled_before`."""
    if found is None:
        return None
    return {rel: signature and _settled_one(signature, settled_before) for rel, signature in found.items()}


def output_signatures(out: Path) -> Signatures | None:
    """The signatures of the files of the output's web folder, once the build has written them."""
    return signatures(out.resolve() / "web")


def remember(source: Path, out: Path, strict: bool, theme_folders: list[Path],
             counts: dict[str, int], warnings: list[Issue], started_ns: int,
             early: dict[str, Signatures | None] | None = None, output: Signatures | None = None) -> None:
    """After a good build into `out`/web: the signatures of what it read and wrote, with its result.
    `started_ns` is when the build began (`time.time_ns()`): what changed after it, or just before, is unknown.
    `early` holds folders signed already (`signed_early`), `output` the output's (`output_signatures`)."""
    key = secret_key()
    if key is None:
        return
    skip = str(out.resolve())
    settled_before = started_ns - SETTLED_NS
    inputs = {}
    for folder in _input_folders(source, theme_folders):
        found = early[folder] if early and folder in early else signatures(Path(folder), skip, settled_before)
        if found is None:
            return
        inputs[folder] = found
    output = output if output is not None else output_signatures(out)
    if output is None:
        return
    record = {
        "options": _options(source, out, strict), "inputs": inputs, "output": output,
        "result": {"counts": counts,
                   "warnings": [[i.where.path, i.where.line, i.where.col, i.severity, i.message, i.hint]
                                for i in warnings]},
    }
    folder = cache_folder(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_signed(key, folder / RECORD, json.dumps(record, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass


def last_result(source: Path, out: Path, strict: bool,
                seen: dict[str, Signatures | None] | None = None) -> LastBuild | None:
    """The last build's result when nothing it read or wrote has changed since, with the same options;
    else None (build). `seen` is given the signatures of the input folders looked at (`signed_early`)."""
    key = secret_key()
    if key is None:
        return None
    folder = cache_folder(out)
    payload = read_signed(key, folder / RECORD)
    if payload is None:
        return None
    try:
        record = json.loads(payload)
        if record["options"] != json.loads(json.dumps(_options(source, out, strict))):
            return None
        skip = str(out.resolve())
        for path, recorded in record["inputs"].items():
            found = signatures(Path(path), skip)
            if seen is not None:
                seen[path] = found
            if found != recorded:
                return None
        result = record["result"]
        if output_signatures(out) != record["output"]:
            return None
        warnings = [Issue(SourceRef(path, line, col), message, severity, hint)
                    for path, line, col, severity, message, hint in result["warnings"]]
        last = LastBuild(dict(result["counts"]), warnings)
    except (ValueError, KeyError, TypeError):
        return None
    try:
        os.utime(folder)  # built now, as far as keeping the most recent folders goes
    except OSError:
        pass
    return last

