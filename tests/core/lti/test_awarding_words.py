"""A course link's award decisions and rule refusals say what they always said in English and
Japanese, word for word; a reason kept before reasons were keys still reads as it was kept.

``awarding_words.json`` holds what :func:`decide` and :class:`Rule` said before their words
moved into the catalogues (issue 53): 84 decisions (three rules, seven results, with and
without an e-mail address, issued or not) with their outcome, ``reason`` and ``reason_ja``,
and 7 incomplete rules with the refusal's message and each problem's place and words. A
reason is now an ``lti.award.*`` key with its values, kept in the learner's row as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.lti.awarding import Rule, decide, reason_of, stored_reason
from credstack.core.said import Said
from credstack.errors import InputError
from credstack.words import error_words, problem_words, words

RECORDED: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "awarding_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED["decisions"],
                         ids=[str(number) for number in range(len(RECORDED["decisions"]))])
def test_a_decision_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The same outcome, and its reason's words in English and Japanese the old ones (none
    where there was none); kept and read back, the same key and values."""
    decision = decide(Rule(*recorded["rule"]), score=recorded["score"],
                      maximum=recorded["maximum"], email=recorded["email"],
                      issued=recorded["issued"])
    assert decision.outcome == recorded["outcome"]
    if decision.reason is None:
        assert recorded["en"] == recorded["ja"] == ""
        return
    assert decision.reason.key.startswith("lti.award.")
    assert words(decision.reason, "en") == recorded["en"]
    assert words(decision.reason, "ja") == recorded["ja"]
    assert reason_of(stored_reason(decision.reason)) == decision.reason


@pytest.mark.parametrize("recorded", RECORDED["refusals"],
                         ids=[str(number) for number in range(len(RECORDED["refusals"]))])
def test_an_incomplete_rule_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The refusal and each problem, in place and in both languages."""
    with pytest.raises(InputError) as raised:
        Rule(*recorded["rule"])
    error = raised.value
    assert (error_words(error, "en"), error_words(error, "ja")) == (recorded["en"],
                                                                    recorded["ja"])
    assert [(p.location, problem_words(p, "en"), problem_words(p, "ja"))
            for p in error.problems] == [(p["location"], p["en"], p["ja"])
                                         for p in recorded["problems"]]


def test_a_reason_kept_as_words_before_the_keys_reads_as_kept() -> None:
    """A learner's row written before reasons were keys holds the English words: they are
    shown as they are; no reason is none."""
    kept = "The result is now 10/100, below the rule (60%)."
    assert reason_of(kept) == kept
    assert reason_of("{not json") == "{not json"
    assert reason_of(None) is None and reason_of("") is None
    assert reason_of(stored_reason(Said("lti.award.no_email"))) == Said("lti.award.no_email")
