"""The facilitator guide and the learner handout: print-ready, self-contained HTML made from the rendered course.

Both come from the views the web course was rendered from (every Markdown field already HTML); this
module adds what print needs: the timed lesson plan, answer keys in the guide, self-test questions
without answers in the handout, and the theme's document templates and print styles, all inlined.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

import click
import jinja2
from markupsafe import Markup

from .build import BuildReport, root_label
from .errors import Issue, Issues, did_you_mean
from .model import Course
from .render import Renderer, RenderedSite
from .singlefile import (
    DEFAULT_MAX_MEDIA_KB, EditingParser, EditionError, SiteFiles, edition_name, inline_html, single_file_editions,
    sites_by_language, write_files,
)
from .sources import inside
from .theme import BUILTIN_THEMES, Theme, fmt, load_strings, load_theme, template_issue
from .views import (
    GroupView, ModuleView, NodeView, OptionView, PageView, PairView, QuestionView, RegionView, SortItemView, page_anchor,
)

DEFAULT_THEME = BUILTIN_THEMES / "default"
DOCUMENTS = ("facilitator", "handout")


# -- the timed lesson plan -------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    """A pause the trainer asks for, after a module or a page (by id)."""

    after: str
    minutes: int


def parse_start(text: str) -> int:
    """`HH:MM` as minutes after midnight."""
    try:
        moment = datetime.strptime(text.strip(), "%H:%M")
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a time of day; give it as HH:MM, e.g. 09:00",
                                 param_hint="'--start'") from None
    return moment.hour * 60 + moment.minute


def parse_break(text: str) -> Break:
    """`AFTER=MINUTES`, e.g. `understanding-trafficking=15`."""
    after, _, minutes = text.rpartition("=")
    if not after.strip() or not minutes.strip().isdigit() or int(minutes) <= 0:
        raise click.BadParameter(f"'{text}' is not AFTER=MINUTES, e.g. understanding-trafficking=15 "
                                 "(AFTER: a module id or a page id)", param_hint="'--break'")
    return Break(after.strip().strip("/"), int(minutes))


def clock(minutes: int) -> str:
    """Minutes after midnight as `HH:MM` (a plan running past midnight wraps round)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@dataclass
class Slot:
    """One row of a lesson plan: a page, or a break (`page` None)."""

    start: str
    end: str
    minutes: int
    page: PageView | None = None
    timed: bool = True  # False: the page has no duration, so it counts as no time


@dataclass
class ModulePlan:
    module: ModuleView
    start: str
    end: str
    minutes: int
    slots: list[Slot]

    @property
    def after(self) -> list[Slot]:
        """The breaks that follow the module's last page (the session overview lists them)."""
        last = max((i for i, s in enumerate(self.slots) if s.page is not None), default=-1)
        return self.slots[last + 1:]


@dataclass
class Schedule:
    """The whole session: module by module, breaks included, from the trainer's start time."""

    start: str
    end: str
    minutes: int  # teaching time, without breaks
    break_minutes: int
    modules: list[ModulePlan]


def plan(modules: Sequence[ModuleView], start: int = 9 * 60, breaks: Sequence[Break] = ()) -> Schedule:
    """Lay the pages' durations end to end from `start`, with each break after the page or module it follows."""
    known = [m.id for m in modules] + [p.id for m in modules for p in m.pages]
    pauses: dict[str, int] = {}
    for pause in breaks:
        if pause.after not in known:
            raise click.BadParameter(f"'{pause.after}' is not a module or page id of this course; "
                                     + (did_you_mean(pause.after, known) or f"modules: {', '.join(known[:len(modules)])}"),
                                     param_hint="'--break'")
        pauses[pause.after] = pauses.get(pause.after, 0) + pause.minutes
    now, taught, paused, plans = start, 0, 0, []

    def pause_after(target: str, slots: list[Slot]) -> None:
        nonlocal now, paused
        if target in pauses:
            slots.append(Slot(clock(now), clock(now + pauses[target]), pauses[target]))
            now, paused = now + pauses[target], paused + pauses[target]

    for module in modules:
        slots: list[Slot] = []
        module_start = module_end = now
        for page in module.pages:
            minutes = page.duration or 0
            slots.append(Slot(clock(now), clock(now + minutes), minutes, page, page.duration is not None))
            now, taught = now + minutes, taught + minutes
            module_end = now  # a break after the module's last page is not part of the module
            pause_after(page.id, slots)
        pause_after(module.id, slots)
        plans.append(ModulePlan(module, clock(module_start), clock(module_end), module_end - module_start, slots))
    return Schedule(clock(start), clock(now), taught, paused, plans)


