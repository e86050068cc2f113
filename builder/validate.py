"""Whole-course rules the schemas cannot express: ids, quiz rules, scenario graphs, references."""
from __future__ import annotations

from typing import Iterable

from . import scenario_graph
from .errors import Issues, SourceRef, did_you_mean
from .model import Course, Instrument, Question, Quiz, Region, Scenario
from .results import SCORE, assessments, max_points, own_pass_mark, pass_assessments, pass_rule, weights

# Fields of a question that only some types may use.
_TYPE_FIELDS: dict[str, str] = {"options": "single, multiple", "answer": "true-false",
                                "answers": "fill-in", "pairs": "matching", "items": "ordering or categorisation",
                                "groups": "categorisation", "image": "hotspot", "alt": "hotspot",
                                "regions": "hotspot"}
_FIELDS_OF_TYPE = {"single": ("options",), "multiple": ("options",), "true-false": ("answer",),
                   "fill-in": ("answers",), "matching": ("pairs",), "ordering": ("items",),
                   "categorisation": ("items", "groups"), "hotspot": ("image", "alt", "regions")}


def validate_course(course: Course, issues: Issues, sound: set[Quiz | Scenario] | None = None) -> None:
    """Check everything that needs more than one file, or more than one field, to see.

    `sound`, kept by `course serve` from one build to the next, holds the quizzes and scenarios found
    without a problem: the same page is not checked again (a page with problems is, to report them).
    """
    _unique_ids(course, issues)
    now = set()
    for page in course.pages:
        if not isinstance(page, (Quiz, Scenario)):
            continue
        if sound is not None and page in sound:
            now.add(page)
            continue
        own = Issues()
        (check_quiz if isinstance(page, Quiz) else check_scenario)(page, own)  # type: ignore[operator]
        issues.extend(own.items)
        if not own.items:
            now.add(page)
    if sound is not None:
        sound.clear()
        sound.update(now)
    _check_glossary(course, issues)
    _check_frameworks(course, issues)
    _check_completion(course, issues)
    _check_pass_rule(course, issues)


def _duplicates(items: Iterable[tuple[str, SourceRef]], what: str, issues: Issues, hint: str) -> None:
    seen: dict[str, SourceRef] = {}
    for key, where in items:
        if key in seen:
            first = seen[key]
            issues.error(where, f"duplicate {what} '{key}' (also at {first.path}:{first.line})", hint)
        else:
            seen[key] = where


def _unique_ids(course: Course, issues: Issues) -> None:
    _duplicates(((m.id, m.source) for m in course.modules), "module id", issues,
                "module folders must differ after their number prefix")
    _duplicates(((p.id, p.source) for p in course.pages), "page id", issues,
                "page file names must differ after their number prefix and kind suffix")


def check_question(question: Question, issues: Issues) -> None:
    """The rules for one question; shared by quizzes and inline checks."""
    where = question.source
    kind = question.type
    present = {"options": bool(question.options), "answer": question.answer is not None,
               "answers": bool(question.answers), "pairs": bool(question.pairs),
               "items": bool(question.items or question.sort_items), "groups": bool(question.groups),
               "image": bool(question.image), "alt": bool(question.alt), "regions": bool(question.regions)}
    own = _FIELDS_OF_TYPE.get(kind)
    for name, is_set in present.items():
        # An unknown type is its own error (with the list of types): its fields are not a second one.
        if is_set and own is not None and name not in own:
            issues.error(where, f"question '{question.id}' of type {kind} has '{name}', which belongs to "
                                f"{_TYPE_FIELDS[name]} questions", f"remove '{name}' or change the type")
    if kind in ("single", "multiple"):
        correct = sum(1 for o in question.options if o.correct)
        if len(question.options) < 2:
            issues.error(where, f"question '{question.id}' needs at least two options")
        if correct == 0:
            issues.error(where, f"question '{question.id}' has no correct option",
                         "mark the right answer with 'correct: true'")
        elif kind == "single" and correct > 1:
            issues.error(where, f"single-choice question '{question.id}' has {correct} correct options",
                         "keep one 'correct: true', or use type: multiple")
        texts = [o.text.strip().lower() for o in question.options]
        if len(set(texts)) != len(texts):
            issues.error(where, f"question '{question.id}' has two options with the same text")
    elif kind == "true-false" and question.answer is None:
        issues.error(where, f"true-false question '{question.id}' has no 'answer'",
                     "add 'answer: true' or 'answer: false'")
    elif kind == "fill-in" and not any(a.strip() for a in question.answers):
        issues.error(where, f"fill-in question '{question.id}' has no accepted 'answers'",
                     "list the accepted answers, e.g. answers: [Palermo Protocol]")
    elif kind == "matching":
        if len(question.pairs) < 2:
            issues.error(where, f"matching question '{question.id}' needs at least two pairs")
        _duplicates(((p.left, where) for p in question.pairs), "left side in matching question", issues,
                    "each left side must be different")
        _duplicates(((p.right, where) for p in question.pairs), "right side in matching question", issues,
                    "each right side must be different")
    elif kind == "ordering":
        if len(question.items) < 2 and not question.sort_items:
            issues.error(where, f"ordering question '{question.id}' needs at least two items")
        _duplicates(((i, where) for i in question.items), "item in ordering question", issues,
                    "each item must be different")
        if question.sort_items:
            issues.error(question.sort_items[0].source, f"ordering question '{question.id}' has an item with a "
                         "'group'", "ordering items are plain texts; for items sorted into groups use type: "
                         "categorisation")
    elif kind == "categorisation":
        _check_categorisation(question, issues)
    elif kind == "hotspot":
        _check_hotspot(question, issues)


