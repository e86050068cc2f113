// Page progress (progress.js) and the one verdict on it (results.js): completion, pass/fail, score.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

const CW = load();
const progress = CW.progress;
const results = CW.results;

// A lesson, an assessment quiz (pass mark 80, 3 attempts), a lesson, an assessment scenario (pass
// mark 70, 3 attempts, best path 4 points) and a knowledge check.
function course(pass, completion = { pages: "all", assessments: "all" }) {
  return {
    id: "c", version: "1", completion, pass,
    modules: [{ id: "m1", pages: ["m1/a", "m1/q"] }, { id: "m2", pages: ["m2/b", "m2/s", "m2/k"] }],
    pages: [
      { id: "m1/a", kind: "lesson", module: "m1" },
      { id: "m1/q", kind: "quiz", module: "m1" },
      { id: "m2/b", kind: "lesson", module: "m2" },
      { id: "m2/s", kind: "scenario", module: "m2" },
      { id: "m2/k", kind: "quiz", module: "m2" },
    ],
    quizzes: { "m1/q": { kind: "assessment", pass_mark: 80, attempts: 3 }, "m2/k": { kind: "knowledge-check" } },
    scenarios: { "m2/s": { kind: "assessment", max_points: 4, pass_mark: 70, attempts: 3 } },
  };
}

const EACH = { rule: "each", assessments: ["m1/q", "m2/s"], weights: { "m1/q": 15, "m2/s": 4 }, mark: 70 };
const SCORE = { rule: "score", assessments: ["m1/q", "m2/s"], weights: { "m1/q": 1, "m2/s": 1 }, mark: 80 };

function quiz(state, id, ...attempts) {
  state.quizzes[id] = { attempt: attempts.length, seed: 1, answers: {}, checked: {}, submitted: true,
    results: attempts.map(([points, max]) => ({ points, max })) };
}

function scenario(state, id, ...runs) {
  state.scenarios[id] = { node: "end", path: [], points: 0, ended: true, runs: runs.map((points) => ({ points, ending: "good" })) };
}

function everything(c, state) {
  for (const page of c.pages) progress.visit(state, page.id);
  quiz(state, "m2/k", [1, 3]);
}

test("nothing is done at launch: no page, no score, no verdict", () => {
  const v = results.verdict(course(EACH), progress.emptyState());
  assert.equal(v.pagesDone, 0);
  assert.equal(v.percent, 0);
  assert.equal(v.completion, "incomplete");
  assert.equal(v.success, "unknown");
  assert.equal(v.score, null);
  assert.equal(v.certificate, false);
  assert.deepEqual(plain(v.pageStatus), {});
});

test("observed: capstone best path and 10/15 on the quiz is not a pass (rule each)", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [10, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.success, "unknown", "two attempts are left: not failed yet");
  assert.equal(v.next, "retry");
  assert.equal(v.certificate, false);
  assert.equal(v.assessments.find((a) => a.id === "m1/q").status, "retry");
  assert.ok(v.reasons.some((r) => r.key === "reason_retry" && r.params.id === "m1/q"));
});

test("observed: capstone worst path and 100% on the quiz is not a pass either", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 0, 0, 0);
  quiz(state, "m1/q", [15, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.success, "failed", "the scenario has no attempt left");
  assert.equal(v.passed, false);
  assert.equal(v.next, "contact");
  assert.equal(v.certificate, false);
  assert.equal(v.pageStatus["m2/s"], "failed");
});

test("observed: three failed attempts are failed, never a done tick", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [5, 15], [6, 15], [4, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.completion, "completed");
  assert.equal(v.success, "failed");
  assert.equal(v.pageStatus["m1/q"], "failed");
  assert.equal(v.pageStatus["m2/s"], "passed");
});

test("observed: failed only once no attempt is left", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [5, 15]);
  assert.equal(results.verdict(c, state).success, "unknown");
  assert.equal(results.verdict(c, state).pageStatus["m1/q"], "retry");
  quiz(state, "m1/q", [5, 15], [5, 15], [5, 15]);
  assert.equal(results.verdict(c, state).success, "failed");
});

test("every assessment passed and every page done: passed, with a certificate", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 3);
  quiz(state, "m1/q", [9, 15], [13, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.success, "passed");
  assert.equal(v.certificate, true);
  assert.equal(v.next, "review");
  // points-weighted: (13/15 * 15 + 3/4 * 4) / 19
  assert.deepEqual(plain(v.score), { scaled: 0.8421, raw: 84.21, min: 0, max: 100 });
  assert.deepEqual(plain(v.passMark), { percent: 70, source: "course", scaled: 0.7 });
});

test("passed only once complete: the last page still to read keeps it open", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [15, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.completion, "incomplete");
  assert.equal(v.success, "unknown");
  assert.equal(v.certificate, false);
  assert.ok(v.reasons.some((r) => r.key === "reason_pages"));
});

