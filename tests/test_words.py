"""What the core says is worded from the catalogues, in each language, as it always was.

The verdict's reasons and statements (:mod:`credstack.core.verification.verdict`) and the
audit log's findings (:mod:`credstack.core.audit`) are codes with parameters;
:func:`~credstack.words.words` words them. Every kind of reason
(``verdict_samples``) and of finding (``finding_samples``) is worded in Japanese and English
exactly as credstack worded it before its core said codes (``verdict_words.json``,
``finding_words.json``, recorded from that code), and every reason in every other language
from its own catalogue.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Named, Said
from credstack.core.verification import Outcome, Verdict, untrusted, verdict_of
from credstack.entrypoints.web.i18n.negotiation import LANGUAGES
from credstack.words import words
from tests.entrypoints import finding_samples
from tests.entrypoints.verdict_samples import samples, statements

BEFORE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "entrypoints" / "verdict_words.json").read_text(encoding="utf-8"))
SAMPLES = dict(samples())
#: The audit log's findings (:mod:`credstack.core.audit`), recorded as the reasons were.
FINDINGS = dict(finding_samples.samples())
FOUND_BEFORE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "entrypoints" / "finding_words.json").read_text(encoding="utf-8"))
STATEMENTS = dict(statements())


def test_every_kind_of_reason_is_a_sample() -> None:
    """The samples are the ones whose words were recorded, so none is left unchecked."""
    assert set(SAMPLES) == set(BEFORE) - {"statements"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_reason_reads_as_it_always_did(name: str) -> None:
    reasons = verdict_of(SAMPLES[name]).reasons
    assert [{"check": r.check, "code": r.code, "en": words(r.said, "en"),
             "ja": words(r.said, "ja")} for r in reasons] == BEFORE[name]


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_a_statement_reads_as_it_always_did(name: str) -> None:
    fields = dict(STATEMENTS[name])
    verdict = Verdict(outcome=Outcome(fields.pop("outcome")), **fields)
    for language in ("en", "ja"):
        said = verdict.statement(language)
        assert (words(said, language) if said else None) == BEFORE["statements"][name][language]


def test_every_recorded_finding_is_a_sample() -> None:
    """The audit findings recorded are the ones made, so none is left unchecked."""
    assert set(FINDINGS) == set(FOUND_BEFORE)


@pytest.mark.parametrize("name", sorted(FINDINGS))
def test_an_audit_finding_reads_as_it_always_did(name: str) -> None:
    assert [{"kind": f.kind.value, "seq": f.seq, "en": words(f.said, "en"),
             "ja": words(f.said, "ja")} for f in FINDINGS[name]()] == FOUND_BEFORE[name]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_has_words_in_every_language(language: str) -> None:
    """Each placeholder filled: no ``{`` is left, no key is shown as words."""
    for report in SAMPLES.values():
        for reason in verdict_of(report).reasons:
            text = words(reason.said, language)
            assert text and "{" not in text and not text.startswith("verification.")


@pytest.mark.parametrize(("state", "en", "ja"), [
    ("unknown", "The registries could not be checked", "登録簿を確認できませんでした"),
    ("not-listed", "The issuer is in none of the trusted registries",
     "信頼する登録簿に発行者は載っていません"),
])
def test_an_untrusted_issuer_reads_as_the_trust_line_did(state: str, en: str, ja: str) -> None:
    [reason] = untrusted(Verdict(Outcome.VERIFIED), state=state).reasons
    assert (words(reason.said, "en"), words(reason.said, "ja")) == (en, ja)


def test_a_day_is_written_as_each_language_writes_one() -> None:
    said = Said("verification.reason.expired", day=dt.date(2025, 5, 1))
    assert words(said, "en") == "Expired on 1 May 2025."
    assert words(said, "ja") == "2025年5月1日に有効期限が切れています。"
    assert words(said, "ko") == "2025년 5월 1일에 만료되었습니다."


def test_a_named_value_is_named_in_the_language() -> None:
    said = Said("verification.reason.check_failed", title=Named("verification-check", "proof"))
    assert "“" in words(said, "en") and words(said, "ja") != words(said, "en")


def test_a_count_chooses_the_plural_form_the_language_says() -> None:
    """A Said with a ``count`` is a plural message: English has a singular, Japanese and
    Korean one form."""
    one, two = (Said("verification.check.status.valid", count=n) for n in (1, 2))
    assert words(one, "en") == "neither revoked nor suspended (1 status entry checked)"
    assert words(two, "en") == "neither revoked nor suspended (2 status entries checked)"
    assert words(two, "ja") == "失効も一時停止もされていません（ステータス 2 件を確認）"
    assert words(one, "ko") == "취소되지도 일시 정지되지도 않았습니다(상태 항목 1개 확인)"


def test_a_key_no_catalogue_holds_is_an_error() -> None:
    with pytest.raises(KeyError):
        words(Said("verification.no-such-message"), "en")
