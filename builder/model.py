"""The course as typed, immutable objects: what every later stage reads, with positions for errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Union

from .errors import SourceRef

QuestionType = Literal["single", "multiple", "true-false", "fill-in", "matching", "ordering", "categorisation",
                       "hotspot"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true-false", "fill-in", "matching", "ordering",
                                   "categorisation", "hotspot")
ENDINGS: tuple[str, ...] = ("good", "neutral", "poor")
LEVELS: tuple[str, ...] = ("international", "regional", "national")


def remembered_hash(cls: type) -> type:
    """A frozen page class whose hash is worked out once per object: a page is the key of its rendering
    (`Renderer.page_key`), looked up several times a build, and a scenario's hash walks every node and
    choice. Kept beside the fields (`cached_property`'s way), and never pickled: hashes of text differ
    from one interpreter to the next."""
    of_fields = cls.__hash__

    def __hash__(self: object) -> int:
        known = self.__dict__.get("_hash")
        if known is None:
            known = self.__dict__["_hash"] = of_fields(self)
        return known

    def __getstate__(self: object) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    cls.__hash__ = __hash__  # type: ignore[assignment]
    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    return cls


@dataclass(frozen=True)
class Completion:
    """When the course is complete: `pages` is "all" or a percentage; the assessments to finish.

    `pass_mark` is the older spelling of a course-level pass mark: the loader turns it into a
    score-based `Pass` rule when course.yaml has no `pass` rule of its own.
    """

    pages: str | int = "all"
    assessments: str | tuple[str, ...] = "all"
    pass_mark: int | None = None
    source: SourceRef | None = None


@dataclass(frozen=True)
class Pass:
    """When the course is passed.

    rule "each": every listed assessment (`assessments`, "all" by default) passed on its own pass
    mark; rule "score": the weighted course score reaches `pass_mark` (weights by page id; an
    assessment left out of `weights` weighs its points).
    """

    rule: str = "each"
    assessments: str | tuple[str, ...] = "all"
    weights: tuple[tuple[str, float], ...] = ()
    pass_mark: int | None = None
    source: SourceRef | None = None


@dataclass(frozen=True)
class Tracking:
    """What the packages and the runtime report: SCORM versions, cmi5 units, an xAPI endpoint."""

    scorm: tuple[str, ...] = ("1.2", "2004")
    cmi5: str | None = None  # "course" (one assignable unit) or "modules" (one per module)
    activity_id: str = ""  # the course's xAPI activity IRI; "" means urn:coursewright:<course id>
    xapi_endpoint: str = ""  # an LRS the web course reports to ("" for none)
    xapi_auth: str = ""  # its Authorization header value (a write-only key)

    def activity(self, course_id: str) -> str:
        """The course's activity IRI, the stem of every page's and question's."""
        return (self.activity_id or f"urn:coursewright:{course_id}").rstrip("/")


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    feedback: str = ""
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Group:
    """A named group of a categorisation question; items name it by its id."""

    id: str
    text: str
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class SortItem:
    """An item of a categorisation question and the id of the group it belongs in."""

    text: str
    group: str
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Region:
    """An area of a hotspot image: a rectangle (x, y, width, height) or a polygon, in percent of the image."""

    label: str
    shape: str  # "rect" or "polygon"
    points: tuple[tuple[float, float], ...]  # rect: its top-left and bottom-right corners
    correct: bool = False
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def corners(self) -> tuple[tuple[float, float], ...]:
        """The outline as a polygon (a rect's four corners)."""
        if self.shape == "rect" and len(self.points) == 2:
            (x0, y0), (x1, y1) = self.points
            return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        return self.points

    @property
    def area(self) -> float:
        """In square percent; the runtime chooses the smallest of regions that overlap under a click."""
        c = self.corners
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(c, c[1:] + c[:1]))) / 2

    @property
    def centre(self) -> tuple[float, float]:
        """Where a marker stands for the region when it is chosen from the list."""
        c = self.corners or ((50.0, 50.0),)
        return (round(sum(x for x, _ in c) / len(c), 2), round(sum(y for _, y in c) / len(c), 2))


@dataclass(frozen=True)
class Question:
    """One question of a quiz or an inline check; its id is reported to the LMS."""

    id: str
    type: str
    prompt: str
    points: float = 1
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    answers: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    items: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()  # categorisation
    sort_items: tuple[SortItem, ...] = ()  # categorisation: the `items` that name a group
    image: str = ""  # hotspot: the picture, relative to the question's file
    alt: str = ""
    regions: tuple[Region, ...] = ()
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    explanation: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class PageBase:
    """What every page has: an id (`module/page`), a title, and what trainers say about it."""

    id: str
    slug: str
    module_id: str
    title: str
    objectives: tuple[str, ...] = ()
    duration: int | None = None
    summary: str = ""
    facilitator: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    kind: str = ""
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def is_assessment(self) -> bool:
        return self.kind == "assessment"


@remembered_hash
@dataclass(frozen=True, kw_only=True)
class Lesson(PageBase):
    body: str
    body_line: int  # 0-based line where the Markdown body starts in the file
    kind: str = "lesson"
    source_headings: tuple[str, ...] = ()  # a translation: the ids of its source's headings, in order
    source_checks: tuple[str, ...] = ()  # a translation: its source's `::: check` blocks (YAML), in order


