// Core helpers: strings with placeholders, events, seeded random numbers; trackers and storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

test("strings fill {placeholders} and fall back to the key", () => {
  const CW = load();
  CW.strings = { question_of: "Question {n} of {total}" };
  assert.equal(CW.t("question_of", { n: 2, total: 5 }), "Question 2 of 5");
  assert.equal(CW.t("question_of", { n: 2 }), "Question 2 of {total}");
  assert.equal(CW.t("missing_key"), "missing_key");
  CW.language = "fa";
  assert.equal(CW.t("question_of", { n: 2, total: 5 }), "Question ۲ of ۵", "numbers in the course language");
});

test("events reach every listener even when one fails", () => {
  const CW = load(undefined, { console: { warn() {} } });
  const seen = [];
  CW.on("x", () => { throw new Error("boom"); });
  CW.on("x", (d) => seen.push(d));
  CW.emit("x", 1);
  assert.deepEqual(seen, [1]);
});

test("seeded random numbers repeat; shuffles keep every item", () => {
  const CW = load();
  const a = CW.rng(7), b = CW.rng(7);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
  const list = [1, 2, 3, 4, 5, 6];
  const shuffled = plain(CW.shuffle(list, CW.rng(3)));
  assert.deepEqual([...shuffled].sort(), list);
  assert.deepEqual(plain(CW.shuffle(list, CW.rng(3))), shuffled);
  assert.deepEqual(list, [1, 2, 3, 4, 5, 6], "the input is not changed");
  assert.equal(CW.hash("abc"), CW.hash("abc"));
  assert.notEqual(CW.hash("abc"), CW.hash("abd"));
});

function memoryStore() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

test("LocalTracker keeps the state under coursewright:<id>:<version>", () => {
  const CW = load();
  const store = memoryStore();
  const course = { id: "ct-consular", version: "1.0.0" };
  const tracker = new CW.LocalTracker(course, store);
  assert.equal(tracker.start(), null);
  assert.equal(tracker.save({ location: "m/p", visited: ["m/p"] }), true);
  assert.ok(store.data.has("coursewright:ct-consular:1.0.0"));
  const again = new CW.LocalTracker(course, store);
  assert.deepEqual(plain(again.start()), { location: "m/p", visited: ["m/p"] });
  again.reset();
  assert.equal(new CW.LocalTracker(course, store).start(), null);
  store.setItem("coursewright:ct-consular:1.0.0", "{broken");
  assert.equal(new CW.LocalTracker(course, store).start(), null);
});

test("LocalTracker without storage keeps the state in memory", () => {
  const CW = load();
  const tracker = new CW.LocalTracker({ id: "x", version: "1" }, null);
  tracker.save({ a: 1 });
  assert.deepEqual(plain(tracker.start()), { a: 1 });
});

test("a guarded tracker never throws and reports failures as false", () => {
  const CW = load(undefined, { console: { warn() {} } });
  const broken = {
    start() { throw new Error("no LMS"); },
    save() { return false; },
    setLocation() { throw new Error("nope"); },
    recordInteraction() { return "true"; },
  };
  const tracker = CW.guardTracker(broken);
  assert.equal(tracker.start(), null);
  assert.equal(tracker.save({}), false);
  assert.equal(tracker.setLocation("x"), false);
  assert.equal(tracker.recordInteraction({}), true);
  assert.equal(tracker.finish(), false, "a missing method is a failure, not an exception");
  assert.equal(CW.guardTracker(null).commit(), false);
});

test("the first tracker whose API is found wins; otherwise the LocalTracker", () => {
  const CW = load(undefined, { console: { warn() {} } });
  const course = { id: "c", version: "1" };
  const made = [];
  CW.trackers.push({ name: "broken", detect() { throw new Error("x"); }, create() {} });
  CW.trackers.push({ name: "absent", detect: () => null, create() { made.push("absent"); } });
  CW.trackers.push({ name: "found", detect: (w) => w.API, create: (api) => { made.push(api); return { name: "found", start: () => ({ a: 1 }) }; } });
  const tracker = CW.chooseTracker(course, { API: "api" });
  assert.equal(tracker.name, "found");
  assert.deepEqual(made, ["api"]);
  assert.deepEqual(plain(tracker.start()), { a: 1 });
  const local = CW.chooseTracker(course, {});
  assert.equal(local.name, "local");
});
