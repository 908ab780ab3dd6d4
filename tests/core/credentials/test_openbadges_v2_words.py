"""An Open Badges 2.0 document that breaks the validator's rules says what it always said in
English, word for word, and is said in every language /verify speaks.

``openbadges_v2_words.json`` holds what :mod:`credstack.core.credentials.openbadges_v2`'s
validation found before its words moved into the catalogues (issue 53): for each document
given, the failures and warnings (where, and what), and the ``contexts`` and ``data-model``
checks a verification of five assertions reported (English and Japanese). The problems are
now message keys (``ob2.rule.…``) with their values; worded from the catalogues they must
read the same.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.verification.openbadges_v2 import verify_badge
from credstack.errors import FetchError, Problem
from credstack.words import problem_words, words

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "openbadges_v2_words.json").read_text(encoding="utf-8"))
PROBLEMS: list[dict[str, Any]] = RECORDED["problems"]
CHECKS: dict[str, dict[str, Any]] = RECORDED["checks"]
#: The languages /verify speaks.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")
IDS = [f"{row['function']}-{number}" for number, row in enumerate(PROBLEMS)]
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _found(recorded: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """The failures and warnings the recorded document is found to have now."""
    given, args = recorded["given"], recorded["args"]
    if recorded["function"] == "validate":
        return ob2.validate(given, *args)
    if recorded["function"] == "context":
        return ob2.context_problems(given)
    return ob2.extension_problems(given, *args), []


@pytest.mark.parametrize("recorded", PROBLEMS, ids=IDS)
def test_a_broken_rule_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """Each problem is a message key with its values (no words in the code); its English is
    the words it had, at the same place."""
    errors, warnings = _found(recorded)
    assert all(problem.code.startswith("ob2.rule.") and not problem.message
               for problem in [*errors, *warnings])
    assert [[p.location, problem_words(p, "en")] for p in errors] == recorded["errors"]
    assert [[p.location, problem_words(p, "en")] for p in warnings] == recorded["warnings"]


@pytest.mark.parametrize("recorded", PROBLEMS, ids=IDS)
def test_a_broken_rule_is_said_in_every_language_of_verify(recorded: dict[str, Any]) -> None:
    """Each language words each problem in its own words, with the value found."""
    errors, warnings = _found(recorded)
    for problem in [*errors, *warnings]:
        english = problem_words(problem, "en")
        for language in LANGUAGES[1:]:
            said = problem_words(problem, language)
            assert said and said != english and not said.startswith("ob2."), (language, said)
            value = problem.params.get("value")
            if value is not None:
                assert str(value) in said, (language, said)


def _not_served(url: str) -> Any:
    raise FetchError(f"{url} is not served here")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_contexts_and_data_model_checks_say_what_they_said(name: str) -> None:
    """A verification's ``contexts`` and ``data-model`` checks read as before in English; in
    Japanese too, but for a data-model warning, which gave its problem in English and now
    gives it in Japanese after the same place."""
    recorded = CHECKS[name]
    report = verify_badge(recorded["given"], fetch=_not_served, now=NOW, words=words)
    for check_name, expected in recorded["checks"].items():
        check = report.check(check_name)
        assert check is not None
        assert (check.passed, check.reason_en) == (expected["passed"], expected["en"])
        assert check.reason_ja == expected["ja"]
        warnings = [[w.code, w.message_en] for w in check.warnings]
        assert warnings == [[code, en] for code, en, _ in expected["warnings"]]
        for warning, (code, _, japanese) in zip(check.warnings, expected["warnings"],
                                                strict=True):
            if code == "data-model-warning":
                location = japanese.partition("：")[0]
                assert warning.message_ja.startswith(location + "：")
                assert warning.message_ja != japanese
            else:
                assert warning.message_ja == japanese