test("a replay beyond the attempts never changes the recorded result", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  quiz(state, "m1/q", [15, 15]);
  scenario(state, "m2/s", 0, 1, 1, 4);
  const v = results.verdict(c, state);
  const s = v.assessments.find((a) => a.id === "m2/s");
  assert.equal(s.attempts, 3);
  assert.equal(s.percent, 25);
  assert.equal(v.success, "failed");
});

test("rule score: the weighted score decides; failed once even full marks on what is left cannot reach it", () => {
  const c = course(SCORE);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [9, 15]);
  let v = results.verdict(c, state);
  assert.equal(v.rule, "score");
  assert.equal(v.score.raw, 80);
  assert.equal(v.success, "passed", "(100% + 60%) / 2 = 80%");
  scenario(state, "m2/s", 1, 1, 1);
  quiz(state, "m1/q", [3, 15], [3, 15], [3, 15]);
  v = results.verdict(c, state);
  assert.equal(v.success, "failed");
  assert.ok(v.reasons.some((r) => r.key === "reason_score_below"));
});

test("an LMS mastery score that differs from the pass mark decides, on the same score", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [9, 15]); // 60%: under the quiz's own 80%, but the course score is 68%
  let v = results.verdict(c, state, { mastery: 0.6 });
  assert.deepEqual(plain(v.passMark), { percent: 60, source: "lms", scaled: 0.6 });
  assert.equal(v.rule, "score");
  assert.equal(v.success, "passed");
  assert.equal(v.certificate, true);
  v = results.verdict(c, state, { mastery: 0.95 });
  assert.equal(v.success, "unknown", "attempts are left");
  assert.ok(v.reasons.some((r) => r.key === "reason_lms_mark"));
  v = results.verdict(c, state, { mastery: 0.7 });
  assert.equal(v.passMark.source, "course", "the LMS hands back the course's own mark: nothing changes");
  assert.equal(v.rule, "each");
});

test("no assessment: completed is the whole verdict, with a certificate", () => {
  const c = course({ rule: "each", assessments: [], weights: {}, mark: null }, { pages: "all", assessments: [] });
  const state = progress.emptyState();
  everything(c, state);
  quiz(state, "m1/q", [0, 15]);
  scenario(state, "m2/s", 0);
  const v = results.verdict(c, state, { mastery: 1 });
  assert.equal(v.completion, "completed");
  assert.equal(v.success, "unknown");
  assert.equal(v.passed, null);
  assert.equal(v.certificate, true);
  assert.equal(v.passMark, null, "an LMS mastery score has nothing to replace");
});

test("pages as a percentage", () => {
  const c = course(EACH, { pages: 60, assessments: ["m2/k"] });
  const state = progress.emptyState();
  progress.visit(state, "m1/a");
  progress.visit(state, "m2/b");
  quiz(state, "m2/k", [2, 3]);
  const v = results.verdict(c, state);
  assert.equal(v.pagesDone, 3);
  assert.equal(v.completion, "completed", "3 of 5 pages is 60%");
  assert.deepEqual(plain(v.modules), { m1: { done: 1, total: 2 }, m2: { done: 2, total: 3 } });
});

test("normalize keeps good parts of a saved state and drops the rest", () => {
  const state = progress.normalize({ location: "m1/a", visited: ["m1/a", 3], quizzes: [], checks: { x: { r: [1] } } });
  assert.deepEqual(plain(state), { v: 1, location: "m1/a", visited: ["m1/a"], quizzes: {}, checks: { x: { r: [1] } }, scenarios: {} });
  assert.deepEqual(plain(progress.normalize("junk")), plain(progress.emptyState()));
  assert.equal(progress.visit(state, "m1/a"), false);
  assert.equal(progress.visit(state, "m2/b"), true);
});

test("module cards: not begun, started, done, and a failed or retried assessment never shown done", () => {
  const c = course(EACH);
  const state = progress.emptyState();
  assert.deepEqual(plain(results.verdict(c, state).moduleStatus), { m1: "", m2: "" });
  progress.visit(state, "m2/b");
  assert.deepEqual(plain(results.verdict(c, state).moduleStatus), { m1: "", m2: "started" });
  everything(c, state);
  scenario(state, "m2/s", 4);
  quiz(state, "m1/q", [5, 15]);
  assert.deepEqual(plain(results.verdict(c, state).moduleStatus), { m1: "retry", m2: "done" });
  quiz(state, "m1/q", [5, 15], [6, 15], [4, 15]);
  const v = results.verdict(c, state);
  assert.equal(v.modules.m1.done, v.modules.m1.total, "every page of the module is done");
  assert.equal(v.moduleStatus.m1, "failed");
  quiz(state, "m1/q", [15, 15]);
  assert.equal(results.verdict(c, state).moduleStatus.m1, "done");
});
