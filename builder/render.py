"""Render the validated course through Markdown and the theme into the files of the web course."""
from __future__ import annotations

import io
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterator

import jinja2
from markupsafe import Markup, escape

from . import __version__
from .errors import Issues, SourceRef, did_you_mean
from .diskcache import DiskCache, digest
from .landing import landing_view
from .search_index import entries_json, page_entries, reference_entries, search_data, search_script
from .paged import (MODULE_TEMPLATE, later_cards_html, module_file, module_page, neighbours, page_file,
                    page_files, splits_cards, uses_paging)
from .reference_pages import REFERENCE_FILES, reference_files, reference_pages
from .bothends import worker_count
from .rendercache import FieldEntry, PageEntry, Record, RenderCache, file_stamp, rendering_elsewhere
from .collation import index_letter, sort_key
from .coursedata import course_data, outline_data, page_data_script, question_data, script_json
from .loader import load_question
from .markdown import InstrumentTarget, MarkdownEnv, TermTarget, render_inline, render_markdown
from .model import RTL_LANGUAGES, Choice, Course, Lesson, Module, Node, Page, Question, Quiz, Scenario, Term
from .sources import resolve_inside
from .offline import check_page, file_fetches
from .theme import BUILTIN_THEMES, Theme, template_issue, template_stamps
from .validate import best_path_points, check_question
from .views import (
    LanguageView,
    ArticleView, BranchView, CharacterView, ChoiceView, DebriefPartView, FrameworksView, GlossaryView,
    GroupView, InstrumentView, LetterView, LevelView, LineView, ModuleView, NodeView, OptionView, PageView, PairView,
    RegionView, SortItemView,
    QuestionView, QuizView, ScenarioView,
    SiteView, TermView, ThemeView, LAID_OUT, page_anchor, page_href,
)

if TYPE_CHECKING:
    from .output import PageFiles

LEVEL_ORDER = ("international", "regional", "national")
PAGE_TEMPLATE = "partials/page.html"  # one page's section, laid out once per page
SEARCH_FILE = "assets/search-index.js"

# Text in which no Markdown construct can start renders as itself: no need to run the parser.
_PLAIN = re.compile(r"[^\s*_`\[\]!<>&\\~|^$:#=+{}-](?:[^\n*_`\[\]!<>&\\~|^$]*[^\s*_`\[\]!<>&\\~|^$:])?")
_BLOCK_START = re.compile(r"\d+[.)]")


def _escape_plain(text: str) -> str:
    return text.replace('"', "&quot;")


def _plain_html(text: str, inline: bool) -> Markup | None:
    """What Markdown would make of text in which nothing can start: the text itself, or None."""
    if _PLAIN.fullmatch(text) and (inline or not _BLOCK_START.match(text)):
        escaped = _escape_plain(text)
        return Markup(escaped if inline else f"<p>{escaped}</p>\n")
    return None


@dataclass
class RenderedSite:
    """The web course in memory: generated files, and source files to copy as they are."""

    # Megabytes of HTML: left out of repr, so a failing test's report stays small.
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    copies: dict[str, Path] = field(default_factory=dict)
    pages: list[PageView] = field(default_factory=list, repr=False)
    context: dict[str, Any] = field(default_factory=dict, repr=False)
    translations: dict[str, RenderedSite] = field(default_factory=dict, repr=False)
    theme_folders: list[Path] = field(default_factory=list)
    course: Course | None = field(default=None, repr=False)
    # The course as one page, every page in it (the single-file edition); None when index.html is that.
    whole: Callable[[], bytes] | None = field(default=None, repr=False)
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # the course data of every page, in full
    # Files not made because the output folder holds them as they would be (a remembered `course build`).
    current: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)  # files handed to the build's output as they were made
    # The output's folders as the build that wrote them left them (`course serve`: output.folder_stamps).
    folders: dict[str, tuple[int, int] | None] = field(default_factory=dict, repr=False)

    def single_page(self) -> bytes:
        return self.whole() if self.whole is not None else self.files["index.html"]


