/* A scripted learner for the end-to-end tests, run inside the course page: it moves through the
   pages by address, answers quizzes through their question views (rightly or wrongly) and clicks
   its way through scenarios, the way the course's own controls do. */
window.learner = (function () {
  "use strict";
  var CW = window.Coursewright; // CW.quiz and CW.questions come with the first quiz page (its runtime part)

  function until(test, what) {
    return new Promise(function (resolve, reject) {
      var started = Date.now();
      (function poll() {
        if (test()) return resolve();
        if (Date.now() - started > 5000) return reject(new Error("timed out waiting for " + what));
        setTimeout(poll, 10);
      })();
    });
  }

  function section(id) {
    return document.querySelector('section.page[data-page="' + id + '"]');
  }

  function go(id) {
    location.hash = "#/" + id;
    return until(function () { return section(id) && section(id).classList.contains("is-current"); }, id);
  }

  function viewOf(id, field) {
    return CW.app.views.filter(function (v) { return v.id === id && v[field]; })[0];
  }

  function wrong(q) {
    switch (q.type) {
      case "single":
      case "multiple":
        return [q.options.map(function (o, i) { return o.correct ? -1 : i; }).filter(function (i) { return i >= 0; })[0]];
      case "true-false": return !q.answer;
      case "fill-in": return "not the answer";
      case "matching": return q.pairs.map(function (p, i) { return [i, (i + 1) % q.pairs.length]; });
      case "categorisation": return q.sort_items.map(function (item, i) { return [i, (item.group + 1) % q.groups.length]; });
      case "hotspot": return [q.regions.map(function (r, i) { return r.correct ? -1 : i; }).filter(function (i) { return i >= 0; })[0]];
      default: return CW.range(q.items.length).reverse();
    }
  }

  function click(node) {
    if (!node) throw new Error("nothing to click");
    node.click();
  }

  /* Answer every question of a quiz page (all right, or all wrong) and submit it; a quiz already
     submitted is tried again first (its "Try again" button). `right` may also be a number: the
     share of questions answered right, from the first. */
  async function quiz(id, right) {
    await go(id);
    var view = viewOf(id, "qs");
    if (view.qs.submitted) {
      click(view.node.querySelector('[data-action="retry"]'));
      await until(function () { return !view.qs.submitted; }, "a new attempt");
    }
    var shown = CW.quiz.shown(view.data, view.qs);
    var rightCount = typeof right === "number" ? Math.round(right * shown.length) : right ? shown.length : 0;
    shown.forEach(function (q, n) {
      var qv = view.views[q.id];
      qv.write(n < rightCount ? CW.questions.correctResponse(q) : wrong(q));
      view.changed(q, qv, false);
      var check = view.items[q.id].querySelector('[data-action="check"]');
      if (check) click(check);
    });
    click(view.node.querySelector('[data-action="submit"]'));
    await until(function () { return view.qs.submitted; }, "the quiz result");
    return shown.length;
  }

  /* Play a scenario to an ending, always taking the best (or the worst) choice. */
  async function scenario(id, best) {
    await go(id);
    var view = viewOf(id, "ss");
    if (view.ss.ended) {
      click(view.node.querySelector('.scenario-node:not([hidden]) [data-action="restart"]'));
      await until(function () { return !view.ss.ended; }, "a new run");
    }
    var steps = 0;
    while (!view.ss.ended && steps < 100) {
      var choices = view.data.nodes[view.ss.node].choices;
      var pick = 0;
      choices.forEach(function (c, i) {
        var better = (c.points || 0) > (choices[pick].points || 0);
        if (best ? better : (c.points || 0) < (choices[pick].points || 0)) pick = i;
      });
      click(view.sections[view.ss.node].querySelector('.scenario-choice[data-choice="' + pick + '"]'));
      steps++;
    }
    return steps;
  }

  /* Every page in order (from `startAt`, up to `stopAt`); returns how many interactions were
     recorded. */
  async function course(right, stopAt, startAt) {
    var interactions = 0;
    var started = !startAt;
    // From file:// a new learner starts before pages/outline.js brings the modules beyond the first.
    await new Promise(function (resolve) { CW.pages.whole(resolve); });
    for (var i = 0; i < CW.app.course.pages.length; i++) {
      var page = CW.app.course.pages[i];
      if (page.id === startAt) started = true;
      if (!started) continue;
      if (page.id === stopAt) { await go(page.id); break; }
      if (page.kind === "quiz") interactions += await quiz(page.id, right);
      else if (page.kind === "scenario") interactions += await scenario(page.id, right);
      else await go(page.id);
    }
    return interactions;
  }

  return { go: go, quiz: quiz, scenario: scenario, course: course };
})();
