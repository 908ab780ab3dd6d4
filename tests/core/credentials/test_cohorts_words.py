"""Reading a cohort CSV says what it always said, in English and Japanese, word for word.

``cohort_words.json`` holds, for 21 files that are refused (each header fault, a bad date
or address, the same learner twice, broken CSV, empty, too large …), the refusal and each
problem's place and words as the workspace and the CLI worded them before the words moved
into the catalogues (issue 53). The refusal and its problems are now message keys with their
values (``issuing.cohort.*``, ja/en: the issuer's staff read them); worded from the
catalogues they must read the same, but where the old words had no Japanese (a problem said
in English only): there the Japanese is new.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.credentials import cohorts
from credstack.errors import CredstackError
from credstack.words import error_words, problem_words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cohort_words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("recorded", RECORDED, ids=[row["case"] for row in RECORDED])
def test_a_refused_cohort_says_what_it_said(recorded: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal, its words in English (and in Japanese where it had Japanese), the
    same problems in the same places, each a key with its English words the old ones."""
    data: str | bytes = (recorded["data"].encode("latin-1") if recorded["bytes"]
                         else recorded["data"])
    if "most" in recorded:
        monkeypatch.setattr(cohorts, "MAX_COHORT_BYTES", recorded["most"])
    with pytest.raises(CredstackError) as raised:
        cohorts.read_cohort(data, source=recorded["source"])
    error = raised.value
    assert type(error).__name__ == recorded["error"]
    assert error.code.startswith("issuing.cohort.refused.")
    assert error_words(error, "en") == recorded["en"]
    if recorded["ja"] != recorded["en"]:
        assert error_words(error, "ja") == recorded["ja"]
    else:
        assert error_words(error, "ja") != recorded["en"]
    assert [p.location for p in error.problems] == [p["location"] for p in recorded["problems"]]
    for problem, was in zip(error.problems, recorded["problems"], strict=True):
        assert problem.code.startswith("issuing.cohort.fault.")
        assert problem_words(problem, "en") == was["en"]
        japanese = problem_words(problem, "ja")
        assert japanese == was["ja"] if was["ja"] != was["en"] else japanese != was["en"]