class Renderer:
    """Holds the course-wide indexes every Markdown field needs while the course renders."""

    def __init__(self, course: Course, root: Path, theme: Theme, issues: Issues, strict: bool,
                 cache: RenderCache | None = None, page_sources: set[str] | None = None,
                 fallback_glossary: tuple[Term, ...] = (), languages: list[LanguageView] | None = None,
                 translation: str | None = None, disk: DiskCache | None = None, source_language: str = "") -> None:
        self.course, self.root, self.theme, self.issues, self.strict = course, root, theme, issues, strict
        self.translation = translation  # the language of a translated course: its media/ overrides the source's
        self.source_language = source_language  # what a page the translation lacks is written in
        self.cache = cache
        self._captures: list[dict[str, Any]] = []
        self.links: list[tuple[str, str, SourceRef]] = []  # (page id, heading fragment, where)
        self.headings: dict[str, list[str]] = {}  # page id → heading element ids
        self.last_headings: list[str] = []
        # Pages whose file exists but failed to load: their errors are reported; links to them are not.
        self.page_sources = page_sources or set()
        self.terms: dict[str, TermTarget] = {}
        for term in course.glossary:
            target = TermTarget(term.id, term.term)
            for name in (term.term, *term.aliases):
                self.terms.setdefault(" ".join(name.lower().split()), target)
        for term in fallback_glossary:  # a translated course still knows the source's names
            for name in (term.term, *term.aliases):
                self.terms.setdefault(" ".join(name.lower().split()), TermTarget(term.id, term.term))
        self.instruments = {
            i.id: InstrumentTarget(i.id, i.short, {a.number: a.title for a in i.articles})
            for i in course.frameworks
        }
        self.page_paths = {_source_path(p.source.path): p.id for p in course.pages}
        self.media: dict[str, Path] = {}
        self._located: dict[tuple[str, str], tuple[Path | None, str, str]] = {}
        self._fetched: dict[Path, list[str]] = {}  # media file → the network URLs it loads when opened
        self._folders: dict[str, str] = {}  # folder → its real path, for resolve_inside
        self.stamps: dict[str, int | None] = {}  # files rendering read → their time, this build (`file_stamp`)
        self.checks: dict[str, dict[str, Any]] = {}
        self.search: dict[str, str] = {}  # page id → its entries in the search index, encoded (`entries_json`)
        self.disk = disk
        self._module_keys: dict[int, tuple[list[tuple], list[str], str]] = {}
        self._outputs: dict[int, list[tuple[str, str]]] = {}  # module number → its files (`module_outputs`)
        self._shared: str | None = None
        self.deps = digest((
            tuple(sorted((k, v.id) for k, v in self.terms.items())),
            tuple(sorted((k, v.short, tuple(sorted(v.articles.items()))) for k, v in self.instruments.items())),
            tuple(sorted(self.page_paths.items())), course.allow_html, strict, translation,
            tuple(sorted(theme.strings.items())), theme.templates or template_stamps(theme.folders, theme.overrides),
            tuple(sorted((k, str(v)) for k, v in theme.options.items())),
        ))
        # What every template sees; a page's section is laid out once, with this and the page.
        self.page_context: dict[str, Any] = {
            "site": SiteView(course.id, course.title, course.subtitle, course.description, course.version,
                             course.language, course.dir, course.organization, list(course.authors),
                             course.license, f"Coursewright {__version__}"),
            "theme": self.theme_view(), "strings": theme.strings, "languages": languages or [],
        }
        self.sections_failed = not _has_template(theme, PAGE_TEMPLATE)  # a theme may lay out pages in course.html
        # Where the paged course's page scripts and module pages go as each module is rendered (by the
        # process rendering it, so that the building process does not write them all at the end), and
        # those written.
        self.page_files: PageFiles | None = None
        self.files_written: set[str] = set()
        self.forked = False  # in a process forked to render modules (`rendering_elsewhere`)

    # -- Markdown ---------------------------------------------------------------------------
    def env(self, path: str, line_offset: int, anchor: str, page_id: str = "") -> MarkdownEnv:
        base_dir = str(PurePosixPath(path).parent)
        return MarkdownEnv(
            path=path, line_offset=line_offset, page_anchor=anchor, terms=self.terms,
            instruments=self.instruments, issues=self.issues,
            resolve_link=lambda href, where: self.resolve_link(base_dir, href, where),
            resolve_media=lambda src, where: self.resolve_media(base_dir, src, where),
            resolve_file=lambda src, where: self.resolve_media(base_dir, src, where, "linked file"),
            find_media=lambda src, where: self.find_media(base_dir, src),
            render_check=lambda text, where, n: self.render_check(page_id, text, where, n),
            frameworks_list=self.frameworks_list, allow_html=self.course.allow_html, strict=self.strict,
            article_label=self.theme.strings.get("legal_ref_article", "{short}, art. {number}"),
        )

    def block(self, text: str, env: MarkdownEnv) -> Markup:
        return self.markdown(text, env, inline=False) if text.strip() else Markup("")

    def inline(self, text: str, env: MarkdownEnv) -> Markup:
        return self.markdown(text, env, inline=True) if text.strip() else Markup("")

    def markdown(self, text: str, env: MarkdownEnv, inline: bool) -> Markup:
        """Render once per build; with a cache, once per edit."""
        plain = _plain_html(text, inline)
        if plain is not None:
            return plain
        key = (inline, text, env.path, env.line_offset, env.col_offset, env.page_anchor, env.heading_ids,
               env.source_checks, self.deps)
        cache = None if self._captures else self.cache  # kept whole with the page or field around it
        if cache is not None:
            cache.used.add(key)
            hit = cache.entries.get(key)
            if hit is not None and hit.current(self.stamps):
                cache.hits += 1
                self._replay(hit)
                self.last_headings = hit.headings or []
                return Markup(hit.html)
            cache.misses += 1
        outer = env.issues
        with self._capture() as (capture, local):
            env.issues = local
            try:
                if inline:
                    html, headings = render_inline(text, env), []
                else:
                    rendered = render_markdown(text, env)
                    html, headings = rendered.html, [h[2] for h in rendered.headings]
            finally:
                env.issues = outer
        self.last_headings = headings
        if cache is not None and not local.items:  # a field with problems renders again, to report them afresh
            cache.entries[key] = FieldEntry(**capture, headings=headings, html=html)
        return Markup(html)

    @contextmanager
    def _capture(self) -> Iterator[tuple[dict[str, Any], Issues]]:
        """Record what rendering does besides making HTML (problems, media, checks, links), to replay it."""
        capture: dict[str, Any] = {"media": {}, "checks": {}, "links": [], "inputs": {}}
        outer, local = self.issues, Issues()
        self.issues = local
        self._captures.append(capture)
        try:
            yield capture, local
        finally:
            self._captures.pop()
            self.issues = outer
            outer.extend(local.items)

    def _record_media(self, url: str, path: Path) -> None:
        self.media[url] = path
        for capture in self._captures:
            capture["media"][url] = path

    def _record_input(self, path: Path) -> None:
        """A file rendering read (an image, captions), by its time: the pages that show it are kept with it."""
        if self._captures:
            stamp = file_stamp(self.stamps, str(path))
            if stamp is None:
                return
            for capture in self._captures:
                capture["inputs"][str(path)] = stamp

    def _record_link(self, link: tuple[str, str, SourceRef]) -> None:
        self.links.append(link)
        for capture in self._captures:
            capture["links"].append(link)

    def _record_check(self, key: str, data: dict[str, Any]) -> None:
        self.checks[key] = data
        for capture in self._captures:
            capture["checks"][key] = data

    def locate(self, base_dir: str, raw: str) -> tuple[Path | None, str, str]:
        """A path named in a source: (file, why not found, its path in the course folder); a translated
        file also finds what its source file would.

        Looked up once per build for each folder and path (pages link to their neighbours and share images).
        """
        found = self._located.get((base_dir, raw))
        if found is None:
            target, reason = resolve_inside(self.root, base_dir, raw, self._folders)
            if target is None and base_dir.startswith("translations/"):
                source_dir = "/".join(base_dir.split("/")[2:]) or "."
                target, reason = resolve_inside(self.root, source_dir, raw, self._folders)
            rel = str(target)[len(str(self.root)) + 1:].replace(os.sep, "/") if target else ""
            found = self._located[(base_dir, raw)] = (target, reason, rel)
        return found

    def resolve_link(self, base_dir: str, href: str, where: SourceRef) -> str | None:
        """`#/module/page`, plus `#element-id` when the link names a heading (checked once all pages render)."""
        path_part, _, fragment = href.partition("#")
        _, reason, rel = self.locate(base_dir, path_part)
        rel = _source_path(rel)
        page_id = self.page_paths.get(rel)
        if page_id is None:
            if rel not in self.page_sources:  # a page that failed to load has its own error already
                self.issues.error(where, f"broken link to '{href}': {reason or 'that file is not a page'}",
                                  "link to another lesson's .md file by its relative path")
            return None
        if not fragment:
            return page_href(page_id)
        self._record_link((page_id, fragment, where))
        return f"{page_href(page_id)}#{page_anchor(page_id)}--{fragment}"

    def check_links(self) -> None:
        """Links to a heading of another page must name a heading that page has."""
        for page_id, fragment, where in self.links:
            known = self.headings.get(page_id)
            if known is None:
                continue
            prefix = page_anchor(page_id) + "--"
            if prefix + fragment not in known:
                slugs = [k[len(prefix):] for k in known if k.startswith(prefix)]
                hint = did_you_mean(fragment, slugs) or f"its headings are: {', '.join(slugs) or 'none'}"
                if self.translation:  # a translation's headings may differ from the source's: not fatal
                    self.issues.warning(where, f"link to '#{fragment}': page '{page_id}' has no such heading in "
                                        f"the '{self.translation}' course, so the link opens the page at its top",
                                        f"give the heading an id in the source ({{#{fragment}}}), or {hint}")
                else:
                    self.issues.error(where, f"link to '#{fragment}': page '{page_id}' has no such heading", hint)

    def resolve_media(self, base_dir: str, src: str, where: SourceRef, what: str = "media file") -> str | None:
        """A file a page shows (`what` is "media file") or links to ("linked file"), copied into the course."""
        if src.startswith(("http://", "https://", "//")):
            self.issues.error(where, f"'{src}' is on the network; the course must work offline",
                              "download the file into media/ and link to it there")
            return None
        target, reason, rel = self.locate(base_dir, src)
        if target is None:
            self.issues.error(where, f"{what} '{_shown(src)}' not found: {reason}",
                              "put media under course_src/media/ and give a path relative to the file"
                              if what != "linked file" else "put the file in the course folder, e.g. in media/, "
                              "and give a path relative to the lesson")
            return None
        rel = _source_path(rel)
        if self.translation and rel.startswith("media/"):
            # translations/<lang>/media/<path> stands in for media/<path> in that language's course.
            target = self.locate(f"translations/{self.translation}", rel)[0] or target
        url = rel if rel.startswith("media/") else f"media/{rel}"
        fetched = self._fetched.get(target)
        if fetched is None:
            fetched = self._fetched[target] = file_fetches(target)
        for network in fetched:
            self.issues.error(where, f"{what} '{_shown(src)}' loads '{network}' from the network when it is opened; "
                              "the course must work offline", "remove that reference from the file, or put what "
                              "it names in the course folder and name it relative to the file")
        self._record_media(url, target)
        self._record_input(target)
        return url

    def find_media(self, base_dir: str, src: str) -> str | None:
        """Captions that may or may not exist, as a data: URL, or None, reporting nothing.

        Embedded because browsers refuse a captions file beside a page opened from file://.
        """
        target = self.locate(base_dir, src)[0]
        if target is None:
            return None
        self._record_input(target)
        from .singlefile import data_uri  # singlefile builds on this module

        return data_uri(target.name, target.read_bytes())

    def frameworks_list(self, args: dict[str, str], where: SourceRef) -> str:
        chosen = [i for i in self.course.frameworks
                  if all(getattr(i, key, None) == value for key, value in args.items())]
        if not chosen:
            self.issues.warning(where, f"no instrument matches {args}", "check level or jurisdiction")
        chosen.sort(key=lambda i: i.adopted)
        items = "".join(
            f'<li><a class="framework-link" href="#fw-{escape(i.id)}">{escape(i.short)}</a>'
            f' <span class="framework-title">{escape(i.title)}</span>'
            f' <span class="framework-date">({escape(i.adopted)})</span></li>'
            for i in chosen
        )
        return f'<ul class="framework-list">{items}</ul>'

    def render_check(self, page_id: str, text: str, where: SourceRef, n: int,
                     source_checks: tuple[str, ...] = ()) -> str:
        question = load_question(text, where, self.issues)
        if question is None:
            return ""
        if self.translation and where.path.startswith("translations/"):  # texts over the source's structure
            if n > len(source_checks):
                self.issues.warning(where, f"the source of this '{self.translation}' translation has no check "
                                    f"number {n}: it is left out", "translate only the checks the source has")
                return ""
            from .translations import merge_question

            source = load_question(source_checks[n - 1], SourceRef(_source_path(where.path)), Issues())
            question = merge_question(source, question) if source is not None else question
        check_question(question, self.issues)
        key = f"{page_id}/check-{n}"
        view = self.question_view(question, key, where.path, page_anchor(page_id) + f"--check-{n}", page_id)
        self._record_check(key, question_data(question, view))
        try:
            html = self.theme.env.get_template("question.html").render(
                question=view, mode="check", strings=self.theme.strings, theme=self.theme_view())
        except jinja2.TemplateError as exc:
            template_issue(exc, self.theme, self.issues)
            return ""
        return f'<div class="inline-check" data-check="{escape(key)}">{html}</div>'

    # -- views ------------------------------------------------------------------------------
    def field(self, obj: Any, name: str, text: str, path: str, anchor: str, page_id: str = "",
              inline: bool = False, fallback: SourceRef | None = None) -> Markup:
        """A Markdown field of a YAML source, rendered so that its problems point inside it."""
        if not text.strip():
            return Markup("")
        plain = _plain_html(text, inline)
        if plain is not None:
            return plain
        ref = obj.text_refs.get(name)
        base = ref or getattr(obj, "source", None) or fallback or SourceRef(path)
        env = self.env(path, base.line - 1, anchor, page_id)
        if ref is not None:
            env.col_offset = ref.col - 1
        return self.markdown(text, env, inline)

    def question_view(self, q: Question, key: str, path: str, anchor: str, page_id: str) -> QuestionView:
        def text(obj: Any, name: str, value: str, inline: bool = True) -> Markup:
            return self.field(obj, name, value, path, anchor, page_id, inline, q.source)

        group_index = {g.id: n for n, g in enumerate(q.groups)}
        return QuestionView(
            id=q.id, key=key, type=q.type, prompt_html=text(q, "prompt", q.prompt), points=q.points,
            options=[OptionView(text(o, "text", o.text), o.correct, text(o, "feedback", o.feedback))
                     for o in q.options],
            answer=q.answer, answers=list(q.answers),
            pairs=[PairView(text(p, "left", p.left), text(p, "right", p.right)) for p in q.pairs],
            items=[text(q, f"items.{n}", i) for n, i in enumerate(q.items)],
            feedback_correct_html=text(q, "feedback.correct", q.feedback_correct, False),
            feedback_incorrect_html=text(q, "feedback.incorrect", q.feedback_incorrect, False),
            explanation_html=text(q, "explanation", q.explanation, False),
            groups=[GroupView(g.id, text(g, "text", g.text)) for g in q.groups],
            sort_items=[SortItemView(text(i, "text", i.text), group_index.get(i.group, -1)) for i in q.sort_items],
            image=self.resolve_media(str(PurePosixPath(path).parent), q.image, q.text_refs.get("image", q.source))
            if q.image else None,
            alt=q.alt,
            regions=[RegionView(text(r, "label", r.label), r.correct, r.shape, list(r.points)) for r in q.regions],
        )

    def quiz_view(self, quiz: Quiz, anchor: str) -> QuizView:
        path = quiz.source.path
        questions = [self.question_view(q, f"{quiz.id}/{q.id}", path, f"{anchor}--{q.id}", quiz.id)
                     for q in quiz.questions]
        return QuizView(quiz.id, quiz.title, quiz.kind, quiz.pass_mark, quiz.attempts, quiz.shuffle,
                        quiz.draw, quiz.feedback, self.field(quiz, "intro", quiz.intro, path, anchor, quiz.id),
                        questions)

    def scenario_view(self, scenario: Scenario, anchor: str) -> ScenarioView:
        path = scenario.source.path
        base = str(PurePosixPath(path).parent)
        people = {c.id: CharacterView(
            c.id, c.name, c.role,
            self.resolve_media(base, c.portrait, c.text_refs.get("portrait", c.source)) if c.portrait else None,
            c.alt, c.colour) for c in scenario.characters}
        nodes = []
        ordered = sorted(scenario.nodes, key=lambda n: n.id != scenario.start)
        for node in ordered:
            node_anchor = f"{anchor}--{node.id}"

            def text(obj: Any, name: str, value: str, inline: bool = False) -> Markup:
                return self.field(obj, name, value, path, node_anchor, scenario.id, inline)

            image = self.resolve_media(base, node.image, node.text_refs.get("image", node.source)) if node.image else None
            nodes.append(NodeView(
                id=node.id, anchor=f"s-{anchor}--{node.id}", text_html=text(node, "text", node.text),
                image=image, alt=node.alt, ending=node.ending, debrief_html=text(node, "debrief", node.debrief),
                choices=[self.choice_view(scenario, node, c, anchor, text) for c in node.choices],
                lines=[LineView(people[line.who], text(line, "say", line.say)) for line in node.lines
                       if line.who in people],
                debrief_parts=[DebriefPartView(text(p, "text", p.text), p.when.text.strip() if p.when else "")
                               for p in node.debrief_parts],
            ))
        return ScenarioView(scenario.id, scenario.title, scenario.kind,
                            self.field(scenario, "intro", scenario.intro, path, anchor, scenario.id),
                            scenario.start, best_path_points(scenario), nodes, list(people.values()))

    @staticmethod
    def choice_view(scenario: Scenario, node: Node, choice: Choice, anchor: str, text: Any) -> ChoiceView:
        branches = [BranchView(b.node, f"s-{anchor}--{b.node}", b.when.text.strip() if b.when else "",
                               target.ending if (target := scenario.node(b.node)) else None)
                    for b in choice.branches]
        return ChoiceView(text(choice, "text", choice.text, True), choice.goto, f"s-{anchor}--{choice.goto}",
                          choice.points, text(choice, "feedback", choice.feedback, True),
                          scenario.tone(node, choice), branches, list(choice.sets), list(choice.adds))

    def page_key(self, page: Page, module: Module, module_number: int, number: int) -> tuple:
        """Everything a page's view and section depend on: equal keys, equal pages."""
        return (page, number, module_number, module.id, module.title, module.description, module.objectives,
                len(module.pages), self.deps)

    def page_section(self, view: PageView) -> Markup:
        """The page laid out by partials/page.html, once per page: course.html strings the sections together."""
        if self.sections_failed:
            return Markup("")
        try:
            return Markup(self.theme.env.get_template(PAGE_TEMPLATE).render(self.page_context, page=view))
        except jinja2.TemplateError as exc:
            template_issue(exc, self.theme, self.issues)
            self.sections_failed = True  # the same mistake would be reported for every page
            return Markup("")

    def page_view(self, page: Page, module: ModuleView, number: int) -> PageView:
        anchor = page_anchor(page.id)
        view = PageView(
            id=page.id, anchor=anchor, href=page_href(page.id), kind=page.kind if isinstance(page, Lesson)
            else ("quiz" if isinstance(page, Quiz) else "scenario"), title=page.title, module=module,
            number=number, duration=page.duration, objectives=list(page.objectives),
            summary_html=self.field(page, "summary", page.summary, page.source.path, anchor, page.id, True),
        )
        if self.translation and self.source_language and not page.source.path.startswith("translations/"):
            view.lang = self.source_language  # not translated yet: said in the source language, and marked so
            view.dir = "rtl" if self.source_language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
        if isinstance(page, Lesson):
            body_env = self.env(page.source.path, page.body_line, anchor, page.id)
            body_env.heading_ids = page.source_headings
            body_env.source_checks = page.source_checks
            body_env.render_check = lambda text, where, n: self.render_check(page.id, text, where, n,
                                                                            page.source_checks)
            view.body_html = self.block(without_title(page.body, page.title), body_env)
            self.headings[page.id] = self.last_headings
        elif isinstance(page, Quiz):
            view.quiz = self.quiz_view(page, anchor)
        else:
            view.scenario = self.scenario_view(page, anchor)
        return view

    def module_keys(self, module: Module, number: int) -> tuple[list[tuple], list[str], str]:
        """Each page's key, its digest (the disk cache's name for it), and the module's digest."""
        known = self._module_keys.get(number)
        if known is not None:
            return known
        keys = [self.page_key(page, module, number, n) for n, page in enumerate(module.pages, 1)]
        loads = self.disk.loads if self.disk else None
        origins = [loads.origin(page) if loads else None for page in module.pages]
        # A page loaded from a file is named by that file's digest (its repr, the Markdown and all, is slower)
        digests = [digest(key) if origin is None else digest(("file", origin, *key[1:]))
                   for key, origin in zip(keys, origins)]
        module_digest = digest((self.disk.fingerprint if self.disk else "", digests))
        self._module_keys[number] = keys, digests, module_digest
        if self.disk is not None:
            self.disk.named(self.module_name(module), module_digest)
        return self._module_keys[number]

    def cache_keys(self, module: Module, number: int) -> list[Any]:
        """How the render cache knows the module's pages: with a disk cache by their digests (no page's
        model is hashed then: a thousand lessons' text), else by their keys."""
        if self.disk is not None:
            return self.module_keys(module, number)[1]
        return [self.page_key(page, module, number, n) for n, page in enumerate(module.pages, 1)]

    def module_name(self, module: Module) -> str:
        """The module as the disk cache knows it from one build to the next: its language and id."""
        return f"{self.translation or ''}/{module.id}"

    def _from_disk(self, module: Module, view: ModuleView, keys: list[Any], digests: list[str],
                   module_digest: str) -> None:
        """Put the module's pages kept on disk in the cache, unless they are there already (from a worker).
        A module whose pages changed has no file yet: its unchanged pages come from the file it had.
        While the output holds the module's files as they would be made, its pages' laid-out HTML is
        not read (`_laid_out_later`)."""
        cache, disk = self.cache, self.disk
        if cache is None or disk is None:
            return
        if all(key in cache.pages for key in keys):
            disk.used.add(module_digest)
            return
        in_place = disk.reading and self._outputs_in_place(module, view)
        stored = disk.load(module_digest, laid_out=not in_place) if disk.reading else {}
        if stored and in_place:
            self._laid_out_later(module, module_digest, stored)
        if not stored and disk.reading:
            stored = disk.load_previous(self.module_name(module))
        for key, page_digest in zip(keys, digests):
            if key not in cache.pages and page_digest in stored:
                cache.pages[key] = stored[page_digest]

    def _laid_out_later(self, module: Module, module_digest: str, stored: dict[str, PageEntry]) -> None:
        """Pages kept without their laid-out HTML read it the first time something asks for it
        (`views.PageView`); when its file is gone or does not check by then, they are laid out again."""
        disk, page_views = self.disk, [entry.view for entry in stored.values()]
        assert disk is not None

        def lay_out() -> None:
            for page_view in page_views:
                page_view.__dict__.pop("_later", None)
            if not disk.lay_out(module_digest, stored):
                self._lay_out_again(module, page_views)

        for page_view in page_views:
            page_view.__dict__["_later"] = lay_out

    def _lay_out_again(self, module: Module, page_views: list[PageView]) -> None:
        """Kept pages whose laid-out HTML cannot be read: laid out as they were (their keys are the same,
        so are they), once the build has them all in place."""
        for page_view in page_views:
            with self._capture():
                again = self.page_view(module.pages[page_view.number - 1], page_view.module, page_view.number)
                again.section_html = self.page_section(again)
            page_view.__dict__.update(body_html=again.body_html, section_html=again.section_html)

    def _outputs_in_place(self, module: Module, view: ModuleView) -> bool:
        """Whether the output folder holds every page script of the module and its page as this build
        would make them (then nothing needs its pages' laid-out HTML)."""
        disk = self.disk
        if disk is None or self.page_files is None or disk.web_dir is None or self.sections_failed:
            return False
        prefix = f"{self.translation}/" if self.translation else ""
        outputs = self.module_outputs(view, [page.id for page in module.pages])
        return all(disk.output_current(prefix + rel, made_from) for rel, made_from in outputs)

    def module_outputs(self, view: ModuleView, page_ids: list[str]) -> list[tuple[str, str]]:
        """The page scripts and the page a module makes in a paged course, each with a digest of what
        makes it: a page's script by its module's digest (its pages' keys and the builder), the module's
        page by that, its neighbours and what every page shows (course, theme, strings, languages)."""
        known = self._outputs.get(view.number)
        if known is not None:
            return known
        if self._shared is None:
            context = self.page_context
            self._shared = digest((repr(context["site"]), repr(context["theme"]), repr(context["languages"]),
                                   self.deps))
        module_digest = self._module_keys[view.number][2]
        around = [(m.number, m.title, m.file) if m else None
                  for m in neighbours(self.course.modules, view.number - 1)]
        made_from = digest((module_digest, self._shared, around, view.id, view.number, view.title,
                            str(view.description_html), view.objectives, view.duration))
        outputs = [(page_file(page_id), module_digest) for page_id in page_ids]  # the file names the page
        outputs.append((module_file(view.id), made_from))
        self._outputs[view.number] = outputs
        return outputs

    def module_view(self, module: Module, number: int) -> ModuleView:
        description = self.field(module, "description", module.description, module.source.path,
                                 f"m-{module.id}")
        view = ModuleView(module.id, number, module.title, description, list(module.objectives),
                          module.total_duration, file=module_file(module.id))
        cache = self.cache
        keys = self.cache_keys(module, number)
        digests, module_digest = self.module_keys(module, number)[1:] if self.disk else ([], "")
        self._from_disk(module, view, keys, digests, module_digest)
        fresh: list[tuple[Any, PageView, dict[str, Any], Issues]] = []
        for n, (page, key) in enumerate(zip(module.pages, keys), 1):
            entry = cache.pages.get(key) if cache is not None else None
            if entry is not None and entry.current(self.stamps):
                cache.used.add(key)
                self._replay(entry)
                if entry.headings is not None:
                    self.headings[page.id] = entry.headings
                if entry.search is None:  # kept by an older builder
                    entry.search = entries_json(page_entries(entry.view))
                self.search[page.id] = entry.search
                entry.view.module = view
                view.pages.append(entry.view)
                continue
            with self._capture() as (capture, local):
                page_view = self.page_view(page, view, n)
            fresh.append((key, page_view, capture, local))
            view.pages.append(page_view)
        kept = 0
        scripts_here = 0
        for key, page_view, capture, local in fresh:  # sections once the module knows all its pages
            with self._capture() as (_, section_issues):
                page_view.section_html = self.page_section(page_view)
            search = self.search[page_view.id] = entries_json(page_entries(page_view))
            problems = bool(local.items or section_issues.items)
            if cache is not None and not problems:  # problems: render again
                cache.used.add(key)
                cache.pages[key] = PageEntry(**capture, headings=self.headings.get(page_view.id), view=page_view,
                                             search=search)
                kept += 1
            if self.page_files is not None and not (problems and self.forked):
                self._write_page_script(module.pages[page_view.number - 1], page_view, capture["checks"])
                scripts_here += 1
        if self.page_files is not None and scripts_here == len(module.pages):
            self._write_module_page(view)
        if kept and self.disk is not None:
            stored = {d: cache.pages[k] for k, d in zip(keys, digests) if k in cache.pages}
            if self.disk.save(module_digest, list(stored.items())) and kept == len(fresh) == len(module.pages) \
                    and module_file(view.id) in self.files_written:
                self._let_laid_out_go(module, module_digest, stored)
        return view

    def _let_laid_out_go(self, module: Module, module_digest: str, stored: dict[str, PageEntry]) -> None:
        """A module whose page scripts and page are written, and whose pages' laid-out HTML is kept on disk:
        its views let that HTML go (most of a large course's memory, and of what a worker hands over), and
        read it again should anything ask once the build is done (`_laid_out_later`: the single-file
        edition, the documents; before, it would be laid out again). In a worker, the building process,
        taking the pages, does that (`rendercache._take_rendered`)."""
        for entry in stored.values():
            for name in LAID_OUT:
                entry.view.__dict__.pop(name, None)  # type: ignore[union-attr]
        if not self.forked:
            self._laid_out_later(module, module_digest, stored)

    def _write_page_script(self, model: Page, view: PageView, checks: dict[str, Any]) -> None:
        """A page's script, as soon as its section is laid out (`page_files` makes the others)."""
        assert self.page_files is not None
        rel = page_file(view.id)
        own = {key: data for key, data in checks.items() if key.rpartition("/")[0] == view.id}
        self.page_files(rel, page_data_script(model, view, own))
        self.files_written.add(rel)

    def _write_module_page(self, view: ModuleView) -> None:
        """A module's page for reading without JavaScript, once its pages are laid out; left to
        `page_files` when module.html fails or, in a worker, when the page loads from the network
        (the building process reports it)."""
        assert self.page_files is not None
        around = neighbours(self.course.modules, view.number - 1)
        try:
            page = module_page(self.theme.env.get_template(MODULE_TEMPLATE), self.page_context, view, *around)
        except jinja2.TemplateError:
            return
        found = Issues()
        _offline(page, self.theme, found)
        if found.items and self.forked:
            return
        self.issues.extend(found.items)
        rel = module_file(view.id)
        self.page_files(rel, page)
        self.files_written.add(rel)

    def _replay(self, record: Record) -> None:
        """What rendering would have recorded, from the cache."""
        for url, path in record.media.items():
            self._record_media(url, path)
        for key, data in record.checks.items():
            self._record_check(key, data)
        for link in record.links:
            self._record_link(link)
        for capture in self._captures:
            capture["inputs"].update(record.inputs)

    def glossary_view(self) -> GlossaryView:
        letters: dict[str, list[TermView]] = {}
        language = self.course.language
        for term in sorted(self.course.glossary, key=lambda t: sort_key(t.term, language)):
            source = Markup("")
            if term.source_ref.startswith("@"):
                instrument_id, _, article = term.source_ref[1:].partition(":")
                target = self.instruments.get(instrument_id)
                if target is not None and (not article or article in target.articles):
                    source = self.inline(f"[[{term.source_ref}]]", self._term_env(term))
            elif term.source_ref:
                source = self.inline(term.source_ref, self._term_env(term))
            letter = index_letter(term.term, language)
            letters.setdefault(letter, []).append(TermView(
                term.id, f"g-{term.id}", term.term, list(term.aliases),
                self.field(term, "definition", term.definition, term.source.path, f"g-{term.id}"), source))
        return GlossaryView([LetterView(k, v) for k, v in letters.items()])

    def _term_env(self, term: Term) -> MarkdownEnv:
        """Where a term's source note renders (made only for a term that has one: a rebuild asks for
        every term of every language)."""
        return self.env(term.source.path, term.source.line - 1, f"g-{term.id}")

    def frameworks_view(self, labels: dict[str, str]) -> FrameworksView:
        levels = []
        for level in LEVEL_ORDER:
            instruments = []
            for i in sorted((i for i in self.course.frameworks if i.level == level), key=lambda i: i.adopted):
                path = i.source.path
                articles = [ArticleView(a.number, f"fw-{i.id}--art-{a.number}", a.title,
                                        self.field(a, "summary", a.summary, path, f"fw-{i.id}--art-{a.number}"))
                            for a in i.articles]
                instruments.append(InstrumentView(i.id, f"fw-{i.id}", i.title, i.short, i.level, i.jurisdiction,
                                                  i.adopted, i.in_force, self.field(i, "summary", i.summary, path,
                                                                                    f"fw-{i.id}"), i.url, articles))
            if instruments:
                levels.append(LevelView(level, labels.get(f"level_{level}", level.capitalize()), instruments))
        return FrameworksView(levels)

    def theme_view(self, every_part: bool = False) -> ThemeView:
        """The theme's assets as pages link them; with `every_part`, the runtime parts too (a document
        holding every page runs them all from the start)."""
        parts = [part_file(name) for name in self.theme.parts] if every_part else []
        return ThemeView(self.theme.options, ["assets/course.css"], ["assets/course.js", *parts])


