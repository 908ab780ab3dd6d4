"""A skill standard's faults are message keys the entrypoints word (issue 53), and they say
what they said before, word for word: every refusal of
:mod:`tests.core.skills.standard_faults` in English and Japanese, the error and its problem,
equals ``standard_words.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credstack.core.said import Said
from credstack.core.skills.standards import read_standard
from credstack.errors import FrameworkError
from tests.core.skills.standard_faults import BROKEN, said_by_refusals

BEFORE = Path(__file__).with_name("standard_words.json")


def test_every_refusal_says_what_it_said_before_its_words_moved() -> None:
    assert said_by_refusals() == json.loads(BEFORE.read_text("utf-8"))


def test_a_fault_is_a_key_with_its_values() -> None:
    """The core says the code and the values, never the words."""
    with pytest.raises(FrameworkError) as caught:
        read_standard(BROKEN["duplicate"], source="s.yaml")
    error = caught.value
    fault = Said("workspace.framework.standard.duplicate", code="A")
    assert (error.code, dict(error.params)) == (
        "workspace.framework.standard.refused", {"place": "s.yaml /items/1/code", "fault": fault})
    [problem] = error.problems
    assert (problem.code, dict(problem.params), problem.message) == (fault.key, {"code": "A"}, "")
