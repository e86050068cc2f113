"""Broken sources: each is the tiny course with one small change, and the exact line `course check` prints.

Every case copies `tests/fixtures/courses/tiny/` (and the plain test theme it names) into a
temporary folder, changes one file, runs `course check tiny` from the folder holding it, and
expects exit status 1, no traceback, and exactly the expected `path:line:col: severity: message (hint)`
lines, sorted by file and line.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from builder.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"
PLAIN = FIXTURES / "themes" / "plain"

INTRO = "modules/01-basics/01-intro.md"
MORE = "modules/01-basics/02-more.md"
CHECK = "modules/01-basics/03-check.quiz.yaml"
BASICS = "modules/01-basics/module.yaml"
WINDOW = "modules/02-practice/01-window.scenario.yaml"
FINAL = "modules/02-practice/02-final.quiz.yaml"
PRACTICE = "modules/02-practice/module.yaml"

# The builder parses with libyaml when PyYAML has it, and libyaml words some problems differently.
LIBYAML = hasattr(yaml, "CSafeLoader")
TAB_PROBLEM = ("found character that cannot start any token" if LIBYAML
               else "found character '\\t' that cannot start any token")


# --- patches -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Replace:
    """Replace text that occurs exactly once in a file (so a fixture edit cannot silently void a case)."""

    path: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        text = target.read_text(encoding="utf-8")
        assert text.count(self.old) == 1, f"{self.path} must contain {self.old!r} exactly once"
        target.write_text(text.replace(self.old, self.new), encoding="utf-8")


@dataclass(frozen=True)
class Write:
    """Create or overwrite a file."""

    path: str
    text: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.text, encoding="utf-8")


@dataclass(frozen=True)
class WriteBytes:
    """Create or overwrite a file with raw bytes (for encodings other than UTF-8)."""

    path: str
    data: bytes

    def apply(self, root: Path) -> None:
        (root / self.path).write_bytes(self.data)


@dataclass(frozen=True)
class Delete:
    path: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        assert target.is_file(), f"{self.path} is not in the tiny course"
        target.unlink()


Patch = Replace | Write | WriteBytes | Delete


@dataclass(frozen=True)
class Case:
    id: str
    patches: tuple[Patch, ...]
    expected: tuple[str, ...]
    strict: bool = False
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def case(id: str, *patches: Patch, expect: str | tuple[str, ...], strict: bool = False,
         marks: tuple[pytest.MarkDecorator, ...] = ()) -> Case:
    expected = (expect,) if isinstance(expect, str) else expect
    return Case(id, patches, expected, strict, marks)


def copy_tiny(tmp_path: Path) -> Path:
    """The tiny course at tmp/courses/tiny with its theme at tmp/themes/plain, as in the fixtures."""
    course = tmp_path / "courses" / "tiny"
    shutil.copytree(TINY, course)
    shutil.copytree(PLAIN, tmp_path / "themes" / "plain")
    return course


def check(course: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """`course check tiny` run from the folder holding the course, as a trainer would type it."""
    monkeypatch.chdir(course.parent)
    return CliRunner().invoke(main, ["check", course.name, *args])


# --- the cases ---------------------------------------------------------------------------------

# Each expectation is the whole list of issue lines `course check` prints, in the order it prints them
# (sorted by file, then line); the summary line after them is checked separately.
CASES = [
    # --- YAML ----------------------------------------------------------------------------------
    case("yaml-syntax-lesson-front-matter",
         Replace(INTRO, "summary: The words of the course.", "summary: The words: of the course."),
         expect=f"tiny/{INTRO}:6:19: error: YAML syntax error: mapping values are not allowed in this context "
                "(put text that contains ': ' in quotes)"),
    case("yaml-syntax-quiz",
         Replace(CHECK, "answers: [Model Law]", "answers: [Model Law"),
         expect=f"tiny/{CHECK}:28:1: error: YAML syntax error: did not find expected ',' or ']'"),
    case("yaml-syntax-course",
         Replace("course.yaml", "title: Tiny Course", "title: Tiny Course\n  language: en"),
         expect="tiny/course.yaml:3:11: error: YAML syntax error: mapping values are not allowed in this context "
                "(put text that contains ': ' in quotes)"),
    case("yaml-tab-indent",
         Replace(PRACTICE, "  - Decide at the window", "\t- Decide at the window"),
         expect=f"tiny/{PRACTICE}:3:1: error: YAML syntax error: {TAB_PROBLEM} (indent with spaces, not tabs)"),
    case("yaml-duplicate-key",
         Replace("course.yaml", "license: CC BY 4.0", "license: CC BY 4.0\ntitle: Another title"),
         expect="tiny/course.yaml:10:1: error: duplicate key 'title' (first at line 2) "
                "(each key may appear once in a mapping)"),
    case("yaml-duplicate-key-in-question",
         Replace(CHECK, "    prompt: Which are instruments?",
                 "    prompt: Which are instruments?\n    prompt: Which are laws?"),
         expect=f"tiny/{CHECK}:18:5: error: duplicate key 'prompt' (first at line 17) "
                "(each key may appear once in a mapping)"),
    # --- schema: types, required and unknown keys, enums, slugs ----------------------------------
    case("wrong-type-duration",
         Replace(INTRO, "duration: 10", 'duration: "ten"'),
         expect=f"tiny/{INTRO}:5:11: error: 'duration' must be an integer, not text"),
    case("missing-required-title",
         Replace(INTRO, "title: Introduction\n", ""),
         expect=f"tiny/{INTRO}:2:1: error: missing required key 'title'"),
    case("missing-required-module-title",
         Replace(PRACTICE, "title: Practice\n", ""),
         expect=f"tiny/{PRACTICE}:1:1: error: missing required key 'title'"),
    case("lesson-without-front-matter",
         Write(INTRO, "# Introduction\n\nNo front matter.\n"),
         expect=f"tiny/{INTRO}:1:1: error: lesson has no front matter "
                "(start the file with a '---' block holding at least 'title:')"),
    case("unknown-key-did-you-mean",
         Replace(INTRO, "title: Introduction", "titel: Introduction"),
         expect=f"tiny/{INTRO}:2:1: error: unknown key 'titel' in lesson front matter (did you mean 'title'?)"),
    case("bad-enum-did-you-mean",
         Replace(FINAL, "kind: assessment", "kind: asessment"),
         expect=(f"tiny/{FINAL}:2:7: error: 'kind' must be one of: knowledge-check, assessment "
                 "(got 'asessment') (did you mean 'assessment'?)",)),
    case("bad-slug-course-id",
         Replace("course.yaml", "id: tiny-course", "id: Tiny Course"),
         expect="tiny/course.yaml:1:5: error: 'id' must be a slug (lower-case letters, digits and hyphens), "
                "got 'Tiny Course' (try 'tiny-course')"),
    case("bad-slug-question-id",
         Replace(CHECK, "id: pick-many", "id: Pick_Many"),
         expect=f"tiny/{CHECK}:15:9: error: 'id' must be a slug (lower-case letters, digits and hyphens), "
                "got 'Pick_Many' (try 'pick-many')"),
    # --- ids -------------------------------------------------------------------------------------
    case("duplicate-page-id-across-files",
         Write("modules/01-basics/04-intro.md", "---\ntitle: Introduction again\n---\n\nText.\n"),
         expect="tiny/modules/01-basics/04-intro.md:1:1: error: duplicate page id 'basics/intro' "
                f"(also at {INTRO}:1) (page file names must differ after their number prefix and kind suffix)"),
    case("duplicate-module-id",
         Write("modules/03-basics/module.yaml", "title: Basics again\n"),
         expect="tiny/modules/03-basics/module.yaml:1:1: error: duplicate module id 'basics' "
                f"(also at {BASICS}:1) (module folders must differ after their number prefix)"),
    case("duplicate-question-id",
         Replace(CHECK, "id: pick-many", "id: pick-one"),
         expect=f"tiny/{CHECK}:15:5: error: duplicate question id 'pick-one' (also at {CHECK}:6) "
                "(question ids must be unique in a quiz: the LMS sees them)"),
    # --- quiz rules ------------------------------------------------------------------------------
    case("quiz-no-correct-option",
         Replace(CHECK, "      - text: Consent\n        correct: true\n", "      - text: Consent\n"),
         expect=f"tiny/{CHECK}:6:5: error: question 'pick-one' has no correct option "
                "(mark the right answer with 'correct: true')"),
    case("single-with-two-correct",
         Replace(CHECK, "      - text: Referral\n", "      - text: Referral\n        correct: true\n"),
         expect=f"tiny/{CHECK}:6:5: error: single-choice question 'pick-one' has 2 correct options "
                "(keep one 'correct: true', or use type: multiple)"),
    case("draw-larger-than-pool",
         Replace(FINAL, "draw: 2", "draw: 5"),
         expect=f"tiny/{FINAL}:6:7: error: draw is 5 but the quiz has only 3 questions "
                "(lower draw or add questions to the pool)"),
    case("unknown-question-type",
         Replace(FINAL, "type: ordering", "type: essay"),
         expect=(f"tiny/{FINAL}:21:11: error: 'type' must be one of: single, multiple, true-false, fill-in, "
                 "matching, ordering, categorisation, hotspot (got 'essay')")),
    case("field-of-another-type",
         Replace(CHECK, "    prompt: Which word means agreement freely given?",
                 "    prompt: Which word means agreement freely given?\n    answers: [Consent]"),
         expect=f"tiny/{CHECK}:6:5: error: question 'pick-one' of type single has 'answers', which belongs to "
                "fill-in questions (remove 'answers' or change the type)"),
    case("true-false-without-answer",
         Replace(FINAL, "    answer: true\n", ""),
         expect=f"tiny/{FINAL}:10:5: error: true-false question 'true-or-false' has no 'answer' "
                "(add 'answer: true' or 'answer: false')"),
    case("fill-in-without-answers",
         Replace(CHECK, "answers: [Model Law]", "answers: []"),
         expect=f"tiny/{CHECK}:24:5: error: fill-in question 'name-it' has no accepted 'answers' "
                "(list the accepted answers, e.g. answers: [Palermo Protocol])"),
    case("matching-with-one-pair",
         Replace(FINAL, "      - {left: Local Act, right: National}\n", ""),
         expect=f"tiny/{FINAL}:14:5: error: matching question 'match-them' needs at least two pairs"),
    # --- scenario graphs -------------------------------------------------------------------------
    case("scenario-missing-start",
         Replace(WINDOW, "start: window\n", ""),
         expect=f"tiny/{WINDOW}:1:1: error: missing required key 'start'"),
    case("scenario-unknown-start",
         Replace(WINDOW, "start: window", "start: windows"),
         expect=f"tiny/{WINDOW}:5:8: error: start node 'windows' does not exist (did you mean 'window'?)"),
    case("goto-to-no-node",
         Replace(WINDOW, "goto: referred", "goto: refered"),
         expect=(f"tiny/{WINDOW}:12:9: error: choice goes to 'refered', which is not a node "
                 "(did you mean 'referred'?)",
                 f"tiny/{WINDOW}:19:3: error: node 'referred' cannot be reached from the start "
                 "(add a choice that leads to it, or remove it)")),
    case("unreachable-node",
         Replace(WINDOW, "  sent-away:\n", "  orphan:\n    ending: neutral\n    text: Nobody comes here.\n"
                                           "  sent-away:\n"),
         expect=f"tiny/{WINDOW}:23:3: error: node 'orphan' cannot be reached from the start "
                "(add a choice that leads to it, or remove it)"),
    case("node-with-no-way-to-an-ending",
         Replace(WINDOW, "      - text: Send them away\n",
                 "      - text: Wait and see\n        goto: loop-a\n      - text: Send them away\n"),
         Replace(WINDOW, "  sent-away:\n",
                 "  loop-a:\n    text: Round we go.\n    choices:\n      - text: Again\n        goto: loop-b\n"
                 "  loop-b:\n    text: And round.\n    choices:\n      - text: Back\n        goto: loop-a\n"
                 "  sent-away:\n"),
         expect=(f"tiny/{WINDOW}:25:3: error: no ending can be reached from node 'loop-a' "
                 "(the learner would be stuck: give it a path to an ending)",
                 f"tiny/{WINDOW}:30:3: error: no ending can be reached from node 'loop-b' "
                 "(the learner would be stuck: give it a path to an ending)")),
    case("ending-with-choices",
         Replace(WINDOW, "    debrief: Listening first works.\n",
                 "    debrief: Listening first works.\n    choices:\n      - text: Start again\n        goto: window\n"),
         expect=f"tiny/{WINDOW}:19:3: error: ending node 'referred' has choices "
                "(an ending closes the story: remove its choices or its 'ending')"),
    case("dead-end-node",
         Replace(WINDOW, "    ending: poor\n", ""),
         expect=(f"tiny/{WINDOW}:23:3: error: no ending can be reached from node 'sent-away' "
                 "(the learner would be stuck: give it a path to an ending)",
                 f"tiny/{WINDOW}:23:3: error: node 'sent-away' has no choices and is not an ending "
                 "(add choices, or mark it 'ending: good|neutral|poor')")),
    case("scenario-image-without-alt",
         Replace(WINDOW, "    alt: A counter with a window\n", ""),
         expect=f"tiny/{WINDOW}:7:3: error: node 'window' has an image without 'alt' text "
                "(describe the image in 'alt:')"),
    case("scenario-image-missing-file",
         Replace(WINDOW, "../../media/window.svg", "../../media/windw.svg"),
         expect=f"tiny/{WINDOW}:9:12: error: media file '../../media/windw.svg' not found: no such file "
                "(put media under course_src/media/ and give a path relative to the file)"),
    # --- references in Markdown ------------------------------------------------------------------
    case("unknown-term-with-suggestion",
         Replace(INTRO, "[[consent]]", "[[consnet]]"),
         expect=f"tiny/{INTRO}:12:27: error: unknown glossary term 'consnet' (did you mean 'Consent'?)"),
    case("unknown-instrument",
         Replace(INTRO, "[[@local-act]]", "[[@local-akt]]"),
         expect=f"tiny/{INTRO}:14:39: error: unknown legal instrument 'local-akt' (did you mean 'local-act'?)"),
    case("unknown-article",
         Replace(INTRO, "[[@model-law:2]]", "[[@model-law:9]]"),
         expect=f"tiny/{INTRO}:14:18: error: unknown article '9' of 'model-law' "
                "('model-law' lists articles 1, 2)"),
    case("broken-link-to-md",
         Replace(INTRO, "(02-more.md#details)", "(02-mroe.md#details)"),
         expect=f"tiny/{INTRO}:18:6: error: broken link to '02-mroe.md#details': no such file "
                "(link to another lesson's .md file by its relative path)"),
    case("link-to-a-heading-that-does-not-exist",
         Replace(INTRO, "(02-more.md#details)", "(02-more.md#detials)"),
         expect=f"tiny/{INTRO}:18:6: error: link to '#detials': page 'basics/more' has no such heading "
                "(did you mean 'details'?)"),
    # Markdown in YAML fields: the reference is reported where it is written.
    case("unknown-term-in-a-quiz-prompt",
         Replace(CHECK, "prompt: Which are instruments?", "prompt: Which are [[instrumnts]]?"),
         expect=f"tiny/{CHECK}:17:23: error: unknown glossary term 'instrumnts' (add it to glossary.yaml)",
         marks=()),
    case("unknown-term-in-an-option",
         Replace(CHECK, "      - text: Local Act\n", "      - text: The [[Local Akt]]\n"),
         expect=f"tiny/{CHECK}:21:19: error: unknown glossary term 'Local Akt' (add it to glossary.yaml)",
         marks=()),
    case("unknown-term-in-a-node-text",
         Replace(WINDOW, "text: The person leaves.", "text: The person [[leeves]]."),
         expect=f"tiny/{WINDOW}:25:22: error: unknown glossary term 'leeves' (add it to glossary.yaml)",
         marks=()),
    case("unknown-article-in-a-block-debrief",
         Replace(WINDOW, "    debrief: A referral was possible.",
                 "    debrief: |\n      A referral was possible.\n      See [[@model-law:7]]."),
         expect=f"tiny/{WINDOW}:28:11: error: unknown article '7' of 'model-law' "
                "('model-law' lists articles 1, 2)",
         marks=()),
    case("unknown-term-in-a-lesson-summary",
         Replace(INTRO, "summary: The words of the course.", "summary: The [[wrds]] of the course."),
         expect=f"tiny/{INTRO}:6:14: error: unknown glossary term 'wrds' (add it to glossary.yaml)",
         marks=()),
    case("unknown-term-in-a-module-description",
         Replace(BASICS, "description: What the words mean.", "description: What the [[wrds]] mean."),
         expect=f"tiny/{BASICS}:2:23: error: unknown glossary term 'wrds' (add it to glossary.yaml)",
         marks=()),
    case("unknown-term-in-a-glossary-definition",
         Replace("glossary.yaml", "to a service that can help.", "to a [[servise]]."),
         expect="tiny/glossary.yaml:7:35: error: unknown glossary term 'servise' (add it to glossary.yaml)",
         marks=()),
    case("unknown-term-in-an-article-summary",
         Replace("frameworks.yaml", "summary: When consent counts.", "summary: When [[consnt]] counts."),
         expect="tiny/frameworks.yaml:16:21: error: unknown glossary term 'consnt' (did you mean 'Consent'?)",
         marks=()),
    # --- paths and media -------------------------------------------------------------------------
    case("image-missing-file",
         Replace(INTRO, "../../media/diagram.svg", "../../media/diagrma.svg"),
         expect=f"tiny/{INTRO}:16:1: error: media file '../../media/diagrma.svg' not found: no such file "
                "(put media under course_src/media/ and give a path relative to the file)"),
    case("image-path-escapes-the-course",
         Replace(INTRO, "../../media/diagram.svg", "../../../etc/passwd"),
         expect=f"tiny/{INTRO}:16:1: error: media file '../../../etc/passwd' not found: the path leads outside "
                "the course folder (put media under course_src/media/ and give a path relative to the file)"),
    case("image-url-on-the-network",
         Replace(INTRO, "../../media/diagram.svg", "https://example.org/diagram.svg"),
         expect=f"tiny/{INTRO}:16:1: error: 'https://example.org/diagram.svg' is on the network; the course must "
                "work offline (download the file into media/ and link to it there)"),
    case("image-missing-alt-under-strict",
         Replace(INTRO, "![A small diagram]", "![]"),
         expect=f"tiny/{INTRO}:16:1: error: image has no alt text (describe the image in ![...])",
         strict=True),
    # --- directives ------------------------------------------------------------------------------
    case("unclosed-directive",
         Replace(INTRO, "Keep it short.\n:::\n", "Keep it short.\n"),
         expect=f"tiny/{INTRO}:20:1: error: unclosed directive 'note' (close it with a line of ':::')"),
    case("unknown-directive",
         Replace(INTRO, "::: note Remember", "::: noet Remember"),
         expect=f"tiny/{INTRO}:20:1: error: unknown directive 'noet'; known directives: accordion, cards, "
                "check, column, columns, figure, flipcard, frameworks, important, item, note, quote, reveal, "
                "steps, tab, tabs, timeline, tip, warning (did you mean 'note'?)"),
    case("check-with-a-broken-question",
         Replace(INTRO, "answer: true\nexplanation", "explanation"),
         expect=f"tiny/{INTRO}:25:1: error: true-false question 'quick' has no 'answer' "
                "(add 'answer: true' or 'answer: false')"),
    case("check-with-a-yaml-syntax-error",
         Replace(INTRO, "::: check\nid: quick", "::: check\n- id: quick"),
         expect=f"tiny/{INTRO}:26:1: error: YAML syntax error: did not find expected '-' indicator"),
    # --- files and folders -----------------------------------------------------------------------
    case("module-yaml-missing",
         Delete(PRACTICE),
         expect=f"tiny/{PRACTICE}:1:1: error: module folder has no module.yaml "
                "(add module.yaml with at least 'title:')"),
    case("pages-names-a-missing-file",
         Replace(BASICS, "objectives:", "pages: [01-intro.md, 02-mroe.md, 03-check.quiz.yaml]\nobjectives:"),
         expect=(f"tiny/{INTRO}:18:6: error: broken link to '02-more.md#details': that file is not a page "
                 "(link to another lesson's .md file by its relative path)",
                 f"tiny/{MORE}:1:1: warning: '02-more.md' is not listed in module.yaml's pages and was left out "
                 "(add it to pages: or remove the file)",
                 f"tiny/{BASICS}:3:22: error: page '02-mroe.md' is not in the module folder "
                 "(did you mean '02-more.md' or '01-intro.md'?)")),
    case("empty-course-yaml",
         Write("course.yaml", ""),
         expect="tiny/course.yaml:1:1: error: course.yaml is empty (it needs at least: id, title)"),
    case("empty-quiz-file",
         Write(CHECK, ""),
         expect=f"tiny/{CHECK}:1:1: error: the quiz is empty (it needs at least: title, questions)"),
    case("scenario-file-with-only-a-comment",
         Write(WINDOW, "# to do\n"),
         expect=f"tiny/{WINDOW}:1:1: error: the scenario is empty (it needs at least: title, start, nodes)"),
    case("empty-module-yaml",
         Write(PRACTICE, ""),
         expect=f"tiny/{PRACTICE}:1:1: error: module.yaml is empty (it needs at least: title)"),
    case("front-matter-with-only-a-comment",
         Replace(INTRO, "title: Introduction\nobjectives:\n  - Say what consent means\nduration: 10\n"
                        "summary: The words of the course.\nfacilitator: Ask the room what consent means.\n",
                 "# to do\n"),
         expect=f"tiny/{INTRO}:1:1: error: front matter is empty (give the lesson at least a 'title:')"),
    case("course-yaml-missing",
         Delete("course.yaml"),
         expect="tiny/course.yaml:1:1: error: course.yaml not found in the course folder "
                "(every course needs a course.yaml with at least id and title)"),
    case("file-not-utf8",
         WriteBytes(INTRO, "---\ntitle: Caf\xe9\n---\n".encode("latin-1")),
         expect=f"tiny/{INTRO}:1:1: error: file is not UTF-8 text (invalid continuation byte at byte 14) "
                "(save it as UTF-8)"),
    # --- glossary, frameworks, completion --------------------------------------------------------
    case("glossary-duplicate-alias",
         Replace("glossary.yaml", "aliases: [refer]", "aliases: [refer, agreement]"),
         expect="tiny/glossary.yaml:5:3: error: duplicate glossary term or alias 'agreement' "
                "(also at glossary.yaml:1) (each term and alias may name one entry)"),
    case("glossary-source-unknown-instrument",
         Replace("glossary.yaml", 'source: "@model-law:2"', 'source: "@model-lwa:2"'),
         expect="tiny/glossary.yaml:1:3: error: unknown legal instrument 'model-lwa' (did you mean 'model-law'?)"),
    case("frameworks-bad-date",
         Replace("frameworks.yaml", 'adopted: "2001-02-03"', 'adopted: "3 February 2001"'),
         expect="tiny/frameworks.yaml:6:12: error: 'adopted' must be a date written YYYY, YYYY-MM or "
                "YYYY-MM-DD, got '3 February 2001'"),
    case("completion-lists-a-non-assessment",
         Replace("course.yaml", "assessments: all", "assessments: [basics/check]"),
         expect="tiny/course.yaml:14:3: error: completion names 'basics/check', which is not an assessment "
                "(set kind: assessment on it, or leave it out)"),
    case("completion-lists-a-missing-page",
         Replace("course.yaml", "assessments: all", "assessments: [practice/finale]"),
         expect="tiny/course.yaml:14:3: error: completion names 'practice/finale', which is not a page "
                "(did you mean 'practice/final' or 'practice/window'?)"),
    # --- themes ----------------------------------------------------------------------------------
    case("unknown-theme-option",
         Replace("course.yaml", 'accent: "#123456"', 'accnet: "#123456"'),
         expect="tiny/course.yaml:12:3: error: theme '../../themes/plain' has no option 'accnet' "
                "(did you mean 'accent'?)"),
    case("unknown-theme",
         Replace("course.yaml", "theme: ../../themes/plain", "theme: defualt"),
         Replace("course.yaml", 'theme_options:\n  accent: "#123456"\n', ""),
         expect="tiny/course.yaml:10:8: error: theme 'defualt' not found (did you mean 'default'?)"),
    # --- cascades: one mistake, one message ------------------------------------------------------
    case("linked-lesson-fails-to-load",
         Replace(MORE, "duration: 5", "duration: five"),
         expect=f"tiny/{MORE}:3:11: error: 'duration' must be an integer, not text"),
    # --- several errors in several files: all at once, sorted by file and line -------------------
    case("several-errors-in-several-files",
         Replace(WINDOW, "goto: sent-away", "goto: sent-awya"),
         Replace(INTRO, "[[@local-act]]", "[[@local-akt]]"),
         Replace(CHECK, "      - text: Consent\n        correct: true\n", "      - text: Consent\n"),
         Replace(INTRO, "[[consent]]", "[[consnet]]"),
         Replace("glossary.yaml", "aliases: [refer]", "aliases: [refer, agreement]"),
         Replace("course.yaml", "id: tiny-course", "id: Tiny Course"),
         expect=("tiny/course.yaml:1:5: error: 'id' must be a slug (lower-case letters, digits and hyphens), "
                 "got 'Tiny Course' (try 'tiny-course')",
                 "tiny/glossary.yaml:5:3: error: duplicate glossary term or alias 'agreement' "
                 "(also at glossary.yaml:1) (each term and alias may name one entry)",
                 f"tiny/{INTRO}:12:27: error: unknown glossary term 'consnet' (did you mean 'Consent'?)",
                 f"tiny/{INTRO}:14:39: error: unknown legal instrument 'local-akt' (did you mean 'local-act'?)",
                 f"tiny/{CHECK}:6:5: error: question 'pick-one' has no correct option "
                 "(mark the right answer with 'correct: true')",
                 f"tiny/{WINDOW}:16:9: error: choice goes to 'sent-awya', which is not a node "
                 "(did you mean 'sent-away'?)",
                 f"tiny/{WINDOW}:23:3: error: node 'sent-away' cannot be reached from the start "
                 "(add a choice that leads to it, or remove it)")),
]


# File names the operating system refuses (too long, a NUL byte): the message quotes the system's own
# words, so these cases give only the start of the line a trainer sees (file:line:col: error: ...).
ODD_NAMES = [
    case("image-path-too-long",
         Replace(WINDOW, "../../media/window.svg", "../../media/" + "w" * 300 + ".svg"),
         expect=f"tiny/{WINDOW}:9:12: error: media file '../../media/{'w' * 300}.svg' not found: "),
    case("image-path-with-a-nul-byte",
         Replace(INTRO, "../../media/diagram.svg", "../../media/diagram%00.svg"),
         expect=f"tiny/{INTRO}:16:1: error: media file '../../media/diagram"),
]


def _params(cases: list[Case], with_marks: bool) -> list:
    return [pytest.param(c, id=c.id, marks=c.marks if with_marks else ()) for c in cases]


ISSUE_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): \S.*$")


def run_case(broken: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Result, list[str]]:
    """Apply the case to a fresh copy of the tiny course; return the result and the issue lines."""
    course = copy_tiny(tmp_path)
    for patch in broken.patches:
        patch.apply(course)
    result = check(course, monkeypatch, *(["--strict"] if broken.strict else []))
    lines = result.output.splitlines()
    return result, lines[:-1]


def test_there_are_enough_cases() -> None:
    ids = [c.id for c in CASES + ODD_NAMES]
    assert len(set(ids)) == len(ids)
    assert sum(1 for c in CASES if not c.marks) >= 35


def test_the_tiny_course_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case's messages come from its change alone: the untouched course passes --strict."""
    result = check(copy_tiny(tmp_path), monkeypatch, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("tiny: no errors (5 pages, 2 quizzes, 1 scenario, 2 terms, 2 instruments in ")


@pytest.mark.parametrize("broken", _params(CASES, with_marks=False))
def test_broken_source_fails_cleanly(broken: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit status 1, no traceback, every problem as `path:line:col: severity: message`, then the summary."""
    result, issues = run_case(broken, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"crashed: {result.exception!r}\n{result.output}"
    assert "Traceback" not in result.output
    assert result.stdout == "", "problems go to standard error"
    assert issues, result.output
    for line in issues:
        match = ISSUE_LINE.match(line)
        assert match, f"not a path:line:col: severity: message line: {line!r}"
        assert match["path"].startswith("tiny/"), line
    errors = sum(1 for line in issues if ": error: " in line)
    warnings = len(issues) - errors
    summary = f"build failed: {errors} error{'s' if errors != 1 else ''}"
    summary += f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    assert result.output.splitlines()[-1] == summary + "; nothing was written"


@pytest.mark.parametrize("broken", _params(CASES, with_marks=True))
def test_broken_source_is_reported_exactly(broken: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The expected lines, all of them and nothing else, sorted by file and line."""
    _, issues = run_case(broken, tmp_path, monkeypatch)
    assert issues == list(broken.expected)


@pytest.mark.parametrize("broken", _params(ODD_NAMES, with_marks=True))
def test_odd_file_name_is_reported(broken: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit status 1 with no traceback, and an error at the place to fix."""
    result, issues = run_case(broken, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"crashed: {result.exception!r}\n{result.output}"
    assert len(issues) == 1 and issues[0].startswith(broken.expected[0]), result.output


@pytest.mark.parametrize("broken", _params(ODD_NAMES, with_marks=True))
def test_odd_file_name_is_reported_in_the_trainers_terms(broken: Case, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The message names the path as written, relative to the course: no local folders, no control characters."""
    _, issues = run_case(broken, tmp_path, monkeypatch)
    text = "\n".join(issues)
    assert "\x00" not in text
    assert str(tmp_path.resolve()) not in text and str(tmp_path) not in text


def test_missing_alt_is_a_warning_without_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = copy_tiny(tmp_path)
    Replace(INTRO, "![A small diagram]", "![]").apply(course)
    result = check(course, monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"tiny/{INTRO}:16:1: warning: image has no alt text (describe the image in ![...])"]
    assert result.stdout.startswith("tiny: no errors, 1 warning (5 pages, ")


def test_a_path_escaping_the_course_is_refused_even_when_the_file_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough `../` to reach the real /etc/passwd from the temporary folder: still refused, nothing copied."""
    course = copy_tiny(tmp_path)
    escape = "../" * (len(course.resolve().parts) + 2) + "etc/passwd"
    assert (course / "modules" / "01-basics" / escape).resolve() == Path("/etc/passwd").resolve()
    Replace(INTRO, "../../media/diagram.svg", escape).apply(course)
    monkeypatch.chdir(course.parent)
    result = CliRunner().invoke(main, ["build", "tiny", "--out", "dist"])
    assert result.exit_code == 1
    assert f"tiny/{INTRO}:16:1: error: media file '{escape}' not found: the path leads outside the course " \
           "folder (put media under course_src/media/ and give a path relative to the file)" in result.output
    assert not (course.parent / "dist").exists()
