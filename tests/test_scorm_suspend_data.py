"""suspend_data stays under SCORM 1.2's 4,096 characters for a 200-question course, answer after answer.

The course data and the learner's state are generated: the runtime's own quiz, scenario and
progress engines produce the state, and scorm.js's codec encodes it after every answer.
"""
from __future__ import annotations

import random
from typing import Any

import pytest
from playwright.sync_api import Page

from lms.session import RUNTIME_DIR

LIMIT_12 = 4096
SCRIPTS = ["core.js", "questions.js", "quiz.js", "scenario.js", "progress.js", "results.js", "responses.js", "scorm.js"]
WORDS = ("trafficking consular referral indicator passport visa interview recruitment debt bondage "
         "palermo protocol exploitation victim smuggling coercion deception border officer liaison").split()
TYPES = ["single", "multiple", "true-false", "fill-in", "matching", "ordering"]


def slug(rng: random.Random, words: int) -> str:
    return "-".join(rng.choice(WORDS) for _ in range(words))


def question(rng: random.Random, n: int, page: str) -> dict[str, Any]:
    qtype = TYPES[n % len(TYPES)]
    qid = f"{slug(rng, 2)}-{n}"
    q: dict[str, Any] = {"id": qid, "key": f"{page}/{qid}", "type": qtype, "points": 1 + n % 3,
                         "prompt_text": "Which statement is right?"}
    if qtype in ("single", "multiple"):
        q["options"] = [{"text": slug(rng, 3), "correct": i in ((1,) if qtype == "single" else (0, 2))}
                        for i in range(4 + n % 3)]
    elif qtype == "true-false":
        q["answer"] = n % 2 == 0
    elif qtype == "fill-in":
        q["answers"] = [slug(rng, 2)]
    elif qtype == "matching":
        q["pairs"] = [{"left": slug(rng, 2), "right": slug(rng, 2)} for _ in range(4)]
    else:
        q["items"] = [slug(rng, 2) for _ in range(5)]
    return q


def generate_course(questions: int, per_quiz: int = 20, seed: int = 7) -> dict[str, Any]:
    """A course with `questions` questions in quizzes of `per_quiz`, lessons around them, inline
    checks and two scenarios: ids as long as real slugs."""
    rng = random.Random(seed)
    course: dict[str, Any] = {"id": "generated", "version": "1.0.0", "language": "en",
                              "completion": {"pages": "all", "assessments": "all", "pass_mark": 80},
                              "modules": [], "pages": [], "quizzes": {}, "checks": {}, "scenarios": {}}
    n = 0
    module = 0
    while n < questions:
        module += 1
        mid = f"{module:02d}-{slug(rng, 3)}"[3:]
        pages = []
        for lesson in range(6):
            pid = f"{mid}/{slug(rng, 4)}"
            pages.append({"id": pid, "kind": "lesson", "title": "Lesson", "module": mid})
            if lesson % 3 == 0:
                course["checks"][f"{pid}/check-1"] = question(rng, 1000 + len(course["checks"]), pid)
        qid = f"{mid}/{slug(rng, 2)}-assessment"
        pages.append({"id": qid, "kind": "quiz", "title": "Quiz", "module": mid})
        count = min(per_quiz, questions - n)
        course["quizzes"][qid] = {"kind": "assessment" if module % 2 else "knowledge-check", "pass_mark": 80,
                                  "attempts": 3, "shuffle": True, "draw": None, "feedback": "immediate",
                                  "questions": [question(rng, n + i, qid) for i in range(count)]}
        n += count
        if module <= 2:
            sid = f"{mid}/{slug(rng, 3)}-scenario"
            pages.append({"id": sid, "kind": "scenario", "title": "Scenario", "module": mid})
            nodes = {f"node-{i}": {"ending": None, "choices": [{"goto": f"node-{i + 1}", "points": c}
                                                                 for c in range(3)]} for i in range(8)}
            nodes["node-8"] = {"ending": "good", "choices": []}
            course["scenarios"][sid] = {"kind": "assessment", "start": "node-0", "max_points": 16, "nodes": nodes}
        course["modules"].append({"id": mid, "title": "Module", "pages": [p["id"] for p in pages]})
        course["pages"].extend(pages)
    return course