@remembered_hash
@dataclass(frozen=True, kw_only=True)
class Quiz(PageBase):
    questions: tuple[Question, ...]
    kind: str = "knowledge-check"
    pass_mark: int | None = None
    attempts: int = 0
    shuffle: bool = False
    draw: int | None = None
    feedback: str = "immediate"
    one_per_screen: bool = False  # one question at a time, with Previous / Next and a progress indicator
    intro: str = ""


@dataclass(frozen=True)
class Condition:
    """A condition as the trainer wrote it; `conditions.parse` turns it into what is evaluated."""

    text: str
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True)
class Branch:
    """One way a choice can lead: to `node`, when `when` holds (or always, when it is None)."""

    node: str
    when: Condition | None = None
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True)
class Choice:
    """A decision: where it leads (the first branch whose condition holds), what it sets and adds."""

    text: str
    goto: str  # the plain target, or the last (default) branch's
    points: float = 0
    feedback: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    branches: tuple[Branch, ...] = ()
    sets: tuple[str, ...] = ()
    adds: tuple[tuple[str, float], ...] = ()
    harmful: bool = False

    def __post_init__(self) -> None:
        if not self.branches:  # a plain `goto: node` is one branch that always holds
            object.__setattr__(self, "branches", (Branch(self.goto, None, self.source),))

    @property
    def targets(self) -> tuple[str, ...]:
        """Every node this choice can lead to, in order."""
        return tuple(b.node for b in self.branches)


@dataclass(frozen=True)
class Line:
    """A line of dialogue, said by one of the scenario's characters."""

    who: str
    say: str
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class DebriefPart:
    """A paragraph of an ending's debrief, shown when `when` holds for the learner's path."""

    text: str
    when: Condition | None = None
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Character:
    """Someone on the scenario's stage: named in dialogue, drawn in a portrait."""

    id: str
    name: str
    role: str = ""
    portrait: str | None = None
    alt: str = ""
    colour: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Node:
    id: str
    text: str
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    debrief: str = ""
    image: str | None = None
    alt: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    lines: tuple[Line, ...] = ()
    debrief_parts: tuple[DebriefPart, ...] = ()  # a debrief written as a list, some parts conditional


@remembered_hash
@dataclass(frozen=True, kw_only=True)
class Scenario(PageBase):
    start: str
    nodes: tuple[Node, ...]
    kind: str = "practice"
    intro: str = ""
    characters: tuple[Character, ...] = ()
    pass_mark: int | None = None
    attempts: int = 0

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def character(self, character_id: str) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)

    @property
    def choices(self) -> tuple[Choice, ...]:
        return tuple(c for n in self.nodes for c in n.choices)

    @property
    def has_points(self) -> bool:
        """Whether any choice earns points: then a 0-point choice counts as a harmful one."""
        return any(c.points > 0 for c in self.choices)

    def is_harmful(self, choice: Choice) -> bool:
        return choice.harmful or (self.has_points and choice.points <= 0)

    def tone(self, node: Node, choice: Choice) -> str:
        """good, mixed or risky, for how a choice is shown and announced ('' when nothing says)."""
        if self.is_harmful(choice):
            return "risky"
        if not self.has_points:
            return ""
        return "good" if choice.points >= max(c.points for c in node.choices) else "mixed"


Page = Union[Lesson, Quiz, Scenario]


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    pages: tuple[Page, ...]
    description: str = ""
    objectives: tuple[str, ...] = ()
    duration: int | None = None
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def total_duration(self) -> int:
        """The module's stated duration, or the sum of its pages'."""
        if self.duration is not None:
            return self.duration
        return sum(p.duration or 0 for p in self.pages)


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    source_ref: str = ""  # e.g. "@palermo-protocol:3"
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Article:
    number: str
    title: str
    summary: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    short: str
    level: str
    adopted: str
    summary: str = ""
    jurisdiction: str = ""
    in_force: str = ""
    url: str = ""
    articles: tuple[Article, ...] = ()
    source: SourceRef = field(default=SourceRef(""), compare=False)
    text_refs: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def article(self, number: str) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    modules: tuple[Module, ...]
    glossary: tuple[Term, ...] = ()
    frameworks: tuple[Instrument, ...] = ()
    subtitle: str = ""
    description: str = ""
    language: str = "en"
    translations: tuple[str, ...] = ()
    version: str = "1.0.0"
    authors: tuple[str, ...] = ()
    organization: str = ""
    license: str = ""
    theme: str = "default"
    theme_options: dict = field(default_factory=dict, compare=False, hash=False)
    allow_html: bool = False
    neutral_media: tuple[str, ...] = ()  # media paths or folders with no words to translate
    completion: Completion = Completion()
    pass_rule: Pass = Pass()
    tracking: Tracking = Tracking()
    cover: str = ""  # the landing's image: a media path relative to course.yaml
    cover_alt: str | None = None  # its text alternative ("" for a decorative image; None: not given)
    cover_source: SourceRef = field(default=SourceRef("course.yaml"), compare=False)
    source: SourceRef = field(default=SourceRef("course.yaml"), compare=False)

    @cached_property
    def pages(self) -> tuple[Page, ...]:
        """Every page in reading order."""
        return tuple(p for m in self.modules for p in m.pages)

    @property
    def dir(self) -> str:
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
