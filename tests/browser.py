"""Browser helpers for the tests: Debian's Chromium, pages guarded against errors and network use, axe."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    WebError,
    WebSocketRoute,
)

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# URLs with these schemes never leave the machine; everything else is an outside request.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

JS_MODULES = Path(__file__).resolve().parent / "js" / "node_modules"
NPM_MISSING = "run .ci/run to install npm test packages"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def file_url(path: Path | str) -> str:
    """The file:// address of a local file, as a learner double-clicking it would open it."""
    return Path(path).resolve().as_uri()


def launch_chromium(playwright: Playwright, executable_path: str) -> Browser:
    """Start Debian's Chromium headless (Playwright's own browser downloads are never used)."""
    return playwright.chromium.launch(executable_path=executable_path, args=LAUNCH_ARGS)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}".lower()


@dataclass
class PageGuard:
    """Records what a course must never do in a browser: log errors, throw, or reach the network.

    Outside requests are aborted as well as recorded, so a test never depends on the network.
    """

    allowed_origins: set[str] = field(default_factory=set)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def allow(self, origin: str) -> None:
        """Let requests to one origin (e.g. ``http://127.0.0.1:8123``) through, for served tests."""
        self.allowed_origins.add(_origin(origin))

    def is_allowed(self, url: str) -> bool:
        return url.lower().startswith(LOCAL_SCHEMES) or _origin(url) in self.allowed_origins

    def attach(self, context: BrowserContext) -> None:
        """Watch every page of a context (popups included) and block its outside requests."""
        context.route("**/*", self._route)
        context.route_web_socket("**/*", self._route_web_socket)
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)

    def _route(self, route: Route) -> None:
        if self.is_allowed(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _route_web_socket(self, ws: WebSocketRoute) -> None:
        if self.is_allowed(ws.url):
            ws.connect_to_server()
            return
        # Not connecting to the server leaves the socket mocked; closing it makes the page notice.
        if ws.url not in self.outside_requests:
            self.outside_requests.append(ws.url)
        ws.close(code=1008, reason="outside connection blocked by the test")

    def _on_request(self, request: Request) -> None:
        url = request.url
        if not self.is_allowed(url) and url not in self.outside_requests:
            self.outside_requests.append(url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = location.get("url", "")
            if where:
                where = f" ({where}:{location.get('lineNumber', 0) + 1})"
            self.console_errors.append(f"{message.text}{where}")

    def _on_web_error(self, error: WebError) -> None:
        self.page_errors.append(error.error.stack or error.error.message)

    def problems(self) -> list[str]:
        """Everything recorded so far, one readable line (or stack) per problem."""
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught exception: {text}" for text in self.page_errors]
            + [f"outside request: {url}" for url in self.outside_requests]
        )

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.outside_requests.clear()

    def assert_clean(self) -> None:
        """Fail listing every console error, uncaught exception and outside request seen."""
        __tracebackhide__ = True
        problems = self.problems()
        if problems:
            listing = "\n".join(f"  - {problem}" for problem in problems)
            raise AssertionError(f"the page was not clean ({len(problems)} problems):\n{listing}")


@dataclass(frozen=True)
class GuardedPage:
    """A page in its own browser context, with the guard watching that context."""

    page: Page
    guard: PageGuard
    context: BrowserContext


def open_guarded_page(
    browser: Browser, *, allow_origins: tuple[str, ...] = (), **context_options: Any
) -> GuardedPage:
    """A fresh context and page; ``context_options`` go to ``browser.new_context``."""
    context_options.setdefault("service_workers", "block")
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    guard = PageGuard()
    for origin in allow_origins:
        guard.allow(origin)
    guard.attach(context)
    return GuardedPage(page=context.new_page(), guard=guard, context=context)


# axe.run on `node` with `options`, the pages not on show taken out of the document meanwhile (see
# below); its violations as plain objects. Defined on the window once, for every runner below.
AXE_WITHOUT_HIDDEN_PAGES = """
() => { window.axeWithoutHiddenPages = async (node, options) => {
  const hidden = [...document.querySelectorAll('main > section.page')]
    .filter((section) => getComputedStyle(section).display === 'none');
  const marks = hidden.map((section) => {
    const mark = document.createComment('');
    section.replaceWith(mark);
    return mark;
  });
  try {
    // preload off: from file:// axe's stylesheet re-read would log errors that are axe's, not the course's
    const results = await axe.run(node, {...options, preload: false});
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String),
        html: n.html,
        failureSummary: n.failureSummary || '',
      })),
    }));
  } finally {
    marks.forEach((mark, i) => mark.replaceWith(hidden[i]));
  }
}; }
"""


def load_axe(page: Page) -> None:
    """axe-core and the runner above in the page (once)."""
    script = JS_MODULES / "axe-core" / "axe.min.js"
    if not script.is_file():
        pytest.skip(NPM_MISSING)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=script)
    if not page.evaluate("() => typeof window.axeWithoutHiddenPages === 'function'"):
        page.evaluate(AXE_WITHOUT_HIDDEN_PAGES)


