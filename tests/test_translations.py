"""Translated courses as a trainer builds them: translated media, partial translations, `translate mark`.

Every test starts from `course new c` in a temporary folder with `translations: [ar]` added, and runs
the `course` commands through click's CliRunner.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import main
from webcourse import course_data, whole_html

IMAGE = "media/lesson-parts.svg"
ARABIC_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" role="img">'
              '<text x="160" y="41" text-anchor="middle">المقدمة (YAML)</text></svg>')


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "c"]).exit_code == 0
    with open("c/course.yaml", "a", encoding="utf-8") as f:
        f.write("translations: [ar]\n")
    (tmp_path / "c/translations/ar").mkdir(parents=True)
    return tmp_path / "c"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def warnings_about(output: str, text: str) -> list[str]:
    return [line for line in output.splitlines() if "warning" in line and text in line]


# --- translated media -------------------------------------------------------------------------

def test_a_translated_image_replaces_the_source_image_in_its_language_only(course: Path) -> None:
    override = course / "translations/ar" / IMAGE
    override.parent.mkdir(parents=True)
    override.write_text(ARABIC_SVG, encoding="utf-8")
    result = run("build", "c")
    assert result.exit_code == 0, result.output
    web = course.parent / "dist/web"
    assert (web / "ar" / IMAGE).read_text(encoding="utf-8") == ARABIC_SVG
    assert (web / IMAGE).read_bytes() == (course / IMAGE).read_bytes()
    assert f'src="{IMAGE}"' in whole_html(web / "ar")


def test_check_lists_images_with_words_that_have_no_translated_version(course: Path) -> None:
    result = run("check", "c")
    assert result.exit_code == 0, result.output
    found = warnings_about(result.output, IMAGE)
    assert len(found) == 1 and "not translated into 'ar'" in found[0], result.output
    assert f"add translations/ar/{IMAGE}" in found[0]
    override = course / "translations/ar" / IMAGE
    override.parent.mkdir(parents=True)
    override.write_text(ARABIC_SVG, encoding="utf-8")
    assert warnings_about(run("check", "c").output, IMAGE) == []


def test_a_translated_image_with_no_source_image_is_reported(course: Path) -> None:
    stray = course / "translations/ar/media/lesson-part.svg"  # a typo in the name
    stray.parent.mkdir(parents=True)
    stray.write_text(ARABIC_SVG, encoding="utf-8")
    found = warnings_about(run("check", "c").output, "translations/ar/media/lesson-part.svg")
    assert len(found) == 1 and "'ar' version of a media file the course does not have" in found[0]


def test_an_image_declared_language_neutral_or_without_words_is_not_reported(course: Path) -> None:
    with open(course / "course.yaml", "a", encoding="utf-8") as f:
        f.write("language_neutral_media: [media/]\n")
    assert warnings_about(run("check", "c").output, IMAGE) == []
    text = (course / "course.yaml").read_text(encoding="utf-8").replace("language_neutral_media: [media/]\n", "")
    (course / "course.yaml").write_text(text, encoding="utf-8")
    (course / IMAGE).write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>',
                                encoding="utf-8")
    assert warnings_about(run("check", "c").output, IMAGE) == []


# --- course translate mark --------------------------------------------------------------------

def stale_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "source changed after" in line or "no record" in line]


def translate_course_yaml(course: Path) -> None:
    text = (course / "course.yaml").read_text(encoding="utf-8")
    (course / "translations/ar/course.yaml").write_text(text.replace("title:", "title: دورتي #", 1), encoding="utf-8")


def test_mark_in_the_documented_form_from_beside_and_inside_the_course_folder(
        course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    translate_course_yaml(course)
    assert stale_lines(run("check", "c").output) != []
    result = run("translate", "mark", "c", "--lang", "ar", "course.yaml")
    assert result.exit_code == 0 and "marked 1 'ar' translated file" in result.output, result.output
    assert stale_lines(run("check", "c").output) == []
    assert not (course / "course.yaml/translations").exists()
    monkeypatch.chdir(course)  # inside the course folder, as `course check`'s hint gives it
    (course / "translations/ar/course.yaml").write_text("title: دورة\n", encoding="utf-8")
    (course / "course.yaml").write_text((course / "course.yaml").read_text("utf-8").replace("title:", "title: New", 1),
                                        encoding="utf-8")
    found = stale_lines(run("check").output)
    assert len(found) == 1 and "translate mark --lang ar course.yaml" in found[0]
    result = run("translate", "mark", "--lang", "ar", "course.yaml")
    assert result.exit_code == 0 and "marked 1" in result.output, result.output
    assert stale_lines(run("check").output) == []
    result = run("translate", "mark", "--lang", "ar", "translations/ar/course.yaml")  # the translation's own path
    assert result.exit_code == 0 and "marked 1" in result.output, result.output


def test_mark_refuses_a_file_that_is_not_a_source_or_not_translated(course: Path) -> None:
    result = run("translate", "mark", "c", "--lang", "ar", "modules/nothing.md")
    assert result.exit_code == 1
    assert "c/modules/nothing.md:1:1: error: not a source file of the course" in result.output
    result = run("translate", "mark", "c", "--lang", "ar", "glossary.yaml")
    assert result.exit_code == 1
    assert "not translated into 'ar': translations/ar/glossary.yaml does not exist" in result.output
    assert not (course / "translations/ar/translation.yaml").exists()


def test_listing_a_language_after_importing_it_does_not_make_its_course_yaml_stale(course: Path) -> None:
    text = (course / "course.yaml").read_text(encoding="utf-8")
    (course / "course.yaml").write_text(text.replace("translations: [ar]\n", ""), encoding="utf-8")
    translate_course_yaml(course)
    assert run("translate", "mark", "c", "--lang", "ar").exit_code == 0
    (course / "course.yaml").write_text(text, encoding="utf-8")  # `translations: [ar]` added, as the docs say
    assert stale_lines(run("check", "c").output) == []


# --- heading ids and partial translations -----------------------------------------------------

WELCOME = "modules/01-getting-started/01-welcome.md"
CHECKS = "modules/01-getting-started/02-checks.md"


def heading_ids_in(html: str) -> list[str]:
    import re

    return re.findall(r'<h[2-6][^>]* id="p-getting-started--welcome--([^"]+)"', html)


def test_an_explicit_heading_id_is_kept_and_not_shown(course: Path) -> None:
    path = course / WELCOME
    path.write_text(path.read_text("utf-8").replace("## Building blocks", "## Building blocks {#blocks}"), "utf-8")
    (course / CHECKS).write_text((course / CHECKS).read_text("utf-8").replace("#building-blocks", "#blocks"), "utf-8")
    result = run("build", "c")
    assert result.exit_code == 0, result.output
    html = whole_html(course.parent / "dist/web")
    assert heading_ids_in(html)[0] == "blocks"
    assert "{#blocks}" not in html and ">Building blocks</h2>" in html


def test_a_half_translated_course_builds_with_the_same_anchors_in_every_language(course: Path) -> None:
    # Only the welcome lesson is translated, headings and all; the lesson linking to its heading is not.
    text = (course / WELCOME).read_text("utf-8")
    translated = text.replace("## Building blocks", "## لبنات البناء").replace("title: ", "title: مرحبًا ", 1)
    (course / "translations/ar" / WELCOME).parent.mkdir(parents=True)
    (course / "translations/ar" / WELCOME).write_text(translated, encoding="utf-8")
    result = run("build", "c")
    assert result.exit_code == 0, result.output
    web = course.parent / "dist/web"
    english, arabic = whole_html(web), whole_html(web / "ar")
    assert heading_ids_in(english) == heading_ids_in(arabic) == ["building-blocks"]
    assert ">لبنات البناء</h2>" in arabic
    assert 'data-anchor="p-getting-started--welcome--building-blocks"' in arabic  # the untranslated lesson's link
    untranslated = [line for line in result.output.splitlines() if "not translated into 'ar'" in line]
    assert any(line.startswith(f"c/{CHECKS}") for line in untranslated), result.output
    assert not any(line.startswith(f"c/{WELCOME}") for line in untranslated)
    # The lesson not translated yet reads in English inside the Arabic course, and says so to screen readers.
    import re

    checks = re.search(r'<section[^>]*data-page="getting-started/checks".*?</section>', arabic, re.S)[0]
    assert '<h1 class="page-title" id="p-getting-started--checks-title" tabindex="-1" lang="en" dir="ltr">' in checks
    assert '<div class="page-body prose" lang="en" dir="ltr">' in checks
    welcome = re.search(r'<section[^>]*data-page="getting-started/welcome".*?</section>', arabic, re.S)[0]
    assert 'lang="en"' not in welcome
    assert 'lang="en"' not in english.split("<main", 1)[1]


def test_a_translations_link_to_a_heading_it_lacks_warns_naming_the_language(course: Path) -> None:
    text = (course / CHECKS).read_text("utf-8").replace("#building-blocks", "#lbnat-albna")
    (course / "translations/ar" / CHECKS).parent.mkdir(parents=True)
    (course / "translations/ar" / CHECKS).write_text(text, encoding="utf-8")
    result = run("build", "c")
    assert result.exit_code == 0, result.output
    found = [line for line in result.output.splitlines() if "#lbnat-albna" in line]
    assert len(found) == 1 and "warning" in found[0] and "in the 'ar' course" in found[0], result.output
    assert "opens the page at its top" in found[0]


def test_a_translated_check_cannot_change_its_answer_or_id(course: Path) -> None:
    text = (course / CHECKS).read_text("utf-8")
    cheat = (text.replace("id: check-purpose", "id: renamed")
             .replace("    correct: true\n", "")
             .replace("  - text: Deciding who passes\n", "  - text: Decidir quién aprueba\n    correct: true\n")
             .replace("prompt: What is a formative check for?", "prompt: ¿Para qué sirve?"))
    (course / "translations/ar" / CHECKS).parent.mkdir(parents=True)
    (course / "translations/ar" / CHECKS).write_text(cheat + "\n::: check\nid: extra\ntype: true-false\n"
                                                     "prompt: Added\nanswer: true\n:::\n", encoding="utf-8")
    result = run("build", "c")
    assert result.exit_code == 0, result.output
    assert "has no check number 2" in result.output

    def checks(path: Path) -> dict:
        data = course_data(path)
        return data["checks"]

    english, arabic = checks(course.parent / "dist/web"), checks(course.parent / "dist/web/ar")
    assert list(arabic) == list(english)
    for key, question in english.items():
        translated = arabic[key]
        assert translated["id"] == question["id"] == "check-purpose"
        assert [o["correct"] for o in translated["options"]] == [o["correct"] for o in question["options"]] == [True, False]
        assert translated["options"][1]["text"] == "Decidir quién aprueba"
        assert "¿Para qué sirve?" in translated["prompt_html"]
