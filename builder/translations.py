"""Courses in several languages: translated text laid over the source course's structure.

A translation is a copy of any source file under `translations/<lang>/`, at the same relative path.
Structure (ids, correct answers, scenario links, points) always comes from the source, so a
translation can never change what is scored or tracked; only text comes from the translation, and
anything missing falls back to the source language. `translations/<lang>/translation.yaml`
records which version of each source file was translated, so stale translations can be reported.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .errors import Issues, SourceRef
from .model import Character, Course, Instrument, Lesson, Module, Node, Option, Pair, Question, Quiz, Scenario, Term
from .sources import SourceFile, SourceTree, inside
from .yamlio import load_yaml

MANIFEST = "translation.yaml"
LANGUAGE_NAMES = {
    "ar": "العربية", "de": "Deutsch", "en": "English", "es": "Español", "fa": "فارسی", "fr": "Français",
    "he": "עברית", "it": "Italiano", "nl": "Nederlands", "pt": "Português", "ru": "Русский",
    "sq": "Shqip", "tr": "Türkçe", "uk": "Українська", "ur": "اردو", "zh": "中文",
}


def language_name(tag: str) -> str:
    """A language's own name for itself, for the language picker."""
    return LANGUAGE_NAMES.get(tag, LANGUAGE_NAMES.get(tag.split("-")[0], tag))


def source_files(tree: SourceTree) -> list[SourceFile]:
    files = [tree.course, tree.glossary, tree.frameworks]
    for module in tree.modules:
        files.append(module.module_yaml)
        files.extend(module.pages)
    return [f for f in files if f is not None]


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


ORIGINAL_COURSE_TEXTS = ("title", "subtitle", "description", "organization", "authors")
COURSE_TEXTS = (*ORIGINAL_COURSE_TEXTS, "cover_alt")  # course.yaml's translated keys


def source_version(path: str, text: str) -> str:
    """The version of a source file a translation follows: its whole text, except course.yaml,
    where only the translated texts count (adding a language to `translations:` or changing a
    setting leaves every translation of it up to date)."""
    if path == "course.yaml":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            # A key the course does not use is left out, so a key added to COURSE_TEXTS later
            # keeps every translation of a course without it up to date.
            texts = {key: data.get(key) for key in COURSE_TEXTS if key in ORIGINAL_COURSE_TEXTS or key in data}
            return fingerprint(json.dumps(texts, sort_keys=True, ensure_ascii=False, default=str))
    return fingerprint(text)


_versions: dict[tuple[str, str], tuple[str, str]] = {}  # (path, text) → its versions: each language asks


def is_current(recorded: str | None, path: str, text: str) -> bool:
    """Whether a recorded version is today's (manifests written before course.yaml counted only
    its texts recorded its whole text)."""
    if recorded is None:
        return False
    versions = _versions.get((path, text))
    if versions is None:
        if len(_versions) >= 4096:
            _versions.clear()
        versions = _versions[(path, text)] = (source_version(path, text), fingerprint(text))
    return recorded in versions


def translation_dir(root: Path, lang: str) -> Path:
    return root / "translations" / lang


_manifests: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}  # read once per version of the file


def read_manifest(root: Path, lang: str) -> dict[str, str]:
    path = translation_dir(root, lang) / MANIFEST
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not path.is_file():
        return {}
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _manifests.get(path)
    if known is not None and known[0] == stamp:
        return dict(known[1])
    data = load_yaml(path.read_text(encoding="utf-8"), str(path), Issues()) or {}  # within the YAML budgets
    files = data.get("files") if isinstance(data, dict) else None
    recorded = {str(k): str(v) for k, v in (files or {}).items()}
    _manifests[path] = (stamp, recorded)
    return dict(recorded)