def _has_template(theme: Theme, name: str) -> bool:
    try:
        theme.env.loader.get_source(theme.env, name)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        return False
    return True


def _shown(text: str) -> str:
    """Text as it can be printed: control characters written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _source_path(path: str) -> str:
    """The source file a (possibly translated) file stands for."""
    return "/".join(path.split("/")[2:]) if path.startswith("translations/") else path


def without_title(body: str, title: str) -> str:
    """A body that repeats the page title as its first heading loses it (the theme shows the title)."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            if line.startswith("# ") and line[2:].strip() == title.strip():
                lines[index] = ""
                return "\n".join(lines)
            return body
    return body


def render_site(course: Course, root: Path, theme: Theme, issues: Issues, strict: bool = False,
                on_page: Callable[[], None] | None = None,
                languages: list[LanguageView] | None = None, cache: RenderCache | None = None,
                page_sources: set[str] | None = None, fallback_glossary: tuple[Term, ...] = (),
                translation: str | None = None, disk: DiskCache | None = None,
                source_language: str = "", sink: PageFiles | None = None,
                meanwhile: Callable[[], None] | None = None) -> RenderedSite:
    """Every page through Markdown and partials/page.html (on every core for large courses), then course.html.

    `translation` names the language of a translated course, whose media files may be translated too.
    With `disk`, pages kept by an earlier build are taken from it, and only the modules it lacks are
    rendered (on every core when they are many). With `sink`, page scripts and module pages go there
    as they are made (the build's output, written once the course is good) instead of into the result:
    a module's page and its pages' scripts as soon as the module is rendered, by the process rendering it.
    `meanwhile` is work of the caller's done while a worker renders, before this process takes a module.
    """
    if disk is not None and cache is None:
        cache = RenderCache()  # this build's: pages from disk, and what rendering makes
    renderer = Renderer(course, root, theme, issues, strict, cache, page_sources, fallback_glossary, languages,
                        translation, disk, source_language)
    if sink is not None and uses_paging(theme):
        renderer.page_files = sink
    todo = _modules_to_render(renderer)
    lessons = sum(isinstance(p, Lesson) for index in todo for p in course.modules[index].pages)
    workers = worker_count(lessons) if cache is None or not cache.pages else 1
    modules = []
    with rendering_elsewhere(renderer, workers, todo) as take:
        # What does not wait for the pages, first: the worker then takes more modules, sharing its time.
        assets = {"assets/course.css": _minified(theme.stylesheets, "css"), **runtime_files(theme)}
        if meanwhile is not None:
            meanwhile()
        for number, module in enumerate(course.modules, 1):
            take(number - 1)
            modules.append(renderer.module_view(module, number))
            if on_page:
                on_page()
    renderer.check_links()
    pages = [p for m in modules for p in m.pages]
    for before, after in zip(pages, pages[1:]):
        before.next, after.prev = after, before
    data = course_data(course, modules, renderer.checks, theme.strings,
                       cache.data.setdefault(translation or "", {}) if cache is not None and disk is None else None)
    paged = uses_paging(theme) and not renderer.sections_failed
    context = {
        **renderer.page_context, "toc": modules, "pages": pages, "glossary": renderer.glossary_view(),
        "frameworks": renderer.frameworks_view(theme.strings), "paged": paged,
        "landing": landing_view(course, modules, theme.strings, issues, renderer.resolve_media,
                                paged=paged and splits_cards(theme)),
        "search_index": None,  # the web course loads assets/search-index.js when a learner first searches
        # The first module's pages: index.html asks for the script of the one its address names at once.
        "early_pages": [page.id for page in modules[0].pages] if paged and modules else [],
    }
    # The paged course's glossary and frameworks come as scripts too (builder/reference_pages.py).
    context["course_data"] = script_json({**outline_data(data), "apart": reference_pages(context)} if paged else data)
    if not paged:
        context["theme"] = renderer.theme_view(every_part=True)
    result = RenderedSite(pages=pages, context=context, theme_folders=list(theme.folders), course=course, data=data)
    try:
        template = theme.env.get_template("course.html")
        result.files["index.html"] = _encoded(template, context)
        put = _checked_sink(sink, result, theme, issues)
        if paged:
            result.current = _files_in_place(renderer, modules) - renderer.files_written
            result.written.update(renderer.files_written)
            result.files.update(page_files(theme, renderer.page_context, modules, data,
                                           cache.files.setdefault(translation or "", {})
                                           if cache is not None and disk is None else None,
                                           result.current | renderer.files_written, put,
                                           later_cards_html(theme, context)))
            result.files.update(reference_files(theme, context))
    except jinja2.TemplateError as exc:
        template_issue(exc, theme, issues)
        return result
    for name in ("index.html", *(f for f in result.files if f.startswith("module-") or f in REFERENCE_FILES)):
        _offline(result.files[name], theme, issues)
    result.files.update(assets)
    instruments = [i for level in context["frameworks"].levels for i in level.instruments]
    if _search_in_place(renderer, context):
        result.current.add(SEARCH_FILE)
    else:
        references = reference_entries(context["glossary"], instruments, theme.strings)
        (put or result.files.__setitem__)(SEARCH_FILE, search_script(pages, renderer.search, references))
    # The single file has every page, its full course data and, having no files beside it, the search
    # index inside (made when asked for: megabytes of a large course that a plain build does not need).
    whole = {**context, "paged": False, "theme": renderer.theme_view(every_part=True)}
    made = dict(renderer.search)
    result.whole = lambda: _encoded(template, {**whole, "course_data": script_json(data), "search_index":
                                               script_json(search_data(pages, context["glossary"], instruments,
                                                                       theme.strings, made))})
    result.copies.update(theme.static_files(issues))
    result.copies.update(theme.files)
    result.copies.update(renderer.media)
    return result


