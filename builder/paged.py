"""The web course in parts, so it opens as fast with a thousand lessons as with thirty.

`index.html` holds the shell, the contents and the outline of the course; each page is a script of
its own (`pages/<module>/<page>.js`) that the runtime loads when the learner goes there (scripts load
from file://, where fetch() fails). Without JavaScript, each module is a plain page of its own
(`module-<id>.html`, linked from the contents) holding all its pages. A theme opts in by using
`paged` in its course.html; other themes get every page in `index.html`, as the single-file edition does.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import jinja2
from markupsafe import Markup

from .coursedata import outline_script, page_script
from .model import Module
from .theme import Theme
from .views import ModuleLink, ModuleView, PageView

MODULE_TEMPLATE = "module.html"
_PAGE_LINK = re.compile(r'href="#/([^/"#]+)/')
_REFERENCE_LINK = re.compile(r'href="#((?:g|fw)-[^"]*)"')


def module_file(module_id: str) -> str:
    """The file of a module's page for reading without JavaScript (beside index.html: same relative URLs)."""
    return f"module-{module_id}.html"


def page_file(page_id: str) -> str:
    """The script that brings one page (its id is `<module>/<page>`, both slugs)."""
    return f"pages/{page_id}.js"


LANDING_TEMPLATE = "partials/landing.html"
CARD_MACRO = "module_card"


def _source(theme: Theme, name: str) -> str:
    try:
        return theme.env.loader.get_source(theme.env, name)[0]  # type: ignore[union-attr]
    except jinja2.TemplateError:  # missing or refused (a link outside the theme): reported when it is rendered
        return ""


def splits_cards(theme: Theme) -> bool:
    """Whether the theme's landing lays a module's card out with the `module_card` macro, so that the
    cards index.html leaves out can come with pages/outline.js, laid out alike."""
    return CARD_MACRO in _source(theme, LANDING_TEMPLATE)


def later_cards_html(theme: Theme, context: dict[str, Any]) -> str:
    """The module cards index.html leaves out, as landing.html's `module_card` lays them out."""
    landing = context["landing"]
    later = landing.modules[len(landing.cards):]
    if not later:
        return ""
    card = getattr(theme.env.get_template(LANDING_TEMPLATE).make_module(context), CARD_MACRO)
    return "".join(str(card(view)) for view in later)


def uses_paging(theme: Theme) -> bool:
    """Whether the theme's course.html lays out the paged course (it names `paged`)."""
    return "paged" in _source(theme, "course.html")


def reference_file(page: str) -> str:
    """The glossary's or the frameworks' page for reading without JavaScript (builder/reference_pages.py)."""
    return f"{page}.html"


def without_javascript(html: str, module_id: str, here: str = "") -> str:
    """A section as a page for reading without JavaScript shows it: links to pages of other modules
    lead to their module's page, links to glossary entries and articles to `glossary.html` and
    `frameworks.html` (`here`: the file the section is in, whose own anchors stay as they are)."""
    def page_link(match: re.Match[str]) -> str:
        target = match.group(1)
        return match.group(0) if target == module_id else f'href="{module_file(target)}#/{target}/'

    def reference_link(match: re.Match[str]) -> str:
        target = reference_file("glossary" if match.group(1).startswith("g-") else "frameworks")
        return match.group(0) if target == here else f'href="{target}#{match.group(1)}"'

    html = _PAGE_LINK.sub(page_link, html)
    return _REFERENCE_LINK.sub(reference_link, html)


def page_files(theme: Theme, context: dict[str, Any], modules: list[ModuleView], data: dict[str, Any],
               kept: dict[Any, tuple[Any, bytes]] | None = None,
               current: set[str] = frozenset(),  # type: ignore[assignment]
               sink: Callable[[str, bytes], None] | None = None, cards: str = "") -> dict[str, bytes]:
    """Every page's script and every module's page; raises jinja2.TemplateError from module.html.

    `kept` (`course serve`'s) holds what earlier builds made, by the views it was made from: a view
    the cache kept is the same object, and unchanged, so its files are too. Views are held with
    their files, so that their ids are not reused while an entry names them. Files named in `current`
    are already in the output folder as they would be made (`course build`'s disk cache knows): not made.
    With `sink`, each file goes there as it is made (to be written) instead of into the result, so a
    large course's pages are not all held at once. `cards`: the landing's module cards index.html
    leaves out, laid out, for pages/outline.js.
    """
    checks: dict[str, dict[str, Any]] = {}
    for key, question in data["checks"].items():
        checks.setdefault(key.rpartition("/")[0], {})[key] = question
    earlier = dict(kept) if kept is not None else {}
    made: dict[Any, tuple[Any, bytes]] = {}
    files: dict[str, bytes] = {"pages/outline.js": outline_script(data, cards)}
    titles = {p["id"]: p["title"] for p in data["pages"]}
    put = sink or files.__setitem__
    template = theme.env.get_template(MODULE_TEMPLATE)
    for index, module in enumerate(modules):
        for page in module.pages:
            if page_file(page.id) in current:
                continue
            key = ("page", id(page))
            script = earlier.get(key) or (page, page_script(
                page.id, page.section_html, titles[page.id], checks.get(page.id, {}),
                data["quizzes"].get(page.id), data["scenarios"].get(page.id)))
            if kept is not None:
                made[key] = script
            put(page_file(page.id), script[1])
        if module_file(module.id) in current:
            continue
        previous, following = neighbours(modules, index)
        key = ("module", tuple(id(p) for p in module.pages), module.number, module.id, module.title,
               previous, following)
        page = earlier.get(key) or (list(module.pages), module_page(template, context, module, previous, following))
        if kept is not None:
            made[key] = page
        put(module_file(module.id), page[1])
    if kept is not None:
        kept.clear()
        kept.update(made)
    return files


def module_page(template: jinja2.Template, context: dict[str, Any], module: ModuleView,
                previous: ModuleLink | None, following: ModuleLink | None) -> bytes:
    """A module's page for reading without JavaScript; raises jinja2.TemplateError from module.html."""
    return template.render(context, module=module, sections=[_section(page, module.id) for page in module.pages],
                           previous=previous, next=following).encode("utf-8")


def neighbours(modules: Sequence[Module | ModuleView], index: int) -> tuple[ModuleLink | None, ModuleLink | None]:
    """The modules before and after one, which its page links to (from the course's modules or their
    views: a module's number is its place)."""
    def link(at: int) -> ModuleLink | None:
        if not 0 <= at < len(modules):
            return None
        module = modules[at]
        return ModuleLink(module.id, at + 1, module.title, module_file(module.id))

    return link(index - 1), link(index + 1)


def _section(page: PageView, module_id: str) -> Markup:
    return Markup(without_javascript(str(page.section_html), module_id))
