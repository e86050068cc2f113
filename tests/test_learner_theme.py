"""The default theme's source rules: logical CSS properties only (right to left mirrors), every
interface string from the catalogue, nothing fetched from the network (but by the xAPI tracker, from
the LRS an organisation sets), and the size budget."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import yaml

THEME = Path(__file__).resolve().parent.parent / "themes" / "default"
THEME_YAML = yaml.safe_load((THEME / "theme.yaml").read_text(encoding="utf-8"))
STRINGS = yaml.safe_load((THEME / "locales" / "en.yaml").read_text(encoding="utf-8"))
# course.js, then the parts loaded when a page needs them (quiz, scenario, certificate, search, scorm, xapi)
ALL_SCRIPTS = list(dict.fromkeys(THEME_YAML["scripts"] + [p for part in THEME_YAML.get("parts", {}).values() for p in part]))
OWN_SCRIPTS = [p for p in ALL_SCRIPTS if p != "runtime/scorm.js"]

PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border|inset|scroll-margin|scroll-padding)-(left|right|top|bottom)\b"
    r"|(?<![\w-])(left|right|top|bottom)\s*:"
    r"|(?<![\w-])(text-align|float|clear)\s*:\s*(left|right)"
    r"|border-(top|bottom)-(left|right)-radius"
    r"|(?<![\w-])(width|height|min-height|max-height|min-width|max-width)\s*:"
)


def strip_css_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def test_stylesheets_use_logical_properties_only() -> None:
    found = []
    for name in THEME_YAML["stylesheets"]:
        for number, line in enumerate(strip_css_comments((THEME / name).read_text("utf-8")).splitlines(), 1):
            # Media queries may test the viewport's width; properties may not be physical.
            if line.lstrip().startswith("@media"):
                continue
            for match in PHYSICAL.finditer(line):
                found.append(f"{name}:{number}: {match.group(0)}  ({line.strip()})")
    assert not found, "physical properties (use inline/block logical ones):\n" + "\n".join(found)


def template_keys(paths) -> set[str]:
    keys: set[str] = set()
    for path in paths:
        text = path.read_text("utf-8")
        keys |= set(re.findall(r"strings\.([a-z_]+)", text))
        keys |= set(re.findall(r"strings\[\"([a-z_-]+)\"\]", text))
    return keys


def runtime_keys() -> set[str]:
    """Keys the runtime asks for by name: t("key"), CW.t("key"), and { key: "key" } handed to t()."""
    keys: set[str] = set()
    for name in OWN_SCRIPTS:
        # Whole keys only: t("ending_" + kind) is composed, and listed below.
        text = (THEME / name).read_text("utf-8")
        keys |= set(re.findall(r"\bt\(\"([a-z0-9_-]+)\"\s*[,)]", text))
        keys |= set(re.findall(r"\bkey:\s*\"([a-z0-9_-]+)\"", text))
    return keys


def runtime_literals() -> set[str]:
    """Every string literal of the runtime: a key picked by a condition (a ? "key_a" : "key_b") is one."""
    return {literal for name in OWN_SCRIPTS
            for literal in re.findall(r"\"([a-z0-9_-]+)\"", (THEME / name).read_text("utf-8"))}


def test_every_interface_string_of_the_web_course_is_in_the_catalogue() -> None:
    composed = (
        [f"kind_{k}" for k in ("lesson", "quiz", "scenario")]
        + [f"quiz_kind_{k}" for k in ("assessment", "knowledge-check")]
        + [f"scenario_kind_{k}" for k in ("practice", "assessment")]
        + [f"ending_{k}" for k in ("good", "neutral", "poor")]
        + [f"scenario_tone_{k}" for k in ("good", "mixed", "risky")]
        + [f"hint_{k}" for k in ("single", "multiple", "true_false", "fill_in", "matching", "ordering",
                                 "categorisation", "hotspot")]
        + ["answer_true", "answer_false"]
        + [f"end_a_{k}" for k in ("passed", "retry", "failed")]  # results.js: an assessment's status
        + [f"end_next_{k}" for k in ("continue", "retry", "review", "contact")]  # results.js: summary.next
        + [f"callout_{k}" for k in ("note", "tip", "warning", "important")]  # content.js: a callout's kind
        + [f"toc_{k}" for k in ("done", "passed", "retry", "failed")]  # nav.js: a page's status
        + [f"landing_module_{k}" for k in ("done", "retry", "failed", "new")]  # landing.js: a module's status
    )
    course_templates = [THEME / "templates" / "course.html", THEME / "templates" / "question.html",
                        *(THEME / "templates" / "partials").glob("*.html")]
    wanted = template_keys(course_templates) | runtime_keys() | set(composed)
    missing = sorted(k for k in wanted if k not in STRINGS)
    assert not missing, f"keys missing from locales/en.yaml: {missing}"
    assert all(isinstance(v, str) and v.strip() for v in STRINGS.values()), "every string has text"
    used = wanted | template_keys((THEME / "templates").rglob("*.html")) | runtime_literals()
    builder = "\n".join(p.read_text("utf-8") for p in (THEME.parent.parent / "builder").glob("*.py"))

    def builder_uses(key: str) -> bool:
        # A literal key, or a composed one: f"level_{level}".
        return f'"{key}"' in builder or f'f"{key.rsplit("_", 1)[0]}_{{' in builder

    unused = sorted(k for k in STRINGS if k not in used and not builder_uses(k))
    assert not unused, f"keys in locales/en.yaml that nothing uses: {unused}"


def test_no_literal_interface_text_in_the_runtime() -> None:
    """Text shown to learners comes from the catalogue: no English sentences in the scripts."""
    found = []
    for name in OWN_SCRIPTS:
        text = re.sub(r"/\*.*?\*/|//[^\n]*", "", (THEME / name).read_text("utf-8"), flags=re.DOTALL)
        for literal in re.findall(r"\"([^\"\\]*)\"", text):
            if re.search(r"[A-Z][a-z]+ [a-z]+", literal):
                found.append(f"{name}: {literal}")
    assert not found, "interface text outside the catalogue:\n" + "\n".join(found)


# The xAPI tracker: it sends statements to the LRS an organisation sets (in the launch address or
# course.yaml), and to nothing else; a course without one makes no request (tests/test_lrs_xapi.py).
XAPI_TRACKER = {"runtime/lrs.js", "runtime/xapi.js"}
# The browser's fetch (global, or through window, self, globalThis or root), not a method of the runtime's own.
NETWORK_CALL = re.compile(r"(?:(?<![\w.$])|\b(?:window|self|globalThis|root)\.)fetch\s*\(|XMLHttpRequest|\bimport\s*\(|sendBeacon|WebSocket|EventSource")
# Addresses only as names: the SVG namespace, and the IRIs xAPI names verbs and activity types by.
ADDRESS = re.compile(r"https?://(?!www\.w3\.org/2000/svg|adlnet\.gov/expapi/|w3id\.org/xapi/)\S*")


def test_the_runtime_reaches_for_nothing_outside_the_page() -> None:
    assert all(name in ALL_SCRIPTS for name in XAPI_TRACKER)
    for name in ALL_SCRIPTS:
        text = re.sub(r"/\*.*?\*/|(?<![:\\])//[^\n]*", "", (THEME / name).read_text("utf-8"), flags=re.DOTALL)  # code only
        if name not in XAPI_TRACKER:
            assert not NETWORK_CALL.search(text), f"{name} uses the network: {NETWORK_CALL.search(text).group(0)}"
        assert not ADDRESS.search(text), f"{name} names an address of its own: {ADDRESS.search(text).group(0)}"
    for path in (THEME / "templates").rglob("*.html"):
        text = path.read_text("utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"{path.name} loads something from the network"


BLOCKS = Path(__file__).resolve().parent / "fixtures" / "courses" / "blocks"
SIZE_GUARD_KB = 75  # the target, under 60 KB, is measured by benchmarks/run.py; this catches a jump past it


def test_the_runtime_a_learner_downloads_stays_within_its_size_guard(tmp_path: Path) -> None:
    """course.js and course.css as built (minified) for a course using every content block, gzipped.

    Every script and stylesheet of the theme, the parts loaded on demand included: a course that uses
    every page kind loads them all.
    """
    from builder.build import build

    assets = build(BLOCKS, tmp_path / "dist").web_dir / "assets"
    names = ["course.js", "course.css", *(f"course-{part}.js" for part in THEME_YAML.get("parts", {}))]
    size = sum(len(gzip.compress((assets / name).read_bytes(), 9, mtime=0)) for name in names)
    assert size > 10 * 1024, "the runtime and styles are in the built course"
    assert size < SIZE_GUARD_KB * 1024, f"JS + CSS is {size / 1024:.1f} KB gzipped (target: under 60 KB)"
