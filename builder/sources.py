"""Walk `course_src/` into source records: which file is what, in which order, read once."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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


def slugify(text: str) -> str:
    """A stable id from a name: lower-case, accents folded, hyphens; other scripts kept."""
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^\w]+", "-", kept, flags=re.UNICODE).replace("_", "-").strip("-")
    return re.sub(r"-{2,}", "-", slug) or "item"


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


def _read(root: Path, path: Path, kind: str, issues: Issues) -> SourceFile | None:
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        issues.error(SourceRef(rel), f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                     "save it as UTF-8")
        return None
    order, rest = split_name(path.name)
    stem = page_kind(rest)[1] if page_kind(rest) else rest.rsplit(".", 1)[0]
    return SourceFile(rel, kind, slugify(stem), order, text.lstrip("\ufeff"))


def _sort_key(order: int | None, name: str) -> tuple[int, int, str]:
    return (0 if order is not None else 1, order or 0, name)


def read_sources(root: Path, issues: Issues) -> SourceTree:
    """Read every file of a course folder; report missing or misplaced files."""
    root = root.resolve()
    if not root.is_dir():
        issues.error(SourceRef(str(root)), "course folder not found",
                     "give the folder that holds course.yaml, or run 'course new DIR' to start one")
        return SourceTree(root, None, None, None, [])

    def optional(name: str, kind: str) -> SourceFile | None:
        path = root / name
        return _read(root, path, kind, issues) if path.is_file() else None

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
    for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        order, rest = split_name(folder.name)
        module = ModuleSources(folder.name, slugify(rest), order, None,
                               path=folder.relative_to(root).as_posix())
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.name == "module.yaml":
                module.module_yaml = _read(root, path, "module", issues)
                continue
            kind = page_kind(split_name(path.name)[1])
            if kind is None:
                issues.warning(SourceRef(path.relative_to(root).as_posix()),
                               "file is not a page and was left out",
                               "pages end in .md, .quiz.yaml or .scenario.yaml")
                continue
            page = _read(root, path, kind[0], issues)
            if page is not None:
                module.pages.append(page)
        module.pages.sort(key=lambda p: _sort_key(p.order, PurePosixPath(p.path).name))
        tree.modules.append(module)
    tree.modules.sort(key=lambda m: _sort_key(m.order, m.folder))
    return tree


def resolve_inside(root: Path, base_dir: str, raw: str) -> tuple[Path | None, str]:
    """Resolve a path a source names, relative to its file or to the course folder.

    Returns (absolute path, "") or (None, reason). Never returns a path outside `root`.
    """
    if not raw or raw.startswith(("/", "\\")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
        return None, "use a path relative to the file or to the course folder, not an absolute path or URL"
    clean = raw.split("#", 1)[0].split("?", 1)[0]
    try:
        candidates = [(root / base_dir / clean).resolve(), (root / clean).resolve()]
        for resolved in candidates:
            if resolved.is_relative_to(root) and resolved.is_file():
                return resolved, ""
    except (OSError, ValueError):
        return None, "not a usable file name (too long, or with a character files cannot have)"
    if not candidates[0].is_relative_to(root):
        return None, "the path leads outside the course folder"
    return None, "no such file"
