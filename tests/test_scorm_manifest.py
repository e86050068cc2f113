"""SCORM packages: manifests valid against the official XSDs, contents complete and safe, zips reproducible."""
from __future__ import annotations

import errno
import os
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from builder import scorm
from builder.model import Completion, Course

lxml_etree = pytest.importorskip("lxml.etree", reason="lxml is needed to validate manifests (pip install lxml)")

NS12 = {
    "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
}
NS2004 = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
}
# Which official schema folder holds each version's XSDs, and the root XSD of each namespace.
OFFICIAL = {"1.2": "scorm12", "2004": "scorm2004-4th"}


def make_course(**changes: object) -> Course:
    course = Course(
        id="ct-consular",
        title="Trafficking & <persons>: a course",
        modules=(),
        description="What consular staff \"see\" & do.\n",
        language="en",
        version="1.2.0",
        completion=Completion(pass_mark=80),
    )
    return replace(course, **changes)


def make_web(root: Path) -> Path:
    """A small built course: launch page, assets, media with awkward names, and junk to leave out."""
    web = root / "web"
    files = {
        "index.html": "<!doctype html><title>x</title>",
        "assets/course.css": "body{}",
        "assets/course.js": "//",
        "media/visa window (1).png": "png",
        "media/ñandú#1.vtt": "WEBVTT",
        ".DS_Store": "junk",
        "assets/.cache/x": "junk",
    }
    for name, text in files.items():
        path = web / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return web


@pytest.fixture
def packages(tmp_path: Path) -> dict[str, Path]:
    web = make_web(tmp_path)
    paths = scorm.write_packages(make_course(), web, tmp_path / "dist", ["1.2", "2004"])
    return dict(zip(["1.2", "2004"], paths))


@pytest.fixture(scope="module")
def official_schemas(shared_dir: Path) -> Path:
    folder = shared_dir / "scorm-schemas"
    if not folder.is_dir():
        pytest.skip(f"the official SCORM XSDs are not at {folder} (../shared/scorm-schemas beside the repository)")
    return folder


class _NoRemote(lxml_etree.Resolver):
    """Refuse every schema that is not a local file: validation must never touch the network."""

    def resolve(self, url, pubid, context):  # noqa: ANN001, ANN201 - lxml's signature
        if url and "://" in url and not url.startswith("file://"):
            raise AssertionError(f"a schema tried to load {url}")
        return None


def _parser() -> lxml_etree.XMLParser:
    parser = lxml_etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_NoRemote())
    return parser


def load_schema(manifest: lxml_etree._Element, folder: Path) -> lxml_etree.XMLSchema:
    """One schema importing every namespace the manifest's schemaLocation names, from `folder`."""
    pairs = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(folder / loc).as_uri()}"/>'
        for ns, loc in zip(pairs[::2], pairs[1::2])
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    root = lxml_etree.fromstring(wrapper.encode(), _parser(), base_url=(folder / "wrapper.xsd").as_uri())
    return lxml_etree.XMLSchema(root)


def read_manifest(package: Path) -> lxml_etree._Element:
    with zipfile.ZipFile(package) as zf:
        return lxml_etree.fromstring(zf.read("imsmanifest.xml"), _parser())


def named_files(manifest: lxml_etree._Element, ns: dict[str, str]) -> set[str]:
    """Every package file the manifest names: resource hrefs, file hrefs, and the schemas it points at."""
    names = {unquote(f.get("href")) for f in manifest.iterfind(".//cp:file", ns)}
    names |= {unquote(r.get("href")) for r in manifest.iterfind(".//cp:resource", ns)}
    locations = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[1::2]
    return names | set(locations)


