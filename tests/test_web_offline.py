"""The built web course opened by double-click: from file://, offline, with and without JavaScript.

What a learner should see is computed from the sources here, independently of the builder.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from browser import GuardedPage, PageGuard, file_url
from test_learner_support import open_every_module

PAGE_KINDS = {".quiz.yaml": "quiz", ".scenario.yaml": "scenario", ".md": "lesson"}
NUMBER_PREFIX = re.compile(r"^(\d+)-")


@dataclass(frozen=True)
class SourcePage:
    """A page as its source file defines it."""

    id: str
    kind: str
    title: str
    path: Path

    @property
    def href(self) -> str:
        return f"#/{self.id}"

    @property
    def anchor(self) -> str:
        module, page = self.id.split("/")
        return f"p-{module}--{page}"


def _split_kind(name: str) -> tuple[str, str] | None:
    for suffix, kind in PAGE_KINDS.items():
        if name.endswith(suffix):
            return name[: -len(suffix)], kind
    return None


def _slug(name: str) -> str:
    return NUMBER_PREFIX.sub("", name)


def _source_order(name: str) -> tuple[float, str]:
    match = NUMBER_PREFIX.match(name)
    return (int(match.group(1)) if match else float("inf"), name)


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def lesson_body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\A---\r?\n.*?\r?\n---\r?\n", "", text, count=1, flags=re.DOTALL)


def source_pages(source: Path) -> list[SourcePage]:
    """Every page of the course in reading order: modules by prefix, pages by prefix or module.yaml."""
    pages: list[SourcePage] = []
    module_dirs = [d for d in (source / "modules").iterdir() if d.is_dir()]
    for module_dir in sorted(module_dirs, key=lambda d: _source_order(d.name)):
        files = {f.name: f for f in module_dir.iterdir() if f.is_file() and _split_kind(f.name)}
        module_yaml = module_dir / "module.yaml"
        listed = []
        if module_yaml.is_file():
            listed = (yaml.safe_load(module_yaml.read_text(encoding="utf-8")) or {}).get("pages") or []
        names = [name for name in listed if name in files]
        names += sorted((n for n in files if n not in names), key=_source_order)
        for name in names:
            stem, kind = _split_kind(name)  # type: ignore[misc]
            path = files[name]
            data = _front_matter(path) if kind == "lesson" else yaml.safe_load(path.read_text("utf-8"))
            pages.append(SourcePage(f"{_slug(module_dir.name)}/{_slug(stem)}", kind, data["title"], path))
    return pages


def text_pattern(text: str) -> re.Pattern[str]:
    """Match text as rendered: any whitespace, typographic quotes and dashes, any case."""
    flexible = {"'": "['‘’]", '"': '["“”]', "-": "[-‐–—]"}
    parts = []
    for word in text.split():
        parts.append("".join(flexible.get(char, re.escape(char)) for char in word))
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def plain_snippet(markdown: str) -> str | None:
    """Some words from a top-level paragraph line with no Markdown syntax in them.

    Lines inside directives and code fences are passed over: a reveal or a tab may hide them.
    """
    depth, fenced = 0, False
    for line in markdown.splitlines():
        line = line.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif fenced:
            continue
        elif line.startswith(":::"):
            depth = depth + 1 if line.strip(":").strip() else max(depth - 1, 0)
        elif depth == 0:
            match = re.match(r"[A-Za-z][A-Za-z0-9 ,;'’-]{24,}", line)
            if match:
                return match.group(0)[:60].rsplit(" ", 1)[0]
    return None


@pytest.fixture(scope="module")
def course_pages(built_course: Path, repo_root: Path) -> list[SourcePage]:
    pages = source_pages(repo_root / "course_src")
    assert pages, "the sample course has no pages under course_src/modules"
    return pages


@pytest.fixture(scope="module")
def index_url(built_course: Path) -> str:
    index = built_course / "web" / "index.html"
    assert index.is_file(), f"the build wrote no {index.relative_to(built_course)}"
    return file_url(index)


def expect_heading(page: Page, title: str) -> None:
    __tracebackhide__ = True
    # Role queries leave out hidden elements: only the page on show can match.
    expect(page.get_by_role("heading", name=text_pattern(title)).first).to_be_visible()


def test_first_lesson_heading_is_visible(
    index_url: str, course_pages: list[SourcePage], page: Page, guard: PageGuard
) -> None:
    first_lesson = next(p for p in course_pages if p.kind == "lesson")
    page.goto(index_url)
    expect_heading(page, first_lesson.title)
    guard.assert_clean()


def module_pages(page: Page, index_url: str) -> list[str]:
    """The modules' pages the contents of index.html link to, without JavaScript, in order."""
    page.goto(index_url)
    links = page.eval_on_selector_all("#toc a.toc-link[href^='module-']", "links => links.map(a => a.href)")
    return [link for link in links if not link.endswith("/index.html")]


