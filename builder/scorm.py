"""SCORM 1.2 and SCORM 2004 (4th edition) packages: one manifest per version and deterministic zips."""
from __future__ import annotations

import functools
import multiprocessing
import os
import re
import shutil
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .errors import BuildError, Issue, SourceRef
from .bothends import available_cores, can_fork
from .results import course_pass_mark

if TYPE_CHECKING:
    from .model import Course

TEMPLATES = Path(__file__).parent / "scorm_templates"
LAUNCH = "index.html"
SHELL = "launch.html"  # a package with several languages: the page that owns the LMS session
MANIFEST = "imsmanifest.xml"
# 1980-01-01 is the earliest date a zip entry can carry: a fixed stamp makes the bytes reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
# Deflating is nearly all of packaging's time. Level 4 is the last before zlib's lazy matching searches
# longer for a few bytes less. The sample course's 12 MB of web files deflate to 3.03 MB in 124 ms of
# CPU at level 4, 2.91 MB in 167 ms at level 5, 2.84 MB in 271 ms at level 6 (the default); a 1,000-lesson
# course's 26.6 MB to 6.54 / 6.32 / 6.22 MB in 289 / 353 / 478 ms. A zip a few percent larger, once, for
# every package made a fifth sooner.
ZIP_LEVEL = 4
# Below this many bytes to deflate, one process: forking a second and joining the parts would cost about
# what it saves (on an idle machine, both zips of 100 synthetic lessons, 3.2 MB, took as long either
# way; of 200 lessons, 5.8 MB, 0.14 s instead of 0.18 s). See _shares.
PARALLEL_MIN_BYTES = 4_000_000
# The characters a manifest URI keeps as they are (`_href`): a name of only these needs no quoting.
_PLAIN_HREF = re.compile(r"[A-Za-z0-9/._~!$&'()*+,;=@-]*")


@dataclass(frozen=True)
class Records:
    """A written zip's entries as another zip can start with them: its local records, the first `end`
    bytes of the file at `path` (all before its central directory), and their ZipInfo in order."""

    path: Path
    end: int
    infos: tuple[zipfile.ZipInfo, ...]


@dataclass(frozen=True)
class Flavour:
    """What differs between the SCORM versions on the packaging side."""

    version: str
    suffix: str
    template: str
    schemas: str


FLAVOURS: dict[str, Flavour] = {
    "1.2": Flavour("1.2", "scorm12", "imsmanifest-1.2.xml", "schemas-1.2"),
    "2004": Flavour("2004", "scorm2004", "imsmanifest-2004.xml", "schemas-2004"),
}


def package_name(course: Course, version: str, label: str = "") -> str:
    """The zip's file name, `<id>-<version>[-<label>]-scorm12.zip`: admins see the course at a glance."""
    middle = f"-{label}" if label else ""
    return f"{course.id}-{course.version}{middle}-{FLAVOURS[version].suffix}.zip"


def write_packages(course: Course, web_dir: Path, out_dir: Path, versions: Sequence[str],
                   label: str = "", shell: bool = False) -> list[Path]:
    """Zip the built web course once per SCORM version; returns the written paths in the order asked.

    Each zip holds every file of `web_dir` (dotfiles excepted), the manifest naming them and the XSDs
    the manifest's schemaLocation points at. Each zip is written to a temporary file and renamed into
    place, so a failure never leaves a half-written package behind.

    The web files are the same in every version, so they are read and deflated once, into a shared
    zip that each version's zip starts as a copy of, then adds that version's manifest and XSDs to
    (its entries are known from writing it, so it is not read again: `_deflate` with a base).
    Deflating is nearly all of packaging's time (a 1,000-lesson course has 27 MB of web files), so
    this halves it for the two versions; for a large course, the shared zip is deflated on two cores
    (`_write_zip`), with the same bytes as in one process.

    With `shell` (a course in several languages), the package launches `launch.html`, which keeps
    one LMS session while the learner switches between the languages' pages in its frame.
    """
    unknown = [v for v in versions if v not in FLAVOURS]
    if unknown:
        raise ValueError(f"unknown SCORM version(s) {unknown}; expected {sorted(FLAVOURS)}")
    web_dir = Path(web_dir)
    files: dict[str, bytes | str | Path] = dict(_web_files(web_dir))
    if shell:
        files[SHELL] = render_shell(course)
    own = {version: _schema_files(FLAVOURS[version]) for version in dict.fromkeys(versions)}
    names = set(files)
    for schemas in own.values():
        clash = sorted(names & (set(schemas) | {MANIFEST}))
        if clash:
            raise _error(web_dir / clash[0], f"'{clash[0]}' is reserved for the SCORM package",
                         "rename or remove it from the theme or the media")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix=".scorm-", dir=out_dir) as temporary:
        shared = _write_zip(Path(temporary) / "web.zip", files)
        for version, schemas in own.items():
            manifest = render_manifest(course, version, list(files), SHELL if shell else LAUNCH).encode("utf-8")
            target = out_dir / package_name(course, version, label)
            _write_zip(target, {MANIFEST: manifest, **schemas}, base=shared)
            written.append(target)
    return written


