"""The package stage: the built course as SCORM zips (whole course and each language) and a cmi5 zip."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

from .build import BuildCaches, BuildReport, compile_course
from .cmi5 import write_package as write_cmi5_package
from .output import write_tree
from .render import RenderedSite
from .scorm import write_packages
from .sharedfonts import own_fonts


def _language_part(site: RenderedSite, lang: str | None, languages: Sequence[str]) -> RenderedSite:
    """The files of one language of a multi-language site, as a site of its own: a translation's own
    site, which carries its own fonts (in the whole site, it loads the top folder's); the fonts only
    the other languages draw with are then left out (`sharedfonts.own_fonts`)."""
    if lang is not None:
        translated = site.translations[lang]
        return RenderedSite(files=translated.files, copies=translated.copies)
    prefixes = tuple(f"{code}/" for code in languages)  # the source language: all but the translations
    part = RenderedSite()
    part.files = {k: v for k, v in site.files.items() if not k.startswith(prefixes)}
    part.copies = {k: v for k, v in site.copies.items() if not k.startswith(prefixes)}
    return part


def package_course(report: BuildReport, source: Path, out: Path, versions: Sequence[str],
                   strict: bool = False, cmi5: bool = False) -> list[Path]:
    """Zip the course built in `report`; with translations, also one SCORM package per language.

    The main packages hold every language with its picker, launched by a page that keeps one LMS
    session whatever the language. The language packages hold one language each, with no picker, for
    LMSs that give each language its own activity. The cmi5 package needs none: its titles carry every
    language.
    """
    assert report.web_dir is not None
    translations = report.course.translations
    written = write_packages(report.course, report.web_dir, out, versions, shell=bool(translations))
    if cmi5:
        translated = report.site.translations if report.site else {}
        courses = {lang: site.course for lang, site in translated.items() if site.course is not None}
        written.append(write_cmi5_package(report.course, report.web_dir, out, courses))
    if not translations or not versions:
        return written
    _, single, _ = compile_course(source, strict=strict, caches=BuildCaches(), picker=False)
    parts = {lang: _language_part(single, None if lang == report.course.language else lang, translations)
             for lang in (report.course.language, *translations)}
    fonts = own_fonts({lang: (part.files, part.copies) for lang, part in parts.items()})
    for lang, part in parts.items():
        part.files, part.copies = fonts[lang]
        course = report.course if lang == report.course.language else single.translations[lang].course
        with tempfile.TemporaryDirectory(prefix="course-package-") as temporary:
            web_dir = Path(temporary) / "web"
            write_tree(part, web_dir)
            written += write_packages(course, web_dir, out, versions, label=lang)
    return written
