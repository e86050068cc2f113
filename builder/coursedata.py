"""The course data embedded in the page for the learner's runtime: structure, questions, scenario graphs, rules."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup

from . import scenario_graph
from .model import Course, Page, Question, Quiz, Scenario
from .results import rules_data
from .views import ModuleView, PageView, QuestionView, ScenarioView


class _Text(HTMLParser):
    """The text of an HTML fragment, for the LMS (interaction descriptions are plain text)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def question_data(q: Question, view: QuestionView) -> dict[str, Any]:
    """A question as the runtime needs it to check and report answers."""
    return {
        "key": view.key, "id": q.id, "type": q.type, "points": q.points,
        "prompt_text": plain_text(str(view.prompt_html)), "prompt_html": str(view.prompt_html),
        "options": [{"text": o.text, "text_html": str(v.text_html), "correct": o.correct,
                     "feedback_html": str(v.feedback_html)} for o, v in zip(q.options, view.options)],
        "answer": q.answer, "answers": list(q.answers),
        "pairs": [{"left": p.left, "right": p.right, "left_html": str(v.left_html),
                   "right_html": str(v.right_html)} for p, v in zip(q.pairs, view.pairs)],
        "items": list(q.items), "items_html": [str(i) for i in view.items],
        "groups": [{"id": g.id, "text": g.text, "text_html": str(v.text_html)} for g, v in zip(q.groups, view.groups)],
        "sort_items": [{"text": i.text, "text_html": str(v.text_html), "group": v.group}
                       for i, v in zip(q.sort_items, view.sort_items)],
        "image": view.image, "alt": q.alt,
        "regions": [{"label": r.label, "label_html": str(v.label_html), "correct": r.correct, "shape": r.shape,
                     "points": [list(p) for p in r.points], "area": r.area, "centre": list(r.centre)} for r, v in zip(q.regions, view.regions)],
        "feedback_correct_html": str(view.feedback_correct_html),
        "feedback_incorrect_html": str(view.feedback_incorrect_html),
        "explanation_html": str(view.explanation_html),
    }


def scenario_data(model: Scenario, s: ScenarioView) -> dict[str, Any]:
    """A scenario's graph as the runtime plays it: conditions go as parsed trees, never as code."""
    known = scenario_graph.names(model)
    nodes: dict[str, Any] = {}
    for n in s.nodes:
        source = model.node(n.id)
        data: dict[str, Any] = {"ending": n.ending, "choices": []}
        for c, view in zip(source.choices if source else (), n.choices):
            choice: dict[str, Any] = {"goto": c.goto, "points": c.points, "feedback_html": str(view.feedback_html),
                                      "tone": view.tone}
            if any(b.when for b in c.branches):
                choice["branches"] = [[scenario_graph.parse(b.when, known) if b.when else None, b.node]
                                      for b in c.branches]
            if c.sets:
                choice["set"] = list(c.sets)
            if c.adds:
                choice["add"] = dict(c.adds)
            data["choices"].append(choice)
        if source and source.debrief_parts:
            data["debrief"] = [scenario_graph.parse(p.when, known) if p.when else None for p in source.debrief_parts]
        nodes[n.id] = data
    return {"kind": s.kind, "start": s.start, "max_points": s.max_points, "pass_mark": model.pass_mark,
            "attempts": model.attempts, "nodes": nodes}


def quiz_data(model: Quiz, page: PageView) -> dict[str, Any]:
    """A quiz as the runtime runs it: its rules and every question."""
    assert page.quiz is not None
    return {
        "kind": page.quiz.kind, "pass_mark": page.quiz.pass_mark, "attempts": page.quiz.attempts,
        "shuffle": page.quiz.shuffle, "draw": page.quiz.draw, "feedback": page.quiz.feedback,
        "one_per_screen": model.one_per_screen,
        "questions": [question_data(q, v) for q, v in zip(model.questions, page.quiz.questions)],
    }


