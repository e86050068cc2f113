// The xAPI profile (runtime/statements.js) and the statement queue (runtime/lrs.js) without a
// browser: statement shapes, the cmi5 rules on results, and the queue's order and exactly-once.
import test from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { load, plain } from "./load.mjs";

const FILES = ["core.js", "storage.js", "responses.js", "lrs.js", "statements.js"];
const SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

function cw(fetch) {
  return load(FILES, { crypto: webcrypto, fetch, setTimeout, clearTimeout, URLSearchParams });
}

function launch(CW) {
  return new CW.xapi.Statements({
    actor: { account: { homePage: "https://lms.example.org", name: "l1" } }, activity: "urn:x:au", base: "urn:x",
    registration: "r-1", lang: "en", course: { title: "T" },
    template: { contextActivities: { grouping: [{ id: "urn:x:au" }] }, extensions: { [SESSION]: "s-1" } },
  });
}

test("cmi5 defined statements carry the template, the categories and only the results cmi5 allows", () => {
  const CW = cw();
  const s = launch(CW);
  const passed = plain(s.defined("passed", 61000, { score: { scaled: 0.85 } }, 0.8));
  assert.equal(passed.verb.id, "http://adlnet.gov/expapi/verbs/passed");
  assert.equal(passed.object.id, "urn:x:au");
  assert.equal(passed.context.registration, "r-1");
  assert.equal(passed.context.extensions[SESSION], "s-1");
  assert.equal(passed.context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"], 0.8);
  assert.deepEqual(passed.context.contextActivities.category.map((c) => c.id), [
    "https://w3id.org/xapi/cmi5/context/categories/cmi5", "https://w3id.org/xapi/cmi5/context/categories/moveon"]);
  assert.deepEqual(passed.result, { duration: "PT1M1S", success: true, score: { scaled: 0.85, raw: 85, min: 0, max: 100 } });
  const completed = plain(s.defined("completed", 1500));
  assert.deepEqual(completed.result, { duration: "PT1.5S", completion: true });
  const initialized = plain(s.defined("initialized", 0));
  assert.equal(initialized.result, undefined);
  assert.equal(initialized.context.contextActivities.category.length, 1);
});

test("a score that contradicts the masteryScore is left out of passed and failed", () => {
  const s = launch(cw());
  assert.equal(plain(s.defined("failed", 1, { score: { scaled: 0.9 } }, 0.7)).result.score, undefined);
  assert.equal(plain(s.defined("failed", 1, { score: { scaled: 0.5 } }, 0.7)).result.score.scaled, 0.5);
  assert.equal(plain(s.defined("passed", 1, { score: { scaled: 0.6 } }, 0.7)).result.score, undefined);
});

test("an answered question says what was answered, in xAPI's patterns, under its parent AU", () => {
  const s = launch(cw());
  const q = { options: [{ text: "One" }, { text: "Two" }, { text: "Three" }] };
  const st = plain(s.interaction({ key: "m/quiz/q1", type: "choice", response: [0, 2], correct: [0, 2],
    result: "correct", weighting: 2, latencyMs: 4200, description: "Pick" }, q, false));
  assert.equal(st.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.equal(st.object.id, "urn:x/m/quiz/q1");
  assert.equal(st.object.definition.interactionType, "choice");
  assert.deepEqual(st.object.definition.correctResponsesPattern, ["a[,]c"]);
  assert.deepEqual(st.object.definition.choices.map((c) => c.id), ["a", "b", "c"]);
  assert.deepEqual(st.result, { success: true, duration: "PT4.2S", response: "a[,]c",
    score: { raw: 2, min: 0, max: 2, scaled: 1 } });
  assert.deepEqual(st.context.contextActivities.parent, [{ id: "urn:x:au", objectType: "Activity" }]);
  assert.equal(st.context.contextActivities.category, undefined);
});

test("timestamps never repeat and never go back", () => {
  const s = launch(cw());
  const times = [0, 1, 2, 3].map(() => s.defined("initialized", 0).timestamp);
  assert.deepEqual([...times].sort(), times);
  assert.equal(new Set(times).size, times.length);
});

function memoryStore() {
  const data = {};
  return { getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); },
    removeItem: (k) => { delete data[k]; } };
}

test("the queue sends oldest first, keeps what the LRS did not take, and sends it once it can", async () => {
  let up = false;
  const received = [];
  const fetch = async (url, options) => {
    if (!up) throw new Error("offline");
    received.push(...JSON.parse(options.body).map((s) => s.id));
    return { status: 200, text: async () => "[]" };
  };
  const CW = cw(fetch);
  const store = memoryStore();
  const queue = new CW.lrs.Queue(store);
  for (const id of ["s1", "s2", "s3"]) await queue.add("https://lrs/", "Basic x", { id });
  assert.equal(queue.pending(), 3);
  assert.equal(queue.failed, true);
  const again = new CW.lrs.Queue(store); // a reload: the same storage, a new page
  assert.equal(again.pending(), 3);
  up = true;
  assert.equal(await again.flush(), true);
  assert.deepEqual(received, ["s1", "s2", "s3"]);
  assert.equal(again.pending(), 0);
  clearTimeout(queue.timer);
});

test("a statement the LRS refuses as invalid is left out, the others go on", async () => {
  const received = [];
  const fetch = async (url, options) => {
    const batch = JSON.parse(options.body);
    if (batch.some((s) => s.id === "bad")) return { status: 400, text: async () => "invalid" };
    received.push(...batch.map((s) => s.id));
    return { status: 200, text: async () => "[]" };
  };
  const CW = cw(fetch);
  CW.report = () => {};
  const queue = new CW.lrs.Queue(memoryStore());
  queue.write([{ endpoint: "https://lrs/", auth: "a", statement: { id: "ok1" } },
    { endpoint: "https://lrs/", auth: "a", statement: { id: "bad" } },
    { endpoint: "https://lrs/", auth: "a", statement: { id: "ok2" } }]);
  assert.equal(await queue.flush(), true);
  assert.deepEqual(received, ["ok1", "ok2"]);
});
