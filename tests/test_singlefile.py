"""The single-file edition: the whole course in one HTML file that works from file:// exactly like
dist/web/, with nothing left outside it; files too large to inline are refused by name and size."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from browser import PageGuard, file_url
from builder.build import BuildReport, build
from builder.cli import main
from builder.render import RenderedSite
from builder.singlefile import SiteFiles, inline_html, single_file_editions
from test_documents import SAMPLE, write_course
from test_learner_journey import go_through_course

LOADING = ("src", "href", "poster", "data")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    """The sample course built, and its single-file edition written beside dist/web/."""
    out = tmp_path_factory.mktemp("single") / "dist"
    report = build(SAMPLE, out)
    editions, issues = single_file_editions(report.site, report.course.id, report.course.version,
                                            report.course.language, SAMPLE.resolve())
    assert issues == []
    assert sorted(editions) == sorted(["ct-consular-1.0.0.html"]
                                      + [f"ct-consular-1.0.0-{lang}.html" for lang in report.course.translations])
    (out / "ct-consular-1.0.0.html").write_bytes(editions["ct-consular-1.0.0.html"])
    return report, out / "ct-consular-1.0.0.html"


def test_nothing_is_left_outside_the_file(sample: tuple[BuildReport, Path]) -> None:
    _, path = sample
    tree = lxml.html.parse(str(path)).getroot()
    assert tree.xpath("//link[@rel='stylesheet']") == []
    assert tree.xpath("//script[@src and not(starts-with(@src, 'data:text/javascript;base64,'))]") == []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in LOADING:
            value = element.get(name)
            if value is not None and not (element.tag == "a" and name == "href"):
                assert value.startswith(("data:", "#")), f"<{element.tag} {name}={value[:60]}>"
        if element.tag == "a" and element.get("href"):
            assert element.get("href").startswith(("#", "data:", "https://", "http://")), element.get("href")
    assert len(tree.xpath("//img[starts-with(@src, 'data:image/svg+xml;base64,')]")) >= 4
    assert len(tree.xpath("//style")) >= 1 and ":root" in tree.xpath("//style")[-1].text


def test_the_page_reads_the_same_as_the_web_course(sample: tuple[BuildReport, Path]) -> None:
    report, path = sample
    web = lxml.html.parse(str(report.web_dir / "index.html")).getroot()
    single = lxml.html.parse(str(path)).getroot()
    assert single.body.text_content() == web.body.text_content()
    assert single.xpath("//script[@id='course-data']")[0].text == web.xpath("//script[@id='course-data']")[0].text


def test_the_whole_course_works_from_file(sample: tuple[BuildReport, Path], page: Page, guard: PageGuard) -> None:
    _, path = sample
    run = go_through_course(page, file_url(path), right=True)
    assert run["checks"] > 0 and run["questions"] > 0 and run["choices"] > 0
    end = page.locator("#end")
    expect(end.locator(".end-status")).to_have_text("You have completed the course.")
    expect(end.locator(".end-passed")).to_have_text("Passed")
    page.reload()
    expect(page.locator("section.page.is-current[data-page='end']")).to_be_visible()
    guard.assert_clean()


def test_inlining_changes_only_what_loads_files(tmp_path: Path) -> None:
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.4 tiny")
    (tmp_path / "font.woff2").write_bytes(b"wOF2 font")
    (tmp_path / "dot.png").write_bytes(b"\x89PNG dot")
    site = RenderedSite(files={
        "assets/site.css": b"@font-face{font-family:x;src:url(fonts/f.woff2) format('woff2')}\n.a{color:red}",
        "assets/site.js": b"window.ran = true;",
    }, copies={"assets/fonts/f.woff2": tmp_path / "font.woff2", "media/guide.pdf": tmp_path / "guide.pdf",
               "media/dot.png": tmp_path / "dot.png"})
    html = (
        '<!doctype html>\n<html><head><link rel="stylesheet" href="assets/site.css" media="screen">\n'
        '<script src="assets/site.js" defer></script>\n<style>.b{background:url("media/dot.png")}</style></head>\n'
        '<body  data-x = "kept  as is">\n<p>Text &amp; more <a href="#g-term">term</a> '
        '<a href="https://example.org/">out</a> <a href="media/guide.pdf">the guide</a></p>\n'
        '<img src="media/dot.png" alt="A dot"><svg><use href="#i-menu"></use></svg>\n'
        '<p style="background: url(media/dot.png)">x</p><a href="es/index.html">Español</a></body></html>\n')
    out = inline_html(html, SiteFiles(site, tmp_path), {"es/index.html": "course-1.0-es.html"})
    tree = lxml.html.document_fromstring(out)
    css = tree.xpath("//style[@media='screen']")[0].text
    assert "url(data:font/woff2;base64," + base64.b64encode(b"wOF2 font").decode() + ")" in css
    assert ".a{color:red}" in css
    assert tree.xpath("//script/@src")[0] == "data:text/javascript;base64," + base64.b64encode(b"window.ran = true;").decode()
    assert tree.xpath("//script")[0].get("defer") is not None
    assert "url(data:image/png;base64," in tree.xpath("//style[not(@media)]")[0].text
    assert tree.xpath("//img/@src")[0].startswith("data:image/png;base64,")
    guide = tree.xpath("//a[text()='the guide']")[0]
    assert guide.get("href").startswith("data:application/pdf;base64,") and guide.get("download") == "guide.pdf"
    assert tree.xpath("//a[text()='Español']/@href") == ["course-1.0-es.html"]
    assert "url(data:image/png;base64," in tree.xpath("//p[@style]/@style")[0]
    # Everything else is byte for byte what it was.
    for kept in ('<body  data-x = "kept  as is">', "<p>Text &amp; more <a href=\"#g-term\">term</a>",
                 '<a href="https://example.org/">out</a>', '<svg><use href="#i-menu"></use></svg>'):
        assert kept in out


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_build_single_file_per_language(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course_src", translations=True)
    code, output = run("build", str(source), "--out", str(tmp_path / "dist"), "--single-file")
    assert code == 0, output
    written = sorted(p.name for p in (tmp_path / "dist").glob("*.html"))
    assert written == ["tiny-docs-2.0-es.html", "tiny-docs-2.0.html"]
    spanish = lxml.html.parse(str(tmp_path / "dist" / "tiny-docs-2.0-es.html")).getroot()
    assert spanish.get("lang") == "es" and "Primera lección" in spanish.body.text_content()
    for name in written:
        assert f"wrote {tmp_path / 'dist' / name}" in output


def test_media_over_the_limit_is_refused_by_name_and_size(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course_src", picture_kb=5)
    code, output = run("build", str(source), "--out", str(tmp_path / "dist"), "--single-file", "--max-media-kb", "4")
    assert code == 1
    lines = output.strip().splitlines()
    assert re.fullmatch(r".*course_src/media/picture\.svg:1:1: error: 'media/picture\.svg' is 5\.\d KB, over the "
                        r"4 KB limit for files inlined into one HTML file \(make the file smaller, or raise the "
                        r"limit with --max-media-kb\)", lines[-2])
    assert not (tmp_path / "dist" / "tiny-docs-2.0.html").exists()
    assert (tmp_path / "dist" / "web" / "index.html").is_file()
    code, output = run("build", str(source), "--out", str(tmp_path / "dist"), "--single-file", "--max-media-kb", "6")
    assert code == 0 and (tmp_path / "dist" / "tiny-docs-2.0.html").is_file()
