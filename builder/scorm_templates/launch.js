/* The launch page of a package with several languages. It owns the one LMS session of the course
   and shows the course in a frame; the course finds this page's stand-in for the LMS API, so a
   learner switching language (the frame loading another language's page) never starts or ends
   the LMS session again: Initialize and Terminate reach the LMS exactly once. */
(function (win) {
  "use strict";
  var VERSIONS = [
    { global: "API_1484_11", init: "Initialize", finish: "Terminate", commit: "Commit",
      calls: ["GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"] },
    { global: "API", init: "LMSInitialize", finish: "LMSFinish", commit: "LMSCommit",
      calls: ["LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"] }
  ];

  /* ADL discovery from the parent frames up, then the opener's. */
  function find(name, init) {
    function valid(w) { try { return w[name] && typeof w[name][init] === "function" ? w[name] : null; } catch (e) { return null; } }
    function climb(w) {
      for (var level = 0; w && level <= 7; level++) {
        var api = valid(w);
        if (api) return api;
        var up = null;
        try { up = w.parent; } catch (e) { up = null; }
        if (!up || up === w) break;
        w = up;
      }
      return null;
    }
    var start = null;
    try { start = win.parent !== win ? win.parent : null; } catch (e) { start = null; }
    var api = climb(start);
    try { if (!api && win.opener) api = climb(win.opener); } catch (e) { api = null; }
    return api;
  }

  /* The LMS API as the course sees it: the first Initialize starts the session, later ones (the
     page of another language) find it open; Terminate from the course only commits. */
  function standIn(v, api) {
    var started = false, ended = false, proxy = {};
    v.calls.forEach(function (name) {
      proxy[name] = function () { return ended && name.indexOf("Error") < 0 && name.indexOf("Diagnostic") < 0 ? "false" : api[name].apply(api, arguments); };
    });
    proxy[v.init] = function () {
      if (!started) {
        started = String(api[v.init]("")) === "true";
        return started ? "true" : "false";
      }
      return ended ? "false" : "true";
    };
    proxy[v.finish] = function () { return ended ? "false" : String(api[v.commit]("")); };
    var end = function () {
      if (started && !ended) {
        ended = true;
        api[v.finish]("");
      }
    };
    return { proxy: proxy, end: end };
  }

  /* The version the manifest declares (its launch parameter ?scorm=1.2 or 2004): only that API is
     used, even when the LMS page offers both. */
  var declared = (/[?&]scorm=(1\.2|2004)(&|$)/.exec(win.location.search || "") || [])[1];
  var frame = win.document.getElementById("course");
  var session = null;
  for (var i = 0; i < VERSIONS.length && !session; i++) {
    if (declared && (declared === "1.2") !== (VERSIONS[i].global === "API")) continue;
    var api = find(VERSIONS[i].global, VERSIONS[i].init);
    if (api) {
      session = standIn(VERSIONS[i], api);
      win[VERSIONS[i].global] = session.proxy;
    }
  }

  /* The page's language and title follow the course's. */
  frame.addEventListener("load", function () {
    try {
      var doc = frame.contentDocument, root = doc.documentElement;
      if (!root.lang) return;
      win.document.documentElement.lang = root.lang;
      win.document.documentElement.dir = root.dir || "ltr";
      win.document.title = doc.title;
    } catch (e) { /* not readable: leave as it is */ }
  });

  /* Leaving: the course saves and finishes first, then the session ends. */
  win.addEventListener("pagehide", function () {
    try { frame.contentWindow.dispatchEvent(new Event("pagehide")); } catch (e) { /* gone already */ }
    if (session) session.end();
  });

  frame.src = "index.html" + (declared ? "?scorm=" + declared : "") + win.location.hash;
})(window);
