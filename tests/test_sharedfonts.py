"""One copy of the theme's fonts for every language (builder/sharedfonts.py): the web course and the
multi-language packages hold each font once, at the top, and the translations' stylesheets load it
from there; an English and an Arabic page, and a module's page for reading without JavaScript, draw
their text in the theme's faces from file://, in the web course and in the package's layout. A
language package stands alone with its own copy of the fonts its language draws with, and none of
the fonts only the other languages draw with (the English package carries no Arabic font).
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
    package_course(build(source, out), source, out, ["1.2", "2004"])
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


ARABIC_FONTS = {f"assets/fonts/{f}" for f in FONTS if "arabic" in f}
LATIN_FONTS = {f"assets/fonts/{f}" for f in FONTS if "arabic" not in f}


def package_of(packaged: Path, lang: str, version: str = "2004") -> Path:
    return packaged / f"ct-consular-1.0.0-{lang}-scorm{version.replace('.', '')}.zip"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_language_package_carries_the_fonts_its_language_draws_and_no_other(
        packaged: Path, shared_dir: Path, version: str) -> None:
    """The English and Spanish packages leave out the Arabic faces (their files and their @font-face
    rules), the Arabic and Persian ones keep them; the whole course's keeps every font. Each still
    validates against the official XSDs and names every file it holds."""
    from test_scorm_manifest import NS12, NS2004, OFFICIAL, load_schema, named_files, read_manifest

    schemas = shared_dir / "scorm-schemas"
    for lang, fonts in (("en", LATIN_FONTS), ("es", LATIN_FONTS), ("ar", ARABIC_FONTS | LATIN_FONTS),
                        ("fa", ARABIC_FONTS | LATIN_FONTS)):
        package = package_of(packaged, lang, version)
        with zipfile.ZipFile(package) as zf:
            names = set(zf.namelist())
            css = zf.read("assets/course.css").decode("utf-8")
        assert {n for n in names if n.endswith(".woff2")} == fonts, package.name
        assert ("IBM Plex Sans Arabic" in css) == bool(fonts & ARABIC_FONTS), package.name
        assert {posixpath.normpath(posixpath.join("assets", url)) for url in font_urls(css)} == fonts
        manifest = read_manifest(package)
        assert named_files(manifest, NS12 if version == "1.2" else NS2004) <= names
        if schemas.is_dir():
            schema = load_schema(manifest, schemas / OFFICIAL[version])
            assert schema.validate(manifest), f"{package.name}: {schema.error_log}"
    with zipfile.ZipFile(packaged / f"ct-consular-1.0.0-scorm{version.replace('.', '')}.zip") as whole:
        assert {n for n in whole.namelist() if n.endswith(".woff2")} == ARABIC_FONTS | LATIN_FONTS
    if not schemas.is_dir():
        pytest.skip(f"the fonts are checked, not the manifests: the official SCORM XSDs are not at {schemas}")


def test_the_english_package_asks_for_no_font_it_does_not_hold(
        packaged: Path, tmp_path: Path, new_page: Callable[..., GuardedPage]) -> None:
    """The English package opened from file://, as unpacked by an LMS: its pages draw their text in the
    theme's Latin faces, and no font request fails, even for text in letters the course does not use
    (an Arabic name, which falls back to the system's fonts; a Czech one, in the theme's faces)."""
    with zipfile.ZipFile(package_of(packaged, "en")) as zf:
        zf.extractall(tmp_path)
    guarded = new_page()
    page = guarded.page
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page.goto(file_url(tmp_path / "index.html"))
    expect(page.locator(f"{CURRENT} .page-title")).to_be_visible()
    for hash_ in ("#/glossary", "#/end"):
        page.evaluate("h => { location.hash = h; }", hash_)
        expect(page.locator(f"{CURRENT}[data-page='{hash_[2:]}']")).to_be_visible()
    page.evaluate("""() => {
        const main = document.querySelector('main');
        for (const [id, text] of [['typed-arabic', 'محمد رضا'], ['typed-czech', 'Antonín Dvořák']]) {
          const p = document.createElement('p');
          p.id = id;
          p.textContent = text;
          main.append(p);
        }
        return document.fonts.ready.then(() => true);
    }""")
    assert_drawn_in_theme_faces(guarded, f"main {CURRENT} h1", LATIN_FACE)
    assert set(faces_drawing(page, "#typed-czech")) == {LATIN_FACE}  # ř too: the Latin Extended face stays
    assert ARABIC_FACE not in faces_drawing(page, "#typed-arabic")
    assert failed == [], failed
    assert ARABIC_FACE not in {f.strip('"') for f in loaded_faces(page)}
    guarded.guard.assert_clean()


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
