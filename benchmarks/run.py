"""Build speed, memory and the learner's runtime, measured on generated courses of N lessons.

    python benchmarks/run.py [--lessons 100,1000,5000] [--repeat 3] [--skip-mkdocs] [--skip-browser]

Prints one table per course size, then the ratios the targets are set on. Times are medians of the
repetitions (the measured commands run interleaved, so a busy moment on the machine hits every row
alike); see benchmarks/README.md for what each row measures.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import measure
import mkdocs_site
import runtime
import synthetic
from measure import Run, Series
from report import print_course, print_footer, print_header, print_phone, print_targets

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "course_src"


@dataclass
class Result:
    """Everything measured on one course."""

    label: str
    lessons: int
    rows: dict[str, Series] = field(default_factory=dict)
    incremental: Series = field(default_factory=Series)
    package: Series = field(default_factory=Series)
    first_lesson: Series = field(default_factory=Series)
    landing: Series = field(default_factory=Series)
    phone: list[runtime.PhoneRun] = field(default_factory=list)
    phone_note: str = ""
    sizes: list[runtime.Size] = field(default_factory=list)
    check: str = ""

    def failed(self) -> list[str]:
        every = {**self.rows, "incremental": self.incremental, "package": self.package,
                 "first_lesson": self.first_lesson, "landing": self.landing}
        return [name for name, s in every.items() if s.runs and not s.ok]


def course_command() -> list[str]:
    """`course` as a trainer runs it: the installed console script (interpreter start included)."""
    script = Path(sysconfig.get_path("scripts")) / "course"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from builder.cli import run; run()"]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def timed(cmd: list[str], series: Series, out: Path | None = None, keep: bool = False) -> Run:
    """Run one measured command into a fresh output folder and add it to `series`."""
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
    result = measure.run(cmd, cwd=ROOT, env=child_env())
    if not result.ok:
        result.output = measure.tail(result.output)
    series.runs.append(result)
    if out is not None and not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


def in_process(args: list[str], key: str, series: Series) -> dict | None:
    """A tasks.py measurement in a fresh interpreter; its JSON times become the series' runs."""
    proc = subprocess.run([sys.executable, str(HERE / "tasks.py"), *args], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        series.runs.append(Run(0.0, 0.0, False, measure.tail(proc.stderr or proc.stdout)))
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    series.runs.extend(Run(t, 0.0, True, cpu=c) for t, c in zip(data[key], data[f"{key}_cpu"]))
    return data


def first_lesson(web: Path, series: Series, skip: str, landing: bool = False) -> None:
    """The first lesson opened by its address (as Start, Resume or a bookmark lead), or the landing."""
    if skip:
        series.note = skip
        return
    try:
        fragment = "" if landing else runtime.first_page(web)
        series.runs.extend(Run(ms / 1000, 0.0, True) for ms in runtime.first_lesson_ms(web / "index.html",
                                                                                       fragment=fragment))
    except Exception as exc:  # a browser failure is reported in the table, not raised
        series.runs.append(Run(0.0, 0.0, False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))


def on_phone(pending: list[tuple[Result, Path]], skip: str, loads: int) -> None:
    """Every course on the emulated phone (first lesson, bytes parsed, heap, a move to another module),
    their loads taking turns: each course's web folder was kept for this after its last build."""
    if skip or not pending:
        return
    targets = [(web / "index.html", runtime.far_page(web), runtime.first_page(web)) for _, web in pending]
    try:
        for (result, _), runs in zip(pending, runtime.phone_runs(targets, loads)):
            result.phone = runs
    except Exception as exc:  # reported in the table, not raised
        for result, _ in pending:
            result.phone_note = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"


def keep_for_phone(web: Path, work: Path, result: Result, pending: list[tuple[Result, Path]], skip: str) -> None:
    """A copy of a course's web folder, opened on the phone once every size is built (`on_phone`)."""
    if not skip:
        kept = work / f"phone-{len(pending)}"
        shutil.copytree(web, kept)
        pending.append((result, kept))


def browser_skip(args: argparse.Namespace) -> str:
    if args.skip_browser:
        return "skipped (--skip-browser)"
    if runtime.chromium() is None:
        return "skipped (no chromium on PATH)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "skipped (Python Playwright not installed)"
    return ""


def measure_sample(work: Path, args: argparse.Namespace, phone: list[tuple[Result, Path]]) -> Result:
    """The sample course: full build, one edited lesson rebuilt, packaging, runtime."""
    source = work / "sample"
    shutil.copytree(SAMPLE, source)
    result = Result("sample course (course_src/)", len(synthetic.lesson_files(source)))
    out = work / "out-sample"
    build = result.rows.setdefault("build", Series())
    for i in range(args.repeat):
        timed([*course_command(), "build", str(source), "--out", str(out), "--clean"], build, out, keep=i == args.repeat - 1)
    if build.ok:
        result.sizes = runtime.asset_sizes(out / "web")
        first_lesson(out / "web", result.first_lesson, browser_skip(args))
        first_lesson(out / "web", result.landing, browser_skip(args), landing=True)
        keep_for_phone(out / "web", work, result, phone, browser_skip(args))
    shutil.rmtree(out, ignore_errors=True)
    lesson = synthetic.lesson_files(source)[0]
    in_process(["incremental", str(source), str(work / "out-inc"), str(lesson), "--edits", "5"],
               "rebuilds", result.incremental)
    in_process(["package", str(source), str(work / "out-pkg"), "--repeat", str(args.repeat)],
               "package", result.package)
    return result


def settle(course: Path) -> None:
    """Wait until the course's newest file was written two seconds ago: `course build` does not vouch for
    a file saved closer to a build than that (a clock tick of some file systems: `builder/uptodate.py`),
    so a course just written would not be up to date on the next build."""
    newest = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in course.rglob("*") if p.is_file())
    time.sleep(max(0.0, newest + 2.1 - time.time()))


