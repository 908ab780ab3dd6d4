"""An application's documents and a report of a programme are refused in the words they
always were, in Japanese and English, word for word.

``console_words.json`` holds what :func:`~credstack.core.console.applications.screen_document`,
:func:`~credstack.core.console.reports.report_text` and
:func:`~credstack.core.console.reports.refuse_flood` said for each refusal before their words
moved into the catalogues (issue 53): the error's message (``English / 日本語``), its
problem's place and words. They are now message keys with parameters; worded from the
catalogues they must read the same, and every language the public pages speak has them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.console import applications, reports
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.errors import CredstackError, RateLimitedError
from credstack.words import catalogue, kept_words, problem_words

RECORDED: dict[str, dict[str, Any]] = {
    row["case"]: row for row in json.loads(
        (Path(__file__).parent / "console_words.json").read_text(encoding="utf-8"))}
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def _flood(minutes: int | None, more: int = 0) -> Callable[[], None]:
    oldest = None if minutes is None else NOW - dt.timedelta(minutes=minutes, seconds=7)
    return lambda: reports.refuse_flood(reports.REPORTS_PER_WINDOW + more, oldest=oldest,
                                        now=NOW)


CASES: dict[str, Callable[[], Any]] = {
    "empty": lambda: applications.screen_document(b"", filename="a.pdf",
                                                  where="documents[0]"),
    "large": lambda: applications.screen_document(
        b"%PDF-" + b"0" * applications.MAX_DOCUMENT_BYTES, filename="a.pdf",
        where="documents[1]"),
    "kind": lambda: applications.screen_document(b"hello", filename="a.txt",
                                                 where="documents[2]"),
    "report_empty": lambda: reports.report_text("   "),
    "report_long": lambda: reports.report_text("x" * 2001, field="text"),
    "flood_0": _flood(0), "flood_1": _flood(1), "flood_30": _flood(30), "flood_59": _flood(59),
    "flood_none": _flood(None, 3),
}


def _refusal(case: str) -> CredstackError:
    with pytest.raises(CredstackError) as refused:
        CASES[case]()
    return refused.value


def test_every_recorded_refusal_is_tried() -> None:
    assert set(CASES) == set(RECORDED)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refusal_says_what_it_said(case: str) -> None:
    """The message in both languages, and the problem's place and words in each."""
    recorded, error = RECORDED[case], _refusal(case)
    assert error.code and kept_words(error) == recorded["message"]
    if isinstance(error, RateLimitedError):
        assert error.retry_after == recorded["retry_after"]
    if recorded["problem"] is None:
        assert not error.problems
        return
    [problem] = error.problems
    assert problem.code
    assert [problem.location, problem_words(problem, "en"),
            problem_words(problem, "ja")] == recorded["problem"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refusal_is_worded_in_every_public_language(case: str, language: str) -> None:
    """A provider applying and a visitor reporting read the refusal in their language."""
    error = _refusal(case)
    for code in [error.code, *(problem.code for problem in error.problems)]:
        assert catalogue(language).gettext(code) != code, (language, code)