# The pages of a course not on show are `display: none`: axe reports nothing in them, yet reading
# them into its tree is most of a run's time once a learner has opened many pages (3 to 7 times
# slower with the sample course's 44 pages loaded). They are taken out of the document while axe
# runs and put back at once. The one WCAG rule that reads hidden elements too (duplicate-id-aria:
# an id that ARIA or a label refers to must be unique) is checked on the whole document first.
_AXE_RUN = """
async (tags) => {
  const found = [];
  if (tags.includes('wcag2a')) {
    const attributes = ['aria-activedescendant', 'aria-controls', 'aria-describedby', 'aria-details',
                        'aria-errormessage', 'aria-flowto', 'aria-labelledby', 'aria-owns'];
    const referred = new Set();
    for (const attribute of attributes) {
      document.querySelectorAll(`[${attribute}]`).forEach((el) =>
        el.getAttribute(attribute).split(/\\s+/).filter(Boolean).forEach((id) => referred.add(id)));
    }
    document.querySelectorAll('label[for]').forEach((label) => referred.add(label.getAttribute('for')));
    const nodes = [];
    for (const id of referred) {
      const same = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
      if (same.length > 1) {
        nodes.push(...[...same].map((el) => ({target: [`#${id}`], html: el.outerHTML.slice(0, 300),
          failureSummary: `Fix any of the following:\n  Document has ${same.length} elements with the id "${id}", referred to by ARIA or a label`})));
      }
    }
    if (nodes.length) {
      found.push({id: 'duplicate-id-aria', impact: 'critical', help: 'IDs used in ARIA and labels must be unique',
                  helpUrl: 'https://dequeuniversity.com/rules/axe/duplicate-id-aria', nodes});
    }
  }
  return [...found, ...await axeWithoutHiddenPages(document, {runOnly: {type: 'tag', values: tags}})];
}
"""


def axe(page: Page, *, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; returns its violations as plain dicts.

    Each violation: ``{id, impact, help, helpUrl, nodes: [{target, html, failureSummary}]}``.
    Use ``format_violations`` for the assertion message.
    """
    load_axe(page)
    return page.evaluate(_AXE_RUN, tags or WCAG_TAGS)


# Every script the course's page adds, in order, by its path in the web folder (file:// pages have
# no resource timing): which page scripts and runtime parts the runtime loads, and when.
RECORD_SCRIPTS = """
window.__scripts = [];
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes)
    if (node.tagName === 'SCRIPT' && node.src.startsWith('file:')) window.__scripts.push(node.src.split('/web/').pop());
}).observe(document, { childList: true, subtree: true });
"""


def record_scripts(page: Page, then: str = "") -> None:
    """From the next page load on, the scripts it adds are recorded (`recorded_scripts`); `then` is
    more of the same init script, which may read `window.__scripts`."""
    page.add_init_script(RECORD_SCRIPTS + then)


def recorded_scripts(page: Page) -> list[str]:
    return page.evaluate("window.__scripts")


STICKY_BARS = ".site-header, .quiz-bar, .pager"


@contextmanager
def sticky_bars_in_flow(page: Page) -> Iterator[None]:
    """The sticky header, Check bar and pager put back in the page's flow for a while, for axe's
    target-size rule (WCAG 2.5.8) alone. The runtime keeps a control the keyboard or a scroll brings
    up clear of the bars (the scroll padding at both ends, runtime/reading.js; tested in
    test_phone_pager.py), but axe weighs every target where the page happens to be scrolled, so a
    control at the window's foot under the Check bar counts as too small. With the bars in the flow
    it weighs the targets' size and spacing. Used only where axe runs with such a control on screen
    (whole quiz pages at the top, a question brought to the middle of a phone's window)."""
    bars = page.locator(STICKY_BARS)
    bars.evaluate_all("els => els.forEach(e => e.style.position = 'static')")
    try:
        yield
    finally:
        bars.evaluate_all("els => els.forEach(e => e.style.position = '')")


def format_violations(violations: list[dict[str, Any]], *, max_nodes: int = 5) -> str:
    """axe violations as a readable list: rule, impact, help, then the offending elements."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violations:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        nodes = violation["nodes"]
        for node in nodes[:max_nodes]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            for detail in node["failureSummary"].splitlines():
                if detail.strip():
                    lines.append(f"      {detail.strip()}")
        if len(nodes) > max_nodes:
            lines.append(f"    ... and {len(nodes) - max_nodes} more elements")
    return "\n".join(lines)
