/* SCORM adapters: the Scorm2004Tracker and Scorm12Tracker behind the tracking interface of
   docs/architecture.md, registered in Coursewright.trackers (2004 first). They find the LMS API
   (ADL discovery: parent frames, then the opener), report status, score, bookmark, interactions and
   session time in each version's formats, keep the state compact in suspend_data, and never let a
   failing LMS stop the learner: every call is checked, problems go to console.warn, and the state
   is also kept in the browser. */
(function (root) {
  "use strict";
  var CW = root.Coursewright = root.Coursewright || {};
  CW.trackers = CW.trackers || [];

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var COMMIT_INTERVAL = 5000; // ms between two commits: an LMS saves to its server on each
  var MAX_WARNINGS = 25;

  /* ---- State codec: "1<fingerprint>.<payload>", the payload LZW-compressed JSON in base64url.
     Course ids become short tokens, the visited pages and checked questions bit strings, and a
     quiz's answers an array in question order, so 200 answered questions fit SCORM 1.2's 4,096
     characters. Ids are sorted first: reordering pages or translating keeps saved states valid;
     adding or renaming ids changes the fingerprint, and such a state is not read back. */

  function lzw(text) {
    var dict = Object.create(null), next = 128, width = 8, out = "", acc = 0, n = 0, w = "";
    function emit(code) {
      for (var b = width - 1; b >= 0; b--) {
        acc = (acc << 1) | ((code >> b) & 1);
        if (++n === 6) { out += B64.charAt(acc); acc = 0; n = 0; }
      }
    }
    function code(s) { return s.length === 1 ? s.charCodeAt(0) : dict[s]; }
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), wc = w + c;
      if (w === "" || dict[wc] !== undefined) { w = wc; continue; }
      emit(code(w));
      dict[wc] = next++;
      if (next > (1 << width)) width++;
      w = c;
    }
    if (w) emit(code(w));
    if (n) out += B64.charAt(acc << (6 - n));
    return out;
  }

  function unlzw(data) {
    var pos = 0, acc = 0, n = 0, width = 8, dict = [], i;
    for (i = 0; i < 128; i++) dict.push(String.fromCharCode(i));
    function read() {
      var v = 0;
      for (var b = 0; b < width; b++) {
        if (n === 0) {
          acc = B64.indexOf(data.charAt(pos++));
          if (acc < 0) throw new Error("bad character");
          n = 6;
        }
        v = (v << 1) | ((acc >> --n) & 1);
      }
      return v;
    }
    var w = dict[read()], out = [w];
    for (;;) {
      if (dict.length + 1 > (1 << width)) width++;
      if ((data.length - pos) * 6 + n < width) break;
      var k = read();
      var entry = k < dict.length ? dict[k] : k === dict.length ? w + w.charAt(0) : null;
      if (entry === null || w === undefined) throw new Error("bad code");
      out.push(entry);
      dict.push(w + entry.charAt(0));
      w = entry;
    }
    return out.join("");
  }

  function toBits(flags) {
    var out = "", acc = 0, n = 0;
    flags.forEach(function (f) {
      acc = (acc << 1) | (f ? 1 : 0);
      if (++n === 6) { out += B64.charAt(acc); acc = 0; n = 0; }
    });
    return "#" + out + (n ? B64.charAt(acc << (6 - n)) : "");
  }

  function fromBits(text, count) {
    var out = [];
    for (var i = 0; i < count; i++) out.push(((B64.indexOf(text.charAt(1 + Math.floor(i / 6))) >> (5 - (i % 6))) & 1) === 1);
    return out;
  }

  function fnv(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return (h >>> 0).toString(36);
  }

  function own(o, k) { return o != null && Object.prototype.hasOwnProperty.call(o, k); }
  function isMap(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function sortedIds(list) {
    return list.filter(function (x, i) { return typeof x === "string" && list.indexOf(x) === i; }).sort();
  }
  function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }

  function makeCodec(course) {
    var order = (course.pages || []).map(function (p) { return p.id; }), pages = sortedIds(order);
    var questions = {}, all = pages.slice();
    function addQuestions(q) { all.push(q.id, q.key); }
    Object.keys(course.quizzes || {}).forEach(function (id) {
      var list = course.quizzes[id].questions || [];
      list.forEach(addQuestions);
      questions[id] = sortedIds(list.map(function (q) { return q.id; }));
      all.push(id);
    });
    Object.keys(course.checks || {}).forEach(function (id) { all.push(id); addQuestions(course.checks[id]); });
    Object.keys(course.scenarios || {}).forEach(function (id) {
      all.push(id);
      all = all.concat(Object.keys(course.scenarios[id].nodes || {}));
    });
    var ids = sortedIds(all), index = Object.create(null);
    ids.forEach(function (id, i) { index[id] = "~" + i.toString(36); });
    var header = "1" + fnv(ids.join("\n")) + ".";

    function tokens(v, forward) {
      if (typeof v === "string") {
        if (forward) return index[v] || (v.charAt(0) === "~" ? "~" + v : v);
        if (v.charAt(0) !== "~") return v;
        if (v.charAt(1) === "~") return v.slice(1);
        var id = ids[parseInt(v.slice(1), 36)];
        return id === undefined ? v : id;
      }
      if (Array.isArray(v)) return v.map(function (x) { return tokens(x, forward); });
      if (isMap(v)) {
        var out = {};
        Object.keys(v).forEach(function (k) { out[tokens(k, forward)] = tokens(v[k], forward); });
        return out;
      }
      return v;
    }

    function pack(state) {
      var s = clone(state);
      if (Array.isArray(s.visited) && s.visited.every(function (id) { return pages.indexOf(id) >= 0; })) {
        s.visited = toBits(pages.map(function (id) { return s.visited.indexOf(id) >= 0; }));
      }
      if (isMap(s.quizzes)) Object.keys(s.quizzes).forEach(function (id) {
        var qs = s.quizzes[id], qids = questions[id];
        if (!isMap(qs) || !qids) return;
        var known = function (m) { return isMap(m) && Object.keys(m).every(function (k) { return qids.indexOf(k) >= 0; }); };
        if (known(qs.answers)) {
          var list = qids.map(function (q) { return own(qs.answers, q) ? qs.answers[q] : null; });
          while (list.length && list[list.length - 1] === null) list.pop();
          qs.answers = list;
        }
        if (known(qs.checked) && Object.keys(qs.checked).every(function (k) { return qs.checked[k] === true; })) {
          qs.checked = toBits(qids.map(function (q) { return own(qs.checked, q); }));
        }
      });
      return tokens(s, true);
    }

    function unpack(value) {
      var s = tokens(value, false);
      if (!isMap(s)) return null;
      if (typeof s.visited === "string") {
        var seen = fromBits(s.visited, pages.length);
        s.visited = order.filter(function (id) { return seen[pages.indexOf(id)]; });
      }
      if (isMap(s.quizzes)) Object.keys(s.quizzes).forEach(function (id) {
        var qs = s.quizzes[id], qids = questions[id] || [];
        if (!isMap(qs)) return;
        if (Array.isArray(qs.answers)) {
          var answers = {};
          qs.answers.forEach(function (r, i) { if (r !== null && qids[i]) answers[qids[i]] = r; });
          qs.answers = answers;
        }
        if (typeof qs.checked === "string") {
          var flags = fromBits(qs.checked, qids.length), checked = {};
          qids.forEach(function (q, i) { if (flags[i]) checked[q] = true; });
          qs.checked = checked;
        }
      });
      return s;
    }

    function encode(state) {
      var json = JSON.stringify(pack(state)).replace(/[\u0080-\uffff]/g, function (c) {
        return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
      });
      return header + lzw(json);
    }

    function decode(text) {
      if (typeof text !== "string" || text.indexOf(header) !== 0) return null;
      try {
        return unpack(JSON.parse(unlzw(text.slice(header.length))));
      } catch (e) {
        return null;
      }
    }

    function quizKind(id) { return course.quizzes && course.quizzes[id] ? course.quizzes[id].kind : null; }
    function eachQuiz(s, fn) {
      if (isMap(s.quizzes)) Object.keys(s.quizzes).forEach(function (id) { if (isMap(s.quizzes[id])) fn(s.quizzes[id], id); });
    }
    function forget(qs) { qs.answers = {}; qs.checked = {}; }
    function ratio(r) { return r && r.max > 0 ? r.points / r.max : 0; }

    /* What to give up, least important first, when the state does not fit: never the bookmark
       (location), the pages read (visited) or a quiz's results and scenario runs (completion). */
    var LADDER = [
      ["inline checks", function (s) { s.checks = {}; }],
      ["knowledge-check answers", function (s) {
        eachQuiz(s, function (qs, id) { if (qs.submitted && quizKind(id) !== "assessment") forget(qs); });
      }],
      ["older attempts", function (s) {
        eachQuiz(s, function (qs) {
          if (!Array.isArray(qs.results) || qs.results.length < 3) return;
          var best = qs.results.reduce(function (a, b) { return ratio(b) > ratio(a) ? b : a; });
          var last = qs.results[qs.results.length - 1];
          qs.results = best === last ? [best] : [best, last];
        });
      }],
      ["assessment answers", function (s) { eachQuiz(s, function (qs) { if (qs.submitted) forget(qs); }); }],
      ["answers in progress", function (s) { eachQuiz(s, forget); }],
      ["scenario paths", function (s) {
        if (!isMap(s.scenarios)) return;
        Object.keys(s.scenarios).forEach(function (id) {
          var runs = (s.scenarios[id] && s.scenarios[id].runs) || [];
          s.scenarios[id] = { runs: runs.map(function (r) { return { points: r && r.points, ending: r && r.ending }; }) };
        });
      }],
      ["quiz attempts", function (s) {
        var keep = { v: s.v, location: s.location, lang: s.lang, visited: s.visited, quizzes: {}, scenarios: s.scenarios };
        eachQuiz(s, function (qs, id) {
          keep.quizzes[id] = { attempt: qs.attempt, seed: qs.seed, submitted: qs.submitted, results: qs.results };
        });
        return keep;
      }],
      ["progress", function (s) { return { v: s.v, location: s.location, lang: s.lang, visited: s.visited }; }],
      ["everything but the bookmark", function (s) { return { v: s.v, location: s.location, lang: s.lang }; }]
    ];

    /* The longest encoding under `limit`: {text, dropped: [what was given up]}. */
    function fit(state, limit) {
      var text = encode(state), dropped = [], s = clone(state);
      for (var i = 0; text.length > limit && i < LADDER.length; i++) {
        s = LADDER[i][1](s) || s;
        dropped.push(LADDER[i][0]);
        text = encode(s);
      }
      return { text: text.length > limit ? "" : text, dropped: dropped };
    }

    return { encode: encode, decode: decode, fit: fit };
  }

  /* ---- SCORM formats ---- */

  function pad(n, size) { n = String(n); while (n.length < size) n = "0" + n; return n; }

  /* SCORM 1.2 timespan, HHHH:MM:SS.SS. */
  function hhmmss(ms) {
    var cs = Math.max(0, Math.round(ms / 10)), h = Math.min(9999, Math.floor(cs / 360000));
    return pad(h, 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" + pad(Math.floor(cs / 100) % 60, 2) +
      "." + pad(cs % 100, 2);
  }

  /* SCORM 2004 timeinterval, an ISO 8601 duration: PT1H2M3.45S. */
  function iso(ms) {
    var cs = Math.max(0, Math.round(ms / 10)), h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
  }

  /* One line of at most `max` characters: LMSs reject line breaks in these fields. */
  function clip(text, max) {
    text = String(text == null ? "" : text).replace(/\s+/g, " ").trim();
    return text.length > max ? text.slice(0, max) : text;
  }

  /* The correct-response patterns of one interaction: one per accepted fill-in answer (as many as
     the version takes: SCORM 2004 keeps 5 for a fill-in), else the one correct response. */
  function correctPatterns(prefix, i, v, wrap) {
    var list = i.type === "fill-in" && Array.isArray(i.accepted) && i.accepted.length ? i.accepted : [i.correct];
    var out = [], seen = {};
    list.forEach(function (answer) {
      var text = CW.responses.pattern(i.type, answer, v);
      if (text === null || seen[text] || out.length >= v.maxPatterns) return;
      seen[text] = true;
      out.push([prefix + "correct_responses." + out.length + ".pattern", wrap(text, i.type)]);
    });
    return out;
  }

  var SCORM12 = {
    name: "scorm12", version: "1.2", global: "API", limit: 4096, locationMax: 255, maxInteractions: Infinity, maxPatterns: 10,
    fn: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", text: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" },
    el: { location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit",
      time: "cmi.core.session_time", entry: "cmi.core.entry", mode: "cmi.core.lesson_mode",
      learner: "cmi.core.student_id", mastery: "cmi.student_data.mastery_score", count: "cmi.interactions._count",
      credit: "cmi.core.credit" },
    quietErrors: ["0", "401", "403"], alreadyStarted: ["101"],
    types: ["choice", "true-false", "fill-in", "matching", "sequencing", "likert", "numeric", "performance"],
    exit: { suspend: "suspend", normal: "" },
    comma: ",", dot: ".", bool: ["f", "t"],
    text: function (t) { return clip(t, 255); },
    mastery: function (v) { var n = parseFloat(v); return isFinite(n) && n >= 0 && n <= 100 ? n / 100 : null; },
    status: function (o) { // the verdict of results.js → [[element, value]], score first
      var out = [];
      if (o.score) {
        var pct = Math.round(o.score.scaled * 10000) / 100;
        out.push(["cmi.core.score.raw", pct], ["cmi.core.score.min", 0], ["cmi.core.score.max", 100]);
      }
      // One field for both: "failed" only when no attempt is left, "passed" only once complete.
      var status = o.success === "failed" ? "failed" : o.success === "passed" ? "passed"
        : o.completion === "completed" && !o.judged ? "completed" : "incomplete";
      out.push(["cmi.core.lesson_status", status]);
      return out;
    },
    rank: { "not attempted": 0, browsed: 0, incomplete: 1, failed: 2, completed: 2, passed: 3 },
    interaction: function (n, i) {
      var p = "cmi.interactions." + n + ".", d = i.timestamp instanceof Date ? i.timestamp : new Date();
      return [
        [p + "id", clip(i.key, 255).replace(/[^\x21-\x7e]/g, "_")],
        [p + "type", i.type],
        [p + "time", pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2)],
        [p + "weighting", i.weighting],
        [p + "student_response", CW.responses.pattern(i.type, i.response, SCORM12)]
      ].concat(correctPatterns(p, i, SCORM12, function (t) { return t; }), [
        [p + "result", i.result === "correct" ? "correct" : "wrong"],
        [p + "latency", hhmmss(i.latencyMs || 0)]
      ]);
    },
    duration: hhmmss
  };

  var SCORM2004 = {
    name: "scorm2004", version: "2004", global: "API_1484_11", limit: 64000, locationMax: 1000, maxInteractions: 250,
    maxPatterns: 5,
    fn: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
      error: "GetLastError", text: "GetErrorString", diagnostic: "GetDiagnostic" },
    el: { location: "cmi.location", suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time",
      entry: "cmi.entry", mode: "cmi.mode", learner: "cmi.learner_id", mastery: "cmi.scaled_passing_score",
      count: "cmi.interactions._count", credit: "cmi.credit" },
    quietErrors: ["0", "401", "403"], alreadyStarted: ["103"],
    types: ["choice", "true-false", "fill-in", "long-fill-in", "matching", "sequencing", "likert", "numeric",
      "performance", "other"],
    exit: { suspend: "suspend", normal: "normal" },
    comma: "[,]", dot: "[.]", bool: ["false", "true"],
    // "[,]" separates answers and a leading "{" opens a delimiter: neither may come from the learner.
    text: function (t) { t = clip(t.split("[,]").join(","), 250); return t.charAt(0) === "{" ? "(" + t.slice(1) : t; },
    mastery: function (v) { var n = parseFloat(v); return v !== "" && isFinite(n) && n >= -1 && n <= 1 ? n : null; },
    status: function (o) {
      var out = [];
      if (o.score) {
        var s = o.score.scaled, pct = Math.round(s * 10000) / 100;
        if (o.measure) out.push(["cmi.score.scaled", Math.round(s * 10000) / 10000]);
        out.push(["cmi.score.raw", pct], ["cmi.score.min", 0], ["cmi.score.max", 100]);
      }
      out.push(["cmi.completion_status", o.completion === "completed" ? "completed" : "incomplete"]);
      if (o.success === "passed" || o.success === "failed") out.push(["cmi.success_status", o.success]);
      return out;
    },
    rank: { "not attempted": 0, unknown: 0, incomplete: 1, failed: 2, completed: 2, passed: 3 },
    interaction: function (n, i) {
      var p = "cmi.interactions." + n + ".", d = i.timestamp instanceof Date ? i.timestamp : new Date();
      var out = [
        [p + "id", clip(i.key, 4000)],
        [p + "type", i.type],
        [p + "timestamp", d.toISOString().slice(0, 22) + "Z"],
        [p + "weighting", i.weighting],
        [p + "learner_response", CW.responses.pattern(i.type, i.response, SCORM2004)],
        [p + "result", i.result === "correct" ? "correct" : "incorrect"],
        [p + "latency", iso(i.latencyMs || 0)]
      ];
      out = out.concat(correctPatterns(p, i, SCORM2004, function (t, type) {
        return type === "fill-in" ? "{case_matters=false}" + t : t;
      }));
      if (i.description) out.push([p + "description", SCORM2004.text(i.description)]);
      return out;
    },
    duration: iso
  };

  /* ---- API discovery (ADL): this window and up to 7 parents, then the opener's. ---- */

  /* The API named `name` nearest to `win`: {api, distance} or null (the opener's count as further
     away than any parent). */
  function locateApi(win, name) {
    function valid(api) { return api && typeof api[name === "API" ? "LMSInitialize" : "Initialize"] === "function"; }
    function climb(w, base) {
      for (var level = 0; w && level <= 7; level++) {
        try { if (valid(w[name])) return { api: w[name], distance: base + level }; } catch (e) { /* another origin: keep climbing */ }
        var up = null;
        try { up = w.parent; } catch (e) { up = null; }
        if (!up || up === w) break;
        w = up;
      }
      return null;
    }
    var found = climb(win, 0);
    [function () { return win.opener; }, function () { return win.top.opener; }].forEach(function (get, i) {
      if (found) return;
      try { found = climb(get(), 10 * (i + 1)); } catch (e) { found = null; }
    });
    return found;
  }

  function findApi(win, name) {
    var found = locateApi(win, name);
    return found ? found.api : null;
  }

  /* ---- Language switches: another page of this package takes over the open session. ---- */

  var HANDOFF = "coursewright:scorm-handoff";

  function leadsToSiblingPage(target) {
    try {
      var link = target && target.closest ? target.closest("a[href]") : null;
      if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return false;
      var url = new URL(link.href, root.location.href), here = root.location;
      return url.origin === here.origin && url.pathname !== here.pathname && /\.html?$/.test(url.pathname);
    } catch (e) {
      return false;
    }
  }

  function giveHandoff(data) {
    try { root.sessionStorage.setItem(HANDOFF, JSON.stringify(data)); } catch (e) { /* no storage */ }
  }

  function takeHandoff() {
    try {
      var data = JSON.parse(root.sessionStorage.getItem(HANDOFF) || "null");
      root.sessionStorage.removeItem(HANDOFF);
      return data && typeof data.started === "number" ? data : null;
    } catch (e) {
      return null;
    }
  }

  /* ---- The tracker ---- */

  function ScormTracker(v, api, course) {
    this.v = v;
    this.api = api;
    this.course = course || {};
    this.codec = makeCodec(this.course);
    this.live = false;
    this.finished = false;
    this.written = {};
    this.dirty = false;
    this.lastCommit = 0;
    this.timer = null;
    this.warnings = 0;
    this.mode = "normal";
    this.rank = 0;
    this.mastery = null;
    this.count = 0;
    this.slots = {};
    this.started = Date.now();
    this.learner = "";
    this.storeKey = "coursewright:" + this.course.id + ":" + this.course.version + ":" + v.name;
  }

  ScormTracker.prototype.warn = function (message) {
    if (this.warnings++ < MAX_WARNINGS && root.console) {
      root.console.warn("Coursewright " + this.v.name + ": " + message +
        (this.warnings === MAX_WARNINGS ? " (further LMS warnings are not shown)" : ""));
    }
  };

  /* One API call: never throws; failures are logged with the LMS's own error text. */
  ScormTracker.prototype.call = function (fn, args, quiet) {
    var name = this.v.fn[fn], result;
    try {
      result = this.api[name].apply(this.api, args);
    } catch (e) {
      this.warn(name + "(" + args.join(", ") + ") threw: " + (e && e.message ? e.message : e));
      return { ok: false, value: "", code: "throw" };
    }
    var code = "0";
    if (fn === "get") code = String(this.lastError());
    var ok = fn === "get" ? code === "0" : String(result) === "true";
    if (!ok && fn !== "get") code = String(this.lastError());
    if (!ok && !(quiet && quiet.indexOf(code) >= 0)) {
      var text = "", diagnostic = "";
      try { text = this.api[this.v.fn.text](code); diagnostic = this.api[this.v.fn.diagnostic](code); } catch (e) { /* ignore */ }
      this.warn(name + "(" + args.join(", ").slice(0, 120) + ") failed: " + code + " " + text +
        (diagnostic && diagnostic !== text ? " (" + diagnostic + ")" : ""));
    }
    return { ok: ok, value: result == null ? "" : String(result), code: code };
  };

  ScormTracker.prototype.lastError = function () {
    try { return this.api[this.v.fn.error](); } catch (e) { return "throw"; }
  };

  ScormTracker.prototype.get = function (element) {
    return this.live ? this.call("get", [element], this.v.quietErrors).value : "";
  };

  /* Writes only what changed; returns whether the LMS accepted it. */
  ScormTracker.prototype.set = function (element, value) {
    if (!this.live || value === null || value === undefined) return false;
    value = String(value);
    if (this.written[element] === value) return true;
    var ok = this.call("set", [element, value]).ok;
    if (ok) { this.written[element] = value; this.dirty = true; }
    return ok;
  };

  ScormTracker.prototype.local = function (record) {
    try {
      var store = root.localStorage;
      if (record === undefined) return JSON.parse(store.getItem(this.storeKey) || "null");
      if (record === null) store.removeItem(this.storeKey);
      else store.setItem(this.storeKey, JSON.stringify(record));
    } catch (e) { /* storage blocked: the LMS copy is all there is */ }
    return null;
  };

  ScormTracker.prototype.start = function () {
    var v = this.v;
    var handoff = takeHandoff();
    var init = this.call("init", [""], handoff ? v.alreadyStarted : []);
    this.live = init.ok;
    if (!init.ok && handoff && v.alreadyStarted.indexOf(init.code) >= 0) {
      // Open already: the page before this one (another language) kept the session for us.
      this.live = this.call("get", [v.el.learner], v.quietErrors).code === "0";
    }
    // A refused initialize ends it: no further call (the LMS would only answer "not initialized").
    if (handoff && this.live) this.started = handoff.started;
    var local = this.local();
    if (!this.live) return local ? local.state : null;
    this.learner = this.get(v.el.learner);
    if (this.learner) { // each learner of a shared computer keeps their own copy
      this.storeKey += ":" + encodeURIComponent(this.learner);
      local = this.local();
    }
    this.mode = this.get(v.el.mode) || "normal";
    this.credit = this.get(v.el.credit) || "credit";
    this.mastery = v.mastery(this.get(v.el.mastery));
    var status = v.name === "scorm12" ? this.get("cmi.core.lesson_status") : this.get("cmi.completion_status");
    if (v.name === "scorm2004" && this.get("cmi.success_status") === "passed") status = "passed";
    this.rank = v.rank[status] || 0;
    this.count = parseInt(this.get(v.el.count), 10) || 0;
    if (local && local.learner !== this.learner) local = null;
    var state = this.codec.decode(this.get(v.el.suspend));
    if (!state && local && (!local.synced || this.get(v.el.entry) === "resume")) state = local.state;
    var location = this.get(v.el.location);
    if (location && !(state && state.location)) { state = state || {}; state.location = location; }
    if (this.mode === "normal") {
      if (this.rank === 0) this.setOutcome({ completion: "incomplete", success: "unknown", score: null });
      this.set(v.el.exit, v.exit.suspend); // from the start: a session that ends abruptly can resume
      this.flush();
    } else if (this.mode === "browse" && v.name === "scorm12" && this.rank === 0) {
      // A preview: without this, LMSFinish would turn "not attempted" into "completed".
      this.set("cmi.core.lesson_status", "browsed");
      this.flush();
    }
    this.listen();
    return state;
  };

  /* What the verdict needs from the LMS: its mastery score (0..1), the mode and the credit. */
  ScormTracker.prototype.lms = function () {
    return { mastery: this.live ? this.mastery : null, mode: this.mode, credit: this.credit || "credit", version: this.v.version };
  };

  /* Commit when the page is hidden and finish when it goes away (the runtime may call finish()
     too: it happens once). A click on a link to another page of this package (a language switch)
     sets keepSession, so finish() leaves the session open for that page. */
  ScormTracker.prototype.listen = function () {
    var self = this;
    try {
      root.addEventListener("pagehide", function () { self.finish(); });
      root.document.addEventListener("visibilitychange", function () {
        if (root.document.visibilityState === "hidden") self.flush();
      });
      root.addEventListener("click", function (event) {
        if (!event.defaultPrevented && leadsToSiblingPage(event.target)) {
          CW.scorm.keepSession = true;
          setTimeout(function () { CW.scorm.keepSession = false; }, 10000);
        }
      });
    } catch (e) { /* no window events: the runtime calls finish() itself */ }
  };

  ScormTracker.prototype.save = function (state) {
    var full = this.codec.encode(state), ok = true;
    if (this.live && this.mode !== "review") {
      var fitted = full.length <= this.v.limit ? { text: full, dropped: [] } : this.codec.fit(state, this.v.limit);
      if (fitted.dropped.length && fitted.dropped.join() !== this.dropped) {
        this.dropped = fitted.dropped.join();
        this.warn("suspend_data is limited to " + this.v.limit + " characters; left out: " + fitted.dropped.join(", "));
      }
      ok = this.set(this.v.el.suspend, fitted.text);
    }
    this.local({ state: state, learner: this.learner, synced: this.live && ok, saved: Date.now() });
    return ok;
  };

  ScormTracker.prototype.setLocation = function (pageId) {
    if (this.mode === "review" || typeof pageId !== "string" || pageId.length > this.v.locationMax) return false;
    return this.set(this.v.el.location, pageId);
  };

  ScormTracker.prototype.recordInteraction = function (i) {
    if (!i || this.mode !== "normal" || !this.live) return false;
    var type = i.type === "ordering" ? "sequencing" : i.type;
    if (this.v.types.indexOf(type) < 0) type = this.v.types[this.v.types.length - 1];
    var n = this.count < this.v.maxInteractions ? this.count++ : this.slots[i.key];
    if (n === undefined) { this.warn("the LMS keeps at most " + this.v.maxInteractions + " interactions"); return false; }
    this.slots[i.key] = n;
    var copy = {};
    Object.keys(i).forEach(function (k) { copy[k] = i[k]; });
    copy.type = type;
    var self = this, ok = true;
    this.v.interaction(n, copy).forEach(function (pair) { ok = self.set(pair[0], pair[1]) && ok; });
    this.commit();
    return ok;
  };

  /* The verdict of results.js, as it is: completion, success and score go to the LMS and are
     committed at once (an LMS that loses the close-time save still holds the result), with the exit
     that fits (suspend while incomplete) and the session time so far. */
  ScormTracker.prototype.setOutcome = function (o) {
    if (!o || this.mode !== "normal" || !this.live) return false;
    var completion = o.completion || (o.completed ? "completed" : "incomplete");
    var success = o.success || (o.passed === true ? "passed" : o.passed === false ? "failed" : "unknown");
    if (success === "passed" && completion !== "completed") success = "unknown"; // passed means complete
    var judged = o.hasPassRule !== undefined ? !!o.hasPassRule : o.passed !== null && o.passed !== undefined;
    // The score only with a decided result (or a complete course that is not judged): an LMS that
    // judges pass/fail from the score would otherwise say "passed" or "failed" too early.
    var score = o.score && (success !== "unknown" || (!judged && completion === "completed")) ? o.score : null;
    if (score && typeof score.scaled !== "number") {
      score = score.max > (score.min || 0) ? { scaled: (score.raw - (score.min || 0)) / (score.max - (score.min || 0)) } : null;
    }
    // Rule "each" (every assessment passed) is not a score threshold: 2004 gets no scaled score,
    // so an LMS cannot judge the measure against the pass mark and contradict the course.
    var outcome = { completion: completion, success: success, score: score, judged: judged,
      measure: !judged || o.rule === "score" };
    // The attempt is over when nothing the learner does can change the result; until then the exit
    // is "suspend", so a learner with attempts left comes back to them.
    this.completed = success !== "unknown" || (!judged && completion === "completed");
    var writes = this.v.status(outcome);
    var status = this.v.name === "scorm12" ? writes[writes.length - 1][1] : success === "passed" ? "passed" : completion;
    var rank = this.v.rank[status] || 0;
    if (rank < this.rank) return true; // never take back what the LMS already records
    this.rank = rank;
    var self = this, ok = true, changed = false;
    writes.forEach(function (pair) {
      var was = self.written[pair[0]];
      ok = self.set(pair[0], pair[1]) && ok;
      if (self.written[pair[0]] !== was) changed = true;
    });
    if (changed) {
      this.set(this.v.el.exit, this.completed ? this.v.exit.normal : this.v.exit.suspend);
      this.set(this.v.el.time, this.v.duration(Date.now() - this.started));
      this.dirty = true;
      this.flush();
    }
    return ok;
  };

  /* Throttled: at most one LMS commit every few seconds; flush() on hide and finish. */
  ScormTracker.prototype.commit = function () {
    if (!this.live || this.finished || !this.dirty) return true;
    var wait = this.lastCommit + COMMIT_INTERVAL - Date.now();
    if (wait <= 0) return this.flush();
    if (!this.timer) {
      var self = this;
      this.timer = setTimeout(function () { self.timer = null; self.flush(); }, wait);
    }
    return true;
  };

  ScormTracker.prototype.flush = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (!this.live || this.finished || !this.dirty) return true;
    this.dirty = false;
    this.lastCommit = Date.now();
    return this.call("commit", [""]).ok;
  };

  ScormTracker.prototype.finish = function () {
    if (this.finished) return true;
    if (!this.live) { this.finished = true; return true; }
    if (CW.scorm.keepSession) { // the next page of this package finishes the session
      this.finished = true;
      this.dirty = true;
      giveHandoff({ started: this.started });
      return this.flush();
    }
    if (this.mode === "normal") {
      this.set(this.v.el.exit, this.completed ? this.v.exit.normal : this.v.exit.suspend);
    }
    if (this.mode !== "review") this.set(this.v.el.time, this.v.duration(Date.now() - this.started));
    this.dirty = true;
    this.flush();
    this.finished = true;
    return this.call("finish", [""]).ok;
  };

  ScormTracker.prototype.reset = function () {
    this.local(null);
    this.set(this.v.el.suspend, "");
    return this.set(this.v.el.location, "");
  };

  /* The SCORM version the package's manifest declares: its launch parameter (?scorm=1.2 or 2004),
     or null for a course launched without one (then 2004 is looked for first). */
  function declaredVersion(win) {
    try {
      var match = /[?&]scorm=(1\.2|2004)(&|$)/.exec((win || root).location.search || "");
      return match ? match[1] : null;
    } catch (e) {
      return null;
    }
  }

  function factory(v, rank) {
    return {
      name: v.name,
      rank: rank,
      detect: function (win) {
        win = win || root;
        var declared = declaredVersion(win);
        if (declared) return declared === v.version ? findApi(win, v.global) : null;
        // Not declared: the nearer API (a launch page in between offers only its package's), and
        // 2004 when both are as near.
        var mine = locateApi(win, v.global);
        var other = locateApi(win, v.global === "API" ? "API_1484_11" : "API");
        if (!mine) return null;
        if (other && (other.distance < mine.distance || (other.distance === mine.distance && v.version === "1.2"))) return null;
        return mine.api;
      },
      create: function (api, course) { return new ScormTracker(v, api, course); }
    };
  }

  CW.trackers.push(factory(SCORM2004, 1), factory(SCORM12, 2));
  CW.scorm = { keepSession: false, codec: makeCodec, findApi: findApi, declaredVersion: declaredVersion,
    SCORM12: SCORM12, SCORM2004: SCORM2004, Tracker: ScormTracker, lzw: lzw, unlzw: unlzw,
    leadsToSiblingPage: leadsToSiblingPage };
})(globalThis);
