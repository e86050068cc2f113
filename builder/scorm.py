"""SCORM 1.2 and SCORM 2004 (4th edition) packages: one manifest per version and deterministic zips."""
from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import struct
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
# The fastest level within 5% of zlib's default size: a 1,000-lesson course's 10 MB index.html deflates
# to 1.70 MB in 0.13 s at level 5, to 1.65 MB in 0.20 s at level 6 (the default) and 0.30 s at level 9.
ZIP_LEVEL = 5
# Below this many bytes to deflate, one process: forking a second and joining the parts would cost about
# what it saves (on an idle machine, both zips of 100 synthetic lessons, 3.2 MB, took as long either
# way; of 200 lessons, 5.8 MB, 0.14 s instead of 0.18 s). See _shares.
PARALLEL_MIN_BYTES = 4_000_000


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
    zip that each version's zip starts as a copy of; zipfile's append mode then adds that version's
    manifest and XSDs. Deflating is nearly all of packaging's time (a 1,000-lesson course has 27 MB
    of web files), so this halves it for the two versions; for a large course, the shared zip is
    deflated on two cores (`_write_zip`), with the same bytes as in one process.

    With `shell` (a course in several languages), the package launches `launch.html`, which keeps
    one LMS session while the learner switches between the languages' pages in its frame.
    """
    unknown = [v for v in versions if v not in FLAVOURS]
    if unknown:
        raise ValueError(f"unknown SCORM version(s) {unknown}; expected {sorted(FLAVOURS)}")
    web_dir = Path(web_dir)
    files: dict[str, Path | bytes] = dict(_web_files(web_dir))
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
        shared = Path(temporary) / "web.zip"
        _write_zip(shared, files)
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


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _web_files(web_dir: Path) -> dict[str, Path]:
    """Every regular file under `web_dir` by its zip name, skipping dotfiles and dot-folders."""
    if not (web_dir / LAUNCH).is_file():
        raise _error(web_dir, f"no {LAUNCH} to launch", "build the course first (course build)")
    root = web_dir.resolve()
    found: dict[str, Path] = {}
    for path in _walk(web_dir):
        rel = path.relative_to(web_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        # The walk enters no linked folder, so only a linked file can lead out (resolving every file
        # was a tenth of a 1,000-lesson course's packaging).
        real = path.resolve() if path.is_symlink() else path
        if real is not path and not real.is_relative_to(root):
            raise _error(path, "this file links to a place outside the built course",
                         "copy the file instead of linking to it")
        found[rel.as_posix()] = real
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file():
                yield path


def _schema_files(flavour: Flavour) -> dict[str, Path]:
    """The XSDs a manifest of this version points at, by their path at the package root."""
    folder = TEMPLATES / flavour.schemas
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.xsd"))}


def _write_zip(target: Path, entries: dict[str, bytes | Path], base: Path | None = None) -> None:
    """Sorted entries, fixed dates and modes, Unix attributes: the same input gives the same bytes.

    With `base`, the zip is a copy of that zip with `entries` appended after its own. Without, a large
    zip is deflated by several processes, each its share of the entries into a zip of its own, and
    made from their entries as they are (`_join`): the same bytes as one process writes.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if base is not None:
            shutil.copyfile(base, tmp)
        shares = _shares(entries) if base is None else []
        if len(shares) > 1:
            _deflate_apart(Path(tmp), entries, shares)
        else:
            _deflate(Path(tmp), entries, sorted(entries), "w" if base is None else "a")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as error:  # a full disk, say: named as the zip the trainer asked for
        Path(tmp).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, error.filename or str(target)) from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _deflate(path: Path, entries: dict[str, bytes | Path], names: Sequence[str], mode: str = "w") -> None:
    """Deflate `names` of `entries` into the zip at `path`, in that order, each with the fixed stamp."""
    with zipfile.ZipFile(path, mode, zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = entries[name]
            zf.writestr(info, data if isinstance(data, bytes) else data.read_bytes(), compresslevel=ZIP_LEVEL)


def _shares(entries: dict[str, bytes | Path]) -> list[list[str]]:
    """The entries' names in shares of about as many bytes, one a process: two for a large course where
    this system can fork, else one. Largest first, each to the lightest share so far."""
    sizes = {name: len(data) if isinstance(data, bytes) else data.stat().st_size for name, data in entries.items()}
    count = min(available_cores(), 2) if sum(sizes.values()) >= PARALLEL_MIN_BYTES and can_fork() else 1
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += sizes[name]
    return [sorted(share) for share in shares if share]  # one large file alone is no work to share


def _deflate_apart(path: Path, entries: dict[str, bytes | Path], shares: list[list[str]]) -> None:
    """Deflate the shares at once, this process the first, forked ones the others, each into a part zip;
    then write the zip at `path` from the parts' entries. A worker's failure is raised here as it was
    raised there (one that died: `BrokenProcessPool`), and no zip is written."""
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=path.parent) as folder:
        parts = [Path(folder) / f"{number}.zip" for number in range(len(shares))]
        with ProcessPoolExecutor(len(shares) - 1, mp_context=multiprocessing.get_context("fork")) as workers:
            theirs = [workers.submit(_deflate, part, {name: entries[name] for name in share}, share)
                      for part, share in zip(parts[1:], shares[1:])]
            _deflate(parts[0], entries, shares[0])
            for done in theirs:
                done.result()
        _join(path, list(zip(parts, shares)), sorted(entries))


def _join(path: Path, parts: list[tuple[Path, list[str]]], order: list[str]) -> None:
    """Write a zip of the parts' entries in `order`, copying each as it is: no deflating again.

    zipfile has no way to copy an entry without inflating it (python/cpython#113924 asks for one), nor
    has a library that writes zips this way, so each entry's local record, its local header and
    compressed bytes, is copied from its part, and zipfile writes the central directory from the
    parts' ZipInfo at their new offsets. A local header holds no offset, so the records are the
    bytes one ZipFile writing every entry would write, and so is the directory.
    """
    records: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
    for part, names in parts:
        with zipfile.ZipFile(part) as zf, open(part, "rb") as raw:
            for name, info in zip(names, zf.infolist()):  # a part's entries are in its share's order
                raw.seek(info.header_offset)
                header = raw.read(zipfile.sizeFileHeader)  # 30 bytes, ending with the name's and extra's lengths
                name_length, extra_length = struct.unpack("<HH", header[26:30])
                records[name] = (info, header + raw.read(name_length + extra_length + info.compress_size))
    with open(path, "wb") as out:
        infos = []
        for name in order:
            info, record = records[name]
            info.header_offset = out.tell()
            out.write(record)
            infos.append(info)
        with zipfile.ZipFile(out, "w") as zf:  # begins where the records end: its central directory goes there
            zf.filelist.extend(infos)


def _href(name: str) -> str:
    """A package path as a manifest URI: relative, `/`-separated, percent-encoded where needed."""
    return quote(name, safe="/-._~!$&'()*+,;=@")


def _ncname(text: str) -> str:
    """Manifest identifiers are XML IDs: letters, digits, `-`, `_`, `.`, not starting with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", text) or "course"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"c-{cleaned}"


def _error(path: Path, message: str, hint: str = "") -> BuildError:
    return BuildError([Issue(SourceRef(str(path), 1, 1), message, "error", hint)])
