"""`course check` proves a scenario's graph with the learner's memory: small broken stories, exact lines.

Each case is the tiny course with its scenario replaced by a short story; `course check` runs as a
trainer types it and prints `path:line:col: severity: message (hint)`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from test_broken_sources import WINDOW, check, copy_tiny

HEAD = """title: At the window
kind: practice
start: window
nodes:
"""


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nodes: str, *args: str) -> tuple[int, list[str]]:
    course = copy_tiny(tmp_path)
    (course / WINDOW).write_text(HEAD + nodes, encoding="utf-8")
    result = check(course, monkeypatch, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


REJOIN = """  window:
    text: A woman asks for help. Her employer waits outside.
    choices:
      - text: Speak with her alone
        goto: plan
        points: 2
      - text: Tell her employer what she said
        goto: plan
        set: [told-employer]
        harmful: true
  plan:
    text: She agrees to a referral.
    choices:
      - text: Refer her with her consent
        points: 2
        goto:
          - if: told-employer
            node: end-exposed
          - node: end-good
  end-good:
    ending: good
    text: She is safe.
    debrief:
      - text: You kept her safe.
  end-exposed:
    ending: poor
    text: Her employer moved her before the referral.
    debrief:
      - text: The referral came too late.
      - if: told-employer
        text: Telling the employer warned him.
"""


def test_paths_that_rejoin_can_end_differently_and_pass_strict(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines = run(tmp_path, monkeypatch, REJOIN, "--strict")
    assert code == 0, lines
    assert lines[-1].startswith("tiny: no errors")


def test_a_good_ending_reached_through_a_harmful_choice_names_the_path(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    leaky = REJOIN.replace("        goto:\n          - if: told-employer\n            node: end-exposed\n          - node: end-good\n",
                           "        goto: end-good\n      - text: Wait a week\n        goto: end-exposed\n")
    code, lines = run(tmp_path, monkeypatch, leaky)
    expected = (f"tiny/{WINDOW}:23:3: warning: good ending 'end-good' can be reached through a harmful choice: "
                "window: choice 2 \"Tell her employer what she said\" (harmful) → plan: choice 1 \"Refer her with "
                "her consent\" → end-good (set a flag on the harmful choice and send that path to an ending "
                "that fits it)")
    assert code == 0 and expected in lines
    code, strict = run(tmp_path / "strict", monkeypatch, leaky, "--strict")
    assert code == 1 and expected.replace(": warning: ", ": error: ") in strict


def test_zero_points_count_as_harmful_where_the_scenario_has_points(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = """  window:
    text: What do you do?
    choices:
      - text: Refer
        goto: done
        points: 1
      - text: Send away, then call back
        goto: done
  done:
    ending: good
    text: Help arrives.
"""
    code, lines = run(tmp_path, monkeypatch, nodes, "--strict")
    assert code == 1
    assert any("good ending 'done' can be reached through a harmful choice: window: choice 2 \"Send away, then "
               "call back\" (harmful) → done" in line for line in lines)


def test_an_unknown_flag_is_reported_inside_the_condition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines = run(tmp_path, monkeypatch, REJOIN.replace("- if: told-employer", "- if: told-emplyer"))
    assert code == 1
    assert (f"tiny/{WINDOW}:21:17: error: in condition 'told-emplyer': unknown flag or score 'told-emplyer' "
            "(did you mean 'told-employer'?)") in lines


def test_a_mistake_deep_in_a_condition_points_at_its_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines = run(tmp_path, monkeypatch, REJOIN.replace("- if: told-employer", '- if: "told-employer or >"'))
    assert code == 1
    assert (f"tiny/{WINDOW}:21:35: error: in condition 'told-employer or >': unexpected '>' "
            "(expected a flag, a score, a number or '(')") in lines


def test_a_condition_that_can_never_be_true(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    never = REJOIN.replace("- if: told-employer\n", "- if: told-employer and not told-employer\n")
    code, lines = run(tmp_path, monkeypatch, never)
    assert code == 1
    assert (f"tiny/{WINDOW}:21:17: error: condition 'told-employer and not told-employer' is never true when a "
            "learner makes this choice (no path sets what it needs)") in lines
    assert (f"tiny/{WINDOW}:29:3: error: no learner can reach ending 'end-exposed': the conditions that lead to it "
            "never hold (check the 'if:' of the branches that go to it)") in lines


def test_a_choice_with_no_way_on_for_some_learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stuck = REJOIN.replace("          - node: end-good\n", "          - if: not told-employer\n            node: end-good\n")
    stuck = stuck.replace("            node: end-exposed\n", "            node: end-exposed\n", 1)
    stuck = stuck.replace("      - text: Speak with her alone\n        goto: plan\n",
                          "      - text: Speak with her alone\n        goto: plan\n        set: [alone]\n")
    stuck = stuck.replace("- if: told-employer\n", "- if: told-employer and alone\n")
    code, lines = run(tmp_path, monkeypatch, stuck)
    assert code == 1
    assert (f"tiny/{WINDOW}:19:9: error: choice 1 of node 'plan' has no way on when the learner has told-employer "
            "(path: window: choice 2 \"Tell her employer what she said\" (harmful) → plan) (end its goto list "
            "with a branch without 'if:')") in lines


def test_a_loop_with_no_way_out_for_some_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = """  window:
    text: She hesitates.
    choices:
      - text: Press her
        goto: wait
        set: [pressed]
      - text: Give her time
        goto: wait
        points: 1
  wait:
    text: She says nothing.
    choices:
      - text: Try again
        goto:
          - if: pressed
            node: wait
          - node: done
  done:
    ending: neutral
    text: She will come back.
"""
    code, lines = run(tmp_path, monkeypatch, nodes)
    assert code == 1
    assert (f"tiny/{WINDOW}:14:3: error: no ending can be reached from node 'wait' when the learner has pressed "
            "(path: window: choice 1 \"Press her\" (harmful) → wait) (the learner would be stuck: give it a path to "
            "an ending for that state)") in lines


def test_a_debrief_part_that_never_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    never = REJOIN.replace("      - if: told-employer\n        text: Telling", "      - if: not told-employer\n        text: Telling")
    code, lines = run(tmp_path, monkeypatch, never)
    assert code == 1
    assert (f"tiny/{WINDOW}:34:13: error: debrief condition 'not told-employer' is never true at ending "
            "'end-exposed' (no path to this ending sets what it needs)") in lines


def test_lines_need_known_characters_and_portraits_need_alt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = copy_tiny(tmp_path)
    text = HEAD.replace("nodes:\n", """characters:
  mira:
    name: Mira
    role: Applicant
    portrait: ../../media/window.svg
nodes:
""") + REJOIN.replace("    text: A woman asks for help. Her employer waits outside.\n",
                      "    text: A woman asks for help. Her employer waits outside.\n"
                      "    lines:\n      - who: mirra\n        say: Can you help me?\n")
    (course / WINDOW).write_text(text, encoding="utf-8")
    result = check(course, monkeypatch)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (f"tiny/{WINDOW}:5:3: error: character 'mira' has a portrait without 'alt' text "
            "(describe the portrait in 'alt:')") in lines
    assert (f"tiny/{WINDOW}:13:9: error: line said by 'mirra', who is not in this scenario's characters "
            "(did you mean 'mira'?)") in lines
