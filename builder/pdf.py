"""The guide and the handout as PDF, through Chromium's own print to PDF (driven by Playwright).

Chromium lays the documents out with the same print styles a trainer gets from the browser's print
dialog; its footer adds page numbers. The documents are self-contained, so the browser never needs
the network, and any request it tries anyway is refused.
"""
from __future__ import annotations

import importlib.util
import shutil
from concurrent.futures import ThreadPoolExecutor

import click

# Chromium as the tests run it: no sandbox (containers), and nothing that phones home.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# The paper size when nothing else decides: A4 is the size of most of the world's printers.
PAPER = "A4"

# Chromium fills the spans; the font size must be given, since the footer does not inherit the page's.
FOOTER = ('<div style="font: 8pt sans-serif; color: #555; width: 100%; padding: 0 16mm; display: flex; '
          'justify-content: space-between;"><span class="title"></span>'
          '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')

# The documents number their pages themselves for the print dialog; in the PDF, Chromium's footer does.
NO_CSS_PAGE_NUMBERS = "@page { @bottom-center { content: none; } @bottom-right { content: none; } }"


class NoPdfEngine(click.ClickException):
    """PDF needs Chromium and Playwright's Python package; say which is missing and how to get it."""

    exit_code = 1


def find_engine() -> str:
    """The path of a Chromium to print with; raise NoPdfEngine when there is none."""
    if importlib.util.find_spec("playwright") is None:
        raise NoPdfEngine("no PDF engine found: install chromium (e.g. 'apt-get install chromium') and the "
                          "Playwright package ('pip install playwright'); the HTML guide and handout print "
                          "from any browser meanwhile")
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise NoPdfEngine("no PDF engine found: install chromium (e.g. 'apt-get install chromium', or your system's "
                      "Chromium or Chrome package); the HTML guide and handout print from any browser meanwhile")


def print_to_pdf(documents: dict[str, str], chromium: str, paper: str = PAPER) -> dict[str, bytes]:
    """Each HTML document (by file name) as a PDF (by the same name, ending .pdf).

    Playwright's synchronous API refuses to start inside a running event loop (a notebook, a test
    session that already drives a browser), so the printing runs in a thread of its own.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, documents, chromium, paper).result()


def _print(documents: dict[str, str], chromium: str, paper: str) -> dict[str, bytes]:
    from playwright.sync_api import Route, sync_playwright

    def offline(route: Route) -> None:
        if route.request.url.startswith(("data:", "about:")):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    pdfs: dict[str, bytes] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(service_workers="block")
            context.route("**/*", offline)
            page = context.new_page()
            for name, html in documents.items():
                page.set_content(html, wait_until="load")
                page.add_style_tag(content=NO_CSS_PAGE_NUMBERS)
                pdfs[name.removesuffix(".html") + ".pdf"] = page.pdf(
                    format=paper, print_background=True, display_header_footer=True,
                    header_template="<span></span>", footer_template=FOOTER, outline=True, tagged=True)
        finally:
            browser.close()
    return pdfs
