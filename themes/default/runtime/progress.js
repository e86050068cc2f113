/* Progress: the learner's state object and the pages it has done, per module and in all (pure, no
   DOM). What that means for completion, pass/fail and score is results.js's to say. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  function emptyState() {
    return { v: 1, location: null, visited: [], quizzes: {}, checks: {}, scenarios: {} };
  }

  /* A saved state from any tracker, made whole (unknown or broken parts are dropped). */
  function normalize(saved) {
    var state = emptyState();
    if (!saved || typeof saved !== "object") return state;
    if (typeof saved.location === "string") state.location = saved.location;
    if (typeof saved.lang === "string") state.lang = saved.lang; // the language the learner chose
    if (Array.isArray(saved.visited)) {
      state.visited = saved.visited.filter(function (id) { return typeof id === "string"; });
    }
    ["quizzes", "checks", "scenarios"].forEach(function (part) {
      if (saved[part] && typeof saved[part] === "object" && !Array.isArray(saved[part])) state[part] = saved[part];
    });
    return state;
  }

  function visit(state, pageId) {
    if (state.visited.indexOf(pageId) >= 0) return false;
    state.visited.push(pageId);
    return true;
  }

  function round(value, places) {
    var f = Math.pow(10, places);
    return Math.round(value * f) / f;
  }

  /* The best finished attempt or run: {points, max} or null. */
  function best(results) {
    var top = null;
    (results || []).forEach(function (r) {
      if (!r || typeof r.points !== "number" || typeof r.max !== "number") return;
      var ratio = r.max > 0 ? r.points / r.max : 0;
      if (!top || ratio > top.ratio) top = { points: r.points, max: r.max, ratio: ratio };
    });
    return top && { points: top.points, max: top.max };
  }

  function quizResults(state, id) {
    var qs = state.quizzes[id];
    return qs && Array.isArray(qs.results) ? qs.results : [];
  }

  function scenarioRuns(course, state, id) {
    var ss = state.scenarios[id];
    var max = course.scenarios[id] ? course.scenarios[id].max_points : 0;
    return ss && Array.isArray(ss.runs)
      ? ss.runs.map(function (run) { return { points: run.points, max: max }; })
      : [];
  }

  /* A page is done when read (lesson), when an attempt is submitted (quiz), when an ending is
     reached (scenario). */
  function pageDone(course, state, page, visited) {
    if (page.kind === "quiz") return quizResults(state, page.id).length > 0;
    if (page.kind === "scenario") return scenarioRuns(course, state, page.id).length > 0;
    return visited ? visited.has(page.id) : state.visited.indexOf(page.id) >= 0;
  }

  /* The quiz or the scenario of an id, or null. */
  function item(course, id) {
    return CW.own(course.quizzes, id) ? course.quizzes[id] : CW.own(course.scenarios, id) ? course.scenarios[id] : null;
  }

  /* The assessments the course needs finished. While only the first module's pages are listed
     (runtime/pages.js), the others are known by the summary index.html gives of every assessment. */
  function assessmentIds(course) {
    var rule = (course.completion || {}).assessments;
    var known = {};
    course.pages.forEach(function (p) { known[p.id] = p; });
    function summarised(id) {
      return !known[id] && course.untitled && !!item(course, id);
    }
    if (Array.isArray(rule)) return rule.filter(function (id) { return (known[id] && known[id].kind !== "lesson") || summarised(id); });
    var assessed = function (id) { var it = item(course, id); return !!it && it.kind === "assessment"; };
    var ids = course.pages.map(function (p) { return p.id; }).filter(assessed);
    if (!course.untitled) return ids;
    return ids.concat(Object.keys(course.quizzes || {}).concat(Object.keys(course.scenarios || {})).filter(function (id) {
      return summarised(id) && assessed(id);
    }));
  }

  /* Pages done, per module and in all, and whether the completion rule's pages are met. The
     verdict (completion, pass/fail, score) is results.js's. */
  function pages(course, state) {
    var rule = course.completion || {};
    var visited = new Set(state.visited);
    var modules = {};
    var pagesDone = 0;
    var donePages = {};
    // A module listed by its number of pages (runtime/pages.js) has none done but those listed (its
    // first page, the second module's): a state naming another waits for the whole outline first.
    var unlisted = 0;
    course.modules.forEach(function (m) {
      var size = m.size > 0 ? Math.max(0, m.size - m.pages.length) : 0;
      modules[m.id] = { done: 0, total: size };
      unlisted += size;
    });
    course.pages.forEach(function (page) {
      var done = pageDone(course, state, page, visited);
      var mod = modules[page.module] || (modules[page.module] = { done: 0, total: 0 });
      mod.total += 1;
      if (done) {
        mod.done += 1;
        pagesDone += 1;
        donePages[page.id] = true;
      }
    });
    var pagesTotal = course.pages.length + unlisted;
    var met = typeof rule.pages === "number"
      ? pagesTotal === 0 || (pagesDone * 100) / pagesTotal >= rule.pages - 1e-9
      : pagesDone === pagesTotal;
    return {
      pagesDone: pagesDone,
      pagesTotal: pagesTotal,
      percent: pagesTotal ? Math.round((pagesDone * 100) / pagesTotal) : 100,
      donePages: donePages,
      modules: modules,
      pagesRuleMet: met
    };
  }

  CW.progress = {
    emptyState: emptyState,
    normalize: normalize,
    visit: visit,
    pageDone: pageDone,
    assessmentIds: assessmentIds,
    item: item,
    pages: pages,
    quizResults: quizResults,
    scenarioRuns: scenarioRuns,
    round: round,
    best: best
  };
})(globalThis);
