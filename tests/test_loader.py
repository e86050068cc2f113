"""Tests for builder/loader.py: every field of every source file lands in the right model field, with positions."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import Issues, SourceRef
from builder.loader import load_course, load_question
from builder.model import Course, Lesson, Option, Pair, Quiz, Scenario
from builder.sources import read_sources

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"


def load(root: Path) -> tuple[Course | None, list[str]]:
    issues = Issues()
    course = load_course(read_sources(root, issues), issues)
    return course, [i.format() for i in issues.sorted()]


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny() -> Course:
    course, problems = load(TINY)
    assert problems == []
    assert course is not None
    return course


# --- the tiny course, field by field --------------------------------------------------------------

def test_course_fields(tiny: Course) -> None:
    assert (tiny.id, tiny.title, tiny.subtitle) == ("tiny-course", "Tiny Course", "A course for the builder's tests")
    assert tiny.description == "Two modules that use every kind of page and reference."
    assert (tiny.language, tiny.dir, tiny.version) == ("en", "ltr", "1.0.0")
    assert tiny.authors == ("Test author",)
    assert (tiny.organization, tiny.license) == ("Test organisation", "CC BY 4.0")
    assert tiny.theme == "../../themes/plain"
    assert tiny.theme_options == {"accent": "#123456"}
    assert tiny.allow_html is False
    assert (tiny.completion.pages, tiny.completion.assessments, tiny.completion.pass_mark) == ("all", "all", 50)
    assert tiny.completion.source == SourceRef("course.yaml", 14, 3)
    assert tiny.tracking.scorm == ("1.2", "2004")
    assert tiny.source == SourceRef("course.yaml", 1, 1)


def test_modules_and_page_order(tiny: Course) -> None:
    assert [(m.id, m.title) for m in tiny.modules] == [("basics", "Basics"), ("practice", "Practice")]
    basics = tiny.modules[0]
    assert basics.description == "What the words mean."
    assert basics.objectives == ("Explain consent",)
    assert basics.duration is None and basics.total_duration == 20
    assert basics.source == SourceRef("modules/01-basics/module.yaml", 1, 1)
    assert [p.id for p in tiny.pages] == ["basics/intro", "basics/more", "basics/check", "practice/window",
                                         "practice/final"]
    assert [type(p) for p in tiny.pages] == [Lesson, Lesson, Quiz, Scenario, Quiz]


def test_lesson_fields(tiny: Course) -> None:
    intro = tiny.pages[0]
    assert isinstance(intro, Lesson)
    assert (intro.id, intro.slug, intro.module_id, intro.kind) == ("basics/intro", "intro", "basics", "lesson")
    assert intro.title == "Introduction"
    assert intro.objectives == ("Say what consent means",)
    assert (intro.duration, intro.summary) == (10, "The words of the course.")
    assert intro.facilitator == "Ask the room what consent means."
    assert intro.source == SourceRef("modules/01-basics/01-intro.md", 1, 1)
    text = (TINY / "modules/01-basics/01-intro.md").read_text(encoding="utf-8")
    assert intro.body_line == 8
    assert intro.body == "".join(text.splitlines(keepends=True)[8:])
    assert intro.body.startswith("\n# Introduction\n")
    more = tiny.pages[1]
    assert (more.objectives, more.summary, more.facilitator) == ((), "", "")


def test_quiz_fields(tiny: Course) -> None:
    check, final = tiny.pages[2], tiny.pages[4]
    assert isinstance(check, Quiz) and isinstance(final, Quiz)
    assert (check.id, check.title, check.kind, check.is_assessment) == (
        "basics/check", "Check your understanding", "knowledge-check", False)
    assert (check.attempts, check.shuffle, check.draw, check.feedback, check.pass_mark, check.duration) == (
        0, False, None, "immediate", None, 5)
    assert (final.kind, final.is_assessment, final.pass_mark, final.attempts, final.shuffle, final.draw,
            final.feedback) == ("assessment", True, 50, 2, True, 2, "end")
    assert check.source == SourceRef("modules/01-basics/03-check.quiz.yaml", 1, 1)


def test_question_fields(tiny: Course) -> None:
    check, final = tiny.pages[2], tiny.pages[4]
    single, multiple, fill_in = check.questions
    assert (single.id, single.type, single.points) == ("pick-one", "single", 1)
    assert single.prompt == "Which word means agreement freely given?"
    assert single.options == (Option("Consent", True, "Yes."), Option("Referral", False, "No, that is passing a case on."))
    assert single.source == SourceRef("modules/01-basics/03-check.quiz.yaml", 6, 5)
    assert [o.correct for o in multiple.options] == [True, True, False]
    assert (fill_in.answers, fill_in.options, fill_in.answer) == (("Model Law",), (), None)
    true_false, matching, ordering = final.questions
    assert (true_false.type, true_false.answer) == ("true-false", True)
    assert matching.pairs == (Pair("Model Law", "International"), Pair("Local Act", "National"))
    assert ordering.items == ("Listen", "Refer", "Follow up")
    assert (ordering.feedback_correct, ordering.feedback_incorrect, ordering.explanation) == ("", "", "")


def test_scenario_fields(tiny: Course) -> None:
    window = tiny.pages[3]
    assert isinstance(window, Scenario)
    assert (window.id, window.title, window.kind, window.start, window.duration) == (
        "practice/window", "At the window", "practice", "window", 5)
    assert window.intro == "A person asks for help at the window."
    assert [n.id for n in window.nodes] == ["window", "referred", "sent-away"]
    start = window.node("window")
    assert (start.text, start.image, start.alt, start.ending) == (
        "What do you do?", "../../media/window.svg", "A counter with a window", None)
    assert start.source == SourceRef("modules/02-practice/01-window.scenario.yaml", 7, 3)
    listen, away = start.choices
    assert (listen.text, listen.goto, listen.points, listen.feedback) == ("Listen and refer", "referred", 2, "Good.")
    assert listen.source == SourceRef("modules/02-practice/01-window.scenario.yaml", 12, 9)
    assert (away.goto, away.points, away.feedback) == ("sent-away", 0, "")
    referred = window.node("referred")
    assert (referred.ending, referred.debrief, referred.choices, referred.image) == (
        "good", "Listening first works.", (), None)
    assert window.node("nowhere") is None


def test_glossary_fields(tiny: Course) -> None:
    consent, referral = tiny.glossary
    assert (consent.id, consent.term, consent.aliases, consent.source_ref) == (
        "consent", "Consent", ("agreement",), "@model-law:2")
    assert consent.definition == "Agreement freely given by a person who understands what is asked."
    assert consent.source == SourceRef("glossary.yaml", 1, 3)
    assert (referral.id, referral.aliases, referral.source_ref) == ("referral", ("refer",), "")
    assert referral.source == SourceRef("glossary.yaml", 5, 3)


def test_framework_fields(tiny: Course) -> None:
    model, local = tiny.frameworks
    assert (model.id, model.title, model.short, model.level) == (
        "model-law", "Model Law on Tiny Courses", "Model Law", "international")
    assert (model.jurisdiction, model.adopted, model.in_force, model.url) == (
        "Worldwide", "2001-02-03", "2002", "https://example.org/model-law")
    assert [(a.number, a.title, a.summary) for a in model.articles] == [
        ("1", "Purpose", "Why the law exists."), ("2", "Consent", "When consent counts.")]
    assert model.article("2").title == "Consent" and model.article("3") is None
    assert model.source == SourceRef("frameworks.yaml", 1, 3)
    assert (local.adopted, local.in_force, local.url) == ("2010", "", "")
    assert [(a.number, a.summary) for a in local.articles] == [("5", "")]


# --- defaults and alternative spellings ------------------------------------------------------------

MINIMAL = {
    "course.yaml": "id: c\ntitle: C\n",
    "modules/01-m/module.yaml": "title: M\n",
    "modules/01-m/01-a.md": "---\ntitle: A\n---\nText.\n",
    "modules/01-m/02-q.quiz.yaml": "title: Q\nquestions:\n  - {id: x, type: true-false, prompt: P, answer: false}\n",
    "modules/01-m/03-s.scenario.yaml": "title: S\nstart: a\nnodes:\n  a: {text: End., ending: neutral}\n",
}


def test_defaults(tmp_path: Path) -> None:
    course, problems = load(write(tmp_path, MINIMAL))
    assert problems == []
    assert (course.language, course.version, course.theme, course.authors, course.allow_html) == (
        "en", "1.0.0", "default", (), False)
    assert course.theme_options == {} and course.translations == ()
    assert (course.completion.pages, course.completion.assessments, course.completion.pass_mark) == (
        "all", "all", None)
    assert course.glossary == () and course.frameworks == ()
    lesson, quiz, scenario = course.pages
    assert (lesson.duration, lesson.objectives) == (None, ())
    assert (quiz.kind, quiz.attempts, quiz.shuffle, quiz.draw, quiz.feedback, quiz.intro) == (
        "knowledge-check", 0, False, None, "immediate", "")
    question = quiz.questions[0]
    assert (question.points, question.answer) == (1, False)
    assert scenario.kind == "practice"
    assert course.modules[0].total_duration == 0


def test_alternative_spellings(tmp_path: Path) -> None:
    write(tmp_path, {
        **MINIMAL,
        "course.yaml": "id: c\ntitle: C\nauthors: One author\nlanguage: ar\ntranslations: [fr]\n"
                       "completion: {pages: 80, assessments: [m/q]}\ntracking: {scorm: ['2004']}\n"
                       "allow_html: true\n",
        "modules/01-m/02-q.quiz.yaml": "title: Q\nkind: assessment\nquestions:\n"
                                       "  - {id: x, type: true-false, prompt: P, answer: true, points: 2.5}\n",
        "frameworks.yaml": "- id: law\n  title: A Law\n  level: national\n  adopted: '1999'\n"
                           "  articles: [{number: 4, title: Four}]\n",
        "translations/fr/.keep": "",
    })
    course, problems = load(tmp_path)
    assert problems == []
    assert course.authors == ("One author",)
    assert (course.language, course.dir, course.translations) == ("ar", "rtl", ("fr",))
    assert (course.completion.pages, course.completion.assessments) == (80, ("m/q",))
    assert course.tracking.scorm == ("2004",)
    assert course.allow_html is True
    assert course.pages[1].questions[0].points == 2.5
    law = course.frameworks[0]
    assert (law.short, law.articles[0].number) == ("A Law", "4"), "short falls back to the title"


def test_a_module_without_module_yaml_is_named_after_its_folder(tmp_path: Path) -> None:
    write(tmp_path, {**MINIMAL, "modules/02-second-part/01-b.md": "---\ntitle: B\n---\n"})
    course, problems = load(tmp_path)
    second = course.modules[1]
    assert (second.id, second.title, [p.id for p in second.pages]) == (
        "second-part", "second-part", ["second-part/b"])
    assert problems == ["modules/02-second-part/module.yaml:1:1: error: module folder has no module.yaml "
                        "(add module.yaml with at least 'title:')"]


def test_page_ids_ignore_prefix_and_suffix(tmp_path: Path) -> None:
    write(tmp_path, {
        **MINIMAL,
        "modules/07-Final Part/module.yaml": "title: Final\n",
        "modules/07-Final Part/01-Wrap Up.md": "---\ntitle: Wrap up\n---\n",
    })
    course, problems = load(tmp_path)
    assert problems == []
    assert course.modules[1].id == "final-part"
    assert course.modules[1].pages[0].id == "final-part/wrap-up"


def test_course_yaml_that_is_not_a_mapping_gives_no_course(tmp_path: Path) -> None:
    write(tmp_path, {**MINIMAL, "course.yaml": "- id: c\n"})
    course, problems = load(tmp_path)
    assert course is None
    assert problems == ["course.yaml:1:1: error: course.yaml must be a mapping, not a list"]


def test_version_written_as_a_number_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {**MINIMAL, "course.yaml": "id: c\ntitle: C\nversion: 1.0\n"})
    _, problems = load(tmp_path)
    assert problems == ["course.yaml:3:10: error: 'version' must be text, not a number "
                        "(put it in quotes so YAML keeps it as written)"]


def test_every_problem_of_every_file_is_collected(tmp_path: Path) -> None:
    write(tmp_path, {
        **MINIMAL,
        "course.yaml": "id: c\ntitle: C\ncolour: red\n",
        "modules/01-m/module.yaml": "title: M\nduration: long\n",
        "modules/01-m/01-a.md": "---\ntitle: A\nsumary: x\n---\n",
        "glossary.yaml": "- term: T\n",
    })
    _, problems = load(tmp_path)
    assert problems == [
        "course.yaml:3:1: error: unknown key 'colour' in course (allowed keys: id, title, subtitle, "
        "description, cover, cover_alt, language, translations, version, authors, organization, license, theme, theme_options, "
        "language_neutral_media, allow_html, completion, pass, tracking)",
        "glossary.yaml:1:3: error: missing required key 'definition'",
        "modules/01-m/01-a.md:3:1: error: unknown key 'sumary' in lesson front matter (did you mean 'summary'?)",
        "modules/01-m/module.yaml:2:11: error: 'duration' must be an integer, not text",
    ]


# --- inline checks ---------------------------------------------------------------------------------

def test_load_question_positions_the_check_in_its_lesson() -> None:
    issues = Issues()
    where = SourceRef("modules/01-m/01-a.md", 20, 1)
    question = load_question("id: q\ntype: fill-in\nprompt: Name it.\nanswers: [x, y]\n", where, issues)
    assert not issues
    assert (question.id, question.type, question.answers) == ("q", "fill-in", ("x", "y"))
    assert question.source == SourceRef("modules/01-m/01-a.md", 20, 1)


def test_load_question_reports_at_the_file_line() -> None:
    issues = Issues()
    where = SourceRef("modules/01-m/01-a.md", 20, 1)
    assert load_question("id: q\ntype: single\nprompt: P\nanswer: maybe\n", where, issues) is None
    assert [i.format() for i in issues.sorted()] == [
        "modules/01-m/01-a.md:23:9: error: 'answer' must be true or false, not text"]


def test_load_question_of_an_empty_check() -> None:
    issues = Issues()
    assert load_question("", SourceRef("a.md", 5, 1), issues) is None
    assert [i.format() for i in issues.sorted()] == [
        "a.md:5:1: error: the check has no question (write one question in the quiz format)"]
