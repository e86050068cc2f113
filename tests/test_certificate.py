"""The completion certificate on the end screen, in Chromium: offered only once the course is
completed and passed; a name makes a certificate with the organisation, the course title and
version, the name, the date, the score and a verification code that Python recomputes here from the
documented formula; printing shows the certificate alone, on one landscape page; right to left and
Gregorian in Arabic. The learner arrives with a saved state, as a returning learner would.

The formula (runtime/certificate.js): the first 10 characters of the RFC 4648 base-32 form of
SHA-256("<course id>|<version>|<name as printed>|<YYYY-MM-DD>|<score in whole percent, or empty>"),
grouped 5-5.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import webcourse
from browser import GuardedPage, PageGuard, axe, file_url, format_violations

SIGNATORY = "Amina Haddad"
SIGNATORY_TITLE = "Head of Training"
LOGO_ALT = "Sample organisation seal"
TODAY = "2025-03-14"  # the browser's clock is fixed to this day
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
        '<circle cx="20" cy="20" r="18" fill="#1d5fa7"/></svg>\n')

CERTIFICATE = "#end .certificate"
LATIN = "0123456789"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"


def verification_code(course_id: str, version: str, name: str, date: str, score: int | None) -> str:
    text = f"{course_id}|{version}|{name}|{date}|{'' if score is None else score}"
    code = base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")[:10]
    return f"{code[:5]}-{code[5:]}"


def test_the_formula_here_is_the_documented_one() -> None:
    assert verification_code("ct-consular", "1.0.0", "Ana María Pérez", "2025-03-14", 90) == "CDUSR-HZJBO"
    assert verification_code("ct-consular", "1.0.0", "Ana María Pérez", "2025-03-14", None) == "ZK4N7-YMZB5"


@pytest.fixture(scope="module")
def certified_course(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course (with its translations) built once, with a logo and a signatory."""
    from builder.build import build

    source = tmp_path_factory.mktemp("certificate") / "course_src"
    shutil.copytree(repo_root / "course_src", source)
    (source / "media" / "seal.svg").write_text(LOGO, encoding="utf-8")
    with (source / "course.yaml").open("a", encoding="utf-8") as course_yaml:
        course_yaml.write(
            "theme_options:\n"
            "  logo: media/seal.svg\n"
            f"  logo_alt: {LOGO_ALT}\n"
            f"  certificate_signatory: {SIGNATORY}\n"
            f"  certificate_signatory_title: {SIGNATORY_TITLE}\n"
        )
    out = source.parent / "dist"
    build(source, out)
    return out / "web"


