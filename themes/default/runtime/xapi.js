/* The xAPI trackers, behind the same tracking interface as the SCORM adapters (docs/architecture.md):
   - Cmi5Tracker, for a course launched by a cmi5 LMS (launch parameters endpoint, fetch, actor,
     registration, activityId): the auth token fetched once, LMS.LaunchData and the learner's
     preferences read, the cmi5 defined statements in their legal order, "cmi5 allowed" statements
     for questions, scenario decisions and endings and pages done, the learner's state in the LRS
     state API, Browse and Review honoured, the returnURL followed on exit.
   - XapiTracker, for the web course with an LRS set in course.yaml or in the address (xAPI launch:
     endpoint, auth, actor, registration, activity_id).
   Statements go through the offline queue (runtime/lrs.js); nothing here reaches any other address. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var SESSION = "coursewright:cmi5-session";
  var STATE_ID = "coursewright.state";
  var SAVE_DELAY = 2000; // ms: the state document is written when the learner pauses
  var UNIT = "cw-unit";

  function params(win) {
    var out = {};
    try {
      new URLSearchParams(win.location.search).forEach(function (v, k) { out[k] = v; });
    } catch (e) { /* no address */ }
    return out;
  }

  function json(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  // Kept in this tab (a reload, another language's page: the same session), or in this browser.
  function session(key, value) { return CW.stored(key, value, true); }
  function local(key, value) { return CW.stored(key, value); }

  function slash(url) { return url.charAt(url.length - 1) === "/" ? url : url + "/"; }

  /* The course as one module sees it (an AU per module): its pages, and its share of the
     assessments the completion and pass rules count. */
  function unitCourse(course, unit) {
    var mod = (course.modules || []).filter(function (m) { return m.id === unit; })[0];
    if (!mod) return course;
    var pages = course.pages.filter(function (p) { return p.module === unit; });
    var own = function (id) { return pages.some(function (p) { return p.id === id; }); };
    var completion = Object.assign({}, course.completion), pass = Object.assign({}, course.pass);
    completion.assessments = CW.progress.assessmentIds(course).filter(own);
    pass.assessments = (Array.isArray(pass.assessments) ? pass.assessments : completion.assessments).filter(own);
    return Object.assign({}, course, { modules: [mod], pages: pages, completion: completion, pass: pass });
  }

  function findQuestion(course, key) {
    var found = null;
    Object.keys(course.quizzes || {}).some(function (id) {
      found = (course.quizzes[id].questions || []).filter(function (q) { return q.key === key; })[0] || null;
      return !!found;
    });
    return found;
  }

  function isDecision(course, key) {
    return Object.keys(course.scenarios || {}).some(function (id) { return key.indexOf(id + "/") === 0; });
  }

  /* ---- What both trackers share ---- */

  function LrsTracker(course, launch) {
    this.course = course;
    this.launch = launch;
    this.unit = launch.unit || null;
    this.scope = this.unit ? unitCourse(course, this.unit) : course;
    this.queue = CW.lrs.queue();
    this.queue.auths[launch.endpoint] = launch.auth;
    this.statements = new CW.xapi.Statements({
      actor: launch.actor, activity: launch.activity, base: (course.tracking || {}).activity || "urn:coursewright:" + course.id,
      registration: launch.registration, template: launch.template, lang: CW.language || course.language, course: course
    });
    this.started = Date.now();
    this.silent = false;
    this.finished = false;
    this.seen = null;
    this.state = null;
    this.outcome = null;
  }

  LrsTracker.prototype.send = function (statement) {
    if (this.silent) return false;
    this.queue.add(this.launch.endpoint, this.launch.auth, statement);
    return true;
  };

  /* Pages done and scenario endings, from the progress the runtime announces after each change. */
  LrsTracker.prototype.watch = function () {
    var self = this;
    CW.on("progress", function (summary) { self.progressed(summary); });
    this.queue.changed();
    if (this.queue.pending()) this.queue.flush();
  };

  LrsTracker.prototype.runs = function (state, id) {
    var ss = state && state.scenarios && state.scenarios[id];
    return ss && Array.isArray(ss.runs) ? ss.runs : [];
  };

  LrsTracker.prototype.progressed = function (summary) {
    var self = this, state = CW.app && CW.app.state, scope = this.scope;
    if (!state) return;
    var mine = this.unit ? CW.results.verdict(scope, state, this.lms()) : summary;
    if (this.unit) this.judge(CW.results.outcome(mine)); // the course's outcome is not this AU's
    if (!this.seen) { // what was done before this page opened has been reported already
      this.seen = { pages: {}, runs: {} };
      scope.pages.forEach(function (p) {
        if (mine.donePages[p.id]) self.seen.pages[p.id] = true;
        self.seen.runs[p.id] = self.runs(state, p.id).length;
      });
      return;
    }
    if (this.mode === "Review") return;
    scope.pages.forEach(function (p) {
      var runs = self.runs(state, p.id);
      var scenario = self.course.scenarios[p.id];
      for (var i = self.seen.runs[p.id] || 0; i < runs.length && scenario; i++) {
        self.send(self.statements.ending(p, runs[i], scenario.max_points));
      }
      self.seen.runs[p.id] = runs.length;
      if (mine.donePages[p.id] && !self.seen.pages[p.id]) {
        self.seen.pages[p.id] = true;
        self.send(self.statements.pageDone(p, mine.percent));
      }
    });
  };

  LrsTracker.prototype.recordInteraction = function (i) {
    if (!i || this.silent || this.mode === "Review") return false;
    return this.send(this.statements.interaction(i, findQuestion(this.course, i.key), isDecision(this.course, i.key)));
  };

  LrsTracker.prototype.setLocation = function () { return true; };

  LrsTracker.prototype.commit = function () {
    if (this.queue.pending()) this.queue.flush();
    return true;
  };

  /* The course's outcome (results.js's verdict); an AU per module judges its own module as
     progress is announced. */
  LrsTracker.prototype.setOutcome = function (o) {
    return this.unit ? true : this.judge(o);
  };

  LrsTracker.prototype.lms = function () {
    return null;
  };

  /* ---- cmi5 ---- */

  function Cmi5Tracker(course, launch) {
    LrsTracker.call(this, course, launch);
    this.info = launch.info;
    this.mode = "Normal";
    this.mastery = null;
    this.returnURL = "";
    this.sent = { completed: false, passed: false };
    this.saveTimer = null;
    this.keepSession = false;
  }
  Cmi5Tracker.prototype = Object.create(LrsTracker.prototype);
  Cmi5Tracker.prototype.name = "cmi5";

  Cmi5Tracker.prototype.stateUrl = function (stateId) {
    var l = this.launch;
    return l.endpoint + "activities/state?" + CW.lrs.query({ stateId: stateId, activityId: l.activity,
      agent: JSON.stringify(l.actor), registration: l.registration });
  };

  Cmi5Tracker.prototype.localKey = function () {
    return "coursewright:" + this.course.id + ":" + this.course.version + ":cmi5:" + this.launch.registration +
      ":" + this.launch.activity;
  };

  Cmi5Tracker.prototype.start = function () {
    var info = this.info, l = this.launch;
    if (!l.auth) {
      // No token: the LRS refuses every statement of this session, and only a new launch brings one.
      this.silent = true;
      if (CW.lrs.indicator) CW.lrs.indicator.say(CW.t("cmi5_no_token"), true);
    } else if (info.terminated && !this.reopen()) {
      this.silent = true;
      if (CW.lrs.indicator) CW.lrs.indicator.say(CW.t("cmi5_session_ended"));
    }
    var data = info.launchData || {};
    this.mode = data.launchMode === "Browse" || data.launchMode === "Review" ? data.launchMode : "Normal";
    this.mastery = typeof data.masteryScore === "number" ? data.masteryScore : null;
    this.returnURL = typeof data.returnURL === "string" ? data.returnURL : "";
    this.started = info.started;
    var saved = local(this.localKey());
    var remote = l.auth ? CW.lrs.sendSync("GET", this.stateUrl(STATE_ID), l.auth) : { status: 0 };
    var doc = remote.status === 200 ? json(remote.text) : null;
    if (doc && doc.state && (!saved || (doc.saved || 0) >= (saved.saved || 0))) saved = doc;
    if (saved && saved.sent) this.sent = { completed: !!saved.sent.completed, passed: !!saved.sent.passed };
    if (doc && doc.sent) {
      this.sent.completed = this.sent.completed || !!doc.sent.completed;
      this.sent.passed = this.sent.passed || !!doc.sent.passed;
    }
    this.state = saved && saved.state ? saved.state : null;
    this.prefer(info.preferences);
    if (!info.initialized && !this.silent) {
      this.send(this.statements.defined("initialized", 0));
      info.initialized = true;
      this.keep();
    }
    if (this.unit && !(this.state && this.state.location) && !/^#\//.test(root.location.hash || "")) {
      var first = this.scope.pages[0];
      if (first) root.history.replaceState(null, "", "#/" + first.id);
    }
    this.listen();
    this.watch();
    return this.state;
  };

  /* The learner's preferred language (cmi5 learner preferences), when the course has it and the
     learner has not chosen one in the course: the runtime then opens the course in it. */
  Cmi5Tracker.prototype.prefer = function (preferences) {
    var wanted = preferences && typeof preferences.languagePreference === "string" ? preferences.languagePreference : "";
    if (!wanted || (this.state && this.state.lang)) return;
    var offered = [this.course.language];
    document.querySelectorAll("a.language-link[hreflang]").forEach(function (a) {
      offered.push(a.getAttribute("hreflang"));
    });
    var lang = wanted.split(",").map(function (tag) { return tag.trim().split("-")[0].toLowerCase(); })
      .filter(function (tag) { return offered.indexOf(tag) >= 0; })[0];
    if (lang) {
      this.state = this.state || {};
      this.state.lang = lang;
    }
  };

  /* A reload after this session's terminated statement: if the LRS never got it, take it back and
     carry on; if it did, the session is over for the LMS. */
  Cmi5Tracker.prototype.reopen = function () {
    var id = this.info.terminated;
    if (!this.queue.has(id)) return false;
    var l = this.launch;
    var found = CW.lrs.sendSync("GET", l.endpoint + "statements?" + CW.lrs.query({ statementId: id }), l.auth);
    if (found.status === 200) return false;
    this.queue.remove([id]);
    this.info.terminated = null;
    this.keep();
    return true;
  };

  /* What the verdict needs from the LMS: LMS.LaunchData's masteryScore and launch mode. */
  Cmi5Tracker.prototype.lms = function () {
    return { mastery: this.silent ? null : this.mastery, mode: this.mode.toLowerCase(),
      credit: this.mode === "Normal" ? "credit" : "no-credit" };
  };

  Cmi5Tracker.prototype.keep = function () {
    session(SESSION, this.info);
  };

  Cmi5Tracker.prototype.listen = function () {
    var self = this;
    var exit = document.querySelector('[data-action="exit"]');
    if (exit && this.returnURL) {
      exit.hidden = false;
      exit.addEventListener("click", function () { self.exit(); });
    }
    root.addEventListener("click", function (event) {
      if (!event.defaultPrevented && CW.scorm && CW.scorm.leadsToSiblingPage(event.target)) self.keepSession = true;
    });
  };

  Cmi5Tracker.prototype.save = function (state) {
    this.state = state;
    if (this.mode === "Review") return true;
    var record = { state: state, sent: this.sent, saved: Date.now() };
    local(this.localKey(), record);
    if (this.silent) return true;
    var self = this;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(function () { self.saveTimer = null; self.store(false); }, SAVE_DELAY);
    return true;
  };

  /* Write the state document (the LRS state API, like SCORM's suspend_data). */
  Cmi5Tracker.prototype.store = function (leaving) {
    var record = local(this.localKey());
    if (!record || this.silent || this.mode === "Review") return;
    CW.lrs.send("PUT", this.stateUrl(STATE_ID), this.launch.auth, JSON.stringify(record), null, leaving); // a failure: the local copy stays
  };

  Cmi5Tracker.prototype.judge = function (o) {
    if (!o || this.silent || this.mode !== "Normal") return false;
    // The verdict already weighs the LMS's masteryScore (lms() hands it over), as cmi5 9.3.4 and 9.3.5 ask.
    var outcome = { completed: !!o.completed, passed: o.completed && (o.passed === true || o.passed === false) ? o.passed : null,
      score: o.completed && o.score ? o.score : null };
    this.outcome = outcome;
    var ms = Date.now() - this.started;
    if (outcome.completed && !this.sent.completed) {
      this.send(this.statements.defined("completed", ms));
      this.sent.completed = true;
    }
    if (outcome.passed === true && !this.sent.passed && !this.info.judged) {
      this.send(this.statements.defined("passed", ms, outcome, this.mastery));
      this.sent.passed = true;
      this.info.judged = true;
      this.keep();
    }
    if (this.state) this.save(this.state);
    return true;
  };

  /* Terminated, last: before it, "failed" when the session ends on a failing result (sent only
     then, so that a learner who fails and then passes in the same session is reported passed). */
  Cmi5Tracker.prototype.finish = function () {
    if (this.finished) return true;
    this.finished = true;
    clearTimeout(this.saveTimer);
    this.store(true);
    // Another language's page of the course goes on with this session.
    if (this.keepSession || (CW.scorm && CW.scorm.keepSession) || this.silent) return true;
    var ms = Date.now() - this.started, o = this.outcome;
    if (this.mode === "Normal" && o && o.completed && o.passed === false && !this.sent.passed && !this.info.judged) {
      this.send(this.statements.defined("failed", ms, o, this.mastery));
      this.info.judged = true;
    }
    var terminated = this.statements.defined("terminated", ms);
    this.send(terminated);
    this.info.terminated = terminated.id;
    this.keep();
    this.queue.sendOnLeaving();
    return true;
  };

  /* The learner leaves by the course's exit button: end the session, send what waits, go back to the LMS. */
  Cmi5Tracker.prototype.exit = function () {
    var url = this.returnURL;
    if (CW.app) CW.app.flush();
    this.finish();
    var go = function () { if (url) root.location.assign(url); };
    this.queue.flush().then(go, go);
  };

  Cmi5Tracker.prototype.reset = function () {
    local(this.localKey(), null);
    return true;
  };

  /* What the LMS has for this launch: LMS.LaunchData and the learner's preferences. */
  function lmsData(kept, agent) {
    var query = CW.lrs.query({ stateId: "LMS.LaunchData", activityId: kept.activity, agent: agent, registration: kept.registration });
    var data = CW.lrs.sendSync("GET", kept.endpoint + "activities/state?" + query, kept.auth);
    kept.launchData = data.status === 200 ? json(data.text) : null;
    var prefs = CW.lrs.sendSync("GET", kept.endpoint + "agents/profile?" +
      CW.lrs.query({ agent: agent, profileId: "cmi5LearnerPreferences" }), kept.auth);
    kept.preferences = prefs.status === 200 ? json(prefs.text) : null;
  }

  /* The launch: from the address (first page of a session), or kept for this tab (a reload, or
     another language's page of the same course). Reads the token, LMS.LaunchData and the learner's
     preferences once per session. */
  function cmi5Launch(win, course) {
    var p = params(win), kept = session(SESSION);
    var fresh = p.endpoint && p.fetch && p.actor && p.registration && p.activityId;
    if (!fresh && !(kept && kept.course === course.id)) return null;
    if (fresh && !(kept && kept.fetch === p.fetch)) {
      var actor = json(p.actor), endpoint = slash(p.endpoint);
      var answer = CW.lrs.sendSync("POST", p.fetch);
      var token = answer.status === 200 && json(answer.text);
      kept = { course: course.id, fetch: p.fetch, endpoint: endpoint, actor: actor, registration: p.registration,
        activity: p.activityId, unit: p[UNIT] || null, auth: token && token["auth-token"] ? "Basic " + token["auth-token"] : "",
        started: Date.now(), initialized: false, terminated: null, judged: false };
      if (kept.auth) lmsData(kept, p.actor);
      else CW.report("cmi5: the LMS gave no auth token (" + answer.status + " " + answer.text.slice(0, 200) + ")");
      session(SESSION, kept);
    }
    return {
      endpoint: kept.endpoint, auth: kept.auth, actor: kept.actor, registration: kept.registration,
      activity: kept.activity, unit: kept.unit, info: kept,
      template: (kept.launchData && kept.launchData.contextTemplate) || {}
    };
  }

  /* ---- Plain xAPI: the web course and its LRS ---- */

  function XapiTracker(course, launch) {
    LrsTracker.call(this, course, launch);
    this.local = new CW.LocalTracker(course);
    this.key = CW.storageKey(course) + ":xapi-sent:" + launch.endpoint + ":" + JSON.stringify(launch.actor);
    this.sent = local(this.key) || {};
    this.mode = "Normal";
  }
  XapiTracker.prototype = Object.create(LrsTracker.prototype);
  XapiTracker.prototype.name = "xapi";

  XapiTracker.prototype.start = function () {
    this.state = this.local.start();
    this.send(this.statements.course("initialized", 0));
    this.watch();
    return this.state;
  };

  XapiTracker.prototype.save = function (state) {
    this.state = state;
    return this.local.save(state);
  };

  /* completed once, passed once, failed each time a result turns out failing. */
  XapiTracker.prototype.judge = function (o) {
    if (!o) return false;
    var ms = Date.now() - this.started;
    if (o.completed && !this.sent.completed) {
      this.sent.completed = true;
      this.send(this.statements.course("completed", ms, o));
    }
    var verdict = o.completed && o.passed === true ? "passed" : o.completed && o.passed === false ? "failed" : null;
    var score = o.score ? o.score.scaled : null;
    if (verdict && !this.sent.passed && (verdict !== this.sent.verdict || score !== this.sent.score)) {
      this.sent.verdict = verdict;
      this.sent.score = score;
      if (verdict === "passed") this.sent.passed = true;
      this.send(this.statements.course(verdict, ms, o));
    }
    local(this.key, this.sent);
    return true;
  };

  XapiTracker.prototype.finish = function () {
    if (this.finished) return true;
    this.finished = true;
    this.send(this.statements.course("terminated", Date.now() - this.started));
    this.queue.sendOnLeaving();
    return true;
  };

  XapiTracker.prototype.reset = function () {
    this.sent = {};
    local(this.key, null);
    return this.local.reset();
  };

  /* The LRS of the web course: in the address (xAPI launch), else in course.yaml. */
  function xapiLaunch(win, course) {
    var p = params(win), set = (course.tracking && course.tracking.xapi) || null;
    var endpoint = p.endpoint || (set && set.endpoint);
    if (!endpoint || p.fetch) return null;
    var actor = json(p.actor || "null");
    if (!actor) {
      var id = local("coursewright:xapi-learner");
      if (!id) { id = CW.xapi.uuid(); local("coursewright:xapi-learner", id); }
      actor = { objectType: "Agent", account: { homePage: slash(endpoint), name: id } };
    }
    var base = (course.tracking && course.tracking.activity) || "urn:coursewright:" + course.id;
    return { endpoint: slash(endpoint), auth: p.auth || (set && set.auth) || "", actor: actor,
      registration: p.registration || null, activity: p.activity_id || base, template: {} };
  }

  function factory(name, detect, Tracker, rank) {
    return {
      name: name,
      rank: rank,
      detect: function (win, course) { return detect(win || root, course || {}); },
      create: function (launch, course) { return new Tracker(course, launch); }
    };
  }

  // A cmi5 launch is explicit: it goes before the SCORM adapters (ranks 1 and 2); a plain endpoint after them.
  CW.trackers.push(factory("cmi5", cmi5Launch, Cmi5Tracker, 0), factory("xapi", xapiLaunch, XapiTracker, 3));
  CW.cmi5 = { Tracker: Cmi5Tracker, launch: cmi5Launch, unitCourse: unitCourse };
  CW.xapiTracker = { Tracker: XapiTracker, launch: xapiLaunch };
})(globalThis);
