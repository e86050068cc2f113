"""The scenario condition language: what parses, what it means, and where a mistake is reported."""
from __future__ import annotations

import pytest

from builder.conditions import ConditionError, Names, evaluate, names_in, parse

NAMES = Names(flags=frozenset({"consent", "shared-story", "warned"}), scores=frozenset({"trust", "risk_level"}))


def value(text: str, flags: set[str] = frozenset(), **scores: float) -> object:  # type: ignore[assignment]
    return evaluate(parse(text, NAMES), frozenset(flags), scores)


@pytest.mark.parametrize("text, tree", [
    ("consent", ["flag", "consent"]),
    ("not shared-story", ["not", ["flag", "shared-story"]]),
    ("trust >= 2", ["cmp", ">=", ["score", "trust"], ["num", 2]]),
    ("risk_level < -1.5", ["cmp", "<", ["score", "risk_level"], ["num", -1.5]]),
    ("consent and not warned or trust > 0",
     ["or", ["and", ["flag", "consent"], ["not", ["flag", "warned"]]], ["cmp", ">", ["score", "trust"], ["num", 0]]]),
    ("consent and (warned or shared-story)",
     ["and", ["flag", "consent"], ["or", ["flag", "warned"], ["flag", "shared-story"]]]),
    ("consent and warned and shared-story",
     ["and", ["flag", "consent"], ["flag", "warned"], ["flag", "shared-story"]]),
    ("consent == false", ["cmp", "==", ["flag", "consent"], ["bool", False]]),
    ("NOT consent AND TRUE", ["and", ["not", ["flag", "consent"]], ["bool", True]]),
])
def test_conditions_parse_to_plain_trees(text: str, tree: list) -> None:
    assert parse(text, NAMES) == tree


@pytest.mark.parametrize("text, flags, scores, expected", [
    ("consent", set(), {}, False),
    ("consent", {"consent"}, {}, True),
    ("not shared-story", {"shared-story"}, {}, False),
    ("trust >= 2", set(), {"trust": 2}, True),
    ("trust >= 2", set(), {"trust": 1}, False),
    ("trust >= 0", set(), {}, True),  # a score nobody added to yet is 0
    ("trust != 0 or warned", {"warned"}, {}, True),
    ("consent and (warned or shared-story)", {"consent", "shared-story"}, {}, True),
    ("consent and (warned or shared-story)", {"warned", "shared-story"}, {}, False),
    ("risk_level < -1.5", set(), {"risk_level": -2}, True),
    ("consent == false", set(), {}, True),
])
def test_conditions_evaluate_for_a_learners_memory(text: str, flags: set[str], scores: dict, expected: bool) -> None:
    assert value(text, flags, **scores) is expected


@pytest.mark.parametrize("text, offset, message", [
    ("consnet and warned", 0, "unknown flag or score 'consnet'"),
    ("warned and trsut > 1", 11, "unknown flag or score 'trsut'"),
    ("", 0, "the condition is empty"),
    ("consent and", 11, "the condition ends too early"),
    ("consent warned", 8, "unexpected 'warned'"),
    ("(consent or warned", 18, "missing ')'"),
    ("trust", 0, "a number or score is not true or false by itself"),
    ("consent and trust", 12, "a number or score is not true or false by itself"),
    ("not trust", 4, "a number or score is not true or false by itself"),
    ("consent > 1", 0, "'>' compares numbers or scores, not flags"),
    ("trust >= consent", 9, "'>=' compares numbers or scores, not flags"),
    ("1 < trust < 3", 10, "comparisons cannot be chained"),
    ("trust >= 2; import os", 10, "unexpected character ';'"),
    ("__import__('os')", 11, "unexpected character '''"),
    ("trust == 2 & warned", 11, "unexpected character '&'"),
])
def test_mistakes_are_reported_at_their_offset(text: str, offset: int, message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse(text, NAMES)
    assert (caught.value.message, caught.value.offset) == (message, offset)
    assert caught.value.hint


def test_an_unknown_name_suggests_the_close_one_or_lists_the_known() -> None:
    with pytest.raises(ConditionError) as close:
        parse("sharedstory", NAMES)
    assert close.value.hint == "did you mean 'shared-story'?"
    with pytest.raises(ConditionError) as far:
        parse("zebra", NAMES)
    assert far.value.hint == ("flags and scores set by this scenario's choices: "
                              "consent, risk_level, shared-story, trust, warned")
    with pytest.raises(ConditionError) as none:
        parse("zebra", Names(frozenset(), frozenset()))
    assert "add 'set:' or 'add:' to a choice" in none.value.hint


def test_names_in_lists_what_a_condition_reads() -> None:
    assert names_in(parse("consent and (trust > 1 or not warned)", NAMES)) == {"consent", "trust", "warned"}
