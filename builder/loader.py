"""Read source records into the typed model; shape problems are reported, never raised."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import schema
from .bothends import from_both_ends
from .errors import Issue, Issues, SourceRef
from .bothends import worker_count
from .model import (
    Article, Branch, Character, Choice, Completion, Condition, Course, DebriefPart, Group, Instrument, Lesson, Line,
    Module, Node, Option, Page, Pair, Pass, Question, Quiz, Region, Scenario, SortItem, Term, Tracking,
)
from .sources import ModuleSources, SourceFile, SourceTree, slugify, split_name
from .yamlio import LList, LMap, load_yaml, split_front_matter

if TYPE_CHECKING:
    from .loadcache import KeptPages


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(_text(v) for v in value)
    return (_text(value),)


def _text_refs(data: Any, prefix: str = "") -> dict[str, SourceRef]:
    """Where each text field's text starts (`prompt`, `feedback.correct`, `items.2`), for exact positions."""
    refs: dict[str, SourceRef] = {}
    if not isinstance(data, LMap):
        return refs
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in data.text_refs:
            refs[name] = data.text_refs[key]
        elif isinstance(value, LMap) and key == "feedback":
            refs.update(_text_refs(value, f"{name}."))
        elif isinstance(value, LList):
            refs.update({f"{name}.{i}": ref for i, ref in enumerate(value.text_refs)})
    return refs


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _load(source: SourceFile, kind: str, issues: Issues, line_offset: int = 0, text: str | None = None) -> Any:
    before = len(issues)
    data = load_yaml(source.text if text is None else text, source.path, issues, line_offset)
    if data is None:
        if len(issues) == before:  # an empty document: say what it needs
            schema.check(data, kind, issues, source.ref.at(line_offset + 1))
        return None
    if not schema.check(data, kind, issues, source.ref.at(line_offset + 1)):
        return None if not isinstance(data, LMap | LList) else data
    return data


def _ref(data: Any, where: SourceRef) -> SourceRef:
    return getattr(data, "ref", where)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _region(data: LMap, where: SourceRef) -> Region:
    """A hotspot region; a malformed shape loads as no points, which validation reports with its place."""
    rect, polygon = data.get("rect"), data.get("polygon")
    points: tuple[tuple[float, float], ...] = ()
    if isinstance(rect, list) and len(rect) == 4 and all(_number(v) is not None for v in rect):
        x, y, w, h = (float(v) for v in rect)
        points = ((x, y), (x + w, y + h))
    elif isinstance(polygon, list):
        pairs = [p for p in polygon if isinstance(p, list) and len(p) == 2]
        if len(pairs) == len(polygon) and all(_number(v) is not None for p in pairs for v in p):
            points = tuple((float(p[0]), float(p[1])) for p in pairs)
    shape = "both" if rect is not None and polygon is not None else "rect" if rect is not None else "polygon"
    return Region(_text(data.get("label")), shape, points,
                  data.get("correct") is True, _ref(data, where), _text_refs(data))


def question_from_data(data: LMap, where: SourceRef) -> Question:
    """One question from its YAML mapping (quizzes and inline checks share this)."""
    feedback = data.get("feedback") if isinstance(data.get("feedback"), dict) else {}
    options = tuple(
        Option(_text(o.get("text")), bool(o.get("correct", False)), _text(o.get("feedback")), _text_refs(o))
        for o in data.get("options") or () if isinstance(o, dict)
    )
    pairs = tuple(Pair(_text(p.get("left")), _text(p.get("right")), _text_refs(p))
                  for p in data.get("pairs") or () if isinstance(p, dict))
    raw_items = data.get("items") or ()
    sort_items = tuple(SortItem(_text(i.get("text")), _text(i.get("group")), _ref(i, where), _text_refs(i))
                       for i in raw_items if isinstance(i, dict))
    groups = tuple(Group(_text(g.get("id")), _text(g.get("text")), _ref(g, where), _text_refs(g))
                   for g in data.get("groups") or () if isinstance(g, dict))
    regions = tuple(_region(r, where) for r in data.get("regions") or () if isinstance(r, dict))
    answer = data.get("answer")
    return Question(
        id=_text(data.get("id")),
        type=_text(data.get("type")),
        prompt=_text(data.get("prompt")),
        points=data.get("points", 1) if isinstance(data.get("points", 1), (int, float)) else 1,
        options=options,
        answer=answer if isinstance(answer, bool) else None,
        answers=_texts(data.get("answers")),
        pairs=pairs,
        items=tuple(_text(i) for i in raw_items if not isinstance(i, dict)) if isinstance(raw_items, list)
        else _texts(raw_items),
        groups=groups, sort_items=sort_items, regions=regions,
        image=_text(data.get("image")), alt=_text(data.get("alt")),
        feedback_correct=_text(feedback.get("correct")),
        feedback_incorrect=_text(feedback.get("incorrect")),
        explanation=_text(data.get("explanation")),
        source=getattr(data, "ref", where), text_refs=_text_refs(data),
    )