def _modules_to_render(renderer: Renderer) -> list[int]:
    """The modules with no file in the disk cache (all of them without one): the work to share out."""
    disk, modules = renderer.disk, renderer.course.modules
    if disk is None or not disk.reading:
        return list(range(len(modules)))
    return [index for index, module in enumerate(modules)
            if not disk.has(renderer.module_keys(module, index + 1)[2])]


def _checked_sink(sink: PageFiles | None, site: RenderedSite, theme: Theme,
                  issues: Issues) -> Callable[[str, bytes], None] | None:
    """Where page files go as they are made: checked as those kept in the site are, and named in it."""
    if sink is None:
        return None

    def put(rel: str, content: bytes) -> None:
        if rel.startswith("module-"):
            _offline(content, theme, issues)
        site.written.add(rel)
        sink(rel, content)
    return put


def _files_in_place(renderer: Renderer, modules: list[ModuleView]) -> set[str]:
    """The page scripts and module pages the output folder holds as this build would make them.

    Each is named by a digest of what makes it (`Renderer.module_outputs`); the disk cache says which
    files are still as the last build wrote them.
    """
    disk = renderer.disk
    if disk is None or disk.web_dir is None:
        return set()
    prefix = f"{renderer.translation}/" if renderer.translation else ""
    current = set()
    for module in modules:
        for rel, made_from in renderer.module_outputs(module, [page.id for page in module.pages]):
            if disk.output_current(prefix + rel, made_from):
                current.add(rel)
    return current


