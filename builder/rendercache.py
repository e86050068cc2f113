"""Rendering kept between builds (`course serve`) and shared between processes (large courses)."""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Issues

if TYPE_CHECKING:
    from .render import Renderer


@dataclass
class RenderCache:
    """Rendered Markdown kept between builds (by `course serve`), so an edit re-renders only what it touched.

    An entry is keyed by the text, where it sits, and a fingerprint of everything course-wide a render
    can look up (terms, instruments, pages, templates, strings); its issues, media and checks are replayed.
    """

    entries: dict[tuple, tuple[str, list[Any], dict[str, Path], dict[str, Any], list[Any], list[str]]] = field(
        default_factory=dict)
    used: set[tuple] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def start(self) -> None:
        self.used, self.hits, self.misses = set(), 0, 0

    def prune(self) -> None:
        """Forget what the last build did not use, so memory stays flat while a trainer edits."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}


PARALLEL_MIN_LESSONS = 120  # below this, starting workers costs more than it saves


_worker_renderer: "Renderer | None" = None


def _render_chunk(indexes: range) -> dict[tuple, Any]:
    """In a worker: render some modules into a fresh cache and send the cache entries back."""
    renderer = _worker_renderer
    assert renderer is not None
    renderer.cache = RenderCache()
    renderer.issues = Issues()
    for index in indexes:
        renderer.module_view(renderer.course.modules[index], index + 1)
    return renderer.cache.entries


def prerender_in_parallel(renderer: "Renderer", workers: int) -> None:
    """Render modules on every core (forked workers share the loaded course), filling the cache."""
    global _worker_renderer
    import multiprocessing

    count = len(renderer.course.modules)
    step = max(1, -(-count // (workers * 3)))
    chunks = [range(i, min(i + step, count)) for i in range(0, count, step)]
    if renderer.cache is None:
        renderer.cache = RenderCache()
    _worker_renderer = renderer
    gc.freeze()  # keep the collector from touching (and so copying) the shared heap in every worker
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for entries in pool.imap_unordered(_render_chunk, chunks):
                renderer.cache.entries.update(entries)
    finally:
        _worker_renderer = None
        gc.unfreeze()


def worker_count(lessons: int) -> int:
    """How many processes a build of this size gains from."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 8) if lessons >= PARALLEL_MIN_LESSONS else 1