def load_question(text: str, where: SourceRef, issues: Issues) -> Question | None:
    """An inline `::: check` question from its YAML body, positioned in its lesson."""
    before = len(issues)
    data = load_yaml(text, where.path, issues, where.line - 1)
    if data is None:
        if len(issues) == before:
            issues.error(where, "the check has no question", "write one question in the quiz format")
        return None
    if not schema.check(data, "question", issues, where) or not isinstance(data, LMap):
        return None
    return question_from_data(data, where)


def _lesson(source: SourceFile, module_id: str, issues: Issues) -> Lesson | None:
    split = split_front_matter(source.text)
    if split.yaml_text is None:
        issues.error(source.ref, "lesson has no front matter",
                     "start the file with a '---' block holding at least 'title:'")
        return None
    before = len(issues)
    meta = load_yaml(split.yaml_text, source.path, issues, split.yaml_line)
    if meta is None:
        if len(issues) == before:
            issues.error(source.ref, "front matter is empty", "give the lesson at least a 'title:'")
        return None
    if not schema.check(meta, "lesson", issues, source.ref.at(split.yaml_line + 1)) or not isinstance(meta, LMap):
        return None
    return Lesson(
        id=f"{module_id}/{source.slug}", slug=source.slug, module_id=module_id,
        title=_text(meta.get("title")), body=split.body, body_line=split.body_line,
        objectives=_texts(meta.get("objectives")), duration=_int_or_none(meta.get("duration")),
        summary=_text(meta.get("summary")), facilitator=_text(meta.get("facilitator")),
        source=source.ref, text_refs=_text_refs(meta),
    )


def _quiz(source: SourceFile, module_id: str, issues: Issues) -> Quiz | None:
    data = _load(source, "quiz", issues)
    if not isinstance(data, LMap):
        return None
    questions = tuple(
        question_from_data(q, data.value_ref("questions"))
        for q in data.get("questions") or () if isinstance(q, LMap)
    )
    return Quiz(
        id=f"{module_id}/{source.slug}", slug=source.slug, module_id=module_id,
        title=_text(data.get("title")), questions=questions,
        kind=_text(data.get("kind") or "knowledge-check"), pass_mark=_int_or_none(data.get("pass_mark")),
        attempts=_int_or_none(data.get("attempts")) or 0, shuffle=bool(data.get("shuffle", False)),
        draw=_int_or_none(data.get("draw")), feedback=_text(data.get("feedback") or "immediate"),
        one_per_screen=data.get("one_per_screen") is True,
        intro=_text(data.get("intro")), duration=_int_or_none(data.get("duration")),
        facilitator=_text(data.get("facilitator")), objectives=_texts(data.get("objectives")),
        summary=_text(data.get("summary")), source=data.ref, text_refs=_text_refs(data),
    )


def _condition(data: LMap, key: str) -> Condition | None:
    value = data.get(key)
    if value is None:
        return None
    where = data.text_refs.get(key) or data.value_ref(key)
    return Condition(_text(value), where)


