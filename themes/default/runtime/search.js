/* Search: the button in the header opens a search box; the index (assets/search-index.js, written by the
   builder: every page cut at its headings, the glossary and the frameworks) is loaded as a script the
   first time, so it works from file:// and costs nothing until used (the single file holds it as JSON,
   read on first use). Every word typed must be found;
   case, accents and Arabic short vowels are ignored. A result opens its page at the heading of the
   section that matched. Escape closes the box and gives the focus back to the button. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;
  var t = CW.t;
  var entries = null;
  var waiting = [];
  var MARKS = /[\u0300-\u036f\u064b-\u065f\u0670\u06e1]/g;
  var MAX = 30;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  CW.searchLoaded = function (data) {
    entries = data.entries.map(function (e) {
      return { page: e[0], anchor: e[1], title: e[2], heading: e[3], text: e[4],
        head: fold(e[2] + " " + e[3]), body: fold(e[4]) };
    });
    waiting.splice(0).forEach(function (done) { done(true); });
  };

  function load(done) {
    var inline = document.getElementById("search-index"); // the single file carries the index inside
    if (!entries && inline) CW.searchLoaded(JSON.parse(inline.textContent));
    if (entries) return done(true);
    waiting.push(done);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = CW.parts.beside("search-index.js");
    script.onerror = function () { waiting.splice(0).forEach(function (fn) { fn(false); }); };
    document.head.appendChild(script);
  }

  function count(haystack, word) {
    var n = 0;
    for (var at = haystack.indexOf(word); at >= 0 && n < 20; at = haystack.indexOf(word, at + word.length)) n++;
    return n;
  }

  function find(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var found = [];
    entries.forEach(function (entry) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inHead = count(entry.head, words[i]);
        var inBody = count(entry.body, words[i]);
        if (!inHead && !inBody) return;
        score += inHead * 5 + inBody;
      }
      found.push({ entry: entry, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    return found.slice(0, MAX).map(function (x) { return x.entry; });
  }

  /* A few words around the first match, the match marked; found on the folded text, cut from the
     text as written (folding may change lengths, so positions are mapped letter by letter). */
  function snippet(text, words) {
    var folded = "";
    var map = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) map.push(i);
      folded += f;
    }
    var at = -1;
    var word = "";
    words.some(function (w) { at = folded.indexOf(w); word = w; return at >= 0; });
    var p = el("p", { class: "search-snippet" });
    if (at < 0) {
      p.textContent = text.slice(0, 160) + (text.length > 160 ? "…" : "");
      return p;
    }
    var start = map[at];
    var end = (map[at + word.length - 1] || start) + 1;
    var from = Math.max(0, text.lastIndexOf(" ", Math.max(0, start - 70)));
    var to = text.indexOf(" ", Math.min(text.length, end + 90));
    if (to < 0) to = text.length;
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + text.slice(from, start).replace(/^ /, "")));
    p.appendChild(el("mark", {}, text.slice(start, end)));
    p.appendChild(document.createTextNode(text.slice(end, to) + (to < text.length ? "…" : "")));
    return p;
  }

  function Search(box, button) {
    this.box = box;
    this.button = button;
    this.input = box.querySelector(".search-input");
    this.status = box.querySelector(".search-count");
    this.list = box.querySelector(".search-results");
    var self = this;
    var timer = null;
    button.addEventListener("click", function () { self.toggle(box.hidden); });
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.run(); }, 120);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); self.toggle(false); }
    });
    this.list.addEventListener("click", function (event) {
      if (event.target.closest("a")) self.toggle(false, true);
    });
  }

  Search.prototype.toggle = function (open, leaving) {
    this.box.hidden = !open;
    this.button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      this.input.focus();
      var self = this;
      if (!entries) this.status.textContent = t("search_loading");
      load(function (ok) {
        self.status.textContent = ok ? "" : t("search_unavailable");
        if (ok) self.run();
      });
    } else if (!leaving) {
      this.button.focus();
    }
  };

  Search.prototype.run = function () {
    if (!entries) return;
    var query = this.input.value.trim();
    var list = this.list;
    list.textContent = "";
    if (!query) { this.status.textContent = ""; return; }
    var results = find(query);
    var words = fold(query).split(/\s+/).filter(Boolean);
    results.forEach(function (entry) {
      var link = el("a", { class: "search-result", href: "#/" + entry.page, "data-anchor": entry.anchor || null },
        el("span", { class: "search-page" }, entry.title),
        entry.heading ? el("span", { class: "search-heading" }, entry.heading) : null);
      list.appendChild(el("li", {}, link, snippet(entry.text, words)));
    });
    this.status.textContent = results.length ? t("search_count", { n: results.length }) : t("search_none");
  };

  CW.search = {
    start: function () {
      var box = document.getElementById("search");
      var button = document.querySelector(".search-button");
      if (box && button) return new Search(box, button);
      return null;
    },
    find: function (query) { return entries ? find(query) : null; },
  };
  function start() {
    CW.search.box = CW.search.start();
  }
  if (root.document) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start(); // brought by the first press of the button (runtime/parts.js), which it now opens
  }
})(globalThis);