def write_manifest(root: Path, lang: str, source_language: str, files: dict[str, str]) -> Path:
    """Record the source version each translated file was made from."""
    path = translation_dir(root, lang) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"language": lang, "source_language": source_language, "files": dict(sorted(files.items()))}
    path.write_text("# The source version each file was translated from; `course translate mark` updates it.\n"
                    + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def overlay(tree: SourceTree, lang: str, issues: Issues) -> SourceTree:
    """The source tree with each file's text replaced by its translation where one exists."""
    base = translation_dir(tree.root, lang)
    folders: dict[str, str] = {}  # real paths of the folders met, for inside()

    def swap(source: SourceFile | None) -> SourceFile | None:
        if source is None:
            return None
        path = base / source.path
        if not path.is_file():
            return source
        rel = path.relative_to(tree.root).as_posix()
        if inside(path, tree.root, folders) is None:
            issues.error(SourceRef(rel), "file is a link to a file outside the course folder",
                         "copy the file into the course folder instead of linking to it")
            return source
        try:
            text = path.read_text(encoding="utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            issues.error(SourceRef(rel), "file is not UTF-8 text", "save it as UTF-8")
            return source
        return replace(source, path=rel, text=text)

    modules = []
    for module in tree.modules:
        modules.append(replace(module, module_yaml=swap(module.module_yaml), pages=[swap(p) for p in module.pages]))
    return SourceTree(tree.root, swap(tree.course), swap(tree.glossary), swap(tree.frameworks), modules)


def check_status(tree: SourceTree, lang: str, issues: Issues) -> None:
    """Warn about files not yet translated, translated from an older source, or with no source."""
    base = translation_dir(tree.root, lang)
    if not base.is_dir():
        issues.warning(SourceRef("course.yaml"), f"translations/{lang}/ does not exist: the '{lang}' course "
                       "is all in the source language", f"run 'course translate export --lang {lang}'")
        return
    recorded = read_manifest(tree.root, lang)
    known = set()
    for source in source_files(tree):
        known.add(source.path)
        translated = base / source.path
        where = SourceRef(f"translations/{lang}/{source.path}")
        if not translated.is_file():
            issues.warning(SourceRef(source.path), f"not translated into '{lang}' (the source text is used)",
                           f"add translations/{lang}/{source.path}")
        elif source.path not in recorded:
            issues.warning(where, f"no record of which source version this '{lang}' translation follows",
                           f"once it is up to date, run 'course translate mark --lang {lang} {source.path}'")
        elif not is_current(recorded.get(source.path), source.path, source.text):
            issues.warning(where, f"the source changed after this '{lang}' translation was made",
                           f"update the translation, then run 'course translate mark --lang {lang} {source.path}'")
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if not path.is_file() or rel == MANIFEST:
            continue
        if rel.startswith("media/") and not (tree.root / rel).is_file():
            issues.warning(SourceRef(f"translations/{lang}/{rel}"), f"'{lang}' version of a media file the course "
                           f"does not have: {rel}", f"name it as the file under media/ it translates, or delete it")
        elif not rel.startswith("media/") and rel not in known:
            issues.warning(SourceRef(f"translations/{lang}/{rel}"), "translation of a file the source does not have",
                           "rename it to match a source file, or delete it")


IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})


def _svg_has_words(path: Path) -> bool:
    """Whether an SVG draws text (a <text> element); one that cannot be read is taken to have some."""
    from xml.etree import ElementTree as ET  # only for a translated course's images

    try:
        for _, element in ET.iterparse(path, events=("start",)):
            if element.tag.rpartition("}")[2] == "text":
                return True
    except (ET.ParseError, OSError):
        return True
    return False


def _is_neutral(url: str, neutral: tuple[str, ...]) -> bool:
    return any(url == entry or (entry.endswith("/") and url.startswith(entry)) for entry in neutral)


def check_media(root: Path, lang: str, source_language: str, media: dict[str, Path], neutral: tuple[str, ...],
                issues: Issues) -> None:
    """Warn about images the '<lang>' course shows with the source language's words in them.

    `media` maps each file's address in the course (`media/x.svg`) to the file used; a file under
    `translations/<lang>/media/` is a translated version. SVGs without text, and paths listed under
    `language_neutral_media` in course.yaml, need none.
    """
    base = str(translation_dir(root, lang).resolve()) + "/"
    for url, path in sorted(media.items()):
        if Path(url).suffix.lower() not in IMAGE_SUFFIXES or str(path.resolve()).startswith(base):
            continue
        if _is_neutral(url, neutral) or (url.lower().endswith(".svg") and not _svg_has_words(path)):
            continue
        issues.warning(SourceRef(url), f"image not translated into '{lang}': the '{lang}' course shows its "
                       f"words in '{source_language}'",
                       f"add translations/{lang}/{url}, or, if it has no words to translate, list it under "
                       "language_neutral_media in course.yaml")


# -- merging translated text onto the source structure -------------------------------------------

def _text(translated: str, source: str) -> str:
    return translated if translated.strip() else source


def _texts(translated: tuple[str, ...], source: tuple[str, ...]) -> tuple[str, ...]:
    return translated if len(translated) == len(source) else source


def _each_text(src: tuple[Any, ...], tr: tuple[Any, ...], name: str) -> tuple[Any, ...]:
    """Groups, items or regions with the translation's `name` text; ids, groups and shapes stay the source's."""
    if len(tr) != len(src):
        return src
    return tuple(replace(s, **{name: _text(getattr(t, name), getattr(s, name))}, source=t.source,
                         text_refs=t.text_refs) for s, t in zip(src, tr))


