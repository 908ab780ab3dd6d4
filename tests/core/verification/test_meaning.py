"""What a credential means: its descriptors judged against every framework profile."""

from __future__ import annotations

import copy
from typing import Any

from credstack.core.descriptors import profiles
from credstack.core.verification.meaning import conformance_of, meaning_check
from credstack.core.verification.report import Meaning
from credstack.words import words
from tests.core.descriptors.conftest import COMPLETE_DOCUMENT

AWARD: dict[str, Any] = {}


def test_complete_descriptors_conform_to_every_profile() -> None:
    judged = conformance_of(COMPLETE_DOCUMENT, AWARD, source="credentialSubject.achievement")
    assert judged.is_micro_credential is True
    assert {report.profile for report in judged.reports} == set(profiles())
    assert all(report.conforms for report in judged.reports)
    assert judged.problems == ()


def test_the_same_programme_is_judged_once_however_often_it_is_read() -> None:
    first = conformance_of(copy.deepcopy(COMPLETE_DOCUMENT), AWARD, source="a")
    assert conformance_of(copy.deepcopy(COMPLETE_DOCUMENT), AWARD, source="a") is first
    # Another source is another reading: its problems name other places.
    assert conformance_of(copy.deepcopy(COMPLETE_DOCUMENT), AWARD, source="b") is not first


def test_a_changed_descriptor_is_judged_anew() -> None:
    before = conformance_of(COMPLETE_DOCUMENT, AWARD, source="a")
    without_title = {key: value for key, value in COMPLETE_DOCUMENT.items() if key != "title"}
    after = conformance_of(without_title, AWARD, source="a")
    assert after is not before
    assert after.problems or not all(report.conforms for report in after.reports)


def test_values_that_json_text_cannot_hold_exactly_are_still_judged() -> None:
    # An integer beyond 64 bits: judged directly, not remembered.
    document = copy.deepcopy(COMPLETE_DOCUMENT)
    document["learner_effort"] = {**document["learner_effort"], "duration_weeks": 2 ** 70}
    judged = conformance_of(document, AWARD, source="a")
    assert conformance_of(document, AWARD, source="a") is not judged
    assert judged == conformance_of(document, AWARD, source="a")


def test_descriptors_that_do_not_parse_are_reported_not_raised() -> None:
    judged = conformance_of({"title": 42}, AWARD, source="credentialSubject.achievement")
    assert judged.reports == ()
    assert judged.is_micro_credential is None
    assert judged.problems


def _said(language: str, *, registered: bool, tell_registry: bool = True) -> str:
    judged = conformance_of(COMPLETE_DOCUMENT, AWARD, source="credentialSubject.achievement")
    meaning = Meaning(achievement_name="Data Science", conformance=judged.reports,
                      is_micro_credential=judged.is_micro_credential,
                      registry={"id": 1} if registered else None)
    check = meaning_check(meaning, tell_registry=tell_registry)
    assert check.said is not None and check.reason_en == ""
    return words(check.said, language)


def test_the_meaning_is_said_as_it_always_was_in_japanese_and_english() -> None:
    """The words the check wrote in English and Japanese before it said a message key: the
    profiles joined as each language joins a list, the registry's note after them."""
    conforming = [report.profile for report in conformance_of(
        COMPLETE_DOCUMENT, AWARD, source="credentialSubject.achievement").reports]
    assert _said("en", registered=True) == (
        f"Data Science: a micro-credential; conforms to {', '.join(conforming)}; known to this "
        "registry")
    assert _said("ja", registered=False) == (
        f"Data Science：マイクロクレデンシャルです。適合する枠組み：{'、'.join(conforming)}"
        "。この登録簿には未登録")
    assert _said("en", registered=False, tell_registry=False).endswith(", ".join(conforming))


def test_the_meaning_reads_in_the_other_languages() -> None:
    assert _said("ko", registered=True).startswith("Data Science: 마이크로 크리덴셜입니다.")
    assert "、" in _said("zh-Hans", registered=True)
    assert _said("th", registered=False).endswith("ยังไม่ได้ลงทะเบียนในทะเบียนนี้")
