"""Walk `course_src/` into source records: which file is what, in which order, read once."""
from __future__ import annotations

import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Issues, SourceRef

PAGE_SUFFIXES: dict[str, str] = {".quiz.yaml": "quiz", ".scenario.yaml": "scenario", ".md": "lesson"}
_PREFIX = re.compile(r"^(\d+)[-_.]")


@dataclass(frozen=True)
class SourceFile:
    """One source file, read, with what its name says about it."""

    path: str  # relative to the course folder, with forward slashes
    kind: str  # course | glossary | frameworks | module | lesson | quiz | scenario
    slug: str
    order: int | None
    text: str

    @property
    def ref(self) -> SourceRef:
        return SourceRef(self.path, 1, 1)


@dataclass
class ModuleSources:
    folder: str
    slug: str
    order: int | None
    module_yaml: SourceFile | None
    pages: list[SourceFile] = field(default_factory=list)
    path: str = ""


@dataclass
class SourceTree:
    """Everything read from a course folder, before any YAML is parsed."""

    root: Path
    course: SourceFile | None
    glossary: SourceFile | None
    frameworks: SourceFile | None
    modules: list[ModuleSources]


_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_HYPHENS = re.compile(r"-{2,}")


def slugify(text: str) -> str:
    """A stable id from a name: lower-case, accents folded, hyphens; other scripts kept."""
    if text.isascii():  # nothing to fold: NFKD leaves ASCII as it is, and it has no combining marks
        kept = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text)
        kept = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = _NOT_WORD.sub("-", kept).replace("_", "-").strip("-")
    return _HYPHENS.sub("-", slug) or "item"


def split_name(name: str) -> tuple[int | None, str]:
    """`01-what-is.md` → (1, 'what-is.md'): the numeric prefix orders and is not part of the id."""
    match = _PREFIX.match(name)
    if match:
        return int(match.group(1)), name[match.end():]
    return None, name


def page_kind(name: str) -> tuple[str, str] | None:
    """The page kind and the bare stem of a page file name, or None if it is not a page."""
    for suffix, kind in PAGE_SUFFIXES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return kind, name[: -len(suffix)]
    return None


def _decode(data: bytes) -> str:
    """UTF-8 bytes as text, with every line break written \\n, as reading in text mode gives them."""
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# A lesson is tens of kilobytes; a file this large is a mistake or an attack on the build's memory.
MAX_SOURCE_BYTES = 4_000_000
# C0 control characters other than tab and line breaks: not text, and a NUL would reach the HTML raw.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20), 0x7f])  # the same: ASCII, so bytes in UTF-8

# A file changed this shortly before a build may change again within the same tick of the file system's
# clock (2 s on FAT) without its size changing: the cache keeps only files that were quiet for longer.
SETTLED_NS = 2_000_000_000

# What read_sources keeps between builds for `course serve`: file path → (its os.stat signature, kind and
# relative path, what reading it gave, the problems reading it found); ("module", folder path) → (the
# folder's signature, the module as read, the paths of its files read).
SourceCache = dict


def _signature(info: os.stat_result) -> tuple[int, int, int]:
    """What says a file (or a folder's list of names) has changed."""
    return info.st_mtime_ns, info.st_size, info.st_ino


