/* Boot: read the embedded course data, choose the tracker, restore the learner's state, and start
   the navigation. `Coursewright.app` is the running course: its state, tracker and save(). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var progress = CW.progress;

  function App(course, tracker, saved) {
    var self = this;
    this.course = course;
    this.tracker = tracker;
    this.state = progress.normalize(saved);
    this.pages = {};
    course.pages.forEach(function (p) { self.pages[p.id] = p; });
    this.views = [];
    this.enhanced = {};
    this.timer = null;
    this.lastOutcome = null;
    this.lms = tracker.lms() || null;
    this.summary = CW.results.verdict(course, this.state, this.lms);
    // The rest of the outline came (runtime/pages.js): its pages are known, the verdict counts them.
    CW.on("outline", function () {
      course.pages.forEach(function (p) { self.pages[p.id] = p; });
      if (self.started) self.update();
    });
  }

  /* Keep the state; `soon` waits for typing to pause; `quiet` skips re-evaluating progress (for
     answers not yet checked). */
  App.prototype.save = function (options) {
    var self = this;
    var opts = options || {};
    clearTimeout(this.timer);
    this.timer = null;
    if (opts.soon) {
      this.timer = setTimeout(function () { self.save({ quiet: opts.quiet }); }, 500);
      return;
    }
    this.tracker.save(this.state);
    if (!opts.quiet) this.update();
    this.tracker.commit();
  };

  App.prototype.flush = function () {
    if (this.timer) this.save({ quiet: true });
  };

  /* Re-evaluate the verdict; tell the tracker at once when the outcome changed. */
  App.prototype.update = function () {
    this.summary = CW.results.verdict(this.course, this.state, this.lms);
    var outcome = CW.results.outcome(this.summary);
    var text = JSON.stringify(outcome);
    if (text !== this.lastOutcome) {
      this.lastOutcome = text;
      this.tracker.setOutcome(outcome);
    }
    CW.emit("progress", this.summary);
  };

  /* A page was shown: it is bookmarked; the lesson the learner moved on from counts as read. */
  App.prototype.visited = function (id, keepLocation, left) {
    if (!this.pages[id] && id !== "end") return;
    var changed = false;
    if (!keepLocation && this.state.location !== id) {
      this.state.location = id;
      this.tracker.setLocation(id);
      changed = true;
    }
    if (left && left !== id && this.pages[left] && this.pages[left].kind === "lesson" &&
        progress.visit(this.state, left)) changed = true;
    if (changed) this.save();
  };

  /* The learner reached the end of a lesson: it counts as read. */
  App.prototype.read = function (id) {
    if (this.pages[id] && this.pages[id].kind === "lesson" && progress.visit(this.state, id)) this.save();
  };

  /* Bring a page to life the first time it is shown. */
  App.prototype.enhance = function (section, id) {
    if (this.enhanced[id]) return;
    this.enhanced[id] = true;
    var self = this;
    var kind = section.getAttribute("data-kind");
    try {
      CW.content.enhance(section);
      if (kind === "glossary") CW.glossary.initFilter(section);
    } catch (e) {
      CW.report(e);
    }
    // Quizzes, scenarios and inline checks come alive once their part of the runtime is there (at
    // once when it is: runtime/pages.js brings it with the page).
    CW.parts.need(CW.parts.forSection(section), function () {
      var quiz = kind === "quiz" && section.querySelector(".quiz");
      if (quiz && self.course.quizzes[id]) self.views.push(new CW.QuizView(self, quiz, id));
      var scenario = kind === "scenario" && section.querySelector(".scenario");
      if (scenario && self.course.scenarios[id]) self.views.push(new CW.ScenarioView(self, scenario, id));
      section.querySelectorAll(".inline-check[data-check]").forEach(function (box) {
        self.views.push(new CW.CheckView(self, box, box.getAttribute("data-check")));
      });
    });
  };

  /* Forget everything the learner did, here and in the tracker. */
  App.prototype.reset = function () {
    this.tracker.reset();
    this.state = progress.emptyState();
    this.views.forEach(function (view) { view.clearAll(); });
    this.tracker.save(this.state);
    this.update();
    this.tracker.commit();
  };

  function wireReset(app, nav) {
    var dialog = document.getElementById("reset-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var opener = null;
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "reset") {
        opener = button;
        dialog.showModal();
        dialog.querySelector('[data-action="reset-cancel"]').focus();
      } else if (action === "reset-cancel") {
        dialog.close();
      } else if (action === "reset-confirm") {
        opener = null;
        dialog.close();
        app.reset();
        nav.hideResume();
        var first = app.course.pages[0].id;
        nav.forgetLeft = true;
        nav.go(first);
        app.visited(first, false); // bookmark it also when the first page is the one on show
        var announcer = document.getElementById("announcer");
        if (announcer) announcer.textContent = CW.t("reset_done");
      }
    });
    dialog.addEventListener("close", function () {
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
  }

  function boot() {
    var script = document.getElementById("course-data");
    if (!script) return;
    var course = CW.pages.expand(JSON.parse(script.textContent));
    course.quizzes = course.quizzes || {};
    course.scenarios = course.scenarios || {};
    course.checks = course.checks || {};
    CW.pages.init(course);
    CW.strings = course.strings || {};
    CW.language = course.language || document.documentElement.lang || "en";
    // The LMS and LRS trackers are parts of their own, loaded first when an LMS or LRS may be there;
    // with the whole outline, since the state they keep may name any page (runtime/pages.js).
    var trackers = CW.parts.trackersFor(course, root);
    if (!trackers.length) return start(course);
    var left = 2;
    function ready() {
      if (--left === 0) start(course);
    }
    CW.parts.need(trackers, ready);
    CW.pages.whole(ready);
  }

  /* The learner's saved state; the course starts once the outline holds every page it names. */
  function start(course) {
    var tracker = CW.chooseTracker(course, root);
    var saved = tracker.start();
    if (CW.pages.beyond(saved, location.hash)) CW.pages.whole(function () { run(course, tracker, saved); });
    else run(course, tracker, saved);
  }

  function run(course, tracker, saved) {
    var app = new App(course, tracker, saved);
    CW.app = app;
    if (CW.languages.restore(app)) return; // on its way to the language the learner chose
    CW.languages.init(app);
    CW.glossary.init();
    var nav = new CW.Nav(app);
    CW.landing = new CW.Landing(app, nav);
    CW.reading = new CW.Reading(nav);
    CW.endscreen.init(app);
    wireReset(app, nav);
    app.started = true;
    app.update();
    nav.start();
    var finished = false;
    root.addEventListener("pagehide", function () {
      app.flush();
      tracker.commit();
      if (!finished) {
        finished = true;
        tracker.finish();
      }
    });
    document.documentElement.classList.add("is-ready");
  }

  CW.App = App;
  CW.boot = boot;
  /* Once every deferred script has run (a document holding every page lists the runtime's parts
     after course.js), whichever of the two events comes first. */
  var booted = false;
  function bootOnce() {
    if (booted) return;
    booted = true;
    boot();
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "complete") bootOnce();
    else {
      document.addEventListener("DOMContentLoaded", bootOnce);
      root.addEventListener("load", bootOnce);
    }
  }
})(globalThis);