def duration_text(minutes: int, strings: dict[str, str]) -> str:
    """`2 h 15 min`, in the document's language."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return fmt(strings["doc_hours_minutes"], strings.get("digits", ""), h=hours, m=rest)
    if hours:
        return fmt(strings["doc_hours"], strings.get("digits", ""), h=hours)
    return fmt(strings["doc_minutes"], strings.get("digits", ""), n=rest)


# -- what the guide adds to the page views -------------------------------------------------------

@dataclass
class GuideRoute:
    """One way a choice can lead: the condition as the trainer wrote it ('' for always/otherwise)."""

    condition: str
    target: GuideNode


@dataclass
class GuideChoice:
    text_html: Markup
    points: float
    feedback_html: Markup
    target: GuideNode
    routes: list[GuideRoute] = field(default_factory=list)  # more than one when the way depends on the path
    remembers: list[str] = field(default_factory=list)  # flags set and scores added, as `flag`, `trust +1`
    tone: str = ""


@dataclass
class GuideNode:
    """A scenario node numbered for discussion, each choice pointing at the node it leads to."""

    node: NodeView
    number: int
    label: str  # "Situation", or how the story ends
    choices: list[GuideChoice] = field(default_factory=list)


@dataclass
class GuidePage:
    page: PageView
    slot: Slot
    notes_html: Markup
    checks: list[QuestionView]  # the lesson's inline checks, with their answers
    nodes: list[GuideNode]


@dataclass
class SelfTest:
    """A question for the handout: the prompt and what to choose from, in an order that gives nothing away."""

    question: QuestionView
    options: list[OptionView]
    rights: list[Markup]
    items: list[Markup]
    sort_items: list[Markup] = field(default_factory=list)  # categorisation: the items, scrambled


@dataclass
class HandoutPage:
    page: PageView
    body: list[BodyPart]
    questions: list[SelfTest]
    assessed: bool
    opening: NodeView | None


def guide_nodes(nodes: Sequence[NodeView], strings: dict[str, str]) -> list[GuideNode]:
    """The scenario's nodes numbered from the start, each choice linked to the node it leads to."""
    numbered = {n.id: GuideNode(n, number, strings[f"ending_{n.ending}"] if n.ending else strings["scenario_situation"])
                for number, n in enumerate(nodes, 1)}
    for guide_node in numbered.values():
        guide_node.choices = [
            GuideChoice(c.text_html, c.points, c.feedback_html, numbered[c.goto],
                        [GuideRoute(b.condition, numbered[b.node]) for b in c.branches] if c.conditional else [],
                        [*c.sets, *(f"{name} {amount:+g}" for name, amount in c.adds)], c.tone)
            for c in guide_node.node.choices]
    return list(numbered.values())


def check_view(data: dict[str, Any]) -> QuestionView:
    """An inline check from the course data (the web page only shows its prompt and options)."""
    html = Markup
    return QuestionView(
        id=data["id"], key=data["key"], type=data["type"], prompt_html=html(data["prompt_html"]),
        points=data["points"], answer=data["answer"], answers=list(data["answers"]),
        options=[OptionView(html(o["text_html"]), o["correct"], html(o["feedback_html"])) for o in data["options"]],
        pairs=[PairView(html(p["left_html"]), html(p["right_html"])) for p in data["pairs"]],
        items=[html(i) for i in data["items_html"]],
        feedback_correct_html=html(data["feedback_correct_html"]),
        feedback_incorrect_html=html(data["feedback_incorrect_html"]),
        explanation_html=html(data["explanation_html"]),
        groups=[GroupView(g["id"], html(g["text_html"])) for g in data.get("groups", ())],
        sort_items=[SortItemView(html(i["text_html"]), i["group"]) for i in data.get("sort_items", ())],
        image=data.get("image"), alt=data.get("alt", ""),
        regions=[RegionView(html(r["label_html"]), r["correct"], r["shape"], [tuple(p) for p in r["points"]])
                 for r in data.get("regions", ())])


def scrambled(values: Sequence[Any], seed: str) -> list[Any]:
    """The same values with none in its place (stable between builds), so the printed order is no answer."""
    order = list(range(len(values)))
    rng = random.Random(seed)
    while len(order) > 1 and any(i == n for i, n in enumerate(order)):
        rng.shuffle(order)
    return [values[i] for i in order]


def self_test(question: QuestionView, shuffle: bool = False) -> SelfTest:
    """Options keep the order learners see first in the course (scrambled when the quiz shuffles them)."""
    options = scrambled(question.options, question.key) if shuffle else question.options
    return SelfTest(question, options, scrambled([p.right_html for p in question.pairs], question.key),
                    scrambled(question.items, question.key),
                    scrambled([i.text_html for i in question.sort_items], question.key))


