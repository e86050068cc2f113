"""WCAG 2.1 AA with axe-core, in both themes, in English, Arabic and Persian: the pages of the sample
course and every interactive state a learner meets (feedback on right and wrong answers, a quiz
result, a scenario at a choice and at an ending, glossary and legal-reference cards, the filtered
glossary, the end screen, the resume offer, the reset dialog, the menu on a 360 px screen), then
the same states in the dark colour scheme. One browser page per (theme, language) walks through
them all, collects every violation, and fails once at the end with a list of them. Every page is
checked in the default theme in English; in the other themes and languages, every page whose
markup holds something no page before it held (an element of another kind or place, a heading
step, a control without words), so each kind of page and each content block is checked in each.

Besides axe: live regions that announce feedback, marks that say right and wrong in words and
icons (not colour alone), reduced motion, text alternatives, and reflow at 320 px and at 200 %
zoom without horizontal scrolling.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from browser import WCAG_TAGS, GuardedPage, file_url, load_axe
from test_learner_support import (
    CURRENT,
    course_data,
    after_choice,
    extreme_path,
    give_answer,
    question_box,
    response_for,
    shown_questions,
)

THEMES = ["default", "civic"]
_SAMPLE = yaml.safe_load((Path(__file__).resolve().parents[1] / "course_src" / "course.yaml").read_text("utf-8"))
# Persian too, once the sample course is translated into it.
LANGUAGES = ["en", "ar", *(["fa"] if "fa" in (_SAMPLE.get("translations") or []) else [])]

# Rules outside the WCAG tags that the course keeps as well: headings in order, every piece of
# content inside a landmark, one main landmark, landmarks told apart by their names.
STRUCTURE_RULES = [
    "heading-order",
    "page-has-heading-one",
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "skip-link",
]

# The pages not on show are `display: none`, outside what any learner perceives. Taking them out
# of the document while axe runs makes a run several times faster (the sample course is one HTML
# page of some 5,000 elements) and hides nothing axe reports on: they are put back at once. What
# the whole document must get right (ids unique, every reference to an id resolved) is checked
# apart, in `Audit.check_ids`.
_AXE_RUN = """
async ({tags, rules}) => (await axeWithoutHiddenPages(document, {
  runOnly: {type: 'tag', values: tags},
  rules: Object.fromEntries(rules.map((id) => [id, {enabled: true}])),
  resultTypes: ['violations'],
})).map((v) => ({...v, nodes: v.nodes.map((n) => ({...n, summary: n.failureSummary}))}))
"""

# Ids used twice, and references (labels, descriptions, controls, in-page links) to no element.
_ID_PROBLEMS = """
() => {
  const problems = [];
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) problems.push(`id "${el.id}" is used twice`);
    seen.add(el.id);
  }
  for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'for']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${el.tagName.toLowerCase()} ${attr}="${id}": no such id`);
      }
    }
  }
  for (const link of document.querySelectorAll('a[href^="#"]')) {
    const target = decodeURIComponent(link.getAttribute('href').slice(1));
    if (target && !target.startsWith('/') && !document.getElementById(target)) {
      problems.push(`a href="#${target}": no such id`);
    }
  }
  return problems;
}
"""

# The reference pages a paged course loads on demand, in the document.
_LOAD_REFERENCES = """
() => Promise.all(Coursewright.pages.apart().map((id) => new Promise((done) => Coursewright.pages.load(id, () => done()))))
"""


class Audit:
    """axe-core runs on one page, violations collected with where they were found."""

    def __init__(self, page: Page, label: str) -> None:
        self.page = page
        self.label = label
        self.found: list[tuple[str, dict[str, Any]]] = []
        self.runs = 0

    def check(self, where: str) -> None:
        load_axe(self.page)
        settle(self.page)
        violations = self.page.evaluate(_AXE_RUN, {"tags": WCAG_TAGS, "rules": STRUCTURE_RULES})
        self.runs += 1
        self.found.extend((where, violation) for violation in violations)

    def check_ids(self, where: str) -> None:
        # Links to glossary entries and articles resolve once the runtime has brought their page
        # (pages/glossary.js, pages/frameworks.js), as it does when one is followed: brought first.
        self.page.evaluate(_LOAD_REFERENCES)
        for problem in self.page.evaluate(_ID_PROBLEMS):
            self.found.append((where, {"id": "ids", "impact": "serious", "help": problem, "nodes": []}))

    def report(self) -> str:
        lines = [f"{self.label}: {len(self.found)} accessibility violations in {self.runs} axe runs"]
        for where, violation in self.found:
            lines.append(f"- [{where}] {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:4]:
                lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
                summary = " ".join(line.strip() for line in node["summary"].splitlines()[1:3] if line.strip())
                if summary:
                    lines.append(f"      {summary[:240]}")
            if len(violation["nodes"]) > 4:
                lines.append(f"    ... and {len(violation['nodes']) - 4} more elements")
        return "\n".join(lines)


def settle(page: Page) -> None:
    """Wait for running colour transitions (a hover, a colour scheme just switched) to end: colours
    caught half-way are not the ones a learner reads. (A progress bar growing is no matter.)"""
    page.evaluate("""() => Promise.race([
        Promise.all(document.getAnimations()
            .filter((a) => !a.transitionProperty || /color|background|border|outline|opacity|all/.test(a.transitionProperty))
            .map((a) => a.finished.catch(() => null))),
        new Promise((done) => setTimeout(done, 2000)),
    ])""")


# --- the courses (the sample course in each theme: conftest's ``courses``) ----------------------

def index_of(dist: Path, language: str) -> Path:
    index = dist / "web" / ("index.html" if language == "en" else f"{language}/index.html")
    assert index.is_file(), f"the build wrote no {index.relative_to(dist)}"
    return index


# --- moving around ---------------------------------------------------------------------------

def show(page: Page, page_id: str) -> Locator:
    page.evaluate("id => { location.hash = '#/' + id; }", page_id)
    section = page.locator(f"{CURRENT}[data-page='{page_id}']")
    expect(section).to_be_visible()
    return section


# What axe weighs in a page's markup, as tokens: each element's tag, classes, role, type and the
# names of its other attributes, under its parent's tag; elements that could need words (links,
# buttons, headings, labels, table cells) and have none; each step from one heading level to the
# next, and how many h1 the page has.
_MARKUP = """
(section) => {
  const tokens = new Set();
  const named = new Set(['A', 'BUTTON', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LABEL', 'TH', 'TD', 'SUMMARY', 'LEGEND']);
  for (const el of [section, ...section.querySelectorAll('*')]) {
    const attributes = [...el.attributes].map((a) => a.name)
      .filter((name) => !['class', 'role', 'type'].includes(name)).sort();
    tokens.add(`${el.parentElement?.tagName}>${el.tagName}.${[...el.classList].sort().join('.')}`
      + `[${el.getAttribute('role') ?? ''}|${el.getAttribute('type') ?? ''}|${attributes.join(',')}]`);
    if (named.has(el.tagName) && !el.textContent.trim() && !el.querySelector('img[alt], svg[aria-label]')) {
      tokens.add(`${el.tagName} without words`);
    }
  }
  const levels = [...section.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => h.tagName);
  levels.forEach((level, i) => tokens.add(`${levels[i - 1] ?? 'start'} then ${level}`));
  tokens.add(`${levels.filter((level) => level === 'H1').length} h1`);
  return [...tokens];
}
"""


def new_markup(page: Page, seen: set[str]) -> bool:
    """Whether the page on show holds markup of a kind no page before it held (its tokens are added
    to ``seen``): a page of a kind already checked, with other words in it, is left to the check of
    every page in one theme and language."""
    tokens = set(page.locator(CURRENT).evaluate(_MARKUP))
    new = tokens - seen
    seen |= tokens
    return bool(new)


def first_page_with(page: Page, selector: str) -> str:
    page_id = page.evaluate(
        "sel => document.querySelector('main > section.page ' + sel)?.closest('section.page').dataset.page ?? null",
        selector)
    assert page_id, f"no page of the sample course has {selector}"
    return page_id


def check_answer(box: Locator) -> None:
    box.locator("[data-action='check']").click()
    expect(box.locator(".question-feedback")).to_be_visible()


def answer_all(section: Locator, quiz: dict[str, Any], *, right: Callable[[int], bool], check: bool) -> None:
    for n, question in enumerate(shown_questions(section, quiz)):
        box = question_box(section, question["key"])
        give_answer(box, question, response_for(question, right(n)))
        if check:
            check_answer(box)


def play_to_ending(section: Locator, choices: list[int]) -> None:
    for index in choices:
        section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
        after_choice(section)
    expect(section.locator(".scenario-ending:not([hidden])")).to_be_visible()


def completed_state(data: dict[str, Any]) -> dict[str, Any]:
    """A saved state (the runtime's own format) of a learner who read every page and passed every
    quiz and scenario with full marks."""
    quizzes = {}
    for page_id, quiz in data["quizzes"].items():
        questions = quiz["questions"][: quiz["draw"]] if quiz["draw"] else quiz["questions"]
        points = sum(q["points"] for q in questions)
        quizzes[page_id] = {"attempt": 1, "seed": 1, "answers": {}, "checked": {}, "submitted": True,
                            "results": [{"points": points, "max": points, "passed": True}]}
    scenarios = {}
    for page_id, scenario in data["scenarios"].items():
        ending = next(node for node, info in scenario["nodes"].items() if info["ending"] == "good")
        scenarios[page_id] = {"node": ending, "path": [], "points": scenario["max_points"], "ended": True,
                              "runs": [{"points": scenario["max_points"], "ending": "good"}]}
    return {"v": 1, "location": "end", "visited": [p["id"] for p in data["pages"]],
            "quizzes": quizzes, "checks": {}, "scenarios": scenarios}


def open_card(page: Page, selector: str) -> None:
    page.locator(f"{CURRENT} {selector}").first.click()
    expect(page.locator(".ref-card")).to_be_focused()


# --- axe on every page and every state -------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_axe_on_every_page_and_state(
    courses: dict[str, Path], new_page: Callable[..., GuardedPage], js_modules: Path, theme: str, language: str
) -> None:
    guarded = new_page(color_scheme="light", viewport={"width": 1280, "height": 900})
    page = guarded.page
    url = file_url(index_of(courses[theme], language))
    audit = Audit(page, f"{theme} theme, {language}")
    page.goto(url)
    data = course_data(page)
    pages = [p["id"] for p in data["pages"]]

    # Every page, as it first shows: all of them in the first theme and language; in the others,
    # each page that holds markup no page before it held (see `new_markup`).
    audit.check_ids("the whole document")
    every_page = (theme, language) == (THEMES[0], LANGUAGES[0])
    seen: set[str] = set()
    for page_id in [*pages, "glossary", "frameworks", "end"]:
        show(page, page_id)
        if new_markup(page, seen) or every_page:
            audit.check(page_id)

    # The language picker open.
    show(page, pages[0])
    page.locator(".language-picker summary").click()
    expect(page.locator(".language-list")).to_be_visible()
    audit.check("language picker open")
    page.keyboard.press("Escape")
    expect(page.locator(".language-list")).to_be_hidden()

    # Cards in place: a glossary term and a legal reference.
    lesson = first_page_with(page, "a.term-ref")
    show(page, lesson)
    open_card(page, "a.term-ref")
    audit.check(f"{lesson}: glossary card open")
    legal = first_page_with(page, "a.legal-ref")
    show(page, legal)
    open_card(page, "a.legal-ref")
    audit.check(f"{legal}: legal reference card open")
    page.keyboard.press("Escape")

    # An inline check answered wrong.
    check_page = first_page_with(page, ".inline-check")
    section = show(page, check_page)
    box = section.locator(".inline-check").first
    question = data["checks"][box.get_attribute("data-check")]
    give_answer(box.locator(".question"), question, response_for(question, False))
    check_answer(box)
    audit.check(f"{check_page}: inline check answered wrong")

    # A knowledge check with immediate feedback: one answer right, one wrong, then the result.
    quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "immediate")
    quiz = data["quizzes"][quiz_id]
    section = show(page, quiz_id)
    answer_all(section, quiz, right=lambda n: n % 2 == 0, check=True)
    audit.check(f"{quiz_id}: feedback on right and wrong answers")
    section.locator("[data-action='submit']").click()
    expect(section.locator(".quiz-result")).to_be_visible()
    audit.check(f"{quiz_id}: result screen")

    # The assessment (feedback at the end): every question type marked, the correct answers shown.
    final_id = next((i for i, q in data["quizzes"].items() if q["feedback"] == "end"), None)
    if final_id:
        final = data["quizzes"][final_id]
        section = show(page, final_id)
        answer_all(section, final, right=lambda n: n % 3 != 0, check=False)
        section.locator("[data-action='submit']").click()
        expect(section.locator(".quiz-result")).to_be_visible()
        audit.check(f"{final_id}: result screen and review")

    # A scenario at a choice (feedback on the first one), then at its ending.
    scenario_id, scenario = next(iter(data["scenarios"].items()))
    section = show(page, scenario_id)
    choices, _ = extreme_path(scenario, False)
    section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{choices[0]}']").click()
    expect(section.locator(".scenario-feedback")).to_be_visible()
    audit.check(f"{scenario_id}: at a choice, with feedback")
    play_to_ending(section, choices[1:])
    audit.check(f"{scenario_id}: at an ending")

    # The glossary filtered (some terms found, then none), the end screen with results.
    section = show(page, "glossary")
    term = section.locator(".glossary-term").first.text_content().strip()
    section.locator(".filter-input").fill(term[:3])
    expect(section.locator(".filter-count")).not_to_be_empty()
    audit.check(f"glossary: filtered by {term[:3]!r}")
    section.locator(".filter-input").fill("zzqqzz")
    expect(section.locator(".filter-empty")).to_be_visible()
    audit.check("glossary: filtered, nothing found")
    section.locator(".filter-input").fill("")
    show(page, "end")
    audit.check("end: after a quiz and a scenario")

    # The reset dialog, open over the page.
    page.locator("#end [data-action='reset']").click()
    expect(page.locator("#reset-dialog")).to_be_visible()
    audit.check("reset dialog open")
    page.locator("#reset-dialog [data-action='reset-cancel']").click()

    # Back later: the course offers to resume where the learner stopped.
    show(page, pages[2])
    page.goto(url)
    expect(page.locator("#resume")).to_be_visible()
    audit.check("resume offer")

    # A phone: the contents open from the menu button.
    page.set_viewport_size({"width": 360, "height": 740})
    page.locator(".menu-button").click()
    expect(page.locator("#toc")).to_be_visible()
    audit.check("360 px: menu open")
    page.locator(".menu-button").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The dark colour scheme: a lesson with a card open, the quiz with its feedback, the scenario
    # at its ending, the glossary and the end screen (the states above are kept).
    page.emulate_media(color_scheme="dark")
    show(page, lesson)
    audit.check(f"dark: {lesson}")
    open_card(page, "a.term-ref")
    audit.check(f"dark: {lesson}: glossary card open")
    show(page, check_page)
    audit.check(f"dark: {check_page}: inline check feedback")
    show(page, quiz_id)
    audit.check(f"dark: {quiz_id}: feedback and result")
    if final_id:
        show(page, final_id)
        audit.check(f"dark: {final_id}: review")
    show(page, scenario_id)
    expect(page.locator(f"{CURRENT} .scenario-ending:not([hidden])")).to_be_visible()
    audit.check(f"dark: {scenario_id}: at an ending")
    show(page, "frameworks")
    audit.check("dark: frameworks")
    show(page, "end")
    audit.check("dark: end")

    # A learner who has finished and passed the course: the end screen offers a certificate
    # (first asked for without a name: the error), then shows it, in the dark and in the light.
    completed = completed_state(data)
    page.evaluate("([key, state]) => localStorage.setItem(key, JSON.stringify(state))",
                  [f"coursewright:{data['id']}:{data['version']}", completed])
    page.goto("about:blank")
    page.goto(f"{url}#/end")
    offer = page.locator("#end .certificate-offer")
    expect(offer).to_be_visible()
    audit.check("dark: end, course completed and passed")
    offer.locator("button[type='submit']").click()
    expect(offer.locator(".certificate-error")).to_be_visible()
    audit.check("dark: end, certificate asked for without a name")
    offer.locator("input[name='name']").fill("Amal Haddad")
    offer.locator("button[type='submit']").click()
    expect(offer.locator(".certificate-result")).to_be_visible()
    audit.check("dark: end, certificate")
    page.emulate_media(color_scheme="light")
    audit.check("end, certificate")

    audit.check_ids("the whole document, after every state")
    assert not audit.found, audit.report()
    guarded.guard.assert_clean()


# --- structure, text alternatives ------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_landmarks_headings_and_text_alternatives(built_course: Path, language: str) -> None:
    """In the HTML as built (every page, JavaScript or not): one banner, contents navigation, main
    and footer; each page opens with its one h1 and never skips a heading level; every image has
    a text alternative and every icon is hidden from screen readers."""
    from lxml import html

    root = html.parse(str(index_of(built_course, language))).getroot()
    body = root.find("body")
    assert root.get("lang") == language
    for xpath, what in (("header[@class='site-header']", "banner"), ("div/nav[@id='toc']", "contents navigation"),
                        ("div/main[@id='main']", "main"), ("footer[@class='site-footer']", "footer")):
        assert len(body.xpath(xpath)) == 1, f"{language}: one {what} landmark ({xpath}) expected"
    assert body.xpath("a[@class='skip-link']/@href") == ["#main"]
    assert body.xpath("div/nav[@id='toc']/@aria-labelledby") == ["toc-title"]

    problems = []
    for section in body.xpath("div/main/section[contains(@class, 'page')]"):
        where = section.get("data-page")
        levels = [int(h.tag[1]) for h in section.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{where}: headings {levels}: one h1 first")
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{where}: heading h{after} after h{before} skips a level")
        if not section.get("aria-labelledby"):
            problems.append(f"{where}: the page section is not named by its heading")
    for img in body.iter("img"):
        if not (img.get("alt") or "").strip():
            problems.append(f"<img src={img.get('src')!r}> has no text alternative")
    for svg in body.iter("{http://www.w3.org/2000/svg}svg", "svg"):
        if svg.get("aria-hidden") != "true" and not (svg.get("role") == "img" and svg.get("aria-label")):
            problems.append(f"an <svg class={svg.get('class')!r}> is neither hidden nor labelled")
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def media_course(repo_root: Path, built_course: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course (English only) with a video and an audio recording, each with its WebVTT
    captions beside it, in the first lesson; the web course's index.html."""
    from builder.build import build

    root = tmp_path_factory.mktemp("media")
    source = root / "course"
    shutil.copytree(repo_root / "course_src", source, ignore=shutil.ignore_patterns("translations"))
    course_yaml = source / "course.yaml"
    course_yaml.write_text(re.sub(r"(?m)^translations:.*$", "", course_yaml.read_text(encoding="utf-8")),
                           encoding="utf-8")
    for stem in ("clip", "talk"):
        (source / "media" / f"{stem}.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nA caption\n", encoding="utf-8")
    (source / "media" / "clip.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    (source / "media" / "talk.mp3").write_bytes(b"ID3\x04\0\0\0\0\0\0")
    lesson = sorted((source / "modules").glob("*/01-*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8")
                      + "\n\n![A short clip](../../media/clip.mp4)\n\n![A short talk](../../media/talk.mp3)\n",
                      encoding="utf-8")
    build(source, root / "dist")
    media = root / "dist" / "web" / "media"
    assert all((media / name).is_file() for name in ("clip.mp4", "talk.mp3"))
    return root / "dist" / "web" / "index.html"


def test_video_and_audio_play_with_their_captions_track(
    media_course: Path, new_page: Callable[..., GuardedPage], js_modules: Path
) -> None:
    """`![Label](clip.mp4)` with `clip.vtt` beside it (and the same for audio): each player has a
    captions track and a name for screen readers; axe finds nothing; at 320 px the players fit."""
    guarded = new_page(viewport={"width": 320, "height": 640})
    page = guarded.page
    page.goto(file_url(media_course))
    tracks = page.evaluate("""() => [...document.querySelectorAll('.media-player')].map(v => ({
        tag: v.tagName.toLowerCase(), label: v.getAttribute('aria-label'), kinds: [...v.textTracks].map(t => t.kind)}))""")
    assert tracks == [{"tag": "video", "label": "A short clip", "kinds": ["captions"]},
                      {"tag": "audio", "label": "A short talk", "kinds": ["captions"]}]
    widths = page.evaluate("""() => [...document.querySelectorAll('.media-player')].map(
        (m) => [m.getBoundingClientRect().width, m.parentElement.getBoundingClientRect().width])""")
    assert all(player <= column + 0.5 for player, column in widths), f"players wider than their column: {widths}"
    audit = Audit(page, "a lesson with video and audio")
    audit.check("lesson with players, 320 px")
    assert not audit.found, audit.report()


def test_captions_load_when_the_course_is_opened_from_a_file(
    media_course: Path, new_page: Callable[..., GuardedPage]
) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(media_course))
    page.wait_for_function("() => [...document.querySelectorAll('.media-player track')].every((t) => t.readyState >= 2)")
    cues = page.evaluate("() => [...document.querySelectorAll('.media-player')].map((m) => m.textTracks[0].cues?.length ?? 0)")
    assert cues == [1, 1], f"caption cues loaded per player: {cues}"
    guarded.guard.assert_clean()


# --- announced, and said in words ------------------------------------------------------------

def test_feedback_is_announced_in_live_regions_and_said_in_words_and_icons(
    built_course: Path, new_page: Callable[..., GuardedPage]
) -> None:
    """Checking an answer, finishing a quiz and making a scenario choice change the text of a live
    region; right and wrong are marked with words and an icon each, never with colour alone."""
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(index_of(built_course, "en")))
    data = course_data(page)
    strings = data["strings"]
    live = "[aria-live='polite'], [aria-live='assertive'], [role='status'], [role='alert']"

    quiz_id = next(i for i, q in data["quizzes"].items() if q["feedback"] == "immediate")
    quiz = data["quizzes"][quiz_id]
    section = show(page, quiz_id)
    for n, question in enumerate(shown_questions(section, quiz)):
        box = question_box(section, question["key"])
        right = n % 2 == 0
        status = box.locator(".question-status")
        assert status.evaluate("(el, sel) => el.matches(sel)", live), "the question's status is not a live region"
        expect(status).to_be_empty()
        give_answer(box, question, response_for(question, right))
        check_answer(box)
        verdict = strings["feedback_correct" if right else "feedback_incorrect"]
        expect(status).to_have_text(verdict)
        # The verdict is a word and an icon, and so is every mark on the options.
        expect(box.locator(".feedback-verdict")).to_have_text(verdict)
        expect(box.locator(".feedback-verdict svg.icon use")).to_have_attribute("href", "#i-correct" if right else "#i-incorrect")
        marks = box.locator(".mark")
        for i in range(marks.count()):
            mark = marks.nth(i)
            expect(mark.locator("svg.icon[aria-hidden='true']")).to_have_count(1)
            assert mark.locator(".mark-text").text_content().strip(), f"{question['key']}: a mark without words"
        assert box.evaluate("el => el.classList.contains('is-correct') || el.classList.contains('is-incorrect')")
    message = section.locator(".quiz-message")
    assert message.evaluate("(el, sel) => el.matches(sel)", live)
    section.locator("[data-action='submit']").click()
    expect(message).to_contain_text(re.compile(r"\d"))
    expect(section.locator(".quiz-result")).to_be_focused()

    # An inline check says its verdict too.
    check_page = first_page_with(page, ".inline-check")
    box = show(page, check_page).locator(".inline-check").first
    question = data["checks"][box.get_attribute("data-check")]
    give_answer(box.locator(".question"), question, response_for(question, False))
    check_answer(box)
    expect(box.locator(".question-status")).to_have_text(strings["feedback_incorrect"])

    # A scenario: each choice's feedback is said, and the ending once reached, in words.
    scenario_id, scenario = next(iter(data["scenarios"].items()))
    section = show(page, scenario_id)
    announcer = page.locator("#announcer")
    assert announcer.evaluate("(el, sel) => el.matches(sel)", live)
    choices, _ = extreme_path(scenario, True)
    said = []
    for index in choices:
        before = announcer.text_content()
        section.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
        after_choice(section)
        expect(announcer).not_to_have_text(before or "")
        expect(announcer).not_to_be_empty()
        said.append(announcer.text_content())
    ending = scenario["nodes"][section.locator(".scenario-ending:not([hidden])").get_attribute("data-node")]["ending"]
    assert said[-1].endswith(strings[f"ending_{ending}"]), said[-1]
    expect(section.locator(".scenario-ending:not([hidden]) .ending-title")).to_have_text(strings[f"ending_{ending}"])

    # Callouts say their kind (note, tip, warning, important) with an icon and in words, not by colour.
    kinds = set()
    for page_id in [p["id"] for p in data["pages"] if p["kind"] == "lesson"]:
        callouts = show(page, page_id).locator(".callout")
        for i in range(callouts.count()):
            callout = callouts.nth(i)
            kind = callout.evaluate("el => /callout-(note|tip|warning|important)/.exec(el.className)[1]")
            kinds.add(kind)
            expect(callout.locator(".callout-kind svg.icon[aria-hidden='true']")).to_have_count(1)
            assert callout.locator(".callout-kind").text_content().strip().startswith(strings[f"callout_{kind}"]), \
                f"{page_id}: a {kind} callout does not say so"
    assert len(kinds) >= 3, f"the sample course's callouts are of too few kinds to check: {kinds}"

    # Pages done are marked in the contents with a word for screen readers, not only a green tick.
    expect(page.locator(f"#toc a.toc-link.is-done[href='#/{scenario_id}'] .toc-status")).to_have_text(
        f" ({strings['toc_done']})")
    guarded.guard.assert_clean()


# --- motion ----------------------------------------------------------------------------------

_MOTION = """
() => {
  const seconds = (value) => Math.max(...value.split(',').map((v) => v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v) || 0));
  const moving = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const transition = seconds(style.transitionDuration);
    const animation = style.animationName !== 'none' ? seconds(style.animationDuration) : 0;
    if (transition > 0.01 || animation > 0.01) {
      moving.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: transition ${style.transitionDuration}, animation ${style.animationName} ${style.animationDuration}`);
    }
  }
  return moving;
}
"""


@pytest.mark.parametrize("theme", THEMES)
def test_reduced_motion_is_honoured(courses: dict[str, Path], new_page: Callable[..., GuardedPage], theme: str) -> None:
    """With the learner's "reduce motion" setting, nothing moves for longer than 0.01 s: buttons,
    options, choices, progress bars, whatever page is shown."""
    url = file_url(index_of(courses[theme], "en"))
    guarded = new_page(reduced_motion="reduce")
    page = guarded.page
    page.goto(url)
    data = course_data(page)
    quiz_id = next(iter(data["quizzes"]))
    scenario_id = next(iter(data["scenarios"]))
    for page_id in (data["pages"][0]["id"], quiz_id, scenario_id, "glossary", "end"):
        show(page, page_id)
        moving = page.evaluate(_MOTION)
        assert not moving, f"{theme}, {page_id}: motion despite prefers-reduced-motion:\n" + "\n".join(moving[:20])

    # Without the setting, the same measure finds the theme's transitions (the measure works).
    page.emulate_media(reduced_motion="no-preference")
    show(page, quiz_id)
    assert page.evaluate(_MOTION), f"{theme}: no transition found without reduced motion: the measure is blind"
    guarded.guard.assert_clean()


# --- reflow and zoom -------------------------------------------------------------------------

_OVERFLOW = """
() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.right > root.clientWidth + 1 || box.left < -1)) {
        let scroller = el.parentElement;
        while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
        if (!scroller) wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(box.left)}..${Math.round(box.right)})`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 8)};
}
"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_reflow_at_320_px_and_200_percent_zoom(
    courses: dict[str, Path], new_page: Callable[..., GuardedPage], theme: str, language: str
) -> None:
    """WCAG 1.4.10 and 1.4.4: at 320 CSS px wide, and at 200 % zoom of a 1280 px window (640 CSS px
    at device scale 2), no page scrolls sideways. Tables may scroll inside their own box."""
    url = file_url(index_of(courses[theme], language))
    guarded = new_page(viewport={"width": 320, "height": 640})
    page = guarded.page
    page.goto(url)
    data = course_data(page)
    table_page = first_page_with(page, ".prose table")
    matching_quiz = next(i for i, q in data["quizzes"].items() if any(x["type"] == "matching" for x in q["questions"]))
    ordering_quiz = next(i for i, q in data["quizzes"].items() if any(x["type"] == "ordering" for x in q["questions"]))
    scenario_id = next(iter(data["scenarios"]))
    pages = [table_page, matching_quiz, ordering_quiz, scenario_id, "glossary", "frameworks", "end"]
    problems = []
    guards = [guarded.guard]
    for label, size in (("320 px", None), ("200 % zoom", {"width": 640, "height": 450})):
        if size:
            zoomed = new_page(viewport=size, device_scale_factor=2)
            guards.append(zoomed.guard)
            page = zoomed.page
            page.goto(url)
        for page_id in pages:
            show(page, page_id)
            if page_id == table_page:
                table = page.locator(f"{CURRENT} .prose table").first
                assert table.evaluate("t => getComputedStyle(t).overflowX") in ("auto", "scroll")
            if page_id == scenario_id:
                page.locator(f"{CURRENT} .scenario-choice").first.click()
            found = page.evaluate(_OVERFLOW)
            if found["scrollWidth"] > found["clientWidth"]:
                problems.append(f"{label}, {page_id}: {found['scrollWidth']} px wide in {found['clientWidth']}: {found['wide']}")
        page.locator(".menu-button").click()
        found = page.evaluate(_OVERFLOW)
        if found["scrollWidth"] > found["clientWidth"]:
            problems.append(f"{label}, menu open: {found['scrollWidth']} px wide in {found['clientWidth']}: {found['wide']}")
    assert not problems, f"{theme}, {language}: horizontal scrolling:\n" + "\n".join(problems)
    for guard in guards:
        guard.assert_clean()
