"""The single-file edition: the whole course in one HTML file that works from file:// exactly like
dist/web/, with nothing left outside it; files too large to inline are refused by name and size.

It also writes the small course the documents' and PDF tests build (`write_course`)."""
from __future__ import annotations

import base64
import json
import re
import textwrap
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

import webcourse
from browser import PageGuard, file_url
from builder.build import BuildReport, build
from builder.cli import main
from builder.render import RenderedSite
from builder.singlefile import SiteFiles, inline_html, single_file_editions
from test_learner_journey import go_through_course

LOADING = ("src", "href", "poster", "data")
SAMPLE = Path(__file__).resolve().parent.parent / "course_src"


# -- a small course with every kind of page, written for these tests ---------------------------------

def write_course(root: Path, *, translations: bool = False, picture_kb: int = 2) -> Path:
    """A course whose first module has lessons of 10, 15 and 20 minutes (the issue's example)."""
    padding = "<!--" + "x" * (picture_kb * 1024) + "-->"
    files = {
        "course.yaml": f"""\
            id: tiny-docs
            title: Tiny Documents Course
            subtitle: Print tests
            version: "2.0"
            organization: Test organisation
            authors: [Test author]
            language: en
            {"translations: [es]" if translations else ""}
            completion: {{pages: all, assessments: all, pass_mark: 50}}
            """,
        "glossary.yaml": """\
            - term: Consent
              definition: Agreement freely given by a person who understands what is asked.
              source: "@model-law:2"
            """,
        "frameworks.yaml": """\
            - id: model-law
              title: Model Law on Tiny Courses
              short: Model Law
              level: international
              adopted: "2001-02-03"
              summary: A small instrument for tests.
              url: https://example.org/model-law
              articles:
                - {number: "2", title: Consent, summary: When consent counts.}
            """,
        "media/picture.svg": f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">{padding}'
                             '<rect width="40" height="20" fill="#369"/></svg>\n',
        "modules/01-basics/module.yaml": """\
            title: Basics
            description: What the words mean.
            objectives: [Explain consent]
            """,
        "modules/01-basics/01-first.md": """\
            ---
            title: First lesson
            objectives: [Say what consent means]
            duration: 10
            summary: The words of the course.
            facilitator: Ask the room what consent means before you show the slide.
            ---

            ## Consent first

            Learners should know what [[consent]] is ([[@model-law:2]]).

            ![A blue box](../../media/picture.svg)

            ::: reveal Hidden on screen
            Printed open on paper.
            :::

            ::: check
            id: steps
            type: ordering
            prompt: Put the steps of a referral in order.
            items: [Listen to the person, Ask for consent, Call the service, Follow up the next week]
            explanation: Consent comes before any call is made.
            :::
            """,
        "modules/01-basics/02-second.md": """\
            ---
            title: Second lesson
            duration: 15
            facilitator: Pair people up for the role play and keep time strictly.
            ---

            Second lesson text.
            """,
        "modules/01-basics/03-third.md": """\
            ---
            title: Third lesson
            duration: 20
            ---

            Third lesson text.
            """,
        "modules/02-practice/module.yaml": "title: Practice\n",
        "modules/02-practice/01-check.quiz.yaml": """\
            title: Knowledge check
            kind: knowledge-check
            shuffle: true
            duration: 10
            facilitator: Read each question aloud and take a vote before you reveal the answer.
            questions:
              - id: one
                type: single
                prompt: Which element is never needed for a child victim?
                options:
                  - {text: The means, correct: true, feedback: Right; act and purpose are enough for a child.}
                  - {text: The act, feedback: An act is always needed in every single case.}
                  - {text: The purpose, feedback: The purpose of exploitation is always needed.}
                explanation: For children only the act and the purpose need to be shown by anyone.
              - id: many
                type: multiple
                prompt: Which are forms of exploitation?
                options:
                  - {text: Forced labour, correct: true}
                  - {text: Servitude, correct: true}
                  - {text: Visa overstay}
              - id: tf
                type: true-false
                prompt: Consent obtained by deception counts.
                answer: false
                feedback: {correct: Yes; deceived consent never counts at all., incorrect: No; deceived consent does not count.}
              - id: fill
                type: fill-in
                prompt: Name an act that needs no journey.
                answers: [harbouring, receipt]
              - id: match
                type: matching
                prompt: Match the case to its label.
                pairs:
                  - {left: Paid to cross a border, right: Smuggling}
                  - {left: Kept working by a debt, right: Trafficking}
                  - {left: Underpaid but free to leave, right: Labour violation}
              - id: order
                type: ordering
                prompt: Put the interview steps in order.
                items: [Greet, Explain, Ask, Refer]
            """,
        "modules/02-practice/02-case.scenario.yaml": """\
            title: At the window
            kind: practice
            duration: 10
            facilitator: Stop at each choice and let the room vote with a show of hands.
            intro: A person asks for help at the window.
            start: window
            nodes:
              window:
                text: A man answers every question for the applicant. What do you do?
                image: ../../media/picture.svg
                alt: A blue box
                choices:
                  - {text: Ask to speak with her alone, goto: alone, points: 2, feedback: Separating them lets her speak.}
                  - {text: Process the visa as usual, goto: missed, points: 0, feedback: The signs were missed here.}
              alone:
                text: She tells you her passport was taken. What next?
                choices:
                  - {text: Offer a referral with her consent, goto: referred, points: 2, feedback: Consent first.}
                  - {text: Call the police at once, goto: missed, points: 0}
              referred:
                ending: good
                text: She is referred to a shelter and gets help.
                debrief: Listening first and asking for consent opened the way to help.
              missed:
                ending: poor
                text: The visa is issued and she leaves with the man.
                debrief: The controlling companion was the indicator that should have stopped you.
            """,
        "modules/02-practice/03-exam.quiz.yaml": """\
            title: Final exam
            kind: assessment
            pass_mark: 50
            duration: 5
            questions:
              - id: final
                type: single
                prompt: Which step comes before any referral is made?
                options:
                  - {text: Asking for consent, correct: true}
                  - {text: Calling the police}
            """,
    }
    if translations:
        files["translations/es/modules/01-basics/01-first.md"] = """\
            ---
            title: Primera lección
            objectives: [Decir qué es el consentimiento]
            duration: 10
            summary: Las palabras del curso.
            facilitator: Pregunte a la sala qué significa el consentimiento antes de mostrar la diapositiva.
            ---

            ## Primero el consentimiento

            El texto de la primera lección.

            ::: check
            id: steps
            type: ordering
            prompt: Ordene los pasos de una derivación.
            items: [Escuchar a la persona, Pedir el consentimiento, Llamar al servicio, Hacer el seguimiento]
            :::
            """
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


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
    report, path = sample
    editions = {f"ct-consular-1.0.0-{lang}.html" for lang in report.course.translations} | {path.name}
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
        if element.tag == "a" and element.get("href") and "language-link" not in element.get("class", ""):
            assert element.get("href").startswith(("#", "data:", "https://", "http://")), element.get("href")
    # The language picker links the other languages' single files, which sit beside this one.
    assert {a.get("href") for a in tree.xpath("//a[contains(@class, 'language-link')]")} == editions
    assert len(tree.xpath("//img[starts-with(@src, 'data:image/svg+xml;base64,')]")) >= 4
    assert len(tree.xpath("//style")) >= 1 and ":root" in tree.xpath("//style")[-1].text


