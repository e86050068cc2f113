"""Problems in a trainer's sources, with the position to fix them at."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

import click

Severity = Literal["error", "warning"]


def root_label(source: Path) -> str:
    """How to name the course folder in messages: as the trainer typed it, relative where possible."""
    text = os.path.relpath(source) if source.is_absolute() else str(source)
    return text if not text.startswith("..") else str(source)


@dataclass(frozen=True, order=True)
class SourceRef:
    """A place in a source file: a path relative to the course folder, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __init__(self, path: str, line: int = 1, col: int = 1) -> None:
        # Written by hand (dataclass keeps it): YAML loading makes one for every key and value, and
        # filling __dict__ directly is about 2.5 times faster than the frozen dataclass's setattr calls.
        fields = self.__dict__
        fields["path"], fields["line"], fields["col"] = path, line, col

    def at(self, line: int, col: int = 1) -> SourceRef:
        return SourceRef(self.path, line, col)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Issue:
    """One problem: where it is, what is wrong, and how to fix it."""

    where: SourceRef
    message: str
    severity: Severity = "error"
    hint: str = ""

    def location(self, root_label: str = "") -> str:
        """`file:line:col` as the trainer finds the file: under the course folder, or relative to here."""
        path = self.where.path
        if os.path.isabs(path):
            relative = os.path.relpath(path)
            path = path if relative.startswith("..") else relative
        elif root_label:
            path = f"{root_label}/{path}"
        return f"{path}:{self.where.line}:{self.where.col}"

    def format(self, root_label: str = "") -> str:
        text = f"{self.location(root_label)}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.where.path, self.where.line, self.where.col, self.message)


@dataclass
class Issues:
    """Collects every problem of a run so they can all be reported at once."""

    items: list[Issue] = field(default_factory=list)

    def error(self, where: SourceRef, message: str, hint: str = "") -> None:
        self.items.append(Issue(where, message, "error", hint))

    def warning(self, where: SourceRef, message: str, hint: str = "") -> None:
        self.items.append(Issue(where, message, "warning", hint))

    def extend(self, other: Iterable[Issue]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.severity == "warning"]

    def sorted(self) -> list[Issue]:
        unique = {(i.where, i.severity, i.message, i.hint): i for i in self.items}
        return sorted(unique.values(), key=Issue.sort_key)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class BuildError(click.ClickException):
    """The one user-facing failure: the CLI prints it and exits 1, with no traceback."""

    exit_code = 1

    def __init__(self, issues: list[Issue], root_label: str = "", action: str = "build failed") -> None:
        self.issues = issues
        self.root_label = root_label
        errors = sum(1 for i in issues if i.severity == "error")
        warnings = len(issues) - errors
        lines = [i.format(root_label) for i in issues]
        summary = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
        lines.append(f"{action}: {summary}; nothing was written")
        super().__init__("\n".join(lines))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(self.format_message(), err=True)


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """A 'did you mean ...' hint, or '' when nothing is close."""
    import difflib  # imported when needed: only a source with a mistake asks

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)]
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


class SystemFailure(click.ClickException):
    """The computer refused (a full disk, a read-only folder, no permission): one line, exit 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"error: {self.format_message()}", err=True)


# What to do about each refusal, by errno name; the rest get the system's own words.
_OS_HINTS = {
    "ENOSPC": "free some space on the disk, or give another --out",
    "EDQUOT": "free some space (your disk quota is used up), or give another --out",
    "EFBIG": "a file grew past the size this system allows: free some space or give another --out",
    "EROFS": "that file system is read-only: give another --out",
    "EACCES": "you may not write there: give another --out, or change the folder's permissions",
    "EPERM": "you may not write there: give another --out, or change the folder's permissions",
    "EMFILE": "too many files are open: close some programs and try again",
}


def os_failure(error: OSError) -> SystemFailure:
    """An OSError said for the trainer: which file, what the system said, what to do; outputs stay as they were."""
    import errno as errnos

    name = errnos.errorcode.get(error.errno or 0, "")
    path = error.filename or ""
    if path and os.path.isabs(str(path)):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    reason = error.strerror or str(error)
    hint = _OS_HINTS.get(name, "")
    text = f"{path}: {reason}" if path else reason
    if hint:
        text += f" ({hint})"
    return SystemFailure(text + "; what was written before is left as it was")
