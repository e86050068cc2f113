"""Measurements made inside the builder's own process, run in a fresh interpreter; prints JSON.

    python benchmarks/tasks.py incremental SOURCE OUT LESSON [--edits 5]
        `course serve`'s path: Project.build() once, then save an edit to LESSON and time
        Project.rebuild({LESSON}) until the rebuilt page is written; once per edit.
    python benchmarks/tasks.py package SOURCE OUT [--repeat 3]
        a build, then the time of builder.scorm.write_packages for both SCORM versions.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

MARK = "Benchmark edit number"


def _cpu() -> float:
    """CPU seconds of this process and the children it has reaped (user + system)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _edit(lesson: Path, number: int) -> str:
    """Save a changed lesson: one sentence added after the front matter (replacing the last one)."""
    text = lesson.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n") if text.startswith("---\n") else ("", "", text)
    lines = [line for line in body.splitlines(keepends=True) if not line.startswith(MARK)]
    marker = f"{MARK} {number} changes this lesson."
    lesson.write_text(head + sep + "\n" + marker + "\n" + "".join(lines).lstrip("\n"), encoding="utf-8")
    return marker


def _written(web: Path, marker: str) -> bool:
    return any(marker in p.read_text(encoding="utf-8") for p in web.rglob("*.html"))


def incremental(source: Path, out: Path, lesson: Path, edits: int) -> dict:
    from builder.project import Project

    project = Project(source, out)
    started = time.perf_counter()
    project.build()
    first = time.perf_counter() - started
    original = lesson.read_text(encoding="utf-8")
    times, cpu = [], []
    try:
        for number in range(1, edits + 1):
            marker = _edit(lesson, number)
            started, cpu_started = time.perf_counter(), _cpu()
            report = project.rebuild({lesson})
            times.append(time.perf_counter() - started)
            cpu.append(_cpu() - cpu_started)
            web = report.web_dir or out / "web"
            if not _written(web, marker):
                raise SystemExit(f"the edit to {lesson.name} is not in the rebuilt output")
    finally:
        lesson.write_text(original, encoding="utf-8")
    return {"first_build": first, "rebuilds": times, "rebuilds_cpu": cpu}


def package(source: Path, out: Path, repeat: int) -> dict:
    from builder.build import build
    from builder.scorm import write_packages

    report = build(source, out)
    assert report.web_dir is not None
    times, cpu, sizes = [], [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), _cpu()
        written = write_packages(report.course, report.web_dir, out, ["1.2", "2004"])
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - cpu_started)
        sizes = [p.stat().st_size for p in written]
    return {"build": report.seconds, "package": times, "package_cpu": cpu, "zip_bytes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    inc = sub.add_parser("incremental")
    inc.add_argument("source", type=Path)
    inc.add_argument("out", type=Path)
    inc.add_argument("lesson", type=Path)
    inc.add_argument("--edits", type=int, default=5)
    pkg = sub.add_parser("package")
    pkg.add_argument("source", type=Path)
    pkg.add_argument("out", type=Path)
    pkg.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.task == "incremental":
        result = incremental(args.source, args.out, args.lesson, args.edits)
    else:
        result = package(args.source, args.out, args.repeat)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
