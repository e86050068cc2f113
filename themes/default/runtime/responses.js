/* Responses in the pattern syntax of SCORM and xAPI interactions: the one piece the SCORM and the
   xAPI trackers share. Each is a runtime part of its own (scorm, xapi), and both carry this file,
   so it defines itself once. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  if (CW.responses) return;

  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

  /* The letter that names an option, an item or a side (0 → "a"); null past the 36 there are. */
  function letter(i) { return typeof i === "number" && i >= 0 && i < LETTERS.length ? LETTERS.charAt(i) : null; }

  /* A response (neutral form) in a version's pattern syntax; null when it cannot be expressed. */
  function pattern(type, value, v) {
    var list = function (items, sep) { return items.indexOf(null) >= 0 ? null : items.join(sep); };
    if (value === null || value === undefined) return null;
    switch (type) {
      case "choice":
      case "sequencing":
        return Array.isArray(value) ? list(value.map(letter), v.comma) : null;
      case "matching":
        return Array.isArray(value) ? list(value.map(function (p) {
          var l = letter(p && p[0]), r = letter(p && p[1]);
          return l && r ? l + v.dot + r : null;
        }), v.comma) : null;
      case "true-false":
        return typeof value === "boolean" ? v.bool[value ? 1 : 0] : null;
      default:
        return v.text(String(value));
    }
  }

  CW.responses = { pattern: pattern, letter: letter };
})(globalThis);
