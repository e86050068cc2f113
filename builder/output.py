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
            shutil.copyfile(source, path)
    except OSError as error:
        if error.filename:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error


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
    present = sorted(p.relative_to(web_dir).as_posix() for p in web_dir.rglob("*")
                     if (p.is_file() or p.is_symlink()) and not any(part.startswith(".")
                                                                    for part in p.relative_to(web_dir).parts))
    manifest = web_dir / MANIFEST
    if manifest.is_file():
        ours = set(manifest.read_text(encoding="utf-8").splitlines())
        return [p for p in present if p not in ours]
    # Made before builds kept a list: a course build has its page and its assets/; anything else is not one.
    looks_built = (web_dir / "index.html").is_file() and (web_dir / "assets").is_dir()
    return [] if looks_built or not present else present


def write_site(site: RenderedSite, web_dir: Path) -> None:
    """Write to a temporary sibling folder, then swap it in."""
    check_targets(site)
    if web_dir.parent.exists() and not web_dir.parent.is_dir():
        raise click.ClickException(f"{web_dir.parent} is a file, not a folder: give another --out")
    foreign = _foreign_files(web_dir)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise click.ClickException(
            f"{web_dir} holds files the build did not write: {shown}. The build replaces the whole folder: "
            "move them elsewhere (or delete them), or give another --out; nothing was changed")
    web_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = web_dir.with_name(f".{web_dir.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        write_tree(site, staging)
        (staging / MANIFEST).write_text("\n".join(sorted({*site.files, *site.copies})) + "\n", encoding="utf-8")
        replace_dir(staging, web_dir)
    except OSError as error:  # named as the trainer knows it: the output folder, not the temporary one
        name = str(error.filename or staging).replace(str(staging), str(web_dir), 1)
        raise OSError(error.errno, error.strerror, name) from error
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
    names = {*site.files, *site.copies}
    if names != {*previous.files, *previous.copies}:
        listing = ("\n".join(sorted(names)) + "\n").encode("utf-8")
        _replace_file(web_dir / MANIFEST, lambda tmp: tmp.write_bytes(listing))
    return written
