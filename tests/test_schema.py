"""Tests for builder/schema.py: the schemas accept good sources and explain bad ones at their positions."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from builder.errors import Issues, SourceRef
from builder.schema import SCHEMA_KINDS, check, write_schemas
from builder.texts import _plain
from builder.yamlio import load_yaml, split_front_matter

ROOT = Path(__file__).resolve().parent.parent
FORMAT_DOC = Path("/work/shared/design/source-format.md")
SCHEMA_DIR = ROOT / "builder" / "schemas"


def problems(text: str, kind: str, path: str = "x.yaml") -> list[str]:
    """Load YAML text as a source of `kind` and return its schema problems, formatted and sorted."""
    issues = Issues()
    data = load_yaml(text, path, issues)
    assert not issues, [i.format() for i in issues.items]
    clean = check(data, kind, issues, SourceRef(path))
    assert clean == (not issues)
    return [issue.format() for issue in issues.sorted()]


# --- the schema files themselves ---------------------------------------------------------------

def _walk_schemas(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        found.append((where, node))
        for key, value in node.items():
            found.extend(_walk_schemas(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_walk_schemas(value, f"{where}/{index}"))
    return found


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_file_is_valid_and_documented(kind: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:coursewright:schema:{kind}"
    for where, node in _walk_schemas(schema):
        if "properties" in node:
            assert node.get("additionalProperties") is False, f"{kind}{where} allows unknown keys"
            assert node.get("title") and node.get("description"), f"{kind}{where} has no help text"
            for name, prop in node["properties"].items():
                assert prop.get("title") and prop.get("description"), f"{kind}{where}/{name} has no help text"


# --- valid sources ------------------------------------------------------------------------------

VALID = {
    "course": """\
id: ct-consular
title: Countering Trafficking in Persons
subtitle: For consular staff
description: A practical course.
language: pt-BR
translations: [es, fr]
version: "1.0"
authors: Course team
organization: Coursewright
license: CC BY 4.0
theme: default
theme_options: {accent: "#005ea2", logo: null}
allow_html: false
completion:
  pages: 80
  assessments: [legal-frameworks/check, understanding/at-the-window]
  pass_mark: 0
tracking:
  scorm: ["2004"]
""",
    "module": """\
title: Understanding trafficking
description: The legal definition.
objectives: [Name the three elements]
duration: 45
pages: [01-what-is-trafficking.md, 03-check.quiz.yaml, 04-at-the-visa-window.scenario.yaml]
""",
    "lesson": """\
title: What is trafficking?
objectives: [Define trafficking]
duration: 10
summary: The definition in one page.
facilitator: Ask the group for examples first.
""",
    "quiz": """\
title: Final assessment
kind: assessment
pass_mark: 80
attempts: 0
shuffle: true
draw: 1
feedback: end
intro: Answer every question.
duration: 15
facilitator: Allow time.
questions:
  - id: elements
    type: single
    prompt: Which three elements?
    points: 1.5
    options:
      - {text: "Act, means and purpose", correct: true, feedback: Yes.}
      - text: Border crossing
    feedback: {correct: Right., incorrect: Not quite.}
    explanation: All three must be present.
  - id: adult
    type: true-false
    prompt: Consent of an adult victim is irrelevant once means are used.
    answer: true
  - id: protocol
    type: fill-in
    prompt: Name the protocol.
    answers: [Palermo Protocol]
  - id: pairs
    type: matching
    prompt: Match.
    pairs: [{left: Act, right: Recruitment}]
  - id: order
    type: ordering
    prompt: Order the steps.
    items: [identify, refer, return]
""",
    "question": """\
id: check-1
type: multiple
prompt: Which are indicators?
options:
  - {text: Someone else answers for the applicant, correct: true}
  - {text: The applicant is nervous, correct: false}
""",
    "scenario": """\
title: At the visa window
kind: assessment
intro: A young woman applies for a work visa.
start: window
duration: 10
facilitator: Pause after the first choice.
nodes:
  window:
    text: What do you do first?
    image: media/visa-window.png
    alt: A consular counter
    choices:
      - {text: Ask to speak with her alone, goto: referral, points: 2, feedback: Good.}
      - {text: Process as usual, goto: missed, points: 0}
  referral:
    ending: good
    text: You referred her.
    debrief: Separating them let her speak.
  missed:
    ending: poor
    text: She left with him.
