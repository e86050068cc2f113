"""The landing: the course's entrance (title, total time, module cards with progress, Start and
Resume), the moment a module is finished, and the cover image a course may name, in Chromium from
file://, with JavaScript off, in the single file, right to left and in dark mode."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser import WCAG_TAGS, GuardedPage, PageGuard, axe, file_url, format_violations
from test_learner_support import CURRENT, course_data, course_url, play_quiz  # noqa: F401  (fixture)

WCAG22 = [*WCAG_TAGS, "wcag22aa"]
LANDING = "#course-intro"


def sample_minutes(repo_root: Path) -> list[int]:
    """Each module's time as the model states it (the module's own, or the sum of its pages')."""
    from builder.errors import Issues
    from builder.loader import load_course
    from builder.sources import read_sources

    issues = Issues()
    course = load_course(read_sources(repo_root / "course_src", issues), issues)
    assert course is not None
    return [m.total_duration for m in course.modules]


def ready(page: Page) -> None:
    expect(page.locator("html.is-ready")).to_have_count(1)


def test_the_landing_shows_the_course_its_time_and_its_modules(course_url: str, page: Page, guard: PageGuard,
                                                                 repo_root: Path) -> None:
    page.goto(course_url)
    ready(page)
    data = course_data(page)
    landing = page.locator(LANDING)
    expect(landing).to_be_visible()
    expect(landing.get_by_role("heading", level=1)).to_have_text(data["title"])
    expect(landing.locator(".course-subtitle")).to_be_visible()
    minutes = sum(sample_minutes(repo_root))
    hours, rest = divmod(minutes, 60)
    expect(landing.locator(".landing-facts")).to_contain_text(f"About {hours} h {rest} min")
    cards = landing.locator(".landing-module")
    expect(cards).to_have_count(len(data["modules"]))
    for card, module in zip(cards.all(), data["modules"]):
        expect(card.locator(".landing-module-name")).to_have_text(module["title"])
        expect(card.locator("a")).to_have_attribute("href", f"#/{module['pages'][0]}")
        expect(card.locator(".landing-module-status")).to_have_text("Not started")
    # Nothing done yet: Start, no resume offer.
    expect(landing.get_by_role("link", name="Start the course")).to_be_visible()
    expect(page.locator("#resume")).to_be_hidden()
    guard.assert_clean()


