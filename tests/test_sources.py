"""Tests for builder/sources.py and builder/yamlio.py: reading a course folder, YAML positions, front matter."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from builder.errors import Issues, SourceRef
from builder.loader import load_course
from builder.sources import page_kind, read_at_most, read_sources, resolve_inside, slugify, split_name
from builder.yamlio import LList, LMap, load_yaml, split_front_matter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "courses" / "tiny"


def formatted(issues: Issues) -> list[str]:
    return [i.format() for i in issues.sorted()]


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


LESSON = "---\ntitle: {title}\n---\n\nText.\n"


# --- slugify, split_name, page_kind ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "slug"), [
    ("what-is", "what-is"),
    ("What is trafficking?", "what-is-trafficking"),
    ("Café Crème", "cafe-creme"),
    ("Über_große Maße", "uber-große-maße"),
    ("under_score and  spaces", "under-score-and-spaces"),
    ("--a--b--", "a-b"),
    ("Article 3(a)", "article-3-a"),
    ("Привет мир", "привет-мир"),
    ("", "item"),
    ("!!!", "item"),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(("name", "split"), [
    ("01-what-is.md", (1, "what-is.md")),
    ("10_intro.md", (10, "intro.md")),
    ("3.check.quiz.yaml", (3, "check.quiz.yaml")),
    ("007-bond.md", (7, "bond.md")),
    ("01-understanding", (1, "understanding")),
    ("intro.md", (None, "intro.md")),
    ("2024report.md", (None, "2024report.md")),
    ("-01-x.md", (None, "-01-x.md")),
])
def test_split_name(name: str, split: tuple[int | None, str]) -> None:
    assert split_name(name) == split


@pytest.mark.parametrize(("name", "kind"), [
    ("what-is.md", ("lesson", "what-is")),
    ("check.quiz.yaml", ("quiz", "check")),
    ("at-the-window.scenario.yaml", ("scenario", "at-the-window")),
    ("module.yaml", None),
    ("notes.txt", None),
    ("check.yaml", None),
    (".md", None),
    (".quiz.yaml", None),
    ("notes.md.bak", None),
])
def test_page_kind(name: str, kind: tuple[str, str] | None) -> None:
    assert page_kind(name) == kind


# --- read_sources ----------------------------------------------------------------------------------

def test_read_sources_of_the_tiny_course() -> None:
    issues = Issues()
    tree = read_sources(TINY, issues)
    assert not issues
    assert tree.root == TINY.resolve()
    assert (tree.course.path, tree.course.kind) == ("course.yaml", "course")
    assert (tree.glossary.path, tree.glossary.kind) == ("glossary.yaml", "glossary")
    assert (tree.frameworks.path, tree.frameworks.kind) == ("frameworks.yaml", "frameworks")
    assert [(m.folder, m.slug, m.order, m.path) for m in tree.modules] == [
        ("01-basics", "basics", 1, "modules/01-basics"), ("02-practice", "practice", 2, "modules/02-practice")]
    basics = tree.modules[0]
    assert basics.module_yaml.path == "modules/01-basics/module.yaml"
    assert [(p.path, p.kind, p.slug, p.order) for p in basics.pages] == [
        ("modules/01-basics/01-intro.md", "lesson", "intro", 1),
        ("modules/01-basics/02-more.md", "lesson", "more", 2),
        ("modules/01-basics/03-check.quiz.yaml", "quiz", "check", 3),
    ]
    assert [(p.kind, p.slug) for p in tree.modules[1].pages] == [("scenario", "window"), ("quiz", "final")]
    assert basics.pages[0].text == (TINY / "modules/01-basics/01-intro.md").read_text(encoding="utf-8")
    assert basics.pages[0].ref == SourceRef("modules/01-basics/01-intro.md", 1, 1)


def test_pages_are_ordered_by_number_not_by_text(tmp_path: Path) -> None:
    write(tmp_path, {
        "course.yaml": "id: c\ntitle: C\n",
        "modules/10-last/module.yaml": "title: Last\n",
        "modules/2-second/module.yaml": "title: Second\n",
        "modules/1-first/module.yaml": "title: First\n",
        "modules/1-first/10-ten.md": LESSON.format(title="Ten"),
        "modules/1-first/9-nine.md": LESSON.format(title="Nine"),
        "modules/1-first/b-unnumbered.md": LESSON.format(title="B"),
        "modules/1-first/a-unnumbered.md": LESSON.format(title="A"),
        "modules/1-first/02-two.quiz.yaml": "title: Two\nquestions: []\n",
    })
    issues = Issues()
    tree = read_sources(tmp_path, issues)
    assert not issues
    assert [m.slug for m in tree.modules] == ["first", "second", "last"]
    assert [p.slug for p in tree.modules[0].pages] == ["two", "nine", "ten", "a-unnumbered", "b-unnumbered"]


def test_the_same_number_is_ordered_by_the_rest_of_the_name(tmp_path: Path) -> None:
    """A page or module slotted in with an existing number follows in alphabetical order of its name."""
    write(tmp_path, {
        "course.yaml": "id: c\ntitle: C\n",
        "modules/07-final/module.yaml": "title: Final\n",
        "modules/06-protection/module.yaml": "title: Protection\n",
        "modules/06-partners/module.yaml": "title: Partners\n",
        "modules/06-partners/04-call.scenario.yaml": "title: Call\nstart: a\nnodes: {}\n",
        "modules/06-partners/03-regions.md": LESSON.format(title="Regions"),
        "modules/06-partners/03-regional.md": LESSON.format(title="Regional"),
    })
    issues = Issues()
    tree = read_sources(tmp_path, issues)
    assert not issues
    assert [m.slug for m in tree.modules] == ["partners", "protection", "final"]
    assert [p.slug for p in tree.modules[0].pages] == ["regional", "regions", "call"]


def test_module_yaml_pages_give_the_order(tmp_path: Path) -> None:
    write(tmp_path, {
        "course.yaml": "id: c\ntitle: C\n",
        "modules/01-m/module.yaml": "title: M\npages: [03-c.md, 01-a.md]\n",
        "modules/01-m/01-a.md": LESSON.format(title="A"),
        "modules/01-m/02-b.md": LESSON.format(title="B"),
        "modules/01-m/03-c.md": LESSON.format(title="C"),
    })
    issues = Issues()
    course = load_course(read_sources(tmp_path, issues), issues)
    assert [p.id for p in course.pages] == ["m/c", "m/a"]
    assert formatted(issues) == [
        "modules/01-m/02-b.md:1:1: warning: '02-b.md' is not listed in module.yaml's pages and was left out "
        "(add it to pages: or remove the file)"]


def test_other_files_in_a_module_are_left_out_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {
        "course.yaml": "id: c\ntitle: C\n",
        "modules/01-m/module.yaml": "title: M\n",
        "modules/01-m/01-a.md": LESSON.format(title="A"),
        "modules/01-m/notes.txt": "my notes",
        "modules/01-m/.hidden.md": "ignored",
        "modules/01-m/drafts/01-draft.md": LESSON.format(title="Draft"),
        "modules/.trash/module.yaml": "title: Trash\n",
    })
    issues = Issues()
    tree = read_sources(tmp_path, issues)
    assert [m.slug for m in tree.modules] == ["m"]
    assert [p.path for p in tree.modules[0].pages] == ["modules/01-m/01-a.md"]
    assert formatted(issues) == [
        "modules/01-m/notes.txt:1:1: warning: file is not a page and was left out "
        "(pages end in .md, .quiz.yaml or .scenario.yaml)"]


def test_missing_course_yaml_and_modules_folder(tmp_path: Path) -> None:
    issues = Issues()
    read_sources(tmp_path, issues)
    assert formatted(issues) == [
        "course.yaml:1:1: error: course.yaml not found in the course folder "
        "(every course needs a course.yaml with at least id and title)"]
    write(tmp_path, {"course.yaml": "id: c\ntitle: C\n"})
    issues = Issues()
    read_sources(tmp_path, issues)
    assert formatted(issues) == [
        "course.yaml:1:1: error: the course has no modules/ folder "
        "(put each module in its own folder under modules/)"]


def test_missing_course_folder(tmp_path: Path) -> None:
    issues = Issues()
    tree = read_sources(tmp_path / "nowhere", issues)
    assert tree.modules == [] and tree.course is None
    assert [(i.where.path, i.message) for i in issues.items] == [
        (str((tmp_path / "nowhere").resolve()), "course folder not found")]


def test_a_byte_order_mark_is_dropped_and_other_encodings_are_reported(tmp_path: Path) -> None:
    write(tmp_path, {"course.yaml": "\ufeffid: c\ntitle: C\n", "modules/01-m/module.yaml": "title: M\n"})
    (tmp_path / "modules/01-m/01-a.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("cp1252"))
    issues = Issues()
    tree = read_sources(tmp_path, issues)
    assert tree.course.text == "id: c\ntitle: C\n"
    assert tree.modules[0].pages == []
    assert formatted(issues) == [
        "modules/01-m/01-a.md:1:1: error: file is not UTF-8 text (invalid continuation byte at byte 14) "
        "(save it as UTF-8)"]


# --- resolve_inside --------------------------------------------------------------------------------

@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    write(root, {"media/diagram.svg": "<svg/>", "modules/01-m/01-a.md": "x", "modules/01-m/local.png": "png"})
    (root / "media" / "folder").mkdir()
    write(tmp_path, {"secret.txt": "outside", "course-evil/x.svg": "<svg/>"})
    return root.resolve()


@pytest.mark.parametrize(("raw", "found"), [
    ("../../media/diagram.svg", "media/diagram.svg"),      # relative to the file
    ("media/diagram.svg", "media/diagram.svg"),            # relative to the course folder
    ("local.png", "modules/01-m/local.png"),
    ("./local.png", "modules/01-m/local.png"),
    ("../../media/diagram.svg#part", "media/diagram.svg"),
    ("../../media/diagram.svg?v=2", "media/diagram.svg"),
    ("../01-m/../../media/diagram.svg", "media/diagram.svg"),
])
def test_resolve_inside_finds_files(course_root: Path, raw: str, found: str) -> None:
    assert resolve_inside(course_root, "modules/01-m", raw) == (course_root / found, "")


@pytest.mark.parametrize(("raw", "reason"), [
    ("../../../secret.txt", "the path leads outside the course folder"),
    ("../../../etc/passwd", "the path leads outside the course folder"),
    ("../../../course-evil/x.svg", "the path leads outside the course folder"),
    ("../../media/missing.svg", "no such file"),
    ("../../media/folder", "no such file"),
    ("/etc/passwd", "use a path relative to the file or to the course folder, not an absolute path or URL"),
    ("https://example.org/a.png", "use a path relative to the file or to the course folder, not an absolute "
                                  "path or URL"),
    ("file:///etc/passwd", "use a path relative to the file or to the course folder, not an absolute path or URL"),
    ("C:\\Windows\\win.ini", "use a path relative to the file or to the course folder, not an absolute path or "
                             "URL"),
    ("\\\\server\\share\\a.png", "use a path relative to the file or to the course folder, not an absolute path "
                                 "or URL"),
    ("", "use a path relative to the file or to the course folder, not an absolute path or URL"),
])
def test_resolve_inside_refuses(course_root: Path, raw: str, reason: str) -> None:
    assert resolve_inside(course_root, "modules/01-m", raw) == (None, reason)


def test_resolve_inside_never_escapes(course_root: Path) -> None:
    """Whatever the path, the answer is None or a file inside the course folder."""
    depth = len(course_root.parts)
    attempts = ["../" * n + "secret.txt" for n in range(1, depth + 3)]
    attempts += ["../" * n + "etc/passwd" for n in range(1, depth + 3)]
    attempts += ["media/../../secret.txt", "media/./../../../secret.txt", "modules/../../secret.txt"]
    for raw in attempts:
        for base in ("", "modules/01-m", "media"):
            found, reason = resolve_inside(course_root, base, raw)
            assert found is None or found.is_relative_to(course_root), (base, raw, found)
            assert found is None, (base, raw, found)
            assert reason, (base, raw)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_a_symlink_out_of_the_course_is_refused(course_root: Path) -> None:
    outside = course_root.parent / "secret.txt"
    (course_root / "media" / "link.svg").symlink_to(outside)
    (course_root / "media" / "elsewhere").symlink_to(course_root.parent / "course-evil", target_is_directory=True)
    assert resolve_inside(course_root, "modules/01-m", "../../media/link.svg") == (
        None, "the path leads outside the course folder")
    assert resolve_inside(course_root, "", "media/elsewhere/x.svg") == (
        None, "the path leads outside the course folder")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_a_symlink_inside_the_course_is_followed(course_root: Path) -> None:
    (course_root / "media" / "alias.svg").symlink_to(course_root / "media" / "diagram.svg")
    assert resolve_inside(course_root, "", "media/alias.svg") == (course_root / "media" / "diagram.svg", "")


# --- YAML with positions ---------------------------------------------------------------------------

NESTED = """\
# a comment
title: Check
questions:
  - id: first
    options:
      - text: Yes
        correct: true
      - {text: No}
  - id: second