def _search_in_place(renderer: Renderer, context: dict[str, Any]) -> bool:
    """Whether the output folder holds the search index as this build would make it: named by every
    module's digest (each page's entries follow from its key), the glossary and the frameworks."""
    disk = renderer.disk
    if disk is None or disk.web_dir is None or len(renderer._module_keys) != len(renderer.course.modules):
        return False
    prefix = f"{renderer.translation}/" if renderer.translation else ""
    modules = [renderer._module_keys[n][2] for n in sorted(renderer._module_keys)]
    made_from = digest((modules, repr(context["glossary"]), repr(context["frameworks"]), renderer.deps))
    return disk.output_current(prefix + SEARCH_FILE, made_from)


def _offline(page: bytes, theme: Theme, issues: Issues) -> None:
    """The last guard of the offline promise, for what templates add (raw HTML is reported at its lesson).

    The built-in themes' templates are the tool's own, tested to load nothing: with them alone (no
    template of the course's, no shared theme) the megabytes of a large course's page are not searched.
    """
    if theme.overrides is None and all(folder.is_relative_to(BUILTIN_THEMES) for folder in theme.folders):
        return
    found = Issues()
    template = theme.env.get_template("course.html").filename or str(theme.folders[0] / "templates")
    check_page(page.decode("utf-8"), SourceRef(template), found)
    reported = " ".join(issue.message for issue in issues.items)
    issues.extend(i for i in found.items if i.message.split("'")[1] not in reported)


