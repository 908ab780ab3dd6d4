"""The PDF signature and credential checks say what they always said, in English and Japanese.

``pdf_check_words.json`` holds the words these checks gave before they moved into the
catalogues (issue 53): those the certificate tests' PDFs drew from them ("recorded"), and the
branches no test's PDF reaches worded by the old code's own expressions ("old code"). The
message key and parameters the checks now say must word the same — but where a row says why
its Japanese changed on purpose (``note``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.words import words

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "pdf_check_words.json").read_text(encoding="utf-8"))

#: Every key the two checks say (``no_path`` inside ``untrusted``).
KEYS = ("pdf.check.signature.unsigned", "pdf.check.signature.unsupported",
        "pdf.check.signature.altered", "pdf.check.signature.invalid",
        "pdf.check.signature.modified.form_filling", "pdf.check.signature.modified.annotations",
        "pdf.check.signature.modified.content", "pdf.check.signature.not_covered",
        "pdf.check.signature.unknown_authority", "pdf.check.signature.untrusted",
        "pdf.check.signature.no_path", "pdf.check.signature.valid",
        "pdf.check.signature.valid_retired", "pdf.check.credential.none",
        "pdf.check.credential.undecided_unsigned", "pdf.check.credential.undecided_unknown",
        "pdf.check.credential.issuer_mismatch", "pdf.check.credential.issuer_mismatch_none",
        "pdf.check.credential.valid")


def _said(row: dict[str, Any]) -> Said:
    params = {name: Said(value["said"]) if isinstance(value, dict) else value
              for name, value in row["params"].items()}
    return Said(row["key"], **params)


@pytest.mark.parametrize("row", RECORDED, ids=[f"{row['key']}-{number}"
                                                for number, row in enumerate(RECORDED)])
def test_a_pdf_check_says_what_it_said(row: dict[str, Any]) -> None:
    said = _said(row)
    assert (words(said, "en"), words(said, "ja")) == (row["en"], row["ja"])


def test_every_key_of_the_checks_was_compared() -> None:
    compared = {row["key"] for row in RECORDED} | {
        value["said"] for row in RECORDED for value in row["params"].values()
        if isinstance(value, dict)}
    assert compared == set(KEYS)
    assert [row for row in RECORDED if "note" in row] == [
        row for row in RECORDED if "pdf.check.signature.no_path" in json.dumps(row)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checks_are_worded_in_every_language(language: str) -> None:
    """/verify is public: each key has its own words in each of the eight languages, with
    every parameter filled in."""
    for row in RECORDED:
        worded = words(_said(row), language)
        assert row["key"] not in worded and "{" not in worded
        for value in row["params"].values():
            if isinstance(value, str):
                assert value in worded, (language, row["key"])
    for key in KEYS:
        assert words(Said(key), language) != key
