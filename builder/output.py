"""Write the web course atomically: a failed build leaves the previous one exactly as it was."""
from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Callable, Iterable

import click
from pathlib import Path

from .errors import BuildError, Issue, SourceRef

if TYPE_CHECKING:  # opened before rendering's modules are imported (`build.rendering_modules`)
    from .render import RenderedSite

# A file made anew for writing bytes (no newline translation on Windows), not handed to programs it starts.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def target_issues(site: RenderedSite) -> list[Issue]:
    """Writing one path twice is an error that names both sources (the later would silently win)."""
    clashes = sorted((set(site.files) | site.written | site.current) & set(site.copies))
    seen: dict[str, str] = {}
    problems = [Issue(SourceRef(str(site.copies[p])), f"'{p}' would be written twice (generated and copied)")
                for p in clashes]
    for target, source in site.copies.items():
        lowered = target.lower()
        if lowered in seen and seen[lowered] != str(source):
            problems.append(Issue(SourceRef(str(source)), f"'{target}' would be written twice "
                                  f"(also from {seen[lowered]})", hint="rename one of the files"))
        seen[lowered] = str(source)
    return problems


def check_targets(site: RenderedSite) -> None:
    problems = target_issues(site)
    if problems:
        raise BuildError(problems)


def write_tree(site: RenderedSite, target: Path) -> None:
    """Write every file into `target` (which must not exist yet); a refusal names the file it stopped at."""
    target.mkdir(parents=True)
    made: set[Path] = set()
    path = target
    try:
        for rel, content in sorted(site.files.items()):
            path = target / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(content)
        for rel, source in sorted(site.copies.items()):
            path = target / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            _copy(source, path)
    except OSError as error:
        if error.filename:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error