def generate(work: Path, lessons: int) -> tuple[Path, Path]:
    """The course of `lessons` lessons and its twin without [[term]] references (cached per run)."""
    full, bare = work / f"course-{lessons}", work / f"course-{lessons}-no-terms"
    if not full.exists():
        synthetic.write_course(full, lessons)
        synthetic.write_course(bare, lessons, terms=False)
    return full, bare


def measure_size(work: Path, lessons: int, args: argparse.Namespace, phone: list[tuple[Result, Path]]) -> Result:
    """Every row of the table for one course size."""
    full, bare = generate(work, lessons)
    result = Result(f"{lessons} lessons", lessons)
    check = subprocess.run([*course_command(), "check", "--strict", str(full)], cwd=ROOT, env=child_env(),
                           capture_output=True, text=True)
    result.check = "passed" if check.returncode == 0 else "FAILED: " + measure.tail(check.stderr + check.stdout)
    rows = {name: result.rows.setdefault(name, Series())
            for name in ("build", "build_again", "build_touched", "build_edited", "build_no_terms", "floor_1", "floor_2",
                         "mkdocs")}
    mkdocs_config = None
    if args.skip_mkdocs:
        rows["mkdocs"].note = "skipped (--skip-mkdocs)"
    elif not mkdocs_site.installed():
        rows["mkdocs"].note = "not installed"
    elif lessons > args.mkdocs_max:
        rows["mkdocs"].note = f"skipped (more than --mkdocs-max {args.mkdocs_max} lessons)"
    else:
        mkdocs_config = mkdocs_site.write_site(full, work / f"mkdocs-{lessons}")
    out = work / f"out-{lessons}"
    floor = [sys.executable, str(HERE / "floor.py"), str(full), str(out)]
    edited = synthetic.lesson_files(full)[lessons // 2]
    for i in range(args.repeat):
        last = i == args.repeat - 1
        settle(full)  # generated, or its edited lesson put back, a moment ago at small sizes
        timed([*course_command(), "build", str(full), "--out", str(out), "--clean"], rows["build"], out, keep=True)
        if last and rows["build"].ok:
            first_lesson(out / "web", result.first_lesson, browser_skip(args))
            first_lesson(out / "web", result.landing, browser_skip(args), landing=True)
            keep_for_phone(out / "web", work, result, phone, browser_skip(args))
            result.sizes = runtime.asset_sizes(out / "web")
        remembered_builds(full, out, edited, rows["build_again"], rows["build_touched"], rows["build_edited"], i)
        shutil.rmtree(out, ignore_errors=True)
        timed([*course_command(), "build", str(bare), "--out", str(out), "--clean"], rows["build_no_terms"], out)
        timed([*floor, "--processes", "1"], rows["floor_1"], out)
        timed([*floor, "--processes", "2"], rows["floor_2"], out)
        if mkdocs_config is not None:
            timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_config), "-d", str(out)],
                  rows["mkdocs"], out)
    lesson = synthetic.lesson_files(full)[lessons // 2]
    in_process(["incremental", str(full), str(work / "out-inc"), str(lesson), "--edits", "5"],
               "rebuilds", result.incremental)
    in_process(["package", str(full), str(work / "out-pkg"), "--repeat", str(args.repeat)],
               "package", result.package)
    shutil.rmtree(work / "out-inc", ignore_errors=True)
    shutil.rmtree(work / "out-pkg", ignore_errors=True)
    return result


def remembered_builds(course: Path, out: Path, lesson: Path, again: Series, touched: Series, edited: Series,
                      run: int) -> None:
    """After a clean build into `out`: build again unchanged, then with every text file's time changed (the
    same text: the up-to-date check cannot vouch for them, the render cache serves; media stay, as a page
    that shows a changed image is laid out again), then after editing one lesson (put back after)."""
    command = [*course_command(), "build", str(course), "--out", str(out)]
    timed(command, again)
    for path in course.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml"):
            os.utime(path)
    timed(command, touched)
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("\n## ", f"\nA sentence added in run {run}.\n\n## ", 1), encoding="utf-8")
    try:
        timed(command, edited)
    finally:
        lesson.write_text(text, encoding="utf-8")


