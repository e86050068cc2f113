"""The benchmark script runs end to end on a tiny course and prints every row (no timed assertions)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import synthetic  # noqa: E402

ROWS = [
    "course check --strict: passed",
    "course build, clean (new process)",
    "same course without [[term]] refs",
    "floor, 1 process",
    "floor, 2 processes",
    "mkdocs build (default theme, search)",
    "rebuild after saving 1 lesson (ms)",
    "SCORM packaging, both zips",
    "first lesson visible, file:// (ms)",
    "landing visible, file:// (ms)",
    "assets/course.js",
    "assets/course.css",
    "full build / floor (2 processes)",
    "MkDocs / full build",
    "full build, 5000 / 1000 lessons",
    "peak memory",
    "rebuild after saving 1 lesson ",
    "SCORM packaging / full build",
    "total, every part",
    "the most one learner loads",
    "runtime JS + CSS loaded, gzipped",
    "first lesson visible, 6 lessons",
]


def test_generator_is_deterministic_and_sized(tmp_path: Path) -> None:
    first = synthetic.write_course(tmp_path / "a", 6)
    second = synthetic.write_course(tmp_path / "b", 6)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    lessons = synthetic.lesson_files(first)
    assert len(lessons) == 6
    assert all(700 <= len(p.read_text(encoding="utf-8").split("\n---\n", 1)[1].split()) <= 900 for p in lessons)
    assert len(list(first.glob("modules/*/*.quiz.yaml"))) == len(list(first.glob("modules/*/*.scenario.yaml"))) == 1


def test_term_free_twin_keeps_legal_references(tmp_path: Path) -> None:
    bare = synthetic.write_course(tmp_path / "bare", 6, terms=False)
    text = "".join(p.read_text(encoding="utf-8") for p in synthetic.lesson_files(bare))
    assert "[[@" in text
    assert "[[" not in text.replace("[[@", "")


def test_benchmark_runs_on_a_tiny_course() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--lessons", "6", "--repeat", "1",
         "--skip-mkdocs", "--skip-browser", "--skip-sample"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.startswith("Coursewright build benchmark:") and "cores" in out
    missing = [row for row in ROWS if row not in out]
    assert not missing, f"rows missing: {missing}\n{out}"


def test_hostile_benchmark_prints_every_row() -> None:
    """benchmarks/hostile.py times the refusals of hostile YAML (its bounds are for the benchmark, not here)."""
    result = subprocess.run([sys.executable, str(BENCHMARKS / "hostile.py"), "--repeat", "1"],
                            capture_output=True, text=True, timeout=300)
    for row in ("billion laughs, 9 levels", "200,000 nested brackets", "recursive alias",
                "course check, glossary bomb (new process)"):
        assert row in result.stdout, result.stdout + result.stderr


def test_a_ratio_is_shown_repeat_by_repeat(capsys) -> None:
    """Beside a target's median ratio, its range over the repeats (each build timed beside its floor)."""
    from measure import Run, Series
    from report import print_spread

    build = Series([Run(1.65, 90, True), Run(1.99, 90, True), Run(1.80, 90, True)])
    floor = Series([Run(1.32, 30, True), Run(1.40, 30, True), Run(1.30, 30, True)])
    print_spread("the same", build, floor)
    assert "1.25x to 1.42x, repeat by repeat" in capsys.readouterr().out
    print_spread("the same", Series([Run(1.0, 1, True)]), Series([Run(1.0, 1, True)]))
    assert capsys.readouterr().out == ""  # one repeat: nothing to range over
