"""One copy of the theme's fonts for every language of a course: each translation's stylesheet loads
them from the source language's folder (the top), rather than each language folder carrying its own
(some 150 KB of woff2 a language in the default theme).

Relative URLs keep working from file:// (Chromium and Firefox load a font from a parent folder of the
page), from a web server and from an LMS's sub-path. A translation written on its own (its single-file
edition, its language package) keeps its own fonts: the sharing is done only where languages are
written together, in `build.compile_course`.
"""
from __future__ import annotations

import posixpath
from pathlib import Path

from .fontfaces import font_files, with_font_files

STYLESHEET = "assets/course.css"


def shared_font_files(files: dict[str, bytes], copies: dict[str, Path], top: dict[str, Path],
                      lang: str) -> tuple[dict[str, bytes], dict[str, Path]]:
    """A translation's files and copies as they go into its folder `lang/`, less the fonts its stylesheet
    loads that the top folder holds from the same source file: its stylesheet names those at the top.

    A folder of shared fonts (not assets/ itself) is shared whole where the top holds the same files,
    so the fonts' licences stay beside them.
    """
    css = files.get(STYLESHEET)
    if css is None:
        return files, copies
    base = posixpath.dirname(STYLESHEET)
    moved: dict[str, str] = {}  # URL in the stylesheet → the same file at the top
    fonts: set[str] = set()
    for url in font_files(css.decode("utf-8")):
        path, rest = _split(url)
        target = posixpath.normpath(posixpath.join(base, path))
        if target in copies and top.get(target) == copies[target]:
            moved[url] = posixpath.relpath(target, posixpath.join(lang, base)) + rest
            fonts.add(target)
    if not moved:
        return files, copies
    folders = {posixpath.dirname(font) for font in fonts} - {base}
    shared = {rel for rel, source in copies.items()
              if top.get(rel) == source and (rel in fonts or posixpath.dirname(rel) in folders)}
    kept = {rel: source for rel, source in copies.items() if rel not in shared}
    return {**files, STYLESHEET: with_font_files(css.decode("utf-8"), moved).encode("utf-8")}, kept


def _split(url: str) -> tuple[str, str]:
    """A URL's path, and its query and fragment as written (`a.svg#x` → `a.svg`, `#x`)."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]
