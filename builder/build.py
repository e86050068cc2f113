"""build(): read, check, render, then write; nothing reaches dist/ until the whole course is good."""
from __future__ import annotations

import copy
import functools
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ParamSpec, TypeVar

from .diskcache import DiskCache
from .errors import BuildError, Issue, Issues, SourceRef, root_label
from .loader import load_course, prune
from .model import RTL_LANGUAGES, Course, Quiz, Scenario
from .output import (MANIFEST, Fresh, PageFiles, Update, folder_stamps, open_output, target_issues, update_site,
                     write_site)
from .rendercache import RenderCache
from .sources import SourceTree, read_sources
from .uptodate import output_signatures, remember as remember_result, signed_early, summary

if TYPE_CHECKING:  # imported once the course loads (`rendering_modules`)
    from .render import RenderedSite
    from .theme import Theme
    from .views import LanguageView


Params = ParamSpec("Params")
Result = TypeVar("Result")


def collector_paused(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Run a build with Python's cycle collector paused, as it was before after.

    A build makes millions of short-lived objects (Markdown's tokens, the templates' contexts) and
    almost no garbage in cycles: the collector's passes over them were a twentieth of a 1,000-lesson
    build's CPU and found nothing, then two full passes at its end a fortieth more, for the cycles the
    process was about to let go of anyway. Paused, the same build's peak memory grew by 1 MB at 1,000
    lessons and 6 MB at 5,000. `course serve` collects as usual between builds (and tidies when idle).
    """
    @functools.wraps(function)
    def paused(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


def rendering_modules() -> None:
    """Import what checking and rendering need (Jinja, Markdown, the theme: a fifth of a large build's
    start), while a worker loads pages (`load_course`): the two processes share the time."""
    from . import render, sharedfonts, theme, translations, validate  # noqa: F401


class _Meanwhile:
    """What a build does while a worker loads pages (`load_course`): import what comes next, and load the
    theme course.yaml names."""

    def __init__(self, root: Path, issues: Issues) -> None:
        self.root, self.issues = root, issues
        self.theme: Theme | None = None

    def __call__(self, head: Course | None) -> None:
        rendering_modules()
        if head is not None:
            from .theme import load_theme

            self.theme = load_theme(head.theme, self.root, head.theme_options, head.source, head.language,
                                    self.issues)


@dataclass
class BuildReport:
    """What a build made, for the one-line summary and for the commands that follow (package)."""

    course: Course = field(repr=False)
    web_dir: Path | None
    seconds: float
    warnings: list[Issue] = field(default_factory=list)
    site: RenderedSite | None = field(default=None, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        pages = self.course.pages
        return {
            "pages": len(pages),
            "quizzes": sum(isinstance(p, Quiz) for p in pages),
            "scenarios": sum(isinstance(p, Scenario) for p in pages),
            "terms": len(self.course.glossary),
            "instruments": len(self.course.frameworks),
        }

    def summary(self) -> str:
        return summary(self.counts, self.seconds)


def _consequences_dropped(problems: list[Issue]) -> list[Issue]:
    """A source error (`kind: assesment`) can make a built-in template fail on the value it did not expect:
    that failure is the error's echo, pointing into the tool's own files, so it is left out while the
    source has errors of its own. A course's or a shared theme's templates are always reported."""
    from .theme import BUILTIN_THEMES

    builtin = str(BUILTIN_THEMES) + os.sep
    echoes = [i for i in problems if i.where.path.startswith(builtin) and i.message.startswith("template error:")]
    if echoes and any(i.severity == "error" and i not in echoes for i in problems):
        return [i for i in problems if i not in echoes]
    return problems


def _fail(issues: Issues, source: Path, strict: bool) -> None:
    problems = _consequences_dropped(issues.sorted())
    if strict:
        problems = [Issue(i.where, i.message, "error", i.hint) for i in problems]
    if any(i.severity == "error" for i in problems):
        raise BuildError(problems, root_label(source).rstrip("/"))


@dataclass
class BuildCaches:
    """What `course serve` keeps between builds: read and loaded files, quizzes and scenarios found
    sound, rendered pages and Markdown."""

    sources: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    sound: set = field(default_factory=set)
    render: RenderCache = field(default_factory=RenderCache)


def compile_course(source: Path, *, strict: bool = False, progress: Callable[[], None] | None = None,
                   caches: BuildCaches | None = None, picker: bool = True,
                   disk: DiskCache | None = None, sink: PageFiles | None = None,
                   meanwhile: Callable[[], None] | None = None) -> tuple[Course, RenderedSite, list[Issue]]:
    """Every stage but writing: what `course check` runs, and what `build` writes out.

    With `disk`, pages an earlier build kept there are not rendered again. With `sink`, page files go
    there as they are made (`build` writes them beside the output, and puts them in place only once
    the whole course is good). `meanwhile` is work of the caller's done while a worker renders.
    """
    issues = Issues()
    load_cache = caches.load if caches else None
    render_cache = caches.render if caches else None
    if render_cache is not None:
        render_cache.start()
    tree = read_sources(source, issues, caches.sources if caches else None)
    loading = _Meanwhile(tree.root, issues)
    course = load_course(tree, issues, load_cache, disk.loads if disk else None, meanwhile=loading)
    from .render import RenderedSite, render_site  # imported by now, as are these (`rendering_modules`)
    from .sharedfonts import shared_font_files
    from .validate import validate_course

    if course is None:
        if not issues.errors:
            issues.error(tree.course.ref if tree.course else SourceRef("course.yaml"),
                         "course.yaml could not be read", "it needs at least id and title")
        _fail(issues, source, strict)
    unread = _unread_references(course, issues)
    validate_course(course, issues, caches.sound if caches else None)
    theme = loading.theme  # loaded while a worker loaded pages
    root, page_sources = tree.root, _failed_pages(tree, issues)
    if not course.translations and caches is None:
        del tree  # the model holds what rendering needs: let the sources' text go (a large course's megabytes)
    site = RenderedSite()
    if theme is not None:
        languages = [course.language, *course.translations]
        picked = languages if picker else [course.language]
        site = render_site(course, root, theme, issues, strict, progress,
                           language_views(picked, course.language), render_cache, page_sources, disk=disk,
                           sink=sink, meanwhile=meanwhile)
        for lang in course.translations:
            translated = _translated_site(course, tree, theme, lang, picked if picker else [lang], issues,
                                          strict, caches, disk, _prefixed(sink, lang))
            files, copies = shared_font_files(translated.files, translated.copies, site.copies, lang)
            site.files.update({f"{lang}/{k}": v for k, v in files.items()})
            site.current.update(f"{lang}/{k}" for k in translated.current)
            site.written.update(f"{lang}/{k}" for k in translated.written)
            site.copies.update({f"{lang}/{k}": v for k, v in copies.items()})
            site.translations[lang] = translated
    issues.extend(target_issues(site))
    if unread:
        issues.items = [i for i in issues.items if not (i.severity == "error" and i.message.startswith(unread))]
    if caches is not None:
        prune(caches.load)
        caches.render.prune()
    _fail(issues, source, strict)
    return course, site, issues.sorted()


def _prefixed(sink: PageFiles | None, lang: str) -> PageFiles | None:
    """A translation's files go in its own folder."""
    return None if sink is None else sink.prefixed(lang)


def _unread_references(course: Course, issues: Issues) -> tuple[str, ...]:
    """What every reference would wrongly call unknown when glossary.yaml or frameworks.yaml was refused
    whole (bad YAML, over budget, a link leading out): the file's own error says what to fix."""
    refused = {i.where.path for i in issues.errors}
    echoes = []
    if "glossary.yaml" in refused and not course.glossary:
        echoes.append("unknown glossary term ")
    if "frameworks.yaml" in refused and not course.frameworks:
        echoes.append("unknown legal instrument ")
    return tuple(echoes)


def _failed_pages(tree: SourceTree, issues: Issues) -> set[str]:
    """Page files that exist but did not load because of their own errors (links to them stay quiet)."""
    with_errors = {issue.where.path for issue in issues.errors}
    return {page.path for module in tree.modules for page in module.pages if page.path in with_errors}


def language_views(languages: list[str], current: str) -> list[LanguageView]:
    """The language picker: the source language at the top folder, each translation in its own."""
    from .translations import language_name
    from .views import LanguageView

    source = languages[0]
    up = "" if current == source else "../"
    views = []
    for lang in languages:
        href = f"{up}index.html" if lang == source else f"{up}{lang}/index.html"
        direction = "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
        views.append(LanguageView(lang, language_name(lang), href, lang == current, direction))
    return views if len(languages) > 1 else []


def _translated_site(course: Course, tree: SourceTree, theme: Theme, lang: str, languages: list[str],
                     issues: Issues, strict: bool, caches: BuildCaches | None,
                     disk: DiskCache | None = None,
                     sink: PageFiles | None = None) -> RenderedSite:
    """One language of the course: translated text over the source structure, its own strings."""
    from .render import render_site
    from .theme import load_strings
    from .translations import check_media, check_status, merge, overlay

    own = Issues()  # this language's problems, each said to be about it
    check_status(tree, lang, own)
    translated = load_course(overlay(tree, lang, own), own, caches.load if caches else None,
                             disk.loads if disk else None)
    merged = merge(course, translated, lang)
    lang_theme = copy.copy(theme)
    lang_theme.strings = load_strings(theme.folders, lang, own)
    page_sources = _failed_pages(tree, Issues(issues.items + own.items))
    site = render_site(merged, tree.root, lang_theme, own, strict, None, language_views(languages, lang),
                       caches.render if caches else None, page_sources, course.glossary, lang, disk,
                       source_language=course.language, sink=sink)
    media = {url: path for url, path in site.copies.items() if url.startswith("media/")}
    check_media(tree.root, lang, course.language, media, course.neutral_media, own)
    issues.extend(_about_language(own.items, issues.items, lang))
    return site


def _about_language(found: list[Issue], reported: list[Issue], lang: str) -> list[Issue]:
    """A translated course's problems, each naming its language; those its source course already
    reports (in a file the translation does not have) are left to that report."""
    known = {(i.where, i.severity, i.message) for i in reported}
    named = []
    for issue in found:
        if (issue.where, issue.severity, issue.message) in known:
            continue
        if f"'{lang}'" not in issue.message and not issue.where.path.startswith(f"translations/{lang}/"):
            issue = Issue(issue.where, f"in the '{lang}' course: {issue.message}", issue.severity, issue.hint)
        named.append(issue)
    return named


@collector_paused
def build(source: Path, out: Path, *, strict: bool = False, progress: Callable[[], None] | None = None,
          caches: BuildCaches | None = None, previous: RenderedSite | None = None,
          remember: bool = False, clean: bool = False, keep_output: bool = False,
          seen: dict[str, Any] | None = None) -> BuildReport:
    """Build the web course into `out`/web; raise BuildError (and write nothing) on any error.

    With `previous` (the last build's site, still on disk), only the files that changed are rewritten.
    With `remember`, rendered pages are kept on disk beside the output (`course build`), and a later
    build takes the unchanged ones from there, unless `clean`. With `keep_output` too, an output folder
    an earlier build wrote is updated in place: unchanged files are not written, and page files the
    output holds as they would be made are not even made (`site.current` names them: the report's
    site then lacks their bytes, so packaging builds without it). Such a build also records what it
    read and wrote, for the up-to-date check of the next (`uptodate`); `seen` holds the signatures
    of the files this one looked at (`uptodate.last_result`), taken again only where it had none.
    """
    started, started_ns = time.perf_counter(), time.time_ns()
    disk = DiskCache.open(out, reading=not clean) if remember and caches is None else None
    web_dir = out / "web"
    if disk is not None:
        disk.web_dir = web_dir
        disk.reuse_output = keep_output and (web_dir / MANIFEST).is_file()
    keep_unchanged = disk is not None and disk.reading and keep_output
    output: Fresh | Update | None = None
    serving = previous is not None or caches is not None  # `course serve` keeps every file to compare
    early: dict[str, Any] = {}

    def meanwhile() -> None:
        """What the end of the build needs that a worker rendering pages can share the time of."""
        if disk is not None and disk.loads is not None:
            disk.stage()
            disk.loads.save(disk.staging)
        if disk is not None and keep_output:
            early.update(signed_early(source, out, started_ns, seen))

    try:
        # Page files are written (beside the output) as they are made, by whichever process renders
        # their module: the output is opened before any is forked.
        output = None if serving else open_output(web_dir, keep_unchanged)
        course, site, warnings = compile_course(source, strict=strict, progress=progress, caches=caches, disk=disk,
                                                sink=None if output is None else PageFiles(output),
                                                meanwhile=meanwhile)
        if previous is not None and web_dir.is_dir():
            update_site(site, previous, web_dir)
        else:
            write_site(site, web_dir, keep_unchanged, output)
            if serving:
                site.folders = folder_stamps(web_dir, site.files)
    except BaseException:
        if output is not None:
            output.discard()
        if disk is not None:
            disk.discard()
        raise
    written = output_signatures(out) if disk is not None and keep_output else None  # stated once, for both
    if disk is not None:
        disk.commit(_by_path(written))
    report = BuildReport(course, web_dir, time.perf_counter() - started, warnings, site)
    if disk is not None and keep_output:
        remember_result(source, out, strict, site.theme_folders, report.counts, warnings, started_ns, early,
                        written)
    return report


def _by_path(signatures: dict[str, Any] | None) -> dict[str, list[Any]] | None:
    """The output's files as `uptodate` signs them, by their path in the output ('/' between folders)."""
    if signatures is None:
        return None
    return {rel.replace(os.sep, "/"): found for rel, found in signatures.items() if isinstance(found[0], int)}


@collector_paused
def check(source: Path, *, strict: bool = False) -> BuildReport:
    """Validate and render in memory; write nothing."""
    started = time.perf_counter()
    course, site, warnings = compile_course(source, strict=strict)
    return BuildReport(course, None, time.perf_counter() - started, warnings, site)


def theme_folders(source: Path) -> list[Path]:
    """The theme folders a course uses (for watching), best effort: [] when the course cannot load."""
    from .theme import load_theme

    issues = Issues()
    tree = read_sources(source, issues)
    course = load_course(tree, issues)
    if course is None:
        return []
    theme = load_theme(course.theme, tree.root, course.theme_options, course.source, course.language, Issues())
    return list(theme.folders) if theme else []
