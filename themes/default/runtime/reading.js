/* Following the reader: the reading position kept in each history entry (Back from the glossary
   returns to the same spot, not the top of the lesson), and the header made compact once the
   learner scrolls, its height kept as the page's scroll padding at the top, and the height of the
   bars stuck at the foot (a phone's pager, a quiz's Check bar above it) as the padding at the bottom,
   so that a focused element is never hidden under either (WCAG 2.4.11). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var COMPACT_AT = 120; // px scrolled before the header shrinks
  var FULL_AT = 24; // px from the top where it grows again

  function Reading(nav) {
    var self = this;
    this.nav = nav;
    this.timer = null;
    this.header = document.querySelector(".site-header");
    this.compact = false;
    this.pressed = false;
    history.scrollRestoration = "manual"; // the runtime restores it per page
    root.addEventListener("scroll", function () { self.scrolled(); }, { passive: true });
    // Before a link or button moves on: the place being left is kept in its history entry.
    document.addEventListener("click", function () { self.keep(); }, true);
    // Only a page shown again from history goes back to its place: a link, a search result or the
    // pager that shows the page already on show must land where it points.
    this.fromHistory = true; // the first page shown: a reload or a return keeps its entry
    root.addEventListener("popstate", function () { self.fromHistory = true; });
    CW.on("page", function (id) {
      var again = self.fromHistory;
      self.fromHistory = false;
      if (again) self.restore(id);
    });
    // Browsers leave a focused element where it is when part of it is on screen, even under the
    // header: bring it out (the scroll padding says how far).
    // Only for the keyboard: a click must land where it was aimed.
    document.addEventListener("focusin", function (event) { if (!self.pointing) self.uncover(event.target); });
    document.addEventListener("pointerdown", function () { self.pointing = true; self.pressed = true; }, true);
    // The header keeps its size while a button or finger is down: a press made as the page scrolls
    // (a flick's momentum, a control scrolled into reach) is released on what it pressed. It takes
    // the size the scroll asks for once the press has ended in its click.
    function released() {
      if (!self.pressed) return;
      self.pressed = false;
      setTimeout(function () { self.shrink(null); }, 0);
    }
    document.addEventListener("pointerup", released, true);
    document.addEventListener("pointercancel", released, true);
    root.addEventListener("blur", released);
    document.addEventListener("keydown", function () { self.pointing = false; }, true);
    this.pagerBar = document.querySelector(".pager");
    this.watched = [];
    if (typeof ResizeObserver === "function") {
      this.resized = new ResizeObserver(function () { self.measure(); });
      if (this.header) this.resized.observe(this.header);
    }
    root.addEventListener("resize", function () { self.measure(); });
    // The page shown has its own Check bar (made when the page is enhanced, before this runs).
    CW.on("page", function () { self.measure(); });
    this.measure();
  }

  Reading.prototype.scrolled = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.keep(); }, 150);
    this.shrink(null);
  };

  /* The page on show and how far it is scrolled, in the current history entry. */
  Reading.prototype.keep = function () {
    clearTimeout(this.timer);
    var id = this.nav.current;
    if (!id || !history.replaceState) return;
    var state = history.state && typeof history.state === "object" ? history.state : {};
    var y = Math.round(root.scrollY);
    if (state.page === id && state.scroll === y) return;
    var next = Object.assign({}, state);
    next.page = id;
    next.scroll = y;
    try {
      history.replaceState(next, "");
    } catch (e) {
      // Some browsers refuse many replaceState calls in a short time: the position is not kept.
    }
  };

  /* A page shown again from history (Back, Forward, a reload): back to where the learner was. */
  Reading.prototype.restore = function (id) {
    var state = history.state;
    if (!state || state.page !== id || typeof state.scroll !== "number") return;
    this.shrink(state.scroll);
    root.scrollTo(0, state.scroll);
  };

  /* Compact or full for the scroll position `at` (null: the present one). */
  Reading.prototype.shrink = function (at) {
    if (!this.header) return;
    if (at === null && this.pressed) return;
    var y = at === null ? root.scrollY : at;
    var compact = this.compact ? y > FULL_AT : y > COMPACT_AT;
    if (compact === this.compact) return;
    // The header keeps its place in the flow (what it gives up becomes its margin, up where the
    // page is scrolled away), so the page does not move under the reader, nor under a finger.
    // (Scroll anchoring is off for the page, navigation.css: it took the measuring below, done
    // without that margin, for content moving, and scrolled the page under a press made just then.)
    var before = this.header.getBoundingClientRect().height;
    this.compact = compact;
    document.documentElement.classList.toggle("header-compact", compact);
    this.header.style.marginBlockEnd = compact ? Math.max(0, before - this.header.getBoundingClientRect().height) + "px" : "";
    // Grown again (a scroll back up), the header may now cover what the keyboard focused, whenever
    // this scroll event comes (on a slow device, after `uncover` looked): bring it out.
    if (!compact && !this.pointing) this.bringOut(document.activeElement);
  };

  Reading.prototype.uncover = function (target) {
    if (!this.header || !target.getBoundingClientRect || target.closest(".site-header, .pager, .quiz-bar, #toc, dialog")) return;
    var box = target.getBoundingClientRect();
    var top = this.header.getBoundingClientRect().bottom;
    var bottom = root.innerHeight - this.foot;
    if (box.top < top || box.bottom > bottom) target.scrollIntoView({ block: "nearest" });
    // A scroll may make the header compact or full again, and the browser may move a focused
    // disclosure after it: once both have happened, the focus is brought out again if it is covered.
    var self = this;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (document.activeElement === target) self.bringOut(target);
      });
    });
  };

  /* A focused element partly on screen, out from under the header. */
  Reading.prototype.bringOut = function (target) {
    if (!target || target === document.body || target === document.documentElement || !target.getBoundingClientRect ||
        target.closest(".site-header, .pager, .quiz-bar, #toc, dialog")) return;
    var box = target.getBoundingClientRect();
    var under = this.header.getBoundingClientRect().bottom - box.top;
    if (under > 0 && box.bottom > 0) root.scrollBy(0, -Math.ceil(under));
  };

  function stuck(bar) {
    return !!bar && !bar.hidden && getComputedStyle(bar).position === "sticky" ? Math.ceil(bar.getBoundingClientRect().height) : 0;
  }

  /* The header's height, and the bars' at the foot: the pager where it is sticky (phones), and the
     Check bar of the page on show, which stays above the pager. */
  Reading.prototype.measure = function () {
    var style = document.documentElement.style;
    if (this.header) style.setProperty("--header-block-size", Math.ceil(this.header.getBoundingClientRect().height) + "px");
    var pager = stuck(this.pagerBar);
    var quiz = 0;
    var bars = document.querySelectorAll(".page.is-current .quiz-bar");
    for (var i = 0; i < bars.length; i++) {
      quiz = Math.max(quiz, stuck(bars[i]));
      this.watch(bars[i]);
    }
    this.watch(this.pagerBar);
    this.foot = pager + quiz;
    style.setProperty("--pager-block-size", pager + "px");
    style.setProperty("--foot-block-size", this.foot + "px");
  };

  /* A bar's height followed as it changes (a message in the Check bar, a title over two lines). */
  Reading.prototype.watch = function (bar) {
    if (!bar || !this.resized || this.watched.indexOf(bar) >= 0) return;
    this.watched.push(bar);
    this.resized.observe(bar);
  };

  CW.Reading = Reading;
})(globalThis);
