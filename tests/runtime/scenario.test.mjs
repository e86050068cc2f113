// The scenario engine: paths, endings, points, restarts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, plain } from "./load.mjs";

const CW = load();
const engine = CW.scenario;

const scenario = {
  kind: "assessment", start: "window", max_points: 5,
  nodes: {
    window: { ending: null, choices: [
      { goto: "private", points: 3, feedback_html: "Good." },
      { goto: "missed", points: 0, feedback_html: "Missed." },
      { goto: "asked", points: 1, feedback_html: "Hm." },
    ] },
    asked: { ending: null, choices: [{ goto: "private", points: 1 }, { goto: "missed", points: 0 }] },
    private: { ending: null, choices: [{ goto: "referral", points: 2 }, { goto: "sent-home", points: 0 }] },
    referral: { ending: "good", choices: [] },
    "sent-home": { ending: "neutral", choices: [] },
    missed: { ending: "poor", choices: [] },
  },
};

test("the best path scores the maximum", () => {
  const ss = engine.start(scenario, null);
  assert.equal(ss.node, "window");
  const step = engine.choose(scenario, ss, 0);
  assert.equal(step.from, "window");
  assert.equal(step.to, "private");
  assert.equal(step.choice.feedback_html, "Good.");
  assert.equal(step.ended, false);
  const last = engine.choose(scenario, ss, 0);
  assert.equal(last.ended, true);
  assert.equal(ss.points, 5);
  assert.equal(engine.scaled(scenario, ss.points), 1);
  assert.deepEqual(plain(ss.path), [["window", 0], ["private", 0]]);
  assert.deepEqual(plain(ss.runs), [{ points: 5, ending: "good" }]);
  assert.equal(engine.choose(scenario, ss, 0), null, "no choice after an ending");
});

test("a poor path ends early with its points", () => {
  const ss = engine.start(scenario, null);
  engine.choose(scenario, ss, 2);
  engine.choose(scenario, ss, 1);
  assert.equal(ss.ended, true);
  assert.equal(engine.node(scenario, ss).ending, "poor");
  assert.equal(ss.points, 1);
  assert.equal(engine.scaled(scenario, ss.points), 0.2);
});

test("restart keeps the finished runs", () => {
  let ss = engine.start(scenario, null);
  engine.choose(scenario, ss, 1);
  ss = engine.restart(scenario, ss);
  assert.equal(ss.node, "window");
  assert.equal(ss.points, 0);
  assert.equal(ss.ended, false);
  assert.deepEqual(plain(ss.path), []);
  assert.equal(ss.runs.length, 1);
});

test("a saved state resumes; one naming an unknown node starts over", () => {
  const ss = engine.start(scenario, null);
  engine.choose(scenario, ss, 2);
  const again = engine.start(scenario, JSON.parse(JSON.stringify(ss)));
  assert.equal(again.node, "asked");
  assert.equal(again.points, 1);
  assert.equal(engine.start(scenario, { node: "gone", path: [] }).node, "window");
});

test("invalid choices are refused", () => {
  const ss = engine.start(scenario, null);
  assert.equal(engine.choose(scenario, ss, 9), null);
  assert.equal(ss.node, "window");
});

test("a decision's interaction names the best choices as correct", () => {
  const record = engine.interaction("m/case", scenario, "window", 2, 500, "What first?");
  assert.equal(record.key, "m/case/window");
  assert.equal(record.type, "choice");
  assert.deepEqual(plain(record.response), [2]);
  assert.deepEqual(plain(record.correct), [0]);
  assert.equal(record.result, "incorrect");
  assert.equal(record.weighting, 3);
  assert.equal(engine.interaction("m/case", scenario, "window", 0).result, "correct");
});

test("no points to win: no scaled score", () => {
  assert.equal(engine.scaled({ ...scenario, max_points: 0 }, 0), null);
});

// Memory: flags and scores set by choices, conditional gotos and debriefs (trees the builder parsed).
const remembering = {
  kind: "practice", start: "ask", max_points: 2,
  nodes: {
    ask: { ending: null, choices: [
      { goto: "plan", points: 2, set: ["alone"], add: { trust: 1 } },
      { goto: "plan", points: 0, set: ["told-employer"], add: { trust: -1 } },
    ] },
    plan: { ending: null, choices: [
      { goto: "safe", points: 0, branches: [
        [["or", ["flag", "told-employer"], ["cmp", "<", ["score", "trust"], ["num", 0]]], "exposed"],
        [null, "safe"],
      ] },
    ] },
    safe: { ending: "good", choices: [], debrief: [null, ["flag", "alone"]] },
    exposed: { ending: "poor", choices: [], debrief: [null, ["not", ["flag", "alone"]], ["flag", "alone"]] },
  },
};

