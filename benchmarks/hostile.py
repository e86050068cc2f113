"""How fast hostile sources are refused: YAML bombs and deep nesting in memory, and `course check` end to end.

    python benchmarks/hostile.py            # 5 runs of each row, medians
    python benchmarks/hostile.py --repeat 1

Each row has a bound: a refusal is meant to be "well under a second", and the end-to-end row includes
starting Python. The script prints every row with its median and its bound, and exits 1 if a median
passes its bound: that is a refusal grown into a hang, not a slow machine (the bounds are ten times
what a loaded two-core machine measures).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.errors import Issues  # noqa: E402
from builder.yamlio import load_yaml  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "courses" / "tiny"
PLAIN = ROOT / "tests" / "fixtures" / "themes" / "plain"


def bomb(levels: int) -> str:
    """Anchors of anchors: 9 ** levels values once expanded."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def refused(text: str) -> Callable[[], None]:
    def load() -> None:
        issues = Issues()
        assert load_yaml(text, "hostile.yaml", issues) is None and issues.errors, "not refused"
    return load


def check_course(glossary: str) -> Callable[[], None]:
    """`course check` on the tiny course with a hostile glossary, in a new process."""
    def run() -> None:
        with tempfile.TemporaryDirectory() as folder:
            course = Path(folder) / "courses" / "tiny"
            shutil.copytree(TINY, course)
            shutil.copytree(PLAIN, Path(folder) / "themes" / "plain")
            (course / "glossary.yaml").write_text(glossary, encoding="utf-8")
            result = subprocess.run([sys.executable, "-c", "from builder.cli import run; run()", "check", "tiny"],
                                    cwd=course.parent, capture_output=True, text=True, timeout=60)
            assert result.returncode == 1 and "YAML aliases" in result.stderr, result.stderr
    return run


ROWS: list[tuple[str, Callable[[], None], float]] = [
    ("billion laughs, 9 levels (9**9 values)", refused(bomb(9)), 1.0),
    ("billion laughs, 12 levels", refused(bomb(12)), 1.0),
    ("aliases in a 4 MB document", refused(bomb(4) + "x: [" + ", ".join(["*a3"] * 200) + "]\n"
                                           + "# " + "x" * 3_900_000 + "\n"), 1.0),
    ("200,000 nested brackets", refused("x: " + "[" * 200_000 + "]" * 200_000), 1.0),
    ("1,500 nested block lists", refused("x:\n" + "".join(" " * (2 + 2 * i) + "-\n" for i in range(1500))), 1.0),
    ("recursive alias", refused("a: &a [*a]\n"), 1.0),
    ("course check, glossary bomb (new process)", check_course("- term: X\n  definition: x\n  more:\n"
                                                               + "".join("    " + line + "\n"
                                                                         for line in bomb(9).splitlines())
                                                               + "- term: Y\n  definition: *a8\n"), 10.0),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    slow = 0
    print(f"{'hostile input':46} {'median':>10} {'bound':>8}")
    for name, action, bound in ROWS:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        slow += median > bound
        print(f"{name:46} {median * 1000:8.1f} ms {bound:6.1f} s{'  OVER' if median > bound else ''}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