def test_the_page_reads_the_same_as_the_web_course(sample: tuple[BuildReport, Path]) -> None:
    """One document holds what the web course loads page by page: every page's section and the course data."""
    report, path = sample
    web = report.web_dir
    single = lxml.html.parse(str(path)).getroot()
    data = webcourse.course_data(web)
    sections = {s.get("data-page"): s for s in single.xpath("//main/section[contains(@class, 'page')]")}
    chunks = webcourse.chunks(web, data)
    assert [c["id"] for c in chunks] == [p for p in sections if "/" in p]
    for chunk in chunks:
        assert sections[chunk["id"]].text_content() == lxml.html.fragment_fromstring(chunk["html"]).text_content()
    for name in ("glossary", "frameworks"):  # pages/glossary.js, pages/frameworks.js in the web course
        loaded = lxml.html.fragment_fromstring(webcourse.reference_html(web, name)).text_content()
        assert sections[name].text_content() == loaded and "glossary-entry" not in (web / "index.html").read_text()
    assert json.loads(single.xpath("//script[@id='course-data']")[0].text) == data


def test_the_whole_course_works_from_file(sample: tuple[BuildReport, Path], page: Page, guard: PageGuard) -> None:
    _, path = sample
    run = go_through_course(page, file_url(path), right=True)
    assert run["checks"] > 0 and run["questions"] > 0 and run["choices"] > 0
    end = page.locator("#end")
    # Every assessment passed on its own pass mark (pass: rule: each): the course is passed.
    assessed = len(run["data"]["pass"]["assessments"])
    expect(end.locator(".end-status")).to_have_text("You have passed the course.")
    expect(end.locator(".end-status")).to_have_attribute("data-result", "passed/completed")
    expect(end.locator(".end-reasons")).to_have_text("You passed every assessment.")
    expect(end.locator(".end-list li[data-status='passed']")).to_have_count(assessed)
    expect(end.locator(".end-list li[data-status]")).to_have_count(assessed)
    page.reload()
    expect(page.locator("section.page.is-current[data-page='end']")).to_be_visible()
    expect(end.locator(".end-status")).to_have_text("You have passed the course.")
    guard.assert_clean()