def _choice(c: LMap) -> Choice:
    """A choice: `goto` a node id, or a list of `{if: condition, node: id}` tried in order."""
    goto = c.get("goto")
    branches: tuple[Branch, ...] = ()
    if isinstance(goto, LList):
        branches = tuple(Branch(_text(b.get("node")), _condition(b, "if"), goto.item_ref(i))
                         for i, b in enumerate(goto) if isinstance(b, LMap))
        goto = branches[-1].node if branches else ""
    else:
        branches = (Branch(_text(goto), None, c.ref),)
    points = c.get("points", 0)
    adds = c.get("add") if isinstance(c.get("add"), LMap) else {}
    return Choice(_text(c.get("text")), _text(goto), points if isinstance(points, (int, float)) else 0,
                  _text(c.get("feedback")), c.ref, _text_refs(c), branches=branches,
                  sets=_texts(c.get("set")),
                  adds=tuple((str(k), v) for k, v in adds.items() if isinstance(v, (int, float))),
                  harmful=c.get("harmful") is True)


def _debrief(node: LMap) -> tuple[str, tuple[DebriefPart, ...]]:
    value = node.get("debrief")
    if not isinstance(value, LList):
        return _text(value), ()
    return "", tuple(DebriefPart(_text(p.get("text")), _condition(p, "if"), value.item_ref(i), _text_refs(p))
                     for i, p in enumerate(value) if isinstance(p, LMap))


def _characters(data: LMap) -> tuple[Character, ...]:
    people = data.get("characters") if isinstance(data.get("characters"), LMap) else LMap()
    return tuple(Character(str(cid), _text(c.get("name")), _text(c.get("role")), _text(c.get("portrait")) or None,
                           _text(c.get("alt")), _text(c.get("colour")), people.key_ref(cid), _text_refs(c))
                 for cid, c in people.items() if isinstance(c, LMap))


def _scenario(source: SourceFile, module_id: str, issues: Issues) -> Scenario | None:
    data = _load(source, "scenario", issues)
    if not isinstance(data, LMap):
        return None
    nodes_data = data.get("nodes") if isinstance(data.get("nodes"), LMap) else LMap()
    nodes = []
    for node_id, node in nodes_data.items():
        if not isinstance(node, LMap):
            continue
        choices = tuple(_choice(c) for c in node.get("choices") or () if isinstance(c, LMap))
        lines_data = node.get("lines") if isinstance(node.get("lines"), LList) else LList()
        lines = tuple(Line(_text(line.get("who")), _text(line.get("say")), lines_data.item_ref(i), _text_refs(line))
                      for i, line in enumerate(lines_data) if isinstance(line, LMap))
        debrief, parts = _debrief(node)
        nodes.append(Node(
            id=node_id, text=_text(node.get("text")), choices=choices,
            ending=_text(node.get("ending")) or None, debrief=debrief,
            image=_text(node.get("image")) or None, alt=_text(node.get("alt")),
            source=nodes_data.key_ref(node_id), text_refs=_text_refs(node), lines=lines, debrief_parts=parts,
        ))
    return Scenario(
        id=f"{module_id}/{source.slug}", slug=source.slug, module_id=module_id,
        title=_text(data.get("title")), start=_text(data.get("start")), nodes=tuple(nodes),
        kind=_text(data.get("kind") or "practice"), intro=_text(data.get("intro")),
        pass_mark=_int_or_none(data.get("pass_mark")), attempts=_int_or_none(data.get("attempts")) or 0,
        duration=_int_or_none(data.get("duration")), facilitator=_text(data.get("facilitator")),
        objectives=_texts(data.get("objectives")), summary=_text(data.get("summary")), source=data.ref,
        text_refs=_text_refs(data), characters=_characters(data),
    )


_PAGE_LOADERS = {"lesson": _lesson, "quiz": _quiz, "scenario": _scenario}

# Loaded files kept between builds by `course serve`: (kind, path, text, module) → (object, issues).
LoadCache = dict


