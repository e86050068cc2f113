/* Scenario engine: a branching story node by node; the path taken, the learner's memory (flags
   and scores), conditional endings, points and restarts (pure, no DOM).

   A scenario's saved state: {node, path: [[nodeId, choiceIndex]], points, ended,
   runs: [{points, ending}], practice}; a run is kept each time an ending is reached, up to the
   scenario's `attempts` (0: no limit). A run started after the last attempt is practice: it is
   played in full but never recorded, so a replay cannot override a recorded attempt. Flags and
   scores are not saved: they are replayed from the path, which keeps suspend_data small. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  /* A condition the builder parsed and checked: ["flag", n], ["score", n], ["num", x],
     ["bool", b], ["not", c], ["and", c...], ["or", c...], ["cmp", op, left, right]. Only these
     forms are read; nothing is ever run as code. */
  function evaluate(tree, memory) {
    if (!Array.isArray(tree)) return false;
    var op = tree[0], i;
    if (op === "flag") return CW.own(memory.flags, tree[1]);
    if (op === "score") return CW.own(memory.scores, tree[1]) ? memory.scores[tree[1]] : 0;
    if (op === "num" || op === "bool") return tree[1];
    if (op === "not") return !evaluate(tree[1], memory);
    if (op === "and") {
      for (i = 1; i < tree.length; i++) if (!evaluate(tree[i], memory)) return false;
      return true;
    }
    if (op === "or") {
      for (i = 1; i < tree.length; i++) if (evaluate(tree[i], memory)) return true;
      return false;
    }
    if (op === "cmp") {
      var a = evaluate(tree[2], memory), b = evaluate(tree[3], memory);
      switch (tree[1]) {
        case "==": return a === b;
        case "!=": return a !== b;
        case "<": return a < b;
        case "<=": return a <= b;
        case ">": return a > b;
        case ">=": return a >= b;
      }
    }
    return false;
  }

  function emptyMemory() {
    return { flags: Object.create(null), scores: Object.create(null) };
  }

  /* A choice's flags and numbers, added to the memory. */
  function remember(memory, choice) {
    (choice.set || []).forEach(function (flag) { memory.flags[flag] = true; });
    var add = choice.add || {};
    Object.keys(add).forEach(function (name) {
      memory.scores[name] = (CW.own(memory.scores, name) ? memory.scores[name] : 0) + (Number(add[name]) || 0);
    });
  }

  /* Where a choice leads for this memory: the first branch whose condition holds. */
  function target(choice, memory) {
    if (!choice.branches) return choice.goto;
    for (var i = 0; i < choice.branches.length; i++) {
      var branch = choice.branches[i];
      if (branch[0] === null || evaluate(branch[0], memory)) return branch[1];
    }
    return null;
  }

  /* The flags and scores a path has set, replayed from the start. */
  function memoryOf(scenario, path) {
    var memory = emptyMemory();
    path.forEach(function (step) { remember(memory, scenario.nodes[step[0]].choices[step[1]]); });
    return memory;
  }

  function fresh(scenario, runs) {
    runs = runs || [];
    return { node: scenario.start, path: [], points: 0, ended: false, runs: runs, practice: attemptsLeft(scenario, runs) === 0 };
  }

  /* Runs still to be recorded (Infinity when unlimited). */
  function attemptsLeft(scenario, runs) {
    return scenario.attempts > 0 ? Math.max(0, scenario.attempts - runs.length) : Infinity;
  }

  /* Saved state replayed step by step from the start: a step that no longer fits the scenario (it
     was edited since) ends the replay there, so the learner resumes where the story still holds. */
  function start(scenario, saved) {
    if (!saved || typeof saved !== "object") return fresh(scenario);
    var ss = fresh(scenario, Array.isArray(saved.runs) ? saved.runs : []);
    ss.practice = !!saved.practice; // the run on show may be the last recorded one
    var memory = emptyMemory();
    var steps = Array.isArray(saved.path) ? saved.path : [];
    for (var i = 0; i < steps.length && !ss.ended; i++) {
      var step = steps[i], at = scenario.nodes[ss.node];
      if (!Array.isArray(step) || step[0] !== ss.node || !at.choices || !at.choices[step[1]]) break;
      var choice = at.choices[step[1]];
      remember(memory, choice);
      var to = target(choice, memory);
      if (!CW.own(scenario.nodes, to)) break;
      ss.path.push([ss.node, step[1]]);
      ss.points += Number(choice.points) || 0;
      ss.node = to;
      ss.ended = isEnding(scenario, to);
    }
    return ss;
  }

  /* The debrief parts an ending shows for this path: their indexes. */
  function debriefParts(scenario, ss) {
    var current = scenario.nodes[ss.node], memory = memoryOf(scenario, ss.path), shown = [];
    ((current && current.debrief) || []).forEach(function (tree, i) {
      if (tree === null || evaluate(tree, memory)) shown.push(i);
    });
    return shown;
  }

  function node(scenario, ss) {
    return scenario.nodes[ss.node];
  }

  function isEnding(scenario, nodeId) {
    var n = scenario.nodes[nodeId];
    return !!(n && n.ending);
  }

  /* Take choice `index` at the current node: returns {from, choice, to, ended} or null. */
  function choose(scenario, ss, index) {
    var current = node(scenario, ss);
    if (ss.ended || !current || !current.choices || !current.choices[index]) return null;
    var choice = current.choices[index];
    var memory = memoryOf(scenario, ss.path);
    remember(memory, choice);
    var to = target(choice, memory);
    if (!CW.own(scenario.nodes, to)) return null;
    var from = ss.node;
    ss.path.push([from, index]);
    ss.points += Number(choice.points) || 0;
    ss.node = to;
    if (isEnding(scenario, ss.node)) {
      ss.ended = true;
      if (!ss.practice && attemptsLeft(scenario, ss.runs) > 0) ss.runs.push({ points: ss.points, ending: scenario.nodes[ss.node].ending });
      else ss.practice = true;
    }
    return { from: from, choice: choice, to: ss.node, ended: ss.ended };
  }

  function restart(scenario, ss) {
    return fresh(scenario, ss.runs);
  }

  /* Points over the best path's points, or null when the scenario has no points to win. */
  function scaled(scenario, points) {
    return scenario.max_points > 0 ? Math.min(1, points / scenario.max_points) : null;
  }

  function bestChoices(current) {
    var top = -Infinity;
    (current.choices || []).forEach(function (c) { top = Math.max(top, Number(c.points) || 0); });
    var out = [];
    (current.choices || []).forEach(function (c, i) { if ((Number(c.points) || 0) === top) out.push(i); });
    return out;
  }

  /* The record the tracker's recordInteraction receives for one decision. */
  function interaction(scenarioId, scenario, nodeId, index, latencyMs, description, now) {
    var current = scenario.nodes[nodeId];
    var best = bestChoices(current);
    var weighting = 0;
    current.choices.forEach(function (c) { weighting = Math.max(weighting, Number(c.points) || 0); });
    return {
      key: scenarioId + "/" + nodeId,
      type: "choice",
      response: [index],
      correct: best,
      result: best.indexOf(index) >= 0 ? "correct" : "incorrect",
      weighting: weighting,
      latencyMs: Math.max(0, Math.round(latencyMs || 0)),
      timestamp: now || new Date(),
      description: description || ""
    };
  }

  CW.scenario = {
    evaluate: evaluate,
    memoryOf: memoryOf,
    target: target,
    debriefParts: debriefParts,
    start: start,
    node: node,
    isEnding: isEnding,
    choose: choose,
    restart: restart,
    attemptsLeft: attemptsLeft,
    scaled: scaled,
    bestChoices: bestChoices,
    interaction: interaction
  };
})(globalThis);