def course_data(course: Course, modules: list[ModuleView], checks: dict[str, Any],
                strings: dict[str, str], kept: dict[int, tuple[PageView, dict[str, Any]]] | None = None
                ) -> dict[str, Any]:
    """The JSON the runtime reads from the page: structure, questions, scenario graphs, rules.

    `kept` (`course serve`'s) holds each quiz's and scenario's data by the view it was made from, as
    `paged.page_files` keeps page scripts: a view the render cache kept is the same object, made from
    an equal page, so its data is the same too.
    """
    pages = [p for m in modules for p in m.pages]
    models = {p.id: p for p in course.pages}
    rule = course.completion
    quizzes: dict[str, Any] = {}
    scenarios: dict[str, Any] = {}
    earlier = dict(kept) if kept is not None else {}
    made: dict[int, tuple[PageView, dict[str, Any]]] = {}
    for page in pages:
        if not (page.quiz or page.scenario):
            continue
        known = earlier.get(id(page))
        if known is None:
            known = (page, quiz_data(models[page.id], page) if page.quiz
                     else scenario_data(models[page.id], page.scenario))  # type: ignore[arg-type]
        made[id(page)] = known
        (quizzes if page.quiz else scenarios)[page.id] = known[1]
    if kept is not None:
        kept.clear()
        kept.update(made)
    return {
        "id": course.id, "version": course.version, "title": course.title, "language": course.language,
        "completion": {"pages": rule.pages, "assessments": rule.assessments if isinstance(rule.assessments, str)
                       else list(rule.assessments)},
        "pass": rules_data(course),
        "modules": [{"id": m.id, "title": m.title, "pages": [p.id for p in m.pages]} for m in modules],
        "pages": [{"id": p.id, "kind": p.kind, "title": p.title, "module": p.module.id} for p in pages],
        "quizzes": quizzes, "checks": checks, "scenarios": scenarios, "strings": strings,
        "tracking": tracking_data(course),
    }


def tracking_data(course: Course) -> dict[str, Any]:
    """What the xAPI and cmi5 trackers need: the activity IRI, and the LRS of the web course if any."""
    t = course.tracking
    xapi = {"endpoint": t.xapi_endpoint, "auth": t.xapi_auth} if t.xapi_endpoint else None
    return {"activity": t.activity(course.id), "xapi": xapi}


def script_json(data: Any) -> Markup:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# -- pages loaded on demand ---------------------------------------------------------------------
# The page the learner opens carries the list of modules and the first module's pages, with what
# progress, results and SCORM need of their quizzes and scenarios and of every assessment; the rest of
# the outline comes with `pages/outline.js` while the learner reads, and each page's own script brings
# its HTML and the rest of its data when the learner goes there.

SUMMARY = ("kind", "pass_mark", "attempts")  # of a quiz or scenario, before its page is loaded
QUESTION = ("key", "id", "type", "points")  # of a question, before its page is loaded


