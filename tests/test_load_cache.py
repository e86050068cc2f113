"""Pages loaded from their files are kept between `course build`s (`builder/loadcache.py`): an unchanged
page file is not parsed again, every edit still reaches the output exactly as a build from nothing
makes it, and a record this user's build did not write, or that is cut short, is ignored."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import builder.diskcache
from builder import uptodate
from builder.diskcache import DiskCache, cache_folder, texts_after, with_texts
from builder.errors import Issues
from builder.loadcache import RECORD
from builder.loader import load_course
from builder.sources import read_sources
from test_build_remembers import MODULE_1, assert_same_as_fresh_build, course_build, edit

ROOT = Path(__file__).resolve().parent.parent
COURSES = [ROOT / "course_src", *sorted((ROOT / "tests/fixtures/courses").iterdir())]


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own user cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    course = tmp_path / "course_src"
    shutil.copytree(ROOT / "course_src", course)
    return course


def loaded_twice(course: Path, out: Path) -> tuple[list, list, int]:
    """Every page of the course (and of its translations' files) parsed, then as the record gives it back."""
    tree = read_sources(course, Issues())
    first = DiskCache.open(out)
    assert first is not None and first.loads is not None
    parsed = load_course(tree, Issues(), None, first.loads)
    first.commit()
    second = DiskCache.open(out)
    assert second is not None and second.loads is not None
    kept = load_course(tree, Issues(), None, second.loads)
    assert parsed is not None and kept is not None
    return list(parsed.pages), list(kept.pages), second.loads.hits


@pytest.mark.parametrize("course", COURSES, ids=[c.name for c in COURSES])
def test_a_kept_page_is_the_page_its_file_gives(course: Path, tmp_path: Path) -> None:
    parsed, kept, hits = loaded_twice(course, tmp_path / "dist")
    assert hits == len(parsed) > 0
    for before, after in zip(parsed, kept, strict=True):
        assert after == before and repr(after) == repr(before)
        assert after.text_refs == before.text_refs
        assert type(after) is type(before)
    quizzes = [p for p in kept if hasattr(p, "questions")]
    for quiz, again in zip([p for p in parsed if hasattr(p, "questions")], quizzes):
        for question, kept_question in zip(quiz.questions, again.questions, strict=True):
            assert kept_question.text_refs == question.text_refs and kept_question.source == question.source


PAGE_EDITS = {  # file, text, its replacement, the page script that shows it, what it shows
    "lesson front matter": (f"{MODULE_1}/01-what-is-trafficking.md", "title: What is trafficking in persons?",
                            "title: WHAT TRAFFICKING IS", "what-is-trafficking", "WHAT TRAFFICKING IS"),
    "lesson body": (f"{MODULE_1}/01-what-is-trafficking.md", "\n## ", "\nA SENTENCE ADDED.\n\n## ",
                    "what-is-trafficking", "A SENTENCE ADDED."),
    "quiz": (f"{MODULE_1}/05-check.quiz.yaml", "feedback: Right. For a person under 18",
             "feedback: QUITE RIGHT. For a person under 18", "check", "QUITE RIGHT."),
    "scenario": (f"{MODULE_1}/04-is-it-trafficking.scenario.yaml", 'role: "Kitchen worker, 17"',
                 'role: "KITCHEN HAND, 17"', "is-it-trafficking", "KITCHEN HAND, 17"),
    "translated lesson": (f"translations/es/{MODULE_1}/01-what-is-trafficking.md", "\n## ",
                          "\nUNA FRASE NUEVA.\n\n## ", "es/what-is-trafficking", "UNA FRASE NUEVA."),
}


@pytest.mark.parametrize("kind", list(PAGE_EDITS))
def test_each_kind_of_page_edit_reaches_the_output(sample: Path, tmp_path: Path, kind: str) -> None:
    path, old, new, page, shown = PAGE_EDITS[kind]
    out = tmp_path / "dist"
    course_build(sample, out)
    assert (cache_folder(out) / RECORD).is_file()
    language, _, slug = page.rpartition("/")
    script = out / "web" / language / "pages" / "understanding-trafficking" / f"{slug}.js"
    assert shown not in script.read_text(encoding="utf-8")
    edit(sample / path, old, new)
    course_build(sample, out)
    assert shown in script.read_text(encoding="utf-8")
    assert_same_as_fresh_build(sample, out, tmp_path)


def planted_title(out: Path, title: str) -> None:
    """Rewrite the record as this user's build would sign it, with every lesson titled `title`."""
    record = cache_folder(out) / RECORD
    disk = DiskCache.open(out)
    assert disk is not None
    payload = disk._read(record)
    assert payload is not None
    data, texts = texts_after(payload)  # [key, body length, length of the page's JSON] each, then those JSONs
    pages = []
    for kept in data["pages"]:
        page = json.loads(texts[:kept[2]])
        texts = texts[kept[2]:]
        if page["!"] == "Lesson":
            page["title"] = title
        pages.append(json.dumps(page))
        kept[2] = len(pages[-1])
    disk._write(record, with_texts(data, pages))


def test_the_record_is_used_and_a_clean_build_ignores_it(sample: Path, tmp_path: Path) -> None:
    """A record signed with this user's key is believed (which shows the build reads it: once the rendered
    pages are gone, since they are named by their files' digests); `--clean` reads nothing from it."""
    out = tmp_path / "dist"
    course_build(sample, out)
    planted_title(out, "TITLE FROM THE RECORD")
    course_build(sample, out, "--clean")
    script = out / "web" / "pages" / "understanding-trafficking" / "what-is-trafficking.js"
    assert "TITLE FROM THE RECORD" not in script.read_text(encoding="utf-8")
    planted_title(out, "TITLE FROM THE RECORD")
    for kept in cache_folder(out).glob("pages-*.json"):  # rendered pages are named by their files' digests
        kept.unlink()
    (cache_folder(out) / uptodate.RECORD).unlink()  # else the unchanged course is up to date: nothing is read
    course_build(sample, out)
    assert "TITLE FROM THE RECORD" in (out / "web" / "index.html").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (out / "web" / "pages").rglob("*.js"))