@dataclass
class BodyPart:
    """A stretch of a lesson's HTML, then the inline check that ends it (printed as a self-test), if any."""

    html: Markup
    check: SelfTest | None = None


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _Body(EditingParser):
    """Moves headings down under the document's own, and finds the inline checks with their extent."""

    def __init__(self, text: str, shift: int) -> None:
        super().__init__(text)
        self.shift = shift
        self.checks: list[tuple[int, int, str]] = []
        self._check: tuple[int, str, int] | None = None  # start, key, depth of nested <div>s

    def _level(self, tag: str) -> str:
        return f"h{min(6, int(tag[1]) + self.shift)}"
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start, values = self._position(), dict(attrs)
        if self._check is not None:
            if tag == "div":
                self._check = (self._check[0], self._check[1], self._check[2] + 1)
        elif tag == "div" and "inline-check" in (values.get("class") or "").split():
            self._check = (start, values.get("data-check") or "", 1)
        elif tag in HEADINGS and self.shift:
            self.edits.append((start, start + 3, "<" + self._level(tag)))

    def handle_endtag(self, tag: str) -> None:
        start = self._position()
        end = self.text.index(">", start) + 1
        if self._check is not None:
            if tag == "div":
                check_start, key, depth = self._check
                self._check = (check_start, key, depth - 1) if depth > 1 else None
                if depth == 1:
                    self.checks.append((check_start, end, key))
        elif tag in HEADINGS and self.shift:
            self.edits.append((start, end, f"</{self._level(tag)}>"))


def body_parts(html: str, shift: int, checks: dict[str, SelfTest] | None = None) -> list[BodyPart]:
    """Lesson HTML with its headings fitted under the document's; with `checks`, each inline check swapped for its self-test."""
    body = _Body(html, shift).run()
    if checks is None:
        return [BodyPart(Markup(body.apply()))]
    parts, last = [], 0
    for start, end, key in body.checks:
        parts.append(BodyPart(Markup(body.apply(last, start)), checks.get(key)))
        last = end
    parts.append(BodyPart(Markup(body.apply(last))))
    return parts


# -- making the documents ------------------------------------------------------------------------

def facilitator_notes(course: Course, root: Path, theme: Theme, issues: Issues) -> tuple[dict[str, Markup], dict]:
    """Each page's `facilitator` notes as HTML, through the course's Markdown; and the media they show."""
    renderer = Renderer(course, root, theme, issues, strict=False)
    notes = {}
    for page in course.pages:
        if page.facilitator.strip():
            env = renderer.env(page.source.path, page.source.line - 1, page_anchor(page.id) + "--notes", page.id)
            notes[page.id] = renderer.block(page.facilitator, env)
    return notes, renderer.media


def stylesheets(theme: Theme) -> Markup:
    """The print styles of the documents: the default theme's, then any a derived theme adds."""
    folders = [DEFAULT_THEME] + [f for f in reversed(theme.folders) if f != DEFAULT_THEME]
    sheets = [p for f in folders for p in sorted((f / "documents").glob("*.css")) if inside(p, f)]
    return Markup("\n".join(p.read_text(encoding="utf-8") for p in sheets))


def environment(theme: Theme) -> jinja2.Environment:
    """The theme's environment (course overrides, then the theme chain), falling back to the default documents."""
    fallback = jinja2.FileSystemLoader(str(DEFAULT_THEME / "templates"))
    env = theme.env.overlay(loader=jinja2.ChoiceLoader([theme.env.loader, fallback]))
    env.filters = {**env.filters, "number": lambda value: f"{value:g}"}  # points as people write them: 2, not 2.0
    return env


def document_strings(theme: Theme, site: RenderedSite, lang: str) -> dict[str, str]:
    """The theme's interface strings for the language, with the documents' own (documents/locales/) on top."""
    folders = [f / "documents" for f in theme.folders if f != DEFAULT_THEME] + [DEFAULT_THEME / "documents"]
    return {**site.context["strings"], **load_strings(folders, lang, Issues())}


