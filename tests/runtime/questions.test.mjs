// Answer checking and scoring of the six question types.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

const CW = load();
const Q = CW.questions;

const single = {
  key: "m/q/single", id: "single", type: "single", points: 2, prompt_text: "Pick one",
  options: [{ text: "a" }, { text: "b", correct: true }, { text: "c" }],
};
const multiple = {
  key: "m/q/multi", id: "multi", type: "multiple", points: 1,
  options: [{ text: "a", correct: true }, { text: "b" }, { text: "c", correct: true }],
};
const trueFalse = { key: "m/q/tf", id: "tf", type: "true-false", points: 1, answer: false };
const fillIn = { key: "m/q/fill", id: "fill", type: "fill-in", points: 1, answers: ["Palermo Protocol", "UN TIP Protocol"] };
const matching = {
  key: "m/q/match", id: "match", type: "matching", points: 3,
  pairs: [{ left: "1", right: "one" }, { left: "2", right: "two" }, { left: "3", right: "three" }],
};
const ordering = { key: "m/q/order", id: "order", type: "ordering", points: 1, items: ["first", "second", "third"] };

test("single choice: the one correct option scores its points", () => {
  assert.equal(Q.isCorrect(single, [1]), true);
  assert.equal(Q.score(single, [1]), 2);
  assert.equal(Q.isCorrect(single, [0]), false);
  assert.equal(Q.score(single, [0]), 0);
  assert.equal(Q.isAnswered(single, []), false);
  assert.equal(Q.isAnswered(single, null), false);
  assert.equal(Q.score(single, null), 0);
});

test("multiple choice: exactly the correct set, in any order", () => {
  assert.equal(Q.isCorrect(multiple, [2, 0]), true);
  assert.equal(Q.isCorrect(multiple, [0]), false);
  assert.equal(Q.isCorrect(multiple, [0, 1, 2]), false);
  assert.equal(Q.score(multiple, [0, 2]), 1);
});

test("true-false compares booleans", () => {
  assert.equal(Q.isCorrect(trueFalse, false), true);
  assert.equal(Q.isCorrect(trueFalse, true), false);
  assert.equal(Q.isAnswered(trueFalse, "false"), false);
  assert.equal(Q.isAnswered(trueFalse, false), true);
});

test("fill-in ignores case and spaces, accepts any listed answer", () => {
  assert.equal(Q.isCorrect(fillIn, "palermo protocol"), true);
  assert.equal(Q.isCorrect(fillIn, "  PALERMO   Protocol "), true);
  assert.equal(Q.isCorrect(fillIn, "PalermoProtocol"), true);
  assert.equal(Q.isCorrect(fillIn, "un tip protocol"), true);
  assert.equal(Q.isCorrect(fillIn, "Palermo"), false);
  assert.equal(Q.isAnswered(fillIn, "   "), false);
});

test("matching: every row matched to its own right-hand side", () => {
  assert.equal(Q.isCorrect(matching, [[0, 0], [1, 1], [2, 2]]), true);
  assert.equal(Q.isCorrect(matching, [[0, 1], [1, 0], [2, 2]]), false);
  assert.equal(Q.isAnswered(matching, [[0, 0], [1, 1]]), false);
  assert.equal(Q.isAnswered(matching, [[0, 0], [1, 1], [2, null]]), false);
  assert.equal(Q.score(matching, [[2, 2], [0, 0], [1, 1]]), 3);
});

test("matching: rows with the same right-hand text are interchangeable", () => {
  const q = { ...matching, pairs: [{ left: "a", right: "yes" }, { left: "b", right: "yes" }, { left: "c", right: "no" }] };
  assert.equal(Q.isCorrect(q, [[0, 1], [1, 0], [2, 2]]), true);
});

test("ordering: items in the source order", () => {
  assert.equal(Q.isCorrect(ordering, [0, 1, 2]), true);
  assert.equal(Q.isCorrect(ordering, [1, 0, 2]), false);
  assert.equal(Q.isAnswered(ordering, [0, 1]), false);
  assert.deepEqual(plain(Q.emptyResponse(ordering, [2, 0, 1])), [2, 0, 1]);
});

test("correct responses in the neutral forms", () => {
  assert.deepEqual(plain(Q.correctResponse(single)), [1]);
  assert.deepEqual(plain(Q.correctResponse(multiple)), [0, 2]);
  assert.equal(Q.correctResponse(trueFalse), false);
  assert.equal(Q.correctResponse(fillIn), "Palermo Protocol");
  assert.deepEqual(plain(Q.correctResponse(matching)), [[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual(plain(Q.correctResponse(ordering)), [0, 1, 2]);
});

test("an interaction record carries key, type, response, result and weighting", () => {
  const when = new Date(2024, 0, 1);
  const record = Q.interaction(single, [0], 1234.6, when);
  assert.equal(record.key, "m/q/single");
  assert.equal(record.type, "choice");
  assert.deepEqual(plain(record.response), [0]);
  assert.deepEqual(plain(record.correct), [1]);
  assert.equal(record.result, "incorrect");
  assert.equal(record.weighting, 2);
  assert.equal(record.latencyMs, 1235);
  assert.equal(record.timestamp, when);
  assert.equal(record.description, "Pick one");
  assert.equal(Q.interaction(ordering, [0, 1, 2]).type, "ordering");
  assert.equal(Q.interaction(trueFalse, false).result, "correct");
});