def machine() -> dict[str, str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    jsmin, cssmin = runtime.minifiers()
    return {
        "cores": str(os.cpu_count()),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load": load,
        "minifier": "rjsmin + rcssmin" if jsmin and cssmin else "none installed: sizes unminified",
    }


def compile_builder() -> None:
    """Compile the builder's modules as a regular install does (an editable one, with
    PYTHONDONTWRITEBYTECODE set, would recompile them in every timed run: ~40 ms)."""
    import builder

    compileall.compile_dir(str(Path(builder.__file__).parent), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", default="33,200,1000,5000",
                        help="comma-separated course sizes (default 33,200,1000,5000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each timed row (median)")
    parser.add_argument("--skip-mkdocs", action="store_true", help="leave MkDocs out")
    parser.add_argument("--mkdocs-max", type=int, default=1000,
                        help="largest course to build with MkDocs (part of its time grows with N squared)")
    parser.add_argument("--skip-browser", action="store_true", help="leave out the time to the first lesson")
    parser.add_argument("--skip-sample", action="store_true", help="leave out the sample course")
    parser.add_argument("--phone-loads", type=int, default=7,
                        help="loads of each course on the phone, the courses taking turns (median)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the generated courses (path printed)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # tables appear as they finish
    sizes = [int(n) for n in args.lessons.split(",") if n.strip()]
    compile_builder()
    info = machine()
    print_header(info, args.repeat)
    work = Path(tempfile.mkdtemp(prefix="coursewright-bench-"))
    results: list[Result] = []
    try:
        phone: list[tuple[Result, Path]] = []  # web folders to open on the phone, once all are built
        if not args.skip_sample:
            results.append(measure_sample(work, args, phone))
            print_course(results[-1])
        for n in sizes:
            results.append(measure_size(work, n, args, phone))
            print_course(results[-1])
        for result in results:
            result.phone_note = browser_skip(args)
        on_phone(phone, browser_skip(args), args.phone_loads)
        print_phone(results)
        print_targets(results)
        print_footer(machine())
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "results": [_as_json(r) for r in results]},
                                            indent=2), encoding="utf-8")
    finally:
        if args.keep:
            print(f"\ngenerated courses kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = [f"{r.label}: {name}" for r in results for name in r.failed()]
    failed += [f"{r.label}: course check --strict" for r in results if r.check.startswith("FAILED")]
    if failed:
        print("\nfailed: " + "; ".join(failed))
    return 1 if failed else 0


def _as_json(result: Result) -> dict:
    def series(s: Series) -> dict:
        return {"seconds": s.seconds, "cpu": s.cpu, "peak_mb": s.peak_mb, "note": s.note or s.failure,
                "runs": [r.seconds for r in s.runs]}

    return {"label": result.label, "lessons": result.lessons, "check": result.check,
            "rows": {k: series(v) for k, v in result.rows.items()},
            "incremental": series(result.incremental), "package": series(result.package),
            "first_lesson": series(result.first_lesson), "landing": series(result.landing),
            "phone": [vars(run) for run in result.phone], "phone_note": result.phone_note,
            "sizes": [vars(s) for s in result.sizes]}


if __name__ == "__main__":
    sys.exit(main())
