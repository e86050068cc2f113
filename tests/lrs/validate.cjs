// Checks xAPI statements with Learning Locker's validator: reads a JSON array on stdin and prints,
// as JSON, one list of problems per statement (empty when the statement is valid).
"use strict";
const path = require("path");
const validate = require(path.join(__dirname, "..", "js", "node_modules", "@learninglocker", "xapi-validation")).default;

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const statements = JSON.parse(input);
  const problems = statements.map((s) => validate(s).map((w) => `${w.path.join(".")}: ${w.constructor.name} ${w.message || ""}`.trim()));
  process.stdout.write(JSON.stringify(problems));
});
