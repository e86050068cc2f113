"""One copy of the theme's fonts for every language of a course: each translation's stylesheet loads
them from the source language's folder (the top), rather than each language folder carrying its own
(some 150 KB of woff2 a language in the default theme).

Relative URLs keep working from file:// (Chromium and Firefox load a font from a parent folder of the
page), from a web server and from an LMS's sub-path. A translation written on its own (its single-file
edition, its language package) keeps its own fonts: the sharing is done only where languages are
written together, in `build.compile_course`. A language's own package carries no font that only the
course's other languages draw their text with (`own_fonts`): the English package no Arabic font.
"""
from __future__ import annotations

import posixpath
from pathlib import Path

from .fontfaces import font_files, site_text, used_font_faces, with_font_files, without_font_files

STYLESHEET = "assets/course.css"

Files = tuple[dict[str, bytes], dict[str, Path]]  # a site's generated files and the files it copies


def own_fonts(languages: dict[str, Files]) -> dict[str, Files]:
    """Each language's site as it goes into a package of its own, less the fonts that only the other
    languages' text is drawn with: their @font-face rules and their files.

    What a language's pages may draw (`fontfaces.site_text`) decides, as for the single file. A face
    that no language draws with stays in every package, as in the whole course's: it is there for what
    learners type (a name on the certificate in letters the course's text does not use).
    """
    drawn = {lang: _faces_drawn(files) for lang, (files, _) in languages.items()}
    out: dict[str, Files] = {}
    for lang, (files, copies) in languages.items():
        others = set().union(*(faces for other, faces in drawn.items() if other != lang))
        unused = others - drawn[lang]
        css = files.get(STYLESHEET)
        if css is None or not unused:
            out[lang] = files, copies
            continue
        base = posixpath.dirname(STYLESHEET)
        gone = {posixpath.normpath(posixpath.join(base, _split(url)[0])) for url in unused}
        kept_css = without_font_files(css.decode("utf-8"), unused).encode("utf-8")
        out[lang] = ({**{rel: data for rel, data in files.items() if rel not in gone}, STYLESHEET: kept_css},
                     {rel: source for rel, source in copies.items() if rel not in gone})
    return out


def _faces_drawn(files: dict[str, bytes]) -> set[str]:
    """The font files (URLs as the stylesheet writes them) of the faces a site's text is drawn with."""
    css = files.get(STYLESHEET)
    if css is None:
        return set()
    return set(font_files(used_font_faces(css.decode("utf-8"), site_text(files))))


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
