"""The parse and schema steps say what they always said, in Japanese and English, word for
word.

``parse_schema_words.json`` holds what the ``parse`` step said of a JWT holding a presentation
or nothing a credential, and of an envelope it does not read, and what the
``credential-schema`` step said of a schema it cannot use, a credential not matching its
schemas and one matching them, before their words moved into the catalogues (issue 53). Each
is now a message key with its values; worded from the catalogues it must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.said import Said
from credstack.core.verification.pipeline.seams import JWT_DATA_URL, SD_JWT_DATA_URLS
from credstack.errors import Problem
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "parse_schema_words.json").read_text(encoding="utf-8"))


def _said(recorded: dict[str, Any]) -> Said:
    """What the step says now for the recorded case, as its code builds it."""
    if recorded["key"] == "jwt":
        return Said("verification.check.parse.jwt_holds_presentation" if recorded["vp"]
                    else "verification.check.parse.jwt_holds_nothing")
    if recorded["key"] == "envelope":
        return Said("verification.check.parse.envelope_unsupported", jwt=JWT_DATA_URL,
                    sd_jwt=SD_JWT_DATA_URLS[0], cose=vc_cose.DATA_URL)
    if recorded["key"] == "unusable":
        return Said("verification.check.schema.unusable", url=recorded["url"],
                    error=recorded["error"])
    if recorded["key"] == "mismatch":
        problems = [Problem(*pair) for pair in recorded["problems"]]
        return Said("verification.check.schema.mismatch", problem=str(problems[0]),
                    number=len(problems))
    number = recorded["number"]
    return Said("verification.check.schema.matches_one" if number == 1
                else "verification.check.schema.matches", number=number)


@pytest.mark.parametrize("recorded", RECORDED, ids=[
    f"{row['key']}-{number}" for number, row in enumerate(RECORDED)])
def test_the_parse_and_schema_steps_say_what_they_said(recorded: dict[str, Any]) -> None:
    said = _said(recorded)
    assert (words(said, "en"), words(said, "ja")) == (recorded["en"], recorded["ja"])