tags: [a, b]
"""


def test_yaml_positions_of_keys_values_and_items() -> None:
    issues = Issues()
    data = load_yaml(NESTED, "q.yaml", issues)
    assert not issues
    assert isinstance(data, LMap)
    assert data.ref == SourceRef("q.yaml", 2, 1)
    assert data.key_ref("title") == SourceRef("q.yaml", 2, 1)
    assert data.value_ref("title") == SourceRef("q.yaml", 2, 8)
    questions = data["questions"]
    assert isinstance(questions, LList)
    assert data.value_ref("questions") == questions.ref == SourceRef("q.yaml", 4, 3)
    assert questions.item_refs == [SourceRef("q.yaml", 4, 5), SourceRef("q.yaml", 9, 5)]
    first = questions[0]
    assert first.ref == SourceRef("q.yaml", 4, 5)
    assert first.key_ref("options") == SourceRef("q.yaml", 5, 5)
    options = first["options"]
    assert options.item_ref(0) == SourceRef("q.yaml", 6, 9)
    assert options.item_ref(1) == SourceRef("q.yaml", 8, 9)
    assert options[0].value_ref("correct") == SourceRef("q.yaml", 7, 18)
    assert options[1].key_ref("text") == SourceRef("q.yaml", 8, 10)
    assert data["tags"].item_refs == [SourceRef("q.yaml", 10, 8), SourceRef("q.yaml", 10, 11)]


def test_yaml_position_fallbacks() -> None:
    data = load_yaml("a: 1\nb: [x]\n", "f.yaml", Issues())
    assert data.key_ref("missing") == data.ref
    assert data.value_ref("missing") == data.ref
    assert data["b"].item_ref(5) == data["b"].ref
    assert data["b"].item_ref(-1) == data["b"].ref


def test_yaml_line_offset_shifts_every_position() -> None:
    data = load_yaml("title: T\nduration: 5\n", "lesson.md", Issues(), line_offset=1)
    assert data.key_ref("title") == SourceRef("lesson.md", 2, 1)
    assert data.value_ref("duration") == SourceRef("lesson.md", 3, 11)
    issues = Issues()
    assert load_yaml("title: a: b\n", "lesson.md", issues, line_offset=1) is None
    assert [(i.where.line, i.where.col) for i in issues.items] == [(2, 9)]


@pytest.mark.parametrize(("text", "value"), [
    ("adopted: 2000-11-15\n", "2000-11-15"),
    ("adopted: 2000-11-15 10:00:00\n", "2000-11-15 10:00:00"),
    ("adopted: 2000\n", 2000),
    ('version: "1.0"\n', "1.0"),
    ("version: 1.0\n", 1.0),
    ("on: yes\n", True),
])
def test_yaml_dates_stay_text_and_other_scalars_are_typed(text: str, value: object) -> None:
    data = load_yaml(text, "f.yaml", Issues())
    assert list(data.values()) == [value]
    assert type(list(data.values())[0]) is type(value)


def test_yaml_keys_become_text() -> None:
    data = load_yaml("1: one\ntrue: yes\n", "f.yaml", Issues())
    assert list(data) == ["1", "True"]


def test_yaml_duplicate_key_is_an_error_at_the_second_key() -> None:
    issues = Issues()
    assert load_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml", issues) is None
    assert formatted(issues) == [
        "f.yaml:4:3: error: duplicate key 'c' (first at line 3) (each key may appear once in a mapping)"]


def test_yaml_syntax_error_is_reported_with_its_position() -> None:
    issues = Issues()
    assert load_yaml("title: Check\nprompt: Is it: yes?\n", "q.yaml", issues) is None
    assert formatted(issues) == [
        "q.yaml:2:14: error: YAML syntax error: mapping values are not allowed in this context "
        "(put text that contains ': ' in quotes)"]


def test_yaml_tab_indentation_gets_a_hint() -> None:
    issues = Issues()
    assert load_yaml("items:\n\t- a\n", "f.yaml", issues) is None
    assert [(i.where.line, i.where.col, i.hint) for i in issues.items] == [(2, 1, "indent with spaces, not tabs")]


def test_yaml_empty_document_is_none_without_problems() -> None:
    issues = Issues()
    assert load_yaml("", "f.yaml", issues) is None
    assert load_yaml("# only a comment\n", "f.yaml", issues) is None
    assert not issues


def test_yaml_text_positions_skip_quotes_and_block_indicators() -> None:
    text = "a: 'q'\nb: \"dq\"\nc: plain\nd: |\n\n  block\ne: >-\n    folded\nf: [x, 'y']\n"
    data = load_yaml(text, "f.yaml", Issues(), line_offset=2)
    assert data.text_refs == {
        "a": SourceRef("f.yaml", 3, 5), "b": SourceRef("f.yaml", 4, 5), "c": SourceRef("f.yaml", 5, 4),
        "d": SourceRef("f.yaml", 8, 3), "e": SourceRef("f.yaml", 10, 5)}
    assert data["f"].text_refs == [SourceRef("f.yaml", 11, 5), SourceRef("f.yaml", 11, 9)]


def test_yaml_plain_scalars_resolve_as_yaml_1_1_says() -> None:
    text = ("a: ~\nb: null\nc:\nd: 0x1F\ne: 0o17\nf: 1_000\ng: 1:20\nh: .inf\ni: -.5\nj: No\nk: off\n"
            "l: 012\nm: ''\nn: 1e3\n")
    assert dict(load_yaml(text, "f.yaml", Issues())) == {
        "a": None, "b": None, "c": None, "d": 31, "e": "0o17", "f": 1000, "g": 80, "h": float("inf"),
        "i": "-.5", "j": False, "k": False, "l": 10, "m": "", "n": "1e3"}


def test_yaml_explicit_tags_are_honoured_and_unknown_ones_reported() -> None:
    issues = Issues()
    assert dict(load_yaml("a: !!str 12\nb: !!int '7'\nc: !!binary aGk=\n", "f.yaml", issues)) == {
        "a": "12", "b": 7, "c": b"hi"}
    assert load_yaml("a: !foo bar\n", "f.yaml", issues) is None
    assert formatted(issues) == [
        "f.yaml:1:4: error: YAML syntax error: could not determine a constructor for the tag '!foo'"]


def test_yaml_aliases_share_the_anchored_value_and_cannot_contain_themselves() -> None:
    data = load_yaml("a: &x {k: 1}\nb: *x\n", "f.yaml", Issues())
    assert data["a"] is data["b"]
    assert (data.key_ref("b"), data.value_ref("b")) == (SourceRef("f.yaml", 2, 1), SourceRef("f.yaml", 1, 4))
    issues = Issues()
    assert load_yaml("a: &r {b: *r}\n", "f.yaml", issues) is None
    assert formatted(issues) == ["f.yaml:1:8: error: a YAML alias refers to the value that contains it "
                                 "(write the value out; course sources cannot be recursive)"]


# --- front matter ----------------------------------------------------------------------------------

def test_front_matter_split() -> None:
    text = "---\ntitle: T\nduration: 5\n---\n\n# T\n\nBody.\n"
    split = split_front_matter(text)
    assert split.yaml_text == "title: T\nduration: 5\n"
    assert split.yaml_line == 1
    assert split.body == "\n# T\n\nBody.\n"
    assert split.body_line == 4
    assert text.splitlines()[split.body_line:] == split.body.splitlines()


def test_front_matter_positions_are_file_positions() -> None:
    text = "---\ntitle: T\nduration: five\n---\nBody\n"
    split = split_front_matter(text)
    data = load_yaml(split.yaml_text, "a.md", Issues(), split.yaml_line)
    assert data.value_ref("duration") == SourceRef("a.md", 3, 11)
    assert text.splitlines()[2][10:] == "five"


@pytest.mark.parametrize(("text", "yaml_text", "body", "body_line"), [
    ("# No front matter\n", None, "# No front matter\n", 0),
    ("\ufeff---\ntitle: T\n---\nBody\n", "title: T\n", "Body\n", 3),
    ("---\r\ntitle: T\r\n---\r\nBody\r\n", "title: T\r\n", "Body\r\n", 3),
    ("---\ntitle: T\n...\nBody\n", "title: T\n", "Body\n", 3),
    ("---\ntitle: T\n", "title: T\n", "", 2),
    ("---\n---\nBody\n", "", "Body\n", 2),
    ("---", "", "", 1),
    ("----\ntitle: T\n---\n", None, "----\ntitle: T\n---\n", 0),
    ("\n---\ntitle: T\n---\n", None, "\n---\ntitle: T\n---\n", 0),
])
def test_front_matter_edge_cases(text: str, yaml_text: str | None, body: str, body_line: int) -> None:
    split = split_front_matter(text)
    assert (split.yaml_text, split.body, split.body_line) == (yaml_text, body, body_line)


def test_folders_looked_up_once_give_the_same_answers(course_root: Path) -> None:
    """A build shares one record of real folder paths across all its lookups."""
    folders: dict[str, str] = {}
    for raw in ("../../media/diagram.svg", "media/diagram.svg", "local.png", "../../../secret.txt",
                "../../media/missing.svg", "../../media/folder", "../01-m/../../media/diagram.svg", "..", "."):
        for base in ("", "modules/01-m", "media"):
            assert resolve_inside(course_root, base, raw, folders) == resolve_inside(course_root, base, raw)


def test_a_name_no_file_can_have_is_refused_with_a_reason(course_root: Path) -> None:
    assert resolve_inside(course_root, "modules/01-m", "bad\0name.png") == (
        None, "not a usable file name (too long, or with a character files cannot have)")


@pytest.mark.parametrize("size", [0, 1, 9, 10, 11, 70_000, 200_000])
def test_a_file_is_read_whole_up_to_the_limit_and_one_byte_past_it(tmp_path: Path, size: int) -> None:
    path = tmp_path / "page.md"
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    path.write_bytes(data)
    for limit in (10, 100_000):
        assert read_at_most(str(path), limit) == data[:limit + 1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system makes no named pipes")
def test_a_file_read_from_a_pipe_in_parts_is_read_on_to_its_end(tmp_path: Path) -> None:
    """A read may return less than asked (a pipe, a network file system): the rest is read too."""
    import threading

    fifo = tmp_path / "page.md"
    os.mkfifo(fifo)
    data = b"x" * 300_000

    def write() -> None:
        with open(fifo, "wb") as out:
            for at in range(0, len(data), 10_000):
                out.write(data[at:at + 10_000])
                out.flush()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_at_most(str(fifo), 1_000_000) == data
    finally:
        writer.join()
