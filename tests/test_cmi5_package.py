"""`course package --cmi5`: the cmi5 zip, its course structure, and the same verdict rules as SCORM.

The structure is validated against the cmi5 CourseStructure.xsd when it is found in
../shared/cmi5-schemas/ or at $CMI5_COURSE_STRUCTURE_XSD (no registry package ships it, and it is not
copied into this repository);
the other tests read the XML as an LMS importing it would.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from builder.cli import main

NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}


def _package(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["package", *args])
    return result.exit_code, result.output


def _structure(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as zf:
        return etree.fromstring(zf.read("cmi5.xml"))


def _langstrings(element: etree._Element, tag: str) -> dict[str, str]:
    return {s.get("lang"): s.text for s in element.findall(f"c:{tag}/c:langstring", NS)}


@pytest.fixture(scope="module")
def sample_cmi5(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmi5") / "dist"
    code, output = _package([str(repo_root / "course_src"), "--out", str(out), "--cmi5"])
    assert code == 0, output
    return out


def test_package_cmi5_writes_only_the_cmi5_zip(sample_cmi5: Path) -> None:
    assert sorted(p.name for p in sample_cmi5.glob("*.zip")) == ["ct-consular-1.0.0-cmi5.zip"]
    with zipfile.ZipFile(sample_cmi5 / "ct-consular-1.0.0-cmi5.zip") as zf:
        names = zf.namelist()
    assert "cmi5.xml" in names and "index.html" in names and "es/index.html" in names
    assert {"pages/glossary.js", "frameworks.html", "es/pages/frameworks.js", "es/glossary.html"} <= set(names)
    assert "imsmanifest.xml" not in names


def test_one_au_for_the_course_with_the_scorm_mastery_score(repo_root: Path, sample_cmi5: Path, tmp_path: Path) -> None:
    root = _structure(sample_cmi5 / "ct-consular-1.0.0-cmi5.zip")
    course = root.find("c:course", NS)
    assert course.get("id") == "urn:coursewright:ct-consular"
    aus = root.findall("c:au", NS)
    assert len(aus) == 1
    au = aus[0]
    assert au.get("moveOn") == "CompletedAndPassed"
    # The sample course passes when each assessment passes: no single mark decides, so neither the
    # AU nor the SCORM 1.2 item hands the LMS a mastery score to judge the course score by.
    assert au.get("masteryScore") is None
    code, output = _package([str(repo_root / "course_src"), "--out", str(tmp_path), "--scorm", "1.2"])
    assert code == 0, output
    with zipfile.ZipFile(tmp_path / "ct-consular-1.0.0-scorm12.zip") as zf:
        assert "<adlcp:masteryscore>" not in zf.read("imsmanifest.xml").decode()
    assert au.findtext("c:url", namespaces=NS) == "index.html"
    titles = _langstrings(course, "title")
    assert set(titles) == {"en", "es", "ar", "fa"}
    assert titles["es"].startswith("Lucha contra la trata de personas")
    assert titles["fa"].startswith("مبارزه با قاچاق انسان")
    assert _langstrings(au, "description")["ar"]


def _module_course(tmp_path: Path, *, judged: bool = True) -> Path:
    course = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(course)]).exit_code == 0
    yaml = (course / "course.yaml").read_text()
    yaml = yaml.replace("tracking:\n", "tracking:\n  cmi5: modules\n"
                        "  activity_id: https://training.example.org/courses/first\n")
    assert "cmi5: modules" in yaml
    (course / "course.yaml").write_text(yaml)
    if not judged:  # the one assessment becomes a knowledge check: nothing to pass
        quiz = course / "modules" / "02-practice" / "02-assessment.quiz.yaml"
        quiz.write_text(quiz.read_text().replace("kind: assessment", "kind: knowledge-check"))
    return course


def test_one_au_per_module_when_the_trainer_asks(tmp_path: Path) -> None:
    course = _module_course(tmp_path)
    code, output = _package([str(course), "--out", str(tmp_path / "dist")])
    assert code == 0, output
    # tracking.cmi5 in course.yaml adds the cmi5 zip to the default packages
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.zip")) == [
        "my-first-course-1.0.0-cmi5.zip", "my-first-course-1.0.0-scorm12.zip", "my-first-course-1.0.0-scorm2004.zip"]
    root = _structure(tmp_path / "dist" / "my-first-course-1.0.0-cmi5.zip")
    aus = root.findall("c:au", NS)
    assert [au.get("id") for au in aus] == [
        "https://training.example.org/courses/first/getting-started",
        "https://training.example.org/courses/first/practice"]
    assert [au.findtext("c:url", namespaces=NS) for au in aus] == [
        "index.html?cw-unit=getting-started", "index.html?cw-unit=practice"]
    # only the second module holds the assessment: only its AU needs a pass
    assert [(au.get("moveOn"), au.get("masteryScore")) for au in aus] == [
        ("Completed", None), ("CompletedAndPassed", "0.8")]
    # a course passed on its score: the same mark as the SCORM 1.2 manifest's (one verdict)
    with zipfile.ZipFile(tmp_path / "dist" / "my-first-course-1.0.0-scorm12.zip") as zf:
        assert "<adlcp:masteryscore>80</adlcp:masteryscore>" in zf.read("imsmanifest.xml").decode()
    assert _langstrings(aus[0], "title") == {"en": "Getting started"}


def test_without_assessments_to_pass_completion_is_enough(tmp_path: Path) -> None:
    course = _module_course(tmp_path, judged=False)
    code, output = _package([str(course), "--out", str(tmp_path / "dist"), "--cmi5"])
    assert code == 0, output
    aus = _structure(tmp_path / "dist" / "my-first-course-1.0.0-cmi5.zip").findall("c:au", NS)
    assert {(au.get("moveOn"), au.get("masteryScore")) for au in aus} == {("Completed", None)}


def test_an_unknown_unit_choice_is_a_clear_error(tmp_path: Path) -> None:
    course = _module_course(tmp_path)
    yaml = (course / "course.yaml").read_text().replace("cmi5: modules", "cmi5: lessons")
    (course / "course.yaml").write_text(yaml)
    dist = tmp_path / "dist"
    code, output = _package([str(course), "--out", str(dist), "--cmi5"])
    assert code == 1
    assert "course.yaml" in output and "cmi5" in output and "Traceback" not in output
    assert not dist.exists() or not list(dist.glob("*.zip"))


def test_the_structure_validates_against_the_cmi5_xsd(shared_dir: Path, sample_cmi5: Path, tmp_path: Path) -> None:
    xsd = Path(os.environ.get("CMI5_COURSE_STRUCTURE_XSD") or shared_dir / "cmi5-schemas" / "CourseStructure.xsd")
    if not xsd.is_file():
        pytest.skip(f"the cmi5 CourseStructure.xsd is not at {xsd}: no PyPI or npm package ships it, and "
                    "files from other repositories are not copied into this one")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    course = _module_course(tmp_path)
    code, output = _package([str(course), "--out", str(tmp_path / "dist"), "--cmi5"])
    assert code == 0, output
    for path in (sample_cmi5 / "ct-consular-1.0.0-cmi5.zip", tmp_path / "dist" / "my-first-course-1.0.0-cmi5.zip"):
        root = _structure(path)
        assert schema.validate(root), f"{path.name}: {schema.error_log}"
