/* Questions: answer checking and scoring of the eight question types, in the neutral response
   forms of the tracking interface (pure, no DOM).

   Responses: single, multiple and hotspot → array of option (region) indexes; true-false →
   boolean; fill-in → string; matching → array of [leftIndex, rightIndex]; categorisation → array
   of [itemIndex, groupIndex] (a matching of items to groups); ordering → array of item indexes in
   the learner's order. A question scores its points when right, nothing otherwise. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var INTERACTION_TYPES = {
    single: "choice",
    multiple: "choice",
    "true-false": "true-false",
    "fill-in": "fill-in",
    matching: "matching",
    ordering: "ordering",
    categorisation: "matching",
    hotspot: "choice"
  };

  function sortedUnique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
  }

  /* The indexes of the right options (of a hotspot: of its right regions). */
  function correctOptions(q) {
    var out = [];
    ((q.type === "hotspot" ? q.regions : q.options) || []).forEach(function (o, i) { if (o.correct) out.push(i); });
    return out;
  }

  /* Each item of a categorisation with its group, [itemIndex, groupIndex], in the items' order. */
  function itemGroups(q) {
    return (q.sort_items || []).map(function (item, i) { return [i, item.group]; });
  }

  function pairCount(q) {
    return (q.pairs || []).length;
  }

  /* Whether the learner has given an answer that can be checked. */
  function isAnswered(q, response) {
    switch (q.type) {
      case "single":
      case "multiple":
      case "hotspot":
        return Array.isArray(response) && response.length > 0;
      case "true-false":
        return typeof response === "boolean";
      case "fill-in":
        return typeof response === "string" && response.trim() !== "";
      case "matching":
      case "categorisation":  // items matched to groups
        if (!Array.isArray(response)) return false;
        var lefts = {};
        response.forEach(function (p) { if (Array.isArray(p) && p[1] != null) lefts[p[0]] = true; });
        return Object.keys(lefts).length === (q.type === "matching" ? pairCount(q) : q.sort_items.length);
      case "ordering":
        return Array.isArray(response) && response.length === (q.items || []).length;
      default:
        return false;
    }
  }

  function isCorrect(q, response) {
    if (!isAnswered(q, response)) return false;
    switch (q.type) {
      case "single":
      case "multiple":
      case "hotspot":
        var given = sortedUnique(response);
        var wanted = correctOptions(q);
        return given.length === wanted.length && given.every(function (x, i) { return x === wanted[i]; });
      case "true-false":
        return response === q.answer;
      case "fill-in":
        var answer = CW.normalizeAnswer(response);
        return (q.answers || []).some(function (a) { return CW.normalizeAnswer(a) === answer; });
      case "matching":
        // Rows whose right-hand sides read the same are interchangeable.
        return response.every(function (p) {
          var left = q.pairs[p[0]];
          var right = q.pairs[p[1]];
          return left && right && left.right === right.right;
        });
      case "ordering":
        return response.every(function (itemIndex, position) {
          return q.items[itemIndex] === q.items[position];
        });
      case "categorisation":
        return response.every(function (p) {
          var item = q.sort_items[p[0]];
          return !!item && item.group === p[1];
        });
      default:
        return false;
    }
  }

  function score(q, response) {
    return isCorrect(q, response) ? Number(q.points) || 0 : 0;
  }

  /* The correct response in the neutral form (the first accepted answer for fill-in). */
  function correctResponse(q) {
    switch (q.type) {
      case "single":
      case "multiple":
      case "hotspot":
        return correctOptions(q);
      case "true-false":
        return q.answer;
      case "fill-in":
        return (q.answers || [""])[0];
      case "matching":
        return (q.pairs || []).map(function (p, i) { return [i, i]; });
      case "ordering":
        return CW.range((q.items || []).length);
      case "categorisation":
        return itemGroups(q);
      default:
        return null;
    }
  }

  /* The record the tracker's recordInteraction receives. */
  function interaction(q, response, latencyMs, now) {
    var correct = isCorrect(q, response);
    return {
      key: q.key,
      type: INTERACTION_TYPES[q.type] || "other",
      response: response,
      correct: correctResponse(q),
      // Every accepted answer of a fill-in: each is a correct response the LMS should know.
      accepted: q.type === "fill-in" ? (q.answers || []).slice() : null,
      result: correct ? "correct" : "incorrect",
      weighting: Number(q.points) || 0,
      latencyMs: Math.max(0, Math.round(latencyMs || 0)),
      timestamp: now || new Date(),
      description: q.prompt_text || ""
    };
  }

  /* The response a question starts with: nothing chosen, except ordering (the shown order). */
  function emptyResponse(q, itemOrder) {
    if (q.type === "ordering") return (itemOrder || CW.range((q.items || []).length)).slice();
    return null;
  }

  CW.questions = {
    INTERACTION_TYPES: INTERACTION_TYPES,
    isAnswered: isAnswered,
    isCorrect: isCorrect,
    score: score,
    correctResponse: correctResponse,
    correctOptions: correctOptions,
    interaction: interaction,
    emptyResponse: emptyResponse
  };
})(globalThis);