def schema_closure(roots: list[str], read: dict[str, bytes]) -> set[str]:
    """The XSDs the roots include or import by location, transitively, as package paths."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = lxml_etree.fromstring(read[name], _parser())
        base = name.rpartition("/")[0]
        for node in tree.iterfind(".//{http://www.w3.org/2001/XMLSchema}*[@schemaLocation]"):
            loc = node.get("schemaLocation")
            todo.append(f"{base}/{loc}" if base else loc)
    return seen


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_manifest_validates_against_the_official_xsds(
    packages: dict[str, Path], official_schemas: Path, version: str
) -> None:
    manifest = read_manifest(packages[version])
    schema = load_schema(manifest, official_schemas / OFFICIAL[version])
    if not schema.validate(manifest):
        pytest.fail("\n".join(str(e) for e in schema.error_log))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_shipped_schemas_are_the_official_files(official_schemas: Path, version: str) -> None:
    shipped = scorm.TEMPLATES / scorm.FLAVOURS[version].schemas
    for path in shipped.rglob("*.xsd"):
        rel = path.relative_to(shipped)
        assert path.read_bytes() == (official_schemas / OFFICIAL[version] / rel).read_bytes(), rel


@pytest.mark.parametrize("version,ns", [("1.2", NS12), ("2004", NS2004)])
def test_zip_holds_exactly_what_the_manifest_names(packages: dict[str, Path], version: str, ns: dict) -> None:
    with zipfile.ZipFile(packages[version]) as zf:
        names = set(zf.namelist())
        contents = {n: zf.read(n) for n in names if n.endswith(".xsd")}
    manifest = read_manifest(packages[version])
    named = named_files(manifest, ns)
    roots = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[1::2]
    expected = named | schema_closure(roots, contents) | {"imsmanifest.xml"}
    assert names == expected
    assert {"media/visa window (1).png", "media/ñandú#1.vtt", "index.html"} <= names
    for name in names:
        assert not name.startswith("/") and "\\" not in name and ":" not in name
        assert ".." not in name.split("/")
        assert not any(part.startswith(".") for part in name.split("/")), name


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_zip_is_byte_identical_when_built_twice(tmp_path: Path, version: str) -> None:
    web = make_web(tmp_path)
    first = scorm.write_packages(make_course(), web, tmp_path / "a", [version])[0]
    for path in sorted(web.rglob("*")):
        path.touch()  # new modification times must not change the zip
    second = scorm.write_packages(make_course(), web, tmp_path / "b", [version])[0]
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    own = [n for n in names if n == "imsmanifest.xml" or n.endswith(".xsd")]
    assert names == sorted(set(names) - set(own)) + sorted(own)  # the web files, then the package's own
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def make_larger_web(root: Path) -> Path:
    """make_web's course with files of many sizes, so that each process's share is a mix of names."""
    web = make_web(root)
    for number in range(12):
        words = " ".join(f"lesson-{number}-{index} trafficking indicator" for index in range(300 * (number + 1)))
        (web / "pages" / f"page-{number:02}.js").parent.mkdir(exist_ok=True)
        (web / "pages" / f"page-{number:02}.js").write_text(f"// {words}\n", encoding="utf-8")
    return web


def _in_two_processes(monkeypatch: pytest.MonkeyPatch, pids: Path) -> None:
    """Make every zip without a base be deflated by two processes, each noting its pid in `pids`."""
    monkeypatch.setattr(scorm, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(scorm, "available_cores", lambda: 2)  # the split also on a machine with one core
    real = zipfile.ZipFile.writestr

    def writestr(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        with pids.open("a") as noted:
            noted.write(f"{os.getpid()}\n")
        real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)  # the forked worker inherits it


@pytest.mark.parametrize("shell", [False, True])
def test_zips_deflated_by_two_processes_are_the_bytes_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, official_schemas: Path, shell: bool
) -> None:
    web = make_larger_web(tmp_path)
    monkeypatch.setattr(scorm, "PARALLEL_MIN_BYTES", 10**12)
    one = scorm.write_packages(make_course(), web, tmp_path / "one", ["1.2", "2004"], shell=shell)
    pids = tmp_path / "pids"
    _in_two_processes(monkeypatch, pids)
    two = scorm.write_packages(make_course(), web, tmp_path / "two", ["1.2", "2004"], shell=shell)
    assert len(set(pids.read_text().split())) == 2  # the web files were deflated in two processes
    assert [p.read_bytes() for p in two] == [p.read_bytes() for p in one]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(p.name for p in two)  # no parts left
    for version, path in zip(["1.2", "2004"], two):
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            assert zf.read("pages/page-11.js") == (web / "pages" / "page-11.js").read_bytes()
        manifest = read_manifest(path)
        schema = load_schema(manifest, official_schemas / OFFICIAL[version])
        assert schema.validate(manifest), schema.error_log


def zip_in_one_go(path: Path, entries: list[tuple[str, bytes]]) -> bytes:
    """The zip one zipfile.ZipFile makes writing every entry in order, stamped as the packages are."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=scorm.ZIP_LEVEL)
    return path.read_bytes()


