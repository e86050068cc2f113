"""A course kept in memory between builds, so `course serve` rebuilds only what an edit touched."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildCaches, BuildReport, build


@dataclass
class Project:
    """One course folder and its output folder, with what the last build learned.

    `rebuild(changed)` gives the same result as a full build of the current sources; it raises
    BuildError (leaving the last good output in place) when the sources have errors.
    """

    source: Path
    out: Path
    strict: bool = False
    last: BuildReport | None = field(default=None, init=False, repr=False)
    caches: BuildCaches = field(default_factory=BuildCaches, init=False, repr=False)

    def build(self) -> BuildReport:
        """A full build; remembers the result for the next rebuild."""
        self.caches = BuildCaches()
        self.last = build(self.source, self.out, strict=self.strict, caches=self.caches)
        return self.last

    def rebuild(self, changed: set[Path]) -> BuildReport:
        """Rebuild after `changed` files were saved (paths anywhere under the course or theme).

        Every file is read again (cheap), but only changed files are parsed and only Markdown whose
        text or course-wide lookups changed is rendered again; only changed output files are written.
        A theme change starts afresh.
        """
        if self.last is None or any(self._in_theme(p) for p in changed):
            return self.build()
        previous = self.last.site
        self.last = build(self.source, self.out, strict=self.strict, caches=self.caches, previous=previous)
        return self.last

    def _in_theme(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(folder) for folder in self.watched[1:])

    @property
    def watched(self) -> list[Path]:
        """Folders whose changes call for a rebuild: the course and its theme chain."""
        if self.last is not None and self.last.site is not None and self.last.site.theme_folders:
            return [self.source, *self.last.site.theme_folders]
        from .build import theme_folders

        return [self.source, *theme_folders(self.source)]