def test_start_opens_the_first_lesson(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    first = course_data(page)["pages"][0]["id"]
    page.get_by_role("link", name="Start the course").click()
    heading = page.locator(f"{CURRENT}[data-page='{first}'] .page-title")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(page.locator(LANDING)).to_be_hidden()
    assert page.evaluate("location.hash") == f"#/{first}"
    guard.assert_clean()


def test_the_landing_with_the_keyboard_alone(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    data = course_data(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link, to the page: the landing comes first
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Start the course")).to_be_focused()
    for module in data["modules"]:
        page.keyboard.press("Tab")
        expect(page.locator(f".landing-module[data-module='{module['id']}'] a")).to_be_focused()
    module = data["modules"][-1]
    page.keyboard.press("Enter")
    expect(page.locator(f"{CURRENT}[data-page='{module['pages'][0]}'] .page-title")).to_be_focused()
    guard.assert_clean()


def test_the_course_title_leads_back_to_the_landing(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    ids = [p["id"] for p in course_data(page)["pages"]]
    page.get_by_role("link", name="Start the course").click()
    expect(page.locator(LANDING)).to_be_hidden()
    page.locator(".pager-next").click()
    expect(page.locator(f"{CURRENT}[data-page='{ids[1]}'] .page-title")).to_be_focused()
    page.locator(".site-title-link").click()
    expect(page.locator(LANDING)).to_be_visible()
    expect(page.locator(".landing-title")).to_be_focused()
    assert page.evaluate("location.hash") == f"#/{ids[0]}"
    guard.assert_clean()


def test_next_on_the_landing_starts_the_course_at_its_first_page(course_url: str, page: Page,
                                                                 guard: PageGuard) -> None:
    """The landing sits on top of the first page: its Next starts there, not at the page after it."""
    page.goto(course_url)
    ready(page)
    ids = [p["id"] for p in course_data(page)["pages"]]
    nxt = page.locator(".pager-next")
    expect(nxt).to_have_attribute("href", f"#/{ids[0]}")
    expect(nxt.locator(".pager-title")).to_have_text(course_data(page)["pages"][0]["title"])
    nxt.click()
    expect(page.locator(LANDING)).to_be_hidden()
    expect(page.locator(f"{CURRENT}[data-page='{ids[0]}']")).to_be_visible()
    expect(nxt).to_have_attribute("href", f"#/{ids[1]}")
    guard.assert_clean()


def test_a_module_card_opens_its_module(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    module = course_data(page)["modules"][2]
    page.locator(f".landing-module[data-module='{module['id']}'] a").click()
    expect(page.locator(f"{CURRENT}[data-page='{module['pages'][0]}'] .page-title")).to_be_focused()
    expect(page.locator(LANDING)).to_be_hidden()
    guard.assert_clean()


def test_a_returning_learner_resumes_from_the_landing_and_sees_progress_on_the_cards(
        course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    data = course_data(page)
    module = data["modules"][0]
    page.get_by_role("link", name="Start the course").click()
    for page_id in module["pages"][1:3]:
        page.locator(".pager-next").click()
        expect(page.locator(f"{CURRENT}[data-page='{page_id}']")).to_be_visible()
    bookmark = module["pages"][2]
    page.goto("about:blank")
    page.goto(course_url)
    ready(page)
    landing = page.locator(LANDING)
    expect(landing).to_be_visible()
    resume = landing.get_by_role("button", name="Resume where I stopped")
    expect(resume).to_be_focused()  # one key away from where they stopped
    expect(landing.get_by_role("link", name="Start the course")).to_be_hidden()
    card = landing.locator(f".landing-module[data-module='{module['id']}']")
    expect(card).to_have_class(re.compile(r"\bis-started\b"))
    expect(card.locator(".landing-module-status")).to_have_text(f"2 of {len(module['pages'])} done")
    expect(landing.locator(".landing-module.is-started")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator(f"{CURRENT}[data-page='{bookmark}'] .page-title")).to_be_focused()
    expect(landing).to_be_hidden()
    guard.assert_clean()


def test_a_failed_assessment_is_never_green_on_its_card(course_url: str, page: Page, guard: PageGuard) -> None:
    page.goto(course_url)
    ready(page)
    data = course_data(page)
    quiz_id, quiz = next((i, q) for i, q in data["quizzes"].items() if q["attempts"])
    page.goto(f"{course_url}#/{quiz_id}")
    section = page.locator(f"{CURRENT}[data-page='{quiz_id}']")
    expect(section).to_be_visible()
    for attempt in range(quiz["attempts"]):
        play_quiz(page, section, quiz, right=False)
        if attempt < quiz["attempts"] - 1:
            section.get_by_role("button", name="Try again").click()
    page.goto("about:blank")
    page.goto(course_url)
    ready(page)
    module = data["pages"][[p["id"] for p in data["pages"]].index(quiz_id)]["module"]
    card = page.locator(f".landing-module[data-module='{module}']")
    expect(card).to_have_class(re.compile(r"\bis-failed\b"))
    expect(card.locator(".landing-module-status")).to_have_text("Assessment not passed")
    good = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--c-good').trim()")
    colours = card.evaluate("""c => [getComputedStyle(c).borderInlineStartColor,
        getComputedStyle(c.querySelector('.landing-module-status')).color,
        getComputedStyle(c.querySelector('.bar-fill')).backgroundColor]""")
    green = page.evaluate("g => { const e = document.createElement('i'); e.style.color = g; document.body.append(e);"
                          " const c = getComputedStyle(e).color; e.remove(); return c; }", good)
    assert green not in colours, colours
    guard.assert_clean()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_landing_passes_axe(built_course: Path, new_page: Callable[..., GuardedPage], language: str,
                                scheme: str) -> None:
    guarded = new_page(color_scheme=scheme)
    page = guarded.page
    index = built_course / "web" / ("index.html" if language == "en" else f"{language}/index.html")
    page.goto(file_url(index))
    ready(page)
    expect(page.locator(LANDING)).to_be_visible()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    guarded.guard.assert_clean()


def test_without_javascript_the_landing_links_to_the_module_pages(
        built_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(file_url(built_course / "web" / "index.html"))
    landing = page.locator(LANDING)
    expect(landing).to_be_visible()
    cards = landing.locator(".landing-module a")
    assert cards.count() == 8
    href = cards.nth(1).get_attribute("href")
    assert href and re.fullmatch(r"module-[\w-]+\.html", href), href
    assert (built_course / "web" / href).is_file()
    expect(landing.locator(".landing-module-progress")).to_have_count(8)
    expect(landing.locator(".landing-module-progress").first).to_be_hidden()
    cards.nth(1).click()
    expect(page.locator("h1").first).to_be_visible()
    assert page.url.endswith(href)
    guarded.guard.assert_clean()


# --- a course of its own: the cover image, and the moment a module is finished ------------------

COVER = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#1d5fa7"/></svg>'


def write_course(root: Path, cover: str = "cover: media/cover.svg\ncover_alt: A consular window at dawn\n") -> Path:
    source = root / "course_src"
    (source / "media").mkdir(parents=True)
    (source / "media" / "cover.svg").write_text(COVER, encoding="utf-8")
    (source / "course.yaml").write_text(
        "id: landing-course\ntitle: Landing Course\nsubtitle: Two short modules\n"
        f"description: A course to try the entrance.\nlanguage: en\ntheme: default\n{cover}", encoding="utf-8")
    long_text = "\n\n".join(f"Paragraph {n} of the reading, long enough to scroll." for n in range(60))
    for number, (slug, title) in enumerate([("first", "First steps"), ("second", "Second steps")], 1):
        folder = source / "modules" / f"0{number}-{slug}"
        folder.mkdir(parents=True)
        (folder / "module.yaml").write_text(f"title: {title}\n", encoding="utf-8")
        for page_number, page_slug in enumerate(["one", "two"], 1):
            (folder / f"0{page_number}-{page_slug}.md").write_text(
                f"---\ntitle: {title}, page {page_number}\nduration: {20 + page_number * 5}\n---\n\n{long_text}\n",
                encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def landing_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from builder.cli import main

    root = tmp_path_factory.mktemp("landing-course")
    out = root / "dist"
    result = CliRunner().invoke(main, ["build", str(write_course(root)), "--out", str(out), "--single-file"])
    assert result.exit_code == 0, result.output
    return out


def test_the_cover_image_and_the_time_of_a_course(landing_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    page.goto(file_url(landing_course / "web" / "index.html"))
    ready(page)
    cover = page.locator(f"{LANDING} img.landing-cover")
    expect(cover).to_have_attribute("alt", "A consular window at dawn")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    assert (landing_course / "web" / "media" / "cover.svg").is_file()
    expect(page.locator(".landing-facts")).to_contain_text("About 1 h 50 min")
    expect(page.locator(".landing-module-meta").first).to_contain_text("About 55 min")
    guarded.guard.assert_clean()


def test_a_cover_without_its_text_or_file_is_a_source_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from builder.cli import main

    source = write_course(tmp_path, cover="cover: media/cover.svg\n")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1, result.output
    assert "course.yaml:7:8: error: the cover image 'media/cover.svg' has no cover_alt" in result.output
    assert "Traceback" not in result.output
    text = (source / "course.yaml").read_text(encoding="utf-8")
    (source / "course.yaml").write_text(text.replace("cover: media/cover.svg", "cover: ../outside.svg\ncover_alt: Out"),
                                        encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1, result.output
    assert "cover image '../outside.svg' not found" in result.output
    assert "put media under course_src/media/" in result.output


def test_finishing_a_module_is_acknowledged_with_the_way_on(landing_course: Path,
                                                            new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(viewport={"width": 1000, "height": 700})
    page = guarded.page
    page.goto(file_url(landing_course / "web" / "index.html"))
    ready(page)
    page.get_by_role("link", name="Start the course").click()
    expect(page.locator(f"{CURRENT}[data-page='first/one'] .page-title")).to_be_focused()
    page.locator(".pager-next").click()  # the first page is read once the learner moves on
    expect(page.locator(f"{CURRENT}[data-page='first/two'] .page-title")).to_be_focused()
    expect(page.locator(".module-done")).to_have_count(0)
    page.keyboard.press("End")  # to the end of the module's last page: it is read
    note = page.locator(f"{CURRENT} .module-done")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Module 1 complete")
    expect(note).to_contain_text("You have finished “First steps”.")
    expect(page.locator("#announcer")).to_have_text("Module 1 complete. You have finished “First steps”.")
    note.evaluate("n => Promise.all(n.getAnimations().map(a => a.finished))")  # faded in: measured as it stays
    violations = axe(page, tags=WCAG22)
    assert not violations, format_violations(violations)
    link = note.get_by_role("link", name="Continue with module 2: Second steps")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{CURRENT}[data-page='second/one'] .page-title")).to_be_focused()
    guarded.guard.assert_clean()


def test_the_module_note_keeps_still_for_reduced_motion(landing_course: Path,
                                                        new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(reduced_motion="reduce")
    page = guarded.page
    page.goto(file_url(landing_course / "web" / "index.html"))
    ready(page)
    page.evaluate("Coursewright.landing.finished(Coursewright.app.course.modules[0], 0)")
    note = page.locator(".module-done")
    expect(note).to_be_visible()
    assert note.evaluate("n => getComputedStyle(n).animationName") == "none"
    guarded.guard.assert_clean()


def test_the_single_file_opens_on_its_landing(landing_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page()
    page = guarded.page
    single = next(landing_course.glob("landing-course-*.html"))
    page.goto(file_url(single))
    ready(page)
    expect(page.locator(LANDING)).to_be_visible()
    assert page.locator(f"{LANDING} img.landing-cover").evaluate("img => img.src.startsWith('data:')")
    page.get_by_role("link", name="Start the course").click()
    expect(page.locator(f"{CURRENT}[data-page='first/one'] .page-title")).to_be_focused()
    guarded.guard.assert_clean()


# --- in an LMS: a returning learner sees the landing, Resume focused -------------------------------

from test_scorm_runtime import VERSIONS, leave, lms, origin, packages  # noqa: E402,F401  (fixtures)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_back_in_the_lms_finds_the_landing_with_resume_focused(lms: Callable, version: str) -> None:
    first = lms(version)
    course = first.course.evaluate("() => Coursewright.app.course.modules.map(m => [m.id, m.pages])")
    module_id, module_pages = course[0]
    first.course.get_by_role("link", name="Start the course").click()
    for page_id in module_pages[1:3]:
        first.course.locator(".pager-next").click()
        expect(first.course.locator(f"{CURRENT}[data-page='{page_id}'] .page-title")).to_be_focused()
    stop = module_pages[2]
    leave(first)
    saved, el = first.values(), first.el
    assert saved[el["location"]] == stop
    first.guarded.context.close()
    second = lms(version, preload={el["suspend"]: saved[el["suspend"]], el["location"]: stop, el["entry"]: "resume"})
    frame = second.course
    landing = frame.locator(LANDING)
    expect(landing).to_be_visible()
    resume = landing.get_by_role("button", name="Resume where I stopped")
    expect(resume).to_be_focused()
    card = landing.locator(f".landing-module[data-module='{module_id}']")
    expect(card.locator(".landing-module-status")).to_have_text(f"2 of {len(module_pages)} done")
    resume.press("Enter")
    frame.wait_for_function(f"() => location.hash === '#/{stop}'")
    expect(frame.locator(f"{CURRENT}[data-page='{stop}'] .page-title")).to_be_focused()
    second.guarded.guard.assert_clean()


def test_the_single_file_without_javascript_links_its_cards_to_the_pages(
        landing_course: Path, new_page: Callable[..., GuardedPage]) -> None:
    guarded = new_page(java_script_enabled=False)
    page = guarded.page
    page.goto(file_url(next(landing_course.glob("landing-course-*.html"))))
    link = page.locator(".landing-module a").nth(1)
    assert link.get_attribute("href") == "#/second/one"
    link.click()
    expect(page.locator('[id="/second/one"]')).to_be_in_viewport()
    guarded.guard.assert_clean()
