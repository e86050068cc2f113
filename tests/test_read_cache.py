"""read_sources with a cache (`course serve`): unchanged files are not read again, and the tree is
always the one a fresh read gives."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from builder import sources
from builder.errors import Issues
from builder.sources import SourceTree, read_sources
from test_sources import LESSON, write

FILES = {
    "course.yaml": "id: c\ntitle: C\n",
    "glossary.yaml": "- term: T\n  definition: D\n",
    "modules/01-m/module.yaml": "title: M\n",
    "modules/01-m/01-a.md": LESSON.format(title="A"),
    "modules/01-m/02-b.md": LESSON.format(title="B"),
    "modules/01-m/notes.txt": "not a page",
    "modules/02-n/01-c.quiz.yaml": "title: Q\nquestions: []\n",
}
AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


def settle(root: Path, rel: str, when: int = AN_HOUR_AGO) -> None:
    """Give a file a modification time long enough ago for the cache to keep it."""
    os.utime(root / rel, ns=(when, when))


def make_course(root: Path) -> Path:
    write(root, FILES)
    for rel in FILES:
        settle(root, rel)
    (root / "modules/01-m/03-latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("cp1252"))
    settle(root, "modules/01-m/03-latin1.md")
    return root


def read(root: Path, cache: dict | None) -> tuple[SourceTree, list[str]]:
    issues = Issues()
    tree = read_sources(root, issues, cache)
    return tree, [issue.format() for issue in issues.items]


def texts(tree: SourceTree) -> dict[str, str]:
    found = [tree.course, tree.glossary, tree.frameworks]
    for module in tree.modules:
        found += [module.module_yaml, *module.pages]
    return {source.path: source.text for source in found if source is not None}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read_sources reads."""
    paths: list[str] = []
    read_at_most = sources.read_at_most

    def counting_read(path: str, limit: int) -> bytes:
        paths.append(Path(path).name)
        return read_at_most(path, limit)

    monkeypatch.setattr(sources, "read_at_most", counting_read)
    return paths


def test_a_cached_read_is_a_fresh_read(tmp_path: Path, opened: list[str]) -> None:
    root = make_course(tmp_path)
    cache: dict = {}
    fresh = read(root, None)
    first = read(root, cache)
    opened.clear()
    again = read(root, cache)
    assert fresh == first == again
    assert again[1] == ["modules/01-m/03-latin1.md:1:1: error: file is not UTF-8 text "
                        "(invalid continuation byte at byte 14) (save it as UTF-8)",
                        "modules/01-m/notes.txt:1:1: warning: file is not a page and was left out "
                        "(pages end in .md, .quiz.yaml or .scenario.yaml)"]
    assert opened == []
    assert again[0].modules[0].pages[0] is first[0].modules[0].pages[0]


def test_an_edited_file_is_read_again(tmp_path: Path, opened: list[str]) -> None:
    root = make_course(tmp_path)
    cache: dict = {}
    read(root, cache)

    (root / "modules/01-m/01-a.md").write_text(LESSON.format(title="A longer title"), encoding="utf-8")
    settle(root, "modules/01-m/01-a.md", AN_HOUR_AGO + 1)
    opened.clear()
    tree, _ = read(root, cache)
    assert opened == ["01-a.md"]
    assert texts(tree)["modules/01-m/01-a.md"] == LESSON.format(title="A longer title")

    (root / "modules/01-m/01-a.md").write_text(LESSON.format(title="Z longer title"), encoding="utf-8")
    settle(root, "modules/01-m/01-a.md", AN_HOUR_AGO + 2)  # the same size, a new time
    opened.clear()
    tree, _ = read(root, cache)
    assert opened == ["01-a.md"]
    assert texts(tree)["modules/01-m/01-a.md"] == LESSON.format(title="Z longer title")
    assert tree == read(root, None)[0]