def _check_categorisation(question: Question, issues: Issues) -> None:
    """Groups with ids, items that each name one of them, and something to sort in every way."""
    where = question.source
    ids = [g.id for g in question.groups]
    if len(question.groups) < 2:
        issues.error(where, f"categorisation question '{question.id}' needs at least two groups",
                     "list the groups under 'groups:', each with an id and a text")
    _duplicates(((g.id, g.source) for g in question.groups), "group id in categorisation question", issues,
                "give every group its own id")
    _duplicates(((g.text.strip().lower(), g.source) for g in question.groups), "group text in categorisation "
                "question", issues, "give every group its own name")
    if question.items:
        issues.error(where, f"categorisation question '{question.id}' has items without a group",
                     "write each item as 'text:' and 'group:' (the id of its group)")
    if len(question.sort_items) < 2:
        issues.error(where, f"categorisation question '{question.id}' needs at least two items")
    _duplicates(((i.text.strip().lower(), i.source) for i in question.sort_items), "item in categorisation "
                "question", issues, "each item must be different")
    for item in question.sort_items:
        if item.group not in ids:
            issues.error(item.text_refs.get("group", item.source),
                         f"item of question '{question.id}' names group '{item.group}', which is not one of its groups",
                         did_you_mean(item.group, ids) or f"its groups are: {', '.join(dict.fromkeys(ids)) or 'none'}")


def _check_hotspot(question: Question, issues: Issues) -> None:
    """An image described for screen readers, labelled regions inside it, and at least one right region."""
    where = question.source
    if not question.image:
        issues.error(where, f"hotspot question '{question.id}' has no 'image'",
                     "name the picture learners click, e.g. image: ../../media/diagrams/passport.svg")
    if not question.alt.strip():
        issues.error(question.text_refs.get("image", where), f"hotspot question '{question.id}' has an image "
                     "without 'alt' text", "describe what the image shows in 'alt:'")
    if len(question.regions) < 2:
        issues.error(where, f"hotspot question '{question.id}' needs at least two regions",
                     "list the areas learners can choose under 'regions:', the right ones with 'correct: true'")
    elif not any(r.correct for r in question.regions):
        issues.error(where, f"hotspot question '{question.id}' has no correct region",
                     "mark the right area with 'correct: true'")
    _duplicates(((r.label.strip().lower(), r.source) for r in question.regions), "region label in hotspot "
                "question", issues, "give every region its own label: learners choose by it")
    for n, region in enumerate(question.regions, 1):
        _check_region(question, n, region, issues)


def _check_region(question: Question, n: int, region: Region, issues: Issues) -> None:
    where = region.source
    if region.shape == "both":
        issues.error(where, f"region {n} of question '{question.id}' has both a 'rect' and a 'polygon'",
                     "keep one of them")
        return
    if not region.points:
        issues.error(where, f"region {n} of question '{question.id}' has no shape",
                     "give 'rect: [x, y, width, height]' or 'polygon: [[x, y], [x, y], [x, y]]', in percent "
                     "of the image")
        return
    if region.shape == "rect":
        (x0, y0), (x1, y1) = region.points
        if x1 <= x0 or y1 <= y0:
            issues.error(where, f"region {n} of question '{question.id}' has no area",
                         "give the rectangle a width and a height above 0")
        elif x1 > 100 or y1 > 100:
            issues.error(where, f"region {n} of question '{question.id}' reaches outside the image "
                         f"(to {x1:g}% across, {y1:g}% down)",
                         "x + width and y + height must stay within 100 (percent of the image)")
    elif region.area < 1e-9:
        issues.error(where, f"region {n} of question '{question.id}' has no area",
                     "the polygon's corners must not all lie on one line")


