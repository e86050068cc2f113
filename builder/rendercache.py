"""Rendering kept between builds (`course serve`) and shared between processes (large courses)."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bothends import from_both_ends
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

    def current(self, stamps: dict[str, int | None]) -> bool:
        """Still what rendering would give: every file it read is there, unchanged (`file_stamp`)."""
        return all(file_stamp(stamps, path) == stamp for path, stamp in self.inputs.items())


def file_stamp(stamps: dict[str, int | None], path: str) -> int | None:
    """A file's modification time, None when it cannot be read: looked at once per build, in `stamps`
    (a thousand lessons show a dozen images)."""
    if path not in stamps:
        try:
            stamps[path] = os.stat(path).st_mtime_ns
        except OSError:
            stamps[path] = None
    return stamps[path]


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
    strings), or by that key's digest in a `course build` (`Renderer.cache_keys`); `entries` holds the Markdown fields outside pages (module descriptions, glossary,
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

    def start(self) -> None:
        self.used, self.hits, self.misses = set(), 0, 0

    def prune(self) -> None:
        """Forget what the last build did not use, so memory stays flat while a trainer edits."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.pages = {k: v for k, v in self.pages.items() if k in self.used}


# What a worker rendered of one module: its pages, the page scripts it wrote, its journal of writes to the output.
Rendered = tuple[list[PageEntry], list[str], list[tuple[str, ...]]]


def _render_from_back(renderer: "Renderer", index: int) -> Rendered:
    """In a worker: one module taken from the back rendered, for the building process to take in.

    Pages with problems are left out: the building process renders them again and reports them.
    """
    if not renderer.forked:  # the worker's first module
        renderer.issues, renderer.forked = Issues(), True
        if renderer.page_files is not None:
            renderer.page_files.start_journal()
    renderer.cache = RenderCache()  # holds one module's pages at a time: memory stays flat
    renderer.files_written = set()
    renderer.module_view(renderer.course.modules[index], index + 1)
    journal = renderer.page_files.take_journal() if renderer.page_files is not None else []
    return list(renderer.cache.pages.values()), sorted(renderer.files_written), journal


def _take_rendered(renderer: "Renderer", rendered: dict[int, Rendered] | None) -> None:
    """What the workers rendered, in this process: the pages go in the cache, where rendering their
    modules then finds them; the page scripts they wrote and their journals of writes are adopted."""
    modules = renderer.course.modules
    for index, (entries, scripts, journal) in (rendered or {}).items():
        keys = renderer.cache_keys(modules[index], index + 1)  # the module's, once
        for entry in entries:  # its view says where the page sits, hence its key
            renderer.cache.pages[keys[entry.view.number - 1]] = entry
        let_go = {keys[entry.view.number - 1]: entry for entry in entries if "section_html" not in entry.view.__dict__}
        if let_go:  # the worker let their laid-out HTML go, once kept on disk: read again if asked for
            renderer._laid_out_later(modules[index], renderer.module_keys(modules[index], index + 1)[2], let_go)
        if renderer.page_files is not None:
            renderer.page_files.adopt(journal)
        renderer.files_written.update(scripts)


@contextmanager
def rendering_elsewhere(renderer: "Renderer", workers: int, todo: list[int]) -> Iterator[Callable[[int], None]]:
    """Render modules on other cores while this process renders the course from the front.

    `todo` are the indexes of the modules to share out (not those kept on disk).

    Yields `take(index)`, to call before rendering each module in order (`bothends.from_both_ends`):
    the pages the workers rendered go in the cache, where rendering those modules then finds them; a
    module a worker could not finish is not there, and this process renders it.
    """
    if workers < 2:
        yield lambda index: None
        return
    if renderer.cache is None:
        renderer.cache = RenderCache()
    if renderer.disk is not None:
        renderer.disk.make_folder()  # once, for every process
    with from_both_ends(todo, workers, lambda index: _render_from_back(renderer, index)) as reach:
        yield lambda index: _take_rendered(renderer, reach(index))
