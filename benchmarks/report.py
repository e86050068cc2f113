"""The benchmark's tables: one per course, then the ratios the targets are set on."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import runtime
from measure import Series

if TYPE_CHECKING:
    from run import Result

ROWS = (
    ("build", "course build, clean (new process)"),
    ("build_again", "  built again, nothing changed"),
    ("build_touched", "  built again, text files touched"),
    ("build_edited", "  built again after editing 1 lesson"),
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
    _line("landing visible, file:// (ms)", result.landing, lambda s: f"{s * 1000:.0f}")
    print(f"{'phone 390x844, CPU 4x slower, file://':{WIDTH}} once every course is built (below)")
    if result.sizes:
        print(f"{'runtime':{WIDTH}} {'raw KB':>8} {'min KB':>7} {'gzip KB':>9}")
        for size in result.sizes:
            print(f"{'  assets/' + size.name:{WIDTH}} {size.raw / 1024:>8.1f} "
                  f"{_num(size.minified and size.minified / 1024, 1):>7} {size.gzipped / 1024:>9.1f}")
        print(f"{'  total, every part':{WIDTH}} {sum(s.raw for s in result.sizes) / 1024:>8.1f} {'':>7} "
              f"{sum(s.gzipped for s in result.sizes) / 1024:>9.1f}"
              + ("" if all(s.minified for s in result.sizes) else "  (unminified: no rjsmin/rcssmin)"))
        loaded = runtime.one_learner(result.sizes)
        print(f"{'  the most one learner loads':{WIDTH}} {sum(s.raw for s in loaded) / 1024:>8.1f} {'':>7} "
              f"{sum(s.gzipped for s in loaded) / 1024:>9.1f}  (one kind of tracker: SCORM or xAPI)")


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def phone_medians(result: Result) -> dict[str, float | None]:
    """Medians of the phone's loads: first lesson (ms), bytes parsed (KB), heap (MB), move (ms)."""
    runs = result.phone
    return {
        "first": _median([r.first_lesson_ms for r in runs]),
        "kb": _median([r.parsed_bytes / 1024 for r in runs]),
        "heap": _median([r.heap_mb for r in runs]),
        "move": _median([r.move_ms for r in runs if r.move_ms is not None]),
    }


def print_phone(results: list[Result]) -> None:
    """The phone's table: every course's loads took turns, so the sizes are compared at the same moments."""
    label = "phone 390x844, CPU 4x slower, file://"
    print(f"\n== {label} ==")
    measured = [r for r in results if r.phone]
    if not measured:
        notes = {r.phone_note for r in results if r.phone_note}
        print(f"{'':{WIDTH}} {'; '.join(sorted(notes)) or 'not run'}")
        return
    print(f"{'medians of ' + str(len(measured[0].phone)) + ' loads each, the courses in turn':{WIDTH}} "
          + " ".join(f"{r.label.split(' (')[0][:12]:>12}" for r in measured))
    medians = [phone_medians(r) for r in measured]
    for key, name, digits in (("first", "first lesson visible (ms)", 0), ("kb", "parsed before it: HTML, JS, CSS (KB)", 0),
                              ("heap", "JS heap once settled (MB)", 1), ("move", "to a page of another module (ms)", 0)):
        print(f"{'  ' + name:{WIDTH}} " + " ".join(f"{_num(m[key], digits):>12}" for m in medians))


def _line(label: str, series: Series, show: Callable[[float], str],
          extra: Callable[[float], str] | None = None) -> None:
    if not series.ok:
        print(f"{label:{WIDTH}} {_why(series)}")
        return
    value, cpu = series.seconds, series.cpu
    assert value is not None
    more = extra(value) if extra else ""
    cpu_text = show(cpu) if cpu else DASH
    print(f"{label:{WIDTH}} {show(value):>8} {cpu_text:>7}   median of {len(series.runs)}"
          + (f"; {more}" if more else ""))


def print_spread(label: str, a: Series, b: Series) -> None:
    """`a` / `b` repeat by repeat (the two were measured in turn, one pair a repeat): a machine whose speed
    drifts between runs moves a ratio near its target across the line, which the median alone hides."""
    pairs = [x.seconds / y.seconds for x, y in zip(a.runs, b.runs) if x.ok and y.ok and y.seconds]
    if len(pairs) > 1:
        print(f"{'  ' + label:{WIDTH}} {min(pairs):.2f}x to {max(pairs):.2f}x, repeat by repeat")


def _verdict(ok: bool | None) -> str:
    return DASH if ok is None else ("met" if ok else "NOT MET")


