/* Runtime parts loaded when needed: what only some pages use (quizzes, scenarios, the certificate,
   search, the LMS and LRS trackers) is a script of its own, assets/course-<part>.js, that the builder
   ends with `Coursewright.partLoaded("<part>")`. A course whose pages load on demand loads a part the
   first time a page needs it (a script, since browsers load those from file://, where fetch() fails);
   the single-file edition and a course holding every page carry every part already. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var present = {}; // part name → true once its script ran
  var waiting = {}; // part name → callbacks waiting for it
  var separate = {}; // the parts the builder wrote apart (any other is in course.js, or not in the theme)

  function markSeparate(names) {
    names.forEach(function (name) { separate[name] = true; });
  }

  CW.partLoaded = function (name) {
    present[name] = true;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (fn) { run(fn, true); });
  };

  function run(fn, ok) {
    try {
      fn(ok);
    } catch (e) {
      CW.report(e);
    }
  }

  /* The address of a file beside course.js, wherever the page found that. */
  function beside(file) {
    var runtime = document.querySelector('script[src$="course.js"]');
    return runtime ? runtime.src.replace(/course\.js$/, file) : "assets/" + file;
  }

  /* The address of a part's script. */
  function src(name) {
    return beside("course-" + name + ".js");
  }

  /* `done(ok)` once every part of `names` has run (at once when they already have); ok is false
     when one could not load. */
  function need(names, done) {
    var left = names.filter(function (name) { return separate[name] && !present[name]; });
    var ok = true;
    if (!left.length) {
      if (done) run(done, true);
      return;
    }
    var count = left.length;
    left.forEach(function (name) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push(function (loaded) {
        ok = ok && loaded;
        if (--count === 0 && done) run(done, ok);
      });
      if (!first) return;
      var script = document.createElement("script");
      script.src = src(name);
      script.onload = script.onerror = function () {
        script.remove();
        if (present[name]) return;
        var callbacks = waiting[name] || [];
        delete waiting[name];
        callbacks.forEach(function (fn) { run(fn, false); });
      };
      document.head.appendChild(script);
    });
  }

  /* The parts a page's data asks for. */
  function forPage(chunk) {
    var names = [];
    if (chunk && (chunk.quiz || (chunk.checks && Object.keys(chunk.checks).length))) names.push("quiz");
    if (chunk && chunk.scenario) names.push("scenario");
    return names;
  }

  /* The parts a page already in the document asks for (a course holding every page). */
  function forSection(section) {
    var names = [];
    var kind = section.getAttribute("data-kind");
    if (kind === "quiz" || section.querySelector(".inline-check[data-check]")) names.push("quiz");
    if (kind === "scenario") names.push("scenario");
    return names;
  }

  /* The tracker parts an LMS or LRS that may be there needs: "scorm" for an API up the window chain
     or in an opener, or a SCORM launch; "xapi" for an LRS the course names or a launch with an
     endpoint; both for a launch with other parameters or a session handed over. None otherwise: the
     learner's own browser keeps the progress. */
  function trackersFor(course, win) {
    win = win || root;
    var names = {};
    if (course && course.tracking && course.tracking.xapi) names.xapi = true;
    var query = "";
    try { query = win.location.search || ""; } catch (e) { /* no address */ }
    if (/[?&]scorm=/.test(query)) names.scorm = true;
    if (/[?&]endpoint=/.test(query)) names.xapi = true;
    if (query.length > 1 && !names.scorm && !names.xapi) names.scorm = names.xapi = true;
    try {
      var store = win.sessionStorage;
      for (var i = 0; store && i < store.length; i++) {
        var key = store.key(i) || "";
        if (/^coursewright:scorm-/.test(key)) names.scorm = true;
        else if (/^coursewright:cmi5-/.test(key)) names.xapi = true;
        else if (/^coursewright:/.test(key)) names.scorm = names.xapi = true;
      }
    } catch (e) { /* no storage */ }
    function climb(w) {
      for (var level = 0; w && level <= 7; level++) {
        try {
          if (w.API || w.API_1484_11) return true;
        } catch (e) { /* another origin: keep climbing */ }
        var up = null;
        try { up = w.parent; } catch (e) { up = null; }
        if (!up || up === w) break;
        w = up;
      }
      return false;
    }
    if (!names.scorm) {
      try {
        names.scorm = climb(win) || climb(win.opener) || climb(win.top.opener);
      } catch (e) { /* another origin's opener */ }
    }
    return ["scorm", "xapi"].filter(function (name) { return names[name]; });
  }

  /* The search button's first press brings the search part, which then opens its box. */
  if (root.document) {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".search-button");
      if (!button || !separate.search || present.search) return;
      need(["search"], function (ok) {
        if (ok && CW.search && CW.search.box) CW.search.box.toggle(true);
      });
    });
  }

  CW.parts = { need: need, separate: markSeparate, forPage: forPage,
    forSection: forSection, trackersFor: trackersFor, src: src, beside: beside };
})(globalThis);
