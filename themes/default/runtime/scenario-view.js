/* Scenario view: a branching scenario page (templates/partials/scenario.html) played node by
   node: choices as buttons, feedback on each choice, the path so far, the ending with its
   debrief and score, and restart. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;
  var engine = CW.scenario;

  function ScenarioView(app, node, pageId) {
    var self = this;
    this.app = app;
    this.node = node;
    this.id = pageId;
    this.data = app.course.scenarios[pageId];
    this.ss = engine.start(this.data, app.state.scenarios[pageId]);
    app.state.scenarios[pageId] = this.ss;
    this.sections = {};
    this.path = node.querySelector(".scenario-path");
    this.steps = node.querySelector(".scenario-steps");
    this.feedback = node.querySelector(".scenario-feedback");
    node.querySelectorAll(".scenario-node").forEach(function (section) {
      section.setAttribute("tabindex", "-1");
      self.sections[section.getAttribute("data-node")] = section;
      // Choices are decisions, not links, once the story is played here.
      section.querySelectorAll("a.scenario-choice").forEach(function (link) {
        var button = el("button", { type: "button", class: "scenario-choice", "data-choice": link.getAttribute("data-choice") });
        while (link.firstChild) button.appendChild(link.firstChild);
        link.replaceWith(button);
      });
    });
    node.addEventListener("click", function (event) {
      var choice = event.target.closest("button.scenario-choice");
      if (choice && node.contains(choice)) {
        self.choose(Number(choice.getAttribute("data-choice")));
        return;
      }
      var action = event.target.closest('[data-action="restart"]');
      if (action) self.restart();
    });
    this.render();
  }

  ScenarioView.prototype.choiceHtml = function (nodeId, index) {
    var section = this.sections[nodeId];
    var button = section && section.querySelector('.scenario-choice[data-choice="' + index + '"]');
    return button ? button.innerHTML : "";
  };

  /* One decision as the learner sees it again: how it was judged (in words, not colour alone),
     what they chose, the feedback it earned and, when it was not the best, the better choice. */
  ScenarioView.prototype.step = function (nodeId, index, className, withBetter) {
    var at = this.data.nodes[nodeId];
    var choice = at.choices[index];
    var tone = choice.tone || "";
    var best = engine.bestChoices(at);
    var better = withBetter && tone !== "good" && best.length && best.indexOf(index) < 0 && tone !== "" ?
      el("p", { class: "step-better" }, el("span", { class: "label" }, t("scenario_better")), " ",
        el("span", { html: this.choiceHtml(nodeId, best[0]) })) : null;
    return el("div", { class: className + (tone ? " step--" + tone : "") },
      tone ? el("p", { class: "step-tone" }, t("scenario_tone_" + tone)) : null,
      el("p", { class: "step-choice" }, el("span", { class: "label" }, t("scenario_you_chose")), " ",
        el("span", { html: this.choiceHtml(nodeId, index) })),
      choice.feedback_html ? el("div", { class: "step-feedback", html: choice.feedback_html }) : null,
      better);
  };

  ScenarioView.prototype.render = function () {
    var self = this;
    var ss = this.ss;
    Object.keys(this.sections).forEach(function (id) { self.sections[id].hidden = id !== ss.node; });
    var section = this.sections[ss.node];

    // While playing: the earlier steps in the path, the last one in the feedback box. At an ending
    // every decision is listed once, in the outcome, with what would have been better.
    var earlier = ss.ended ? [] : ss.path.slice(0, -1);
    this.steps.textContent = "";
    earlier.forEach(function (step) {
      self.steps.appendChild(el("li", {}, self.step(step[0], step[1], "step", false)));
    });
    this.path.hidden = earlier.length === 0;
    this.path.open = false;

    this.feedback.textContent = "";
    var last = ss.path[ss.path.length - 1];
    this.feedback.hidden = !last || ss.ended;
    if (last && !ss.ended) this.feedback.appendChild(this.step(last[0], last[1], "step step--latest", false));

    var counter = section && section.querySelector(".scenario-counter");
    if (counter) {
      counter.hidden = false;
      counter.textContent = t("scenario_decision", { n: ss.path.length + 1 });
    }
    if (section && ss.ended) this.showEnding(section);
    this.shownAt = Date.now();
  };

  ScenarioView.prototype.showEnding = function (section) {
    var self = this;
    var ss = this.ss;
    var shown = engine.debriefParts(this.data, ss);
    section.querySelectorAll(".debrief-part").forEach(function (part) {
      part.hidden = shown.indexOf(Number(part.getAttribute("data-part"))) < 0;
    });
    var outcome = section.querySelector(".scenario-outcome");
    if (!outcome) return;
    outcome.textContent = "";
    if (ss.path.length) {
      var list = el("ol", { class: "decisions" });
      ss.path.forEach(function (step) { list.appendChild(el("li", {}, self.step(step[0], step[1], "step", true))); });
      outcome.appendChild(el("h3", { class: "decisions-title" }, t("scenario_your_decisions")));
      outcome.appendChild(list);
    }
    if (this.data.kind === "assessment") {
      var scaled = engine.scaled(this.data, ss.points);
      outcome.appendChild(el("p", { class: "result-score" }, t("scenario_score", {
        points: ss.points, max: this.data.max_points, percent: scaled === null ? 0 : Math.round(scaled * 100)
      })));
      // Attempts: which one this run was, or that it was practice and changed nothing.
      if (ss.practice) outcome.appendChild(el("p", { class: "scenario-practice" }, t("scenario_practice")));
      else if (this.data.attempts > 0) {
        outcome.appendChild(el("p", { class: "scenario-attempt" }, t("scenario_attempt", { n: ss.runs.length, total: this.data.attempts })));
      }
    }
    outcome.appendChild(el("p", {}, CW.button(t("scenario_restart"), "restart", "btn-secondary")));
  };

  ScenarioView.prototype.choose = function (index) {
    var from = this.ss.node;
    var section = this.sections[from];
    var text = section ? (section.querySelector(".scenario-text") || section).textContent.trim().slice(0, 250) : "";
    var step = engine.choose(this.data, this.ss, index);
    if (!step) return;
    // A practice run (every attempt used) is not the learner's record: the LMS does not hear of it.
    if (!this.ss.practice) this.app.tracker.recordInteraction(engine.interaction(this.id, this.data, from, index, Date.now() - this.shownAt, text));
    this.render();
    if (step.ended) this.sections[this.ss.node].focus();
    else this.feedback.focus();
    this.announce(step);
    this.app.save();
  };

  /* The page's live region says how the choice was judged, its feedback (or the choice itself when
     it has none), and the ending once reached. */
  ScenarioView.prototype.announce = function (step) {
    var node = this.data.nodes[this.ss.node];
    var parts = [];
    if (step.choice.tone) parts.push(t("scenario_tone_" + step.choice.tone) + ".");
    var feedback = el("div", { html: step.choice.feedback_html || "" }).textContent.trim();
    parts.push(feedback || el("div", { html: this.choiceHtml(step.from, this.ss.path[this.ss.path.length - 1][1]) }).textContent);
    if (node && node.ending) parts.push(t("ending_" + node.ending));
    CW.announce(parts.join(" ").replace(/\s+/g, " ").trim());
  };

  ScenarioView.prototype.restart = function () {
    this.ss = engine.restart(this.data, this.ss);
    this.app.state.scenarios[this.id] = this.ss;
    this.render();
    this.sections[this.ss.node].focus();
    this.app.save();
  };

  /* After a reset of the whole course: back to the start, no runs. */
  ScenarioView.prototype.clearAll = function () {
    this.ss = engine.start(this.data, null);
    this.app.state.scenarios[this.id] = this.ss;
    this.render();
  };

  CW.ScenarioView = ScenarioView;
})(globalThis);
