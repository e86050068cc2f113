"""Ready-to-show values for templates: every Markdown field is HTML, every link is computed here."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


def page_anchor(page_id: str) -> str:
    """The HTML id of a page's section: ids are unique in the one-page course."""
    return "p-" + page_id.replace("/", "--")


def page_href(page_id: str) -> str:
    return "#/" + page_id


@dataclass
class OptionView:
    text_html: Markup
    correct: bool
    feedback_html: Markup


@dataclass
class PairView:
    left_html: Markup
    right_html: Markup


@dataclass
class GroupView:
    id: str
    text_html: Markup


@dataclass
class SortItemView:
    text_html: Markup
    group: int  # the index of its group


@dataclass
class RegionView:
    label_html: Markup
    correct: bool
    shape: str  # "rect" or "polygon"
    points: list[tuple[float, float]]  # in percent of the image; a rect's two opposite corners

    @property
    def svg_points(self) -> str:
        """The region's outline as an SVG `points` list in a 100 × 100 box."""
        corners = self.points
        if self.shape == "rect" and len(corners) == 2:
            (x0, y0), (x1, y1) = corners
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        return " ".join(f"{x:g},{y:g}" for x, y in corners)


@dataclass
class QuestionView:
    id: str
    key: str
    type: str
    prompt_html: Markup
    points: float
    options: list[OptionView]
    answer: bool | None
    answers: list[str]
    pairs: list[PairView]
    items: list[Markup]
    feedback_correct_html: Markup
    feedback_incorrect_html: Markup
    explanation_html: Markup
    groups: list[GroupView] = field(default_factory=list)
    sort_items: list[SortItemView] = field(default_factory=list)
    image: str | None = None  # hotspot: the image's URL in the course
    alt: str = ""
    regions: list[RegionView] = field(default_factory=list)

    @property
    def several_correct(self) -> bool:
        """A hotspot with more than one right region: learners may choose several."""
        return sum(1 for r in self.regions if r.correct) > 1

    @property
    def hint_key(self) -> str:
        """The interface string that tells learners how to answer this question."""
        if self.type == "hotspot" and self.several_correct:
            return "hint_hotspot_many"
        return "hint_" + self.type.replace("-", "_")


@dataclass
class QuizView:
    id: str
    title: str
    kind: str
    pass_mark: int | None
    attempts: int
    shuffle: bool
    draw: int | None
    feedback: str
    intro_html: Markup
    questions: list[QuestionView]


@dataclass
class BranchView:
    """Where a choice can lead, and when: the no-JS page links every one, the guide shows the condition."""

    node: str
    anchor: str
    condition: str  # as the trainer wrote it; '' for the default branch
    ending: str | None = None  # the ending it leads to, for its link's words


@dataclass
class ChoiceView:
    text_html: Markup
    goto: str
    goto_anchor: str
    points: float
    feedback_html: Markup
    tone: str = ""  # good, mixed, risky or ''
    branches: list[BranchView] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    adds: list[tuple[str, float]] = field(default_factory=list)

    @property
    def conditional(self) -> bool:
        return len(self.branches) > 1 or any(b.condition for b in self.branches)


@dataclass
class CharacterView:
    id: str
    name: str
    role: str
    portrait: str | None
    alt: str
    colour: str


@dataclass
class LineView:
    character: CharacterView
    say_html: Markup


@dataclass
class DebriefPartView:
    html: Markup
    condition: str  # '' when always shown


@dataclass
class NodeView:
    id: str
    anchor: str
    text_html: Markup
    image: str | None
    alt: str
    ending: str | None
    debrief_html: Markup
    choices: list[ChoiceView]
    lines: list[LineView] = field(default_factory=list)
    debrief_parts: list[DebriefPartView] = field(default_factory=list)


@dataclass
class ScenarioView:
    id: str
    title: str
    kind: str
    intro_html: Markup
    start: str
    max_points: float
    nodes: list[NodeView]
    characters: list[CharacterView] = field(default_factory=list)


@dataclass
class ModuleView:
    id: str
    number: int
    title: str
    description_html: Markup
    objectives: list[str]
    duration: int
    pages: list[PageView] = field(default_factory=list)
    file: str = ""  # its page for reading without JavaScript (module-<id>.html), when the course is paged


@dataclass(frozen=True)
class ModuleLink:
    """A module as the page of the module before or after it links to it (`module.html`'s `previous`, `next`)."""
    id: str
    number: int
    title: str
    file: str


@dataclass
class PageView:
    id: str
    anchor: str
    href: str
    kind: str
    title: str
    module: ModuleView
    number: int
    duration: int | None
    objectives: list[str]
    summary_html: Markup
    body_html: Markup = field(default_factory=Markup)
    quiz: QuizView | None = None
    scenario: ScenarioView | None = None
    prev: PageView | None = None
    next: PageView | None = None
    section_html: Markup = field(default_factory=Markup)  # the page as partials/page.html lays it out
    lang: str = ""  # the language of the page's own text when it is not the course's (a page not translated yet)
    dir: str = ""

    # A page kept on disk comes without its laid-out HTML (`LAID_OUT`: most of its bytes) while the
    # output holds its files as they would be made: what reads that HTML then (the single-file
    # edition, the documents) has it read (or laid out again) at that moment, by `_later`. Their
    # defaults are factories, so that a view without them has no class attribute to fall back on.
    def __getattr__(self, name: str) -> Any:
        later = self.__dict__.get("_later")
        if name in LAID_OUT and later is not None:
            later()  # fills in the laid-out HTML of every page of the module, and drops `_later`
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


LAID_OUT = ("body_html", "section_html")  # a page's laid-out HTML (its body is a part of its section)


@dataclass
class TermView:
    id: str
    anchor: str
    term: str
    aliases: list[str]
    definition_html: Markup
    source_html: Markup


@dataclass
class LetterView:
    letter: str
    terms: list[TermView]


@dataclass
class GlossaryView:
    letters: list[LetterView]


@dataclass
class ArticleView:
    number: str
    anchor: str
    title: str
    summary_html: Markup


@dataclass
class InstrumentView:
    id: str
    anchor: str
    title: str
    short: str
    level: str
    jurisdiction: str
    adopted: str
    in_force: str
    summary_html: Markup
    url: str
    articles: list[ArticleView]


@dataclass
class LevelView:
    level: str
    label: str
    instruments: list[InstrumentView]


@dataclass
class FrameworksView:
    levels: list[LevelView]


@dataclass
class SiteView:
    id: str
    title: str
    subtitle: str
    description: str
    version: str
    language: str
    dir: str
    organization: str
    authors: list[str]
    license: str
    generator: str


@dataclass
class ThemeView:
    options: dict[str, Any]
    stylesheets: list[str]
    scripts: list[str]


@dataclass
class LanguageView:
    """One entry of the language picker: the language's own name, and its course's address."""

    code: str
    name: str
    href: str
    current: bool
    dir: str = "ltr"