@pytest.mark.parametrize("processes", [1, 2])
def test_each_zip_is_the_bytes_one_zipfile_writes_with_every_entry_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """The web files deflated once (by one process or two), copied into each version's zip and
    followed by that version's own files: still what zipfile alone writes, entry after entry."""
    web = make_larger_web(tmp_path)
    (web / "pages" / "linked.js").symlink_to(web / "pages" / "page-03.js")  # a link inside the course is its file
    (web / "linked-folder").symlink_to(web / "pages", target_is_directory=True)  # a linked folder is not entered
    if processes == 2:
        _in_two_processes(monkeypatch, tmp_path / "pids")
    paths = scorm.write_packages(make_course(), web, tmp_path / "dist", ["1.2", "2004"])
    assert processes == 1 or len(set((tmp_path / "pids").read_text().split())) == 2
    web_files = sorted(
        (path.relative_to(web).as_posix(), path.read_bytes()) for path in web.rglob("*")
        if path.is_file() and not path.relative_to(web).as_posix().startswith((".", "assets/.", "linked-folder/"))
    )
    assert "pages/linked.js" in dict(web_files) and "media/ñandú#1.vtt" in dict(web_files)
    for version, path in zip(["1.2", "2004"], paths):
        folder = scorm.TEMPLATES / scorm.FLAVOURS[version].schemas
        manifest = scorm.render_manifest(make_course(), version, [name for name, _ in web_files])
        own = sorted([("imsmanifest.xml", manifest.encode("utf-8"))]
                     + [(xsd.relative_to(folder).as_posix(), xsd.read_bytes()) for xsd in folder.rglob("*.xsd")])
        expected = zip_in_one_go(tmp_path / f"one-go-{version}.zip", web_files + own)
        assert path.read_bytes() == expected, version


def test_cmi5_zip_deflated_by_two_processes_is_the_bytes_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder.cmi5 import write_package

    web = make_larger_web(tmp_path)
    monkeypatch.setattr(scorm, "PARALLEL_MIN_BYTES", 10**12)
    one = write_package(make_course(), web, tmp_path / "one")
    _in_two_processes(monkeypatch, tmp_path / "pids")
    two = write_package(make_course(), web, tmp_path / "two")
    assert len(set((tmp_path / "pids").read_text().split())) == 2
    assert two.read_bytes() == one.read_bytes()
    with zipfile.ZipFile(two) as zf:
        assert zf.testzip() is None


@pytest.mark.parametrize("failure", ["fails", "dies"])
def test_a_worker_that_fails_or_dies_is_reported_and_no_package_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    web = make_larger_web(tmp_path)
    _in_two_processes(monkeypatch, tmp_path / "pids")
    real, building = zipfile.ZipFile.writestr, os.getpid()

    def writestr(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        if os.getpid() != building and failure == "dies":
            os._exit(9)  # killed, say, by the system running out of memory
        if os.getpid() != building:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    with pytest.raises(BrokenProcessPool if failure == "dies" else OSError) as raised:
        scorm.write_packages(make_course(), web, tmp_path / "dist", ["1.2", "2004"])
    assert failure == "dies" or raised.value.errno == errno.ENOSPC
    assert list((tmp_path / "dist").iterdir()) == []  # no package, no temporary file, no part


def test_web_files_are_deflated_once_for_both_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compressors: list[tuple] = []
    real = zipfile.zlib.compressobj
    monkeypatch.setattr(zipfile.zlib, "compressobj", lambda *a: compressors.append(a) or real(*a))
    scorm.write_packages(make_course(), make_web(tmp_path), tmp_path / "dist", ["1.2", "2004"])
    own = sum(1 + len(scorm._schema_files(flavour)) for flavour in scorm.FLAVOURS.values())
    assert len(compressors) == 5 + own  # make_web's five files once, then each zip's manifest and XSDs


def test_package_names_and_order(tmp_path: Path) -> None:
    paths = scorm.write_packages(make_course(), make_web(tmp_path), tmp_path / "dist", ["2004", "1.2"])
    assert [p.name for p in paths] == ["ct-consular-1.2.0-scorm2004.zip", "ct-consular-1.2.0-scorm12.zip"]
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted(p.name for p in paths)


def test_scorm12_metadata_and_masteryscore(packages: dict[str, Path]) -> None:
    manifest = read_manifest(packages["1.2"])
    assert manifest.get("identifier") == "ct-consular"
    assert manifest.get("version") == "1.2.0"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS12) == "1.2"
    assert manifest.findtext(".//cp:item/cp:title", namespaces=NS12) == "Trafficking & <persons>: a course"
    assert manifest.findtext(".//adlcp:masteryscore", namespaces=NS12) == "80"
    assert manifest.findtext(".//md:general/md:language", namespaces=NS12) == "en"
    assert "consular staff \"see\" & do." in manifest.findtext(".//md:description/md:langstring", namespaces=NS12)
    resource = manifest.find(".//cp:resource", NS12)
    assert resource.get(f"{{{NS12['adlcp']}}}scormtype") == "sco"
    assert resource.get("href") == "index.html"


