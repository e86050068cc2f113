"""Categorisation and hotspot questions in the source: what loads, and the exact line `course check` prints
for each mistake a trainer can make in them (the tiny course with one quiz added, then one change)."""
from __future__ import annotations

from pathlib import Path

import pytest

import yaml
from click.testing import CliRunner
from lxml import etree

import webcourse
from builder.cli import main
from builder.errors import Issues
from builder.loader import load_course
from builder.sources import read_sources
from tests.test_broken_sources import ISSUE_LINE, Replace, Write, check, copy_tiny

X = "{urn:oasis:names:tc:xliff:document:2.0}"
SORT = "modules/02-practice/03-sort.quiz.yaml"

QUIZ = """\
title: Sort and spot
kind: knowledge-check
questions:
  - id: sort-them
    type: categorisation
    prompt: Sort each sign into its group.
    groups:
      - id: trafficking
        text: Trafficking
      - id: smuggling
        text: Smuggling
    items:
      - text: The employer keeps the passport.
        group: trafficking
      - text: A fee was paid to cross the border.
        group: smuggling
      - text: The debt grows every month.
        group: trafficking
  - id: spot-it
    type: hotspot
    prompt: Click the window.
    image: ../../media/window.svg
    alt: A counter with a window and a door
    regions:
      - label: The window
        rect: [10, 10, 40, 30]
        correct: true
      - label: The door
        polygon: [[60, 40], [90, 40], [90, 100], [60, 100]]
"""


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *patches: Replace | Write) -> tuple[int, list[str]]:
    course = copy_tiny(tmp_path)
    Write(SORT, QUIZ).apply(course)
    for patch in patches:
        patch.apply(course)
    result = check(course, monkeypatch)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    return result.exit_code, lines[:-1] if result.exit_code else []


def test_a_well_made_quiz_checks_clean_and_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, issues = run(tmp_path, monkeypatch)
    assert (code, issues) == (0, [])
    issues_ = Issues()
    course = load_course(read_sources(tmp_path / "courses" / "tiny", issues_), issues_)
    quiz = next(p for p in course.pages if p.id == "practice/sort")
    sort, spot = quiz.questions
    assert [g.id for g in sort.groups] == ["trafficking", "smuggling"]
    assert [(i.text, i.group) for i in sort.sort_items][1] == ("A fee was paid to cross the border.", "smuggling")
    assert sort.items == ()
    assert spot.image == "../../media/window.svg" and spot.alt.startswith("A counter")
    window, door = spot.regions
    assert (window.shape, window.points, window.correct) == ("rect", ((10, 10), (50, 40)), True)
    assert (door.shape, len(door.points), door.correct) == ("polygon", 4, False)