def render_shell(course: Course) -> bytes:
    """The launch page of a package with several languages (its script is in scorm_templates/)."""
    script = (TEMPLATES / "launch.js").read_text(encoding="utf-8")
    return _environment().get_template(SHELL).render(course=course, script=Markup(script)).encode("utf-8")


def render_manifest(course: Course, version: str, files: Sequence[str], launch: str = LAUNCH) -> str:
    """The imsmanifest.xml text for one version; `files` are package-relative paths with `/`."""
    flavour = FLAVOURS[version]
    base = _ncname(course.id)
    ids = {
        "manifest": base,
        "organization": f"{base}-org",
        "item": f"{base}-sco",
        "resource": f"{base}-res",
        "objective": f"{base}-passed",
    }
    mark = course_pass_mark(course)
    return _environment().get_template(flavour.template).render(
        course=course,
        ids=ids,
        mastery_score=mark.percent if mark.by_measure else None,
        pass_measure=mark.scaled,
        satisfied_by_measure="true" if mark.by_measure else "false",
        parameters=f"?scorm={version}",
        launch=launch,
        files=[_href(name) for name in sorted(files)],
    )


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment for the process: the templates are the tool's own, so each is compiled once
    (a new environment per manifest compiled them again, a tenth of a large course's packaging)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _web_files(web_dir: Path) -> dict[str, str]:
    """Every regular file under `web_dir` by its zip name, skipping dotfiles and dot-folders; each
    file's path is a string (a Path and a stat per file were a seventh of a large course's packaging)."""
    if not (web_dir / LAUNCH).is_file():
        raise _error(web_dir, f"no {LAUNCH} to launch", "build the course first (course build)")
    root = web_dir.resolve()
    found: dict[str, str] = {}
    for name, path, linked in _walk(str(web_dir), ""):
        # The walk enters no linked folder, so only a linked file can lead out (resolving every file
        # was a tenth of a 1,000-lesson course's packaging).
        if linked:
            real = Path(path).resolve()
            if not real.is_relative_to(root):
                raise _error(Path(path), "this file links to a place outside the built course",
                             "copy the file instead of linking to it")
            path = str(real)
        found[name] = path
    return found


def _walk(folder: str, prefix: str) -> Iterator[tuple[str, str, bool]]:
    """(zip name, path, is a link) of each file under `folder`, by name, a folder's files before its
    folders' (as os.walk goes); dotfiles and dot-folders skipped, linked folders not entered, a folder
    that cannot be listed passed over as os.walk does. A link counts as a file when it leads to one."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted((entry for entry in listing if not entry.name.startswith(".")),
                             key=lambda entry: entry.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if not entry.is_symlink():
                folders.append(entry)
        elif entry.is_file():
            yield prefix + entry.name, entry.path, entry.is_symlink()
    for entry in folders:
        yield from _walk(entry.path, f"{prefix}{entry.name}/")


def _schema_files(flavour: Flavour) -> dict[str, Path]:
    """The XSDs a manifest of this version points at, by their path at the package root."""
    folder = TEMPLATES / flavour.schemas
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.xsd"))}


def _write_zip(target: Path, entries: dict[str, bytes | str | Path], base: Records | None = None) -> Records:
    """Sorted entries, fixed dates and modes, Unix attributes: the same input gives the same bytes.

    With `base`, the zip is a copy of that zip with `entries` appended after its own. Without, a large
    zip is deflated by several processes, each its share of the entries into a zip of its own, and
    made from their entries as they are (`_join`): the same bytes as one process writes. Returns the
    written zip's records, for zips that start with them.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if base is not None:
            shutil.copyfile(base.path, tmp)
        shares = _shares(entries) if base is None else []
        if len(shares) > 1:
            records = _deflate_apart(Path(tmp), entries, shares)
        else:
            records = _deflate(Path(tmp), entries, sorted(entries), base)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as error:  # a full disk, say: named as the zip the trainer asked for
        Path(tmp).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, error.filename or str(target)) from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Records(target, records.end, records.infos)