def _encoded(template: jinja2.Template, context: dict[str, Any]) -> bytes:
    """The page as UTF-8, encoded piece by piece: never the whole page as text and as bytes at once."""
    out = io.BytesIO()
    for piece in template.generate(context):
        out.write(piece.encode("utf-8"))
    return out.getvalue()


def part_file(name: str) -> str:
    """Where a runtime part's script is written: beside course.js."""
    return f"assets/course-{name}.js"


def runtime_files(theme: Theme) -> dict[str, bytes]:
    """course.js, then each runtime part as a script that says it ran (runtime/parts.js loads them)."""
    core = _minified(theme.scripts, "js")
    if theme.parts:
        names = json.dumps(sorted(theme.parts))
        core += f"window.Coursewright.parts&&window.Coursewright.parts.separate({names});\n".encode()
    files = {"assets/course.js": core}
    for name, paths in theme.parts.items():
        called = json.dumps(name)
        files[part_file(name)] = _minified(paths, "js") + f"window.Coursewright.partLoaded({called});\n".encode()
    return files


_minified_cache: dict[tuple, bytes] = {}


def _minified(paths: list[Path], kind: str) -> bytes:
    """The theme's scripts or stylesheets as one minified file (learners download less)."""
    key = (kind, tuple((str(p), p.stat().st_mtime_ns) for p in paths))
    if key not in _minified_cache:
        import rcssmin
        import rjsmin

        text = "\n".join(p.read_text(encoding="utf-8").rstrip("\n") for p in paths) + "\n"
        small = rjsmin.jsmin(text) if kind == "js" else rcssmin.cssmin(text)
        _minified_cache[key] = small.encode("utf-8") + b"\n"
    return _minified_cache[key]