def _cached(cache: LoadCache | None, key: tuple, issues: Issues, load):  # noqa: ANN001, ANN202
    """Load once per file content; replay the problems it had."""
    if cache is None:
        return load(issues)
    hit = cache.get(key)
    if hit is None:
        local = Issues()
        hit = cache[key] = (load(local), list(local.items))
    cache.setdefault("__used__", set()).add(key)
    issues.extend(hit[1])
    return hit[0]


def prune(cache: LoadCache) -> None:
    """Forget files the last build did not read."""
    used = cache.pop("__used__", set())
    for key in [k for k in cache if k not in used]:
        del cache[key]


def _ordered_pages(module: ModuleSources, meta: LMap | None, issues: Issues) -> list[SourceFile]:
    """Pages in the order module.yaml's `pages:` gives, or by their numeric prefix."""
    listed = meta.get("pages") if meta is not None else None
    if not isinstance(listed, LList):
        return module.pages
    by_name = {p.path.rsplit("/", 1)[1]: p for p in module.pages}
    ordered: list[SourceFile] = []
    for index, name in enumerate(listed):
        page = by_name.get(_text(name))
        if page is None:
            from .errors import did_you_mean
            issues.error(listed.item_ref(index), f"page '{name}' is not in the module folder",
                         did_you_mean(_text(name), by_name) or "list file names of this folder")
        elif page not in ordered:
            ordered.append(page)
    for name, page in by_name.items():
        if page not in ordered:
            issues.warning(page.ref, f"'{name}' is not listed in module.yaml's pages and was left out",
                           "add it to pages: or remove the file")
    return ordered


# A page file loaded by a process forked to load modules from the back of the course: the page, the
# problems it had, and its record for the next build (its digest and what `KeptPages` keeps), if any.
Loaded = tuple["Page | None", list[Issue], "tuple[str, dict[str, Any]] | None"]


def _load_from_back(tree: SourceTree, kept: KeptPages | None, index: int) -> dict[str, Loaded]:
    """In a worker: every page file of a module taken from the back, by path (the building process
    lists and orders them, from module.yaml)."""
    module = tree.modules[index]
    loaded: dict[str, Loaded] = {}
    for source in module.pages:
        found = Issues()
        page = _page(source, module.slug, found, kept)
        record = kept.record(page) if kept is not None and page is not None else None
        loaded[source.path] = (page, found.items, record)
    return loaded


@contextmanager
def loading_elsewhere(tree: SourceTree, kept: KeptPages | None,
                      workers: int) -> Iterator[Callable[[int], dict[str, Loaded] | None]]:
    """Load a large course's page files on two cores: this process takes modules from the front, a
    forked one from the back, until they meet (`bothends.from_both_ends`).

    Yields `take(index)`, called before loading each module in order: None while the module is this
    process's to load; for the modules the worker took, what it loaded (None for one it did not finish).
    """
    if workers < 2 or len(tree.modules) < 2:
        yield lambda index: None
        return
    theirs: dict[int, dict[str, Loaded]] = {}
    with from_both_ends(list(range(len(tree.modules))), 2, lambda index: _load_from_back(tree, kept, index)) as reach:
        def take(index: int) -> dict[str, Loaded] | None:
            theirs.update(reach(index) or {})
            return theirs.get(index)

        yield take


def _page(source: SourceFile, module: str, issues: Issues, kept: KeptPages | None) -> Page | None:
    """A page from its file; with `kept`, as an earlier build loaded the same file, when it did."""
    if kept is None:
        return _PAGE_LOADERS[source.kind](source, module, issues)
    key = kept.key(source, module)  # once: the digest of the file's text
    page = kept.get(source, key)
    if page is None:
        found = Issues()
        page = _PAGE_LOADERS[source.kind](source, module, found)
        if page is not None and not found.items:
            kept.put(source, page, key)
        issues.extend(found.items)
    return page


