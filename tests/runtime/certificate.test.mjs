// The certificate's pure parts: the self-contained SHA-256 against the standard's vectors and
// Node's own implementations (node:crypto and Web Crypto), UTF-8, base 32, and the verification code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, webcrypto } from "node:crypto";
import { PURE, load, plain } from "./load.mjs";

const CW = load([...PURE, "certificate.js"], { TextEncoder }); // a browser global the bare context lacks
const C = CW.certificate;

const hex = (bytes) => bytes.map((v) => v.toString(16).padStart(2, "0")).join("");
const hexOf = (text) => hex(plain(C.sha256(C.utf8(text))));
const nodeHex = (text) => createHash("sha256").update(text, "utf8").digest("hex");
const b32 = (bytes) => C.base32(Array.from(bytes));

test("SHA-256 gives the standard's test vectors (FIPS 180-4 examples, NIST CAVS)", () => {
  assert.equal(hexOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(hexOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(hexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  assert.equal(hexOf("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  assert.equal(hexOf("a".repeat(1000000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
});

test("SHA-256 agrees with node:crypto at every padding boundary and on any text", () => {
  for (let n = 0; n <= 130; n++) {
    const text = "x".repeat(n);
    assert.equal(hexOf(text), nodeHex(text), `${n} bytes`);
  }
  const samples = ["Zoë Ángel Núñez", "محمد رضایی", "Nguyễn Thị Minh Khai", "王小明", "emoji 👩🏽‍⚖️ ok", "a|b|c", "\u0000\u00ff\uffff"];
  for (const text of samples) assert.equal(hexOf(text), nodeHex(text), text);
});

test("SHA-256 agrees with Web Crypto (crypto.subtle), which a browser may offer where it is a secure context", async () => {
  for (const text of ["", "abc", "ct-consular|1.0.0|Ana María Pérez|2025-03-14|90", "محمد|x".repeat(40)]) {
    const digest = new Uint8Array(await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
    assert.deepEqual(plain(C.sha256(C.utf8(text))), Array.from(digest), text);
  }
});

test("UTF-8 bytes are TextEncoder's, a lone surrogate included", () => {
  for (const text of ["", "plain", "é", "€", "𝄞", "👩🏽‍⚖️", "ab\ud800cd", "\udc00", "end\ud83d"]) {
    assert.deepEqual(plain(C.utf8(text)), Array.from(new TextEncoder().encode(text)), JSON.stringify(text));
  }
});

test("base 32 is RFC 4648's (alphabet A-Z 2-7, no padding)", () => {
  const enc = (s) => b32(new TextEncoder().encode(s));
  assert.equal(enc(""), "");
  assert.equal(enc("f"), "MY");
  assert.equal(enc("fo"), "MZXQ");
  assert.equal(enc("foo"), "MZXW6");
  assert.equal(enc("foob"), "MZXW6YQ");
  assert.equal(enc("fooba"), "MZXW6YTB");
  assert.equal(enc("foobar"), "MZXW6YTBOI");
  const digest = createHash("sha256").update("abc").digest(); // Python: base64.b32encode(sha256(b"abc").digest()), padding off
  assert.equal(b32(digest), "XJ4BNP4PAHH6UQKBIDPF3LRCEOYAGYNDSYLXVHFUCD7WD4QACWWQ");
});

test("the verification code: the first 10 base-32 characters of SHA-256(id|version|name|date|score), in two groups", () => {
  const fields = { courseId: "ct-consular", version: "1.0.0", name: "Ana María Pérez", date: "2025-03-14", score: 90 };
  assert.equal(C.codeText(fields), "ct-consular|1.0.0|Ana María Pérez|2025-03-14|90");
  // The same code from Node's own SHA-256 and base 32 (what an organisation would compute).
  const expected = b32(createHash("sha256").update(C.codeText(fields), "utf8").digest()).slice(0, 10);
  assert.equal(C.verificationCode(fields), expected.slice(0, 5) + "-" + expected.slice(5));
  // Fixed values, recomputed with Python's hashlib and base64.b32encode.
  assert.equal(C.verificationCode(fields), "CDUSR-HZJBO");
  assert.equal(C.verificationCode({ ...fields, score: null }), "ZK4N7-YMZB5", "an unscored course: empty score");
  assert.equal(C.verificationCode({ courseId: "x", version: "1", name: "محمد رضایی", date: "2025-03-14", score: 100 }), "K6FXS-TNN4P");
  // Every field counts.
  const base = C.verificationCode(fields);
  for (const [key, value] of Object.entries({ courseId: "ct-other", version: "1.0.1", name: "Ana Maria Perez", date: "2025-03-15", score: 91 })) {
    assert.notEqual(C.verificationCode({ ...fields, [key]: value }), base, key);
  }
  assert.match(base, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
});

test("the name is taken as printed: NFC, trimmed, white space runs made one space", () => {
  assert.equal(C.normalizeName("  Ana \t María\u00a0 Pérez \n"), "Ana María Pérez");
  assert.equal(C.normalizeName("Pe\u0301rez"), "P\u00e9rez");
  assert.equal(C.normalizeName(null), "");
  const fields = { courseId: "c", version: "1", date: "2025-01-01", score: 80 };
  assert.equal(C.verificationCode({ ...fields, name: " Pe\u0301rez  Ana " }), C.verificationCode({ ...fields, name: "P\u00e9rez Ana" }));
});

test("dates: the learner's calendar day, in words in the course language, Gregorian in Persian and Arabic too", () => {
  assert.equal(C.isoDate(new Date(2025, 2, 4, 23, 59)), "2025-03-04");
  assert.equal(C.formatDate("2025-03-14", "en"), "March 14, 2025");
  const digits = (s) => s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660)).replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
  for (const lang of ["fa", "fa-IR", "ar", "ar-SA", "ar-EG"]) {
    const text = digits(C.formatDate("2025-03-14", lang));
    assert.match(text, /2025/, `${lang}: ${text}`);
    assert.match(text, /14/, `${lang}: ${text}`);
    assert.doesNotMatch(text, /140[34]|144[67]/, `${lang}: not the Persian or Hijri year`);
  }
  assert.equal(C.formatDate("not a date", "en"), "not a date");
});

test("the date is written in the catalogue's digits, as the rest of the page, whatever the browser's own for the language", () => {
  const saved = CW.strings;
  try {
    CW.strings = { digits: "0123456789" }; // the sample course's Arabic
    assert.equal(C.formatDate("2025-03-14", "ar"), "14 مارس 2025");
    CW.strings = { digits: "٠١٢٣٤٥٦٧٨٩" }; // a course written with Arabic-Indic digits
    assert.equal(C.formatDate("2025-03-14", "ar"), "١٤ مارس ٢٠٢٥");
    CW.strings = { digits: "۰۱۲۳۴۵۶۷۸۹" }; // Persian
    assert.equal(C.formatDate("2025-03-14", "fa"), "۱۴ مارس ۲۰۲۵");
  } finally {
    CW.strings = saved;
  }
});

test("the certificate is offered when the verdict says so, and only then", () => {
  assert.equal(C.eligible({ completed: false, passed: null, certificate: false }), false);
  assert.equal(C.eligible({ completed: true, passed: false, certificate: false }), false);
  assert.equal(C.eligible({ completed: true, passed: null, certificate: false }), false, "passing still pending");
  assert.equal(C.eligible({ completed: true, passed: true, certificate: true }), true);
  assert.equal(C.eligible(null), false);
});

test("the certificate's values come from the course, the progress summary, the name and the day", () => {
  const course = { id: "ct-consular", version: "1.0.0" };
  const summary = { completed: true, passed: true, score: { scaled: 0.9, raw: 90, min: 0, max: 100 } };
  const v = plain(C.values(course, summary, "  Ana María Pérez ", new Date(2025, 2, 14, 10)));
  assert.deepEqual(v, { courseId: "ct-consular", version: "1.0.0", name: "Ana María Pérez", date: "2025-03-14", score: 90, code: "CDUSR-HZJBO" });
  assert.equal(C.scorePercent({ score: { scaled: 0.8449, raw: 84.49, min: 0, max: 100 } }), 84);
  // The end screen's figure, from the same verdict: 23 of 40 points is 58 %, never 57 % (0.575 * 100).
  const verdict = CW.results.verdict(
    { pages: [{ id: "q", kind: "quiz" }], modules: [], quizzes: { q: { kind: "assessment", pass_mark: 50, attempts: 0 } }, scenarios: {} },
    { v: 1, visited: [], quizzes: { q: { results: [{ points: 23, max: 40 }] } }, checks: {}, scenarios: {} }, null);
  assert.equal(verdict.score.scaled, 0.575);
  assert.equal(C.scorePercent(verdict), CW.results.percent(verdict.score));
  assert.equal(C.scorePercent(verdict), 58);
  assert.equal(C.scorePercent({ score: null }), null);
  const unscored = plain(C.values(course, { completed: true, passed: null, score: null }, "Ana María Pérez", new Date(2025, 2, 14)));
  assert.equal(unscored.score, null);
  assert.equal(unscored.code, "ZK4N7-YMZB5");
});
