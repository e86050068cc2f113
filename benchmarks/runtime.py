"""The learner's side: the runtime's size, and the time until the first lesson shows from file://."""
from __future__ import annotations

import gzip
import shutil
import statistics
from typing import Any
from dataclasses import dataclass
from pathlib import Path

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Runs before the page's own scripts: every frame, note whether the first screen's heading is on
# screen: the landing's title while the landing is on show (a course opened without an address opens
# on it, above its first page), else the lesson's on show (an address naming a lesson after the first,
# as Resume and an LMS bookmark lead: a landing shown meanwhile is not that lesson). The time
# kept is the start of the last stretch in which it stayed visible, so a heading that shows while the
# HTML parses and is hidden by the runtime a moment later does not count.
WATCH = """(() => {
  let shown = false;
  window.__firstLessonAt = null;
  const named = /^#\\/./.test(location.hash);
  const heading = () => {
    // A course opens on its landing, above the first lesson: that is the first screen.
    const landing = !named && document.querySelector('#course-intro:not([hidden]) .landing-title');
    if (landing) return landing;
    const page = document.querySelector('section.is-current[data-kind="lesson"]') ||
      document.querySelector('section[data-kind="lesson"]');
    return page && (document.getElementById(page.id + '-title') || page.querySelector('h1, h2'));
  };
  const visible = (el) => {
    if (!el) return false;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.bottom <= 0 || box.top >= innerHeight) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.opacity !== '0';
  };
  const tick = () => {
    const now = visible(heading());
    if (now && !shown) window.__firstLessonAt = performance.now();
    if (!now) window.__firstLessonAt = null;
    shown = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // Every script and stylesheet the page asks for, and when (file:// has no resource timing).
  window.__requested = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const url = node.tagName === 'SCRIPT' ? node.src : node.tagName === 'LINK' && node.rel === 'stylesheet' ? node.href : '';
        if (url) window.__requested.push([url, performance.now()]);
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();"""


@dataclass
class Size:
    """One asset's size in bytes: as written, minified (None when no minifier), and gzip -9."""

    name: str
    raw: int
    minified: int | None
    gzipped: int


def minifiers() -> tuple[object | None, object | None]:
    try:
        import rjsmin  # type: ignore[import-not-found]
    except ImportError:
        rjsmin = None
    try:
        import rcssmin  # type: ignore[import-not-found]
    except ImportError:
        rcssmin = None
    return (rjsmin.jsmin if rjsmin else None), (rcssmin.cssmin if rcssmin else None)


def asset_sizes(web: Path) -> list[Size]:
    """course.js, the runtime parts loaded when a page needs them (course-<part>.js) and course.css of a
    built course, raw, minified (if rjsmin/rcssmin are installed) and gzipped (-9, of the minified text
    when there is one). Their total is what a course using every page kind loads."""
    jsmin, cssmin = minifiers()
    sizes = []
    parts = sorted(p.name for p in (web / "assets").glob("course-*.js"))
    for name, minify in (("course.js", jsmin), *((n, jsmin) for n in parts), ("course.css", cssmin)):
        path = web / "assets" / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        small = minify(text) if minify else None  # type: ignore[operator]
        packed = (small if small is not None else text).encode("utf-8")
        sizes.append(Size(name, len(text.encode("utf-8")), len(small.encode("utf-8")) if small is not None else None,
                          len(gzip.compress(packed, compresslevel=9, mtime=0))))
    return sizes


TRACKER_PARTS = ("course-scorm.js", "course-xapi.js")


def one_learner(sizes: list[Size]) -> list[Size]:
    """What one learner's browser loads at most: course.js, every page kind's part, course.css and one
    kind of tracker, the heavier (a SCORM launch loads the SCORM part, a cmi5 or xAPI launch the xAPI
    part; both load only for a launch whose address says neither)."""
    trackers = [s for s in sizes if s.name in TRACKER_PARTS]
    lighter = min(trackers, key=lambda s: s.gzipped) if len(trackers) > 1 else None
    return [s for s in sizes if s is not lighter]


def chromium() -> str | None:
    return shutil.which("chromium")


