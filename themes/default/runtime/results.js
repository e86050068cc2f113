/* Results: the one verdict on the learner's work (pure, no DOM). The end screen, the certificate,
   the contents' marks and every tracker read it, so none of them can say something else.

   verdict(course, state, lms) → {
     completion: "completed" | "incomplete",
     success: "passed" | "failed" | "unknown"   (failed only when no attempt can change it),
     score: {scaled 0..1, raw 0..100, min 0, max 100} | null   (once every counted assessment has a result),
     passMark: {percent, scaled, source: "course" | "lms"} | null,
     rule: "each" | "score",
     assessments: [{id, kind, status: "open" | "retry" | "passed" | "failed", scaled, passMark,
                    attempts, limit, left, counts}],
     reasons: [{key, params}]   (why the result is what it is, for the learner),
     next: "continue" | "retry" | "review" | "contact",
     certificate: boolean,
     pageStatus: {page id: "done" | "passed" | "retry" | "failed"},
     moduleStatus: {module id: "done" | "started" | "retry" | "failed" | ""},
     ...the page progress of progress.pages()
   }
   `lms` is what the tracker learned from the LMS: {mastery: 0..1 | null}. An LMS mastery score
   that differs from the course's pass mark is the pass mark (an administrator's choice): the
   course score alone then decides, on screen, on the certificate and in the LMS alike. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var P = CW.progress;
  var EPS = 1e-9;

  /* One assessment's recorded attempts (never more than its limit: later runs are practice) and
     what they mean. */
  function assessment(course, state, id) {
    var isQuiz = CW.own(course.quizzes, id);
    var it = P.item(course, id) || {};
    var all = isQuiz ? P.quizResults(state, id) : P.scenarioRuns(course, state, id);
    var limit = it.attempts > 0 ? it.attempts : 0;
    var recorded = limit ? all.slice(0, limit) : all;
    var top = P.best(recorded);
    var scaled = top ? (top.max > 0 ? Math.min(1, top.points / top.max) : 1) : null;
    var mark = typeof it.pass_mark === "number" ? it.pass_mark : null;
    var passed = top ? mark === null || scaled * 100 >= mark - EPS : null;
    var left = limit ? Math.max(0, limit - recorded.length) : Infinity;
    return {
      id: id,
      kind: isQuiz ? "quiz" : "scenario",
      done: !!top,
      points: top ? top.points : null,
      max: top ? top.max : null,
      scaled: scaled === null ? null : P.round(scaled, 4),
      percent: scaled === null ? null : Math.round(scaled * 100),
      passMark: mark,
      passed: passed,
      attempts: recorded.length,
      limit: limit,
      left: left,
      status: !top ? "open" : passed ? "passed" : left > 0 ? "retry" : "failed"
    };
  }

  function passRule(course) {
    var rule = course.pass || {};
    var ids = Array.isArray(rule.assessments) ? rule.assessments : P.assessmentIds(course);
    return {
      rule: rule.rule === "score" ? "score" : "each",
      assessments: ids.filter(function (id) { return !!P.item(course, id); }),
      weights: rule.weights || {},
      mark: typeof rule.mark === "number" ? rule.mark : null
    };
  }

  function weightOf(rule, a) {
    var w = rule.weights[a.id];
    return typeof w === "number" ? w : 1;
  }

  /* The weighted course score of the counted assessments; `potential` scores open ones as a
     learner with attempts left could still score them (1), for "can this still be passed?". */
  function courseScore(rule, counted, potential) {
    var total = 0;
    var sum = 0;
    for (var i = 0; i < counted.length; i++) {
      var a = counted[i];
      var w = weightOf(rule, a);
      var value = a.scaled;
      if (potential && a.status !== "passed" && a.left > 0) value = 1;
      if (value === null) return null;
      total += w;
      sum += w * value;
    }
    return total > 0 ? sum / total : null;
  }

  /* A course score in whole percent, as the learner reads it wherever it is shown (the end screen,
     its reasons, the certificate): rounded from `raw`, never again from `scaled`, whose own rounding
     can land on the other side of a half (0.575 * 100 is 57.49999…). */
  function percent(score) {
    return Math.round(score.raw);
  }

  /* Everything the screen, the certificate and the trackers need to know about the result. */
  function verdict(course, state, lms) {
    var progress = P.pages(course, state);
    var rule = passRule(course);
    var ids = P.assessmentIds(course);
    rule.assessments.forEach(function (id) { if (ids.indexOf(id) < 0) ids.push(id); });
    var byId = {};
    var assessments = ids.map(function (id) {
      var a = assessment(course, state, id);
      a.counts = rule.assessments.indexOf(id) >= 0;
      byId[id] = a;
      return a;
    });
    var finishing = P.assessmentIds(course).map(function (id) { return byId[id]; });
    var counted = rule.assessments.map(function (id) { return byId[id]; });
    var completed = progress.pagesRuleMet && finishing.every(function (a) { return a.done; });
    var reasons = [];

    var scaled = counted.length ? courseScore(rule, counted, false) : null;
    var score = scaled === null ? null
      : { scaled: P.round(scaled, 4), raw: P.round(scaled * 100, 2), min: 0, max: 100 };

    var mastery = lms && typeof lms.mastery === "number" ? P.round(lms.mastery * 100, 2) : null;
    var passMark = null;
    var byScore = rule.rule === "score";
    if (rule.mark !== null) passMark = { percent: rule.mark, source: "course" };
    if (rule.mark !== null && mastery !== null && Math.abs(mastery - rule.mark) > 0.005) {
      passMark = { percent: mastery, source: "lms" };
      byScore = true;
      reasons.push({ key: "reason_lms_mark", params: { mark: mastery, course: rule.mark } });
    }
    if (passMark) passMark.scaled = P.round(passMark.percent / 100, 4);

    var success = "unknown";
    if (!counted.length) {
      success = "unknown";
    } else if (byScore && passMark) {
      var best = courseScore(rule, counted, true);
      if (score && score.raw >= passMark.percent - EPS) success = "passed";
      else if (best !== null && best * 100 < passMark.percent - EPS) success = "failed";
      if (score) {
        reasons.push({ key: success === "passed" ? "reason_score_met" : "reason_score_below",
          params: { percent: percent(score), mark: passMark.percent } });
      }
    } else {
      if (counted.every(function (a) { return a.status === "passed"; })) success = "passed";
      else if (counted.some(function (a) { return a.status === "failed"; })) success = "failed";
    }
    counted.forEach(function (a) {
      if (byScore && passMark) return;
      if (a.status === "failed") reasons.push({ key: "reason_failed", params: { id: a.id, percent: a.percent, mark: a.passMark } });
      else if (a.status === "retry") reasons.push({ key: "reason_retry", params: { id: a.id, percent: a.percent, mark: a.passMark, left: a.left } });
    });
    finishing.concat(counted).forEach(function (a, i, list) {
      if (!a.done && list.indexOf(a) === i) reasons.push({ key: "reason_open", params: { id: a.id } });
    });
    if (!progress.pagesRuleMet) {
      reasons.push({ key: "reason_pages", params: { done: progress.pagesDone, total: progress.pagesTotal } });
    }
    // Passed only once complete: the certificate and the LMS's "passed" mean the course was done.
    var pending = success === "passed" && !completed;
    if (pending) success = "unknown";
    if (success === "passed" && !byScore) reasons.unshift({ key: "reason_all_passed", params: {} });

    var hasRule = counted.length > 0;
    var canRetry = counted.some(function (a) { return a.status !== "passed" && a.left > 0 && a.done; });
    var next = success === "passed" || (completed && !hasRule) ? "review"
      : success === "failed" ? "contact"
      : canRetry && counted.every(function (a) { return a.done; }) ? "retry" : "continue";

    var out = {
      completion: completed ? "completed" : "incomplete",
      success: hasRule ? success : "unknown",
      completed: completed,
      passed: !hasRule ? null : success === "passed" ? true : success === "failed" ? false : null,
      hasPassRule: hasRule,
      score: score,
      passMark: passMark,
      rule: byScore ? "score" : "each",
      assessments: assessments,
      reasons: reasons,
      next: next,
      // A browsed visit (a preview the LMS does not record) earns no certificate.
      certificate: completed && (hasRule ? success === "passed" : true) && !(lms && lms.mode === "browse")
    };
    Object.assign(out, progress);
    out.pageStatus = pageStatus(course, out);
    out.moduleStatus = moduleStatus(course, out);
    return out;
  }

  /* How each module looks on the landing: "failed" or "retry" when one of its assessments is (a
     failure is never shown as done), else "done" once every page is, "started", or "" (not begun). */
  function moduleStatus(course, v) {
    var out = {};
    course.modules.forEach(function (m) {
      var marks = m.pages.map(function (id) { return v.pageStatus[id] || ""; });
      var counts = v.modules[m.id] || { done: 0, total: 0 };
      out[m.id] = marks.indexOf("failed") >= 0 ? "failed"
        : marks.indexOf("retry") >= 0 ? "retry"
        : counts.total && counts.done === counts.total ? "done"
        : counts.done > 0 ? "started" : "";
    });
    return out;
  }

  /* How each page looks in the contents: "done", or an assessment's "passed", "retry" or
     "failed" (never a done tick for a failure). */
  function pageStatus(course, v) {
    var out = {};
    Object.keys(v.donePages).forEach(function (id) { out[id] = "done"; });
    v.assessments.forEach(function (a) {
      if (a.done && a.passMark !== null) out[a.id] = a.status;
    });
    return out;
  }

  /* What a tracker reports: the verdict in tracking terms. */
  function outcome(v) {
    return {
      completion: v.completion,
      success: v.success,
      score: v.score,
      passMark: v.passMark,
      rule: v.rule,
      hasPassRule: v.hasPassRule,
      // Kept for trackers written against the older interface.
      completed: v.completed,
      passed: v.passed
    };
  }

  CW.results = { verdict: verdict, outcome: outcome, assessment: assessment, percent: percent };
})(globalThis);
