"""A remembered `course build` after each kind of edit writes what a clean build writes, and no more.

The render cache and the output folder are both reused by a second build: each test edits one kind of
source (a lesson, the glossary, the frameworks, course.yaml, a translation, the theme, the builder
itself), builds again into the same folder, and compares every file with a build into a fresh folder (for the
sample course unchanged, its first build: `first_build.FirstBuild`, made once per module and copied
into each test that starts from it).
It also checks what the trainer's folder shows: files whose bytes did not change keep their times,
and a build that fails leaves the folder exactly as it was.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import builder.cachefolder
import builder.diskcache
import webcourse
from builder.diskcache import cache_folder, texts_after, with_texts
from first_build import (  # noqa: F401  (fixtures)
    FirstBuild, assert_same_as_fresh_build, assert_same_web, built, course_build, first_build, own_key,
)
from test_build import PLAIN, TINY, tree_bytes

ROOT = Path(__file__).resolve().parent.parent


def times(web: Path) -> dict[str, int]:
    return {p.relative_to(web).as_posix(): p.stat().st_mtime_ns for p in web.rglob("*") if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer says {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_script(web: Path, name: str) -> str:
    """The script of the page whose source file is named `name` (its slug, from the numbered file name)."""
    slug = name.split("-", 1)[1].split(".")[0]
    found = [p for p in (web / "pages").rglob(f"{slug}.js")]
    assert len(found) == 1, found
    return found[0].read_text(encoding="utf-8")


def tiny(tmp_path: Path) -> Path:
    course = tmp_path / "courses" / "tiny"
    shutil.copytree(TINY, course)
    shutil.copytree(PLAIN, tmp_path / "themes" / "plain")
    return course


MODULE_1 = "modules/01-understanding-trafficking"
EDITS = {
    # a glossary term renamed (its old name kept as an alias): every page that refers to it links anew
    "glossary": (lambda c: edit(c / "glossary.yaml", "- term: Act\n  aliases: [act element]",
                                "- term: Action\n  aliases: [act element, Act]"),
                 lambda web: "#g-action" in page_script(web, "01-what-is-trafficking.md")
                 and 'id="g-action"' in webcourse.page_script(web / "pages" / "glossary.js")["html"]
                 and 'id="g-action"' in (web / "glossary.html").read_text(encoding="utf-8")),
    # an instrument's short name: every reference to it is labelled with it
    "frameworks": (lambda c: edit(c / "frameworks.yaml", "short: UNTOC", "short: UN-TOC"),
                   lambda web: "UN-TOC" in page_script(web, "01-the-four-ps-and-partners.md")
                   and "UN-TOC" in webcourse.page_script(web / "pages" / "frameworks.js")["html"]
                   and "UN-TOC" in (web / "frameworks.html").read_text(encoding="utf-8")),
    "course.yaml": (lambda c: edit(c / "course.yaml", "A Course for Consular", "A Course for Every Consular"),
                    lambda web: "A Course for Every Consular" in (web / "index.html").read_text(encoding="utf-8")),
    "translation": (lambda c: edit(c / f"translations/es/{MODULE_1}/01-what-is-trafficking.md", "\n## ",
                                   "\nUNA FRASE AÑADIDA.\n\n## "),
                    lambda web: "UNA FRASE AÑADIDA." in page_script(web / "es", "01-what-is-trafficking.md")),
    "lesson": (lambda c: edit(c / f"{MODULE_1}/01-what-is-trafficking.md", "\n## ", "\nAN ADDED SENTENCE.\n\n## "),
               lambda web: "AN ADDED SENTENCE." in page_script(web, "01-what-is-trafficking.md")),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_of_each_kind_of_source_reaches_the_pages_it_touches(built: tuple[Path, Path], tmp_path: Path,
                                                                      kind: str) -> None:
    sample, out = built
    change, seen = EDITS[kind]
    assert not seen(out / "web")
    change(sample)
    course_build(sample, out)
    assert seen(out / "web")
    assert_same_as_fresh_build(sample, out, tmp_path)


def test_an_edited_lesson_is_laid_out_alone_and_its_module_s_other_pages_come_from_the_cache(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    """A module's pages are kept in one file named by all their keys; after one page's edit the module has
    no such file yet, and its other pages are taken from the file it had (a sentence signed into a
    kept page as this user's build would shows it): the build lays out the edited page only."""
    sample, out = built
    disk = builder.diskcache.DiskCache.open(out)
    assert disk is not None
    names = json.loads(disk._read(cache_folder(out) / builder.diskcache.MODULES) or b"{}")
    module = names['/understanding-trafficking']  # the source language's
    entries, _ = texts_after(disk._read(cache_folder(out) / f"pages-{module}.json") or b"")
    [page] = [e["digest"] for e in entries if e["view"]["id"] == "understanding-trafficking/act-means-purpose"]
    kept = cache_folder(out) / f"sections-{module}.json"  # the module's laid-out HTML: [digest, length, …] and texts
    pages, texts = texts_after(disk._read(kept) or b"")
    sections = []
    for entry in pages:
        section, texts = texts[:entry[1]], texts[entry[1]:]
        if entry[0] == page:
            section = section.replace("<h2", "<p>A SENTENCE FROM THE CACHE.</p><h2", 1)
            assert "A SENTENCE FROM THE CACHE." in section
            entry[1] = len(section)
        sections.append(section)
    disk._write(kept, with_texts(pages, sections))
    EDITS["lesson"][0](sample)
    course_build(sample, out)
    assert EDITS["lesson"][1](out / "web")
    assert "A SENTENCE FROM THE CACHE." in page_script(out / "web", "02-act-means-purpose.md")
    assert "A SENTENCE FROM THE CACHE." not in page_script(out / "web", "01-what-is-trafficking.md")


def test_a_theme_template_edit_reaches_the_pages(tmp_path: Path) -> None:
    course = tiny(tmp_path)
    out = tmp_path / "dist"
    course_build(course, out)
    template = tmp_path / "themes" / "plain" / "templates" / "question.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- QUESTION LAID OUT ANEW -->\n",
                        encoding="utf-8")
    course_build(course, out)
    assert "QUESTION LAID OUT ANEW" in "".join(p.read_text(encoding="utf-8", errors="replace")
                                               for p in (out / "web").rglob("*.html"))
    assert_same_as_fresh_build(course, out, tmp_path)