def test_the_single_file_carries_only_the_font_faces_its_page_draws(tmp_path: Path) -> None:
    """A face is inlined when its family is named and the page's own text has a character in its range;
    words in another language (the language picker's names) and undrawn elements do not count."""
    for name in ("latin", "arabic", "unused"):
        (tmp_path / f"{name}.woff2").write_bytes(f"wOF2 {name}".encode())
    css = ("@font-face{font-family:\"Plex\";src:url(fonts/latin.woff2);unicode-range:U+0000-00FF}\n"
           "@font-face{font-family:\"Plex Arabic\";src:url(fonts/arabic.woff2);unicode-range:U+0600-06FF,U+FB50-FDFF}\n"
           "@font-face{font-family:Other;src:url(fonts/unused.woff2)}\n"
           "body{font-family:var(--font,serif)}")
    site = RenderedSite(files={"assets/site.css": css.encode()},
                        copies={f"assets/fonts/{n}.woff2": tmp_path / f"{n}.woff2" for n in ("latin", "arabic", "unused")})

    def inlined(lang: str, body: str) -> set[str]:
        html = (f'<!doctype html><html lang="{lang}" style="--font: &quot;Plex&quot;, &quot;Plex Arabic&quot;">'
                f'<head><link rel="stylesheet" href="assets/site.css"></head><body>{body}</body></html>')
        out = inline_html(html, SiteFiles(site, tmp_path))
        return {n for n in ("latin", "arabic", "unused") if base64.b64encode(f"wOF2 {n}".encode()).decode() in out}

    picker = '<a lang="ar" href="ar/index.html"><span dir="rtl">العربية</span></a>'
    assert inlined("en", f"<p>Consent is irrelevant.</p>{picker}<script>var s = 'سلام';</script>") == {"latin"}
    assert inlined("en", '<div lang="ar"><p>سلام<p>مرحبا</div><p>Hello</p>') == {"latin"}  # <p> left open
    assert inlined("en", '<div lang="ar"><p>سلام</div><p>Hello</p><p>مرحبا</p>') == {"latin", "arabic"}
    assert inlined("fa", '<p>رضایت بی‌اثر است (Palermo).</p><a lang="en">English</a>') == {"latin", "arabic"}
    assert inlined("ar", "<p>الموافقة</p>") == {"arabic"}


def test_inlining_changes_only_what_loads_files(tmp_path: Path) -> None:
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.4 tiny")
    (tmp_path / "font.woff2").write_bytes(b"wOF2 font")
    (tmp_path / "dot.png").write_bytes(b"\x89PNG dot")
    site = RenderedSite(files={
        "assets/site.css": b"@font-face{font-family:x;src:url(fonts/f.woff2) format('woff2')}\n.a{color:red}\n"
                           b"body{font-family:x}",
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
