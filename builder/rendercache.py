"""Rendering kept between builds (`course serve`) and shared between processes (large courses)."""
from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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

    def current(self, stamps: dict[str, int] | None = None) -> bool:
        """Still what rendering would give: every file it read is there, unchanged. `stamps` holds the
        times this build has seen (a thousand lessons show a dozen images: each is looked at once)."""
        try:
            if stamps is None:
                return all(os.stat(path).st_mtime_ns == stamp for path, stamp in self.inputs.items())
            for path, stamp in self.inputs.items():
                now = stamps.get(path)
                if now is None:
                    now = stamps[path] = os.stat(path).st_mtime_ns
                if now != stamp:
                    return False
            return True
        except OSError:
            return False


@dataclass
class FieldEntry(Record):
    """One Markdown field rendered."""

    html: str = ""


@dataclass
class PageEntry(Record):
    """One page rendered: its view, with its section of HTML, and its entries in the search index (made
    from the page as it is rendered, so a kept page is not parsed again for the index), as they stand
    in the index's script (`search_index.entries_json`), so a kept page is not encoded again either."""

    view: PageView | None = None
    search: str | None = None


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
    files: dict[str, dict[Any, tuple[Any, bytes]]] = field(default_factory=dict)  # by language: paged.page_files
    data: dict[str, dict[int, Any]] = field(default_factory=dict)  # by language: coursedata.course_data's
    hits: int = 0
    misses: int = 0
    stamps: dict[str, int] = field(default_factory=dict)  # files rendering read → their time, this build

    def start(self) -> None:
        self.used, self.hits, self.misses, self.stamps = set(), 0, 0, {}

    def prune(self) -> None:
        """Forget what the last build did not use, so memory stays flat while a trainer edits."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.pages = {k: v for k, v in self.pages.items() if k in self.used}


PARALLEL_MIN_LESSONS = 50  # below this, starting workers costs more than it saves (measured: 40 lessons break even)


class Claims:
    """Which modules are taken: this process takes them from the front, workers from the back.

    Shared memory and a lock, made before the workers fork; when the two ends meet, every module has
    one renderer, and no process waits for another longer than one module takes.
    """

    def __init__(self, context: Any, todo: list[int]) -> None:
        self.lock = context.Lock()
        self.todo = todo  # the modules to share out, by index
        self.ends = context.RawArray("i", [0, len(todo)])  # next from the front, one past the last from the back

    def front(self) -> bool:
        with self.lock:
            if self.ends[0] < self.ends[1]:
                self.ends[0] += 1
                return True
            return False

    def back(self) -> int | None:
        with self.lock:
            if self.ends[0] < self.ends[1]:
                self.ends[1] -= 1
                return self.todo[self.ends[1]]
            return None


def _render_from_back(renderer: "Renderer", claims: Claims, out: IO[bytes]) -> None:
    """In a worker: render modules taken from the back and write their pages to `out`, a module at a time.

    A file, not a pipe: a pipe would hold the worker up until the building process, busy rendering
    its own share, found a moment to read it. Pages with problems are left out: the building process
    renders them again and reports them.
    """
    renderer.issues = Issues()
    renderer.forked = True
    if renderer.page_files is not None:
        renderer.page_files.start_journal()
    while (index := claims.back()) is not None:
        renderer.cache = RenderCache()  # holds one module's pages at a time: memory stays flat
        renderer.files_written = set()
        renderer.module_view(renderer.course.modules[index], index + 1)
        journal = renderer.page_files.take_journal() if renderer.page_files is not None else []
        pickle.dump((list(renderer.cache.pages.values()), sorted(renderer.files_written), journal),
                    out, pickle.HIGHEST_PROTOCOL)
    out.flush()


def _written(out: IO[bytes]) -> Iterator[tuple[list[PageEntry], list[str], list[tuple[str, ...]]]]:
    """What a worker rendered, module by module: the pages, the page scripts it wrote and the journal
    of its writes to the build's output; a worker that stopped early wrote fewer, whole modules."""
    out.seek(0)
    while True:
        try:
            yield pickle.load(out)
        except (EOFError, pickle.UnpicklingError):
            return


@contextmanager
def rendering_elsewhere(renderer: "Renderer", workers: int,
                        todo: list[int] | None = None) -> Iterator[Callable[[int], None]]:
    """Render modules on other cores while this process renders the course from the front.

    `todo` are the indexes of the modules to share out (all by default; not those kept on disk).

    Yields `take(index)`, to call before rendering each module in order: it returns at once while the
    module is this process's; for the first module a worker took, it waits for the workers and puts
    their pages in the cache, where rendering those modules then finds them. A module a worker could
    not finish is simply not there, and this process renders it.
    """
    import multiprocessing
    import tempfile

    modules = renderer.course.modules
    todo = list(range(len(modules))) if todo is None else todo
    shared = set(todo)
    if workers < 2:
        yield lambda index: None
        return
    if renderer.cache is None:
        renderer.cache = RenderCache()
    pages = renderer.cache.pages
    context = multiprocessing.get_context("fork")
    if renderer.disk is not None:
        renderer.disk.stage()  # one staging folder for every process
    claims = Claims(context, todo)
    gc.freeze()  # keep the collector from touching (and so copying) the shared heap in every worker
    processes, outputs = [], []
    collected = False
    try:
        for _ in range(workers - 1):
            out = tempfile.TemporaryFile()
            process = context.Process(target=_render_from_back, args=(renderer, claims, out), daemon=True)
            process.start()
            processes.append(process)
            outputs.append(out)

        def take(index: int) -> None:
            nonlocal collected
            if collected or index not in shared or claims.front():
                return
            for process, out in zip(processes, outputs):
                process.join()
                for entries, scripts, journal in _written(out):
                    for entry in entries:  # its view says where the page sits, hence its key
                        number, module_number = entry.view.number, entry.view.module.number
                        module = modules[module_number - 1]
                        pages[renderer.page_key(module.pages[number - 1], module, module_number, number)] = entry
                    if renderer.page_files is not None:
                        renderer.page_files.adopt(journal)
                    renderer.files_written.update(scripts)
            collected = True

        yield take
    finally:
        for process in processes:
            if not collected:  # this process stopped early, or needed none of their work
                process.terminate()
            process.join()
        for out in outputs:
            out.close()
        gc.unfreeze()


def worker_count(lessons: int) -> int:
    """How many processes a build of this size gains from."""
    return min(available_cores(), 8) if lessons >= PARALLEL_MIN_LESSONS else 1


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's in a container limited to some)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