test("conditions read flags and scores, and nothing else", () => {
  const memory = { flags: { a: true }, scores: { n: 2 } };
  assert.equal(engine.evaluate(["and", ["flag", "a"], ["cmp", ">=", ["score", "n"], ["num", 2]]], memory), true);
  assert.equal(engine.evaluate(["or", ["flag", "b"], ["not", ["flag", "a"]]], memory), false);
  assert.equal(engine.evaluate(["cmp", "==", ["score", "unset"], ["num", 0]], memory), true);
  assert.equal(engine.evaluate(["constructor"], memory), false, "an unknown form is false, never run");
  assert.equal(engine.evaluate(["flag", "constructor"], memory), false, "no inherited names");
});

test("paths that rejoin end differently by what the learner did", () => {
  const kind = engine.start(remembering, null);
  engine.choose(remembering, kind, 0);
  assert.equal(engine.choose(remembering, kind, 0).to, "safe");
  assert.deepEqual(plain(engine.debriefParts(remembering, kind)), [0, 1]);
  const harmful = engine.start(remembering, null);
  engine.choose(remembering, harmful, 1);
  const last = engine.choose(remembering, harmful, 0);
  assert.equal(last.to, "exposed");
  assert.equal(harmful.runs[0].ending, "poor");
  assert.deepEqual(plain(engine.debriefParts(remembering, harmful)), [0, 1]);
});

test("the memory is replayed from the saved path, and an edited story stops the replay where it no longer fits", () => {
  const saved = JSON.parse(JSON.stringify({ node: "exposed", path: [["ask", 1], ["plan", 0]], points: 0, ended: true,
                                            runs: [{ points: 0, ending: "poor" }] }));
  const ss = engine.start(remembering, saved);
  assert.equal(ss.node, "exposed");
  assert.equal(ss.ended, true);
  assert.deepEqual(plain(engine.memoryOf(remembering, ss.path).flags), { "told-employer": true });
  const edited = engine.start(remembering, { path: [["ask", 0], ["gone", 0]], runs: [] });
  assert.equal(edited.node, "plan");
  assert.deepEqual(plain(edited.path), [["ask", 0]]);
  assert.equal(edited.points, 2);
  const runsOnly = engine.start(remembering, { runs: [{ points: 2, ending: "good" }] });
  assert.equal(runsOnly.node, "ask");
  assert.equal(runsOnly.runs.length, 1, "finished runs survive a state cut down to fit suspend_data");
});

test("runs after the last attempt are practice: played, never recorded", () => {
  const limited = { ...scenario, attempts: 2 };
  let ss = engine.start(limited, null);
  engine.choose(limited, ss, 1); // a poor ending: the first recorded run
  assert.equal(ss.practice, false);
  ss = engine.restart(limited, ss);
  engine.choose(limited, ss, 1); // the second, the last attempt
  assert.deepEqual(plain(ss.runs.map((r) => r.points)), [0, 0]);
  assert.equal(ss.practice, false, "the last recorded run is not practice");
  ss = engine.restart(limited, ss);
  assert.equal(ss.practice, true, "a replay after the last attempt is practice from its start");
  engine.choose(limited, ss, 0);
  engine.choose(limited, ss, 0); // the best path, in practice
  assert.equal(ss.ended, true);
  assert.equal(ss.runs.length, 2, "the practice run does not override a recorded attempt");
  assert.equal(engine.attemptsLeft(limited, ss.runs), 0);
  // A reload keeps the run on show as it was: the last recorded one is not turned into practice.
  const saved = JSON.parse(JSON.stringify({ ...ss, practice: false }));
  assert.equal(engine.start(limited, saved).practice, false);
  assert.equal(engine.start(limited, { ...saved, practice: true }).practice, true);
});

test("unlimited attempts: every run is recorded", () => {
  let ss = engine.start(scenario, null);
  for (let i = 0; i < 5; i++) {
    engine.choose(scenario, ss, 1);
    ss = engine.restart(scenario, ss);
  }
  assert.equal(ss.runs.length, 5);
  assert.equal(ss.practice, false);
});
