// The quiz engine: seeded draw and shuffle, attempts, results and retries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

const CW = load();
const quizzes = CW.quiz;

function question(id, points = 1) {
  return { id, key: `m/quiz/${id}`, type: "single", points, options: [{ text: "no" }, { text: "yes", correct: true }, { text: "maybe" }, { text: "never" }] };
}

function makeQuiz(extra = {}) {
  return {
    kind: "assessment", pass_mark: 60, attempts: 2, shuffle: true, draw: null, feedback: "end",
    questions: ["a", "b", "c", "d", "e", "f"].map((id, i) => question(id, i + 1)),
    ...extra,
  };
}

test("the same seed gives the same questions and orders", () => {
  const quiz = makeQuiz({ draw: 4 });
  const first = plain(quizzes.layout(quiz, 12345));
  const again = plain(quizzes.layout(quiz, 12345));
  assert.deepEqual(first, again);
  assert.equal(first.questions.length, 4);
  assert.equal(new Set(first.questions).size, 4);
  const others = new Set();
  for (let seed = 1; seed < 40; seed++) others.add(JSON.stringify(plain(quizzes.layout(quiz, seed))));
  assert.ok(others.size > 20, "different seeds give different layouts");
});

test("a draw without shuffle keeps the source order of the drawn questions", () => {
  const quiz = makeQuiz({ draw: 3, shuffle: false });
  for (let seed = 1; seed < 20; seed++) {
    const { questions, parts } = plain(quizzes.layout(quiz, seed));
    assert.deepEqual(questions, [...questions].sort((a, b) => a - b));
    for (const part of parts) assert.deepEqual(part.options, [0, 1, 2, 3]);
  }
});

test("no shuffle and no draw: every question in source order", () => {
  const quiz = makeQuiz({ shuffle: false });
  assert.deepEqual(plain(quizzes.layout(quiz, 99).questions), [0, 1, 2, 3, 4, 5]);
});

test("a question's option order does not depend on which others were drawn", () => {
  const quiz = makeQuiz({ draw: 3 });
  const q = quiz.questions[2];
  const alone = plain(quizzes.questionLayout(q, 777, true));
  const { questions, parts } = plain(quizzes.layout(quiz, 777));
  const at = questions.indexOf(2);
  if (at >= 0) assert.deepEqual(parts[at], alone);
  assert.deepEqual([...alone.options].sort(), [0, 1, 2, 3]);
});

test("ordering items and matching right-hand sides never start in the answer order", () => {
  const ordering = { id: "o", type: "ordering", items: ["1", "2"] };
  const matching = { id: "m", type: "matching", pairs: [{ left: "a", right: "1" }, { left: "b", right: "2" }, { left: "c", right: "3" }] };
  for (let seed = 0; seed < 200; seed++) {
    assert.notDeepEqual(plain(quizzes.questionLayout(ordering, seed, false).items), [0, 1]);
    assert.notDeepEqual(plain(quizzes.questionLayout(matching, seed, false).rights), [0, 1, 2]);
  }
});

test("a saved attempt restarts as it was; a broken one starts afresh", () => {
  const qs = quizzes.start(null, 42);
  assert.equal(qs.attempt, 1);
  assert.equal(qs.seed, 42);
  qs.answers.a = [1];
  const reloaded = quizzes.start(JSON.parse(JSON.stringify(qs)), 7);
  assert.equal(reloaded.seed, 42);
  assert.deepEqual(plain(reloaded.answers), { a: [1] });
  assert.equal(quizzes.start({ seed: "x" }, 9).seed, 9);
});

test("an attempt: answers, submit, score, pass mark, retries until attempts run out", () => {
  const quiz = makeQuiz({ shuffle: false });
  let qs = quizzes.start(null, 1);
  const shown = quizzes.shown(quiz, qs);
  assert.equal(quizzes.unanswered(quiz, qs).length, 6);
  // Right on a, b, c, d (1+2+3+4 = 10 of 21 points): 47.6% < 60%.
  for (const q of shown) quizzes.setAnswer(qs, q.id, ["a", "b", "c", "d"].includes(q.id) ? [1] : [0]);
  assert.equal(quizzes.unanswered(quiz, qs).length, 0);
  const result = quizzes.submit(quiz, qs);
  assert.deepEqual(plain(result), { points: 10, max: 21, passed: false });
  assert.equal(quizzes.setAnswer(qs, "a", [0]), false, "a submitted attempt is locked");
  assert.equal(quizzes.submit(quiz, qs), result, "submitting twice changes nothing");
  assert.equal(quizzes.revealsAnswers(quiz, qs), false, "answers stay hidden while attempts remain");
  assert.equal(quizzes.canRetry(quiz, qs), true);

  qs = quizzes.retry(quiz, qs, 2);
  assert.equal(qs.attempt, 2);
  assert.equal(qs.submitted, false);
  assert.deepEqual(plain(qs.answers), {});
  assert.equal(qs.results.length, 1);
  assert.equal(quizzes.attemptsLeft(quiz, qs), 0);
  for (const q of quizzes.shown(quiz, qs)) quizzes.setAnswer(qs, q.id, [1]);
  assert.deepEqual(plain(quizzes.submit(quiz, qs)), { points: 21, max: 21, passed: true });
  assert.equal(quizzes.canRetry(quiz, qs), false);
  assert.equal(quizzes.retry(quiz, qs, 3), qs);
  assert.equal(quizzes.revealsAnswers(quiz, qs), true);
});

test("unlimited attempts, no pass mark", () => {
  const quiz = makeQuiz({ attempts: 0, pass_mark: null, kind: "knowledge-check" });
  let qs = quizzes.start(null, 5);
  for (let i = 0; i < 5; i++) {
    const result = quizzes.submit(quiz, qs);
    assert.equal(result.passed, null);
    assert.equal(result.points, 0);
    assert.equal(quizzes.canRetry(quiz, qs), true);
    qs = quizzes.retry(quiz, qs, 100 + i);
  }
  assert.equal(qs.attempt, 6);
  assert.equal(quizzes.attemptsLeft(quiz, qs), Infinity);
  assert.equal(quizzes.revealsAnswers(quiz, qs), true, "knowledge checks show their answers");
});

test("immediate feedback: checking locks one question", () => {
  const quiz = makeQuiz({ feedback: "immediate" });
  const qs = quizzes.start(null, 3);
  const q = quiz.questions[0];
  assert.equal(quizzes.check(qs, q), null, "nothing to check before an answer");
  quizzes.setAnswer(qs, q.id, [1]);
  assert.deepEqual(plain(quizzes.check(qs, q)), { correct: true, points: 1 });
  assert.equal(quizzes.isLocked(qs, q.id), true);
  assert.equal(quizzes.setAnswer(qs, q.id, [0]), false);
  assert.equal(quizzes.isLocked(qs, "b"), false);
});

test("with a draw the maximum is the drawn questions' points", () => {
  const quiz = makeQuiz({ draw: 2 });
  const qs = quizzes.start(null, 11);
  const shown = quizzes.shown(quiz, qs);
  for (const q of shown) quizzes.setAnswer(qs, q.id, [1]);
  const result = quizzes.submit(quiz, qs);
  const max = shown.reduce((sum, q) => sum + q.points, 0);
  assert.deepEqual(plain(result), { points: max, max, passed: true });
  assert.equal(quizzes.percent(1, 3), 33);
});
