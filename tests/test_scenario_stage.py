"""A scenario with memory and a stage, as a learner plays it in Chromium: the sample course's first case.

"Is it trafficking?" remembers a slow start on Amina's case (child-delayed) and on Dario's
(dario-delayed): the same last choice then ends well only when neither happened, and the mixed
ending's debrief speaks of what this learner did. Checked here: two paths to that conditional
ending, the learner's own decisions listed once with the better choice, the state restored after
a reload and through an LMS (suspend_data), axe-core (up to WCAG 2.2 AA) at a choice and at an
ending in English and Arabic, the judgement of a choice said to screen readers, and the page with
JavaScript off.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from browser import WCAG_TAGS, GuardedPage, axe, file_url, format_violations
from lms.session import LmsSession
from test_learner_support import CURRENT, course_url, open_page  # noqa: F401  (fixture)
from test_scorm_runtime import leave, lms, origin, packages  # noqa: F401  (fixtures)

SCENARIO = "understanding-trafficking/is-it-trafficking"
WCAG22 = [*WCAG_TAGS, "wcag22aa"]
# Choice indexes along the way: kitchen, (kitchen-review), debt, (debt-return), underpaid.
CLEAN = [0, 0, 0]
SLOW_ON_AMINA = [1, 0, 0, 0]  # "not trafficking", then revise the note
SLOW_ON_DARIO = [0, 1, 0, 0]  # "smuggling only", then the night call
AMINA_PART = "at first you did not treat her case as possible child trafficking"
DARIO_PART = "you first called his case smuggling"


def section(page: Page) -> Locator:
    return page.locator(f"{CURRENT}[data-page='{SCENARIO}']")


def choose(page: Page, *indexes: int) -> list[str]:
    """Take the choices in order; returns their texts as the learner read them."""
    texts = []
    for index in indexes:
        choice = section(page).locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']")
        texts.append(" ".join(choice.inner_text().split()))
        choice.click()
    return texts


def ending(page: Page) -> Locator:
    shown = section(page).locator(".scenario-ending:not([hidden])")
    expect(shown).to_be_visible()
    return shown


def shown_debrief(page: Page) -> str:
    parts = ending(page).locator(".debrief-part:not([hidden])")
    return " ".join(" ".join(t.split()) for t in parts.all_inner_texts())


def test_the_same_last_choice_ends_by_what_came_before(page: Page, course_url: str) -> None:  # noqa: F811
    open_page(page, course_url, SCENARIO)
    choose(page, *CLEAN)
    assert ending(page).get_attribute("data-node") == "end-good"

    results = {}
    for name, path in (("amina", SLOW_ON_AMINA), ("dario", SLOW_ON_DARIO)):
        section(page).get_by_role("button", name="Start the scenario again").click()
        choose(page, *path)
        results[name] = (ending(page).get_attribute("data-node"), shown_debrief(page))
    assert results["amina"][0] == results["dario"][0] == "end-late"
    assert AMINA_PART in results["amina"][1] and DARIO_PART not in results["amina"][1]
    assert DARIO_PART in results["dario"][1] and AMINA_PART not in results["dario"][1]
    expect(ending(page).locator(".ending-title")).to_have_text("Ending: a mixed outcome")


def test_the_debrief_lists_the_learners_own_decisions_once(page: Page, course_url: str) -> None:  # noqa: F811
    open_page(page, course_url, SCENARIO)
    taken = choose(page, *SLOW_ON_AMINA)
    shown = ending(page)
    expect(shown).to_be_focused()
    steps = shown.locator(".decisions > li")
    expect(steps).to_have_count(len(taken))
    for n, text in enumerate(taken):
        expect(steps.nth(n).locator(".step-choice")).to_contain_text(text)
    first = steps.nth(0)
    expect(first.locator(".step-tone")).to_have_text("Risky choice")
    expect(first.locator(".step-feedback")).to_contain_text("For a child it does not")
    expect(first.locator(".step-better")).to_contain_text(
        "A better choice: Possible child trafficking. Flag it to the trafficking focal point under the child procedure.")
    expect(steps.nth(1).locator(".step-tone")).to_have_text("Good choice")
    expect(steps.nth(1).locator(".step-better")).to_have_count(0)
    # The last decision is not shown a second time: no feedback box, no path above the ending.
    expect(section(page).locator(".scenario-feedback")).to_be_hidden()
    expect(section(page).locator(".scenario-path")).to_be_hidden()
    assert " ".join(section(page).inner_text().split()).count(taken[-1]) == 1


def test_a_choice_is_judged_in_words_and_said_to_screen_readers(page: Page, course_url: str) -> None:  # noqa: F811
    open_page(page, course_url, SCENARIO)
    counter = section(page).locator(".scenario-node:not([hidden]) .scenario-counter")
    expect(counter).to_have_text("Decision 1")
    choose(page, 1)
    feedback = section(page).locator(".scenario-feedback")
    expect(feedback).to_be_focused()
    expect(feedback.locator(".step--risky .step-tone")).to_have_text("Risky choice")
    expect(page.locator("#announcer")).to_have_text(
        "Risky choice. For an adult, the absence of any means would matter. For a child it does not: "
        "Article 3(c) needs only act and purpose.")
    expect(section(page).locator(".scenario-node:not([hidden]) .scenario-counter")).to_have_text("Decision 2")
    choose(page, 0)
    expect(feedback.locator(".step--good .step-tone")).to_have_text("Good choice")
    expect(page.locator("#announcer")).to_contain_text("Good choice. Good recovery.")


def test_the_story_and_its_memory_survive_a_reload(page: Page, course_url: str) -> None:  # noqa: F811
    open_page(page, course_url, SCENARIO)
    choose(page, 1, 0)  # slow on Amina, then the note revised: now at Dario's case
    page.reload()
    open_page(page, course_url, SCENARIO)
    expect(section(page).locator(".scenario-node:not([hidden])")).to_have_attribute("data-node", "debt")
    expect(section(page).locator(".scenario-node:not([hidden]) .scenario-counter")).to_have_text("Decision 3")
    choose(page, 0, 0)
    assert ending(page).get_attribute("data-node") == "end-late", "the flag set before the reload was forgotten"
    assert AMINA_PART in shown_debrief(page)


def test_the_memory_comes_back_from_the_lms(lms: Callable[..., LmsSession]) -> None:  # noqa: F811
    first = lms("1.2")
    first.course.evaluate(f"() => {{ location.hash = '#/{SCENARIO}'; }}")
    current = first.course.locator(f"{CURRENT}[data-page='{SCENARIO}']")
    for index in (0, 1):  # Amina classified at once; Dario's case called smuggling
        current.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
    expect(current.locator(".scenario-node:not([hidden])")).to_have_attribute("data-node", "debt-return")
    leave(first)
    values, el = first.values(), first.el
    suspend = values[el["suspend"]]
    assert len(suspend) < 4096
    first.guarded.context.close()
    second = lms("1.2", preload={el["suspend"]: suspend, el["location"]: values[el["location"]], el["entry"]: "resume"})
    second.course.locator('#resume [data-action="resume"]').click()
    current = second.course.locator(f"{CURRENT}[data-page='{SCENARIO}']")
    expect(current.locator(".scenario-node:not([hidden])")).to_have_attribute("data-node", "debt-return")
    for index in (0, 0):
        current.locator(f".scenario-node:not([hidden]) .scenario-choice[data-choice='{index}']").click()
    shown = current.locator(".scenario-ending:not([hidden])")
    expect(shown).to_have_attribute("data-node", "end-late")
    expect(shown.locator(".debrief-part:not([hidden])").filter(has_text=DARIO_PART)).to_have_count(1)
    expect(shown.locator(".decisions > li")).to_have_count(4)
    second.guarded.guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_at_a_choice_and_at_an_ending(new_page: Callable[..., GuardedPage], built_course: Path,
                                          language: str, scheme: str) -> None:
    guarded = new_page(color_scheme=scheme)
    page = guarded.page
    index = built_course / "web" / ("index.html" if language == "en" else f"{language}/index.html")
    open_page(page, file_url(index), SCENARIO)
    choose(page, 1)
    expect(section(page).locator(".scenario-feedback")).to_be_visible()
    violations = axe(page, tags=WCAG22)
    assert not violations, f"at a choice ({language}, {scheme}): {format_violations(violations)}"
    choose(page, 0, 0, 0)
    ending(page)
    violations = axe(page, tags=WCAG22)
    assert not violations, f"at an ending ({language}, {scheme}): {format_violations(violations)}"


def test_without_javascript_the_story_reads_in_order(new_page: Callable[..., GuardedPage],
                                                     built_course: Path) -> None:
    page = new_page(java_script_enabled=False).page
    # without JavaScript the contents lead to each module's page, which holds its pages in full
    page.goto(file_url(built_course / "web" / f"module-{SCENARIO.split('/')[0]}.html"))
    scenario = page.locator(f"[data-scenario='{SCENARIO}']")
    cast = scenario.locator(".scenario-cast")
    expect(cast.locator(".cast-name")).to_have_text(["Amina", "Dario", "Grace", "Nadia Haddad"])
    expect(cast.locator("img.portrait").first).to_have_attribute("alt", "A teenage girl in a purple headscarf")
    nodes = scenario.locator(".scenario-node")
    assert nodes.first.get_attribute("data-node") == "kitchen"
    assert all(n.is_visible() for n in nodes.all()), "every situation is shown without JavaScript"
    line = scenario.locator("[data-node='kitchen-review'] .line")
    expect(line.locator(".line-who")).to_contain_text("Nadia Haddad (Trafficking focal point)")
    # the speaker's name is written beside the portrait: a screen reader hears it once, not twice
    expect(line.locator("img.portrait")).to_have_attribute("alt", "")
    conditional = scenario.locator("[data-node='underpaid'] .scenario-choices > li").first
    expect(conditional.locator("a.scenario-choice")).to_have_attribute("href", f"#{anchor('end-good')}")
    expect(conditional.locator(".scenario-branches a")).to_have_attribute("href", f"#{anchor('end-late')}")
    expect(conditional.locator(".scenario-branches")).to_contain_text("Ending: a mixed outcome")
    marked = scenario.locator("[data-node='end-late'] .debrief-part--if .debrief-depends")
    expect(marked).to_have_count(2)
    expect(marked.first).to_have_text("Shown only on some paths:")


def anchor(node: str) -> str:
    from builder.views import page_anchor

    return f"s-{page_anchor(SCENARIO)}--{node}"


def test_the_runtime_data_carries_conditions_as_trees(page: Page, course_url: str) -> None:  # noqa: F811
    open_page(page, course_url, SCENARIO)
    # The scenario as the runtime holds it once its page has loaded (pages load on demand).
    data: dict[str, Any] = {"scenarios": {SCENARIO: page.evaluate(
        "(id) => JSON.parse(JSON.stringify(Coursewright.app.course.scenarios[id]))", SCENARIO)}}
    choice = data["scenarios"][SCENARIO]["nodes"]["underpaid"]["choices"][0]
    assert choice["branches"] == [[["or", ["flag", "child-delayed"], ["flag", "dario-delayed"]], "end-late"],
                                  [None, "end-good"]]
    assert data["scenarios"][SCENARIO]["nodes"]["kitchen"]["choices"][1]["set"] == ["child-delayed"]