def _module(module: ModuleSources, issues: Issues, cache: LoadCache | None = None,
            kept: KeptPages | None = None, loaded: dict[str, Loaded] | None = None) -> Module:
    """A module from its folder; `loaded`: its page files as a worker loaded them."""
    meta = None
    if module.module_yaml is not None:
        yaml_source = module.module_yaml
        meta = _cached(cache, ("module", yaml_source.path, yaml_source.text), issues,
                       lambda found: _load(yaml_source, "module", found))
    yaml_path = f"{module.path}/module.yaml"
    if module.module_yaml is None and not any(i.where.path == yaml_path for i in issues.errors):  # not refused
        issues.error(SourceRef(yaml_path), "module folder has no module.yaml",
                     "add module.yaml with at least 'title:'")
    meta = meta if isinstance(meta, LMap) else None
    pages: list[Page] = []
    for source in _ordered_pages(module, meta, issues):
        if loaded is not None and source.path in loaded:
            page, problems, record = loaded[source.path]
            issues.extend(problems)
            if kept is not None and page is not None and record is not None:
                kept.adopt(page, *record)
        else:
            page = _cached(cache, (source.kind, source.path, source.text, module.slug), issues,
                           lambda found, s=source: _page(s, module.slug, found, kept))
        if page is not None:
            pages.append(page)
    title = _text(meta.get("title")) if meta else split_name(module.folder)[1]
    return Module(
        id=module.slug, title=title, pages=tuple(pages),
        description=_text(meta.get("description")) if meta else "",
        objectives=_texts(meta.get("objectives")) if meta else (),
        duration=_int_or_none(meta.get("duration")) if meta else None,
        source=module.module_yaml.ref if module.module_yaml else SourceRef(module.path),
        text_refs=_text_refs(meta),
    )


def _glossary(source: SourceFile | None, issues: Issues) -> tuple[Term, ...]:
    data = _load(source, "glossary", issues) if source else None
    if not isinstance(data, LList):
        return ()
    return tuple(
        Term(id=slugify(_text(t.get("term"))), term=_text(t.get("term")),
             definition=_text(t.get("definition")), aliases=_texts(t.get("aliases")),
             source_ref=_text(t.get("source")), source=t.ref, text_refs=_text_refs(t))
        for t in data if isinstance(t, LMap)
    )


def _frameworks(source: SourceFile | None, issues: Issues) -> tuple[Instrument, ...]:
    data = _load(source, "frameworks", issues) if source else None
    if not isinstance(data, LList):
        return ()
    instruments = []
    for item in data:
        if not isinstance(item, LMap):
            continue
        articles = tuple(
            Article(_text(a.get("number")), _text(a.get("title")), _text(a.get("summary")), a.ref, _text_refs(a))
            for a in item.get("articles") or () if isinstance(a, LMap)
        )
        instruments.append(Instrument(
            id=_text(item.get("id")), title=_text(item.get("title")),
            short=_text(item.get("short")) or _text(item.get("title")), level=_text(item.get("level")),
            adopted=_text(item.get("adopted")), summary=_text(item.get("summary")),
            jurisdiction=_text(item.get("jurisdiction")), in_force=_text(item.get("in_force")),
            url=_text(item.get("url")), articles=articles, source=item.ref, text_refs=_text_refs(item),
        ))
    return tuple(instruments)


def _completion(data: Any) -> Completion:
    if not isinstance(data, LMap):
        return Completion()
    assessments = data.get("assessments", "all")
    return Completion(
        pages=data.get("pages", "all"),
        assessments=assessments if isinstance(assessments, str) else _texts(assessments),
        pass_mark=_int_or_none(data.get("pass_mark")),
        source=data.ref,
    )


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _languages(value: object) -> tuple[str, ...]:
    """The translations' language tags that can name a folder; the schema reports the others."""
    return tuple(tag for tag in _texts(value) if LANGUAGE_TAG.fullmatch(tag))


def _pass_rule(data: Any) -> Pass:
    """The `pass` rule (without one, results.pass_rule reads an older `completion.pass_mark`)."""
    if not isinstance(data, LMap):
        return Pass()
    assessments = data.get("assessments", "all")
    weights = data.get("weights")
    pairs = tuple((str(k), float(v)) for k, v in weights.items()
                  if isinstance(v, (int, float)) and not isinstance(v, bool)) if isinstance(weights, LMap) else ()
    return Pass(
        rule=_text(data.get("rule") or "each"),
        assessments=assessments if isinstance(assessments, str) else _texts(assessments),
        weights=pairs, pass_mark=_int_or_none(data.get("pass_mark")), source=data.ref,
    )