def test_every_page_is_a_section(index_url: str, course_pages: list[SourcePage],
                                 new_page: Callable[..., GuardedPage]) -> None:
    """Every page is a ``<section class="page">`` with the page's anchor as id, in reading order: in
    the page of its module, which the contents link to (the runtime loads them one by one)."""
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    section_ids = []
    for url in module_pages(page, index_url):
        page.goto(url)
        section_ids += page.eval_on_selector_all("section.page", "els => els.map(el => el.id)")
    expected = [p.anchor for p in course_pages]
    found = [anchor for anchor in section_ids if anchor in set(expected)]
    assert found == expected, (
        f"page sections (by id) in the modules' pages: {section_ids}\nexpected in order: {expected}"
    )
    guarded.guard.assert_clean()


def test_contents_list_every_page_in_reading_order(
    index_url: str, course_pages: list[SourcePage], page: Page
) -> None:
    page.goto(index_url)
    open_every_module(page)  # the contents' modules are closed but the current one
    expected = [p.href for p in course_pages]
    in_document = set(
        page.eval_on_selector_all("a[href^='#/']", "links => links.map(a => a.getAttribute('href'))")
    )
    missing = [href for href in expected if href not in in_document]
    assert not missing, f"no link to these pages anywhere in the document: {missing}"

    lists = page.eval_on_selector_all(
        "nav, [role=navigation], #toc",
        "els => els.map(el => Array.from(el.querySelectorAll(\"a[href^='#/']\"),"
        " a => a.getAttribute('href')))",
    )
    assert lists, "no table of contents: no <nav>, role=navigation or #toc element"
    wanted = set(expected)
    found = [list(dict.fromkeys(h for h in hrefs if h in wanted)) for hrefs in lists]
    best = max(found, key=len)
    assert expected in found, (
        "no navigation element lists every page in reading order;\n"
        f"expected: {expected}\nclosest:  {best}"
    )


def test_every_page_opens_at_its_address(
    index_url: str, course_pages: list[SourcePage], page: Page, guard: PageGuard
) -> None:
    for course_page in course_pages:
        page.goto("about:blank")
        page.goto(f"{index_url}{course_page.href}")
        expect_heading(page, course_page.title)
    guard.assert_clean()


def test_no_request_leaves_the_course_and_no_error(
    index_url: str, course_pages: list[SourcePage], page: Page, guard: PageGuard
) -> None:
    page.goto(index_url)
    page.wait_for_load_state("networkidle")
    for course_page in course_pages:
        page.evaluate("hash => { location.hash = hash; }", course_page.href)
        expect_heading(page, course_page.title)
    page.wait_for_load_state("networkidle")
    guard.assert_clean()


def test_lessons_read_with_javascript_off(
    index_url: str, course_pages: list[SourcePage], new_page: Callable[..., GuardedPage]
) -> None:
    """Without JavaScript the contents lead to each module's page, which shows every page of the module."""
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    modules = module_pages(page, index_url)
    assert modules, "the contents link to no module page"
    by_module: dict[str, list[SourcePage]] = {}
    for course_page in course_pages:
        by_module.setdefault(course_page.id.split("/")[0], []).append(course_page)
    assert len(modules) == len(by_module)
    for url, pages in zip(modules, by_module.values()):
        page.goto(url)
        for course_page in pages:
            expect_heading(page, course_page.title)
    first_lesson = next(p for p in course_pages if p.kind == "lesson")
    page.goto(modules[0])
    snippet = plain_snippet(lesson_body(first_lesson.path))
    if snippet is not None:
        expect(page.get_by_text(text_pattern(snippet)).first).to_be_visible()
    else:
        section_text = page.locator(f"[id='{first_lesson.anchor}']").inner_text()
        assert len(section_text) > len(first_lesson.title) + 40, "the first lesson shows no text"
    guarded.guard.assert_clean()