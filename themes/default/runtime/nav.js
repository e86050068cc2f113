/* Navigation: the hash router (#/<page-id>, deep links, back and forward, anchors inside pages),
   one page shown at a time with focus on its heading, the contents' marks, previous / next,
   the course and module progress bars, the narrow-screen menu and the resume offer. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;

  var REFERENCE = { glossary: true, frameworks: true };

  /* "#/m/p" → {page: "m/p"}; "#some-id" → {anchor: "some-id"}; "" → null (pure). */
  function parse(hash) {
    var raw = String(hash || "").replace(/^#/, "");
    if (!raw) return null;
    try {
      raw = decodeURIComponent(raw);
    } catch (e) {
      return null;
    }
    if (raw.charAt(0) === "/") return { page: raw.slice(1) };
    return { anchor: raw };
  }

  /* The pages before and after one in reading order; the end screen follows the last page. */
  function neighbours(order, id) {
    var i = order.indexOf(id);
    if (i < 0) return { prev: null, next: null };
    return { prev: i > 0 ? order[i - 1] : null, next: i < order.length - 1 ? order[i + 1] : null };
  }

  function Nav(app) {
    var self = this;
    this.app = app;
    this.sections = {};
    this.links = {};
    this.current = null;
    this.pendingAnchor = null;
    this.titles = {};
    var course = app.course;
    this.reorder();
    course.pages.forEach(function (p) { self.titles[p.id] = p.title; });
    document.querySelectorAll("section.page[data-page]").forEach(function (section) {
      self.adopt(section);
    });
    document.querySelectorAll("#toc a.toc-link").forEach(function (link) {
      // The glossary and frameworks are pages of their own without JavaScript: here, pages of the course.
      if (link.hasAttribute("data-href")) link.setAttribute("href", link.getAttribute("data-href"));
      var target = parse(link.getAttribute("href"));
      if (target && target.page) self.links[target.page] = link;
    });
    this.toc = document.getElementById("toc");
    this.menuButton = document.querySelector(".menu-button");
    this.prevLink = document.querySelector(".pager-prev");
    this.nextLink = document.querySelector(".pager-next");
    this.bar = document.querySelector(".course-progress .bar");
    this.barText = document.querySelector(".course-progress-text");
    this.moduleBars = {};
    document.querySelectorAll(".toc-module[data-module]").forEach(function (item) {
      self.moduleBars[item.getAttribute("data-module")] = item;
    });
    this.done = {};
    this.courseTitle = course.title;

    window.addEventListener("hashchange", function () { self.route(location.hash, true); });
    document.addEventListener("click", function (event) { self.onClick(event); });
    if (this.menuButton) {
      this.menuButton.addEventListener("click", function () { self.menu(!document.body.classList.contains("toc-open")); });
      this.toc.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && document.body.classList.contains("toc-open")) {
          self.menu(false);
          self.menuButton.focus();
        }
      });
      new CW.Drawer(this.toc, this.menuButton, function () {
        self.menu(false);
        self.menuButton.focus();
      });
    }
    CW.on("progress", function (summary) { self.progress(summary); });
    CW.on("outline", function () {
      self.reorder();
      if (self.current) self.pager(self.current);
    });
    CW.toc.init(this); // the modules as disclosures (runtime/toc.js)
  }

  /* The reading order; while only the first module's pages and the second module's first page are
     known (runtime/pages.js), what follows that page is not: no Next there until the rest of the
     outline has come. */
  Nav.prototype.reorder = function () {
    this.order = this.app.course.pages.map(function (p) { return p.id; });
    if (!CW.pages.partial()) this.order.push("end");
  };

  /* A page's section joins the course (at start, or when its script has loaded). */
  Nav.prototype.adopt = function (section) {
    var id = section.getAttribute("data-page");
    this.sections[id] = section;
    // Without JavaScript, "#/<page-id>" jumps to the page's header by this id; with it, the
    // router shows the page, and the browser must not scroll to the header as well.
    var header = section.querySelector(".page-header");
    if (header && header.id === "/" + id) header.removeAttribute("id");
    if (!this.titles[id]) {
      var heading = section.querySelector(".page-title");
      this.titles[id] = heading ? heading.textContent.trim() : id;
    }
  };

  /* A page of the course, or one of the reference pages: shown at once, or once its script loaded. */
  Nav.prototype.isPage = function (id) {
    return CW.own(this.sections, id) || CW.own(this.app.pages, id) || CW.pages.isApart(id);
  };

  Nav.prototype.onClick = function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var href = link.getAttribute("href");
    if (href === "#main") {
      // The skip link: focus the content without leaving the page's address.
      event.preventDefault();
      document.getElementById("main").focus();
      return;
    }
    if (link.closest("#toc")) this.menu(false);
    var anchor = link.getAttribute("data-anchor");
    if (anchor) this.pendingAnchor = anchor;
    if (href === location.hash) {
      // Same address: no hashchange will come, so route now (e.g. back to an anchor).
      event.preventDefault();
      this.route(href, true);
    }
  };

  /* Show what an address names; `moved` is true when the learner moved (focus follows); `waited`
     once the rest of the outline was waited for. */
  Nav.prototype.route = function (hash, moved, waited) {
    var target = parse(hash);
    if (!target) return false;
    var page = target.page;
    var element = null;
    if (target.anchor) {
      element = document.getElementById(target.anchor);
      var holder = element ? null : CW.pages.holding(target.anchor);
      if (holder) {
        // An element of a page that has not loaded yet (a heading of a lesson, a glossary entry, an
        // article; runtime/pages.js tells which page from its id): shown once the page has.
        this.pendingAnchor = null;
        this.show(holder, { focus: moved, anchor: target.anchor });
        return true;
      }
      var section = element && element.closest("section.page[data-page]");
      if (!section) {
        // An element of a page beyond the first module: once the rest of the outline has come.
        return !element && !waited && CW.pages.partial() && CW.pages.ofPage(target.anchor) && this.routeLater(hash, moved);
      }
      page = section.getAttribute("data-page");
      if (element === section) element = null;
    }
    if (!waited && target.page && CW.pages.partial() && (page === "end" || !this.isPage(page))) {
      // A page beyond the first module, or the end screen (it names every page left to do).
      return this.routeLater(hash, moved);
    }
    var anchor = target.anchor ? null : this.pendingAnchor;
    this.pendingAnchor = null;
    if (!this.isPage(page)) return false;
    this.show(page, { focus: moved, target: element, anchor: anchor });
    return true;
  };

  /* Route `hash` again once the rest of the outline has come (runtime/pages.js), unless the learner
     has moved on meanwhile. */
  Nav.prototype.routeLater = function (hash, moved) {
    var self = this;
    CW.pages.whole(function () {
      if (location.hash === hash || !moved) self.route(hash, moved, true);
    });
    return true;
  };

  Nav.prototype.go = function (page) {
    var hash = "#/" + page;
    if (location.hash === hash) this.route(hash, true);
    else location.hash = hash;
  };

  Nav.prototype.show = function (id, options) {
    var opts = options || {};
    var section = this.sections[id];
    if (!section) {
      this.fetch(id, opts);
      return;
    }
    this.waiting = null;
    if (!opts.target && opts.anchor) opts.target = section.querySelector('[id="' + opts.anchor.replace(/["\\]/g, "") + '"]');
    var changed = id !== this.current;
    var left = this.forgetLeft ? null : this.current; // after a reset, the page left was not read
    this.forgetLeft = false;
    CW.glossary.close(false);
    if (changed) {
      if (this.current && this.sections[this.current]) this.sections[this.current].classList.remove("is-current");
      section.classList.add("is-current");
      var oldLink = this.links[this.current];
      if (oldLink) oldLink.removeAttribute("aria-current");
      var link = this.links[id];
      if (link) {
        link.setAttribute("aria-current", "page");
        // Measuring the contents forces a layout: not before the first page is on screen.
        if (this.started) this.reveal(link);
        else requestAnimationFrame(this.reveal.bind(this, link));
      }
      this.current = id;
      this.app.enhance(section, id);
      document.title = this.titles[id] + " · " + this.courseTitle;
      this.hideResume();
    }
    // The landing sits over the first page until the learner starts (shown again by the course
    // title): placed first, since the pager's Next reads it. Once a show, even of the page on show.
    if (this.landing) this.landing.place(id);
    this.pager(id);
    if (opts.target) {
      if (!opts.target.hasAttribute("tabindex")) opts.target.setAttribute("tabindex", "-1");
      opts.target.scrollIntoView({ block: "start" });
      if (opts.focus !== false) opts.target.focus({ preventScroll: true });
    } else if (this.started && (changed || opts.focus)) {
      window.scrollTo(0, 0);
      var heading = section.querySelector(".page-title");
      if (opts.focus && heading) heading.focus({ preventScroll: true });
    }
    if (changed) {
      this.app.visited(id, !!opts.keepLocation, left);
      this.watchEnd(section, id);
    }
    CW.emit("page", id);
    this.afterFirstPaint();
    if (opts.then) opts.then();
    if (changed && this.app.pages[id]) this.prefetchAround(id);
  };

  /* A page whose script has not loaded yet: load it, then show it (unless the learner moved on). */
  Nav.prototype.fetch = function (id, opts) {
    var self = this;
    this.waiting = id;
    CW.pages.load(id, function (section) {
      if (self.waiting !== id) return;
      self.waiting = null;
      if (!section) {
        self.failed(id);
        return;
      }
      self.adopt(section);
      self.show(id, opts);
    });
  };

  /* A page that could not load: say so where the page would be, and keep the address. */
  Nav.prototype.failed = function (id) {
    var main = document.getElementById("main");
    var note = document.getElementById("page-status");
    if (!note) {
      note = CW.el("p", { class: "page-status", id: "page-status", role: "alert" });
      main.insertBefore(note, main.firstChild);
    }
    note.textContent = t("page_load_failed");
    note.hidden = false;
    CW.report("page " + id + " could not be loaded from " + CW.pages.src(id));
  };

  /* While the learner reads: the next and previous pages, then the rest of the module. */
  Nav.prototype.prefetchAround = function (id) {
    var note = document.getElementById("page-status");
    if (note) note.hidden = true;
    var around = neighbours(this.order, id);
    var page = this.app.pages[id];
    var module = this.app.course.modules.filter(function (m) { return m.id === page.module; })[0];
    var sections = this.sections;
    // The glossary and frameworks last: a reference card opens at once once they are there.
    CW.pages.prefetch([around.next, around.prev].concat(module ? module.pages : [], CW.pages.apart()).filter(function (p) {
      return p && p !== "end" && !sections[p];
    }));
  };

  /* A lesson is read when the learner scrolls to its end (or moves on from it): showing it is not
     reading it, so a page whose end is on screen from the start waits for the learner to move on. */
  Nav.prototype.watchEnd = function (section, id) {
    if (this.endWatch) this.endWatch();
    this.endWatch = null;
    var page = this.app.pages[id];
    if (!page || page.kind !== "lesson" || typeof IntersectionObserver !== "function") return;
    var app = this.app;
    var end = section.querySelector(":scope > .page-end");
    if (!end) end = section.appendChild(CW.el("div", { class: "page-end", "aria-hidden": "true" }));
    var scrolled = false;
    var seen = false;
    function check() { if (scrolled && seen) { stop(); app.read(id); } }
    function onScroll() { scrolled = true; check(); }
    var observer = new IntersectionObserver(function (entries) {
      seen = entries[entries.length - 1].isIntersecting;
      check();
    });
    function stop() {
      observer.disconnect();
      window.removeEventListener("scroll", onScroll);
    }
    observer.observe(end);
    window.addEventListener("scroll", onScroll, { passive: true });
    this.endWatch = stop;
  };

  /* Keep the current entry in view in the contents column. */
  Nav.prototype.reveal = function (link) {
    var toc = this.toc;
    if (!toc || toc.scrollHeight <= toc.clientHeight) return;
    var top = link.offsetTop;
    if (top < toc.scrollTop || top > toc.scrollTop + toc.clientHeight - 48) toc.scrollTop = Math.max(0, top - toc.clientHeight / 3);
  };

  Nav.prototype.setLink = function (link, id, label) {
    if (!link) return;
    link.hidden = !id;
    if (!id) return;
    link.setAttribute("href", "#/" + id);
    link.querySelector(".pager-title").textContent = this.titles[id] || "";
    if (label) link.querySelector(".pager-dir").textContent = label;
  };

  Nav.prototype.pager = function (id) {
    if (REFERENCE[id]) {
      var back = this.app.state.location && this.isPage(this.app.state.location) ? this.app.state.location : this.order[0];
      this.setLink(this.prevLink, back, t("back_to"));
      this.setLink(this.nextLink, null);
      return;
    }
    var around = neighbours(this.order, id);
    // The landing sits on top of the first page: while it is on show, Next starts there.
    var landing = document.getElementById("course-intro");
    var starts = !!landing && !landing.hidden && id === this.order[0];
    this.setLink(this.prevLink, around.prev, t("previous"));
    this.setLink(this.nextLink, starts ? id : around.next, t("next"));
    if (this.nextLink && starts) this.nextLink.setAttribute("data-action", "start");
    else if (this.nextLink) this.nextLink.removeAttribute("data-action");
  };

  Nav.prototype.menu = function (openIt) {
    if (!this.menuButton) return;
    document.body.classList.toggle("toc-open", openIt);
    this.menuButton.setAttribute("aria-expanded", openIt ? "true" : "false");
    if (openIt) {
      var link = this.links[this.current] || this.toc.querySelector("a");
      if (link) link.focus();
    }
  };

  /* Progress bars and done marks (only the marks that changed are touched). */
  Nav.prototype.progress = function (summary) {
    var self = this;
    if (this.bar) {
      this.bar.setAttribute("aria-valuenow", String(summary.percent));
      this.barSummary = summary;
      if (this.painted) this.sayBar();
      this.bar.firstElementChild.style.inlineSize = summary.percent + "%";
      this.barText.textContent = t("percent", { n: summary.percent });
    }
    Object.keys(summary.modules).forEach(function (id) {
      var item = self.moduleBars[id];
      var m = summary.modules[id];
      if (!item || !m.total) return;
      var fill = item.querySelector(".bar-fill");
      if (fill) fill.style.inlineSize = Math.round((m.done * 100) / m.total) + "%";
      var count = item.querySelector(".toc-module-count");
      if (count) count.textContent = t("progress_module", { done: m.done, total: m.total });
    });
    // done: a tick; an assessment passed, to retry or failed: its own mark (a failure is never "done").
    Object.keys(this.links).forEach(function (id) {
      var state = (summary.pageStatus && summary.pageStatus[id]) || "";
      if ((self.done[id] || "") === state) return;
      self.done[id] = state;
      var link = self.links[id];
      ["done", "passed", "retry", "failed"].forEach(function (s) { link.classList.toggle("is-" + s, s === state || (s === "done" && state === "passed")); });
      var status = link.querySelector(".toc-status");
      if (!status && state) status = link.appendChild(CW.el("span", { class: "toc-status visually-hidden" }));
      if (status) status.textContent = state ? " (" + t("toc_" + state) + ")" : "";
    });
  };

  /* The bar's words ("12 of 1,024 pages"): a number of a thousand or more needs the browser's number
     formatter, which takes a tenth of a second to start on a slow phone, so they come once the first
     page is on screen. */
  Nav.prototype.sayBar = function () {
    var s = this.barSummary;
    if (s) this.bar.setAttribute("aria-valuetext", t("progress_pages", { done: s.pagesDone, total: s.pagesTotal }));
  };

  Nav.prototype.afterFirstPaint = function () {
    if (this.paintQueued) return;
    this.paintQueued = true;
    var self = this;
    requestAnimationFrame(function () {
      setTimeout(function () {
        self.painted = true;
        self.sayBar();
      });
    });
  };

  /* "Welcome back": resume at `pageId` (null: nothing to resume); with progress kept in this
     browser, also "Not you? Start fresh", for a shared computer. */
  Nav.prototype.offerResume = function (pageId) {
    var box = document.getElementById("resume");
    var shared = this.app.tracker.name === "local";
    if (!box || (pageId ? !this.isPage(pageId) : !shared)) return;
    var self = this;
    box.querySelector(".resume-text").hidden = !pageId;
    box.querySelector(".resume-actions").hidden = !pageId;
    box.querySelector(".resume-other").hidden = !shared;
    box.hidden = false;
    this.resumeShown = true;
    if (!pageId) return;
    box.querySelector(".resume-text").textContent = t("resume_text", { title: this.titles[pageId] });
    var go = box.querySelector('[data-action="resume"]');
    go.onclick = function () { self.go(pageId); };
    go.focus(); // a returning learner is one key away from where they stopped
    box.querySelector('[data-action="resume-dismiss"]').onclick = function () {
      self.hideResume();
      var heading = self.sections[self.current].querySelector(".page-title");
      if (heading) heading.focus();
    };
  };

  Nav.prototype.hideResume = function () {
    if (!this.resumeShown) return;
    this.resumeShown = false;
    document.getElementById("resume").hidden = true;
  };

  /* The first page to show: the address's page, else the first page (offering to resume). */
  Nav.prototype.start = function () {
    var routed = this.route(location.hash, false, true); // the course started with every page the address names
    // The page named is still loading: the cover, which belongs to the first page, shows only over it.
    if (routed && this.waiting && this.landing) this.landing.place(this.waiting);
    if (!routed) {
      var first = this.order[0];
      var saved = this.app.state.location, seen = this.app.state.visited;
      var returning = seen.length > 1 || (seen.length === 1 && seen[0] !== first); // more than the first page
      if (history.replaceState) history.replaceState(null, "", "#/" + first);
      var self = this;
      this.show(first, { focus: false, keepLocation: !!saved, then: function () {
        if (saved && saved !== first && self.isPage(saved)) self.offerResume(saved);
        else if (returning) self.offerResume(null);
      } });
    }
    document.getElementById("main").classList.add("is-routed");
    this.started = true;
  };

  CW.Nav = Nav;
  CW.nav = { parse: parse, neighbours: neighbours };
})(globalThis);
