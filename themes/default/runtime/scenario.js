/* Scenario engine: a branching story node by node; the path taken, endings, points and restarts
   (pure, no DOM).

   A scenario's saved state: {node, path: [[nodeId, choiceIndex]], points, ended,
   runs: [{points, ending}]}; a run is kept each time an ending is reached. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  function fresh(scenario, runs) {
    return { node: scenario.start, path: [], points: 0, ended: false, runs: runs || [] };
  }

  function start(scenario, saved) {
    if (!saved || typeof saved !== "object" || !CW.own(scenario.nodes, saved.node)) return fresh(scenario);
    var path = (Array.isArray(saved.path) ? saved.path : []).filter(function (step) {
      var at = Array.isArray(step) && scenario.nodes[step[0]];
      return !!(at && at.choices && at.choices[step[1]]);
    });
    return {
      node: saved.node,
      path: path,
      points: typeof saved.points === "number" ? saved.points : 0,
      ended: !!saved.ended,
      runs: Array.isArray(saved.runs) ? saved.runs : []
    };
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
    if (!CW.own(scenario.nodes, choice.goto)) return null;
    var from = ss.node;
    ss.path.push([from, index]);
    ss.points += Number(choice.points) || 0;
    ss.node = choice.goto;
    if (isEnding(scenario, ss.node)) {
      ss.ended = true;
      ss.runs.push({ points: ss.points, ending: scenario.nodes[ss.node].ending });
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
    start: start,
    node: node,
    isEnding: isEnding,
    choose: choose,
    restart: restart,
    scaled: scaled,
    bestChoices: bestChoices,
    interaction: interaction
  };
})(typeof window !== "undefined" ? window : globalThis);