def check_quiz(quiz: Quiz, issues: Issues) -> None:
    _duplicates(((q.id, q.source) for q in quiz.questions), "question id", issues,
                "question ids must be unique in a quiz: the LMS sees them")
    for question in quiz.questions:
        check_question(question, issues)
    if quiz.draw is not None and quiz.draw > len(quiz.questions):
        issues.error(quiz.text_refs.get("draw", quiz.source),
                     f"draw is {quiz.draw} but the quiz has only {len(quiz.questions)} questions",
                     "lower draw or add questions to the pool")
    if quiz.pass_mark is not None and quiz.kind == "knowledge-check":
        issues.warning(quiz.text_refs.get("pass_mark", quiz.source),
                       "pass_mark is set on a knowledge check, which is not scored",
                       "use kind: assessment for a scored quiz")


def check_scenario(scenario: Scenario, issues: Issues) -> None:
    """A scenario is a graph: every goto lands, every node is reached, every node can end.

    The links are checked first; when they hold, `scenario_graph` walks every state a learner can
    be in (flags and scores included) for what only the memory shows.
    """
    before = len(issues.errors)
    ids = [n.id for n in scenario.nodes]
    nodes = {n.id: n for n in scenario.nodes}
    if scenario.start and scenario.start not in nodes:
        issues.error(scenario.text_refs.get("start", scenario.source), f"start node '{scenario.start}' does not exist",
                     did_you_mean(scenario.start, ids) or f"nodes are: {', '.join(ids)}")
    for node in scenario.nodes:
        if node.ending and node.choices:
            issues.error(node.source, f"ending node '{node.id}' has choices",
                         "an ending closes the story: remove its choices or its 'ending'")
        if not node.ending and not node.choices:
            issues.error(node.source, f"node '{node.id}' has no choices and is not an ending",
                         "add choices, or mark it 'ending: good|neutral|poor'")
        if node.debrief_parts and not node.ending:
            issues.error(node.source, f"node '{node.id}' has a debrief but is not an ending",
                         "a debrief closes the story: mark the node 'ending:'")
        for choice in node.choices:
            for branch in choice.branches:
                if branch.node not in nodes:
                    issues.error(branch.source, f"choice goes to '{branch.node}', which is not a node",
                                 did_you_mean(branch.node, ids) or f"nodes are: {', '.join(ids)}")
        if node.image and not node.alt:
            issues.error(node.source, f"node '{node.id}' has an image without 'alt' text",
                         "describe the image in 'alt:'")
    if not any(n.ending for n in scenario.nodes):
        issues.error(scenario.source, "scenario has no ending", "mark at least one node 'ending: good'")
    if scenario.start not in nodes:
        return
    step = lambda n: [t for c in nodes[n].choices for t in c.targets if t in nodes]  # noqa: E731
    reached = _reachable(scenario.start, step)
    for node in scenario.nodes:
        if node.id not in reached:
            issues.error(node.source, f"node '{node.id}' cannot be reached from the start",
                         "add a choice that leads to it, or remove it")
    incoming: dict[str, list[str]] = {n: [] for n in nodes}
    for node in scenario.nodes:
        for choice in node.choices:
            for target in choice.targets:
                if target in incoming:
                    incoming[target].append(node.id)
    can_end = _reachable_many([n.id for n in scenario.nodes if n.ending], lambda n: incoming[n])
    for node in scenario.nodes:
        if node.id in reached and node.id not in can_end:
            issues.error(node.source, f"no ending can be reached from node '{node.id}'",
                         "the learner would be stuck: give it a path to an ending")
    if len(issues.errors) == before:
        scenario_graph.check(scenario, issues)


def _reachable(start: str, step) -> set[str]:  # noqa: ANN001 - a small local callable
    return scenario_graph.reachable([start], step)


def _reachable_many(starts: list[str], step) -> set[str]:  # noqa: ANN001
    return scenario_graph.reachable(starts, step)


def best_path_points(scenario: Scenario) -> float:
    """The points of the best path from the start to an ending: a scenario's maximum score."""
    return scenario_graph.best_points(scenario)


def _check_glossary(course: Course, issues: Issues) -> None:
    names: list[tuple[str, SourceRef]] = []
    for term in course.glossary:
        names.append((term.term.strip().lower(), term.source))
        names.extend((a.strip().lower(), term.source) for a in term.aliases)
    _duplicates(names, "glossary term or alias", issues, "each term and alias may name one entry")
    _duplicates(((t.id, t.source) for t in course.glossary), "glossary id", issues,
                "two terms give the same id: rename one")
    instruments = {i.id: i for i in course.frameworks}
    for term in course.glossary:
        if term.source_ref:
            check_framework_ref(term.source_ref, instruments, term.source, issues)