@pytest.fixture(scope="module")
def arabic_indic_course(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course through a theme whose Arabic writes numbers in Arabic-Indic digits, as
    docs/themes.md tells a course written with them to do (`digits` in its `locales/ar.yaml`)."""
    from builder.build import build

    root = tmp_path_factory.mktemp("arabic-indic")
    theme = root / "themes" / "eastern"
    (theme / "locales").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: eastern\nextends: default\n", encoding="utf-8")
    (theme / "locales" / "ar.yaml").write_text(f'digits: "{ARABIC_INDIC}"\n', encoding="utf-8")
    source = root / "course_src"
    shutil.copytree(repo_root / "course_src", source)
    course_yaml = source / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    assert "\ntheme: default\n" in text
    course_yaml.write_text(text.replace("\ntheme: default\n", "\ntheme: ../themes/eastern\n"), encoding="utf-8")
    build(source, root / "dist")
    return root / "dist" / "web"


def course_data(web: Path, lang: str = "") -> dict[str, Any]:
    return webcourse.course_data(web / lang)


# --- a returning learner's saved state (the state object of docs/architecture.md) ---------------

def assessment_ids(data: dict[str, Any]) -> list[str]:
    rule = data["completion"]["assessments"]
    if isinstance(rule, list):
        return rule
    return [p["id"] for p in data["pages"]
            if (data["quizzes"].get(p["id"]) or data["scenarios"].get(p["id"]) or {}).get("kind") == "assessment"]


def saved_state(data: dict[str, Any], *, lost: int, skip_page: bool = False) -> tuple[dict[str, Any], int]:
    """Every page done, each assessment short of its maximum by `lost` points (everything lost when
    `lost` is negative); `skip_page` leaves one lesson unread. Returns the state and the course score
    in whole percent."""
    state: dict[str, Any] = {"v": 1, "location": "end", "visited": [], "quizzes": {}, "checks": {}, "scenarios": {}}
    assessed = set(assessment_ids(data))
    weights = data["pass"]["weights"]
    raw = maximum = 0.0
    for info in data["pages"]:
        page_id = info["id"]
        state["visited"].append(page_id)
        if page_id in data["quizzes"]:
            quiz = data["quizzes"][page_id]
            points = [q["points"] for q in quiz["questions"]][: quiz["draw"] or None]
            top = float(sum(points))
        elif page_id in data["scenarios"]:
            top = float(data["scenarios"][page_id]["max_points"])
        else:
            continue
        got = 0.0 if lost < 0 else max(0.0, top - lost)
        if page_id in assessed:  # the course score weighs each assessment's share (results.js)
            raw, maximum = raw + weights[page_id] * got / top, maximum + weights[page_id]
        if page_id in data["quizzes"]:
            state["quizzes"][page_id] = {"attempt": 1, "seed": 1, "answers": {}, "checked": {}, "submitted": True,
                                         "results": [{"points": got, "max": top, "passed": got == top}]}
        else:
            scenario = data["scenarios"][page_id]
            ending = next(n for n, node in scenario["nodes"].items() if node["ending"])
            state["scenarios"][page_id] = {"node": ending, "path": [], "points": got, "ended": True,
                                           "runs": [{"points": got, "ending": scenario["nodes"][ending]["ending"]}]}
    if skip_page:
        lesson = next(p["id"] for p in data["pages"] if p["kind"] == "lesson")
        state["visited"].remove(lesson)
    scaled = round(raw / maximum, 4)
    return state, int(scaled * 100 + 0.5)


def open_end(page: Page, url: str, data: dict[str, Any], state: dict[str, Any]) -> None:
    """Keep `state` where the course keeps it (local storage), then come back to the end screen."""
    page.goto(url)
    expect(page.locator("html.is-ready")).to_have_count(1)
    page.evaluate("([key, text]) => localStorage.setItem(key, text)",
                  [f"coursewright:{data['id']}:{data['version']}", json.dumps(state)])
    page.goto("about:blank")  # a new load, not a change of address the running course would save
    page.goto(f"{url}#/end")
    expect(page.locator("#end.is-current")).to_be_visible()
    assert page.evaluate("() => Coursewright.app.state.visited.length") == len(state["visited"])


def assert_one_landscape_page(pdf: bytes) -> None:
    """The PDF Chromium prints: one page, wider than high."""
    __tracebackhide__ = True
    pages = re.findall(rb"/Type\s*/Page\b", pdf)
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    assert len(pages) == 1, f"the certificate prints on {len(pages)} pages"
    assert boxes and all(w > h for w, h in boxes), f"the certificate's page is not landscape: {boxes}"


def fresh_page(new_page: Callable[..., GuardedPage], **options: Any) -> GuardedPage:
    guarded = new_page(timezone_id="Europe/Lisbon", **options)
    guarded.page.clock.set_fixed_time(f"{TODAY}T10:00:00")
    return guarded


def clean_but_axe(guard: PageGuard) -> None:
    """The guard's findings, less axe-core's own attempt to re-read the stylesheets (refused from file://)."""
    __tracebackhide__ = True
    own = [p for p in guard.problems()
           if not ("XMLHttpRequest" in p and ".css" in p) and not ("ERR_FAILED" in p and ".css" in p)]
    assert not own, "the page was not clean:\n" + "\n".join(own)


# --- the tests ------------------------------------------------------------------------------------

def test_no_certificate_before_the_course_is_completed_and_passed(certified_course: Path, page: Page,
                                                                    guard: PageGuard) -> None:
    url = file_url(certified_course / "index.html")
    data = course_data(certified_course)
    assert data["pass"]["assessments"], "the sample course is passed on its assessments"
    offer = page.locator("#end .certificate-offer")

    page.goto(f"{url}#/end")
    expect(page.locator("#end.is-current")).to_be_visible()
    expect(offer).to_have_count(1)
    expect(offer).to_be_hidden()
    expect(page.locator("#certificate-name")).to_be_hidden()

    state, _ = saved_state(data, lost=0, skip_page=True)  # every assessment aced, one lesson unread
    open_end(page, url, data, state)
    expect(page.locator("#end .end-status")).to_have_text("You have not finished the course yet.")
    expect(offer).to_be_hidden()

    state, percent = saved_state(data, lost=-1)  # completed, nothing scored: not passed yet
    assert percent == 0
    open_end(page, url, data, state)
    expect(page.locator("#end .end-status")).to_have_text("You have not passed yet, and you can try again.")
    expect(offer).to_be_hidden()
    expect(page.locator(CERTIFICATE)).to_be_hidden()
    guard.assert_clean()


def test_a_certificate_to_print_after_passing(certified_course: Path, new_page: Callable[..., GuardedPage],
                                              js_modules: Path) -> None:
    guarded = fresh_page(new_page, color_scheme="light")
    page = guarded.page
    url = file_url(certified_course / "index.html")
    data = course_data(certified_course)
    state, percent = saved_state(data, lost=2)
    assert 80 <= percent < 100, "a pass short of full marks"
    open_end(page, url, data, state)
    expect(page.locator("#end .end-status")).to_have_text("You have passed the course.")

    offer = page.locator("#end .certificate-offer")
    expect(offer).to_be_visible()
    name_box = offer.get_by_label("Your name, as it should appear on the certificate")
    expect(name_box).to_be_visible()
    expect(page.locator(CERTIFICATE)).to_be_hidden()

    # No name: the error is tied to the field, announced, and the field has the focus.
    offer.get_by_role("button", name="Make my certificate").click()
    error = offer.locator(".certificate-error")
    expect(error).to_have_text("Enter your name to make your certificate.")
    expect(name_box).to_have_attribute("aria-invalid", "true")
    expect(name_box).to_have_attribute("aria-describedby", error.get_attribute("id") or "?")
    expect(name_box).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Enter your name to make your certificate.")
    expect(page.locator(CERTIFICATE)).to_be_hidden()

    name_box.fill("  Ana   María\tPérez ")
    name_box.press("Enter")
    certificate = page.locator(CERTIFICATE)
    expect(certificate).to_be_visible()
    expect(certificate).to_be_focused()
    expect(error).to_be_hidden()
    expect(name_box).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#announcer")).to_have_text("Your certificate is ready. You can print it or save it as a PDF.")

    name = "Ana María Pérez"
    code = verification_code(data["id"], data["version"], name, TODAY, percent)
    expect(certificate.get_by_role("heading", name="Certificate of completion")).to_be_visible()
    expect(certificate).to_have_accessible_name("Certificate of completion")
    expect(certificate.locator(".certificate-organization")).to_have_text("Coursewright sample course")
    expect(certificate.get_by_role("img", name=LOGO_ALT)).to_be_visible()
    expect(certificate.locator(".certificate-name")).to_have_text(name)
    expect(certificate.locator("[data-field='statement']")).to_have_text("has completed and passed the course")
    expect(certificate.locator(".certificate-course")).to_have_text(data["title"])
    facts = certificate.locator(".certificate-facts")
    expect(facts.locator("div", has_text="Version").locator("dd")).to_have_text(data["version"])
    expect(facts.locator("time")).to_have_attribute("datetime", TODAY)
    expect(facts.locator("time")).to_have_text("March 14, 2025")
    expect(facts.locator("div", has_text="Score").locator("dd")).to_have_text(f"{percent}%")
    expect(facts.locator("div", has_text="Verification code").locator("dd")).to_have_text(code)
    expect(certificate.locator(".certificate-signatory")).to_have_text(SIGNATORY)
    expect(certificate.locator(".certificate-signatory-title")).to_have_text(SIGNATORY_TITLE)

    violations = axe(page)
    assert not violations, f"end screen with the certificate: {format_violations(violations)}"

    # Printing shows the certificate alone: everything beside the way down to it is display: none.
    page.emulate_media(media="print")
    expect(certificate).to_be_visible()
    left = page.evaluate("""() => {
        const cert = document.querySelector('#end .certificate');
        const out = [];
        for (let node = cert; node !== document.body; node = node.parentElement) {
          for (const sibling of node.parentElement.children) {
            if (sibling !== node && getComputedStyle(sibling).display !== 'none') out.push(sibling.outerHTML.slice(0, 120));
          }
        }
        for (const el of document.body.querySelectorAll('*')) {
          if (!cert.contains(el) && !el.contains(cert) && el.getClientRects().length) out.push(el.outerHTML.slice(0, 120));
        }
        return out;
    }""")
    assert not left, "printed beside the certificate:\n" + "\n".join(left)
    assert_one_landscape_page(page.pdf(prefer_css_page_size=True, print_background=True))  # US Letter
    page.emulate_media(media="screen")

    # The print button opens the browser's print dialog (where "Save as PDF" is).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    offer.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("() => window.printed") == 1
    expect(offer.locator(".certificate-hint")).to_contain_text("Save as PDF")

    # Elsewhere in the course, printing prints the course again.
    page.evaluate("() => { location.hash = '#/glossary'; }")
    expect(page.locator("section.page.is-current[data-page='glossary']")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("section.page[data-page='glossary']")).to_be_visible()
    expect(certificate).to_be_hidden()
    page.emulate_media(media="screen")
    clean_but_axe(guarded.guard)


def test_arabic_certificate_reads_right_to_left_with_a_gregorian_date(certified_course: Path,
                                                                       new_page: Callable[..., GuardedPage],
                                                                       js_modules: Path) -> None:
    guarded = fresh_page(new_page, color_scheme="dark")
    page = guarded.page
    url = file_url(certified_course / "ar" / "index.html")
    data = course_data(certified_course, "ar")
    assert data["language"] == "ar"
    state, percent = saved_state(data, lost=1)
    open_end(page, url, data, state)

    name = "محمد رضا"
    page.locator("#certificate-name").fill(name)
    page.locator("#end .certificate-form button[type='submit']").click()
    certificate = page.locator(CERTIFICATE)
    expect(certificate).to_be_visible()
    assert certificate.evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(certificate.locator(".certificate-heading")).to_have_text("شهادة إتمام")
    expect(certificate.locator(".certificate-name")).to_have_text(name)
    shown = certificate.locator("time").inner_text()
    western = shown.translate({0x660 + d: str(d) for d in range(10)})
    assert "2025" in western and "14" in western, f"not the Gregorian date: {shown}"
    expect(certificate.locator(".certificate-code")).to_have_text(
        verification_code(data["id"], data["version"], name, TODAY, percent))
    page.emulate_media(media="print")
    assert_one_landscape_page(page.pdf(format="A4", landscape=True))
    page.emulate_media(media="screen")
    violations = axe(page)
    assert not violations, f"Arabic end screen with the certificate, dark: {format_violations(violations)}"
    clean_but_axe(guarded.guard)


@pytest.mark.parametrize(("build", "lang", "digits", "date", "percent_sign"), [
    ("certified_course", "", LATIN, "March 14, 2025", "%"),
    ("certified_course", "ar", LATIN, "14 مارس 2025", "%"),
    ("certified_course", "fa", PERSIAN, "۱۴ مارس ۲۰۲۵", "٪"),
    ("arabic_indic_course", "ar", ARABIC_INDIC, "١٤ مارس ٢٠٢٥", "%"),
], ids=["en", "ar", "fa", "ar-arabic-indic-digits"])
def test_the_certificate_writes_its_numbers_as_the_end_screen_does(
        build: str, lang: str, digits: str, date: str, percent_sign: str,
        request: pytest.FixtureRequest, new_page: Callable[..., GuardedPage]) -> None:
    """One set of digits on the whole end screen: the certificate's date and score are written in
    the language's digits (the catalogue's `digits`), and its score reads exactly as the end
    screen's, whatever digits the browser's own data gives the language."""
    web: Path = request.getfixturevalue(build)
    guarded = fresh_page(new_page)
    page = guarded.page
    data = course_data(web, lang)
    state, percent = saved_state(data, lost=1)
    open_end(page, file_url(web / lang / "index.html"), data, state)
    page.locator("#certificate-name").fill("Amina Haddad")
    page.locator("#end .certificate-form button[type='submit']").click()
    certificate = page.locator(CERTIFICATE)
    expect(certificate).to_be_visible()

    local = str(percent).translate(str.maketrans(LATIN, digits))
    end_score = page.locator("#end .end-score dd")
    expect(end_score).to_have_text(f"{local}{percent_sign}")
    expect(certificate.locator("[data-field='score']")).to_have_text(end_score.inner_text())
    expect(certificate.locator("time")).to_have_text(date)
    expect(certificate.locator("time")).to_have_attribute("datetime", TODAY)
    shown = " ".join([page.locator("#end .end-facts").inner_text(), certificate.locator("time").inner_text(),
                      certificate.locator("[data-field='score']").inner_text()])
    others = sorted({c for c in shown if c.isdigit() and c not in digits})
    assert not others, f"digits of another set on the end screen: {others} in {shown!r}"
    # The code is made from the score and the date in digits 0-9 whatever the page shows (docs/handouts.md).
    expect(certificate.locator(".certificate-code")).to_have_text(
        verification_code(data["id"], data["version"], "Amina Haddad", TODAY, percent))
    clean_but_axe(guarded.guard)