class _Reader:
    """Reads source files, from `cache` when their os.stat says they have not changed."""

    def __init__(self, root: Path, issues: Issues, cache: SourceCache | None) -> None:
        self.root, self.issues, self.cache = str(root), issues, cache
        self.folders: dict[str, str] = {}  # folder → its real path, for inside()
        self.inside: dict[str, bool] = {}  # folder → whether it is inside the course, links followed
        self.kept: SourceCache = {}
        self.started = time.time_ns()

    def read(self, path: str, rel: str, kind: str, entry: os.DirEntry[str] | None = None) -> SourceFile | None:
        """The file at `path`; `entry`, its folder's listing of it, when the caller has one (a file that
        is no link is inside the course when its folder is, and its listing stats it once)."""
        if not self._inside(path, entry):
            self.issues.error(SourceRef(rel), "file is a link to a file outside the course folder",
                              "copy the file into the course folder instead of linking to it")
            return None
        if self.cache is None:
            return self._read(path, rel, kind, self.issues)
        info = os.stat(path) if entry is None else entry.stat()
        signature = _signature(info)
        hit = self.cache.get(path)
        if hit is not None and hit[0] == signature and hit[1] == (kind, rel):
            self.kept[path] = hit
            if hit[3]:
                self.issues.extend(hit[3])
            return hit[2]
        found = Issues()
        source = self._read(path, rel, kind, found)
        self.issues.extend(found.items)
        if self.started - info.st_mtime_ns >= SETTLED_NS:
            self.kept[path] = (signature, (kind, rel), source, found.items)
        return source

    def _inside(self, path: str, entry: os.DirEntry[str] | None) -> bool:
        if entry is None or entry.is_symlink():
            return _inside(path, self.root, self.folders) is not None
        folder = os.path.dirname(path)
        inside = self.inside.get(folder)
        if inside is None:
            inside = self.inside[folder] = _inside(folder, self.root, self.folders) is not None
        return inside

    def kept_module(self, folder: str) -> ModuleSources | None:
        """A module folder as the last build read it, when neither the folder (a file added, removed or
        renamed changes its time) nor any file read from it has changed since: a module is then looked
        at without listing it, nor reading or naming its files again."""
        hit = self.cache.get(("module", folder)) if self.cache is not None else None
        if hit is None:
            return None
        stamp, module, paths = hit
        try:
            if _signature(os.stat(folder)) != stamp or any(
                    _signature(os.stat(path)) != self.cache[path][0] for path in paths):  # type: ignore[index]
                return None
        except (OSError, KeyError):
            return None
        self.kept[("module", folder)] = hit
        for path in paths:
            self.kept[path] = self.cache[path]  # type: ignore[index]
        return ModuleSources(module.folder, module.slug, module.order, module.module_yaml, list(module.pages),
                             module.path)

    def keep_module(self, folder: str, module: ModuleSources) -> None:
        """Remember a module folder read without a problem, whose files are all kept (settled)."""
        if self.cache is None:
            return
        paths = [os.path.join(folder, f.path.rpartition("/")[2])
                 for f in ([module.module_yaml] if module.module_yaml else []) + module.pages]
        try:
            info = os.stat(folder)
        except OSError:
            return
        if self.started - info.st_mtime_ns >= SETTLED_NS and all(path in self.kept for path in paths):
            self.kept[("module", folder)] = (_signature(info), module, paths)

    def finish(self) -> None:
        """Leave in the cache only the files this build read."""
        if self.cache is not None:
            self.cache.clear()
            self.cache.update(self.kept)

    @staticmethod
    def _read(path: str, rel: str, kind: str, issues: Issues) -> SourceFile | None:
        data = read_at_most(path, MAX_SOURCE_BYTES)
        if len(data) > MAX_SOURCE_BYTES:
            issues.error(SourceRef(rel), f"file is larger than {MAX_SOURCE_BYTES // 1_000_000} MB",
                         "split it into several pages; put large media in media/ and link to it")
            return None
        try:
            text = _decode(data)
        except UnicodeDecodeError as exc:
            issues.error(SourceRef(rel), f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                         "save it as UTF-8")
            return None
        # Deleting them from the bytes is many times faster than searching the text (a sixth of reading a course)
        control = _CONTROL.search(text) if len(data.translate(None, _CONTROL_BYTES)) != len(data) else None
        if control is not None:
            at = control.start()
            line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
            issues.error(SourceRef(rel, line, col), f"control character U+{ord(control.group()):04X} in the text",
                         "delete it: it is not text, and browsers show it as a box or drop it")
            return None
        order, rest = split_name(rel.rpartition("/")[2])
        page = page_kind(rest)
        stem = page[1] if page else rest.rsplit(".", 1)[0]
        return SourceFile(rel, kind, slugify(stem), order, text.lstrip("\ufeff"))


def read_at_most(path: str, limit: int) -> bytes:
    """The file's bytes, or its first `limit` + 1 when it is larger (to say so without reading it all).

    Asked for by the file's size, not the limit: a read of `limit` + 1 bytes sets aside that much
    memory first, and doing so for each of a thousand small files was most of the time reading a
    course took. A file that is read in parts, or grows while it is read, is read on.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = min(os.fstat(fd).st_size, limit)
        data = os.read(fd, size + 1)
        while len(data) != size and len(data) <= limit:
            more = os.read(fd, min(1 << 16, limit + 1 - len(data)))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def _sort_key(order: int | None, name: str) -> tuple[int, int, str]:
    return (0 if order is not None else 1, order or 0, name)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    """A folder's entries in the order pathlib sorts them (by name; on Windows, ignoring case)."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: os.path.normcase(entry.name))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop, say: pathlib's answer, which is False for those
        return Path(entry.path).is_dir()


def read_sources(root: Path, issues: Issues, cache: SourceCache | None = None) -> SourceTree:
    """Read every file of a course folder; report missing or misplaced files.

    `cache`, a dict the caller keeps between builds (`course serve`), spares reading again the files
    whose modification time, size and inode have not changed; the tree is the same as a fresh read's.
    """
    root = root.resolve()
    if not root.is_dir():
        issues.error(SourceRef(str(root)), "course folder not found",
                     "give the folder that holds course.yaml, or run 'course new DIR' to start one")
        return SourceTree(root, None, None, None, [])
    reader = _Reader(root, issues, cache)
    tree = _read_tree(root, reader)
    reader.finish()
    return tree


