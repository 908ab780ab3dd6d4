"""What an error says to people, as the entrypoints word it from the catalogues: for tests of
the core and the services, which return codes and parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

from credstack import words as wording
from credstack.core.said import Said
from credstack.core.verification.pipeline.seams import CREDENTIAL
from credstack.core.verification.proofs import proof_refusal
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import CredstackError, ExchangeProtocolError

E = TypeVar("E", bound=CredstackError)


def words(error: CredstackError, language: str = "en") -> str:
    """``error`` in ``language`` as the CLI prints it: its message, then each problem on a
    line of its own (placed by its location)."""
    return "\n".join([said(error, language),
                      *(f"  - {problem_said(p, language)}" for p in error.problems)])


@contextmanager
def raises_saying(kind: type[E], pattern: str) -> Iterator[pytest.ExceptionInfo[E]]:
    """``pytest.raises(kind)``, and the error's English (:func:`words`: its message and
    problems, worded from its code where it has one) matches ``pattern``."""
    with pytest.raises(kind) as raised:
        yield raised
    said = words(raised.value)
    assert re.search(pattern, said), said


def proof_error_said(error: CredstackError, *, on_verification: bool) -> dict[str, Any]:
    """What a refused proof says, as the ``*_words.json`` recordings hold it: its class,
    English message and problems (where, what), and for one refused on verification the
    refusal a verification reports (code, English, Japanese)."""
    recorded: dict[str, Any] = {
        "error": type(error).__name__, "message": wording.error_words(error, "en"),
        "problems": [[problem.location, wording.problem_words(problem, "en")]
                     for problem in error.problems]}
    if on_verification:
        refusal = proof_refusal(error, CREDENTIAL)
        assert refusal.said is not None
        recorded["refusal"] = {"code": refusal.code, "en": wording.words(refusal.said, "en"),
                               "ja": wording.words(refusal.said, "ja")}
    return recorded


def assert_protocol_refusal_as_recorded(error: ExchangeProtocolError, recorded: dict[str, Any],
                                        *, area: str) -> None:
    """``error`` is a message key of ``area`` with its values (no words in the code), with the
    recorded protocol error code and status; its English and its ``error_description`` are
    the recorded words."""
    assert error.code.startswith(f"{area}.")
    assert (error.error, error.status, error.cause is not None) == \
        (recorded["error"], recorded["status"], recorded["cause"])
    assert wording.error_words(error, "en") == recorded["message"]
    assert wording.protocol_description(error) == recorded["description"]


def assert_said_in_japanese(error: CredstackError, recorded: dict[str, Any], *,
                            area: str) -> None:
    """Japanese words ``error`` in its own words (not the recorded English, no key of
    ``area``), with each value it names (a phrase said inside it apart)."""
    japanese = wording.error_words(error, "ja")
    assert japanese and japanese != recorded["message"] and f"{area}." not in japanese
    for value in error.params.values():
        if not isinstance(value, Said):
            assert str(value if not isinstance(value, tuple) else value[0]) in japanese