def merge_question(src: Question, tr: Question | None) -> Question:
    """A question with the translation's texts over the source's structure (ids, answers, points)."""
    if tr is None or tr.type != src.type:
        return src
    options = tuple(
        Option(_text(t.text, s.text), s.correct, _text(t.feedback, s.feedback))
        for s, t in zip(src.options, tr.options)
    ) if len(tr.options) == len(src.options) else src.options
    pairs = tuple(Pair(_text(t.left, s.left), _text(t.right, s.right)) for s, t in zip(src.pairs, tr.pairs)) \
        if len(tr.pairs) == len(src.pairs) else src.pairs
    groups = _each_text(src.groups, tr.groups, "text")
    sort_items = _each_text(src.sort_items, tr.sort_items, "text")
    regions = _each_text(src.regions, tr.regions, "label")
    return replace(
        src, prompt=_text(tr.prompt, src.prompt), options=options, pairs=pairs,
        answers=tr.answers or src.answers, items=_texts(tr.items, src.items),
        groups=groups, sort_items=sort_items, regions=regions, alt=_text(tr.alt, src.alt),
        feedback_correct=_text(tr.feedback_correct, src.feedback_correct),
        feedback_incorrect=_text(tr.feedback_incorrect, src.feedback_incorrect),
        explanation=_text(tr.explanation, src.explanation), source=tr.source,
    )


def _node(src: Node, tr: Node | None) -> Node:
    if tr is None:
        return src
    choices = tuple(
        replace(s, text=_text(t.text, s.text), feedback=_text(t.feedback, s.feedback), source=t.source)
        for s, t in zip(src.choices, tr.choices)
    ) if len(tr.choices) == len(src.choices) else src.choices
    lines = tuple(replace(s, say=_text(t.say, s.say), source=t.source) for s, t in zip(src.lines, tr.lines)) \
        if len(tr.lines) == len(src.lines) else src.lines
    parts = tuple(replace(s, text=_text(t.text, s.text), source=t.source)
                  for s, t in zip(src.debrief_parts, tr.debrief_parts)) \
        if len(tr.debrief_parts) == len(src.debrief_parts) else src.debrief_parts
    return replace(src, text=_text(tr.text, src.text), debrief=_text(tr.debrief, src.debrief),
                   alt=_text(tr.alt, src.alt), choices=choices, lines=lines, debrief_parts=parts, source=tr.source)


def _character(src: Character, tr: Character | None) -> Character:
    if tr is None:
        return src
    return replace(src, name=_text(tr.name, src.name), role=_text(tr.role, src.role), alt=_text(tr.alt, src.alt),
                   source=tr.source)


def _common(src, tr):  # noqa: ANN001, ANN202 - any page kind
    return dict(title=_text(tr.title, src.title), facilitator=_text(tr.facilitator, src.facilitator),
                summary=_text(tr.summary, src.summary), objectives=_texts(tr.objectives, src.objectives),
                source=tr.source)


# Pages merged by earlier builds (`course serve` merges every language again on each save): by the
# source and translated pages' identities, both held so that neither id is reused while named here.
# The load cache gives an unchanged file's page the same object each build, so only a saved file's
# page is merged again (a lesson's merge parses its source's headings).
_merged: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
MERGED_KEPT = 4096


def _page(src, tr):  # noqa: ANN001, ANN202
    if tr is None or type(tr) is not type(src):
        return src
    known = _merged.get((id(src), id(tr)))
    if known is not None and known[0] is src and known[1] is tr:
        return known[2]
    if len(_merged) >= MERGED_KEPT:
        _merged.clear()
    merged = _merge_page(src, tr)
    _merged[(id(src), id(tr))] = (src, tr, merged)
    return merged


def _merge_page(src, tr):  # noqa: ANN001, ANN202
    if isinstance(src, Lesson):
        if not tr.body.strip():
            return replace(src, **{**_common(src, tr), "source": src.source})
        from .markdown import outline
        from .render import without_title

        headings, checks = outline(without_title(src.body, src.title))
        return replace(src, body=tr.body, body_line=tr.body_line, source_headings=headings, source_checks=checks,
                       **_common(src, tr))
    if isinstance(src, Quiz):
        by_id = {q.id: q for q in tr.questions}
        return replace(src, intro=_text(tr.intro, src.intro),
                       questions=tuple(merge_question(q, by_id.get(q.id)) for q in src.questions), **_common(src, tr))
    assert isinstance(src, Scenario)
    return replace(src, intro=_text(tr.intro, src.intro),
                   nodes=tuple(_node(n, tr.node(n.id)) for n in src.nodes),
                   characters=tuple(_character(c, tr.character(c.id)) for c in src.characters), **_common(src, tr))