# Plays the whole course as a learner would, measuring the encoded state after every answer.
PLAY = """
([course, limit]) => {
  const CW = window.Coursewright, Q = CW.questions;
  const codec = CW.scorm.codec(course);
  const state = CW.progress.emptyState();
  const sizes = [], mismatches = [];
  let fitted = null;
  const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x))
    ? Object.keys(x).sort().reduce((o, key) => (o[key] = x[key], o), {}) : x);
  const measure = () => {
    const text = codec.encode(state);
    sizes.push(text.length);
    if (canon(codec.decode(text)) !== canon(state)) mismatches.push(sizes.length);
    if (text.length > limit) fitted = codec.fit(state, limit);
  };
  let n = 0;
  const respond = (q) => {
    n++;
    switch (q.type) {
      case "single": return [n % q.options.length];
      case "multiple": return [0, n % q.options.length].filter((x, i, a) => a.indexOf(x) === i);
      case "true-false": return n % 3 === 0;
      case "fill-in": return n % 2 ? q.answers[0] : "my answer number " + n + " about visas";
      case "matching": return q.pairs.map((p, i) => [i, (i + n) % q.pairs.length]);
      default: return q.items.map((x, i) => (i + n) % q.items.length);
    }
  };
  course.pages.forEach((page) => {
    state.location = page.id;
    CW.progress.visit(state, page.id);
    Object.keys(course.checks).filter((id) => id.indexOf(page.id + "/") === 0).forEach((id) => {
      state.checks[id] = {r: respond(course.checks[id]), c: true};
      measure();
    });
    const quiz = course.quizzes[page.id];
    if (quiz) {
      const qs = state.quizzes[page.id] = CW.quiz.start(null, 1000 + n);
      CW.quiz.shown(quiz, qs).forEach((q) => {
        CW.quiz.setAnswer(qs, q.id, respond(q));
        CW.quiz.check(qs, q);
        measure();
      });
      CW.quiz.submit(quiz, qs);
      measure();
    }
    const scenario = course.scenarios[page.id];
    if (scenario) {
      const ss = state.scenarios[page.id] = CW.scenario.start(scenario, null);
      while (!ss.ended) { CW.scenario.choose(scenario, ss, n++ % 3); }
      measure();
    }
  });
  const summary = CW.results.verdict(course, state);
  return {sizes, mismatches, fitted, completed: summary.completed, final: codec.encode(state),
          json: JSON.stringify(state).length, questions: n};
}
"""


@pytest.fixture
def runtime_page(page: Page) -> Page:
    missing = [name for name in SCRIPTS if not (RUNTIME_DIR / name).is_file()]
    if missing:
        pytest.skip(f"runtime files not written yet: {', '.join(missing)}")
    page.set_content("<!doctype html><title>codec</title>")
    for name in SCRIPTS:
        page.add_script_tag(path=str(RUNTIME_DIR / name))
    return page


def test_200_questions_fit_scorm12_after_every_answer(runtime_page: Page, record_property: Any) -> None:
    course = generate_course(200)
    assert sum(len(q["questions"]) for q in course["quizzes"].values()) == 200
    result = runtime_page.evaluate(PLAY, [course, LIMIT_12])
    sizes = result["sizes"]
    record_property("suspend_data_max", max(sizes))
    record_property("state_json_chars", result["json"])
    print(f"\n200 questions: suspend_data max {max(sizes)} chars (state as JSON: {result['json']} chars)")
    assert result["completed"]
    assert not result["mismatches"], f"decode(encode(state)) differs after answers {result['mismatches'][:5]}"
    assert max(sizes) < LIMIT_12, f"suspend_data reached {max(sizes)} characters"
    assert result["fitted"] is None


def test_a_larger_course_degrades_but_keeps_bookmark_and_completion(runtime_page: Page) -> None:
    course = generate_course(600)
    result = runtime_page.evaluate(PLAY, [course, LIMIT_12])
    assert max(result["sizes"]) > LIMIT_12  # too big as a whole: the fallback must work
    fitted = result["fitted"]
    assert fitted and 0 < len(fitted["text"]) <= LIMIT_12
    assert fitted["dropped"][0] == "inline checks"
    kept = runtime_page.evaluate(
        """([course, text]) => {
          const CW = window.Coursewright, codec = CW.scorm.codec(course);
          const state = codec.decode(text);
          return {state, summary: CW.results.verdict(course, CW.progress.normalize(state))};
        }""", [course, fitted["text"]])
    assert kept["state"]["location"] == course["pages"][-1]["id"]
    assert kept["state"]["visited"] == [p["id"] for p in course["pages"]]
    assert kept["summary"]["completed"] is True
    assert kept["summary"]["score"] is not None


def test_the_codec_survives_foreign_text_and_odd_strings(runtime_page: Page) -> None:
    course = generate_course(20)
    quiz_id = next(iter(course["quizzes"]))
    fill_in = next(q for q in course["quizzes"][quiz_id]["questions"] if q["type"] == "fill-in")
    state = {"v": 1, "location": course["pages"][0]["id"], "visited": [course["pages"][0]["id"], "gone/page"],
             "quizzes": {quiz_id: {"attempt": 1, "seed": 4294967295, "submitted": False, "results": [],
                                   "answers": {fill_in["id"]: "~tilde ʻokina عربى 中文 \"quotes\" \\ #hash"},
                                   "checked": {}}},
             "checks": {}, "scenarios": {}, "extra": {"~0": ["~", "#", None, 1.5, True]}}
    back = runtime_page.evaluate(
        "([course, state]) => { const c = Coursewright.scorm.codec(course); const t = c.encode(state);"
        " return {t, back: c.decode(t), other: Coursewright.scorm.codec({pages: []}).decode(t)}; }",
        [course, state])
    assert back["back"] == state
    assert all(32 < ord(ch) < 127 for ch in back["t"])
    assert back["other"] is None  # another course's ids: not read back as wrong ids