""",
    "glossary": """\
- term: Trafficking in persons
  aliases: [human trafficking, TIP]
  definition: The recruitment ... for the purpose of exploitation.
  source: "@palermo-protocol:3"
- term: Referral
  definition: Passing a case to a service.
""",
    "frameworks": """\
- id: palermo-protocol
  title: Protocol to Prevent, Suppress and Punish Trafficking in Persons
  short: Palermo Protocol
  level: international
  jurisdiction: United Nations
  adopted: 2000-11-15
  in_force: 2003-12
  summary: The first global, legally binding instrument with an agreed definition.
  url: https://treaties.un.org/
  articles:
    - {number: 3, title: Use of terms, summary: The definition.}
    - {number: 4bis, title: Scope}
- id: eu-directive
  title: Directive 2011/36/EU
  level: regional
  adopted: "2011"
""",
    "theme": """\
name: default
extends: null
stylesheets: [static/course.css]
scripts: [runtime/course.js]
options: {accent: "#005ea2", show_duration: true}
""",
}


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_valid_source_passes(kind: str) -> None:
    assert problems(VALID[kind], kind) == []


def test_minimal_sources_pass() -> None:
    assert problems("id: c\ntitle: C\n", "course") == []
    assert problems("title: M\n", "module") == []
    assert problems("name: child\nextends: default\n", "theme") == []
    assert problems("authors: [A, B]\nid: c\ntitle: C\ncompletion: {pages: all, assessments: all}\n", "course") == []


# --- one exact message per kind of mistake ------------------------------------------------------

def test_unknown_key_with_a_close_match_and_no_missing_twin() -> None:
    text = "titel: Check\nquestions:\n  - {id: a, type: single, prompt: P}\n"
    assert problems(text, "quiz", "m/03-check.quiz.yaml") == [
        "m/03-check.quiz.yaml:1:1: error: unknown key 'titel' in quiz (did you mean 'title'?)",
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    assert problems("title: Intro\nid: intro\n", "lesson", "m/01-intro.md") == [
        "m/01-intro.md:2:1: error: unknown key 'id' in lesson front matter "
        "(allowed keys: title, objectives, duration, summary, facilitator)",
    ]


def test_each_unknown_key_is_reported_at_its_own_position() -> None:
    text = "questions:\n  - id: a\n    type: single\n    prompt: P\n    options:\n" \
           "      - text: A\n        corect: true\n        hint: no\n"
    assert problems("title: Q\n" + text, "quiz") == [
        "x.yaml:8:9: error: unknown key 'corect' in option (did you mean 'correct'?)",
        "x.yaml:9:9: error: unknown key 'hint' in option (allowed keys: text, correct, feedback)",
    ]


def test_missing_required_key_is_reported_at_the_mapping() -> None:
    text = "title: S\nstart: a\nnodes:\n  a:\n    text: T\n    choices:\n      - text: Go\n"
    assert problems(text, "scenario") == ["x.yaml:7:9: error: missing required key 'goto'"]
    assert problems("subtitle: S\n", "course") == [
        "x.yaml:1:1: error: missing required key 'id'",
        "x.yaml:1:1: error: missing required key 'title'",
    ]


def test_wrong_type_names_both_types_in_words() -> None:
    assert problems("title: M\nduration: ten\n", "module") == [
        "x.yaml:2:11: error: 'duration' must be an integer, not text",
    ]
    assert problems("title: M\nobjectives: Learn\n", "module") == [
        "x.yaml:2:13: error: 'objectives' must be a list, not text "
        "(write one '- ...' line per item, or [first, second])",
    ]
    assert problems("title: yes\n", "lesson") == [
        "x.yaml:1:8: error: 'title' must be text, not true/false "
        "(put it in quotes: YAML reads yes, no, on, off, true and false as true/false)",
    ]


def test_numbers_where_text_is_expected_suggest_quotes() -> None:
    assert problems("id: c\ntitle: C\nversion: 1.0\n", "course") == [
        "x.yaml:3:10: error: 'version' must be text, not a number (put it in quotes so YAML keeps it as written)",
    ]
    assert problems("- {id: p, title: P, level: national, adopted: 2000}\n", "frameworks") == [
        "x.yaml:1:47: error: 'adopted' must be text, not a number (put it in quotes: adopted: \"2000\")",
    ]
    assert problems("id: c\ntitle: C\ntracking:\n  scorm: [1.2, \"2004\"]\n", "course") == [
        "x.yaml:4:11: error: item 1 of 'scorm' must be text, not a number "
        "(put it in quotes so YAML keeps it as written)",
    ]


def test_empty_values_and_empty_files() -> None:
    assert problems("title:\n", "lesson") == [
        "x.yaml:1:7: error: 'title' must be text, not nothing (write a value after the colon, or delete the key)",
    ]
    assert problems("", "quiz") == ["x.yaml:1:1: error: the quiz is empty (it needs at least: title, questions)"]
    assert problems("", "glossary") == ["x.yaml:1:1: error: glossary.yaml is empty (write [] for an empty list)"]
    assert problems("[a, b]\n", "course") == ["x.yaml:1:1: error: course.yaml must be a mapping, not a list"]
    assert problems("title: Q\nquestions: []\n", "quiz") == ["x.yaml:2:12: error: 'questions' must not be empty"]


def test_enum_lists_the_choices_and_suggests_the_closest() -> None:
    text = "title: Q\nkind: asessment\nquestions: [{id: a, type: truefalse, prompt: P}]\n"
    assert problems(text, "quiz") == [
        "x.yaml:2:7: error: 'kind' must be one of: knowledge-check, assessment (got 'asessment') "
        "(did you mean 'assessment'?)",
        "x.yaml:3:27: error: 'type' must be one of: single, multiple, true-false, fill-in, matching, ordering, "
        "categorisation, hotspot "
        "(got 'truefalse') (did you mean 'true-false'?)",
    ]


def test_patterns_are_said_in_words() -> None:
    assert problems("id: My Id\ntitle: C\n", "course") == [
        "x.yaml:1:5: error: 'id' must be a slug (lower-case letters, digits and hyphens), got 'My Id' "
        "(try 'my-id')",
    ]
    assert problems("id: c\ntitle: C\nlanguage: English (UK)\n", "course") == [
        "x.yaml:3:11: error: 'language' must be a language tag such as en, es or pt-BR, got 'English (UK)'",
    ]
    text = "- id: p\n  title: P\n  level: national\n  adopted: 15/11/2000\n  url: www.un.org\n"
    assert problems(text, "frameworks") == [
        "x.yaml:4:12: error: 'adopted' must be a date written YYYY, YYYY-MM or YYYY-MM-DD, got '15/11/2000'",
        "x.yaml:5:8: error: 'url' must be a web address starting with https:// or http://, got 'www.un.org'",
    ]


def test_node_ids_are_checked_at_the_key() -> None:
    text = "title: S\nstart: window\nnodes:\n  window: {text: T}\n  Private Talk: {text: T}\n"
    assert problems(text, "scenario") == [
        "x.yaml:5:3: error: node id 'Private Talk' must be a slug (lower-case letters, digits and hyphens) "
        "(try 'private-talk')",
    ]


def test_ranges_in_plain_words() -> None:
    text = "title: Q\npass_mark: 120\nattempts: -1\nquestions:\n  - {id: a, type: single, prompt: P, points: 0}\n"
    assert problems(text, "quiz") == [
        "x.yaml:2:12: error: 'pass_mark' must be from 0 to 100, got 120",
        "x.yaml:3:11: error: 'attempts' must be at least 0, got -1",
        "x.yaml:5:46: error: 'points' must be greater than 0, got 0",
    ]


def test_alternatives_give_one_readable_message() -> None:
    text = "id: c\ntitle: C\ncompletion:\n  pages: 120\n  assessments: some\n"
    assert problems(text, "course") == [
        "x.yaml:4:10: error: 'pages' must be 'all' or a percentage from 1 to 100, got 120",
        "x.yaml:5:16: error: 'assessments' must be 'all' or a list of page ids (module-slug/page-slug), "
        "got 'some'",
    ]
    assert problems("id: c\ntitle: C\ncompletion: {pages: al}\n", "course") == [
        "x.yaml:3:21: error: 'pages' must be 'all' or a percentage from 1 to 100, got 'al' (did you mean 'all'?)",
    ]
    assert problems("id: c\ntitle: C\nauthors: {name: A}\n", "course") == [
        "x.yaml:3:10: error: 'authors' must be text or a list of text, got a mapping",
    ]


def test_alternatives_that_are_lists_report_inside_the_list() -> None:
    text = "id: c\ntitle: C\ncompletion:\n  assessments: [m/quiz, quiz, m/quiz]\n"
    assert problems(text, "course") == [
        "x.yaml:4:25: error: item 2 of 'assessments' must be a page id written module-slug/page-slug, "
        "got 'quiz'",
        "x.yaml:4:31: error: 'assessments' lists 'm/quiz' twice (each value may appear once)",
    ]


def test_positions_inside_front_matter_count_from_the_file() -> None:
    source = "---\ntitle: Intro\nduration: short\n---\n# Body\n"
    front = split_front_matter(source)
    issues = Issues()
    data = load_yaml(front.yaml_text or "", "m/01-intro.md", issues, front.yaml_line)
    assert check(data, "lesson", issues, SourceRef("m/01-intro.md")) is False
    assert [i.format("course_src") for i in issues.sorted()] == [
        "course_src/m/01-intro.md:3:11: error: 'duration' must be an integer, not text",
    ]


def test_plain_data_without_positions_falls_back_to_where() -> None:
    issues = Issues()
    where = SourceRef("m/01-intro.md", 2, 1)
    assert check({"title": "T", "summary": ["a"], "level": 1}, "lesson", issues, where) is False
    assert [i.format() for i in issues.sorted()] == [
        "m/01-intro.md:2:1: error: 'summary' must be text, not a list",
        "m/01-intro.md:2:1: error: unknown key 'level' in lesson front matter "
        "(allowed keys: title, objectives, duration, summary, facilitator)",
    ]


def test_messages_never_show_python_objects() -> None:
    bad = {
        "course": "id: [x]\ntitle: {a: 1}\nauthors: [{a: 1}]\ncompletion: [1]\ntheme_options: []\n",
        "quiz": "title: [x]\nquestions: {a: 1}\nshuffle: [1]\n",
        "scenario": "title: S\nstart: a\nnodes: [{a: 1}]\n",
        "glossary": "{term: x}\n",
        "frameworks": "- {id: [1], title: {x: 1}, level: [a], adopted: {b: 2}, articles: {a: 1}}\n",
        "theme": "name: {a: [1]}\noptions: [1]\nextends: [a]\n",
    }
    for kind, text in bad.items():
        for line in problems(text, kind):
            assert not re.search(r"[{}\[\]]|LMap|LList|ValidationError|is not of type", line), line


def test_unknown_kind_is_a_bug_not_a_user_error() -> None:
    with pytest.raises(ValueError):
        check({}, "lessons", Issues(), SourceRef("x"))


# --- schemas for editors ------------------------------------------------------------------------

def test_write_schemas_writes_self_contained_json_schemas(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "schemas")
    assert [p.name for p in written] == [f"{kind}.schema.json" for kind in SCHEMA_KINDS]
    for path in written:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert "urn:coursewright" not in json.dumps({k: v for k, v in schema.items() if k != "$id"})
    quiz = json.loads((tmp_path / "schemas" / "quiz.schema.json").read_text(encoding="utf-8"))
    assert quiz["properties"]["questions"]["items"] == {"$ref": "#/$defs/question"}
    assert quiz["$defs"]["question"]["required"] == ["id", "type", "prompt"]
    validator = Draft202012Validator(quiz)
    assert validator.is_valid({"title": "Q", "questions": [{"id": "a", "type": "single", "prompt": "P"}]})
    assert not validator.is_valid({"title": "Q", "questions": [{"id": "a", "type": "single"}]})


# --- the format contract's own examples, and the sample course -----------------------------------

@pytest.mark.skipif(not FORMAT_DOC.exists(), reason="the design documents are not here")
def test_examples_in_the_format_contract_validate() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), re.S)
    kinds = []
    for block in blocks:
        # The scenario example elides a node as `{...}`: drop the placeholder, keep the rest.
        block = "\n".join(line for line in block.splitlines() if "{...}" not in line) + "\n"
        kind = "quiz" if "\nquestions:" in block else "scenario"
        kinds.append(kind)
        assert problems(block, kind, f"source-format.md ({kind})") == []
    assert sorted(kinds) == ["quiz", "scenario"]


def _sample_sources() -> list[tuple[Path, str]]:
    """Every source of the sample course and of the `course new` starter, with its kind."""
    found: list[tuple[Path, str]] = []
    for src in (ROOT / "course_src", ROOT / "builder" / "starter"):
        for name, kind in (("course.yaml", "course"), ("glossary.yaml", "glossary"),
                           ("frameworks.yaml", "frameworks")):
            found += [(path, kind) for path in [src / name] if path.exists()]
        modules = src / "modules"
        found += [(path, "module") for path in sorted(modules.glob("*/module.yaml"))]
        found += [(path, "lesson") for path in sorted(modules.glob("*/*.md"))]
        found += [(path, "quiz") for path in sorted(modules.glob("*/*.quiz.yaml"))]
        found += [(path, "scenario") for path in sorted(modules.glob("*/*.scenario.yaml"))]
    found += [(path, "theme") for path in sorted((ROOT / "themes").glob("*/theme.yaml"))]
    return found


@pytest.mark.parametrize("path, kind", _sample_sources(), ids=lambda v: str(Path(v).relative_to(ROOT)) if isinstance(v, Path) else v)
def test_sample_course_sources_validate(path: Path, kind: str) -> None:
    text = path.read_text(encoding="utf-8")
    label = str(path.relative_to(ROOT))
    issues = Issues()
    if kind == "lesson":
        front = split_front_matter(text)
        data = load_yaml(front.yaml_text or "", label, issues, front.yaml_line)
    else:
        data = load_yaml(text, label, issues)
    check(data, kind, issues, SourceRef(label))
    assert [i.format() for i in issues.sorted()] == []


# --- the quick check -----------------------------------------------------------------------------

def _variants(data: Any) -> list[Any]:
    """The data, and copies with one value, one key or one list item changed, dropped or added."""
    found = [data]
    if isinstance(data, dict):
        for key, value in data.items():
            for replacement in (None, 7, 2.5, True, "Not A Slug", "", [], {}, ["x"], {"x": 1}):
                found.append({**data, key: replacement})
            found.append({k: v for k, v in data.items() if k != key})
            found += [{**data, key: inner} for inner in _variants(value)[1:]]
        found.append({**data, "titel": "T"})
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += [data[:index] + [inner] + data[index + 1:] for inner in _variants(item)[1:]]
        found.append(data + [None])
    return found


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_quick_check_judges_as_fastjsonschema_does(kind: str) -> None:
    """The pre-check compiled without detailed errors accepts, rejects and fills in defaults exactly
    as fastjsonschema's own compile does."""
    import copy

    import fastjsonschema

    from builder import schema

    reference = fastjsonschema.compile(schema._bundled(kind), use_formats=False)
    quick = schema._fast_validator(kind)
    variants = _variants(_plain(load_yaml(VALID[kind], "x.yaml", Issues())))
    verdicts = []
    for variant in variants:
        expected, got = copy.deepcopy(variant), copy.deepcopy(variant)
        outcomes = []
        for validate, data in ((reference, expected), (quick, got)):
            try:
                validate(data)
                outcomes.append(True)
            except fastjsonschema.JsonSchemaException:
                outcomes.append(False)
        assert outcomes[0] == outcomes[1], variant
        assert json.dumps(got) == json.dumps(expected), variant  # the same defaults, in the same order
        verdicts.append(outcomes[0])
    assert True in verdicts and False in verdicts


def test_a_valid_course_is_checked_without_jsonschema(tmp_path: Path) -> None:
    """jsonschema only words the problems fastjsonschema found: a clean build does not import it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from builder.errors import Issues\n"
        "from builder.loader import load_course\n"
        "from builder.sources import read_sources\n"
        "issues = Issues()\n"
        f"course = load_course(read_sources(Path({str(ROOT / 'tests' / 'fixtures' / 'courses' / 'tiny')!r}), issues), issues)\n"
        "assert course is not None and not issues.errors, [i.format() for i in issues.items]\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'jsonschema'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert result.stdout.strip() == "[]"
