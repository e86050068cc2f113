"""Write the web course atomically: a failed build leaves the previous one exactly as it was."""
from __future__ import annotations

import os
import shutil

import click
from pathlib import Path

from .errors import BuildError, Issue, SourceRef
from .render import RenderedSite


def target_issues(site: RenderedSite) -> list[Issue]:
    """Writing one path twice is an error that names both sources (the later would silently win)."""
    clashes = sorted(set(site.files) & set(site.copies))
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
    """Write every file into `target` (which must not exist yet)."""
    target.mkdir(parents=True)
    made: set[Path] = set()
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
        shutil.copyfile(source, path)


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


def write_site(site: RenderedSite, web_dir: Path) -> None:
    """Write to a temporary sibling folder, then swap it in."""
    check_targets(site)
    if web_dir.parent.exists() and not web_dir.parent.is_dir():
        raise click.ClickException(f"{web_dir.parent} is a file, not a folder: give another --out")
    web_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = web_dir.with_name(f".{web_dir.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        write_tree(site, staging)
        replace_dir(staging, web_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_file(path: Path, write) -> None:  # noqa: ANN001 - a writer taking the temporary path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    write(temporary)
    os.replace(temporary, path)


def update_site(site: RenderedSite, previous: RenderedSite, web_dir: Path) -> list[str]:
    """Rewrite only what changed since `previous` (each file swapped atomically); returns what was written.

    Used by `course serve`, where the whole course was already checked before anything is written.
    """
    check_targets(site)
    written = []
    for rel, content in site.files.items():
        if previous.files.get(rel) != content or not (web_dir / rel).is_file():
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
    return written