def _read_tree(root: Path, reader: _Reader) -> SourceTree:
    def optional(name: str, kind: str) -> SourceFile | None:
        path = root / name
        return reader.read(str(path), name, kind) if path.is_file() else None

    issues = reader.issues
    course = optional("course.yaml", "course")
    if course is None and not (root / "course.yaml").exists():
        issues.error(SourceRef("course.yaml"), "course.yaml not found in the course folder",
                     "every course needs a course.yaml with at least id and title")
    tree = SourceTree(root, course, optional("glossary.yaml", "glossary"),
                      optional("frameworks.yaml", "frameworks"), [])

    modules_dir = root / "modules"
    if not modules_dir.is_dir():
        if course is not None:
            issues.error(SourceRef("course.yaml"), "the course has no modules/ folder",
                         "put each module in its own folder under modules/")
        return tree
    for folder in _entries(str(modules_dir)):
        if not _is_dir(folder) or folder.name.startswith("."):
            continue
        module = reader.kept_module(folder.path)
        if module is None:
            known = len(issues.items)
            module = _read_module(folder, reader)
            if len(issues.items) == known:
                reader.keep_module(folder.path, module)
        tree.modules.append(module)
    tree.modules.sort(key=lambda m: _sort_key(m.order, m.folder))
    return tree


def _read_module(folder: os.DirEntry[str], reader: _Reader) -> ModuleSources:
    order, rest = split_name(folder.name)
    module = ModuleSources(folder.name, slugify(rest), order, None, path=f"modules/{folder.name}")
    for entry in _entries(folder.path):
        name = entry.name
        if name.startswith(".") or _is_dir(entry):
            continue
        rel = f"{module.path}/{name}"
        if name == "module.yaml":
            module.module_yaml = reader.read(entry.path, rel, "module", entry)
            continue
        kind = page_kind(split_name(name)[1])
        if kind is None:
            reader.issues.warning(SourceRef(rel), "file is not a page and was left out",
                                  "pages end in .md, .quiz.yaml or .scenario.yaml")
            continue
        page = reader.read(entry.path, rel, kind[0], entry)
        if page is not None:
            module.pages.append(page)
    module.pages.sort(key=lambda p: _sort_key(p.order, p.path.rpartition("/")[2]))
    return module


def inside(path: Path | str, folder: Path | str, folders: dict[str, str] | None = None) -> Path | None:
    """The real path of `path` if, links followed, it is inside `folder`; None if it leads anywhere else.

    Every file the builder reads from a course or a theme passes here (or through resolve_inside, which
    does the same for paths written in sources): a link may point within its folder, never out of it.
    `folders` keeps the real path of each folder met so far, for a caller that checks thousands of files.
    """
    real = _inside(str(path), str(folder), {} if folders is None else folders)
    return Path(real) if real is not None else None


def _inside(path: str, folder: str, folders: dict[str, str]) -> str | None:
    """`inside`, as text (a course's thousand files are checked without making a Path of each)."""
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    real = _real_path(os.path.abspath(path), folders)
    return real if real.startswith(real_folder.rstrip(os.sep) + os.sep) else None


def resolve_inside(root: Path, base_dir: str, raw: str,
                   folders: dict[str, str] | None = None) -> tuple[Path | None, str]:
    """Resolve a path a source names, relative to its file or to the course folder.

    Returns (absolute path, "") or (None, reason). Never returns a path outside `root`. `folders`
    keeps the real path of each folder named so far, for a build that resolves thousands of links.
    """
    if not raw or raw.startswith(("/", "\\")) or _SCHEME.match(raw):
        return None, "use a path relative to the file or to the course folder, not an absolute path or URL"
    clean = raw.split("#", 1)[0].split("?", 1)[0]
    inside = str(root)
    folders = {} if folders is None else folders
    first = ""
    try:
        for folder in (base_dir, ""):
            resolved = _real_path(os.path.join(inside, folder, clean), folders)
            if resolved.startswith(inside + os.sep) and os.path.isfile(resolved):
                return Path(resolved), ""
            first = first or resolved
    except (OSError, ValueError):
        return None, "not a usable file name (too long, or with a character files cannot have)"
    if not (first + os.sep).startswith(inside + os.sep):
        return None, "the path leads outside the course folder"
    return None, "no such file"


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _real_path(path: str, folders: dict[str, str]) -> str:
    """`os.path.realpath`, with the folder part looked up once: only the last step is checked each time."""
    folder, name = os.path.split(path)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    if name in ("", ".", ".."):
        return os.path.realpath(path)
    joined = os.path.join(real_folder, name)
    try:
        linked = stat.S_ISLNK(os.lstat(joined).st_mode)  # a name with a NUL raises ValueError, as realpath does
    except OSError:
        return joined
    return os.path.realpath(joined) if linked else joined
