"""Tests for builder/validate.py: each whole-course rule, its message, and where it points."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.errors import Issues, SourceRef
from builder.loader import load_course
from builder.model import (
    Article, Choice, Completion, Course, Group, Instrument, Lesson, Module, Node, Option, Pair, Pass, Question,
    Quiz, Region, Scenario, Term,
)
from builder.sources import read_sources
from builder.validate import (
    best_path_points, check_framework_ref, check_question, check_quiz, check_scenario, validate_course,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"

QUIZ_FILE = "modules/01-m/02-q.quiz.yaml"
SCENARIO_FILE = "modules/01-m/03-s.scenario.yaml"


def at(path: str, line: int, col: int = 1) -> SourceRef:
    return SourceRef(path, line, col)


def problems(rule, *args) -> list[str]:  # noqa: ANN001 - any rule taking (..., issues)
    issues = Issues()
    rule(*args, issues)
    return [i.format() for i in issues.sorted()]


def question(type: str, line: int = 5, id: str = "q", **fields) -> Question:  # noqa: A002
    return Question(id=id, type=type, prompt="Prompt?", source=at(QUIZ_FILE, line, 5), **fields)


def options(*correct: bool) -> tuple[Option, ...]:
    return tuple(Option(text=f"Option {n}", correct=c) for n, c in enumerate(correct, 1))


def quiz(*questions: Question, **fields) -> Quiz:
    return Quiz(id="m/q", slug="q", module_id="m", title="Q", questions=questions, source=at(QUIZ_FILE, 1),
                **fields)


def node(id: str, line: int, *choices: tuple[str, float], ending: str | None = None, **fields) -> Node:  # noqa: A002
    return Node(id=id, text="Text.", ending=ending, source=at(SCENARIO_FILE, line, 3),
                choices=tuple(Choice(text=f"to {goto}", goto=goto, points=points,
                                     source=at(SCENARIO_FILE, line + 2 + n, 9))
                              for n, (goto, points) in enumerate(choices)), **fields)


def scenario(start: str, *nodes: Node, **fields) -> Scenario:
    return Scenario(id="m/s", slug="s", module_id="m", title="S", start=start, nodes=nodes,
                    source=at(SCENARIO_FILE, 1), **fields)


def course(*pages, glossary=(), frameworks=(), completion=Completion(), modules=None) -> Course:  # noqa: ANN001
    modules = modules or (Module(id="m", title="M", pages=tuple(pages), source=at("modules/01-m/module.yaml", 1)),)
    return Course(id="c", title="C", modules=modules, glossary=tuple(glossary), frameworks=tuple(frameworks),
                  completion=completion, source=at("course.yaml", 1))


def lesson(slug: str, path: str) -> Lesson:
    return Lesson(id=f"m/{slug}", slug=slug, module_id="m", title=slug, body="", body_line=3, source=at(path, 1))


# --- the tiny course -------------------------------------------------------------------------------

def test_the_tiny_course_is_valid() -> None:
    issues = Issues()
    loaded = load_course(read_sources(TINY, issues), issues)
    validate_course(loaded, issues)
    assert issues.items == []


# --- ids -------------------------------------------------------------------------------------------

def test_duplicate_page_ids() -> None:
    first = lesson("a", "modules/01-m/01-a.md")
    again = lesson("a", "modules/01-m/05-a.md")
    assert problems(validate_course, course(first, again)) == [
        "modules/01-m/05-a.md:1:1: error: duplicate page id 'm/a' (also at modules/01-m/01-a.md:1) "
        "(page file names must differ after their number prefix and kind suffix)"]


def test_duplicate_module_ids() -> None:
    modules = (Module(id="m", title="M", pages=(), source=at("modules/01-m/module.yaml", 1)),
               Module(id="m", title="M again", pages=(), source=at("modules/02-m/module.yaml", 1)))
    assert problems(validate_course, course(modules=modules)) == [
        "modules/02-m/module.yaml:1:1: error: duplicate module id 'm' (also at modules/01-m/module.yaml:1) "
        "(module folders must differ after their number prefix)"]


# --- questions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("good", [
    question("single", options=options(True, False)),
    question("multiple", options=options(True, True, False)),
    question("multiple", options=options(True, True)),
    question("true-false", answer=False),
    question("fill-in", answers=("Palermo Protocol", "palermo")),
    question("matching", pairs=(Pair("a", "1"), Pair("b", "2"))),
    question("ordering", items=("first", "second")),
], ids=lambda q: q.type)
def test_good_questions_pass(good: Question) -> None:
    assert problems(check_question, good) == []


@pytest.mark.parametrize(("bad", "messages"), [
    (question("single", options=options(False, False)),
     ["question 'q' has no correct option (mark the right answer with 'correct: true')"]),
    (question("multiple", options=options(False, False)),
     ["question 'q' has no correct option (mark the right answer with 'correct: true')"]),
    (question("single", options=options(True, True, False)),
     ["single-choice question 'q' has 2 correct options (keep one 'correct: true', or use type: multiple)"]),
    (question("single", options=options(True)),
     ["question 'q' needs at least two options"]),
    (question("single", options=(Option("Yes", True), Option(" yes "))),
     ["question 'q' has two options with the same text"]),
    (question("single"),
     ["question 'q' has no correct option (mark the right answer with 'correct: true')",
      "question 'q' needs at least two options"]),
    (question("true-false"),
     ["true-false question 'q' has no 'answer' (add 'answer: true' or 'answer: false')"]),
    (question("fill-in"),
     ["fill-in question 'q' has no accepted 'answers' (list the accepted answers, e.g. answers: "
      "[Palermo Protocol])"]),
    (question("fill-in", answers=("  ", "")),
     ["fill-in question 'q' has no accepted 'answers' (list the accepted answers, e.g. answers: "
      "[Palermo Protocol])"]),
    (question("matching", pairs=(Pair("a", "1"),)),
     ["matching question 'q' needs at least two pairs"]),
    (question("matching", pairs=(Pair("a", "1"), Pair("a", "2"))),
     ["duplicate left side in matching question 'a' (also at modules/01-m/02-q.quiz.yaml:5) "
      "(each left side must be different)"]),
    (question("matching", pairs=(Pair("a", "1"), Pair("b", "1"))),
     ["duplicate right side in matching question '1' (also at modules/01-m/02-q.quiz.yaml:5) "
      "(each right side must be different)"]),
    (question("ordering", items=("only",)),
     ["ordering question 'q' needs at least two items"]),
    (question("ordering", items=("a", "b", "a")),
     ["duplicate item in ordering question 'a' (also at modules/01-m/02-q.quiz.yaml:5) "
      "(each item must be different)"]),
], ids=lambda v: v.type if isinstance(v, Question) else "")
def test_question_rules(bad: Question, messages: list[str]) -> None:
    assert problems(check_question, bad) == [f"{QUIZ_FILE}:5:5: error: {m}" for m in sorted(messages)]


@pytest.mark.parametrize(("type_", "field", "value", "owner"), [
    ("single", "answers", ("x",), "fill-in"),
    ("single", "answer", True, "true-false"),
    ("multiple", "pairs", (Pair("a", "b"), Pair("c", "d")), "matching"),
    ("true-false", "options", options(True, False), "single, multiple"),
    ("fill-in", "items", ("a", "b"), "ordering or categorisation"),
    ("single", "regions", (Region("Door", "rect", ((0, 0), (10, 10))),), "hotspot"),
    ("hotspot", "groups", (Group("a", "A"),), "categorisation"),
    ("matching", "answers", ("x",), "fill-in"),
    ("ordering", "answer", False, "true-false"),
])
def test_fields_of_another_type(type_: str, field: str, value: object, owner: str) -> None:
    own = {"single": {"options": options(True, False)}, "multiple": {"options": options(True, False)},
           "true-false": {"answer": True}, "fill-in": {"answers": ("x",)},
           "matching": {"pairs": (Pair("a", "1"), Pair("b", "2"))}, "ordering": {"items": ("a", "b")},
           "hotspot": {"image": "x.svg", "alt": "X", "regions": (Region("A", "rect", ((0, 0), (5, 5)), True),
                                                                 Region("B", "rect", ((5, 5), (9, 9))))}}[type_]
    bad = question(type_, **{**own, field: value})
    assert problems(check_question, bad) == [
        f"{QUIZ_FILE}:5:5: error: question 'q' of type {type_} has '{field}', which belongs to {owner} "
        f"questions (remove '{field}' or change the type)"]


# --- quizzes ---------------------------------------------------------------------------------------

def test_duplicate_question_ids() -> None:
    bad = quiz(question("true-false", 5, "same", answer=True), question("true-false", 9, "same", answer=False))
    assert problems(check_quiz, bad) == [
        f"{QUIZ_FILE}:9:5: error: duplicate question id 'same' (also at {QUIZ_FILE}:5) "
        "(question ids must be unique in a quiz: the LMS sees them)"]


def test_draw_larger_than_the_pool() -> None:
    pool = [question("true-false", 5 + n, f"q{n}", answer=True) for n in range(3)]
    assert problems(check_quiz, quiz(*pool, draw=3)) == []
    assert problems(check_quiz, quiz(*pool, draw=4)) == [
        f"{QUIZ_FILE}:1:1: error: draw is 4 but the quiz has only 3 questions "
        "(lower draw or add questions to the pool)"]


def test_pass_mark_on_a_knowledge_check_is_a_warning() -> None:
    one = question("true-false", answer=True)
    assert problems(check_quiz, quiz(one, kind="assessment", pass_mark=80)) == []
    assert problems(check_quiz, quiz(one, pass_mark=80)) == [
        f"{QUIZ_FILE}:1:1: warning: pass_mark is set on a knowledge check, which is not scored "
        "(use kind: assessment for a scored quiz)"]


def test_a_quiz_reports_every_question() -> None:
    bad = quiz(question("single", 5, "a", options=options(False, False)), question("true-false", 12, "b"))
    assert problems(check_quiz, bad) == [
        f"{QUIZ_FILE}:5:5: error: question 'a' has no correct option (mark the right answer with 'correct: true')",
        f"{QUIZ_FILE}:12:5: error: true-false question 'b' has no 'answer' (add 'answer: true' or 'answer: false')",
    ]


# --- scenarios -------------------------------------------------------------------------------------

def good_scenario(**fields) -> Scenario:
    return scenario("start",
                    node("start", 5, ("good-end", 2), ("middle", 1)),
                    node("middle", 12, ("good-end", 1), ("poor-end", 0)),
                    node("good-end", 18, ending="good"),
                    node("poor-end", 21, ending="poor"), **fields)


def test_a_good_scenario_passes() -> None:
    assert problems(check_scenario, good_scenario()) == []


def test_unknown_start_with_suggestion() -> None:
    bad = scenario("strat", node("start", 5, ("end", 0)), node("end", 9, ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:1:1: error: start node 'strat' does not exist (did you mean 'start'?)"]


def test_unknown_start_without_suggestion_lists_the_nodes() -> None:
    bad = scenario("zzz", node("start", 5, ("end", 0)), node("end", 9, ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:1:1: error: start node 'zzz' does not exist (nodes are: start, end)"]


def test_missing_start_is_left_to_the_schema() -> None:
    bad = scenario("", node("start", 5, ("end", 0)), node("end", 9, ending="good"))
    assert problems(check_scenario, bad) == []


def test_goto_to_no_node() -> None:
    bad = scenario("start", node("start", 5, ("ned", 0), ("end", 1)), node("end", 10, ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:7:9: error: choice goes to 'ned', which is not a node (did you mean 'end'?)"]


def test_unreachable_node() -> None:
    bad = scenario("start", node("start", 5, ("end", 0)), node("end", 9, ending="good"),
                   node("island", 12, ending="poor"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:12:3: error: node 'island' cannot be reached from the start "
        "(add a choice that leads to it, or remove it)"]


def test_node_with_no_way_to_an_ending() -> None:
    bad = scenario("start",
                   node("start", 5, ("end", 0), ("loop-a", 0)),
                   node("loop-a", 10, ("loop-b", 0)),
                   node("loop-b", 14, ("loop-a", 0)),
                   node("end", 18, ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:10:3: error: no ending can be reached from node 'loop-a' "
        "(the learner would be stuck: give it a path to an ending)",
        f"{SCENARIO_FILE}:14:3: error: no ending can be reached from node 'loop-b' "
        "(the learner would be stuck: give it a path to an ending)"]


def test_a_loop_with_a_way_out_is_fine() -> None:
    ok = scenario("start",
                  node("start", 5, ("ask-again", 1), ("end", 1)),
                  node("ask-again", 10, ("start", 1), ("end", 2)),
                  node("end", 15, ending="good"))
    assert problems(check_scenario, ok) == []


def test_ending_with_choices() -> None:
    bad = scenario("start", node("start", 5, ("end", 0)), node("end", 9, ("start", 0), ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:9:3: error: ending node 'end' has choices "
        "(an ending closes the story: remove its choices or its 'ending')"]


def test_dead_end_node() -> None:
    bad = scenario("start", node("start", 5, ("end", 0), ("stuck", 0)), node("end", 9, ending="good"),
                   node("stuck", 12))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:12:3: error: no ending can be reached from node 'stuck' "
        "(the learner would be stuck: give it a path to an ending)",
        f"{SCENARIO_FILE}:12:3: error: node 'stuck' has no choices and is not an ending "
        "(add choices, or mark it 'ending: good|neutral|poor')"]


def test_scenario_without_any_ending() -> None:
    bad = scenario("start", node("start", 5, ("start", 0)))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:1:1: error: scenario has no ending (mark at least one node 'ending: good')",
        f"{SCENARIO_FILE}:5:3: error: no ending can be reached from node 'start' "
        "(the learner would be stuck: give it a path to an ending)"]


def test_image_without_alt() -> None:
    bad = scenario("start", node("start", 5, ("end", 0), image="media/a.svg"), node("end", 9, ending="good"))
    assert problems(check_scenario, bad) == [
        f"{SCENARIO_FILE}:5:3: error: node 'start' has an image without 'alt' text (describe the image in 'alt:')"]
    described = scenario("start", node("start", 5, ("end", 0), image="media/a.svg", alt="A counter"),
                         node("end", 9, ending="good"))
    assert problems(check_scenario, described) == []


# --- best_path_points ------------------------------------------------------------------------------

def test_best_path_points_takes_the_best_branch() -> None:
    assert best_path_points(good_scenario()) == 2
    deeper = scenario("start",
                      node("start", 5, ("good-end", 2), ("middle", 1)),
                      node("middle", 12, ("good-end", 3), ("poor-end", 0)),
                      node("good-end", 18, ending="good"),
                      node("poor-end", 21, ending="poor"))
    assert best_path_points(deeper) == 4


def test_best_path_points_with_fractions_and_no_points() -> None:
    half = scenario("a", node("a", 5, ("b", 0.5)), node("b", 9, ("end", 0.25)), node("end", 12, ending="neutral"))
    assert best_path_points(half) == 0.75
    none = scenario("a", node("a", 5, ("end", 0)), node("end", 9, ending="good"))
    assert best_path_points(none) == 0
    assert best_path_points(scenario("end", node("end", 5, ending="good"))) == 0


def test_best_path_points_with_a_loop_back_to_the_start() -> None:
    looped = scenario("start",
                      node("start", 5, ("ask-again", 1), ("end", 2)),
                      node("ask-again", 10, ("start", 0), ("end", 2)),
                      node("end", 15, ending="good"))
    assert best_path_points(looped) == 3  # start → ask-again → end


def test_best_path_points_of_the_tiny_scenario() -> None:
    issues = Issues()
    loaded = load_course(read_sources(TINY, issues), issues)
    window = next(p for p in loaded.pages if isinstance(p, Scenario))
    assert best_path_points(window) == 2


def test_best_path_points_is_the_best_path_whatever_the_order_of_the_choices() -> None:
    # start → b → a → end-a scores 10 + 5 = 15; the memo keeps b = 10 from when a was on the trail.
    crossed = scenario("start",
                       node("start", 5, ("a", 0), ("b", 0)),
                       node("a", 10, ("b", 0), ("end-a", 5)),
                       node("b", 15, ("a", 10), ("end-b", 0)),
                       node("end-a", 20, ending="good"),
                       node("end-b", 23, ending="poor"))
    assert best_path_points(crossed) == 15


def test_best_path_points_only_counts_paths_that_reach_an_ending() -> None:
    # Paths to the ending: start→a→end 0, start→a→b→end 11. The cut path start→a→b→(a) is worth 15.
    cyclic = scenario("start",
                      node("start", 5, ("a", 0)),
                      node("a", 9, ("b", 10), ("end", 0)),
                      node("b", 14, ("a", 5), ("end", 1)),
                      node("end", 19, ending="good"))
    assert best_path_points(cyclic) == 11


# --- glossary, frameworks, completion --------------------------------------------------------------

LAW = Instrument(id="model-law", title="Model Law", short="Model Law", level="international", adopted="2001",
                 articles=(Article(number="1", title="One", source=at("frameworks.yaml", 9, 7)),
                           Article(number="2", title="Two", source=at("frameworks.yaml", 11, 7))),
                 source=at("frameworks.yaml", 1, 3))


def term(name: str, line: int, *aliases: str, source_ref: str = "") -> Term:
    from builder.sources import slugify

    return Term(id=slugify(name), term=name, definition="D.", aliases=aliases, source_ref=source_ref,
                source=at("glossary.yaml", line, 3))


@pytest.mark.parametrize(("terms", "messages"), [
    ((term("Consent", 1), term("consent ", 4)),
     ["glossary.yaml:4:3: error: duplicate glossary id 'consent' (also at glossary.yaml:1) "
      "(two terms give the same id: rename one)",
      "glossary.yaml:4:3: error: duplicate glossary term or alias 'consent' (also at glossary.yaml:1) "
      "(each term and alias may name one entry)"]),
    ((term("Consent", 1, "agreement"), term("Accord", 4, "Agreement")),
     ["glossary.yaml:4:3: error: duplicate glossary term or alias 'agreement' (also at glossary.yaml:1) "
      "(each term and alias may name one entry)"]),
    ((term("Debt bondage", 1), term("Debt-bondage", 4)),
     ["glossary.yaml:4:3: error: duplicate glossary id 'debt-bondage' (also at glossary.yaml:1) "
      "(two terms give the same id: rename one)"]),
])
def test_glossary_duplicates(terms: tuple[Term, ...], messages: list[str]) -> None:
    assert problems(validate_course, course(glossary=terms)) == messages


@pytest.mark.parametrize(("ref", "messages"), [
    ("@model-law", []),
    ("@model-law:2", []),
    ("Article 3 of the Model Law", []),
    ("@model-lwa:2", ["glossary.yaml:1:3: error: unknown legal instrument 'model-lwa' (did you mean 'model-law'?)"]),
    ("@other", ["glossary.yaml:1:3: error: unknown legal instrument 'other' (add it to frameworks.yaml)"]),
    ("@model-law:3", ["glossary.yaml:1:3: error: 'model-law' has no article '3' (its articles are: 1, 2)"]),
])
def test_glossary_source_references(ref: str, messages: list[str]) -> None:
    terms = (term("Consent", 1, source_ref=ref),)
    assert problems(validate_course, course(glossary=terms, frameworks=(LAW,))) == messages


def test_check_framework_ref_suggests_an_article() -> None:
    law = Instrument(id="act", title="Act", short="Act", level="national", adopted="2000",
                     articles=(Article(number="3", title="T"), Article(number="4", title="U")))
    assert problems(check_framework_ref, "@act:3b", {"act": law}, at("a.md", 3, 7)) == [
        "a.md:3:7: error: 'act' has no article '3b' (did you mean '3'?)"]
    assert problems(check_framework_ref, "@act:9", {"act": law}, at("a.md", 3, 7)) == [
        "a.md:3:7: error: 'act' has no article '9' (its articles are: 3, 4)"]
    bare = Instrument(id="bare", title="Bare", short="Bare", level="national", adopted="2000")
    assert problems(check_framework_ref, "@bare:1", {"bare": bare}, at("a.md", 3, 7)) == [
        "a.md:3:7: error: 'bare' has no article '1' (its articles are: none)"]


def test_framework_duplicates() -> None:
    again = Instrument(id="model-law", title="Again", short="Again", level="national", adopted="2002",
                       source=at("frameworks.yaml", 20, 3))
    twice = Instrument(id="act", title="Act", short="Act", level="national", adopted="2000",
                       articles=(Article(number="4", title="A", source=at("frameworks.yaml", 30, 7)),
                                 Article(number="4", title="B", source=at("frameworks.yaml", 32, 7))),
                       source=at("frameworks.yaml", 25, 3))
    assert problems(validate_course, course(frameworks=(LAW, again, twice))) == [
        "frameworks.yaml:20:3: error: duplicate instrument id 'model-law' (also at frameworks.yaml:1) "
        "(each instrument needs its own id)",
        "frameworks.yaml:32:7: error: duplicate article in 'act' '4' (also at frameworks.yaml:30) "
        "(each article number may appear once)"]


def completion_course(assessments: tuple[str, ...] | str) -> Course:
    checked = quiz(question("true-false", answer=True))
    graded = Quiz(id="m/exam", slug="exam", module_id="m", title="Exam", kind="assessment",
                  questions=(question("true-false", answer=True),), source=at("modules/01-m/04-exam.quiz.yaml", 1))
    story = Scenario(id="m/story", slug="story", module_id="m", title="Story", kind="assessment", start="end",
                     nodes=(node("end", 3, ending="good"),), source=at("modules/01-m/05-story.scenario.yaml", 1))
    return course(lesson("intro", "modules/01-m/01-intro.md"), checked, graded, story,
                  completion=Completion(assessments=assessments, source=at("course.yaml", 7, 3)))


def test_completion_rules() -> None:
    assert problems(validate_course, completion_course("all")) == []
    assert problems(validate_course, completion_course(("m/exam", "m/story"))) == []
    assert problems(validate_course, completion_course(("m/q", "m/intro", "m/exma"))) == [
        "course.yaml:7:3: error: completion names 'm/exma', which is not a page (did you mean 'm/exam'?)",
        "course.yaml:7:3: error: completion names 'm/intro', which is not an assessment "
        "(set kind: assessment on it, or leave it out)",
        "course.yaml:7:3: error: completion names 'm/q', which is not an assessment "
        "(set kind: assessment on it, or leave it out)"]


def test_validate_course_checks_every_page() -> None:
    bad_quiz = quiz(question("true-false"))
    bad_story = scenario("start", node("start", 5, ("nowhere", 0)), node("end", 9, ending="good"))
    assert problems(validate_course, course(bad_quiz, bad_story)) == [
        f"{QUIZ_FILE}:5:5: error: true-false question 'q' has no 'answer' (add 'answer: true' or 'answer: false')",
        f"{SCENARIO_FILE}:5:3: error: no ending can be reached from node 'start' "
        "(the learner would be stuck: give it a path to an ending)",
        f"{SCENARIO_FILE}:7:9: error: choice goes to 'nowhere', which is not a node (nodes are: start, end)",
        f"{SCENARIO_FILE}:9:3: error: node 'end' cannot be reached from the start "
        "(add a choice that leads to it, or remove it)"]


def pass_course(rule: Pass, *, story_points: float = 3, exam_mark: int | None = None) -> Course:
    graded = Quiz(id="m/exam", slug="exam", module_id="m", title="Exam", kind="assessment", pass_mark=exam_mark,
                  questions=(question("true-false", answer=True),), source=at("modules/01-m/04-exam.quiz.yaml", 1))
    story = Scenario(id="m/story", slug="story", module_id="m", title="Story", kind="assessment", start="end",
                     pass_mark=60, nodes=(node("end", 3, ending="good"),) if not story_points else
                     (node("start", 3, ("end", story_points)), node("end", 6, ending="good")),
                     source=at("modules/01-m/05-story.scenario.yaml", 1))
    if story_points:
        story = replace(story, start="start")
    return replace(course(lesson("intro", "modules/01-m/01-intro.md"), quiz(question("true-false", answer=True)),
                          graded, story), pass_rule=replace(rule, source=at("course.yaml", 9, 3)))


def test_pass_rules_that_name_the_wrong_pages() -> None:
    assert problems(validate_course, pass_course(Pass())) == []
    assert problems(validate_course, pass_course(Pass(assessments=("m/exam", "m/q", "m/exma")))) == [
        "course.yaml:9:3: error: pass names 'm/exma', which is not a page (did you mean 'm/exam'?)",
        "course.yaml:9:3: error: pass names 'm/q', which is not an assessment "
        "(set kind: assessment on it, or leave it out)"]


def test_pass_rules_that_can_never_be_met() -> None:
    assert problems(validate_course, pass_course(Pass(rule="score"))) == [
        "course.yaml:9:3: error: pass rule 'score' has no pass_mark "
        "(add pass_mark: the course score in percent a learner needs)"]
    assert problems(validate_course, pass_course(Pass(rule="score", pass_mark=80,
                                                      weights=(("m/exam", 0), ("m/story", 0))))) == [
        "course.yaml:9:3: error: every counted assessment weighs 0, so there is no course score to pass "
        "(give at least one assessment a weight above 0)"]
    assert problems(validate_course, pass_course(Pass(), story_points=0)) == [
        "modules/01-m/05-story.scenario.yaml:1:1: error: pass_mark is 60% but 'm/story' has no points to win, "
        "so it can never be passed (give its questions or choices points, or remove pass_mark)"]
    assert problems(validate_course, pass_course(Pass(assessments=("m/exam",), weights=(("m/story", 2),)))) == [
        "course.yaml:9:3: error: pass gives a weight to 'm/story', which the rule does not count "
        "(add it to pass.assessments, or remove its weight)"]


def test_the_pass_mark_an_lms_is_given() -> None:
    from builder.results import course_pass_mark
    assert course_pass_mark(pass_course(Pass(), exam_mark=80)).percent == 60, "rule each: the lowest own mark"
    assert course_pass_mark(pass_course(Pass(), exam_mark=80)).by_measure is False
    mark = course_pass_mark(pass_course(Pass(rule="score", pass_mark=75)))
    assert (mark.percent, mark.scaled, mark.by_measure) == (75, 0.75, True)
    legacy = replace(pass_course(Pass()), completion=Completion(pass_mark=50), pass_rule=Pass())
    assert course_pass_mark(legacy).percent == 50, "the older completion.pass_mark is a score rule"