def load_course(tree: SourceTree, issues: Issues, cache: LoadCache | None = None,
                kept: KeptPages | None = None,
                meanwhile: Callable[[Course | None], None] | None = None) -> Course | None:
    """The whole course as model objects, or None when course.yaml itself is unusable.

    `kept` (`course build`'s) holds the pages an earlier build loaded: an unchanged page file is not parsed.
    `meanwhile` is work of the caller's that this process does first while a worker loads pages (the
    worker then takes more of them, and the two share that time too), given the course as course.yaml
    says it, without its pages, glossary and frameworks (None when course.yaml is unusable).
    """
    def text(source: SourceFile | None) -> str | None:
        return source.text if source else None

    # On two cores when there is parsing to share: not for `course serve` (its cache of loaded files
    # lives in this process), nor when an earlier build's record holds the pages (reading it is quick).
    lessons = sum(source.kind == "lesson" for module in tree.modules for source in module.pages)
    parsing = cache is None and (kept is None or not kept.stored_now())
    with loading_elsewhere(tree, kept, worker_count(lessons) if parsing else 1) as take:
        # Before this process takes its first module, so that a worker shares these too.
        meta = _cached(cache, ("course", tree.course and tree.course.path, text(tree.course)), issues,
                       lambda found: _load(tree.course, "course", found) if tree.course else None)
        head = _course(meta) if isinstance(meta, LMap) else None
        glossary = _cached(cache, ("glossary", text(tree.glossary), tree.glossary and tree.glossary.path), issues,
                           lambda found: _glossary(tree.glossary, found))
        frameworks = _cached(cache, ("frameworks", text(tree.frameworks), tree.frameworks and tree.frameworks.path),
                             issues, lambda found: _frameworks(tree.frameworks, found))
        if meanwhile is not None:
            meanwhile(head)
        modules = tuple(_module(m, issues, cache, kept, take(index)) for index, m in enumerate(tree.modules))
    if head is None:
        return None
    return replace(head, modules=modules, glossary=glossary, frameworks=frameworks)


def _course(meta: LMap) -> Course:
    """The course as course.yaml says it: its modules, glossary and frameworks come from their own files."""
    tracking = meta.get("tracking") if isinstance(meta.get("tracking"), LMap) else {}
    options = meta.get("theme_options")
    return Course(
        id=_text(meta.get("id")), title=_text(meta.get("title")), modules=(),
        subtitle=_text(meta.get("subtitle")), description=_text(meta.get("description")),
        language=_text(meta.get("language") or "en"), translations=_languages(meta.get("translations")),
        version=_text(meta.get("version") or "1.0.0"), authors=_texts(meta.get("authors")),
        organization=_text(meta.get("organization")), license=_text(meta.get("license")),
        theme=_text(meta.get("theme") or "default"),
        theme_options=dict(options) if isinstance(options, dict) else {},
        allow_html=bool(meta.get("allow_html", False)),
        neutral_media=_texts(meta.get("language_neutral_media")), completion=_completion(meta.get("completion")),
        pass_rule=_pass_rule(meta.get("pass")),
        tracking=_tracking(tracking), cover=_text(meta.get("cover")), cover_alt=None if meta.get("cover_alt") is None else _text(meta.get("cover_alt")),
        cover_source=meta.value_ref("cover"), source=meta.ref,
    )


def _tracking(data: Any) -> Tracking:
    xapi = data.get("xapi") if isinstance(data.get("xapi"), LMap) else {}
    return Tracking(
        scorm=_texts(data.get("scorm")) or ("1.2", "2004"),
        cmi5=_text(data.get("cmi5")) or None,
        activity_id=_text(data.get("activity_id")),
        xapi_endpoint=_text(xapi.get("endpoint")),
        xapi_auth=_text(xapi.get("auth")),
    )