def _deflate(path: Path, entries: dict[str, bytes | str | Path], names: Sequence[str],
             base: Records | None = None) -> Records:
    """Deflate `names` of `entries` into the zip at `path`, in that order, each with the fixed stamp.

    With `base`, the file at `path` is a copy of base's zip: the entries are written over its central
    directory, after its records, and the new directory names base's entries first. That is what
    zipfile's append mode writes, without reading the directory again (a tenth of packaging, with
    closing the zip it opened). Each ZipInfo is copied, as it belongs to the other zips too.
    """
    with open(path, "r+b" if base is not None else "wb") as out:
        if base is not None:
            out.seek(base.end)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:  # begins where `out` is
            if base is not None:
                for kept in base.infos:
                    info = _copy_info(kept)
                    zf.filelist.append(info)
                    zf.NameToInfo[info.filename] = info
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.create_system = 3
                info.external_attr = (0o100000 | FILE_MODE) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                data = entries[name]
                zf.writestr(info, data if isinstance(data, bytes) else _read(data), compresslevel=ZIP_LEVEL)
            end, infos = zf.start_dir, tuple(zf.filelist)
        out.truncate()  # the copied directory, were the new one shorter
    return Records(path, end, infos)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A copy of `info`, slot by slot: ZipInfo keeps its fields in __slots__, and copy.copy took a
    few milliseconds more for a large course's thousand entries, per zip."""
    copied = zipfile.ZipInfo.__new__(zipfile.ZipInfo)
    for slot in zipfile.ZipInfo.__slots__:
        try:
            setattr(copied, slot, getattr(info, slot))
        except AttributeError:  # a slot zipfile fills only when reading a zip, say
            pass
    return copied


def _read(path: str | Path) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _shares(entries: dict[str, bytes | str | Path]) -> list[list[str]]:
    """The entries' names in shares of about as many bytes, one a process: two for a large course where
    this system can fork, else one. Largest first, each to the lightest share so far."""
    sizes = {name: len(data) if isinstance(data, bytes) else os.stat(data).st_size for name, data in entries.items()}
    count = min(available_cores(), 2) if sum(sizes.values()) >= PARALLEL_MIN_BYTES and can_fork() else 1
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += sizes[name]
    return [sorted(share) for share in shares if share]  # one large file alone is no work to share


def _deflate_apart(path: Path, entries: dict[str, bytes | str | Path], shares: list[list[str]]) -> Records:
    """Deflate the shares at once, this process the first, forked ones the others, each into a part zip;
    then write the zip at `path` from the parts' entries. A worker's failure is raised here as it was
    raised there (one that died: `BrokenProcessPool`), and no zip is written."""
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=path.parent) as folder:
        parts = [Path(folder) / f"{number}.zip" for number in range(len(shares))]
        with ProcessPoolExecutor(len(shares) - 1, mp_context=multiprocessing.get_context("fork")) as workers:
            theirs = [workers.submit(_deflate, part, {name: entries[name] for name in share}, share)
                      for part, share in zip(parts[1:], shares[1:])]
            written = [_deflate(parts[0], entries, shares[0])]
            written += [done.result() for done in theirs]
            # Joined before leaving the pool, which waits for its workers to exit: meanwhile, here.
            return _join(path, list(zip(written, shares)), sorted(entries))


def _join(path: Path, parts: list[tuple[Records, list[str]]], order: list[str]) -> Records:
    """Write a zip of the parts' entries in `order`, copying each as it is: no deflating again.

    zipfile has no way to copy an entry without inflating it (python/cpython#113924 asks for one), nor
    has a library that writes zips this way, so each entry's local record, its local header and
    compressed bytes, is copied from its part, and zipfile writes the central directory from the
    parts' ZipInfo at their new offsets. A local header holds no offset, so the records are the
    bytes one ZipFile writing every entry would write, and so is the directory. A part's records lie
    one after the other, so each is the bytes from its offset to the next one's (or the part's end),
    and the ZipInfo are those its process wrote: no part's directory is read.
    """
    records: dict[str, tuple[zipfile.ZipInfo, memoryview]] = {}
    for part, names in parts:
        data = memoryview(_read(part.path))
        ends = [info.header_offset for info in part.infos[1:]] + [part.end]
        for name, info, end in zip(names, part.infos, ends):  # a part's entries are in its share's order
            records[name] = (info, data[info.header_offset:end])
    with open(path, "wb") as out:
        infos = []
        for name in order:
            info, record = records[name]
            info.header_offset = out.tell()
            out.write(record)
            infos.append(info)
        end = out.tell()
        with zipfile.ZipFile(out, "w") as zf:  # begins where the records end: its central directory goes there
            zf.filelist.extend(infos)
    return Records(path, end, tuple(infos))


def _href(name: str) -> str:
    """A package path as a manifest URI: relative, `/`-separated, percent-encoded where needed (most
    names need nothing, and quote() on each of a large course's files was a fiftieth of packaging)."""
    return name if _PLAIN_HREF.fullmatch(name) else quote(name, safe="/-._~!$&'()*+,;=@")
def _ncname(text: str) -> str:
    """Manifest identifiers are XML IDs: letters, digits, `-`, `_`, `.`, not starting with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", text) or "course"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"c-{cleaned}"


def _error(path: Path, message: str, hint: str = "") -> BuildError:
    return BuildError([Issue(SourceRef(str(path), 1, 1), message, "error", hint)])
