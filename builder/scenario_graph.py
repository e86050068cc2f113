"""Proves a scenario's graph with its memory: every state a learner can be in, walked from the start.

A state is a node plus the flags and scores the choices so far have set. Walking them all shows what
a plain look at the links cannot: a condition that never holds, an ending no learner reaches, a
choice with no way on for some learner, a loop with no way out, and a `good` ending reached through
a harmful choice (which would praise steps the learner did not take).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from . import conditions
from .conditions import ConditionError, Names, Tree
from .errors import Issues, SourceRef, did_you_mean
from .model import Choice, Condition, Scenario

MAX_STATES = 20_000  # a story with ever-growing scores in a loop stops here, with a warning


def names(scenario: Scenario) -> Names:
    """The flags and scores the scenario's choices set: the names its conditions may read."""
    flags = {f for c in scenario.choices for f in c.sets}
    scores = {s for c in scenario.choices for s, _ in c.adds}
    return Names(frozenset(flags), frozenset(scores))


def condition_ref(condition: Condition, offset: int) -> SourceRef:
    """The position `offset` characters into a condition's text, for errors inside it."""
    before = condition.text[:offset]
    line_breaks = before.count("\n")
    if not line_breaks:
        return condition.source.at(condition.source.line, condition.source.col + offset)
    return condition.source.at(condition.source.line + line_breaks, condition.source.col + len(before.rsplit("\n", 1)[1]))


def parse(condition: Condition, known: Names, issues: Issues | None = None) -> Tree | None:
    """The parsed condition; a mistake is reported at its exact place (file, line, column)."""
    try:
        return conditions.parse(condition.text, known)
    except ConditionError as exc:
        if issues is not None:
            issues.error(condition_ref(condition, exc.offset), f"in condition '{condition.text.strip()}': {exc.message}",
                         exc.hint)
        return None


@dataclass(frozen=True)
class State:
    node: str
    flags: frozenset[str] = frozenset()
    scores: tuple[tuple[str, float], ...] = ()
    harmed: bool = False  # a harmful choice is on the path here

    def score_map(self) -> dict[str, float]:
        return dict(self.scores)


@dataclass
class Walk:
    """Every state reached, how each was first reached, and what was seen on the way."""

    states: dict[State, tuple[State, int] | None] = field(default_factory=dict)  # state → (previous, choice)
    edges: dict[State, list[State]] = field(default_factory=dict)
    stuck: list[tuple[State, int]] = field(default_factory=list)  # (state, choice) with no branch that holds
    held: set[tuple[str, int, int]] = field(default_factory=set)  # branch conditions seen true
    taken: set[tuple[str, int, int]] = field(default_factory=set)
    complete: bool = True


def apply(choice: Choice, flags: frozenset[str], scores: dict[str, float]) -> tuple[frozenset[str], dict[str, float]]:
    """The learner's memory after a choice: its flags set, its numbers added."""
    scores = dict(scores)
    for name, amount in choice.adds:
        scores[name] = scores.get(name, 0) + amount
    return flags | frozenset(choice.sets), scores


def trees(scenario: Scenario, known: Names, issues: Issues | None = None) -> dict[tuple[str, int, int], Tree]:
    """Every branch condition of the scenario, parsed, keyed by (node, choice, branch)."""
    parsed: dict[tuple[str, int, int], Tree] = {}
    for node in scenario.nodes:
        for c, choice in enumerate(node.choices):
            for b, branch in enumerate(choice.branches):
                if branch.when is not None:
                    tree = parse(branch.when, known, issues)
                    if tree is not None:
                        parsed[(node.id, c, b)] = tree
    return parsed


def next_node(choice: Choice, key: tuple[str, int], parsed: dict, flags: frozenset[str],
              scores: dict[str, float], walk: Walk | None = None) -> str | None:
    """Where a choice leads for this memory: the first branch whose condition holds."""
    found = None
    for b, branch in enumerate(choice.branches):
        tree = parsed.get((*key, b))
        holds = branch.when is None or (tree is not None and bool(conditions.evaluate(tree, flags, scores)))
        if holds and walk is not None and branch.when is not None:
            walk.held.add((*key, b))
        if holds and found is None:
            found = branch.node
            if walk is None:
                return found
            walk.taken.add((*key, b))
    return found