def test_scorm12_without_pass_mark_has_no_masteryscore(tmp_path: Path) -> None:
    course = make_course(completion=Completion(pass_mark=None), description="")
    path = scorm.write_packages(course, make_web(tmp_path), tmp_path / "dist", ["1.2"])[0]
    manifest = read_manifest(path)
    assert manifest.find(".//adlcp:masteryscore", NS12) is None
    assert manifest.find(".//md:description", NS12) is None


def test_scorm2004_declares_4th_edition_and_content_set_status(packages: dict[str, Path]) -> None:
    manifest = read_manifest(packages["2004"])
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS2004) == "2004 4th Edition"
    assert manifest.findtext(".//lom:general/lom:identifier/lom:entry", namespaces=NS2004) == "ct-consular"
    assert manifest.findtext(".//lom:lifeCycle/lom:version/lom:string", namespaces=NS2004) == "1.2.0"
    item = manifest.find(".//cp:item", NS2004)
    delivery = item.find("imsss:sequencing/imsss:deliveryControls", NS2004)
    assert delivery.get("completionSetByContent") == "true"
    assert delivery.get("objectiveSetByContent") == "true"
    primary = item.find("imsss:sequencing/imsss:objectives/imsss:primaryObjective", NS2004)
    # The pass mark is the primary objective's measure, so an LMS hands it back as
    # cmi.scaled_passing_score (without it, Moodle hands 1 and fails everyone under 100%).
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("imsss:minNormalizedMeasure", namespaces=NS2004) == "0.8"
    assert manifest.find(".//cp:resource", NS2004).get(f"{{{NS2004['adlcp']}}}scormType") == "sco"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_each_package_launches_with_the_api_version_it_declares(packages: dict[str, Path], version: str) -> None:
    manifest = read_manifest(packages[version])
    ns = NS12 if version == "1.2" else NS2004
    assert manifest.find(".//cp:item", ns).get("parameters") == f"?scorm={version}"


def test_rule_each_hands_no_lms_a_mark_to_judge_by(tmp_path: Path) -> None:
    """Rule "each" is not a threshold on the course score: 1.2 declares no masteryscore (Moodle's
    "mastery score overrides status" would judge the score by it), and 2004 declares the lowest
    assessment pass mark (Moodle hands an objective without one 1) but not satisfiedByMeasure (a
    sequencing LMS would then ignore the course's success status)."""
    from builder.model import Module, Pass, Quiz, Question
    quizzes = tuple(Quiz(id=f"m/q{mark}", slug=f"q{mark}", module_id="m", title="Q", kind="assessment",
                         pass_mark=mark, questions=(Question(id="a", type="true-false", prompt="?", answer=True),))
                    for mark in (90, 75))
    course = make_course(completion=Completion(), pass_rule=Pass(),
                         modules=(Module(id="m", title="M", pages=quizzes),))
    paths = scorm.write_packages(course, make_web(tmp_path), tmp_path / "dist", ["1.2", "2004"])
    assert read_manifest(paths[0]).find(".//adlcp:masteryscore", NS12) is None
    primary = read_manifest(paths[1]).find(".//imsss:primaryObjective", NS2004)
    assert primary.findtext("imsss:minNormalizedMeasure", namespaces=NS2004) == "0.75"
    assert primary.get("satisfiedByMeasure") == "false"