S = f"tiny/{SORT}"
CASES = {
    "unknown-group": (
        Replace(SORT, "    group: smuggling", "    group: smugling"),
        [f"{S}:16:16: error: item of question 'sort-them' names group 'smugling', which is not one of its groups "
         "(did you mean 'smuggling'?)"]),
    "one-group": (
        Replace(SORT, "      - id: smuggling\n        text: Smuggling\n", ""),
        [f"{S}:4:5: error: categorisation question 'sort-them' needs at least two groups "
         "(list the groups under 'groups:', each with an id and a text)",
         f"{S}:14:16: error: item of question 'sort-them' names group 'smuggling', which is not one of its groups "
         "(its groups are: trafficking)"]),
    "item-without-group": (
        Replace(SORT, "      - text: The debt grows every month.\n        group: trafficking\n",
                "      - The debt grows every month.\n"),
        [f"{S}:4:5: error: categorisation question 'sort-them' has items without a group "
         "(write each item as 'text:' and 'group:' (the id of its group))"]),
    "ordering-item-with-group": (
        Replace(SORT, "type: categorisation", "type: ordering"),
        [f"{S}:4:5: error: question 'sort-them' of type ordering has 'groups', which belongs to categorisation "
         "questions (remove 'groups' or change the type)",
         f"{S}:13:9: error: ordering question 'sort-them' has an item with a 'group' (ordering items are plain "
         "texts; for items sorted into groups use type: categorisation)"]),
    "duplicate-group-id": (
        Replace(SORT, "      - id: smuggling", "      - id: trafficking"),
        [f"{S}:10:9: error: duplicate group id in categorisation question 'trafficking' (also at {SORT}:8) "
         "(give every group its own id)",
         f"{S}:16:16: error: item of question 'sort-them' names group 'smuggling', which is not one of its groups "
         "(its groups are: trafficking)"]),
    "region-outside-the-image": (
        Replace(SORT, "rect: [10, 10, 40, 30]", "rect: [70, 10, 40, 30]"),
        [f"{S}:25:9: error: region 1 of question 'spot-it' reaches outside the image (to 110% across, 40% down) "
         "(x + width and y + height must stay within 100 (percent of the image))"]),
    "coordinate-above-100": (
        Replace(SORT, "[90, 100]", "[90, 120]"),
        [f"{S}:29:44: error: item 2 of item 3 of 'polygon' must be from 0 to 100, got 120"]),
    "image-without-alt": (
        Replace(SORT, "    alt: A counter with a window and a door\n", ""),
        [f"{S}:22:12: error: hotspot question 'spot-it' has an image without 'alt' text "
         "(describe what the image shows in 'alt:')"]),
    "region-without-label": (
        Replace(SORT, "      - label: The door\n        polygon:", "      - polygon:"),
        [f"{S}:28:9: error: missing required key 'label'"]),
    "no-correct-region": (
        Replace(SORT, "        correct: true\n", ""),
        [f"{S}:19:5: error: hotspot question 'spot-it' has no correct region "
         "(mark the right area with 'correct: true')"]),
    "region-with-two-shapes": (
        Replace(SORT, "        rect: [10, 10, 40, 30]\n", "        rect: [10, 10, 40, 30]\n        polygon: [[1, 1], [2, 2], [1, 3]]\n"),
        [f"{S}:25:9: error: region 1 of question 'spot-it' has both a 'rect' and a 'polygon' (keep one of them)"]),
    "image-escaping-the-course": (
        Replace(SORT, "../../media/window.svg", "../../../../outside.svg"),
        [f"{S}:22:12: error: media file '../../../../outside.svg' not found: the path leads outside the course folder "
         "(put media under course_src/media/ and give a path relative to the file)"]),
    "image-on-the-network": (
        Replace(SORT, "../../media/window.svg", "https://example.org/map.svg"),
        [f"{S}:22:12: error: 'https://example.org/map.svg' is on the network; the course must work offline "
         "(download the file into media/ and link to it there)"]),
    "image-missing": (
        Replace(SORT, "../../media/window.svg", "../../media/windw.svg"),
        [f"{S}:22:12: error: media file '../../media/windw.svg' not found: no such file "
         "(put media under course_src/media/ and give a path relative to the file)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_a_mistake_is_reported_at_its_place(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch, expected = CASES[name]
    code, issues = run(tmp_path, monkeypatch, patch)
    assert code == 1
    assert all(ISSUE_LINE.match(line) for line in issues), issues
    assert issues == expected


def test_texts_are_translatable_and_structure_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Group and item texts, the alt text and region labels go to XLIFF; ids, groups and shapes do not,
    and a translation imported back is what the translated course shows."""
    run(tmp_path, monkeypatch)
    course = tmp_path / "courses" / "tiny"
    with open(course / "course.yaml", "a", encoding="utf-8") as f:
        f.write("translations: [es]\n")
    runner = CliRunner()
    result = runner.invoke(main, ["translate", "export", "tiny", "--lang", "es", "--out", "es.xlf"])
    assert result.exit_code == 0, result.output
    tree = etree.parse("es.xlf")
    units = {u.get("id"): u for u in tree.iter(f"{X}unit")}
    sources = {uid: u.find(f"{X}segment/{X}source").text for uid, u in units.items()
               if uid.startswith("question:practice:sort:")}
    assert sources == {
        "question:practice:sort:sort-them.prompt": "Sort each sign into its group.",
        "question:practice:sort:sort-them.groups.1.text": "Trafficking",
        "question:practice:sort:sort-them.groups.2.text": "Smuggling",
        "question:practice:sort:sort-them.items.1.text": "The employer keeps the passport.",
        "question:practice:sort:sort-them.items.2.text": "A fee was paid to cross the border.",
        "question:practice:sort:sort-them.items.3.text": "The debt grows every month.",
        "question:practice:sort:spot-it.prompt": "Click the window.",
        "question:practice:sort:spot-it.alt": "A counter with a window and a door",
        "question:practice:sort:spot-it.regions.1.label": "The window",
        "question:practice:sort:spot-it.regions.2.label": "The door",
    }
    for uid, text in {"sort-them.groups.1.text": "Trata", "sort-them.items.1.text": "El empleador guarda el pasaporte.",
                      "spot-it.regions.2.label": "La puerta", "spot-it.alt": "Un mostrador con ventanilla y puerta"}.items():
        segment = units[f"question:practice:sort:{uid}"].find(f"{X}segment")
        etree.SubElement(segment, f"{X}target").text = text
        segment.set("state", "translated")
    tree.write("es.xlf", encoding="utf-8", xml_declaration=True)
    result = runner.invoke(main, ["translate", "import", "es.xlf", "tiny"])
    assert result.exit_code == 0, result.output
    translated = yaml.safe_load((course / "translations" / "es" / SORT).read_text(encoding="utf-8"))
    sort, spot = translated["questions"]
    assert sort["groups"][0] == {"id": "trafficking", "text": "Trata"}
    assert sort["items"][0] == {"text": "El empleador guarda el pasaporte.", "group": "trafficking"}
    assert spot["regions"][1]["label"] == "La puerta" and spot["regions"][1]["polygon"][0] == [60, 40]
    assert spot["image"] == "../../media/window.svg"
    result = runner.invoke(main, ["build", "tiny", "--out", "dist"])
    assert result.exit_code == 0, result.output
    data = webcourse.course_data(Path("dist/web/es"))
    questions = {q["id"]: q for q in data["quizzes"]["practice/sort"]["questions"]}
    assert questions["sort-them"]["groups"][0]["text_html"] == "Trata"
    assert questions["sort-them"]["sort_items"][0] == {
        "text": "El empleador guarda el pasaporte.", "text_html": "El empleador guarda el pasaporte.", "group": 0}
    assert questions["spot-it"]["alt"] == "Un mostrador con ventanilla y puerta"
    assert questions["spot-it"]["regions"][0]["points"] == [[10, 10], [50, 40]]