def explore(scenario: Scenario, parsed: dict) -> Walk:
    """Walk every state a learner can reach from the start, breadth first (so paths are shortest)."""
    nodes = {n.id: n for n in scenario.nodes}
    walk = Walk()
    first = State(scenario.start)
    walk.states[first] = None
    queue = deque([first])
    while queue:
        state = queue.popleft()
        walk.edges[state] = []
        node = nodes[state.node]
        for c, choice in enumerate(node.choices):
            flags, scores = apply(choice, state.flags, state.score_map())
            target = next_node(choice, (node.id, c), parsed, flags, scores, walk)
            if target is None:
                walk.stuck.append((state, c))
                continue
            if target not in nodes:
                continue
            after = State(target, flags, tuple(sorted(scores.items())), state.harmed or scenario.is_harmful(choice))
            walk.edges[state].append(after)
            if after not in walk.states:
                if len(walk.states) >= MAX_STATES:
                    walk.complete = False
                    return walk
                walk.states[after] = (state, c)
                queue.append(after)
    return walk


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"


def path_to(scenario: Scenario, walk: Walk, state: State) -> str:
    """The choices that lead to `state`, as a trainer can follow them: `node: "choice" → ...`."""
    steps: list[str] = []
    at: State | None = state
    while at is not None and walk.states.get(at) is not None:
        previous, c = walk.states[at]  # type: ignore[misc]
        choice = scenario.node(previous.node).choices[c]  # type: ignore[union-attr]
        mark = " (harmful)" if scenario.is_harmful(choice) else ""
        steps.append(f"{previous.node}: choice {c + 1} \"{_short(choice.text)}\"{mark}")
        at = previous
    return " → ".join([*reversed(steps), state.node])


def _memory(state: State) -> str:
    parts = sorted(state.flags) + [f"{k} = {v:g}" for k, v in state.scores]
    return ", ".join(parts) if parts else "nothing set"


def check(scenario: Scenario, issues: Issues) -> None:
    """The checks that need the learner's memory; the plain link checks have run before."""
    known = names(scenario)
    clash = known.flags & known.scores
    for name in sorted(clash):
        issues.error(scenario.source, f"'{name}' is both a flag (set:) and a score (add:)",
                     "give the flag and the score different names")
    _check_stage(scenario, issues)
    before = len(issues.errors)
    parsed = trees(scenario, known, issues)
    debriefs = _debrief_trees(scenario, known, issues)
    if len(issues.errors) > before or clash:
        return  # a condition that does not parse cannot be proved
    walk = explore(scenario, parsed)
    if not walk.complete:
        issues.warning(scenario.source, f"the scenario has more than {MAX_STATES} states (flags, scores and "
                                        "nodes together); it was not checked to the end",
                       "scores that grow in a loop make endless states: cap them with conditions")
        return
    _report_reach(scenario, walk, parsed, issues)
    _report_debriefs(scenario, walk, debriefs, issues)
    _report_harm(scenario, walk, issues)


def _check_stage(scenario: Scenario, issues: Issues) -> None:
    people = [c.id for c in scenario.characters]
    for person in scenario.characters:
        if person.portrait and not person.alt:
            issues.error(person.source, f"character '{person.id}' has a portrait without 'alt' text",
                         "describe the portrait in 'alt:'")
    for node in scenario.nodes:
        for line in node.lines:
            if line.who not in people:
                issues.error(line.source, f"line said by '{line.who}', who is not in this scenario's characters",
                             did_you_mean(line.who, people) or "add them under 'characters:'")


def _debrief_trees(scenario: Scenario, known: Names, issues: Issues) -> dict[tuple[str, int], Tree]:
    parsed = {}
    for node in scenario.nodes:
        for p, part in enumerate(node.debrief_parts):
            if part.when is not None and (tree := parse(part.when, known, issues)) is not None:
                parsed[(node.id, p)] = tree
    return parsed


def _report_reach(scenario: Scenario, walk: Walk, parsed: dict, issues: Issues) -> None:
    reached = {s.node for s in walk.states}
    linked = _linked(scenario)
    for node in scenario.nodes:
        if node.id in linked and node.id not in reached:
            what = "ending" if node.ending else "node"
            issues.error(node.source, f"no learner can reach {what} '{node.id}': the conditions that lead to it "
                                      "never hold", "check the 'if:' of the branches that go to it")
    told: set[tuple[str, int]] = set()
    for state, c in walk.stuck:  # breadth first: the first state found has the shortest path
        if (state.node, c) in told:
            continue
        told.add((state.node, c))
        choice = scenario.node(state.node).choices[c]  # type: ignore[union-attr]
        issues.error(choice.source, f"choice {c + 1} of node '{state.node}' has no way on when the learner has "
                                    f"{_memory(state)} (path: {path_to(scenario, walk, state)})",
                     "end its goto list with a branch without 'if:'")
    for node in scenario.nodes:
        for c, choice in enumerate(node.choices):
            for b, branch in enumerate(choice.branches):
                key = (node.id, c, b)
                if branch.when is None or node.id not in reached or key not in parsed:
                    continue
                if key not in walk.held:
                    issues.error(branch.when.source, f"condition '{branch.when.text.strip()}' is never true when a "
                                                     f"learner makes this choice", "no path sets what it needs")
                elif key not in walk.taken:
                    issues.warning(branch.when.source, f"the branch to '{branch.node}' is never taken: an earlier "
                                                       "branch always holds first", "reorder the branches")
    _report_stuck_loops(scenario, walk, issues)