def _copy(source: Path, target: Path) -> None:
    """A file copied with its time, so that a later build sees it unchanged (`Update.copy`)."""
    shutil.copyfile(source, target)
    stat = os.stat(source)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def replace_dir(staging: Path, final: Path) -> None:
    """Swap a fully written folder into place; the old one is removed only after the swap."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(staging, final)
    except OSError:
        if old.exists():
            os.replace(old, final)
        raise
    shutil.rmtree(old, ignore_errors=True)


# The list of what a build wrote, kept in the folder it wrote: the next build replaces those files and
# refuses to delete anything else (a trainer's notes saved in dist/web/ would otherwise vanish unseen).
MANIFEST = ".coursewright-files"


def _foreign_files(web_dir: Path) -> list[str]:
    """Files in an existing output folder that no build wrote (dot-files aside)."""
    if not web_dir.is_dir():
        return []
    present = sorted(_listed(web_dir))
    manifest = web_dir / MANIFEST
    if manifest.is_file():
        ours = set(manifest.read_text(encoding="utf-8").splitlines())
        return [p for p in present if p not in ours]
    # Made before builds kept a list: a course build has its page and its assets/; anything else is not one.
    looks_built = (web_dir / "index.html").is_file() and (web_dir / "assets").is_dir()
    return [] if looks_built or not present else present


def _listed(web_dir: Path) -> list[str]:
    """Every file and link under `web_dir` not in a dot-folder and not a dot-file, by its relative path
    (what `rglob` lists, without a Path for each of a large course's thousands of files)."""
    found = []
    for folder, folders, files in os.walk(web_dir):
        here = os.path.relpath(folder, web_dir)
        prefix = "" if here == "." else here.replace(os.sep, "/") + "/"
        links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
        folders[:] = [name for name in folders if not name.startswith(".") and name not in links]
        found.extend(prefix + name for name in [*files, *links] if not name.startswith("."))
    return found


class PageFiles:
    """Where a build's page files go as they are made, in the building process or in one it forked
    to render modules (which keeps a journal of what it wrote, for the building process to `adopt`)."""

    def __init__(self, output: Fresh | Update, prefix: str = "") -> None:
        self.output, self.prefix = output, prefix

    def __call__(self, rel: str, content: bytes) -> None:
        self.output.write(self.prefix + rel, content)

    def prefixed(self, folder: str) -> PageFiles:
        """The same output, for the files of a translation (in its own folder)."""
        return PageFiles(self.output, f"{self.prefix}{folder}/")

    def start_journal(self) -> None:
        self.output.journal = []

    def take_journal(self) -> list[tuple[str, ...]]:
        journal, self.output.journal = self.output.journal or [], []
        return journal

    def adopt(self, journal: list[tuple[str, ...]]) -> None:
        self.output.adopt(journal)


def open_output(web_dir: Path, keep_unchanged: bool = False) -> Fresh | Update:
    """Where a build writes: an `Update` of the folder an earlier build wrote (`keep_unchanged`), else a
    `Fresh` folder swapped in whole. Refuses a folder holding files no build wrote."""
    if web_dir.parent.exists() and not web_dir.parent.is_dir():
        raise click.ClickException(f"{web_dir.parent} is a file, not a folder: give another --out")
    foreign = _foreign_files(web_dir)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise click.ClickException(
            f"{web_dir} holds files the build did not write: {shown}. The build replaces the whole folder: "
            "move them elsewhere (or delete them), or give another --out; nothing was changed")
    if keep_unchanged and (web_dir / MANIFEST).is_file():
        return Update(web_dir)
    return Fresh(web_dir)


def write_site(site: RenderedSite, web_dir: Path, keep_unchanged: bool = False,
               output: Fresh | Update | None = None) -> None:
    """Write the site (what `output` has not been given yet, when it was opened while rendering), then
    put it in place at once; nothing of a failed write stays.

    With `keep_unchanged` (a remembered `course build`), an output folder an earlier build wrote is
    updated in place instead of replaced: files whose bytes are the same are not written again (their
    times stay, so a server or a sync tool sees only what changed), and changed files are swapped in
    only once all of them are written (`Update`).
    """
    try:
        check_targets(site)
        output = output or open_output(web_dir, keep_unchanged)
        for rel, content in site.files.items():
            output.write(rel, content)
        for rel, source in site.copies.items():
            output.copy(rel, source)
        output.names.update(site.current)  # made by an earlier build, as this one would make them
        output.commit()
    except BaseException:
        if output is not None:
            output.discard()
        raise


class Fresh:
    """A new output folder, written beside the one it replaces and swapped in whole."""

    def __init__(self, web_dir: Path) -> None:
        self.web_dir = web_dir
        self.new_parents = [p for p in reversed(web_dir.parents) if not p.exists()]  # --out made for this build
        self.staging = web_dir.with_name(f".{web_dir.name}.new-{os.getpid()}")
        try:
            web_dir.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging.mkdir()
        except OSError as error:
            raise self._named(error) from error
        self.names: set[str] = set()
        self.staging_name = str(self.staging)
        self.made_folders: set[str] = {""}  # in the staging folder, by their path there
        self.journal: list[tuple[str, ...]] | None = None  # kept in a forked process: `adopt`

    def _named(self, error: OSError, path: Path | None = None) -> OSError:
        """The error named as the trainer knows it: the output folder, not the temporary one."""
        name = str(error.filename or path or self.staging).replace(str(self.staging), str(self.web_dir), 1)
        return OSError(error.errno, error.strerror, name)

    def _target(self, rel: str) -> Path:
        return Path(self._target_name(rel))

    def _target_name(self, rel: str) -> str:
        """Where `rel` goes in the staging folder, its folder made: a path as text, for a thousand files."""
        self.names.add(rel)
        if self.journal is not None:
            self.journal.append(("name", rel))
        folder, _, _ = rel.rpartition("/")
        if folder not in self.made_folders:
            (self.staging / folder).mkdir(parents=True, exist_ok=True)
            self.made_folders.add(folder)
        return f"{self.staging_name}/{rel}"

    def write(self, rel: str, content: bytes) -> None:
        """A file written by the system's calls alone: a large course's thousand page scripts need no
        Path and no buffered file object each."""
        try:
            fd = os.open(self._target_name(rel), _NEW_FILE, 0o666)
            try:
                view = memoryview(content)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as error:
            raise self._named(error, self.staging / rel) from error

    def copy(self, rel: str, source: Path) -> None:
        try:
            _copy(source, self._target(rel))
        except OSError as error:
            raise self._named(error, self.staging / rel) from error

    def adopt(self, journal: list[tuple[str, ...]]) -> None:
        """Files a process forked during the build wrote through its copy of this output: listed too."""
        self.names.update(entry[1] for entry in journal if entry[0] == "name")

    def commit(self) -> None:
        try:
            (self.staging / MANIFEST).write_text("\n".join(sorted(self.names)) + "\n", encoding="utf-8")
            replace_dir(self.staging, self.web_dir)
        except OSError as error:
            raise self._named(error) from error

    def discard(self) -> None:
        """After a failure: the staging folder goes, and the output folder if this build made it."""
        shutil.rmtree(self.staging, ignore_errors=True)
        for folder in reversed(self.new_parents):
            try:
                folder.rmdir()
            except OSError:
                break


def _replace_file(path: Path, write) -> None:  # noqa: ANN001 - a writer taking the temporary path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    write(temporary)
    os.replace(temporary, path)


def update_site(site: RenderedSite, previous: RenderedSite, web_dir: Path) -> list[str]:
    """Rewrite only what changed since `previous` (each file swapped atomically); returns what was written.

    Used by `course serve`, where the whole course was already checked before anything is written. A
    file removed from the output since is written again: looked for in the folders whose stamp is not
    as `previous.folders` recorded it (`folder_stamps`), so an edit costs no look at every file.
    """
    check_targets(site)
    written = []
    kept = {folder for folder, stamp in previous.folders.items() if stamp and _stamp(web_dir / folder) == stamp}
    for rel, content in site.files.items():
        if previous.files.get(rel) != content or (rel.rpartition("/")[0] not in kept
                                                   and not (web_dir / rel).is_file()):
            _replace_file(web_dir / rel, lambda tmp, c=content: tmp.write_bytes(c))
            written.append(rel)
    for rel, source in site.copies.items():
        target = web_dir / rel
        if (previous.copies.get(rel) != source or not target.is_file()
                or target.stat().st_mtime_ns < source.stat().st_mtime_ns):
            _replace_file(target, lambda tmp, s=source: shutil.copy2(s, tmp))
            written.append(rel)
    for rel in (set(previous.files) | set(previous.copies)) - (set(site.files) | set(site.copies)):
        (web_dir / rel).unlink(missing_ok=True)
    names = {*site.files, *site.copies}
    if names != {*previous.files, *previous.copies}:
        listing = ("\n".join(sorted(names)) + "\n").encode("utf-8")
        _replace_file(web_dir / MANIFEST, lambda tmp: tmp.write_bytes(listing))
    site.folders = folder_stamps(web_dir, site.files)
    return written


def folder_stamps(web_dir: Path, names: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    """Each folder of the generated files `names`, as it is now: a file removed from it (or put there)
    changes its time, a folder put in its place has another inode. `update_site` looks for the files of
    a folder no longer as the last build left it, and trusts the others to be there."""
    return {folder: _stamp(web_dir / folder) for folder in {rel.rpartition("/")[0] for rel in names}}


def _stamp(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


class Update:
    """An output folder brought up to date in two steps: every changed file is first written beside
    the one it replaces (a dot-file, which no build lists), then all are swapped in at once. A build
    that fails while writing removes what it wrote, and the folder is as it was."""

    def __init__(self, web_dir: Path) -> None:
        self.web_dir = web_dir
        self.suffix = f".new-{os.getpid()}"
        self.before = set((web_dir / MANIFEST).read_text(encoding="utf-8").splitlines())
        self.names: set[str] = set()
        # (written beside, target), in the order written; a dict so that a file staged twice (a page
        # rendered again in this process after a worker) is swapped in once
        self.staged: dict[tuple[Path, Path], None] = {}
        self.folders: list[Path] = []  # made by this build, removed again if it fails
        self.known: set[Path] = set()
        self.journal: list[tuple[str, ...]] | None = None  # kept in a forked process: `adopt`

    def _beside(self, target: Path) -> Path:
        folder = target.parent
        if folder not in self.known:
            missing = [p for p in (folder, *folder.parents) if not p.exists() and p.is_relative_to(self.web_dir)]
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.extend(reversed(missing))
            self.known.add(folder)
            if self.journal is not None:
                self.journal.extend(("folder", str(made)) for made in reversed(missing))
        return target.with_name(f".{target.name}{self.suffix}")

    def write(self, rel: str, content: bytes) -> None:
        """A generated file: written only when its bytes differ from the file there."""
        self.names.add(rel)
        if self.journal is not None:
            self.journal.append(("name", rel))
        target = self.web_dir / rel
        try:
            with open(target, "rb") as current:
                if len(content) == os.fstat(current.fileno()).st_size and current.read() == content:
                    return
        except OSError:
            pass
        self._stage(target, lambda temporary: temporary.write_bytes(content))

    def copy(self, rel: str, source: Path) -> None:
        """A file copied as it is (an asset, a media file): copied only when its size or time differs."""
        self.names.add(rel)
        target = self.web_dir / rel
        try:
            have, want = target.stat(), source.stat()
            if have.st_size == want.st_size and have.st_mtime_ns == want.st_mtime_ns:
                return
        except OSError:
            pass
        self._stage(target, lambda temporary: _copy(source, temporary))

    def _stage(self, target: Path, write: Callable[[Path], object]) -> None:
        temporary = self._beside(target)
        self.staged[temporary, target] = None
        if self.journal is not None:
            self.journal.append(("staged", str(temporary), str(target)))
        try:
            write(temporary)
        except OSError as error:  # named as the trainer knows it: the file, not its temporary twin
            raise OSError(error.errno, error.strerror, str(target)) from error

    def adopt(self, journal: list[tuple[str, ...]]) -> None:
        """What a process forked during the build wrote through its copy of this output: listed,
        swapped in with the rest, and removed with the rest if the build fails."""
        for kind, *args in journal:
            if kind == "name":
                self.names.add(args[0])
            elif kind == "staged":
                self.staged[Path(args[0]), Path(args[1])] = None
            elif kind == "folder":
                self.folders.append(Path(args[0]))
                self.known.add(Path(args[0]))

    def commit(self) -> None:
        """Swap the written files in, remove what this build no longer makes, and list what it made."""
        for temporary, target in self.staged:
            if target.is_dir():  # a folder where a file now goes (a page renamed): the file wins
                shutil.rmtree(target)
            os.replace(temporary, target)
        for rel in sorted(self.before - self.names):
            gone = self.web_dir / rel
            gone.unlink(missing_ok=True)
            for folder in gone.parents:  # a folder left empty (a module removed) goes too
                if folder == self.web_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
        if self.names != self.before:
            listing = ("\n".join(sorted(self.names)) + "\n").encode("utf-8")
            _replace_file(self.web_dir / MANIFEST, lambda tmp: tmp.write_bytes(listing))
        self.staged = {}

    def discard(self) -> None:
        """After a failure: what this build wrote is removed; the files that were there are untouched."""
        for temporary, _ in self.staged:
            temporary.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except OSError:
                pass
        self.staged = {}
