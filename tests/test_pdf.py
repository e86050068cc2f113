"""The guide and the handout printed to PDF by Chromium: page count, page numbers, paper size, pictures
made from the pages (pdftoppm); and the message when no PDF engine is found."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import pdf
from builder.build import build
from builder.cli import main
from builder.documents import make_documents
from test_singlefile import SAMPLE, write_course


def poppler(tool: str) -> str:
    """A poppler-utils tool; .ci/run installs them, so under CI a missing one is a failure."""
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} (poppler-utils) is not installed; .ci/run installs it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def page_count(path: Path) -> int:
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


def page_text(path: Path, number: int) -> str:
    return subprocess.run([poppler("pdftotext"), "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def sample_pdfs(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course's guide and handout (source language) as PDF files."""
    out = tmp_path_factory.mktemp("sample-pdf")
    report = build(SAMPLE, out)
    made, issues = make_documents(report, SAMPLE)
    assert issues == []
    wanted = {k: v for k, v in made.items() if k in ("ct-consular-1.0.0-facilitator.html", "ct-consular-1.0.0-handout.html")}
    paths = {}
    for name, content in pdf.print_to_pdf(wanted, chromium_path).items():
        paths[name] = out / name
        paths[name].write_bytes(content)
    return paths


@pytest.mark.parametrize("name, least", [("ct-consular-1.0.0-facilitator.pdf", 60), ("ct-consular-1.0.0-handout.pdf", 40)])
def test_documents_print_to_numbered_a4_pages(sample_pdfs: dict[str, Path], name: str, least: int,
                                              tmp_path: Path) -> None:
    path = sample_pdfs[name]
    assert path.read_bytes().startswith(b"%PDF-")
    pages = page_count(path)
    assert pages > least
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    # Chromium's footer numbers every page; the print styles' own numbers are left out of the PDF.
    for number in (1, 2, pages):
        footer = page_text(path, number).strip().splitlines()[-1]
        assert footer.endswith(f"{number} / {pages}"), footer
        assert footer.count(f"{number} / {pages}") == 1
    # Each module starts a page of its own.
    starts = [n for n in range(1, pages + 1) if re.match(r"\s*MODULE \d+\n", page_text(path, n))]
    assert len(starts) == len(list((SAMPLE / "modules").iterdir()))
    subprocess.run([poppler("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "4", str(path), str(tmp_path / "page")],
                   check=True)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == 4
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 2000 for p in pictures)


def test_the_guide_pdf_keeps_its_answer_key_and_plan(sample_pdfs: dict[str, Path]) -> None:
    path = sample_pdfs["ct-consular-1.0.0-facilitator.pdf"]
    text = "\n".join(page_text(path, n) for n in range(1, page_count(path) + 1))
    assert "09:00–" in text and "LESSON PLAN" in text and "ANSWER KEY" in text and "Facilitator notes" in text
    handout = sample_pdfs["ct-consular-1.0.0-handout.pdf"]
    handout_text = "\n".join(page_text(handout, n) for n in range(1, page_count(handout) + 1))
    assert "ANSWER KEY" not in handout_text and "Facilitator notes" not in handout_text


def test_build_pdf_writes_both_documents_and_their_pdfs(chromium_path: str, tmp_path: Path) -> None:
    source = write_course(tmp_path / "course_src")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist"), "--pdf"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "tiny-docs-2.0-facilitator.html", "tiny-docs-2.0-facilitator.pdf", "tiny-docs-2.0-handout.html",
        "tiny-docs-2.0-handout.pdf", "web"]
    assert page_count(tmp_path / "dist" / "tiny-docs-2.0-facilitator.pdf") >= 4


def test_no_pdf_engine_is_a_clear_message_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_course(tmp_path / "course_src")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist"), "--pdf"])
    assert result.exit_code == 1
    assert "Error: no PDF engine found: install chromium" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["web"]