def render_documents(site: RenderedSite, root: Path, theme: Theme, schedule_args: tuple[int, list[Break]],
                     issues: Issues, env: jinja2.Environment, css: Markup) -> tuple[dict[str, str], RenderedSite]:
    """The guide and the handout of one language, as HTML still referring to the site's files."""
    course = site.course
    assert course is not None, "a rendered site knows its course"
    context = site.context
    strings = document_strings(theme, site, course.language)
    schedule = plan(context["toc"], *schedule_args)
    notes, media = facilitator_notes(course, root, theme, issues)
    checks = {key: check_view(data) for key, data in site.data.get("checks", {}).items()}
    self_tests = {key: self_test(question) for key, question in checks.items()}
    guide, handout = [], []
    for module_plan in schedule.modules:
        guide_pages, handout_pages = [], []
        for slot in module_plan.slots:
            page = slot.page
            if page is None:  # a break
                continue
            prefix = f"{page.id}/check-"
            keys = sorted((k for k in checks if k.startswith(prefix)), key=lambda k: int(k[len(prefix):]))
            nodes = page.scenario.nodes if page.scenario else []
            note = body_parts(notes[page.id], 3)[0].html if page.id in notes else Markup("")
            guide_pages.append(GuidePage(page, slot, note, [checks[k] for k in keys],
                                         guide_nodes(nodes, strings)))
            assessed = page.quiz is not None and page.quiz.kind == "assessment"
            handout_pages.append(HandoutPage(
                page, body_parts(page.body_html, 2, self_tests) if page.kind == "lesson" else [],
                [self_test(q, page.quiz.shuffle) for q in page.quiz.questions] if page.quiz and not assessed else [],
                assessed, nodes[0] if nodes else None))
        guide.append((module_plan, guide_pages))
        handout.append((module_plan.module, handout_pages))
    shared = dict(context, strings=strings, css=css, schedule=schedule,
                  total_time=duration_text(schedule.minutes, strings),
                  break_time=duration_text(schedule.break_minutes, strings))
    html = {
        "facilitator": no_scripts(env.get_template("documents/facilitator.html").render(
            shared, kind="facilitator", document_title=strings["doc_guide"], modules=guide)),
        "handout": no_scripts(env.get_template("documents/handout.html").render(
            shared, kind="handout", document_title=strings["doc_handout"], modules=handout)),
    }
    return html, RenderedSite(files=site.files, copies={**site.copies, **media})


# The documents are for reading and printing: nothing in them runs, whatever raw HTML (allow_html) a lesson
# holds, and nothing is fetched. The browser enforces it, from the first line of <head>.
NO_SCRIPTS = ('<meta http-equiv="Content-Security-Policy" content="script-src \'none\'; object-src \'none\'; '
              'frame-src \'none\'; connect-src \'none\'; form-action \'none\'; base-uri \'none\'">')


def no_scripts(html: str) -> str:
    """The document with the policy that forbids scripts put first in its <head> (or first of all)."""
    match = re.search(r"<head\b[^>]*>", html, re.IGNORECASE)
    at = match.end() if match else 0
    return html[:at] + "\n" + NO_SCRIPTS + html[at:]


def make_documents(report: BuildReport, source: Path, start: str = "09:00", breaks: Sequence[str] = (),
                   max_media_kb: int = DEFAULT_MAX_MEDIA_KB) -> tuple[dict[str, str], list[Issue]]:
    """Every language's guide and handout, self-contained, by file name; and the problems found."""
    root = source.resolve()
    course, site = report.course, report.site
    assert site is not None, "documents are made from a build's rendered site"
    schedule_args = (parse_start(start), [parse_break(b) for b in breaks])
    issues = Issues()
    theme = load_theme(course.theme, root, course.theme_options, course.source, course.language, issues)
    if theme is None:
        return {}, issues.sorted()
    made: dict[str, str] = {}
    env, css = environment(theme), stylesheets(theme)
    for lang, lang_site in sites_by_language(site).items():
        try:
            html, files_site = render_documents(lang_site, root, theme, schedule_args, issues, env, css)
        except jinja2.TemplateError as exc:
            template_issue(exc, theme, issues)
            continue
        files = SiteFiles(files_site, root, max_media_kb * 1024)
        for kind in DOCUMENTS:
            made[edition_name(course.id, course.version, lang, kind)] = inline_html(html[kind], files, for_print=True)
        issues.extend(i for i in files.issues if i not in issues.items)
    return made, [i for i in issues.sorted() if i.severity == "error"]


def write_editions(report: BuildReport, source: Path, out: Path, *, documents: bool = False, pdf: bool = False,
                   single_file: bool = False, start: str = "09:00", breaks: Sequence[str] = (),
                   max_media_kb: int = DEFAULT_MAX_MEDIA_KB) -> list[Path]:
    """Make every edition asked for in memory, then write them all; on any problem, write none of them."""
    from . import pdf as pdf_engine

    chromium = pdf_engine.find_engine() if pdf else None
    files: dict[str, bytes] = {}
    issues: list[Issue] = []
    if single_file:
        editions, problems = single_file_editions(report.site, report.course.id, report.course.version,
                                                  report.course.language, source.resolve(), max_media_kb)
        files.update(editions)
        issues += problems
    if documents or pdf:
        made, problems = make_documents(report, source, start, breaks, max_media_kb)
        files.update({name: html.encode("utf-8") for name, html in made.items()})
        issues += [i for i in problems if i not in issues]
        if chromium and not issues:
            files.update(pdf_engine.print_to_pdf(made, chromium))
    if issues:
        raise EditionError(sorted(issues, key=Issue.sort_key), root_label(source).rstrip("/"))
    return write_files(out, files)
