// The pure parts of the page modules: addresses, neighbours, the glossary filter's matching.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain, PURE } from "./load.mjs";

const CW = load([...PURE, "dom.js", "parts.js", "question-view.js", "quiz-view.js", "scenario-view.js", "glossary.js", "content.js", "nav.js", "toc.js", "endscreen.js", "boot.js"]);

test("every runtime file loads without a page", () => {
  for (const name of ["QuestionView", "QuizView", "CheckView", "ScenarioView", "Nav", "App"]) {
    assert.equal(typeof CW[name], "function", name);
  }
  assert.equal(typeof CW.boot, "function");
});

test("addresses: #/<page-id>, anchors, nothing", () => {
  assert.deepEqual(plain(CW.nav.parse("#/m/p")), { page: "m/p" });
  assert.deepEqual(plain(CW.nav.parse("#/glossary")), { page: "glossary" });
  assert.deepEqual(plain(CW.nav.parse("#g-act")), { anchor: "g-act" });
  assert.deepEqual(plain(CW.nav.parse("#/m/%C3%A9t%C3%A9")), { page: "m/été" });
  assert.equal(CW.nav.parse(""), null);
  assert.equal(CW.nav.parse("#"), null);
  assert.equal(CW.nav.parse("#%E0%A4%A"), null, "a broken escape is no address");
});

test("previous and next in reading order", () => {
  const order = ["a/1", "a/2", "b/1", "end"];
  assert.deepEqual(plain(CW.nav.neighbours(order, "a/1")), { prev: null, next: "a/2" });
  assert.deepEqual(plain(CW.nav.neighbours(order, "b/1")), { prev: "a/2", next: "end" });
  assert.deepEqual(plain(CW.nav.neighbours(order, "end")), { prev: "b/1", next: null });
  assert.deepEqual(plain(CW.nav.neighbours(order, "glossary")), { prev: null, next: null });
});

test("the glossary filter ignores case and spaces", () => {
  assert.equal(CW.glossary.matches("forced lab", "Forced labour forced work"), true);
  assert.equal(CW.glossary.matches("FORCEDLABOUR", "Forced labour"), true);
  assert.equal(CW.glossary.matches("", "anything"), true);
  assert.equal(CW.glossary.matches("smuggling", "Forced labour"), false);
});

test("a saved scenario path with unknown steps keeps only the good ones", () => {
  const scenario = { start: "a", max_points: 1, nodes: { a: { choices: [{ goto: "b", points: 1 }] }, b: { ending: "good", choices: [] } } };
  const ss = CW.scenario.start(scenario, { node: "b", path: [["a", 0], ["zz", 0], ["a", 5], "junk"], points: 1, ended: true, runs: [] });
  assert.deepEqual(plain(ss.path), [["a", 0]]);
});

test("an address names the reference page that holds it, when index.html leaves that page out", () => {
  const pages = load([...PURE, "dom.js", "parts.js", "pages.js"]).pages;
  pages.init({ pages: [], apart: ["glossary", "frameworks"] });
  assert.equal(pages.holding("g-debt-bondage"), "glossary");
  assert.equal(pages.holding("glossary-D"), "glossary");
  assert.equal(pages.holding("fw-palermo-protocol--art-3"), "frameworks");
  assert.equal(pages.holding("fw-palermo-protocol"), "frameworks");
  assert.equal(pages.holding("some-heading"), null);
  assert.equal(pages.isApart("glossary"), true);
  assert.equal(pages.isApart("end"), false);
  // A course that holds them (the single file, a theme without pages on demand) loads neither.
  const whole = load([...PURE, "dom.js", "parts.js", "pages.js"]).pages;
  whole.init({ pages: [] });
  assert.equal(whole.holding("g-debt-bondage"), null);
  assert.equal(whole.isApart("glossary"), false);
});