def _summaries(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What progress, results and the SCORM state's codec read of every quiz, scenario and inline
    check before its page is loaded; a question's key only when it is not `<page>/<question id>`,
    which the runtime rebuilds (runtime/pages.js)."""
    def question(q: dict[str, Any], page: str) -> dict[str, Any]:
        return {k: q[k] for k in QUESTION if k != "key" or q["key"] != f"{page}/{q['id']}"}

    return {
        "quizzes": {page: {**{k: quiz[k] for k in SUMMARY if k in quiz},
                           "questions": [question(q, page) for q in quiz["questions"]]}
                    for page, quiz in data["quizzes"].items()},
        "scenarios": {page: {**{k: s[k] for k in SUMMARY + ("max_points",) if k in s},
                             "nodes": {node: {"ending": n["ending"]} for node, n in s["nodes"].items()}}
                      for page, s in data["scenarios"].items()},
        "checks": {key: {k: q[k] for k in QUESTION} for key, q in data["checks"].items()},
    }


def _first_screen(data: dict[str, Any]) -> set[str]:
    """The quizzes, scenarios and lessons (for their inline checks) index.html summarises: the first
    module's, and every assessment, by kind or named by the completion or pass rule (the one verdict
    must be the same before the rest of the outline is there)."""
    wanted = set(data["modules"][0]["pages"]) if data["modules"] else set()
    wanted.update(_second_module_start(data))
    named = [data["completion"]["assessments"], data["pass"].get("assessments", [])]
    for rule in named:
        if isinstance(rule, list):
            wanted.update(rule)
    for part in ("quizzes", "scenarios"):
        wanted.update(page for page, item in data[part].items() if item.get("kind") == "assessment")
    return wanted


def _second_module_start(data: dict[str, Any]) -> list[str]:
    """The first page of the second module, where Next leads from the first module's last page: listed
    in index.html so that Next is there at once, before pages/outline.js has come (or if it never does)."""
    return data["modules"][1]["pages"][:1] if len(data["modules"]) > 1 else []


def outline_data(data: dict[str, Any]) -> dict[str, Any]:
    """The course data the first screen needs: no page's HTML or texts, and beyond the first module
    only each module's id, title and number of pages (and the second module's first page), so that
    it grows little with the course.

    `outline` lists the first module as [id, title, [[page slug, title] or [slug, title, kind], ...]],
    the second as [id, title, number of pages, its first page as [slug, title] or [slug, title, kind]]
    and every other as [id, title, number of pages]; the runtime rebuilds `modules` and `pages` from
    it. `untitled`: the rest (every page of the other modules, with titles and summaries) is in
    `pages/outline.js` (outline_script), which the runtime loads while the learner reads, when the
    learner goes beyond the first module, and before the course starts when the learner's saved
    state or address reaches beyond it or an LMS is there.
    """
    titles = {p["id"]: p["title"] for p in data["pages"]}
    kinds = {p["id"]: p["kind"] for p in data["pages"]}
    start = _second_module_start(data)

    def entry(page: str) -> list[str]:
        return [page.split("/", 1)[1], titles[page]] + ([kinds[page]] if kinds[page] != "lesson" else [])

    outline: list[list[Any]] = []
    for index, module in enumerate(data["modules"]):
        if not index:
            outline.append([module["id"], module["title"], [entry(page) for page in module["pages"]]])
        else:
            outline.append([module["id"], module["title"], len(module["pages"])]
                           + [entry(page) for page in start if index == 1])
    wanted = _first_screen(data)
    summaries = {part: {key: item for key, item in items.items() if key.rsplit("/", 1)[0] in wanted or key in wanted}
                 for part, items in _summaries(data).items()}
    rest = {k: v for k, v in data.items() if k not in ("modules", "pages", "quizzes", "scenarios", "checks")}
    return {**rest, "outline": outline, **summaries, "partial": True, "untitled": len(data["modules"]) > 1}


def outline_script(data: dict[str, Any], cards: str = "") -> bytes:
    """`pages/outline.js`: what index.html leaves out of the outline, handed to the runtime like a
    page: every page's title module by module (`titles`), every page of the modules after the first
    (`pages`: [[slug] or [slug, kind], ...] per module, [] for the first), every summary of a quiz,
    scenario or inline check index.html does not hold, and the landing's module cards it leaves out
    (`cards`, their HTML)."""
    titles = {p["id"]: p["title"] for p in data["pages"]}
    kinds = {p["id"]: p["kind"] for p in data["pages"]}
    pages = [[] if index == 0 else [[page[len(module["id"]) + 1:]] + ([kinds[page]] if kinds[page] != "lesson" else [])
                                    for page in module["pages"]]
             for index, module in enumerate(data["modules"])]
    wanted = _first_screen(data)
    summaries = {part: {key: item for key, item in items.items()
                        if not (key.rsplit("/", 1)[0] in wanted or key in wanted)}
                 for part, items in _summaries(data).items()}
    chunk = {"id": "outline", "titles": [[titles[page] for page in module["pages"]] for module in data["modules"]],
             "pages": pages, **summaries, **({"cards": cards} if cards else {})}
    text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
    return f"(self.coursewrightPages=self.coursewrightPages||[]).push({text});\n".encode("utf-8")


def page_script(page_id: str, html: str, title: str, checks: dict[str, Any],
                quiz: dict[str, Any] | None = None, scenario: dict[str, Any] | None = None) -> bytes:
    """`pages/<module>/<page>.js`: one page's section and its full data, handed to the runtime when loaded.

    A script, not JSON to fetch: browsers refuse fetch() from file://, but load scripts from there.
    """
    chunk: dict[str, Any] = {"id": page_id, "title": title, "html": html}  # the title: for modules index.html leaves untitled
    if quiz is not None:
        chunk["quiz"] = quiz
    if scenario is not None:
        chunk["scenario"] = scenario
    if checks:
        chunk["checks"] = checks
    text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))  # a file of its own: no </script> to fear
    return f"(self.coursewrightPages=self.coursewrightPages||[]).push({text});\n".encode("utf-8")


def page_data_script(model: Page, page: PageView, checks: dict[str, Any]) -> bytes:
    """A page's script made right after the page is rendered, from its model and view (as `course_data`
    would hold them): the process that renders a module writes its pages' scripts."""
    return page_script(page.id, page.section_html, page.title, checks,
                       quiz_data(model, page) if page.quiz and isinstance(model, Quiz) else None,
                       scenario_data(model, page.scenario) if page.scenario and isinstance(model, Scenario) else None)
