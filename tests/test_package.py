"""`course package`: the whole course in one package, and with translations one package per language."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from builder.cli import main


def _translated_starter(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(course)]).exit_code == 0
    text = (course / "course.yaml").read_text()
    (course / "course.yaml").write_text(text.replace("language: en\n", "language: en\ntranslations: [es]\n"))
    lesson = course / "translations/es/modules/01-getting-started/02-checks.md"
    lesson.parent.mkdir(parents=True)
    source = (course / "modules/01-getting-started/02-checks.md").read_text()
    lesson.write_text(source.replace("title: Checks inside a lesson", "title: Preguntas dentro de una lección"))
    (course / "translations/es/course.yaml").write_text(text.replace("title: My First Course", "title: Mi primer curso"))
    return course


def test_one_package_per_language_and_one_for_all(tmp_path: Path) -> None:
    course = _translated_starter(tmp_path)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["package", str(course), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.zip"))
    assert names == [
        "my-first-course-1.0.0-en-scorm12.zip", "my-first-course-1.0.0-en-scorm2004.zip",
        "my-first-course-1.0.0-es-scorm12.zip", "my-first-course-1.0.0-es-scorm2004.zip",
        "my-first-course-1.0.0-scorm12.zip", "my-first-course-1.0.0-scorm2004.zip",
    ]
    with zipfile.ZipFile(out / "my-first-course-1.0.0-scorm12.zip") as whole:
        assert "es/index.html" in whole.namelist() and "index.html" in whole.namelist()
    with zipfile.ZipFile(out / "my-first-course-1.0.0-es-scorm2004.zip") as spanish:
        names = spanish.namelist()
        assert not any(n.startswith(("es/", "en/")) for n in names)
        page = spanish.read("index.html").decode()
        manifest = spanish.read("imsmanifest.xml").decode()
    assert re.search(r'<html[^>]*\blang="es"', page)
    assert "Preguntas dentro de una lección" in page
    assert "Mi primer curso" in manifest and '<lom:language>es</lom:language>' in manifest
    assert 'href="../index.html"' not in page  # no picker pointing outside the package
    with zipfile.ZipFile(out / "my-first-course-1.0.0-en-scorm12.zip") as english:
        assert not any(n.startswith("es/") for n in english.namelist())
        assert "Checks inside a lesson" in english.read("index.html").decode()


def test_a_course_without_translations_makes_one_package_per_version(tmp_path: Path) -> None:
    course = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(course)]).exit_code == 0
    result = CliRunner().invoke(main, ["package", str(course), "--out", str(tmp_path / "dist"), "--scorm", "1.2"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "dist").glob("*.zip")] == ["my-first-course-1.0.0-scorm12.zip"]
