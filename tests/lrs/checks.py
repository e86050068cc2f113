"""What the tests check in statements read back from the LRS: the xAPI validator and the cmi5 rules."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}


def log_queued_script(storage: str) -> str:
    """An init script that logs every statement the course queues, in order, as [id, verb] in
    `storage` (sessionStorage or localStorage) under test:queued."""
    return """
(() => {
  const CW = window.Coursewright = window.Coursewright || {};
  let lrs = null;
  Object.defineProperty(CW, "lrs", { configurable: true, get: () => lrs, set: (value) => {
    lrs = value;
    const add = value.Queue.prototype.add;
    value.Queue.prototype.add = function (endpoint, auth, statement) {
      const ids = JSON.parse(STORE.getItem("test:queued") || "[]");
      ids.push([statement.id, statement.verb.id.split("/").pop()]);
      STORE.setItem("test:queued", JSON.stringify(ids));
      return add.call(this, endpoint, auth, statement);
    };
  } });
})();
""".replace("STORE", storage)


def verb(statement: dict[str, Any]) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def categories(statement: dict[str, Any]) -> set[str]:
    return {a["id"] for a in statement.get("context", {}).get("contextActivities", {}).get("category", [])}


def is_defined(statement: dict[str, Any]) -> bool:
    return CMI5_CATEGORY in categories(statement)


def by_time(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(statements, key=lambda s: s["timestamp"])


def validator_problems(statements: list[dict[str, Any]]) -> list[str]:
    """Problems Learning Locker's xAPI validator finds, as 'verb id: problem' lines."""
    node = shutil.which("node")
    package = HERE.parent / "js" / "node_modules" / "@learninglocker" / "xapi-validation"
    if not node or not package.is_dir():
        reason = "the xAPI validator is not installed: run npm ci --prefix tests/js (Node.js 20 or later)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(reason)
    answer = subprocess.run([node, str(HERE / "validate.cjs")], input=json.dumps(statements), text=True,
                            capture_output=True, check=True, timeout=120)
    found = json.loads(answer.stdout)
    return [f"{verb(s)} {s['id']}: {p}" for s, problems in zip(statements, found) for p in problems]


def cmi5_problems(statements: list[dict[str, Any]], *, session_id: str, activity_id: str,
                  mastery: float | None) -> list[str]:
    """The AU's statements of one session against the cmi5 rules (spec sections 9.3 to 9.6)."""
    problems: list[str] = []
    ordered = by_time(statements)
    if not ordered or verb(ordered[0]) != "initialized":
        problems.append("the first statement is not initialized")
    if not ordered or verb(ordered[-1]) != "terminated":
        problems.append("the last statement is not terminated")
    defined = [s for s in ordered if is_defined(s)]
    names = [verb(s) for s in defined]
    if len(names) != len(set(names)):
        problems.append(f"a defined verb repeats in the session: {names}")
    if sum(n in ("passed", "failed") for n in names) > 1:
        problems.append(f"both passed and failed in one session: {names}")
    for s in ordered:
        name, context, result = verb(s), s.get("context", {}), s.get("result", {})
        if context.get("extensions", {}).get(SESSION_ID) != session_id:
            problems.append(f"{name}: no session id")
        if is_defined(s):
            if name not in DEFINED:
                problems.append(f"{name}: a cmi5 category on a verb cmi5 does not define")
            if s["object"]["id"] != activity_id:
                problems.append(f"{name}: object is not the AU")
            if ("success" in result) != (name in ("passed", "failed")):
                problems.append(f"{name}: success where it must not be, or missing")
            if ("completion" in result) != (name == "completed"):
                problems.append(f"{name}: completion where it must not be, or missing")
            if "score" in result and name not in ("passed", "failed"):
                problems.append(f"{name}: a score")
            if name != "initialized" and "duration" not in result:
                problems.append(f"{name}: no duration")
            if (MOVEON in categories(s)) != (name in ("completed", "passed", "failed")):
                problems.append(f"{name}: moveon category wrong")
            if name in ("passed", "failed") and mastery is not None:
                if context.get("extensions", {}).get(MASTERY) != mastery:
                    problems.append(f"{name}: no masteryScore extension")
                scaled = result.get("score", {}).get("scaled")
                if scaled is not None and (scaled >= mastery) != (name == "passed"):
                    problems.append(f"{name}: scaled score {scaled} disagrees with masteryScore {mastery}")
        elif not s["object"]["id"].startswith("urn:coursewright:"):
            problems.append(f"{name}: allowed statement about an unknown activity {s['object']['id']}")
    return problems
