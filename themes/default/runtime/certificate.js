/* Certificate: at the end screen, a learner who has completed the course (and passed it, when the
   course has a pass mark) enters a name and gets a certificate to print or save as a PDF: the
   organisation, the course title and version, the name, the date, the score (when the course is
   scored) and a verification code. Nothing leaves the page.

   The verification code, so that an organisation can recompute it from a certificate:
     text  = course id + "|" + version + "|" + name + "|" + date + "|" + score
             name   the name exactly as printed (what the learner typed, Unicode NFC, with the
                    white space at its ends removed and each run of white space inside made one space)
             date   the date of issue as YYYY-MM-DD (Gregorian, the learner's own calendar day)
             score  the course score in whole percent, rounded as the end screen shows it, in
                    digits 0-9 without the percent sign, e.g. "92"; "" when the course is not scored
     code  = the first 10 characters of the base-32 form (RFC 4648: A-Z, 2-7) of the SHA-256
             digest of the text's UTF-8 bytes, printed in two groups of five: "ABCDE-FGH23"
   In Python: base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()[:10]
   SHA-256 is computed below in plain JavaScript, the same in every browser, from file:// too
   (crypto.subtle is missing from file:// pages in some browsers). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;

  /* --- SHA-256 (FIPS 180-4) and base 32 (RFC 4648), pure ---------------------------------- */

  /* The round constants and the initial hash: the first 32 bits of the fractional parts of the cube
     roots of the first 64 primes, and of the square roots of the first 8 (FIPS 180-4, 4.2.2 and
     5.3.3). Each lies more than 0.005 of its last bit away from a rounding edge, far beyond the error
     of a double's root, so every browser computes the same table (the test vectors check it). */
  var PRIMES = [];
  for (var candidate = 2; PRIMES.length < 64; candidate++) {
    if (PRIMES.every(function (p) { return candidate % p; })) PRIMES.push(candidate);
  }
  function fraction32(x) {
    return ((x - Math.floor(x)) * 4294967296) | 0;
  }
  var K = PRIMES.map(function (p) { return fraction32(Math.cbrt(p)); });
  var INITIAL = PRIMES.slice(0, 8).map(function (p) { return fraction32(Math.sqrt(p)); });

  /* A string's UTF-8 bytes, as a list (TextEncoder's: a lone surrogate becomes U+FFFD). */
  function utf8(text) {
    return Array.from(new TextEncoder().encode(String(text)));
  }

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  /* The SHA-256 digest of a list of bytes (numbers 0-255), as 32 bytes. */
  function sha256(bytes) {
    var n = bytes.length;
    var words = [];
    var total = ((n + 8) >> 6) * 16 + 16; // 32-bit words: message, 0x80, zeros, 64-bit length
    for (var z = 0; z < total; z++) words.push(0);
    for (var i = 0; i < n; i++) words[i >> 2] |= (bytes[i] & 255) << (24 - (i % 4) * 8);
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    words[total - 2] = Math.floor(n / 0x20000000);
    words[total - 1] = (n * 8) >>> 0;
    var H = INITIAL.slice();
    var w = new Array(64);
    for (var j = 0; j < total; j += 16) {
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (var r = 0; r < 64; r++) {
        if (r < 16) {
          w[r] = words[j + r] | 0;
        } else {
          var x = w[r - 15];
          var y = w[r - 2];
          w[r] = (w[r - 16] + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[r - 7] + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) | 0;
        }
        var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[r] + w[r]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, h].forEach(function (v, k) { H[k] = (H[k] + v) | 0; });
    }
    var out = [];
    H.forEach(function (v) { out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255); });
    return out;
  }

  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /* RFC 4648 base 32 without padding. */
  function base32(bytes) {
    var out = "";
    var bits = 0;
    var value = 0;
    for (var i = 0; i < bytes.length; i++) {
      value = ((value << 8) | bytes[i]) & 0xfff;
      bits += 8;
      while (bits >= 5) {
        out += BASE32.charAt((value >>> (bits - 5)) & 31);
        bits -= 5;
      }
    }
    if (bits > 0) out += BASE32.charAt((value << (5 - bits)) & 31);
    return out;
  }

  /* --- the certificate's values, pure ----------------------------------------------------- */

  function normalizeName(name) {
    return String(name == null ? "" : name).normalize("NFC").replace(/\s+/g, " ").trim();
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* The learner's calendar day as YYYY-MM-DD. */
  function isoDate(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /* A YYYY-MM-DD date in words, in the course language, always in the Gregorian calendar, in the
     digits the rest of the page uses (the catalogue's, as the dates of the lessons are). */
  function formatDate(iso, language) {
    var day = CW.isoDay(iso);
    return day ? CW.localFormat(CW.longDate, day, language) : String(iso);
  }

  /* The course score in whole percent, the end screen's own figure, or null when not scored. */
  function scorePercent(summary) {
    return summary && summary.score ? CW.results.percent(summary.score) : null;
  }

  function codeText(fields) {
    var score = fields.score === null || fields.score === undefined ? "" : String(fields.score);
    return [fields.courseId, fields.version, normalizeName(fields.name), fields.date, score].join("|");
  }

  function verificationCode(fields) {
    var code = base32(sha256(utf8(codeText(fields)))).slice(0, 10);
    return code.slice(0, 5) + "-" + code.slice(5);
  }

  /* The verdict's word (results.js): completed and passed, or completed when nothing is assessed. */
  function eligible(summary) {
    return !!summary && summary.certificate === true;
  }

  /* Everything the certificate shows, from the course, the progress summary, a name and a day. */
  function values(course, summary, name, now) {
    var fields = {
      courseId: course.id,
      version: String(course.version),
      name: normalizeName(name),
      date: isoDate(now || new Date()),
      score: scorePercent(summary)
    };
    fields.code = verificationCode(fields);
    return fields;
  }

  /* --- the end screen's form and the certificate (DOM) --------------------------------------- */

  function init(app, section) {
    var box = section && section.querySelector(".certificate-offer");
    if (!box) return;
    var form = box.querySelector(".certificate-form");
    var input = box.querySelector(".certificate-input");
    var error = box.querySelector(".certificate-error");
    var result = box.querySelector(".certificate-result");
    var paper = box.querySelector(".certificate");
    var html = document.documentElement;
    var made = null;

    function field(name) {
      return paper.querySelector('[data-field="' + name + '"]');
    }

    /* Printing shows the certificate alone while it is on screen: every element beside the path
       from <body> down to it is left out (css/certificate.css). */
    function printMode(on) {
      var node = paper.parentNode;
      while (node && node !== document.documentElement) {
        if (node.classList) node.classList.toggle("certificate-path", on);
        node = node.parentNode;
      }
      html.classList.toggle("print-certificate", on);
    }

    function showError(text) {
      error.textContent = text;
      error.hidden = !text;
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }

    function fill() {
      var v = values(app.course, app.summary, made.name, made.day);
      field("name").textContent = v.name;
      field("statement").textContent = t(app.summary.passed === true ? "certificate_passed" : "certificate_completed");
      var date = field("date");
      date.setAttribute("datetime", v.date);
      date.textContent = formatDate(v.date, CW.language);
      var scoreRow = field("score-row");
      scoreRow.hidden = v.score === null;
      field("score").textContent = v.score === null ? "" : t("percent", { n: v.score });
      field("code").textContent = v.code;
      paper.setAttribute("data-code", v.code);
      paper.setAttribute("data-score", v.score === null ? "" : String(v.score));
    }

    function update() {
      var ok = eligible(app.summary);
      box.hidden = !ok;
      if (!ok) {
        made = null;
        result.hidden = true;
        showError("");
      } else if (made) {
        fill();
      }
      printMode(!!made && section.classList.contains("is-current"));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!eligible(app.summary)) return;
      var name = normalizeName(input.value);
      if (!name) {
        showError(t("certificate_name_missing"));
        input.focus();
        CW.announce(t("certificate_name_missing"));
        return;
      }
      showError("");
      input.value = name;
      made = { name: name, day: new Date() };
      fill();
      result.hidden = false;
      printMode(true);
      paper.focus();
      CW.announce(t("certificate_ready"));
    });
    input.addEventListener("input", function () {
      if (!error.hidden && normalizeName(input.value)) showError("");
    });
    box.addEventListener("click", function (event) {
      var button = event.target.closest('button[data-action="certificate-print"]');
      if (!button || !made) return;
      printMode(true);
      root.print();
    });
    CW.on("page", update);
    CW.on("progress", update);
    update();
  }

  CW.certificate = {
    utf8: utf8,
    sha256: sha256,
    base32: base32,
    normalizeName: normalizeName,
    isoDate: isoDate,
    formatDate: formatDate,
    scorePercent: scorePercent,
    codeText: codeText,
    verificationCode: verificationCode,
    eligible: eligible,
    values: values,
    init: init
  };
})(globalThis);
