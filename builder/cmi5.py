"""cmi5 packages: the course structure (cmi5.xml) and a deterministic zip of the web course with it.

One assignable unit (AU) for the whole course, or one per module (`tracking: cmi5: modules`). Each
AU's `moveOn` and `masteryScore` come from the course's result rules (builder/results.py), the
numbers the SCORM manifests declare, so an LMS judges the learner as the SCORM packages report;
titles and descriptions are given in every language of the course.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt

from .coursedata import plain_text
from .results import course_pass_mark, pass_assessments
from .scorm import LAUNCH, _error, _web_files, _write_zip

if TYPE_CHECKING:
    from .model import Course, Module

STRUCTURE = "cmi5.xml"
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
# The query parameter that tells the runtime which module an AU covers (the LMS adds its own after it).
UNIT_PARAMETER = "cw-unit"
_REFS = re.compile(r"\[\[@?([^\]|]+?)(?:\|([^\]]+))?\]\]")
_MARKDOWN = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Unit:
    """One assignable unit: what it covers and how the LMS decides the learner may move on."""

    id: str
    url: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    move_on: str
    mastery: float | None


def package_name(course: Course, label: str = "") -> str:
    """`<id>-<version>[-<label>]-cmi5.zip`, beside the SCORM zips."""
    middle = f"-{label}" if label else ""
    return f"{course.id}-{course.version}{middle}-cmi5.zip"


def write_package(course: Course, web_dir: Path, out_dir: Path,
                  translations: Mapping[str, Course] | None = None) -> Path:
    """Zip the built web course with its cmi5.xml; `translations` are the course in its other languages."""
    files = _web_files(Path(web_dir))
    if STRUCTURE in files:
        raise _error(Path(web_dir) / STRUCTURE, f"'{STRUCTURE}' is reserved for the cmi5 package",
                     "rename or remove it from the theme or the media")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / package_name(course)
    structure = render_structure(course, translations or {}).encode("utf-8")
    _write_zip(target, {**files, STRUCTURE: structure})
    return target


def mastery_score(course: Course) -> float | None:
    """The course's pass mark as cmi5's masteryScore (0 to 1), or None when no single mark decides:
    an LMS hands masteryScore back and the AU must judge the score against it, which only agrees
    with the course when its rule is a score against that mark."""
    mark = course_pass_mark(course)
    return mark.scaled if mark.by_measure else None


def units(course: Course, translations: Mapping[str, Course]) -> list[Unit]:
    """The AUs of the package, in course order."""
    base = course.tracking.activity(course.id)
    languages = {course.language: course, **translations}
    counted = {p.id for p in pass_assessments(course)}
    mastery = mastery_score(course)

    def rule(judged: bool) -> tuple[str, float | None]:
        """An AU with assessments the pass rule counts needs a pass; the others a completion."""
        return ("CompletedAndPassed", mastery) if judged else ("Completed", None)

    if course.tracking.cmi5 != "modules":
        move_on, score = rule(bool(counted))
        return [Unit(f"{base}/au", LAUNCH,
                     {lang: c.title for lang, c in languages.items()},
                     {lang: _plain(c.description) or c.title for lang, c in languages.items()},
                     move_on, score)]
    found = []
    for index, module in enumerate(course.modules):
        move_on, score = rule(any(p.id in counted for p in module.pages))
        versions = {lang: _module(c, index, module) for lang, c in languages.items()}
        found.append(Unit(f"{base}/{module.id}", f"{LAUNCH}?{UNIT_PARAMETER}={module.id}",
                          {lang: m.title for lang, m in versions.items()},
                          {lang: _plain(m.description) or m.title for lang, m in versions.items()},
                          move_on, score))
    return found


def render_structure(course: Course, translations: Mapping[str, Course]) -> str:
    """The cmi5.xml text: the course, then its AUs (titles and descriptions as langstrings)."""
    languages = {course.language: course, **translations}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<courseStructure xmlns="{NAMESPACE}">',
             f"  <course id={quoteattr(course.tracking.activity(course.id))}>",
             _text("title", {lang: c.title for lang, c in languages.items()}, "    "),
             _text("description", {lang: _plain(c.description) or c.title for lang, c in languages.items()}, "    "),
             "  </course>"]
    for unit in units(course, translations):
        mastery = f' masteryScore="{unit.mastery:g}"' if unit.mastery is not None else ""
        lines += [f'  <au id={quoteattr(unit.id)} moveOn="{unit.move_on}"{mastery} launchMethod="AnyWindow">',
                  _text("title", unit.titles, "    "), _text("description", unit.descriptions, "    "),
                  f"    <url>{escape(unit.url)}</url>", "  </au>"]
    lines.append("</courseStructure>")
    return "\n".join(lines) + "\n"


def _module(course: Course, index: int, module: Module) -> Module:
    """The same module in a translated course (matched by id, else by place)."""
    return next((m for m in course.modules if m.id == module.id), course.modules[index])


def _text(tag: str, texts: Mapping[str, str], indent: str) -> str:
    strings = "".join(f"\n{indent}  <langstring lang={quoteattr(lang)}>{escape(text)}</langstring>"
                      for lang, text in texts.items())
    return f"{indent}<{tag}>{strings}\n{indent}</{tag}>"


def _plain(markdown: str) -> str:
    """Markdown as one line of plain text (glossary and legal references as their words)."""
    text = _REFS.sub(lambda m: m.group(2) or m.group(1), markdown or "")
    return plain_text(_MARKDOWN.render(text))
