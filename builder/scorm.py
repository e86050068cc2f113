"""SCORM 1.2 and SCORM 2004 (4th edition) packages: one manifest per version and deterministic zips."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .errors import BuildError, Issue, SourceRef
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
    manifest and XSDs. Deflating is nearly all of packaging's time (a 1,000-lesson course's
    index.html is about 10 MB), so this halves it for the two versions.

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
        real = path.resolve()
        if not real.is_relative_to(root):
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

    With `base`, the zip is a copy of that zip with `entries` appended after its own.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if base is not None:
            shutil.copyfile(base, tmp)
        with zipfile.ZipFile(tmp, "w" if base is None else "a", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.create_system = 3
                info.external_attr = (0o100000 | FILE_MODE) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                data = entries[name]
                zf.writestr(info, data if isinstance(data, bytes) else data.read_bytes(),
                            compresslevel=ZIP_LEVEL)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as error:  # a full disk, say: named as the zip the trainer asked for
        Path(tmp).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, error.filename or str(target)) from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _href(name: str) -> str:
    """A package path as a manifest URI: relative, `/`-separated, percent-encoded where needed."""
    return quote(name, safe="/-._~!$&'()*+,;=@")


def _ncname(text: str) -> str:
    """Manifest identifiers are XML IDs: letters, digits, `-`, `_`, `.`, not starting with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "-", text) or "course"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"c-{cleaned}"


def _error(path: Path, message: str, hint: str = "") -> BuildError:
    return BuildError([Issue(SourceRef(str(path), 1, 1), message, "error", hint)])
