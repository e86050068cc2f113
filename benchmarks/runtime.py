"""The learner's side: the runtime's size, and the time until the first lesson shows from file://."""
from __future__ import annotations

import gzip
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Runs before the page's own scripts: every frame, note whether the first lesson's heading is on
# screen; the time kept is the start of the last stretch in which it stayed visible, so a heading
# that shows while the HTML parses and is hidden by the runtime a moment later does not count.
WATCH = """(() => {
  let shown = false;
  window.__firstLessonAt = null;
  const heading = () => {
    const page = document.querySelector('section[data-kind="lesson"]');
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
    """course.js and course.css of a built course, raw, minified (if rjsmin/rcssmin are installed)
    and gzipped (-9, of the minified text when there is one)."""
    jsmin, cssmin = minifiers()
    sizes = []
    for name, minify in (("course.js", jsmin), ("course.css", cssmin)):
        path = web / "assets" / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        small = minify(text) if minify else None  # type: ignore[operator]
        packed = (small if small is not None else text).encode("utf-8")
        sizes.append(Size(name, len(text.encode("utf-8")), len(small.encode("utf-8")) if small is not None else None,
                          len(gzip.compress(packed, compresslevel=9, mtime=0))))
    return sizes


def chromium() -> str | None:
    return shutil.which("chromium")


def first_lesson_ms(index: Path, loads: int = 5, timeout_ms: int = 60_000) -> list[float]:
    """Milliseconds from navigation start until the first lesson's heading is visible, with
    index.html opened from file:// in a fresh headless Chromium context each time."""
    from playwright.sync_api import sync_playwright

    times = []
    url = index.resolve().as_uri()
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
