"""A CASE package's faults are message keys the entrypoints word (issue 53), and they say
what they said before, word for word: every refusal of :mod:`tests.core.skills.case_faults`
in English and Japanese, the error and each problem, equals ``case_words.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credstack.core.skills.case import parse_package
from credstack.errors import FrameworkError
from tests.core.skills.case_faults import said_by_refusals

BEFORE = Path(__file__).with_name("case_words.json")


def test_every_refusal_says_what_it_said_before_its_words_moved() -> None:
    assert said_by_refusals() == json.loads(BEFORE.read_text("utf-8"))


def test_a_fault_is_a_key_with_its_values() -> None:
    """The core says the code and the values, never the words."""
    with pytest.raises(FrameworkError) as caught:
        parse_package({"CFItems": []})
    error = caught.value
    assert (error.code, dict(error.params)) == ("workspace.framework.case.refused",
                                                 {"source": "<package>", "number": 1})
    [problem] = error.problems
    assert (problem.code, dict(problem.params), problem.message) \
        == ("workspace.framework.case.required", {"key": "CFDocument"}, "")
