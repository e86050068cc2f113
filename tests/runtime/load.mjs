// Loads the theme's runtime files into a fresh context, the way the course page concatenates them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "themes", "default", "runtime");

export const PURE = ["core.js", "storage.js", "progress.js", "results.js", "questions.js", "quiz.js", "scenario.js"];

export function load(files = PURE, extra = {}) {
  const context = vm.createContext({ console, ...extra });
  context.window = context;
  for (const file of files) {
    vm.runInContext(readFileSync(join(RUNTIME, file), "utf8"), context, { filename: file });
  }
  return context.Coursewright;
}

// Values from the context compare with deepStrictEqual after a JSON round trip (other realm).
export const plain = (value) => JSON.parse(JSON.stringify(value));
