/* Coursewright core: the namespace, interface strings, events, and small pure helpers
   (seeded random numbers, shuffling, text comparison) that the other modules share. */
(function (root) {
  "use strict";
  var CW = root.Coursewright = root.Coursewright || {};

  // Tracker factories, in order of preference; runtime/scorm.js pushes its own before boot.
  CW.trackers = CW.trackers || [];

  /* Interface strings: one catalogue per course language, with {placeholders}. */
  CW.strings = {};
  CW.language = "en";

  /* Numbers and dates in the course language (or `language`), written with the catalogue's `digits`
     (as the builder writes them), so one page never mixes two sets of numerals, whatever digits the
     browser's own data gives that language. */
  function catalogueDigits() {
    var digits = String(CW.strings.digits || "");
    return digits.length === 10 ? digits : "";
  }
  /* One formatter per kind and locale: the browser's first takes a tenth of a second on a slow
     phone, the next ones add up over a thousand-lesson course's contents. */
  var formatters = [];
  function formatter(make, locale) {
    for (var i = 0; i < formatters.length; i++) {
      if (formatters[i][0] === make && formatters[i][1] === locale) return formatters[i][2];
    }
    var made = make(locale);
    formatters.push([make, locale, made]);
    return made;
  }
  CW.localFormat = function (make, value, language) {
    var digits = catalogueDigits();
    var locale = language || CW.language;
    var text;
    // Latin digits group nothing below a thousand in any locale: no formatter needed.
    if (digits && make === numbers && value >= 0 && value < 1000 && value === Math.floor(value)) text = String(value);
    else {
      try {
        text = formatter(make, digits ? locale + "-u-nu-latn" : locale).format(value);
      } catch (e) {
        return String(value);
      }
    }
    return digits ? text.replace(/[0-9]/g, function (d) { return digits.charAt(+d); }) : text;
  };
  function numbers(locale) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  }
  CW.formatNumber = function (value) {
    return CW.localFormat(numbers, Number(value));
  };

  /* A YYYY-MM-DD date as that day at midnight UTC, null when the text is no such date; and the long
     form of a date in a locale, always in the Gregorian calendar (the course's dates are). */
  CW.isoDay = function (iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  };
  CW.longDate = function (locale) {
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", calendar: "gregory", timeZone: "UTC" });
  };

  CW.format = function (text, params) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      if (!params || !(name in params)) return whole;
      var value = params[name];
      return typeof value === "number" ? CW.formatNumber(value) : String(value);
    });
  };

  CW.t = function (key, params) {
    var text = CW.own(CW.strings, key) ? CW.strings[key] : key;
    return CW.format(text, params);
  };

  /* Events: a tiny publish/subscribe bus; a failing listener never stops the others. */
  var listeners = {};
  CW.on = function (name, fn) {
    (listeners[name] = listeners[name] || []).push(fn);
  };
  CW.emit = function (name, detail) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try {
        fn(detail);
      } catch (e) {
        CW.report(e);
      }
    });
  };
  CW.report = function (error) {
    if (root.console && root.console.warn) root.console.warn("Coursewright:", error);
  };

  /* Seeded pseudo-random numbers (mulberry32): the same seed gives the same sequence. */
  CW.rng = function (seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };

  CW.newSeed = function () {
    return Math.floor(Math.random() * 4294967296) >>> 0;
  };

  /* A stable 32-bit number for a string (FNV-1a), to derive seeds from ids. */
  CW.hash = function (text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  };

  /* Fisher-Yates on a copy. */
  CW.shuffle = function (list, random) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  };

  /* A shuffle that never leaves the list in its original order (when it has two items or more):
     used where the original order is the answer (ordering items, matching pairs). */
  CW.scramble = function (list, random) {
    var out = CW.shuffle(list, random);
    if (out.length > 1 && out.every(function (x, i) { return x === list[i]; })) {
      out.push(out.shift());
    }
    return out;
  };

  CW.range = function (n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  };

  /* Fill-in answers compare without regard to case or spaces. */
  CW.normalizeAnswer = function (text) {
    return String(text == null ? "" : text).normalize("NFKC").toLocaleLowerCase().replace(/\s+/g, "");
  };

  CW.own = function (object, key) {
    return object != null && Object.prototype.hasOwnProperty.call(object, key);
  };
})(globalThis);
