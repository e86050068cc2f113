/* The landing: the course's entrance above its first page (module cards with the learner's progress,
   Start, and the resume offer), and the moment a module is finished: a short note on the page, said
   aloud, with the way on to the next module. Marks come from the one verdict (results.js). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;

  function Landing(app, nav) {
    var self = this;
    this.app = app;
    this.nav = nav;
    this.node = document.getElementById("course-intro");
    this.first = app.course.pages.length ? app.course.pages[0].id : null;
    this.dismissed = false;
    nav.landing = this; // placed by each page show (Nav.show), before the pager
    this.complete = null; // module id → finished, as of the last verdict
    this.cards = {};
    if (this.node) {
      this.adopt(this.node);
      this.addCards();
    }
    // Before the router's own handler: Start and "start from the beginning" leave the landing.
    document.addEventListener("click", function (event) {
      var target = event.target.closest && event.target.closest("[data-action]");
      if (!target) return;
      var action = target.getAttribute("data-action");
      if (action === "start" || action === "resume-dismiss") self.leave();
      else if (action === "home" && self.node) {
        event.preventDefault();
        self.home();
      }
    }, true);
    CW.on("page", function () { self.shown(); });
    CW.on("progress", function (summary) { self.progress(summary); });
    CW.on("outline", function () {
      if (self.addCards() && app.summary) self.progress(app.summary);
    });
  }

  /* With JavaScript, every link of the landing goes to a page of the course, not to a module's page
     for reading without it. */
  function toCourse(root) {
    root.querySelectorAll("a[data-href]").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("data-href"));
    });
  }

  /* Each module's card, known by its module. */
  Landing.prototype.adopt = function (root) {
    var self = this;
    toCourse(root);
    root.querySelectorAll(".landing-module[data-module]").forEach(function (card) {
      self.cards[card.getAttribute("data-module")] = card;
    });
  };

  /* The module cards index.html leaves out, from pages/outline.js (runtime/pages.js), after the
     others; true when any was added. */
  Landing.prototype.addCards = function () {
    var html = this.app.course.cards;
    var list = this.node && this.node.querySelector(".landing-modules");
    if (!html || !list) return false;
    this.app.course.cards = "";
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var self = this;
    var added = false;
    holder.content.querySelectorAll(".landing-module[data-module]").forEach(function (card) {
      var id = card.getAttribute("data-module");
      if (self.cards[id]) return; // a theme that lays out every card in index.html
      toCourse(card);
      self.cards[id] = list.appendChild(card);
      added = true;
    });
    return added;
  };

  /* The landing belongs to the first page, until the learner starts. */
  Landing.prototype.place = function (id) {
    if (this.node) this.node.hidden = id !== this.first || this.dismissed;
  };

  /* Back on the landing from the course title: its title takes the focus. */
  Landing.prototype.shown = function () {
    if (!this.node) return;
    if (this.greet && !this.node.hidden) {
      this.greet = false;
      window.scrollTo(0, 0);
      var title = this.node.querySelector(".landing-title");
      title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
    }
  };

  /* The course title in the header: back to the landing, its title focused. */
  Landing.prototype.home = function () {
    this.dismissed = false;
    this.greet = true;
    if (this.nav.current === this.first) this.nav.show(this.first);
    else this.nav.go(this.first);
  };

  Landing.prototype.leave = function () {
    if (!this.node || this.dismissed) return;
    this.dismissed = true;
    this.node.hidden = true; // the page shown next (the first) sets the pager's Next again
    window.scrollTo(0, 0);
  };


  /* Module cards follow the verdict; a module finished just now is acknowledged. */
  Landing.prototype.progress = function (summary) {
    var self = this;
    var statuses = summary.moduleStatus || {};
    var complete = {};
    this.app.course.modules.forEach(function (m) {
      var counts = summary.modules[m.id] || { done: 0, total: 0 };
      var status = statuses[m.id] || "";
      complete[m.id] = counts.total > 0 && counts.done === counts.total;
      var card = self.cards[m.id];
      if (card) {
        ["done", "started", "retry", "failed"].forEach(function (s) { card.classList.toggle("is-" + s, s === status); });
        var fill = card.querySelector(".bar-fill");
        if (fill) fill.style.inlineSize = (counts.total ? Math.round((counts.done * 100) / counts.total) : 0) + "%";
        var text = card.querySelector(".landing-module-status");
        if (text) {
          // "done", "retry", "failed" or "" (new) in words; "started": how far
          text.textContent = status === "started" ? t("progress_module", { done: counts.done, total: counts.total })
            : t("landing_module_" + (status || "new"));
        }
      }
    });
    var before = this.complete;
    this.complete = complete;
    if (!before) return; // the state the course opened with: nothing was finished just now
    this.app.course.modules.forEach(function (m, i) {
      if (complete[m.id] && !before[m.id]) self.finished(m, i);
      else if (!complete[m.id] && before[m.id]) self.forget(m.id); // after a reset
    });
  };

  /* A short note at the end of the page on show, said aloud through the course's live region;
     focus stays where the learner is. */
  Landing.prototype.finished = function (module, index) {
    var self = this;
    var course = this.app.course;
    var next = course.modules[index + 1];
    if (next && next.size && !next.pages.length) {
      // The next module's first page comes with the rest of the outline (runtime/pages.js).
      CW.pages.whole(function () { if (!next.size) self.finished(module, index); });
      return;
    }
    var number = index + 1;
    var title = t("module_done_title", { n: number });
    var text = t("module_done_text", { title: module.title });
    var announcer = document.getElementById("announcer");
    if (announcer) announcer.textContent = title + ". " + text;
    var current = this.nav.current;
    var section = current && this.nav.sections[current];
    var page = this.app.pages[current];
    if (!section || !page || page.module !== module.id) return;
    this.forget(module.id);
    var link = next && next.pages.length
      ? el("a", { class: "btn btn-primary", href: "#/" + next.pages[0] }, t("module_done_next", { n: number + 1, title: next.title }))
      : el("a", { class: "btn btn-primary", href: "#/end" }, t("module_done_end"));
    var id = "module-done-" + module.id;
    var note = el("section", { class: "module-done", "data-module": module.id, "aria-labelledby": id + "-title" },
      el("p", { class: "module-done-title", id: id + "-title" }, CW.icon("correct"), el("span", null, title)),
      el("p", { class: "module-done-text" }, text),
      el("p", { class: "module-done-next" }, link));
    var end = section.querySelector(":scope > .page-end");
    section.insertBefore(note, end || null);
  };

  Landing.prototype.forget = function (moduleId) {
    document.querySelectorAll('.module-done[data-module="' + moduleId + '"]').forEach(function (note) {
      note.remove();
    });
  };

  CW.Landing = Landing;
})(globalThis);
