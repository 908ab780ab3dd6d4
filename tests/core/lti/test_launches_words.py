"""A refused LTI launch says what it always said, in Japanese and English, word for word.

``launch_words.json`` holds what :func:`credstack.core.lti.launches.refusal` said for each
reason, with no detail and with two, before its words moved into the catalogues (issue 53):
the error's message (``English / 日本語``), its problem's place, rule and words. The refusal
is now a message key with parameters; worded from the catalogues it must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.lti.launches import refusal
from credstack.words import kept_words, problem_words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "launch_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED,
                         ids=[f"{row['reason']}-{number}" for number, row in enumerate(RECORDED)])
def test_a_refused_launch_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The message in both languages, the problem's place and rule, and its words in each."""
    error = refusal(recorded["reason"], recorded["detail"])
    [problem] = error.problems
    assert error.code == "lti.launch.refused" and problem.code.startswith("lti.launch.")
    assert kept_words(error) == recorded["message"]
    assert (problem.location, problem.rule) == (recorded["location"], recorded["rule"])
    assert (problem_words(problem, "en"), problem_words(problem, "ja")) == (
        recorded["en"], recorded["ja"])
