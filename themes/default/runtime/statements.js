/* xAPI statements: the course's profile of verbs, activity ids and extensions (documented in
   docs/lms-guide.md), shared by the plain xAPI tracker and the cmi5 one. Pure: no network, no DOM. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var ADL = "http://adlnet.gov/expapi/verbs/";
  var VERBS = {
    initialized: ADL + "initialized", completed: ADL + "completed", passed: ADL + "passed",
    failed: ADL + "failed", terminated: ADL + "terminated", answered: ADL + "answered",
    responded: ADL + "responded", experienced: ADL + "experienced", scored: ADL + "scored"
  };
  var TYPES = {
    course: "http://adlnet.gov/expapi/activities/course",
    module: "http://adlnet.gov/expapi/activities/module",
    lesson: "http://adlnet.gov/expapi/activities/lesson",
    quiz: "http://adlnet.gov/expapi/activities/assessment",
    scenario: "http://adlnet.gov/expapi/activities/simulation",
    interaction: "http://adlnet.gov/expapi/activities/cmi.interaction"
  };
  var CMI5 = {
    category: "https://w3id.org/xapi/cmi5/context/categories/cmi5",
    moveon: "https://w3id.org/xapi/cmi5/context/categories/moveon",
    sessionid: "https://w3id.org/xapi/cmi5/context/extensions/sessionid",
    masteryscore: "https://w3id.org/xapi/cmi5/context/extensions/masteryscore",
    progress: "https://w3id.org/xapi/cmi5/result/extensions/progress"
  };
  var EXTENSIONS = {
    ending: "urn:coursewright:xapi:ending", // a scenario's ending: good, neutral or poor
    points: "urn:coursewright:xapi:points" // the points a choice or an ending is worth
  };
  var INTERACTION_TYPES = { choice: "choice", "true-false": "true-false", "fill-in": "fill-in",
    matching: "matching", ordering: "sequencing", sequencing: "sequencing" };
  var PATTERN = { comma: "[,]", dot: "[.]", bool: ["false", "true"], text: function (t) { return t; } };

  function uuid() {
    var c = root.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b).map(function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* Timestamps never repeat nor go back within a page: cmi5 orders a session's statements by them. */
  var last = 0;
  function timestamp(date) {
    var t = Math.max(date instanceof Date ? date.getTime() : Date.now(), last + 1);
    last = t;
    return new Date(t).toISOString();
  }

  /* An ISO 8601 duration to the hundredth of a second: PT1H2M3.45S. */
  function duration(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10)), h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
  }

  function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }

  function langMap(lang, text) {
    var map = {};
    map[lang || "en"] = String(text || "").replace(/\s+/g, " ").trim() || "-";
    return map;
  }

  /* The pieces every statement of one launch shares. `launch`: {actor, activity (the AU's or the
     course's id), base (the course's activity id), registration, template (cmi5 context template),
     lang, course}. */
  function Statements(launch) {
    this.launch = launch;
  }

  Statements.prototype.context = function (defined, extra) {
    var l = this.launch, context = clone(l.template) || {};
    if (l.registration) context.registration = l.registration;
    context.language = l.lang;
    var activities = context.contextActivities = context.contextActivities || {};
    if (defined) {
      activities.category = (activities.category || []).concat([{ id: CMI5.category }]);
      if (defined === "moveon") activities.category.push({ id: CMI5.moveon });
    } else {
      activities.parent = [{ id: l.activity, objectType: "Activity" }];
    }
    if (extra) {
      context.extensions = Object.assign(context.extensions || {}, extra);
    }
    return context;
  };

  Statements.prototype.make = function (verb, object, result, context, when) {
    var s = {
      id: uuid(), timestamp: timestamp(when), actor: clone(this.launch.actor),
      verb: { id: VERBS[verb], display: { "en-US": verb } }, object: object, context: context
    };
    if (result) s.result = result;
    return s;
  };

  Statements.prototype.activity = function (id, type, name, extra) {
    var definition = { type: type, name: langMap(this.launch.lang, name) };
    Object.assign(definition, extra);
    return { objectType: "Activity", id: id, definition: definition };
  };

  /* cmi5 defined statements: about the AU itself, in the cmi5 category. `outcome` for passed and
     failed: {score: {scaled}}; `mastery`: the launch's masteryScore or null. */
  Statements.prototype.defined = function (verb, ms, outcome, mastery) {
    var result = null, moveon = verb === "completed" || verb === "passed" || verb === "failed";
    if (verb !== "initialized") result = { duration: duration(ms) };
    if (verb === "completed") result.completion = true;
    if (verb === "passed" || verb === "failed") {
      result.success = verb === "passed";
      var s = outcome && outcome.score;
      var scaled = s && typeof s.scaled === "number" ? Math.round(s.scaled * 10000) / 10000 : null;
      // A score goes with the verdict only where it agrees with the masteryScore (cmi5 9.3.4, 9.3.5):
      // under the rule "each", a failed assessment fails the course whatever the course score.
      var agrees = typeof mastery !== "number" || (verb === "passed") === (scaled >= mastery - 1e-9);
      if (scaled !== null && agrees) result.score = { scaled: scaled, raw: Math.round(scaled * 100), min: 0, max: 100 };
    }
    var extra = null;
    if ((verb === "passed" || verb === "failed") && typeof mastery === "number") {
      extra = {};
      extra[CMI5.masteryscore] = mastery;
    }
    return this.make(verb, { objectType: "Activity", id: this.launch.activity }, result,
      this.context(moveon ? "moveon" : true, extra));
  };

  /* An interaction's choices, named by the letters its responses use (choices past the 36 letters
     are all "z": their responses cannot be expressed either). */
  function components(texts, lang) {
    return texts.map(function (t, i) { return { id: CW.responses.letter(i) || "z", description: langMap(lang, t) }; });
  }

  /* A question (quiz) or a decision (scenario) as an interaction activity, with its choices. */
  Statements.prototype.interactionActivity = function (i, question) {
    var lang = this.launch.lang, type = INTERACTION_TYPES[i.type] || "other";
    var extra = { interactionType: type };
    var correct = CW.responses.pattern(i.type === "ordering" ? "sequencing" : i.type, i.correct, PATTERN);
    if (correct !== null) {
      extra.correctResponsesPattern = [i.type === "fill-in" ? "{case_matters=false}" + correct : correct];
    }
    if (question) {
      var texts = function (list, name) { return components((list || []).map(function (x) { return x[name]; }), lang); };
      var sorted = question.type === "categorisation";  // its items matched to its groups
      if (type === "choice") extra.choices = question.type === "hotspot" ? texts(question.regions, "label") : texts(question.options, "text");
      if (type === "sequencing") extra.choices = components(question.items || [], lang);
      if (type === "matching") {
        extra.source = sorted ? texts(question.sort_items, "text") : texts(question.pairs, "left");
        extra.target = sorted ? texts(question.groups, "text") : texts(question.pairs, "right");
      }
    }
    var activity = this.activity(this.launch.base + "/" + i.key, TYPES.interaction, i.description || i.key, extra);
    activity.definition.description = langMap(lang, i.description || i.key);
    return activity;
  };

  /* A quiz question answered, or a scenario decision taken (`decision`). */
  Statements.prototype.interaction = function (i, question, decision) {
    var response = CW.responses.pattern(i.type === "ordering" ? "sequencing" : i.type, i.response, PATTERN);
    var result = { success: i.result === "correct", duration: duration(i.latencyMs) };
    if (response !== null) result.response = response;
    var weight = Number(i.weighting) || 0;
    if (weight > 0) {
      var raw = i.result === "correct" ? weight : 0;
      result.score = { raw: raw, min: 0, max: weight, scaled: Math.round((raw / weight) * 10000) / 10000 };
    }
    return this.make(decision ? "responded" : "answered", this.interactionActivity(i, question), result,
      this.context(false), i.timestamp);
  };

  /* A page done: a lesson read, a quiz submitted, a scenario ended; `progress` in percent. */
  Statements.prototype.pageDone = function (page, progress) {
    var result = { completion: true, extensions: {} };
    result.extensions[CMI5.progress] = Math.max(0, Math.min(100, Math.round(progress)));
    var type = page.kind === "quiz" ? TYPES.quiz : page.kind === "scenario" ? TYPES.scenario : TYPES.lesson;
    return this.make("experienced", this.activity(this.launch.base + "/" + page.id, type, page.title), result,
      this.context(false));
  };

  /* A scenario's run reached an ending: `run` {points, ending}, `max` the best path's points. */
  Statements.prototype.ending = function (page, run, max) {
    var points = Number(run.points) || 0;
    var result = { completion: true, extensions: {} };
    if (max > 0) {
      result.score = { raw: points, min: 0, max: max, scaled: Math.max(0, Math.min(1, Math.round((points / max) * 10000) / 10000)) };
    }
    result.extensions[EXTENSIONS.ending] = run.ending || "neutral";
    result.extensions[EXTENSIONS.points] = points;
    return this.make("scored", this.activity(this.launch.base + "/" + page.id, TYPES.scenario, page.title), result,
      this.context(false));
  };

  /* Plain xAPI (no cmi5): the course's own completed, passed or failed, and the visit's start and end. */
  Statements.prototype.course = function (verb, ms, outcome) {
    var result = null;
    if (verb !== "initialized") result = { duration: duration(ms) };
    if (verb === "completed") result.completion = true;
    if (verb === "passed" || verb === "failed") {
      result.success = verb === "passed";
      result.completion = true;
      var s = outcome && outcome.score;
      if (s && typeof s.scaled === "number") {
        result.score = { scaled: s.scaled, raw: Math.round(s.scaled * 100), min: 0, max: 100 };
      }
    }
    var context = this.context(false);
    delete context.contextActivities.parent; // the course is the top
    return this.make(verb, this.activity(this.launch.activity, TYPES.course, this.launch.course.title), result, context);
  };

  CW.xapi = { VERBS: VERBS, TYPES: TYPES, CMI5: CMI5, EXTENSIONS: EXTENSIONS, Statements: Statements,
    uuid: uuid, duration: duration, timestamp: timestamp };
})(globalThis);
