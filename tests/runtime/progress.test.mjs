// Completion, course score and pass/fail from the course's completion rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

const CW = load();
const progress = CW.progress;

function course(completion) {
  return {
    id: "c", version: "1", completion,
    modules: [{ id: "m1", pages: ["m1/a", "m1/q"] }, { id: "m2", pages: ["m2/b", "m2/s", "m2/k"] }],
    pages: [
      { id: "m1/a", kind: "lesson", module: "m1" },
      { id: "m1/q", kind: "quiz", module: "m1" },
      { id: "m2/b", kind: "lesson", module: "m2" },
      { id: "m2/s", kind: "scenario", module: "m2" },
      { id: "m2/k", kind: "quiz", module: "m2" },
    ],
    quizzes: { "m1/q": { kind: "assessment" }, "m2/k": { kind: "knowledge-check" } },
    scenarios: { "m2/s": { kind: "assessment", max_points: 4 } },
  };
}

const RULE = { pages: "all", assessments: "all", pass_mark: 80 };

function finishQuiz(state, id, points, max) {
  state.quizzes[id] = { attempt: 1, seed: 1, answers: {}, checked: {}, submitted: true, results: [{ points, max }] };
}

function finishScenario(state, id, points) {
  state.scenarios[id] = { node: "end", path: [], points, ended: true, runs: [{ points, ending: "good" }] };
}

test("nothing done: not completed, no score, not passed", () => {
  const summary = progress.evaluate(course(RULE), progress.emptyState());
  assert.equal(summary.completed, false);
  assert.equal(summary.score, null);
  assert.equal(summary.passed, null);
  assert.equal(summary.pagesDone, 0);
  assert.equal(summary.pagesTotal, 5);
  assert.deepEqual(plain(summary.assessments.map((a) => a.id)), ["m1/q", "m2/s"]);
});

test("pages are done when read, quizzes when submitted, scenarios when ended", () => {
  const c = course(RULE);
  const state = progress.emptyState();
  for (const page of c.pages) progress.visit(state, page.id);
  let summary = progress.evaluate(c, state);
  assert.equal(summary.pagesDone, 2, "visiting a quiz or a scenario does not finish it");
  assert.deepEqual(plain(summary.modules), { m1: { done: 1, total: 2 }, m2: { done: 1, total: 3 } });
  finishQuiz(state, "m1/q", 5, 5);
  finishQuiz(state, "m2/k", 0, 3);
  finishScenario(state, "m2/s", 4);
  summary = progress.evaluate(c, state);
  assert.equal(summary.pagesDone, 5);
  assert.equal(summary.percent, 100);
  assert.equal(summary.completed, true);
  assert.deepEqual(plain(summary.score), { raw: 9, min: 0, max: 9, scaled: 1 });
  assert.equal(summary.passed, true);
  assert.deepEqual(plain(progress.outcome(summary)), { completed: true, passed: true, score: { raw: 9, min: 0, max: 9, scaled: 1 } });
});

test("course score is points over the assessments' maximum; below the pass mark fails", () => {
  const c = course(RULE);
  const state = progress.emptyState();
  for (const page of c.pages) progress.visit(state, page.id);
  finishQuiz(state, "m1/q", 3, 5);
  finishQuiz(state, "m2/k", 3, 3);
  finishScenario(state, "m2/s", 2);
  const summary = progress.evaluate(c, state);
  assert.deepEqual(plain(summary.score), { raw: 5, min: 0, max: 9, scaled: 0.5556 });
  assert.equal(summary.completed, true);
  assert.equal(summary.passed, false);
});

test("never passed before the completion rule holds", () => {
  const c = course(RULE);
  const state = progress.emptyState();
  finishQuiz(state, "m1/q", 5, 5);
  finishScenario(state, "m2/s", 4);
  const summary = progress.evaluate(c, state);
  assert.equal(summary.completed, false, "lessons not read yet");
  assert.equal(summary.passed, null);
  assert.deepEqual(plain(summary.score), { raw: 9, min: 0, max: 9, scaled: 1 });
});

test("the best attempt counts", () => {
  const c = course(RULE);
  const state = progress.emptyState();
  finishQuiz(state, "m1/q", 2, 5);
  state.quizzes["m1/q"].results.push({ points: 5, max: 5 }, { points: 1, max: 5 });
  const quiz = progress.evaluate(c, state).assessments[0];
  assert.deepEqual(plain(quiz), { id: "m1/q", kind: "quiz", done: true, points: 5, max: 5 });
});

test("pages as a percentage and assessments as a list", () => {
  const c = course({ pages: 60, assessments: ["m2/k"], pass_mark: 50 });
  const state = progress.emptyState();
  progress.visit(state, "m1/a");
  progress.visit(state, "m2/b");
  finishQuiz(state, "m2/k", 2, 3);
  let summary = progress.evaluate(c, state);
  assert.equal(summary.pagesDone, 3);
  assert.equal(summary.completed, true, "3 of 5 pages is 60%");
  assert.deepEqual(plain(summary.score), { raw: 2, min: 0, max: 3, scaled: 0.6667 });
  assert.equal(summary.passed, true);
  summary = progress.evaluate({ ...c, completion: { pages: 61, assessments: ["m2/k"], pass_mark: 50 } }, state);
  assert.equal(summary.completed, false);
  assert.equal(summary.passed, null);
});

test("no pass mark: completed without passed or failed", () => {
  const c = course({ pages: "all", assessments: [], pass_mark: null });
  const state = progress.emptyState();
  for (const page of c.pages) progress.visit(state, page.id);
  finishQuiz(state, "m1/q", 0, 5);
  finishQuiz(state, "m2/k", 0, 3);
  finishScenario(state, "m2/s", 0);
  const summary = progress.evaluate(c, state);
  assert.equal(summary.completed, true);
  assert.equal(summary.passed, null);
  assert.equal(summary.score, null);
});

test("normalize keeps good parts of a saved state and drops the rest", () => {
  const state = progress.normalize({ location: "m1/a", visited: ["m1/a", 3], quizzes: [], checks: { x: { r: [1] } } });
  assert.deepEqual(plain(state), { v: 1, location: "m1/a", visited: ["m1/a"], quizzes: {}, checks: { x: { r: [1] } }, scenarios: {} });
  assert.deepEqual(plain(progress.normalize("junk")), plain(progress.emptyState()));
  assert.equal(progress.visit(state, "m1/a"), false);
  assert.equal(progress.visit(state, "m2/b"), true);
});
