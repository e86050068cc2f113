"""Rendering kept between builds (`course serve`) and shared between processes (large courses)."""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Issues, SourceRef

if TYPE_CHECKING:
    from .render import Renderer
    from .views import PageView


@dataclass
class Record:
    """What rendering something recorded besides its HTML; replaying it gives the result of rendering again.

    Only what rendered without problems is kept, so problems are always found (and reported) afresh.
    """

    media: dict[str, Path]
    checks: dict[str, Any]
    links: list[tuple[str, str, SourceRef]]
    headings: list[str] | None
    inputs: dict[str, int]  # files read while rendering (media, captions) → their mtime

    def current(self) -> bool:
        """Still what rendering would give: every file it read is there, unchanged."""
        try:
            return all(os.stat(path).st_mtime_ns == stamp for path, stamp in self.inputs.items())
        except OSError:
            return False


@dataclass
class FieldEntry(Record):
    """One Markdown field rendered."""

    html: str = ""


@dataclass
class PageEntry(Record):
    """One page rendered: its view, with its section of HTML."""

    view: PageView | None = None


@dataclass
class RenderCache:
    """Rendering kept between builds (by `course serve`), so an edit re-renders only what it touched.

    `pages` holds whole pages, keyed by the page's source model, its place in its module, and a
    fingerprint of everything course-wide a page can look up (terms, instruments, pages, templates,
    strings); `entries` holds the Markdown fields outside pages (module descriptions, glossary,
    frameworks), keyed by their text and where it sits. What rendering
    recorded (media, checks, links, headings) is replayed.
    """

    entries: dict[tuple, FieldEntry] = field(default_factory=dict)
    pages: dict[tuple, PageEntry] = field(default_factory=dict)
    used: set[tuple] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def start(self) -> None:
        self.used, self.hits, self.misses = set(), 0, 0

    def prune(self) -> None:
        """Forget what the last build did not use, so memory stays flat while a trainer edits."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.pages = {k: v for k, v in self.pages.items() if k in self.used}


PARALLEL_MIN_LESSONS = 120  # below this, starting workers costs more than it saves


_worker_renderer: "Renderer | None" = None


def _render_chunk(indexes: list[int]) -> list[tuple[int, int, PageEntry]]:
    """In a worker: render some modules' pages and send them back by their place in the course."""
    renderer = _worker_renderer
    assert renderer is not None
    renderer.cache = RenderCache()
    renderer.issues = Issues()
    rendered = []
    for index in indexes:
        module = renderer.course.modules[index]
        renderer.module_view(module, index + 1)
        for number, page in enumerate(module.pages, 1):
            entry = renderer.cache.pages.get(renderer.page_key(page, module, index + 1, number))
            if entry is not None:
                rendered.append((index, number, entry))
    return rendered


def _shares(modules: tuple, workers: int) -> tuple[int, list[list[int]]]:
    """Where the workers' share starts (this process renders the modules before it), and that share in
    small chunks.

    Shares are even by weight (a lesson weighs its text); small chunks come back as soon as they are
    done, so no worker holds much at once.
    """
    weights = [sum(len(getattr(page, "body", "")) + 2000 for page in module.pages) for module in modules]
    total = sum(weights) or 1
    first, done = len(modules), 0
    for index, weight in enumerate(weights):
        if done >= total / workers:
            first = index
            break
        done += weight
    chunk = max(1, total // (workers * 12))
    chunks: list[list[int]] = [[]]
    for index in range(first, len(modules)):
        if chunks[-1] and sum(weights[i] for i in chunks[-1]) + weights[index] > chunk:
            chunks.append([])
        chunks[-1].append(index)
    return first, [c for c in chunks if c]


@contextmanager
def rendering_elsewhere(renderer: "Renderer", workers: int) -> Iterator[tuple[int, Callable[[], None]]]:
    """Render the later modules on other cores while this process renders the first ones.

    Yields the index of the first module rendered elsewhere and `collect`, to call before rendering
    it: `collect` waits for the workers (forked, sharing the loaded course) and puts their pages in
    the cache, where rendering those modules then finds them.
    """
    global _worker_renderer
    import multiprocessing

    modules = renderer.course.modules
    if workers < 2:
        yield len(modules), lambda: None
        return
    if renderer.cache is None:
        renderer.cache = RenderCache()
    pages = renderer.cache.pages
    first, chunks = _shares(modules, workers)
    _worker_renderer = renderer
    gc.freeze()  # keep the collector from touching (and so copying) the shared heap in every worker
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            results = pool.imap_unordered(_render_chunk, chunks)

            def collect() -> None:
                for rendered in results:
                    for index, number, entry in rendered:
                        module = modules[index]
                        pages[renderer.page_key(module.pages[number - 1], module, index + 1, number)] = entry

            yield first, collect
    finally:
        _worker_renderer = None
        gc.unfreeze()


def worker_count(lessons: int) -> int:
    """How many processes a build of this size gains from."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 8) if lessons >= PARALLEL_MIN_LESSONS else 1