def print_targets(results: list[Result]) -> None:
    """The issue's targets beside what this run measured: wall-clock, and the same ratio in CPU
    seconds where that is meaningful (a steadier guide when other work shares the machine)."""
    sized = [r for r in results if r.rows.get("floor_2")]
    sample = next((r for r in results if not r.rows.get("floor_2")), None)
    k1 = next((r for r in sized if r.lessons == 1000), None)
    main = k1 or (sized[-1] if sized else None)
    big = next((r for r in sized if r.lessons == 5000), None)
    print(f"\n== targets{f' (on {main.label} unless named)' if main else ''} ==")
    print(f"{'':{WIDTH}} {'measured':>10} {'in cpu s':>9}   {'target':<28}")

    def row(r: Result | None, key: str) -> Series:
        return (r.rows.get(key) if r else None) or Series()

    def ratio(a: float | None, b: float | None, limit: float, at_most: bool = True) -> tuple[str, bool | None]:
        if a is None or not b:
            return _ratio(a, b), None
        return _ratio(a, b), (a / b <= limit) if at_most else (a / b >= limit)

    def ms(value: float | None, limit: float) -> tuple[str, bool | None]:
        return (DASH, None) if value is None else (f"{value * 1000:.0f} ms", value < limit)

    def show(label: str, wall: tuple[str, bool | None], cpu: tuple[str, bool | None], target: str) -> None:
        verdict = _verdict(wall[1]) + (f" (cpu: {_verdict(cpu[1])})" if cpu[1] is not None
                                       and cpu[1] != wall[1] else "")
        print(f"{label:{WIDTH}} {wall[0]:>10} {cpu[0]:>9}   {target:<28} {verdict}")

    build, floor2, mk = row(main, "build"), row(main, "floor_2"), row(main, "mkdocs")
    show("full build / floor (2 processes)", ratio(build.seconds, floor2.seconds, 1.3), (DASH, None), "<= 1.3x")
    print_spread("the same", build, floor2)
    show("MkDocs / full build", ratio(mk.seconds, build.seconds, 3, at_most=False),
         ratio(mk.cpu, build.cpu, 3, at_most=False), ">= 3x (faster)")
    b5, b1 = row(big, "build"), row(k1, "build")
    show("full build, 5000 / 1000 lessons", ratio(b5.seconds, b1.seconds, 5.5), ratio(b5.cpu, b1.cpu, 5.5),
         "<= 5.5x")
    peak_r = big or main
    peak = row(peak_r, "build").peak_mb
    show(f"peak memory, {peak_r.label if peak_r else '5000 lessons'}",
         (DASH, None) if peak is None else (f"{peak:.0f} MB", peak < 300), (DASH, None), "< 300 MB")
    for label, r in (("rebuild after saving 1 lesson", main), ("  the same, sample course", sample)):
        if r is not None:
            show(label, ms(r.incremental.seconds, 0.150), ms(r.incremental.cpu, 0.150),
                 "< 150 ms (issue 4: < 200 ms)" if r is main else "< 150 ms")
    again, edited = row(main, "build_again"), row(main, "build_edited")
    show("build again unchanged / clean build", ratio(again.seconds, build.seconds, 0.2),
         ratio(again.cpu, build.cpu, 0.2), "< 0.20x (20%)")
    show("build after 1 edit / clean build", ratio(edited.seconds, build.seconds, 0.25),
         ratio(edited.cpu, build.cpu, 0.25), "< 0.25x (25%)")
    print_spread("the same", edited, build)
    pkg = main.package if main else Series()
    show("SCORM packaging / full build", ratio(pkg.seconds, build.seconds, 0.2), ratio(pkg.cpu, build.cpu, 0.2),
         "< 0.20x (20%)")
    sizes = (sample or main).sizes if (sample or main) else []
    gz = sum(s.gzipped for s in runtime.one_learner(sizes)) / 1024 if sizes else None
    show("runtime JS + CSS loaded, gzipped", (DASH, None) if gz is None else (f"{gz:.1f} KB", gz < 60), (DASH, None),
         "< 60 KB")
    for r in (sample, main):
        if r is not None:
            show(f"first lesson visible, {r.label.split(' (')[0]}", ms(r.first_lesson.seconds, 0.3),
                 (DASH, None), "< 300 ms")
    _phone_targets(results, show, ms)


def _phone_targets(results: list[Result], show: Callable, ms: Callable) -> None:
    """The phone's targets: at every size, and the growth from the smallest course to the largest."""
    measured = [(r, phone_medians(r)) for r in results if r.phone and r.rows.get("floor_2")]
    for r, m in measured:
        first, kb = m["first"], m["kb"]
        show(f"phone: first lesson, {r.label}", ms(first and first / 1000, 1.0), (DASH, None), "< 1 s")
        show(f"phone: parsed before it, {r.label}",
             (DASH, None) if kb is None else (f"{kb:.0f} KB", kb < 300), (DASH, None), "< 300 KB")
    if len(measured) >= 2:
        (small, a), (large, b) = measured[0], measured[-1]
        if a["first"] and b["first"]:
            growth = b["first"] / a["first"] - 1
            show(f"phone: growth {small.lessons} -> {large.lessons} lessons", (f"{growth:+.0%}", growth < 0.2),
                 (DASH, None), "< +20%")
    big = next((m for r, m in reversed(measured) if r.lessons == 1000), measured[-1][1] if measured else None)
    if big is not None:
        heap, move = big["heap"], big["move"]
        show("phone: JS heap, 1000 lessons", (DASH, None) if heap is None else (f"{heap:.1f} MB", heap < 20),
             (DASH, None), "< 20 MB")
        show("phone: to another module, 1000 lessons", ms(move and move / 1000, 0.150), (DASH, None), "< 150 ms")


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
