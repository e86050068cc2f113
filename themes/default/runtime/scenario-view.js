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
    Array.prototype.forEach.call(node.querySelectorAll(".scenario-node"), function (section) {
      section.setAttribute("tabindex", "-1");
      self.sections[section.getAttribute("data-node")] = section;
      // Choices are decisions, not links, once the story is played here.
      Array.prototype.forEach.call(section.querySelectorAll("a.scenario-choice"), function (link) {
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

  ScenarioView.prototype.step = function (nodeId, index, className) {
    var choice = this.data.nodes[nodeId].choices[index];
    return el("div", { class: className },
      el("p", { class: "step-choice" }, el("span", { class: "label" }, t("scenario_you_chose")), " ",
        el("span", { html: this.choiceHtml(nodeId, index) })),
      choice.feedback_html ? el("div", { class: "step-feedback", html: choice.feedback_html }) : null);
  };

  ScenarioView.prototype.render = function () {
    var self = this;
    var ss = this.ss;
    Object.keys(this.sections).forEach(function (id) { self.sections[id].hidden = id !== ss.node; });

    this.steps.textContent = "";
    ss.path.forEach(function (step) {
      var li = el("li", {});
      li.appendChild(self.step(step[0], step[1], "step"));
      self.steps.appendChild(li);
    });
    this.path.hidden = ss.path.length === 0;
    this.path.open = ss.ended;

    this.feedback.textContent = "";
    var last = ss.path[ss.path.length - 1];
    this.feedback.hidden = !last;
    if (last) this.feedback.appendChild(this.step(last[0], last[1], "step step--latest"));

    var section = this.sections[ss.node];
    var outcome = section && section.querySelector(".scenario-outcome");
    if (outcome) {
      outcome.textContent = "";
      if (this.data.kind === "assessment") {
        var scaled = engine.scaled(this.data, ss.points);
        outcome.appendChild(el("p", { class: "result-score" }, t("scenario_score", {
          points: ss.points, max: this.data.max_points, percent: scaled === null ? 0 : Math.round(scaled * 100)
        })));
      }
      outcome.appendChild(el("p", {}, CW.button(t("scenario_restart"), "restart", "btn-secondary")));
    }
    this.shownAt = Date.now();
  };

  ScenarioView.prototype.choose = function (index) {
    var from = this.ss.node;
    var section = this.sections[from];
    var text = section ? (section.querySelector(".scenario-text") || section).textContent.trim().slice(0, 250) : "";
    var step = engine.choose(this.data, this.ss, index);
    if (!step) return;
    this.app.tracker.recordInteraction(engine.interaction(this.id, this.data, from, index, Date.now() - this.shownAt, text));
    this.render();
    this.feedback.focus();
    this.announce();
    this.app.save();
  };

  /* The page's live region says what the choice led to: its feedback (or the choice itself when it
     has none), and the ending once reached. */
  ScenarioView.prototype.announce = function () {
    var region = document.getElementById("announcer");
    if (!region) return;
    var node = this.data.nodes[this.ss.node];
    var said = this.feedback.querySelector(".step-feedback") || this.feedback;
    var text = said.textContent.replace(/\s+/g, " ").trim();
    if (node && node.ending) text += " " + t("ending_" + node.ending);
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 30);
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
})(typeof window !== "undefined" ? window : globalThis);
