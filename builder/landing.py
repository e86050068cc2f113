"""The course's landing page as ready values: total time, module cards and the cover image.

Computed here so that `partials/landing.html` only lays them out: durations are summed and worded
in the course's language, and each card knows where it leads with and without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .errors import Issues
from .model import Course
from .theme import fmt
from .views import ModuleView


@dataclass
class LandingModuleView:
    """One module's card: where it starts, how long it takes, how many pages it has."""

    id: str
    number: int
    title: str
    duration_text: str  # "" when the module states no time
    pages_text: str
    href: str  # its first page (#/<page-id>): the runtime's address, and the single file's anchor
    file: str  # its page for reading without JavaScript (module-<id>.html), when the course is paged


@dataclass
class LandingView:
    total_minutes: int
    total_text: str  # "" when no page states a time
    modules_text: str
    start_href: str
    cover: str = ""  # the image's URL in the course, "" for none
    cover_alt: str = ""
    modules: list[LandingModuleView] = field(default_factory=list)
    cards: list[LandingModuleView] = field(default_factory=list)  # the cards index.html holds (the others: later_cards)


# The cards index.html holds when its pages load on demand: more than the first screen shows at any
# width; the others come with pages/outline.js (so that index.html grows little with the modules).
FIRST_CARDS = 12


def later_cards(view: LandingView) -> list[LandingModuleView]:
    """The cards pages/outline.js brings: the modules' after the cards index.html holds."""
    return view.modules[len(view.cards):]


# What a theme whose catalogue lacks the landing's strings gets (a theme that does not extend the default).
DEFAULT_STRINGS = {
    "duration_minutes": "About {n} min", "landing_hours": "About {h} h", "landing_hours_minutes": "About {h} h {m} min",
    "landing_module_pages": "Pages: {n}", "landing_modules_count": "Modules: {n}",
}


def duration_text(minutes: int, strings: dict[str, str]) -> str:
    """"About 45 min" or "About 5 h 2 min", in the interface language ("" for no time at all)."""
    if minutes <= 0:
        return ""
    strings = {**DEFAULT_STRINGS, **strings}
    hours, rest = divmod(minutes, 60)
    digits = strings.get("digits", "")
    if not hours:
        return fmt(strings["duration_minutes"], digits, n=minutes)
    if not rest:
        return fmt(strings["landing_hours"], digits, h=hours)
    return fmt(strings["landing_hours_minutes"], digits, h=hours, m=rest)


def landing_view(course: Course, modules: list[ModuleView], strings: dict[str, str], issues: Issues,
                 resolve_media: Callable[..., str | None], paged: bool = False) -> LandingView:
    """The landing of a rendered course; a cover that is not a media file of the course is reported.
    `paged`: index.html holds the first FIRST_CARDS module cards only."""
    strings = {**DEFAULT_STRINGS, **strings}
    cards = [
        LandingModuleView(
            m.id, m.number, m.title, duration_text(m.duration, strings),
            fmt(strings["landing_module_pages"], strings.get("digits", ""), n=len(m.pages)),
            m.pages[0].href if m.pages else "#main", m.file)
        for m in modules
    ]
    total = sum(m.duration for m in modules)
    count = fmt(strings["landing_modules_count"], strings.get("digits", ""), n=len(modules))
    view = LandingView(total, duration_text(total, strings), count, cards[0].href if cards else "#main", modules=cards,
                       cards=cards[:FIRST_CARDS] if paged else cards)
    if course.cover:
        if course.cover_alt is None:
            issues.error(course.cover_source, f"the cover image '{course.cover}' has no cover_alt",
                         "say what it shows in cover_alt: \"...\" (or cover_alt: \"\" when it only decorates), "
                         "for learners who cannot see it")
        view.cover = resolve_media("", course.cover, course.cover_source, "cover image") or ""
        view.cover_alt = course.cover_alt or ""
    return view