def course_modules(web: Path) -> list[tuple[str, list[str]]]:
    """Each module of a built course with its page ids, in order, from index.html's course data (and
    pages/outline.js, which lists the pages of the modules after the first)."""
    import json
    import re

    html = (web / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="course-data">(.*?)</script>', html, re.S)
    if not found:
        return []
    data = json.loads(found[1])
    if "outline" not in data:
        return [(m["id"], m["pages"]) for m in data.get("modules", [])]
    # index.html lists the first module's pages; pages/outline.js every other module's
    rest = []
    script = web / "pages" / "outline.js"
    if script.is_file():
        text = script.read_text(encoding="utf-8")
        rest = json.loads(text[text.index("(", text.index("push")) + 1:text.rindex(")")]).get("pages", [])
    return [(m[0], [f"{m[0]}/{p[0]}" for p in (m[2] if isinstance(m[2], list) else rest[i] if i < len(rest) else [])])
            for i, m in enumerate(data["outline"])]


def first_page(web: Path) -> str:
    """The address fragment of the first lesson not under the landing, the course's second page
    (`#/<module>/<page>`; the first page sits under the landing until the learner starts), "" when
    none is found."""
    pages = [page for _, ids in course_modules(web) for page in ids]
    return f"#/{pages[1]}" if len(pages) > 1 else ""


def first_lesson_ms(index: Path, loads: int = 5, timeout_ms: int = 60_000, fragment: str = "") -> list[float]:
    """Milliseconds from navigation start until the first screen's heading is visible (the landing's,
    or with `fragment` naming a page, that page's), with index.html opened from file:// in a fresh
    headless Chromium context each time."""
    from playwright.sync_api import sync_playwright

    times = []
    url = index.resolve().as_uri() + fragment
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=LAUNCH_ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_init_script(WATCH)
                page = context.new_page()
                page.goto(url, wait_until="load", timeout=timeout_ms)
                page.wait_for_function("window.__firstLessonAt !== null", timeout=timeout_ms)
                page.wait_for_timeout(250)  # still visible a quarter second later?
                page.wait_for_function("window.__firstLessonAt !== null", timeout=timeout_ms)
                times.append(float(page.evaluate("window.__firstLessonAt")))
                context.close()
        finally:
            browser.close()
    return times


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# -- a mid-range phone: 390 x 844 CSS pixels, the CPU slowed four times ------------------------

PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4

# Go to a page and resolve with the milliseconds until its heading is on screen.
MOVE = """(id) => new Promise((resolve) => {
  const started = performance.now();
  const anchor = 'p-' + id.replace(/\\//g, '--') + '-title';
  location.hash = '#/' + id;
  const tick = () => {
    const heading = document.getElementById(anchor);
    const box = heading && heading.getBoundingClientRect();
    if (box && box.height > 0 && box.bottom > 0 && box.top < innerHeight) resolve(performance.now() - started);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


@dataclass
class PhoneRun:
    """One load of the course on the emulated phone."""

    first_lesson_ms: float
    parsed_bytes: int  # the HTML, scripts and stylesheets asked for before the first lesson showed
    heap_mb: float  # the JavaScript heap once the course has settled (after a collection)
    move_ms: float | None  # from choosing a page of another module to its heading on screen


def _parsed_bytes(page, web: Path, until_ms: float) -> int:  # noqa: ANN001 - a Playwright page
    """The files the page asked for before `until_ms`: index.html, and every script and stylesheet."""
    from urllib.parse import unquote, urlparse

    requested = page.evaluate("(until) => window.__requested.filter((r) => r[1] <= until).map((r) => r[0])",
                              until_ms)
    total = (web / "index.html").stat().st_size
    for url in set(requested):
        if url.startswith("file://"):
            path = Path(unquote(urlparse(url).path))
            if path.is_file():
                total += path.stat().st_size
    return total


def phone_runs(targets: list[tuple[Path, str | None, str]], loads: int = 5,
               timeout_ms: int = 120_000) -> list[list[PhoneRun]]:
    """Open each target's index.html from file:// (at its fragment: the first lesson; then moving to its
    page in another module) on the emulated phone `loads` times, each in a fresh context. The targets
    take turns, one load each a round, so a busy moment of the machine falls on every size alike and
    the growth from the smallest course to the largest is not a difference of moments."""
    from playwright.sync_api import sync_playwright

    runs: list[list[PhoneRun]] = [[] for _ in targets]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=LAUNCH_ARGS)
        try:
            for _ in range(loads):
                for (index, move_to, fragment), found in zip(targets, runs):
                    found.append(_phone_load(browser, index, move_to, fragment, timeout_ms))
        finally:
            browser.close()
    return runs


def _phone_load(browser: Any, index: Path, move_to: str | None, fragment: str, timeout_ms: int) -> PhoneRun:
    context = browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    context.add_init_script(WATCH)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(index.resolve().as_uri() + fragment, wait_until="load", timeout=timeout_ms)
    page.wait_for_function("window.__firstLessonAt !== null", timeout=timeout_ms)
    page.wait_for_timeout(250)  # still visible a quarter second later?
    page.wait_for_function("window.__firstLessonAt !== null", timeout=timeout_ms)
    first = float(page.evaluate("window.__firstLessonAt"))
    parsed = _parsed_bytes(page, index.parent, first)
    page.wait_for_timeout(3000)  # what loads while the learner reads has loaded
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / (1024 * 1024)
    moved = float(page.evaluate(MOVE, move_to)) if move_to else None
    context.close()
    return PhoneRun(first, parsed, heap, moved)


def far_page(web: Path) -> str | None:
    """A page in the middle module of the course (another module than the first page's), by id."""
    modules = [m for m in course_modules(web) if m[1]]
    if len(modules) < 2:
        return None
    pages = modules[len(modules) // 2][1]
    return pages[len(pages) // 2]
