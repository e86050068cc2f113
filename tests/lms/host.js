/* The test LMS: scorm-again's Scorm12API or Scorm2004API, wrapped to record every call and, on
   request, to misbehave like a broken LMS; then the course is framed or opened in a new window. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var version = params.get("version") === "1.2" ? "1.2" : "2004";
  var fail = params.get("fail") || "";
  var settings = { logLevel: 5, autocommit: false };
  var api = version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  if (window.LMS_PRELOAD) api.loadFromFlattenedJSON(window.LMS_PRELOAD, "");

  var NAMES = version === "1.2"
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
       "LMSGetErrorString", "LMSGetDiagnostic"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
       "GetDiagnostic"];
  var ERROR_CALLS = NAMES.slice(5);
  var lms = window.lms = { version: version, api: api, calls: [], values: {}, rejected: 0 };

  /* Broken LMSs: "reject" answers false (error 101/351) to every write and commit, "throw" throws
     from every call but the error queries, "init" refuses to start. */
  function broken(name, args) {
    var write = /SetValue|Commit|Finish|Terminate/.test(name);
    if (fail === "throw" && ERROR_CALLS.indexOf(name) < 0) {
      lms.rejected++;
      lms.calls.push({ name: name, args: args, result: "threw", error: "" });
      throw new Error("LMS unavailable");
    }
    if (fail === "init" && /Initialize/.test(name)) return { result: "false", error: "101" };
    if (fail === "reject" && write) return { result: "false", error: version === "1.2" ? "101" : "351" };
    return null;
  }

  var lastError = null;
  var wrapper = {};
  NAMES.forEach(function (name) {
    wrapper[name] = function () {
      var args = Array.prototype.slice.call(arguments);
      if (ERROR_CALLS.indexOf(name) >= 0) {
        if (name.indexOf("GetLastError") >= 0 && lastError !== null) return lastError;
        return api[name].apply(api, args);
      }
      var fake = broken(name, args);
      var result = fake ? fake.result : api[name].apply(api, args);
      lastError = fake ? fake.error : null;
      var error = fake ? fake.error : String(api[version === "1.2" ? "LMSGetLastError" : "GetLastError"]());
      lms.calls.push({ name: name, args: args, result: String(result), error: error });
      if (fake) lms.rejected++;
      else if (/SetValue/.test(name) && String(result) === "true") lms.values[args[0]] = String(args[1]);
      return result;
    };
  });
  window[version === "1.2" ? "API" : "API_1484_11"] = wrapper;

  /* A Moodle-like LMS (?moodle=1): every commit sends the whole data model to the server (here
     lms.server, what the LMS keeps); while the course is unloading (lms.unloading, set by the test
     before it takes the course away) the body goes by beacon, and a beacon over 64 KiB is dropped,
     as Chromium drops it. */
  if (params.get("moodle")) {
    var BEACON_LIMIT = 65536;
    lms.server = null;
    lms.beacons = { sent: 0, dropped: 0, largest: 0 };
    lms.unloading = false;
    /* The body as Moodle posts it: every element of the data model, form-encoded. */
    var formBody = function () {
      var parts = [];
      (function walk(prefix, value) {
        if (value && typeof value === "object") {
          Object.keys(value).forEach(function (k) { walk(prefix ? prefix + "." + k : k, value[k]); });
        } else {
          parts.push(encodeURIComponent(prefix.replace(/\./g, "__")) + "=" + encodeURIComponent(value == null ? "" : value));
        }
      })("cmi", lms.snapshot());
      return parts.join("&");
    };
    var send = function () {
      var body = JSON.stringify(lms.snapshot());
      if (!lms.unloading) { lms.server = JSON.parse(body); return; }
      var bytes = new TextEncoder().encode(formBody()).length;
      lms.beacons.largest = Math.max(lms.beacons.largest, bytes);
      if (bytes > BEACON_LIMIT) { lms.beacons.dropped++; return; }
      lms.beacons.sent++;
      lms.server = JSON.parse(body);
    };
    /* Moodle's SCORM 1.2 finish: "not attempted" becomes "completed", and with "mastery score
       overrides status" (on by default) a raw score and a mastery score decide passed or failed,
       whatever status the course sent. */
    if (version === "1.2" && !api.cmi.core.credit) api.cmi.core.credit = "credit";  // as Moodle launches a normal attempt
    var finish12 = function () {
      var core = api.cmi.core;
      if (core.lesson_status === "not attempted") core.lesson_status = "completed";
      var mastery = api.cmi.student_data.mastery_score, raw = core.score.raw;
      if (core.lesson_mode === "normal" && core.credit === "credit" && mastery !== "" && raw !== "") {
        core.lesson_status = parseFloat(raw) >= parseFloat(mastery) ? "passed" : "failed";
      }
    };
    ["Commit", "LMSCommit", "Terminate", "LMSFinish"].forEach(function (name) {
      if (!wrapper[name]) return;
      var inner = wrapper[name];
      wrapper[name] = function () {
        if (name === "LMSFinish") finish12();
        var result = inner.apply(this, arguments);
        if (String(result) === "true") send();
        return result;
      };
    });
  }

  /* Everything the course stored, as flattened cmi values (what a real LMS keeps between visits). */
  lms.snapshot = function () {
    return JSON.parse(JSON.stringify(api.renderCMIToJSONObject ? api.renderCMIToJSONObject() : api.cmi));
  };
  lms.count = function (name) {
    return lms.calls.filter(function (c) { return c.name === name; }).length;
  };

  var launch = params.get("launch");
  if (params.get("open") === "window") {
    document.getElementById("course").remove();
    lms.popup = window.open(launch, "course");
  } else {
    document.getElementById("course").src = launch;
  }
})();