def test_a_new_builder_renders_every_page_again(first_build: FirstBuild, built: tuple[Path, Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    sample, out = built
    kept = sorted(cache_folder(out).glob("pages-*.json"))
    assert kept
    monkeypatch.setattr(builder.cachefolder, "__version__", "999.0.0")
    course_build(sample, out)
    assert set(sorted(cache_folder(out).glob("pages-*.json"))).isdisjoint(kept)  # none of them was used
    assert_same_web(out, first_build.clean_web())


def test_unchanged_files_are_not_written_again(built: tuple[Path, Path], tmp_path: Path) -> None:
    sample, out = built
    web = out / "web"
    before = times(web)
    course_build(sample, out)
    assert times(web) == before  # nothing changed: nothing written, not even the list of files
    EDITS["lesson"][0](sample)
    course_build(sample, out)
    after = times(web)
    rewritten = sorted(name for name in after if after[name] != before.get(name))
    assert any(name.endswith("/what-is-trafficking.js") for name in rewritten)
    assert "assets/search-index.js" in rewritten and "es/assets/search-index.js" not in rewritten
    assert "assets/course.js" not in rewritten and "assets/course.css" not in rewritten
    assert not any(name.startswith(("media/", "es/pages/", "ar/")) for name in rewritten), rewritten
    # The glossary and the frameworks are made again every build, and written only when they changed.
    assert not {"pages/glossary.js", "pages/frameworks.js", "glossary.html", "frameworks.html"} & set(rewritten)
    assert len(rewritten) < len(after) // 10
    assert_same_as_fresh_build(sample, out, tmp_path)


def test_a_file_no_longer_made_is_removed(tmp_path: Path) -> None:
    course = tiny(tmp_path)
    out = tmp_path / "dist"
    course_build(course, out)
    assert (out / "web" / "media" / "diagram.svg").is_file()
    (course / "modules/01-basics/02-more.md").unlink()  # a page gone, and the only image of the diagram
    edit(course / "modules/01-basics/01-intro.md", "Read [more details](02-more.md#details).", "")
    edit(course / "modules/01-basics/01-intro.md", "![A small diagram](../../media/diagram.svg)", "")
    course_build(course, out)
    assert not (out / "web" / "media" / "diagram.svg").exists()
    assert_same_as_fresh_build(course, out, tmp_path)


def test_a_failed_build_leaves_the_output_as_it_was(built: tuple[Path, Path]) -> None:
    sample, out = built
    web = out / "web"
    before, stamps = tree_bytes(web), times(web)
    EDITS["lesson"][0](sample)
    edit(sample / MODULE_1 / "02-act-means-purpose.md", "[[", "[[no such term")  # an error in another page
    output = course_build(sample, out, code=1)
    assert "unknown glossary term" in output
    assert tree_bytes(web) == before and times(web) == stamps
    assert sorted(p.name for p in out.iterdir()) == ["web"]


def test_an_output_file_changed_by_hand_is_made_again(first_build: FirstBuild, built: tuple[Path, Path]) -> None:
    """Page scripts the last build wrote are not made again while they are as it wrote them; once
    someone changes one in the output folder, the next build writes it afresh."""
    sample, out = built
    course_build(sample, out)
    script = next((out / "web" / "pages").rglob("what-is-trafficking.js"))
    script.write_text(script.read_text(encoding="utf-8").replace("<p>", "<p>CHANGED BY HAND "), encoding="utf-8")
    module_page = next((out / "web").glob("module-*.html"))
    module_page.write_bytes(b"")
    course_build(sample, out)
    assert "CHANGED BY HAND" not in script.read_text(encoding="utf-8")
    assert_same_web(out, first_build.clean_web())


def test_a_record_of_the_output_this_user_did_not_write_is_ignored(first_build: FirstBuild,
                                                                   built: tuple[Path, Path]) -> None:
    sample, out = built
    record = cache_folder(out) / builder.diskcache.OUTPUTS
    assert record.is_file()
    script = next((out / "web" / "pages").rglob("what-is-trafficking.js"))
    script.write_text("alert(1)", encoding="utf-8")
    data = record.read_bytes()  # made to vouch for the planted file: its size and time, the hash kept
    stat = script.stat()
    rel = script.relative_to(out / "web").as_posix()
    start = data.index(rel.encode())
    end = data.index(b"]", start)
    digest_end = data.index(b",", data.index(b"[", start))
    record.write_bytes(data[:digest_end] + f",{stat.st_size},{stat.st_mtime_ns}".encode() + data[end:])
    course_build(sample, out)
    assert "alert(1)" not in script.read_text(encoding="utf-8")
    assert_same_web(out, first_build.clean_web())