def test_a_file_fixed_to_utf8_loses_its_error(tmp_path: Path) -> None:
    root = make_course(tmp_path)
    cache: dict = {}
    read(root, cache)
    (root / "modules/01-m/03-latin1.md").write_text(LESSON.format(title="Caf\xe9"), encoding="utf-8")
    settle(root, "modules/01-m/03-latin1.md", AN_HOUR_AGO + 1)
    tree, problems = read(root, cache)
    assert (tree, problems) == read(root, None)
    assert not any("UTF-8" in problem for problem in problems)


def test_a_deleted_file_leaves_the_tree_and_the_cache(tmp_path: Path) -> None:
    root = make_course(tmp_path)
    cache: dict = {}
    read(root, cache)
    deleted = root / "modules/01-m/02-b.md"
    assert str(deleted) in cache
    deleted.unlink()
    tree, _ = read(root, cache)
    assert "modules/01-m/02-b.md" not in texts(tree)
    assert str(deleted) not in cache
    assert tree == read(root, None)[0]


def test_a_file_changed_just_now_is_not_trusted_to_its_modification_time(tmp_path: Path,
                                                                          opened: list[str]) -> None:
    """An edit within the same tick of the file system's clock keeps the time: such files are read again."""
    root = make_course(tmp_path)
    cache: dict = {}
    path = root / "modules/01-m/01-a.md"
    now = time.time_ns()
    settle(root, "modules/01-m/01-a.md", now)
    read(root, cache)
    path.write_text(LESSON.format(title="Z"), encoding="utf-8")
    settle(root, "modules/01-m/01-a.md", now)  # same size, same time, as two quick saves can be
    opened.clear()
    tree, _ = read(root, cache)
    assert opened == ["01-a.md"]
    assert texts(tree)["modules/01-m/01-a.md"] == LESSON.format(title="Z")


def settle_modules(root: Path) -> None:
    """Give the module folders a time long ago, as a course not reorganised lately has."""
    for folder in (root / "modules").iterdir():
        os.utime(folder, ns=(AN_HOUR_AGO, AN_HOUR_AGO))


def test_a_module_folder_nothing_changed_in_is_not_listed_again(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_course(tmp_path)
    settle_modules(root)
    fresh = read(root, None)
    cache: dict = {}
    assert read(root, cache) == fresh
    listed: list[str] = []
    listing = sources._entries
    monkeypatch.setattr(sources, "_entries", lambda folder: listed.append(Path(folder).name) or listing(folder))
    again = read(root, cache)
    assert again == fresh
    assert listed == ["modules", "01-m"]  # 01-m has problems, reported again; 02-n is as it was
    assert again[0].modules[1].pages[0] is read(root, cache)[0].modules[1].pages[0]


def test_a_page_added_edited_or_removed_in_a_kept_module_is_seen(tmp_path: Path) -> None:
    root = make_course(tmp_path)
    settle_modules(root)
    cache: dict = {}
    read(root, cache)
    added = root / "modules/02-n/02-d.md"
    added.write_text(LESSON.format(title="D"), encoding="utf-8")  # the folder's time changes
    settle(root, "modules/02-n/02-d.md")
    assert "modules/02-n/02-d.md" in texts(read(root, cache)[0])

    settle_modules(root)
    read(root, cache)
    (root / "modules/02-n/01-c.quiz.yaml").write_text("title: Q again\nquestions: []\n", encoding="utf-8")
    settle(root, "modules/02-n/01-c.quiz.yaml", AN_HOUR_AGO + 1)  # the folder keeps its time
    tree, _ = read(root, cache)
    assert texts(tree)["modules/02-n/01-c.quiz.yaml"] == "title: Q again\nquestions: []\n"
    assert tree == read(root, None)[0]

    settle_modules(root)
    read(root, cache)
    added.unlink()
    tree, _ = read(root, cache)
    assert "modules/02-n/02-d.md" not in texts(tree)
    assert tree == read(root, None)[0]
