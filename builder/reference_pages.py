"""The glossary and the frameworks of the paged course, each a script of its own and a plain page.

A large glossary or set of frameworks would weigh on the first screen: in the paged course
`index.html` leaves their sections out, as it does every page; the runtime loads
`pages/glossary.js` or `pages/frameworks.js` (made like a page's script) when the learner opens
the page, one of its entries (`#g-<term>`, `#fw-<instrument>--art-<n>`) or a reference card, and
while the browser is idle. Without JavaScript, `glossary.html` and `frameworks.html` hold them,
laid out by the theme's `reference.html` like a module's page, and linked from the contents.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .coursedata import page_script
from .paged import page_file, reference_file, without_javascript
from .theme import Theme

REFERENCE_TEMPLATE = "reference.html"
PARTIALS = {"glossary": "partials/glossary.html", "frameworks": "partials/frameworks.html"}
TITLES = {"glossary": "glossary_title", "frameworks": "frameworks_title"}
REFERENCE_FILES = {reference_file(page) for page in PARTIALS}


def reference_pages(context: dict[str, Any]) -> list[str]:
    """The reference pages the course has (`glossary`, `frameworks`), as the contents list them."""
    return [page for page, present in (("glossary", context["glossary"].letters),
                                       ("frameworks", context["frameworks"].levels)) if present]


def reference_files(theme: Theme, context: dict[str, Any]) -> dict[str, bytes]:
    """Each reference page's script (`pages/<page>.js`) and its page for reading without JavaScript
    (`<page>.html`); raises jinja2.TemplateError from the theme's templates."""
    files: dict[str, bytes] = {}
    layout = theme.env.get_template(REFERENCE_TEMPLATE)
    for page in reference_pages(context):
        html = theme.env.get_template(PARTIALS[page]).render(context)
        title = context["strings"][TITLES[page]]
        files[page_file(page)] = page_script(page, html, title, {})
        section = Markup(without_javascript(html, "", here=reference_file(page)))
        files[reference_file(page)] = layout.render(context, page=page, title=title, section=section).encode("utf-8")
    return files
