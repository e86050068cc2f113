"""The facilitator guide and the learner handout: timings add up, every answer key and scenario branch is
in the guide as the sources have it, the handout gives no answer away, and both documents stand alone.

What the documents should hold is read from the sources here (YAML and front matter), not from the builder.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from browser import GuardedPage, file_url
from builder.build import BuildReport, build
from builder.cli import main
from builder.documents import Break, make_documents, parse_break, parse_start, plan
from builder.model import QUESTION_TYPES
from test_singlefile import SAMPLE, write_course

ROOT = Path(__file__).resolve().parent.parent
PREFIX = re.compile(r"^\d+-")
LOADING = ("src", "href", "poster", "data", "srcset")


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def by_class(tree: lxml.html.HtmlElement, name: str, scope: str = "//") -> list[lxml.html.HtmlElement]:
    return tree.xpath(f"{scope}*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def words(text: str) -> str:
    """Text as comparable words: Markdown marks, references and punctuation gone, case folded."""
    text = re.sub(r"\[\[@[^\]]*\]\]", " ", text)
    text = re.sub(r"\[\[[^\]|]*\|([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[\[([^\]]*)\]\]", r"\1", text)
    return " ".join(re.findall(r"\w+", text.casefold()))


def text_of(element: lxml.html.HtmlElement) -> str:
    """An element's text as words, without legal references (their text comes from frameworks.yaml)."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for ref in copy.xpath(".//a[@class='legal-ref']"):
        ref.drop_tree()
    return words(copy.text_content())


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_course(tmp_path_factory.mktemp("tiny-docs") / "course_src", translations=True)


