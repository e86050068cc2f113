"""One copy of the theme's fonts for every language (builder/sharedfonts.py): the web course and the
multi-language packages hold each font once, at the top, and the translations' stylesheets load it
from there; an English and an Arabic page, and a module's page for reading without JavaScript, draw
their text in the theme's faces from file://, in the web course and in the package's layout. A
language package stands alone with its own copy.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import GuardedPage, file_url
from test_learner_support import CURRENT
from test_visual_identity import ARABIC_FACE, FONT_FILES, LATIN_FACE, faces_drawing, loaded_faces

FONTS = sorted(p.name for p in FONT_FILES.glob("*.woff2"))
LANGUAGES = ("", "es/", "ar/", "fa/")  # the folder of each language of the sample course


@pytest.fixture(scope="module")
def packaged(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course built and packaged for SCORM 2004: the dist folder."""
    from builder.build import build
    from builder.package import package_course

    source = repo_root / "course_src"
    out = tmp_path_factory.mktemp("shared-fonts") / "dist"
    package_course(build(source, out), source, out, ["2004"])
    return out


def font_urls(css: str) -> list[str]:
    return re.findall(r"url\(([^)\"']+\.woff2)\)", css)


def assert_fonts_resolve(names: set[str], read: Callable[[str], bytes], folder: str) -> None:
    """Every font a language's stylesheet loads is a file of the course (a path within it)."""
    css = read(f"{folder}assets/course.css").decode("utf-8")
    urls = font_urls(css)
    assert len(urls) == len(FONTS), urls
    for url in urls:
        target = posixpath.normpath(posixpath.join(f"{folder}assets", url))
        assert not target.startswith(".."), f"{folder or 'the top'}: {url} leads out of the course"
        assert target in names, f"{folder or 'the top'}: {url} names {target}, which is not there"


def test_the_web_course_holds_each_font_once(packaged: Path) -> None:
    web = packaged / "web"
    names = {p.relative_to(web).as_posix() for p in web.rglob("*") if p.is_file()}
    copies = Counter(posixpath.basename(n) for n in names if n.endswith(".woff2"))
    assert copies == Counter(FONTS), copies
    assert {n for n in names if n.endswith(".woff2")} == {f"assets/fonts/{f}" for f in FONTS}
    assert {n for n in names if "/OFL-" in n} == {f"assets/fonts/{p.name}" for p in FONT_FILES.glob("OFL-*")}
    for folder in LANGUAGES:
        assert_fonts_resolve(names, lambda rel: (web / rel).read_bytes(), folder)
    assert all(u.startswith("../../assets/fonts/") for u in font_urls((web / "ar/assets/course.css").read_text()))


def test_the_packages_hold_each_font_once_and_a_language_package_its_own(packaged: Path) -> None:
    with zipfile.ZipFile(packaged / "ct-consular-1.0.0-scorm2004.zip") as whole:
        names = set(whole.namelist())
        manifest = whole.read("imsmanifest.xml").decode("utf-8")
        assert Counter(posixpath.basename(n) for n in names if n.endswith(".woff2")) == Counter(FONTS)
        for folder in LANGUAGES:
            assert_fonts_resolve(names, whole.read, folder)
        assert all(f'href="assets/fonts/{font}"' in manifest for font in FONTS)
    with zipfile.ZipFile(packaged / "ct-consular-1.0.0-ar-scorm2004.zip") as arabic:
        names = set(arabic.namelist())
        assert {n for n in names if n.endswith(".woff2")} == {f"assets/fonts/{f}" for f in FONTS}
        assert_fonts_resolve(names, arabic.read, "")


@pytest.fixture(scope="module")
def unzipped(packaged: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-language SCORM package unpacked as an LMS lays it out."""
    folder = tmp_path_factory.mktemp("package-layout")
    with zipfile.ZipFile(packaged / "ct-consular-1.0.0-scorm2004.zip") as whole:
        whole.extractall(folder)
    return folder


def assert_drawn_in_theme_faces(guarded: GuardedPage, selector: str, face: str) -> None:
    page = guarded.page
    page.evaluate("() => document.fonts.ready.then(() => true)")
    drawn = faces_drawing(page, selector)
    assert face in drawn and all(not name.startswith("system:") for name in drawn), \
        f"{page.url}: {selector} is drawn with {drawn}, not only the theme's fonts"
    assert face in {f.strip('"') for f in loaded_faces(page)}
    failed = page.evaluate("() => [...document.fonts].filter(f => f.status === 'error').map(f => f.family)")
    assert failed == [], f"{page.url}: fonts that did not load: {failed}"
    guarded.guard.assert_clean()


@pytest.mark.parametrize("layout", ["web", "package"])
@pytest.mark.parametrize(("folder", "face"), [("", LATIN_FACE), ("ar/", ARABIC_FACE)])
def test_a_page_draws_its_text_in_the_shared_fonts_from_file(
    packaged: Path, unzipped: Path, new_page: Callable[..., GuardedPage], layout: str, folder: str, face: str
) -> None:
    root = packaged / "web" if layout == "web" else unzipped
    guarded = new_page()
    guarded.page.goto(file_url(root / folder / "index.html"))
    expect(guarded.page.locator(f"{CURRENT} .page-title")).to_be_visible()
    assert_drawn_in_theme_faces(guarded, f"main {CURRENT} .prose p", face)


@pytest.mark.parametrize(("folder", "face"), [("", LATIN_FACE), ("ar/", ARABIC_FACE)])
def test_a_module_page_draws_its_text_in_the_shared_fonts_from_file(
    packaged: Path, new_page: Callable[..., GuardedPage], folder: str, face: str
) -> None:
    """A module's page for reading without JavaScript sits beside its language's index.html."""
    guarded = new_page(java_script_enabled=False)
    module = sorted((packaged / "web" / folder).glob("module-*.html"))[0]
    guarded.page.goto(file_url(module))
    assert_drawn_in_theme_faces(guarded, "main .prose p", face)