@pytest.mark.parametrize("damage", ["altered", "truncated", "foreign key", "not json"])
def test_a_record_this_user_did_not_write_is_ignored(sample: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "dist"
    course_build(sample, out)
    record = cache_folder(out) / RECORD
    data = record.read_bytes()
    if damage == "altered":
        record.write_bytes(data.replace(b"What is trafficking in persons?", b"PLANTED TITLE, UNSIGNED"))
    elif damage == "truncated":
        record.write_bytes(data[: len(data) // 2])
    elif damage == "foreign key":  # as another user's key would sign it
        planted_title(out, "PLANTED TITLE, UNSIGNED")
        planted = record.read_bytes()
        payload = planted[planted.index(b"\n", len(builder.diskcache.MAGIC)) + 1:]
        DiskCache(cache_folder(out), b"k" * 32, "")._write(record, payload)
    else:
        record.write_bytes(builder.diskcache.MAGIC + b"0" * 64 + b"\n{not json")
    for kept in cache_folder(out).glob("pages-*.json"):  # every page rendered from what loading gives
        kept.unlink()
    course_build(sample, out)
    assert "PLANTED TITLE" not in "".join(p.read_text(encoding="utf-8") for p in (out / "web").rglob("*.js"))
    assert_same_as_fresh_build(sample, out, tmp_path)


def test_a_failed_build_keeps_the_last_record(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    course_build(sample, out)
    record = cache_folder(out) / RECORD
    before = record.read_bytes()
    edit(sample / MODULE_1 / "02-act-means-purpose.md", "[[", "[[no such term")
    course_build(sample, out, code=1)
    assert record.read_bytes() == before