@pytest.fixture(scope="module")
def tiny_report(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return build(tiny, tmp_path_factory.mktemp("tiny-dist"))


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sample course's guide and handout, by file name."""
    report = build(SAMPLE, tmp_path_factory.mktemp("sample-docs"))
    made, issues = make_documents(report, SAMPLE)
    assert issues == []
    return made


@pytest.fixture(scope="module")
def guide(sample_documents: dict[str, str]) -> lxml.html.HtmlElement:
    return parse(next(v for k, v in sample_documents.items() if k.endswith("-facilitator.html")))


@pytest.fixture(scope="module")
def handout(sample_documents: dict[str, str]) -> lxml.html.HtmlElement:
    return parse(next(v for k, v in sample_documents.items() if k.endswith("-handout.html")))


# -- the sources, read independently ------------------------------------------------------------------

def page_id(path: Path) -> str:
    name = path.name
    for suffix in (".quiz.yaml", ".scenario.yaml", ".md"):
        name = name.removesuffix(suffix)
    return f"{PREFIX.sub('', path.parent.name)}/{PREFIX.sub('', name)}"


def front_matter(path: Path) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def source_pages(source: Path, pattern: str) -> list[tuple[str, dict]]:
    found = []
    for path in sorted((source / "modules").glob(f"*/{pattern}")):
        data = front_matter(path) if path.suffix == ".md" else yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append((page_id(path), data))
    return found


def inline_checks(source: Path) -> Iterator[tuple[str, dict]]:
    """Every `::: check` of every lesson, with the key the builder gives it (`<lesson-id>/check-<n>`)."""
    for path in sorted((source / "modules").glob("*/*.md")):
        blocks = re.findall(r"^::: check\n(.*?)^:::$", path.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
        for number, block in enumerate(blocks, 1):
            yield f"{page_id(path)}/check-{number}", yaml.safe_load(block)


def assert_key_matches(key: lxml.html.HtmlElement, question: dict) -> None:
    """One answer key against its question's source."""
    kind = question["type"]
    assert key.get("data-type") == kind
    assert text_of(by_class(key, "key-prompt", ".//")[0]) == words(question["prompt"])
    if kind in ("single", "multiple"):
        shown = [(text_of(by_class(li, "key-option-text", ".//")[0]), li.get("data-correct") == "true")
                 for li in by_class(key, "key-option", ".//")]
        assert shown == [(words(o["text"]), bool(o.get("correct"))) for o in question["options"]]
        for li, option in zip(by_class(key, "key-option", ".//"), question["options"]):
            feedback = by_class(li, "key-option-feedback", ".//")
            assert (text_of(feedback[0]) if feedback else "") == words(option.get("feedback", ""))
    elif kind == "true-false":
        assert by_class(key, "key-answer", ".//")[0].get("data-answer") == str(question["answer"]).lower()
    elif kind == "fill-in":
        assert [li.text_content().strip() for li in key.xpath(".//ul[@class='key-accepted']/li")] == question["answers"]
    elif kind == "matching":
        pairs = [(text_of(by_class(tr, "key-left", ".//")[0]), text_of(by_class(tr, "key-right", ".//")[0]))
                 for tr in by_class(key, "key-pair", ".//")]
        assert pairs == [(words(p["left"]), words(p["right"])) for p in question["pairs"]]
    elif kind == "ordering":
        assert [text_of(li) for li in key.xpath(".//ol[@class='key-order']/li")] == [words(i) for i in question["items"]]
    explanation = key.xpath(".//div[@class='key-explanation']/dd")
    assert (text_of(explanation[0]) if explanation else "") == words(question.get("explanation", ""))


# -- timings --------------------------------------------------------------------------------------------

def plan_rows(guide: lxml.html.HtmlElement, module: str) -> list[tuple[str, str, str]]:
    rows = guide.xpath(f"//table[@data-module='{module}']/tbody/tr")
    return [(row.get("data-page") or "break", row.get("data-start"), row.get("data-end")) for row in rows]


def test_a_module_of_10_15_and_20_minutes_from_0900_ends_at_0945(tiny_report: BuildReport, tiny: Path) -> None:
    made, _ = make_documents(tiny_report, tiny)
    guide = parse(made["tiny-docs-2.0-facilitator.html"])
    module = guide.xpath("//section[@data-module='basics']")[0]
    assert (module.get("data-start"), module.get("data-end")) == ("09:00", "09:45")
    assert plan_rows(guide, "basics") == [("basics/first", "09:00", "09:10"), ("basics/second", "09:10", "09:25"),
                                         ("basics/third", "09:25", "09:45")]
    # The next module follows straight on; its pages are 10, 10 and 5 minutes.
    assert plan_rows(guide, "practice") == [("practice/check", "09:45", "09:55"), ("practice/case", "09:55", "10:05"),
                                           ("practice/exam", "10:05", "10:10")]
    cover = guide.xpath("//dd[@class='cover-session']")[0].text_content()
    assert "09:00" in cover and "10:10" in cover
    assert guide.xpath("//dd[@class='cover-time']")[0].text_content() == "1 h 10 min"


def test_breaks_after_a_page_and_a_module_from_another_start(tiny_report: BuildReport, tiny: Path) -> None:
    made, _ = make_documents(tiny_report, tiny, start="13:30", breaks=["basics/second=5", "basics=15"])
    guide = parse(made["tiny-docs-2.0-facilitator.html"])
    assert plan_rows(guide, "basics") == [
        ("basics/first", "13:30", "13:40"), ("basics/second", "13:40", "13:55"), ("break", "13:55", "14:00"),
        ("basics/third", "14:00", "14:20"), ("break", "14:20", "14:35")]
    module = guide.xpath("//section[@data-module='basics']")[0]
    assert (module.get("data-start"), module.get("data-end")) == ("13:30", "14:20")
    assert plan_rows(guide, "practice")[0] == ("practice/check", "14:35", "14:45")
    overview = [row.text_content().split() for row in guide.xpath("//table[contains(@class,'plan--overview')]/tbody/tr")]
    assert [row[0] for row in overview] == ["13:30–14:20", "14:20–14:35", "14:35–15:00"]


def test_the_plan_itself(tiny_report: BuildReport) -> None:
    toc = tiny_report.site.context["toc"]
    schedule = plan(toc, parse_start("23:50"), [Break("practice/check", 30)])
    assert (schedule.start, schedule.end, schedule.minutes, schedule.break_minutes) == ("23:50", "01:30", 70, 30)
    assert [p.minutes for p in schedule.modules] == [45, 55]
    assert parse_break(" basics = 15 ") == Break("basics", 15)


@pytest.mark.parametrize("start, breaks, message", [
    ("9h", [], "'9h' is not a time of day"),
    ("25:00", [], "not a time of day"),
    ("09:00", ["basics"], "is not AFTER=MINUTES"),
    ("09:00", ["basics=0"], "is not AFTER=MINUTES"),
    ("09:00", ["basic=10"], "did you mean 'basics'"),
    ("09:00", ["basics/thrid=10"], "did you mean 'basics/third'"),
])
def test_wrong_start_or_break_is_explained(tiny_report: BuildReport, tiny: Path, start: str, breaks: list[str],
                                           message: str) -> None:
    with pytest.raises(Exception) as raised:
        make_documents(tiny_report, tiny, start=start, breaks=breaks)
    assert message in raised.value.format_message()


# -- the guide against the sources -------------------------------------------------------------------

def test_every_quiz_answer_key_matches_its_source(guide: lxml.html.HtmlElement) -> None:
    quizzes = source_pages(SAMPLE, "*.quiz.yaml")
    assert len(quizzes) >= 7
    for quiz_id, quiz in quizzes:
        section = guide.xpath(f"//section[@data-page='{quiz_id}']")
        assert len(section) == 1, quiz_id
        keys = section[0].xpath(".//div[@data-key]")
        assert [k.get("data-key") for k in keys] == [f"{quiz_id}/{q['id']}" for q in quiz["questions"]]
        for key, question in zip(keys, quiz["questions"]):
            assert_key_matches(key, question)


def test_every_inline_check_has_its_answer_in_the_guide(guide: lxml.html.HtmlElement) -> None:
    checks = list(inline_checks(SAMPLE))
    assert len(checks) > 10
    for check_key, question in checks:
        key = guide.xpath(f"//div[@data-key='{check_key}']")
        assert len(key) == 1, check_key
        assert_key_matches(key[0], question)


def test_every_scenario_node_branch_and_ending_is_in_the_guide(guide: lxml.html.HtmlElement) -> None:
    scenarios = source_pages(SAMPLE, "*.scenario.yaml")
    assert len(scenarios) >= 7
    for scenario_id, scenario in scenarios:
        section = guide.xpath(f"//section[@data-page='{scenario_id}']")[0]
        nodes = section.xpath(".//section[@data-node]")
        assert nodes[0].get("data-node") == scenario["start"]
        assert {n.get("data-node") for n in nodes} == set(scenario["nodes"])
        for node in nodes:
            source = scenario["nodes"][node.get("data-node")]
            assert words(source["text"]) in text_of(node)
            rows = node.xpath(".//tr[@data-goto]")
            choices = source.get("choices", [])
            assert [(r.get("data-goto"), float(r.get("data-points"))) for r in rows] == [
                (default_target(c), float(c.get("points", 0))) for c in choices]
            for row, choice in zip(rows, choices):
                assert text_of(by_class(row, "choice-text", ".//")[0]).startswith(words(choice["text"]))
                assert text_of(by_class(row, "choice-feedback", ".//")[0]) == words(choice.get("feedback", ""))
                links = [a[1:] for a in row.xpath(".//td[contains(@class, 'choice-target')]//a/@href")]
                branches = choice["goto"] if isinstance(choice["goto"], list) else [{"node": choice["goto"]}]
                assert [section.xpath(f".//section[@id='{link}']/@data-node")[0] for link in links] == \
                    [b["node"] for b in branches]
                if isinstance(choice["goto"], list):  # the map says when each way is taken
                    routes = [text_of(li) for li in row.xpath(".//ul[contains(@class, 'routes')]/li")]
                    for route, branch in zip(routes, branches):
                        assert route.startswith(words(f"If {branch['if']}" if "if" in branch else "Otherwise")), route
                for flag in choice.get("set", []):
                    assert words(flag) in text_of(by_class(row, "choice-remembers", ".//")[0])
            if source.get("ending"):
                assert f"ending--{source['ending']}" in node.get("class")
                debrief = text_of(by_class(node, "debrief", ".//")[0])
                parts = source["debrief"] if isinstance(source["debrief"], list) else [{"text": source["debrief"]}]
                for part in parts:
                    assert words(part["text"]) in debrief
                    if "if" in part:
                        assert words(f"If {part['if']}") in debrief


def default_target(choice: dict) -> str:
    """Where a choice leads when no condition holds: its goto, or its last branch."""
    return choice["goto"] if isinstance(choice["goto"], str) else choice["goto"][-1]["node"]


def test_the_guide_holds_objectives_notes_and_the_annexes(guide: lxml.html.HtmlElement) -> None:
    pages = [p for pattern in ("*.md", "*.quiz.yaml", "*.scenario.yaml") for p in source_pages(SAMPLE, pattern)]
    for pid, data in pages:
        section = guide.xpath(f"//section[@data-page='{pid}']")[0]
        for objective in data.get("objectives", []):
            assert words(objective) in text_of(section)
        if data.get("facilitator"):
            assert text_of(by_class(section, "notes", ".//")[0]).endswith(words(data["facilitator"]))
        if data.get("summary"):
            assert words(data["summary"]) in text_of(section)
    glossary = yaml.safe_load((SAMPLE / "glossary.yaml").read_text(encoding="utf-8"))
    assert len(guide.xpath("//section[@id='glossary']//div[@class='glossary-entry']")) == len(glossary)
    frameworks = yaml.safe_load((SAMPLE / "frameworks.yaml").read_text(encoding="utf-8"))
    assert {a.get("id") for a in guide.xpath("//section[@id='frameworks']/article")} == {
        f"fw-{i['id']}" for i in frameworks}
    assert len(guide.xpath("//section[@class='module']")) == len(list((SAMPLE / "modules").iterdir()))


# -- the handout gives nothing away --------------------------------------------------------------------

ANSWER_MARKUP = ("key", "key-option", "key-answer", "key-accepted", "key-pair", "key-order", "notes", "debrief",
                 "is-correct", "node--ending", "key-feedback")


def secrets(source: Path) -> list[str]:
    """Every text that reveals an answer or is meant for the trainer only, as words."""
    found: list[str] = []
    for _, data in source_pages(source, "*.md") + source_pages(source, "*.scenario.yaml") + source_pages(
            source, "*.quiz.yaml"):
        found.append(data.get("facilitator", ""))
        for node in (data.get("nodes") or {}).values():
            debrief = node.get("debrief", "")
            found += [p["text"] for p in debrief] if isinstance(debrief, list) else [debrief]
            found += [c.get("feedback", "") for c in node.get("choices", [])]
            if node.get("ending"):
                found.append(node["text"])
        for question in data.get("questions", []):
            found += [question.get("explanation", ""), *(question.get("feedback") or {}).values()]
            found += [o.get("feedback", "") for o in question.get("options", [])]
    for _, question in inline_checks(source):
        found += [question.get("explanation", ""), *(question.get("feedback") or {}).values()]
        found += [o.get("feedback", "") for o in question.get("options", [])]
    return [w for w in map(words, found) if len(w) >= 24]


def test_the_handout_holds_no_answers(handout: lxml.html.HtmlElement) -> None:
    for name in ANSWER_MARKUP:
        assert by_class(handout, name) == [], name
    assert handout.xpath("//*[@data-correct or @data-answer or @data-goto or @data-points]") == []
    assert handout.xpath("//script") == []
    text = text_of(handout.body)
    leaks = [secret for secret in secrets(SAMPLE) if secret in text]
    assert leaks == []
    assert len(secrets(SAMPLE)) > 100


def test_the_handout_asks_knowledge_checks_but_not_assessments(handout: lxml.html.HtmlElement) -> None:
    for quiz_id, quiz in source_pages(SAMPLE, "*.quiz.yaml"):
        section = handout.xpath(f"//section[@data-page='{quiz_id}']")[0]
        prompts = [words(q["prompt"]) for q in quiz["questions"]]
        shown = [text_of(by_class(t, "self-test-prompt", ".//")[0]) for t in by_class(section, "self-test", ".//")]
        assert shown == ([] if quiz.get("kind") == "assessment" else prompts), quiz_id


def test_the_handout_scrambles_what_would_give_the_order_away(tiny_report: BuildReport, tiny: Path) -> None:
    made, _ = make_documents(tiny_report, tiny)
    handout = parse(made["tiny-docs-2.0-handout.html"])
    quiz = yaml.safe_load((tiny / "modules/02-practice/01-check.quiz.yaml").read_text(encoding="utf-8"))
    questions = {q["id"]: q for q in quiz["questions"]}
    order = handout.xpath("//div[@data-key='practice/check/order']//ul[@class='self-test-order']/li")
    shown = [text_of(li) for li in order]
    assert sorted(shown) == sorted(words(i) for i in questions["order"]["items"])
    assert all(s != words(i) for s, i in zip(shown, questions["order"]["items"]))
    answers = [text_of(li) for li in handout.xpath("//div[@data-key='practice/check/match']//ol[@class='match-answers']/li")]
    assert all(a != words(p["right"]) for a, p in zip(answers, questions["match"]["pairs"]))
    # The inline check in the lesson body is printed the same way, instead of the web course's controls.
    check = handout.xpath("//div[@data-key='basics/first/check-1']")
    assert len(check) == 1 and check[0].xpath(".//select | .//input") == []
    assert handout.xpath("//details[@open]"), "collapsed sections print open"


# -- standing alone --------------------------------------------------------------------------------------

def assert_self_contained(tree: lxml.html.HtmlElement) -> None:
    assert tree.xpath("//script | //link | //iframe | //object | //embed") == []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in LOADING:
            value = element.get(name)
            if value is None:
                continue
            if element.tag == "a" and name == "href":
                assert value.startswith(("#", "data:", "https://", "http://")), value
            else:
                assert value.startswith(("data:", "#")), f"<{element.tag} {name}={value[:60]}>"
        assert "url(" not in (element.get("style") or "") or "url(data:" in element.get("style")
    assert "file:" not in lxml.html.tostring(tree, encoding="unicode")
    for style in tree.xpath("//style"):
        assert re.findall(r"url\((?!\s*['\"]?data:)", style.text or "") == []


def test_documents_are_self_contained(sample_documents: dict[str, str]) -> None:
    for html in sample_documents.values():
        assert_self_contained(parse(html))


def test_documents_open_offline_with_no_script(sample_documents: dict[str, str], tmp_path: Path,
                                              new_page: Callable[..., GuardedPage]) -> None:
    for name, html in sample_documents.items():
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        opened = new_page(java_script_enabled=False)
        opened.page.goto(file_url(path))
        broken = opened.page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.naturalWidth).length")
        assert broken == 0
        if name.endswith("-handout.html"):
            assert opened.page.locator("img").count() >= 4, "the lessons' pictures"
        opened.guard.assert_clean()


PRINT_STYLES = """() => {
  const style = (selector, property) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element)[property] : "absent";
  };
  const pageRules = [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSPageRule);
  return {
    row: style("table.plan tbody tr", "breakInside"), head: style("table.plan thead", "display"),
    choiceRow: style("table.choices tbody tr", "breakInside"), prose: style(".prose table tr", "breakInside"),
    module: style("section.module", "breakBefore"), annex: style("section.annex", "breakBefore"),
    img: style("img", "breakInside"), heading: style("h3", "breakAfter"), key: style(".key", "breakInside"),
    test: style(".self-test", "breakInside"),
    pageMargin: pageRules.some((r) => Boolean(r.style.marginTop || r.style.margin)),
    pageSize: pageRules.some((r) => Boolean(r.style.size)),
  };
}"""


@pytest.mark.parametrize("kind, expected", [
    ("facilitator", {"row": "avoid", "head": "table-header-group", "choiceRow": "avoid", "key": "avoid",
                     "test": "absent"}),
    ("handout", {"row": "absent", "prose": "avoid", "img": "avoid", "key": "absent", "test": "avoid"}),
])
def test_print_styles_keep_rows_and_figures_whole(sample_documents: dict[str, str], tmp_path: Path,
                                                  new_page: Callable[..., GuardedPage], kind: str,
                                                  expected: dict[str, str]) -> None:
    path = tmp_path / f"{kind}.html"
    path.write_text(next(v for k, v in sample_documents.items() if k.endswith(f"-{kind}.html")), encoding="utf-8")
    opened = new_page()
    opened.page.goto(file_url(path))
    opened.page.emulate_media(media="print")
    styles = opened.page.evaluate(PRINT_STYLES)
    assert styles == {**styles, "module": "page", "annex": "page", "heading": "avoid", "pageMargin": True,
                      "pageSize": False, **expected}
    opened.guard.assert_clean()


# -- languages and the command ------------------------------------------------------------------------------

def test_each_translation_has_its_own_documents(tiny_report: BuildReport, tiny: Path) -> None:
    made, issues = make_documents(tiny_report, tiny)
    assert issues == []
    assert sorted(made) == ["tiny-docs-2.0-es-facilitator.html", "tiny-docs-2.0-es-handout.html",
                            "tiny-docs-2.0-facilitator.html", "tiny-docs-2.0-handout.html"]
    guide = parse(made["tiny-docs-2.0-es-facilitator.html"])
    assert guide.get("lang") == "es"
    assert by_class(guide, "cover-kind")[0].text_content() == "Guía del facilitador"
    first = guide.xpath("//section[@data-page='basics/first']")[0]
    assert "Primera lección" in first.text_content()
    assert "Pregunte a la sala" in by_class(first, "notes", ".//")[0].text_content()
    assert text_of(first.xpath(".//ol[@class='key-order']")[0]).startswith("escuchar a la persona")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_build_facilitator_writes_the_guide_and_the_handout(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course_src")
    code, output = run("build", str(source), "--out", str(tmp_path / "dist"))
    assert code == 0 and sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["web"]
    code, output = run("build", str(source), "--out", str(tmp_path / "dist"), "--facilitator",
                       "--start", "10:00", "--break", "basics=30")
    assert code == 0, output
    guide = tmp_path / "dist" / "tiny-docs-2.0-facilitator.html"
    assert f"wrote {guide}" in output
    assert (tmp_path / "dist" / "tiny-docs-2.0-handout.html").is_file()
    assert parse(guide.read_text(encoding="utf-8")).xpath("//section[@data-module='practice']/@data-start") == ["11:15"]
    assert not list((tmp_path / "dist").glob(".*"))


def test_a_failed_edition_writes_nothing_and_keeps_the_last_documents(tmp_path: Path) -> None:
    source = write_course(tmp_path / "course_src", picture_kb=3)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "tiny-docs-2.0-facilitator.html").write_text("the last good guide", encoding="utf-8")
    code, output = run("build", str(source), "--out", str(dist), "--facilitator", "--single-file",
                       "--max-media-kb", "2")
    assert code == 1
    assert re.search(r"media/picture\.svg:1:1: error: 'media/picture\.svg' is 3\.\d KB, over the 2 KB limit", output)
    assert "no single-file edition, guide, handout or PDF was written" in output
    assert sorted(p.name for p in dist.iterdir()) == ["tiny-docs-2.0-facilitator.html", "web"]
    assert (dist / "tiny-docs-2.0-facilitator.html").read_text(encoding="utf-8") == "the last good guide"


# -- the theme's document sources --------------------------------------------------------------------------

def test_document_styles_and_strings_follow_the_theme_rules() -> None:
    from test_learner_theme import PHYSICAL, STRINGS, strip_css_comments, template_keys

    documents = ROOT / "themes" / "default" / "documents"
    for sheet in documents.glob("*.css"):
        css = strip_css_comments(sheet.read_text(encoding="utf-8"))
        assert not [m.group(0) for m in PHYSICAL.finditer(css)], f"{sheet.name}: use logical properties"
    english = yaml.safe_load((documents / "locales" / "en.yaml").read_text(encoding="utf-8"))
    templates = (ROOT / "themes" / "default" / "templates" / "documents").rglob("*.html")
    used = template_keys(templates) | {f"doc_type_{t}" for t in QUESTION_TYPES} | {
        f"doc_quiz_feedback_{f}" for f in ("immediate", "end")} | {"doc_guide", "doc_handout", "doc_hours_minutes",
                                                                   "doc_hours", "doc_minutes"}
    assert sorted(k for k in used if k not in english and k not in STRINGS) == []
    assert sorted(k for k in english if k not in used) == []
    for translation in (documents / "locales").glob("*.yaml"):
        assert set(yaml.safe_load(translation.read_text(encoding="utf-8"))) == set(english), translation.name


def test_the_arrow_between_pairs_points_the_way_each_language_reads(sample_documents: dict[str, str]) -> None:
    """Matching and categorisation keys: item → answer in English, answer ← item in Arabic and Persian
    (right to left, the item is on the right)."""
    seen = {}
    for name, html in sample_documents.items():
        tree = parse(html)
        arrows = {cell.text_content() for cell in by_class(tree, "key-arrow")}
        if arrows:
            seen[tree.get("lang")] = arrows
    assert seen.get("en") == {"→"}, seen
    assert seen.get("ar") == {"←"}, seen
    assert all(arrows == ({"←"} if lang in ("ar", "fa") else {"→"}) for lang, arrows in seen.items()), seen