def check_framework_ref(ref: str, instruments: dict[str, Instrument], where: SourceRef, issues: Issues) -> None:
    """`@instrument` or `@instrument:article` names a known instrument and article."""
    if not ref.startswith("@"):
        return
    instrument_id, _, article = ref[1:].partition(":")
    instrument = instruments.get(instrument_id)
    if instrument is None:
        issues.error(where, f"unknown legal instrument '{instrument_id}'",
                     did_you_mean(instrument_id, instruments) or "add it to frameworks.yaml")
    elif article and instrument.article(article) is None:
        numbers = [a.number for a in instrument.articles]
        issues.error(where, f"'{instrument_id}' has no article '{article}'",
                     did_you_mean(article, numbers) or f"its articles are: {', '.join(numbers) or 'none'}")


def _check_frameworks(course: Course, issues: Issues) -> None:
    _duplicates(((i.id, i.source) for i in course.frameworks), "instrument id", issues,
                "each instrument needs its own id")
    for instrument in course.frameworks:
        _duplicates(((a.number, a.source) for a in instrument.articles), f"article in '{instrument.id}'",
                    issues, "each article number may appear once")


def _check_completion(course: Course, issues: Issues) -> None:
    rule = course.completion
    if isinstance(rule.assessments, tuple):
        _check_named_assessments(course, "completion", rule.assessments, rule.source or course.source, issues)


def _check_named_assessments(course: Course, key: str, ids: Iterable[str], where: SourceRef,
                             issues: Issues) -> None:
    """Every page id a rule names is an assessment page."""
    pages = {p.id: p for p in course.pages}
    for page_id in ids:
        page = pages.get(page_id)
        if page is None:
            issues.error(where, f"{key} names '{page_id}', which is not a page",
                         did_you_mean(page_id, pages) or "use 'module/page' ids")
        elif not getattr(page, "is_assessment", False):
            issues.error(where, f"{key} names '{page_id}', which is not an assessment",
                         "set kind: assessment on it, or leave it out")


def _check_pass_rule(course: Course, issues: Issues) -> None:
    """Pass rules that name the wrong pages, or that no learner could ever meet."""
    rule = pass_rule(course)
    if rule is not course.pass_rule:
        return  # the older completion.pass_mark: _check_completion has checked its names
    where = rule.source or course.source
    pages = {p.id: p for p in course.pages}
    named = [] if isinstance(rule.assessments, str) else list(rule.assessments)
    _check_named_assessments(course, "pass", named + [i for i, _ in rule.weights], where, issues)
    counted = pass_assessments(course)
    for page_id, _ in rule.weights:
        if page_id in pages and getattr(pages[page_id], "is_assessment", False) \
                and page_id not in {p.id for p in counted}:
            issues.error(where, f"pass gives a weight to '{page_id}', which the rule does not count",
                         "add it to pass.assessments, or remove its weight")
    if rule.rule == SCORE:
        if rule.pass_mark is None:
            issues.error(where, "pass rule 'score' has no pass_mark",
                         "add pass_mark: the course score in percent a learner needs")
        if not counted:
            issues.warning(where, "pass rule 'score' counts no assessment, so the course is only completed, "
                           "never passed", "set kind: assessment on a quiz or scenario")
        elif not any(w > 0 for w in weights(course).values()):
            issues.error(where, "every counted assessment weighs 0, so there is no course score to pass",
                         "give at least one assessment a weight above 0")
        elif rule.pass_mark and rule.pass_mark > 0 and not any(max_points(p) > 0 for p in counted):
            issues.error(where, "no counted assessment has points to win, so the pass mark can never be met",
                         "give the questions or choices points")
    elif rule.pass_mark is not None and rule.source is not None:
        issues.warning(where, "pass_mark is only read by rule 'score'; rule 'each' uses each assessment's own",
                       "set the pass mark on each assessment, or use rule: score")
    completion_ids = {p.id for p in assessments(course)} if isinstance(course.completion.assessments, str) \
        else set(course.completion.assessments)
    for page in counted:
        mark = own_pass_mark(page)
        if rule.rule != SCORE and mark and mark > 0 and max_points(page) <= 0:
            issues.error(page.text_refs.get("pass_mark", page.source),
                         f"pass_mark is {mark}% but '{page.id}' has no points to win, so it can never be passed",
                         "give its questions or choices points, or remove pass_mark")
        if page.id not in completion_ids and rule.source is not None:
            issues.warning(where, f"'{page.id}' counts for passing but not for completion",
                           "a learner could be complete before passing it: add it to completion.assessments")

