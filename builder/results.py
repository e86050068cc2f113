"""The course's result rules, resolved once: which assessments count, how they are weighed, and the
pass mark every tracker hands to its LMS.

The learner's runtime (themes/default/runtime/results.js) applies these rules; the manifests and
any other tracker read the pass mark from `course_pass_mark` here, so the screen, the certificate
and the LMS all start from the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Course, Page, Pass, Quiz, Scenario

EACH = "each"
SCORE = "score"
RULES = (EACH, SCORE)


@dataclass(frozen=True)
class PassMark:
    """The course's pass mark as an LMS holds it.

    `percent` (0 to 100) or None when the course is complete-only; `by_measure` is true when the
    score alone decides (rule "score"). Only then do the packages hand an LMS a mark to judge by
    (1.2 masteryscore, 2004 satisfiedByMeasure, cmi5 masteryScore): Moodle's "mastery score
    overrides status" and a sequencing LMS would otherwise judge a rule "each" course by its score.
    With rule "each" the mark is the least course score of any passing learner; 2004 still
    declares it as minNormalizedMeasure (Moodle hands an objective without one 1 as the passing
    score), and the runtime leaves out the 2004 scaled score, so no LMS can contradict the course.
    """

    percent: int | None
    by_measure: bool

    @property
    def scaled(self) -> float | None:
        """The mark as SCORM 2004's normalized measure, -1 to 1."""
        return None if self.percent is None else round(self.percent / 100, 4)


def pass_rule(course: Course) -> Pass:
    """The course's pass rule; a course made without one but with the older `completion.pass_mark`
    is judged on its score, as it always was."""
    rule = course.pass_rule
    if rule == Pass() and course.completion.pass_mark is not None:
        return Pass(rule=SCORE, assessments=course.completion.assessments, pass_mark=course.completion.pass_mark)
    return rule


def assessments(course: Course) -> list[Page]:
    """Every page with `kind: assessment`, in reading order."""
    return [p for p in course.pages if isinstance(p, (Quiz, Scenario)) and p.kind == "assessment"]


def pass_assessments(course: Course) -> list[Page]:
    """The assessments the pass rule counts: its list (known assessments only), or all of them."""
    chosen = pass_rule(course).assessments
    found = assessments(course)
    if isinstance(chosen, str):
        return found
    by_id = {p.id: p for p in found}
    return [by_id[i] for i in chosen if i in by_id]


def own_pass_mark(page: Page) -> int | None:
    """An assessment's own pass mark in percent (None: passed once finished)."""
    return getattr(page, "pass_mark", None)


def weights(course: Course) -> dict[str, float]:
    """Each counted assessment's weight in the course score: the rule's weight, else its points."""
    given = dict(pass_rule(course).weights)
    return {p.id: given.get(p.id, max_points(p)) for p in pass_assessments(course)}


def max_points(page: Page) -> float:
    """The points an assessment can give: a quiz's questions, a scenario's best path."""
    if isinstance(page, Quiz):
        total = float(sum(q.points for q in page.questions))
        if page.draw and page.questions:  # an attempt draws some: weigh it by their mean points
            return round(total * page.draw / len(page.questions), 4)
        return total
    if isinstance(page, Scenario):
        from .validate import best_path_points
        return best_path_points(page)
    return 0.0


def course_pass_mark(course: Course) -> PassMark:
    """The pass mark a manifest declares and an LMS hands back (1.2 masteryscore, 2004
    minNormalizedMeasure): rule "score" its `pass_mark`; rule "each" the lowest own pass mark of the
    assessments it counts, the least any passing learner's course score can be."""
    rule = pass_rule(course)
    if rule.rule == SCORE:
        return PassMark(rule.pass_mark, rule.pass_mark is not None)
    marks = [m for m in (own_pass_mark(p) for p in pass_assessments(course)) if m is not None]
    return PassMark(min(marks) if marks else None, False)


def rules_data(course: Course) -> dict[str, Any]:
    """The pass rule as the runtime reads it from the course data."""
    mark = course_pass_mark(course)
    return {
        "rule": pass_rule(course).rule if pass_rule(course).rule in RULES else EACH,
        "assessments": [p.id for p in pass_assessments(course)],
        "weights": weights(course),
        "mark": mark.percent,
    }