def reachable(starts: list[str], step) -> set[str]:  # noqa: ANN001 - a small local callable
    """Everything `step` leads to from `starts`, breadth first."""
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in step(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _linked(scenario: Scenario) -> set[str]:
    """The nodes some chain of links reaches from the start, whatever the conditions."""
    nodes = {n.id: n for n in scenario.nodes}
    return reachable([scenario.start], lambda n: [t for c in nodes[n].choices for t in c.targets if t in nodes])


def _report_stuck_loops(scenario: Scenario, walk: Walk, issues: Issues) -> None:
    """States from which no ending can be reached: the learner would go round for ever."""
    endings = {n.id for n in scenario.nodes if n.ending}
    back: dict[State, list[State]] = {s: [] for s in walk.states}
    for state, nexts in walk.edges.items():
        for after in nexts:
            back[after].append(state)
    can_end = {s for s in walk.states if s.node in endings}
    queue = deque(can_end)
    while queue:
        for before in back[queue.popleft()]:
            if before not in can_end:
                can_end.add(before)
                queue.append(before)
    told: set[str] = set()
    for state in walk.states:
        if state not in can_end and state.node not in told and not any(s[0] == state for s in walk.stuck):
            told.add(state.node)
            issues.error(scenario.node(state.node).source,  # type: ignore[union-attr]
                         f"no ending can be reached from node '{state.node}' when the learner has {_memory(state)} "
                         f"(path: {path_to(scenario, walk, state)})",
                         "the learner would be stuck: give it a path to an ending for that state")


def _report_debriefs(scenario: Scenario, walk: Walk, parsed: dict, issues: Issues) -> None:
    for node in scenario.nodes:
        at = [s for s in walk.states if s.node == node.id]
        if not at:
            continue
        for p, part in enumerate(node.debrief_parts):
            tree = parsed.get((node.id, p))
            if tree is not None and not any(conditions.evaluate(tree, s.flags, s.score_map()) for s in at):
                issues.error(part.when.source,  # type: ignore[union-attr]
                             f"debrief condition '{part.when.text.strip()}' is never true at ending '{node.id}'",  # type: ignore[union-attr]
                             "no path to this ending sets what it needs")


def _report_harm(scenario: Scenario, walk: Walk, issues: Issues) -> None:
    """A `good` ending reached through a harmful choice: a warning, an error under --strict."""
    told: set[str] = set()
    good = {n.id for n in scenario.nodes if n.ending == "good"}
    for state in walk.states:
        if state.harmed and state.node in good and state.node not in told:
            told.add(state.node)
            issues.warning(scenario.node(state.node).source,  # type: ignore[union-attr]
                           f"good ending '{state.node}' can be reached through a harmful choice: "
                           f"{path_to(scenario, walk, state)}",
                           "set a flag on the harmful choice and send that path to an ending that fits it")


_best: dict[tuple, float] = {}  # the graph's shape → its best points (checks and course data ask each build)


def best_points(scenario: Scenario) -> float:
    """The points of the best run from the start to an ending, following the conditions.

    No run visits a node twice, so a story that lets the learner go back and forth cannot be scored
    above what one good run earns. Worked out once per shape of the graph: the walk visits every run,
    and validation, the course data and each translation ask for it on every build and rebuild.
    """
    shape = (scenario.start, tuple((n.id, n.ending, tuple((c.goto, c.points, c.branches, c.sets, c.adds)
                                                           for c in n.choices)) for n in scenario.nodes))
    known = _best.get(shape)
    if known is None:
        if len(_best) > 1024:
            _best.clear()
        known = _best[shape] = _walk_best(scenario)
    return known


def _walk_best(scenario: Scenario) -> float:
    nodes = {n.id: n for n in scenario.nodes}
    parsed = trees(scenario, names(scenario))
    best: float | None = None

    def walk(node_id: str, trail: frozenset[str], points: float, flags: frozenset[str],
             scores: dict[str, float]) -> None:
        nonlocal best
        node = nodes.get(node_id)
        if node is None:
            return
        if node.ending:
            best = points if best is None else max(best, points)
            return
        for c, choice in enumerate(node.choices):
            after_flags, after_scores = apply(choice, flags, scores)
            target = next_node(choice, (node_id, c), parsed, after_flags, after_scores)
            if target is not None and target not in trail:
                walk(target, trail | {target}, points + choice.points, after_flags, after_scores)

    if scenario.start in nodes:
        walk(scenario.start, frozenset({scenario.start}), 0.0, frozenset(), {})
    return best or 0.0