def _module(src: Module, tr: Module | None) -> Module:
    if tr is None:
        return src
    pages = {p.id: p for p in tr.pages}
    return replace(src, title=_text(tr.title, src.title), description=_text(tr.description, src.description),
                   objectives=_texts(tr.objectives, src.objectives),
                   pages=tuple(_page(p, pages.get(p.id)) for p in src.pages), source=tr.source)


def _term(src: Term, tr: Term | None) -> Term:
    if tr is None:
        return src
    return replace(src, term=_text(tr.term, src.term), aliases=tr.aliases,
                   definition=_text(tr.definition, src.definition), source=tr.source)


def _instrument(src: Instrument, tr: Instrument | None) -> Instrument:
    if tr is None:
        return src
    articles = tuple(
        replace(a, title=_text(t.title, a.title), summary=_text(t.summary, a.summary), source=t.source)
        if (t := tr.article(a.number)) else a for a in src.articles
    )
    return replace(src, title=_text(tr.title, src.title), short=_text(tr.short, src.short),
                   summary=_text(tr.summary, src.summary), jurisdiction=_text(tr.jurisdiction, src.jurisdiction),
                   articles=articles, source=tr.source)


def merge(source: Course, translated: Course | None, lang: str) -> Course:
    """The source course with the translation's text; structure and ids stay the source's."""
    if translated is None:
        return replace(source, language=lang, translations=())
    modules = {m.id: m for m in translated.modules}
    terms = list(translated.glossary)
    instruments = {i.id: i for i in translated.frameworks}
    glossary = tuple(
        _term(t, terms[i] if i < len(terms) and len(terms) == len(source.glossary) else None)
        for i, t in enumerate(source.glossary)
    )
    return replace(
        source, language=lang, translations=(),
        title=_text(translated.title, source.title), subtitle=_text(translated.subtitle, source.subtitle),
        authors=translated.authors if len(translated.authors) == len(source.authors) else source.authors,
        organization=_text(translated.organization, source.organization),
        description=_text(translated.description, source.description),
        cover_alt=source.cover_alt if source.cover_alt is None else _text(translated.cover_alt or "", source.cover_alt),
        modules=tuple(_module(m, modules.get(m.id)) for m in source.modules), glossary=glossary,
        frameworks=tuple(_instrument(i, instruments.get(i.id)) for i in source.frameworks),
    )


def mark(tree: SourceTree, lang: str, paths: list[str] | None = None) -> list[str]:
    """Record that the translations of `paths` (default: every translated file) follow today's source."""
    recorded = read_manifest(tree.root, lang)
    base = translation_dir(tree.root, lang)
    marked = []
    for source in source_files(tree):
        if (paths is None or source.path in paths) and (base / source.path).is_file():
            recorded[source.path] = source_version(source.path, source.text)
            marked.append(source.path)
    meta = yaml.safe_load(tree.course.text) if tree.course else None
    source_language = str(meta.get("language", "en")) if isinstance(meta, dict) else "en"
    write_manifest(tree.root, lang, source_language, recorded)
    return marked


def mark_arguments(args: tuple[str, ...], cwd: Path) -> tuple[Path, list[str]]:
    """`course translate mark`'s arguments: an optional course folder, then files.

    The course folder is the first argument when it is one (it has a course.yaml); else the
    current folder when it is a course folder; else course_src/. Files may be named relative to
    the course folder (as `course check` prints them) or to the current folder, as sources or as
    their translations.
    """
    rest = list(args)
    if rest and (cwd / rest[0]).is_dir() and (cwd / rest[0] / "course.yaml").is_file():
        source = Path(rest.pop(0))
    elif (cwd / "course.yaml").is_file():
        source = Path(".")
    else:
        source = Path("course_src")
    root = (cwd / source).resolve()
    files = []
    for raw in rest:
        path = (cwd / raw).resolve()
        inside = path.is_relative_to(root) and path.exists()
        rel = path.relative_to(root).as_posix() if inside else Path(raw).as_posix().removeprefix("./")
        if rel.startswith("translations/") and rel.count("/") >= 2:
            rel = rel.split("/", 2)[2]
        files.append(rel)
    return source, files


def mark_issues(tree: SourceTree, lang: str, files: list[str], issues: Issues) -> None:
    """Files `course translate mark` cannot mark: not a source of the course, or not translated."""
    known = {f.path for f in source_files(tree)}
    base = translation_dir(tree.root, lang)
    for rel in files:
        if rel not in known:
            from .errors import did_you_mean

            issues.error(SourceRef(rel), f"not a source file of the course, so it has no '{lang}' translation to mark",
                         did_you_mean(rel, sorted(known)) or "name it as 'course check' does, e.g. course.yaml")
        elif not (base / rel).is_file():
            issues.error(SourceRef(rel), f"not translated into '{lang}': translations/{lang}/{rel} does not exist",
                         f"import a translation ('course translate import') or write translations/{lang}/{rel}")
