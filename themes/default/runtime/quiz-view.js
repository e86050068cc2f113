/* Quiz view: a quiz page (templates/partials/quiz.html) run by the quiz engine: the attempt's
   questions in order, checking (immediate feedback) or submitting (end feedback), the result
   screen with the review, and retries. Also inline ::: check questions, ungraded. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;
  var engine = CW.quiz;
  var Q = CW.questions;

  function QuizView(app, node, pageId) {
    var self = this;
    this.app = app;
    this.node = node;
    this.id = pageId;
    this.data = app.course.quizzes[pageId];
    this.qs = engine.start(app.state.quizzes[pageId], CW.newSeed());
    app.state.quizzes[pageId] = this.qs;
    this.views = {};
    this.items = {};
    this.shownAt = {};
    this.list = node.querySelector(".quiz-questions");
    this.status = node.querySelector(".quiz-status");
    this.status.setAttribute("tabindex", "-1");
    this.result = node.querySelector(".quiz-result");
    this.message = node.querySelector(".quiz-message");
    this.submitButton = node.querySelector('[data-action="submit"]');
    if (this.data.feedback === "immediate") this.submitButton.textContent = t("quiz_finish");
    this.page = 0; // with one question per screen: the index of the question on show
    // The bar stays in reach at the bottom of the screen: Previous / Next, Submit, then Try again.
    this.bar = node.querySelector(".quiz-actions");
    this.bar.classList.add("quiz-bar");
    this.retryButton = CW.button(t("quiz_retry"), "retry", "btn-primary");
    this.submitButton.after(this.retryButton);
    if (this.data.one_per_screen) {
      this.progress = el("p", { class: "quiz-progress" });
      this.meter = el("span", { class: "bar quiz-meter", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" },
        el("span", { class: "bar-fill" }));
      this.prevButton = CW.button(t("quiz_previous"), "quiz-prev", "btn-secondary");
      this.nextButton = CW.button(t("quiz_next"), "quiz-next", "btn-secondary");
      this.bar.insertBefore(this.nextButton, this.bar.firstChild);
      this.bar.insertBefore(this.prevButton, this.nextButton);
      this.list.before(this.progress, this.meter);
    }

    var byKey = {};
    node.querySelectorAll(".quiz-item").forEach(function (item) {
      byKey[item.getAttribute("data-key")] = item;
    });
    this.data.questions.forEach(function (q) {
      var item = byKey[q.key];
      if (!item) return;
      self.items[q.id] = item;
      self.views[q.id] = new CW.QuestionView(item.querySelector(".question"), q, function (view, typing) {
        self.changed(q, view, typing);
      });
    });
    this.submitButton.addEventListener("click", function () { self.submit(); });
    node.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button || !node.contains(button)) return;
      var action = button.getAttribute("data-action");
      if (action === "check") self.check(button.closest(".quiz-item").getAttribute("data-key"));
      else if (action === "retry") self.retry();
      else if (action === "quiz-prev") self.turn(self.page - 1);
      else if (action === "quiz-next") self.turn(self.page + 1);
      else if (action === "review") self.focusFirstQuestion();
    });
    this.render();
  }

  QuizView.prototype.shown = function () {
    return engine.shown(this.data, this.qs);
  };

  QuizView.prototype.render = function () {
    var self = this;
    var qs = this.qs;
    var layout = engine.layout(this.data, qs.seed);
    var reveal = engine.revealsAnswers(this.data, qs);
    var now = Date.now();
    Object.keys(this.items).forEach(function (id) { self.items[id].hidden = true; });
    layout.questions.forEach(function (index, n) {
      var q = self.data.questions[index];
      var view = self.views[q.id];
      if (!view) return;
      var item = self.items[q.id];
      item.hidden = false;
      self.list.appendChild(item);
      view.reset(layout.parts[n]);
      view.setNumber(n + 1, layout.questions.length);
      var answer = engine.answerOf(qs, q);
      if (answer !== null) view.write(answer);
      // An ordering question is answered as shown until the learner moves something.
      else if (q.type === "ordering" && engine.setAnswer(qs, q.id, view.read())) answer = engine.answerOf(qs, q);
      if (qs.submitted || qs.checked[q.id]) {
        view.showFeedback(answer, reveal);
        view.setActions();
      } else {
        view.setActions(self.data.feedback === "immediate" ? CW.button(t("check_answer"), "check", "btn-secondary") : null);
        self.shownAt[q.id] = now;
      }
    });
    this.status.textContent = this.data.attempts
      ? t("quiz_attempt_of", { n: qs.attempt, total: this.data.attempts })
      : t("quiz_attempt", { n: qs.attempt });
    this.submitButton.hidden = qs.submitted;
    this.retryButton.hidden = !engine.canRetry(this.data, qs);
    this.message.textContent = "";
    this.paginate();
    if (qs.submitted) this.showResult();
    else this.result.hidden = true;
  };

  /* One question per screen: only the question on show, its place in the attempt, and Previous /
     Next (the review after submitting shows every question). */
  QuizView.prototype.paginate = function () {
    if (!this.data.one_per_screen) return;
    var self = this;
    var shown = this.shown();
    var paged = !this.qs.submitted;
    this.page = Math.max(0, Math.min(this.page, shown.length - 1));
    shown.forEach(function (q, n) { self.items[q.id].hidden = paged && n !== self.page; });
    var total = shown.length;
    var text = t("quiz_question_of", { n: this.page + 1, total: total });
    this.progress.hidden = this.meter.hidden = !paged;
    this.progress.textContent = text;
    var percent = total ? Math.round(((this.page + 1) * 100) / total) : 100;
    this.meter.setAttribute("aria-valuenow", String(percent));
    this.meter.setAttribute("aria-valuetext", text);
    this.meter.setAttribute("aria-label", text);
    this.meter.firstElementChild.style.inlineSize = percent + "%";
    this.prevButton.hidden = !paged;
    this.nextButton.hidden = !paged;
    this.prevButton.disabled = this.page === 0;
    this.nextButton.disabled = this.page >= total - 1;
  };

  QuizView.prototype.turn = function (page, focusInput) {
    this.page = page;
    this.paginate();
    var q = this.shown()[this.page];
    var view = q && this.views[q.id];
    if (!view) return;
    var target = focusInput && view.node.querySelector("input:not([disabled]):not([aria-disabled='true']):not([readonly]), select:not([disabled]), button:not([disabled])");
    if (!target) {
      target = view.node.querySelector(".question-number") || view.node;
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  };

  QuizView.prototype.changed = function (q, view, typing) {
    if (engine.setAnswer(this.qs, q.id, view.read())) {
      view.say("");
      view.node.classList.remove("is-unanswered");
      this.app.save({ soon: !!typing, quiet: true });
    }
  };

  QuizView.prototype.question = function (key) {
    return this.data.questions.filter(function (q) { return q.key === key; })[0];
  };

  QuizView.prototype.record = function (q) {
    var response = engine.answerOf(this.qs, q);
    var latency = this.shownAt[q.id] ? Date.now() - this.shownAt[q.id] : 0;
    this.app.tracker.recordInteraction(Q.interaction(q, response === null ? Q.emptyResponse(q) : response, latency));
  };

  /* Immediate feedback on one question. */
  QuizView.prototype.check = function (key) {
    var q = this.question(key);
    var view = q && this.views[q.id];
    if (!view || engine.isLocked(this.qs, q.id)) return;
    engine.setAnswer(this.qs, q.id, view.read());
    if (!engine.check(this.qs, q)) {
      view.say(t("answer_first"));
      return;
    }
    this.record(q);
    var correct = view.showFeedback(engine.answerOf(this.qs, q), engine.revealsAnswers(this.data, this.qs));
    view.setActions();
    view.feedback.focus();
    view.announce(t(correct ? "feedback_correct" : "feedback_incorrect"));
    var open = this.shown().filter(function (x) { return !this.qs.checked[x.id]; }, this);
    if (!open.length) this.message.textContent = t("quiz_all_checked");
    this.app.save();
  };

  QuizView.prototype.submit = function () {
    var self = this;
    if (this.qs.submitted) return;
    var missing = engine.unanswered(this.data, this.qs);
    if (missing.length) {
      // Each open question is marked, in words as well as colour, and the focus goes to the first.
      this.message.textContent = t("quiz_unanswered", { n: missing.length });
      missing.forEach(function (q) {
        var view = self.views[q.id];
        if (!view) return;
        view.node.classList.add("is-unanswered");
        view.say(t("quiz_not_answered"));
      });
      var index = this.shown().indexOf(missing[0]);
      if (this.data.one_per_screen) this.turn(index, true);
      else {
        var first = this.views[missing[0].id];
        var input = first && first.node.querySelector("input:not([disabled]):not([aria-disabled='true']):not([readonly]), select:not([disabled]), button:not([disabled])");
        if (input) input.focus();
      }
      return;
    }
    this.shown().forEach(function (q) { if (!self.qs.checked[q.id]) self.record(q); });
    engine.submit(this.data, this.qs);
    this.render();
    this.result.focus();
    // Said as well as shown: the verdict and score, in the status line where the submit button was.
    var last = engine.lastResult(this.qs);
    this.message.textContent = (last.passed === null ? "" : t(last.passed ? "quiz_passed" : "quiz_failed") + ". ") +
      t("quiz_score", { points: last.points, max: last.max, percent: engine.percent(last.points, last.max) });
    this.app.save();
  };

  QuizView.prototype.showResult = function () {
    var data = this.data;
    var qs = this.qs;
    var last = engine.lastResult(qs);
    var body = this.result.querySelector(".quiz-result-body");
    var actions = this.result.querySelector(".quiz-result-actions");
    body.textContent = "";
    actions.textContent = "";
    if (last.passed !== null) {
      body.appendChild(el("p", { class: "verdict " + (last.passed ? "verdict--pass" : "verdict--fail") },
        CW.icon(last.passed ? "correct" : "incorrect"),
        el("strong", {}, last.passed ? t("quiz_passed") : t("quiz_failed"))));
    }
    body.appendChild(el("p", { class: "result-score" }, t("quiz_score", {
      points: last.points, max: last.max, percent: engine.percent(last.points, last.max)
    })));
    if (typeof data.pass_mark === "number") body.appendChild(el("p", {}, t("quiz_pass_mark", { n: data.pass_mark })));
    var best = CW.progress.best(qs.results);
    if (qs.results.length > 1 && best) {
      body.appendChild(el("p", {}, t("quiz_best", { percent: engine.percent(best.points, best.max) })));
    }
    var left = engine.attemptsLeft(data, qs);
    if (left !== Infinity) body.appendChild(el("p", {}, t("quiz_attempts_left", { n: left })));
    body.appendChild(el("p", {}, t(engine.revealsAnswers(data, qs) ? "quiz_review_below" : "quiz_review_held")));
    actions.appendChild(CW.button(t("quiz_review"), "review", "btn-secondary"));
    // "Try again" is in the bar at the bottom of the screen, in reach wherever the learner reads.
    this.result.hidden = false;
  };

  QuizView.prototype.focusFirstQuestion = function () {
    var first = this.shown()[0];
    var view = first && this.views[first.id];
    if (view) {
      var target = view.node.querySelector(".question-number") || view.node;
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  };

  QuizView.prototype.retry = function () {
    if (!engine.canRetry(this.data, this.qs)) return;
    this.page = 0;
    this.qs = engine.retry(this.data, this.qs, CW.newSeed());
    this.app.state.quizzes[this.id] = this.qs;
    this.render();
    this.status.focus();
    this.app.save();
  };

  /* After a reset of the whole course: a first attempt again. */
  QuizView.prototype.clearAll = function () {
    this.qs = engine.start(null, CW.newSeed());
    this.app.state.quizzes[this.id] = this.qs;
    this.render();
  };

  /* An inline ::: check: one question, checked as often as the learner likes, never scored. */
  function CheckView(app, node, key) {
    var self = this;
    this.app = app;
    this.key = key;
    this.q = app.course.checks[key];
    var questionNode = node.querySelector(".question");
    if (!this.q || !questionNode) return;
    this.layout = engine.questionLayout(this.q, CW.hash(key), false);
    this.view = new CW.QuestionView(questionNode, this.q, function (view, typing) {
      var saved = app.state.checks[key];
      if (saved && saved.c) return;
      app.state.checks[key] = { r: view.read(), c: false };
      view.say("");
      app.save({ soon: !!typing, quiet: true });
    });
    questionNode.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      if (button.getAttribute("data-action") === "check") self.check();
      else if (button.getAttribute("data-action") === "retry") self.retry();
    });
    this.render();
  }

  CheckView.prototype.render = function () {
    var saved = this.app.state.checks[this.key];
    this.view.reset(this.layout);
    if (saved && saved.r !== null && saved.r !== undefined) this.view.write(saved.r);
    if (saved && saved.c) {
      this.view.showFeedback(saved.r, true);
      this.view.setActions(CW.button(t("check_again"), "retry", "btn-secondary"));
    } else {
      this.view.setActions(CW.button(t("check_answer"), "check", "btn-secondary"));
    }
  };

  CheckView.prototype.check = function () {
    var response = this.view.read();
    if (!Q.isAnswered(this.q, response)) {
      this.view.say(t("answer_first"));
      return;
    }
    this.app.state.checks[this.key] = { r: response, c: true };
    this.render();
    this.view.feedback.focus();
    this.view.announce(t(Q.isCorrect(this.q, response) ? "feedback_correct" : "feedback_incorrect"));
    this.app.save();
  };

  CheckView.prototype.retry = function () {
    delete this.app.state.checks[this.key];
    this.render();
    var first = this.view.node.querySelector("input, select, .order-item button:not([disabled])");
    if (first) first.focus();
    this.app.save({ quiet: true });
  };

  CheckView.prototype.clearAll = function () {
    if (this.view) this.render();
  };

  CW.QuizView = QuizView;
  CW.CheckView = CheckView;
})(globalThis);