def test_identifier_is_a_valid_xml_id_even_for_a_numeric_slug(tmp_path: Path) -> None:
    course = make_course(id="2024-induction")
    path = scorm.write_packages(course, make_web(tmp_path), tmp_path / "dist", ["1.2"])[0]
    assert path.name == "2024-induction-1.2.0-scorm12.zip"
    assert read_manifest(path).get("identifier") == "c-2024-induction"


def test_missing_launch_page_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    with pytest.raises(scorm.BuildError, match="index.html"):
        scorm.write_packages(make_course(), tmp_path / "web", tmp_path / "dist", ["1.2"])
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


def test_a_web_file_named_like_a_package_control_file_is_refused(tmp_path: Path) -> None:
    web = make_web(tmp_path)
    (web / "imsmanifest.xml").write_text("<x/>")
    with pytest.raises(scorm.BuildError, match="reserved"):
        scorm.write_packages(make_course(), web, tmp_path / "dist", ["2004"])


def test_symlink_out_of_the_course_is_refused(tmp_path: Path) -> None:
    web = make_web(tmp_path)
    (tmp_path / "secret.txt").write_text("secret")
    (web / "media" / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(scorm.BuildError, match="outside"):
        scorm.write_packages(make_course(), web, tmp_path / "dist", ["1.2"])


def test_sample_course_packages_validate(repo_root: Path, official_schemas: Path, tmp_path: Path) -> None:
    """The real sample course, built and packaged in both versions, validates and names every file."""
    try:
        from builder.build import build
    except ModuleNotFoundError:
        pytest.skip("builder.build does not exist yet: the sample course cannot be built")
    report = build(repo_root / "course_src", tmp_path / "dist")
    paths = scorm.write_packages(report.course, report.web_dir, tmp_path / "dist", report.course.tracking.scorm)
    assert [p.name for p in paths] == [f"ct-consular-{report.course.version}-scorm12.zip",
                                       f"ct-consular-{report.course.version}-scorm2004.zip"]
    for version, path, ns in zip(["1.2", "2004"], paths, [NS12, NS2004]):
        manifest = read_manifest(path)
        schema = load_schema(manifest, official_schemas / OFFICIAL[version])
        assert schema.validate(manifest), schema.error_log
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        web = {p.relative_to(report.web_dir).as_posix() for p in report.web_dir.rglob("*")
               if p.is_file() and not p.name.startswith(".")}  # the build's list of its files stays out
        assert named_files(manifest, ns) <= names
        # The glossary and the frameworks, scripts and pages of their own, are files of the resource.
        assert {"pages/glossary.js", "pages/frameworks.js", "glossary.html", "frameworks.html",
                "es/pages/glossary.js", "es/frameworks.html"} <= named_files(manifest, ns)
        assert {n for n in names if not n.endswith((".xsd", "imsmanifest.xml"))} == web
    # The same sources built again give byte-identical packages.
    rebuilt = build(repo_root / "course_src", tmp_path / "again")
    again = scorm.write_packages(rebuilt.course, rebuilt.web_dir, tmp_path / "again", ["1.2", "2004"])
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_package_with_several_languages_launches_the_page_that_keeps_one_session(
    tmp_path: Path, official_schemas: Path, version: str
) -> None:
    web = make_web(tmp_path)
    (path,) = scorm.write_packages(make_course(), web, tmp_path / "dist", [version], shell=True)
    manifest = read_manifest(path)
    schema = load_schema(manifest, official_schemas / OFFICIAL[version])
    if not schema.validate(manifest):
        pytest.fail("\n".join(str(e) for e in schema.error_log))
    ns = {"cp": manifest.nsmap[None]}
    (resource,) = manifest.iterfind(".//cp:resource", ns)
    assert resource.get("href") == scorm.SHELL
    with zipfile.ZipFile(path) as zf:
        launch = zf.read(scorm.SHELL).decode("utf-8")
    assert scorm.SHELL in named_files(manifest, ns) and 'src="about:blank"' in launch and "index.html" in launch
