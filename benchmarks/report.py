"""The benchmark's tables: one per course, then the ratios the targets are set on."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from measure import Series

if TYPE_CHECKING:
    from run import Result

ROWS = (
    ("build", "course build, clean (new process)"),
    ("build_no_terms", "  same course without [[term]] refs"),
    ("floor_1", "floor, 1 process"),
    ("floor_2", "floor, 2 processes"),
    ("mkdocs", "mkdocs build (default theme, search)"),
)
WIDTH = 40
DASH = "–"


def _num(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return DASH if a is None or not b else f"{a / b:.2f}x"


def _why(series: Series) -> str:
    return series.failure or series.note or "not run"


def print_header(info: dict[str, str], repeat: int) -> None:
    print(f"Coursewright build benchmark: {info['cores']} cores, {info['python']}, {info['system']}")
    print(f"load average at start: {info['load']}; times are medians of {repeat} runs; "
          f"peak MB covers every process of a run")
    _busy(info)


def print_course(result: Result) -> None:
    """One course's table."""
    n = result.lessons
    print(f"\n== {result.label} ==")
    if result.check:
        print(f"course check --strict: {result.check}")
    head = f"{'':{WIDTH}} {'seconds':>8} {'cpu s':>7} {'ms/lesson':>9} {'peak MB':>8} {'/floor2':>8} {'/mkdocs':>8}"
    print(head)
    floor2 = result.rows.get("floor_2")
    mkdocs = result.rows.get("mkdocs")
    for key, label in ROWS:
        series = result.rows.get(key)
        if series is None:
            continue
        if not series.ok:
            print(f"{label:{WIDTH}} {_why(series)}")
            continue
        seconds = series.seconds
        print(f"{label:{WIDTH}} {_num(seconds):>8} {_num(series.cpu):>7} {_num(seconds * 1000 / n, 2):>9} "
              f"{_num(series.peak_mb, 0):>8} {_ratio(seconds, floor2 and floor2.seconds):>8} "
              f"{_ratio(seconds, mkdocs and mkdocs.seconds):>8}")
    build = result.rows.get("build")
    _line("rebuild after saving 1 lesson (ms)", result.incremental, lambda s: f"{s * 1000:.0f}")
    _line("SCORM packaging, both zips", result.package, lambda s: f"{s:.2f}",
          lambda s: f"{s / build.seconds:.0%} of the build" if build and build.ok else "")
    _line("first lesson visible, file:// (ms)", result.first_lesson, lambda s: f"{s * 1000:.0f}")
    if result.sizes:
        print(f"{'runtime':{WIDTH}} {'raw KB':>8} {'min KB':>7} {'gzip KB':>9}")
        for size in result.sizes:
            print(f"{'  assets/' + size.name:{WIDTH}} {size.raw / 1024:>8.1f} "
                  f"{_num(size.minified and size.minified / 1024, 1):>7} {size.gzipped / 1024:>9.1f}")
        print(f"{'  total':{WIDTH}} {sum(s.raw for s in result.sizes) / 1024:>8.1f} {'':>7} "
              f"{sum(s.gzipped for s in result.sizes) / 1024:>9.1f}"
              + ("" if all(s.minified for s in result.sizes) else "  (unminified: no rjsmin/rcssmin)"))


def _line(label: str, series: Series, show: Callable[[float], str],
          extra: Callable[[float], str] | None = None) -> None:
    if not series.ok:
        print(f"{label:{WIDTH}} {_why(series)}")
        return
    value = series.seconds
    assert value is not None
    more = extra(value) if extra else ""
    print(f"{label:{WIDTH}} {show(value):>8}   median of {len(series.runs)}" + (f"; {more}" if more else ""))


def _verdict(ok: bool | None) -> str:
    return DASH if ok is None else ("met" if ok else "NOT MET")


def print_targets(results: list[Result]) -> None:
    """The issue's targets beside what this run measured."""
    sized = [r for r in results if r.rows.get("floor_2")]
    sample = next((r for r in results if not r.rows.get("floor_2")), None)
    main = next((r for r in sized if r.lessons == 1000), sized[-1] if sized else None)
    big = next((r for r in sized if r.lessons == 5000), None)
    k1 = next((r for r in sized if r.lessons == 1000), None)
    print(f"\n== targets{f' (on {main.label} unless named)' if main else ''} ==")
    print(f"{'':{WIDTH}} {'measured':>12}   {'target':<28} ")
    lines: list[tuple[str, str, str, bool | None]] = []

    def sec(r: Result | None, key: str) -> float | None:
        s = r.rows.get(key) if r else None
        return s.seconds if s else None

    build, floor2, mk = sec(main, "build"), sec(main, "floor_2"), sec(main, "mkdocs")
    lines.append(("full build / floor (2 processes)", _ratio(build, floor2), "<= 1.3x",
                  None if build is None or not floor2 else build / floor2 <= 1.3))
    lines.append(("MkDocs / full build", _ratio(mk, build), ">= 3x (faster)",
                  None if mk is None or not build else mk / build >= 3))
    b5, b1 = sec(big, "build"), sec(k1, "build")
    lines.append(("full build, 5000 / 1000 lessons", _ratio(b5, b1), "<= 5.5x",
                  None if b5 is None or not b1 else b5 / b1 <= 5.5))
    peak_r = big or main
    peak = peak_r.rows["build"].peak_mb if peak_r and peak_r.rows["build"].ok else None
    lines.append((f"peak memory, {peak_r.label if peak_r else '5000 lessons'}",
                  f"{peak:.0f} MB" if peak is not None else DASH, "< 300 MB",
                  None if peak is None else peak < 300))
    inc = main.incremental.seconds if main else None
    lines.append(("rebuild after saving 1 lesson", f"{inc * 1000:.0f} ms" if inc is not None else DASH,
                  "< 150 ms (issue 4: < 200 ms)", None if inc is None else inc < 0.150))
    if sample is not None:
        inc = sample.incremental.seconds
        lines.append(("  the same, sample course", f"{inc * 1000:.0f} ms" if inc is not None else DASH,
                      "< 150 ms", None if inc is None else inc < 0.150))
    pkg = main.package.seconds if main else None
    lines.append(("SCORM packaging / full build", f"{pkg / build:.0%}" if pkg is not None and build else DASH,
                  "< 20%", None if pkg is None or not build else pkg / build < 0.2))
    sizes = (sample or main).sizes if (sample or main) else []
    gz = sum(s.gzipped for s in sizes) / 1024 if sizes else None
    lines.append(("runtime JS + CSS, gzipped", f"{gz:.1f} KB" if gz is not None else DASH, "< 40 KB",
                  None if gz is None else gz < 40))
    for r in (sample, k1 or main):
        if r is None:
            continue
        ms = r.first_lesson.seconds
        lines.append((f"first lesson visible, {r.label.split(' (')[0]}",
                      f"{ms * 1000:.0f} ms" if ms is not None else DASH, "< 300 ms",
                      None if ms is None else ms < 0.3))
    for label, measured, target, ok in lines:
        print(f"{label:{WIDTH}} {measured:>12}   {target:<28} {_verdict(ok)}")


def print_footer(info: dict[str, str]) -> None:
    print(f"load average at the end: {info['load']}")
    _busy(info)


def _busy(info: dict[str, str]) -> None:
    """Other work on the machine stretches wall-clock times; CPU seconds are barely affected."""
    try:
        busy = float(info["load"].split(",")[0]) > float(info["cores"])
    except ValueError:
        return
    if busy:
        print("note: the machine is busy (load above its core count): wall-clock times are inflated; "
              "the cpu s column is the steadier guide")
