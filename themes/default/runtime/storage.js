/* Storage: the LocalTracker (progress kept in the browser when no LMS is present), and the guard
   that keeps any tracker from breaking the course when one of its methods fails. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  CW.storageKey = function (course) {
    return "coursewright:" + course.id + ":" + course.version;
  };

  /* A JSON value in the browser's storage (local, or the tab's session storage with `session`): read
     when `value` is undefined (null when there is none), removed when it is null, else written.
     Blocked storage reads as null and keeps nothing. */
  CW.stored = function (key, value, session) {
    try {
      var store = session ? root.sessionStorage : root.localStorage;
      if (value === undefined) return JSON.parse(store.getItem(key) || "null");
      if (value === null) store.removeItem(key);
      else store.setItem(key, JSON.stringify(value));
    } catch (e) { /* no storage, or not JSON */ }
    return null;
  };

  function browserStorage() {
    try {
      var store = root.localStorage;
      var probe = "coursewright:probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (e) {
      return null; // storage blocked: progress lasts as long as the page
    }
  }

  /* Keeps the state under coursewright:<id>:<version>; `store` is any object with the
     localStorage methods (tests pass their own). */
  function LocalTracker(course, store) {
    this.key = CW.storageKey(course);
    this.store = store === undefined ? browserStorage() : store;
    this.memory = null;
    this.location = null;
    this.outcome = null;
    this.interactions = [];
  }
  LocalTracker.prototype.name = "local";
  LocalTracker.prototype.start = function () {
    var text = this.store ? this.store.getItem(this.key) : this.memory;
    if (!text) return null;
    try {
      var state = JSON.parse(text);
      return state && typeof state === "object" ? state : null;
    } catch (e) {
      return null;
    }
  };
  LocalTracker.prototype.save = function (state) {
    var text = JSON.stringify(state);
    this.memory = text;
    if (!this.store) return true;
    try {
      this.store.setItem(this.key, text);
      return true;
    } catch (e) {
      return false;
    }
  };
  LocalTracker.prototype.reset = function () {
    this.memory = null;
    if (this.store) this.store.removeItem(this.key);
    return true;
  };
  LocalTracker.prototype.setLocation = function (pageId) {
    this.location = pageId;
    return true;
  };
  LocalTracker.prototype.recordInteraction = function (interaction) {
    this.interactions.push(interaction);
    return true;
  };
  LocalTracker.prototype.setOutcome = function (outcome) {
    this.outcome = outcome;
    return true;
  };
  LocalTracker.prototype.commit = function () {
    return true;
  };
  LocalTracker.prototype.finish = function () {
    return true;
  };
  CW.LocalTracker = LocalTracker;

  var METHODS = ["start", "save", "setLocation", "recordInteraction", "setOutcome", "commit", "finish", "reset", "lms"];

  /* Wraps a tracker so that every method exists, never throws and reports success as a boolean
     (start returns the saved state or null). */
  CW.guardTracker = function (tracker) {
    var guarded = { name: tracker && tracker.name, inner: tracker };
    METHODS.forEach(function (method) {
      guarded[method] = function (arg) {
        try {
          var asks = method === "start" || method === "lms"; // these return an object or null
          if (!tracker || typeof tracker[method] !== "function") return asks ? null : false;
          var result = tracker[method](arg);
          if (asks) return result && typeof result === "object" ? result : null;
          return result !== false;
        } catch (e) {
          CW.report(e);
          return method === "start" || method === "lms" ? null : false;
        }
      };
    });
    return guarded;
  };

  /* The first tracker, by rank (cmi5, SCORM 2004, SCORM 1.2, xAPI, then others as registered), whose
     LMS or LRS is found, else the LocalTracker. Ranks, not the order the scripts ran in: the SCORM
     and xAPI parts may load in either order. */
  CW.chooseTracker = function (course, win) {
    var rank = function (f) { return typeof f.rank === "number" ? f.rank : 9; };
    // A stable sort: factories of one rank stay in the order they were registered.
    var factories = (CW.trackers || []).slice().sort(function (a, b) { return rank(a) - rank(b); });
    for (var i = 0; i < factories.length; i++) {
      var factory = factories[i];
      try {
        var api = factory.detect(win, course);
        if (api) return CW.guardTracker(factory.create(api, course));
      } catch (e) {
        CW.report(e);
      }
    }
    return CW.guardTracker(new LocalTracker(course));
  };
})(globalThis);
