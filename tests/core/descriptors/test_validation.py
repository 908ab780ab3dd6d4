"""Validating a programme or a learner's micro-credential against framework profiles."""

from __future__ import annotations

from typing import Any

import pytest

from credstack.core.descriptors import (
    AwardedMicroCredential,
    Programme,
    get_profile,
    parse_programme,
    profiles,
    validate,
    validate_all,
)
from credstack.core.descriptors.catalogue import descriptors
from credstack.core.descriptors.findings import Finding, Severity
from credstack.core.descriptors.validation import Requirement, State
from credstack.core.said import Said
from credstack.words import words

PROFILE_IDS = ("jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu")
AWARD_DESCRIPTORS = ("learner_identification", "date_of_issuing", "grade")


# --- a bare programme leaves the learner's descriptors to issuance -----------------------


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_a_bare_programme_supplies_the_learner_descriptors_at_issuance(
    profile_id: str, programme_document: dict[str, Any]
) -> None:
    """Learner identification, date of issuing and grade are "at issuance", not missing."""
    programme = parse_programme(programme_document)
    assert not isinstance(programme, AwardedMicroCredential)
    report = validate(programme, get_profile(profile_id))
    states = {check.key: check.state for check in report.descriptors}
    assert {key: states[key] for key in AWARD_DESCRIPTORS} == dict.fromkeys(
        AWARD_DESCRIPTORS, State.AT_ISSUANCE
    )
    assert report.findings == ()
    assert report.conforms


@pytest.mark.parametrize("profile_id", ["jp-mc", "eu-2022", "my-mqa", "jp-rishu"])
def test_an_award_without_the_learner_is_missing_the_learner(
    profile_id: str, complete_document: dict[str, Any]
) -> None:
    """Once issued, a micro-credential must identify its learner where the profile says so."""
    complete_document["award"] = {"issued_on": "2025-07-01"}
    report = validate(parse_programme(complete_document), get_profile(profile_id))
    assert [(f.code, f.path) for f in report.findings] == [("missing-required", "award.learner")]


# --- an MC without a real assessment is not an MC ----------------------------------------


def _non_micro_credential_findings(document: dict[str, Any], profile_id: str
                                   ) -> tuple[Finding, ...]:
    """The findings of ``document`` under the profile, having checked that the profile finds
    it no micro-credential (and so not conforming)."""
    report = validate(parse_programme(document), get_profile(profile_id))
    assert not report.is_micro_credential
    assert not report.conforms
    return report.findings


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_no_assessment_means_not_a_micro_credential(
    profile_id: str, programme_document: dict[str, Any]
) -> None:
    """Without an assessment the document is not a micro-credential under any profile."""
    del programme_document["assessment"]
    nature = _non_micro_credential_findings(programme_document, profile_id)[0]
    assert (nature.code, nature.path, nature.severity) == (
        "not-a-micro-credential", "assessment", Severity.ERROR,
    )
    assert words(nature.said, "en").startswith("Not a micro-credential")
    assert words(nature.said, "ja").startswith("マイクロクレデンシャルではありません")


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_participation_alone_is_not_an_assessment(
    profile_id: str, programme_document: dict[str, Any]
) -> None:
    """A participation badge is not a micro-credential under any profile."""
    programme_document["assessment"] = {"methods": ["participation"]}
    findings = _non_micro_credential_findings(programme_document, profile_id)
    assert [(f.code, f.path, f.severity) for f in findings] == [
        ("not-a-micro-credential", "assessment.methods", Severity.ERROR),
    ]


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_participation_with_an_examination_is_an_assessment(
    profile_id: str, complete_document: dict[str, Any]
) -> None:
    """Participation counted alongside a real assessment method is fine."""
    complete_document["assessment"] = {"methods": ["participation", "examination"]}
    report = validate(parse_programme(complete_document), get_profile(profile_id))
    assert report.findings == ()
    assert report.is_micro_credential
    assert report.conforms


# --- the report --------------------------------------------------------------------------


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_the_report_lists_every_descriptor_once_in_catalogue_order(
    profile_id: str, complete_document: dict[str, Any]
) -> None:
    """Each descriptor appears once, with the profile's requirement for it."""
    profile = get_profile(profile_id)
    report = validate(parse_programme(complete_document), profile)
    assert [c.key for c in report.descriptors] == [d.key for d in descriptors()]
    for check in report.descriptors:
        if check.key in profile.required:
            assert check.requirement is Requirement.REQUIRED
        elif check.key in profile.optional:
            assert check.requirement is Requirement.OPTIONAL
        else:
            assert check.requirement is Requirement.NOT_LISTED


def test_findings_come_nature_first_then_missing_then_rules(
    programme_document: dict[str, Any],
) -> None:
    """The order is: not a micro-credential, missing descriptors, then the profile's rules."""
    del programme_document["assessment"]
    del programme_document["title"]
    programme_document["learner_effort"] = {"hours": "5"}
    report = validate(parse_programme(programme_document), get_profile("jp-mc"))
    assert [(f.code, f.path) for f in report.findings] == [
        ("not-a-micro-credential", "assessment"),
        ("missing-required", "title"),
        ("missing-required", "assessment"),
        ("effort-below-minimum", "learner_effort.hours"),
    ]


def test_validate_all_gives_one_report_per_profile_in_the_order_given(
    complete_document: dict[str, Any],
) -> None:
    """Reports follow the profiles given, one each."""
    order = [get_profile("jp-rishu"), get_profile("jp-mc"), get_profile("eu-2022")]
    reports = validate_all(parse_programme(complete_document), order)
    assert [r.profile for r in reports] == ["jp-rishu", "jp-mc", "eu-2022"]


def test_a_minimal_programme_fails_every_profile_but_validation_does_not_raise() -> None:
    """A programme with only its code yields findings, never an exception."""
    reports = validate_all(Programme(code="X"), profiles().values())
    assert [r.conforms for r in reports] == [False] * 5
    assert all(not r.is_micro_credential for r in reports)


def test_the_report_serialises_to_plain_data(programme_document: dict[str, Any]) -> None:
    """``to_dict`` carries the verdict, the findings (worded in English and Japanese) and
    every descriptor's state."""
    programme_document["learner_effort"] = {"hours": "9.5"}
    report = validate(parse_programme(programme_document), get_profile("jp-mc"))
    data = report.worded(words).to_dict()
    assert data["profile"] == "jp-mc"
    assert data["conforms"] is False
    assert data["is_micro_credential"] is True
    assert data["findings"] == [
        {
            "code": "effort-below-minimum",
            "path": "learner_effort.hours",
            "severity": "error",
            "message": {
                "en": "9.5 hours is less than the minimum of 10 hours.",
                "ja": "学習量 9.5 時間は最低 10 時間に足りません。",
            },
        }
    ]
    states = {d["key"]: (d["requirement"], d["state"]) for d in data["descriptors"]}
    assert states["learner_identification"] == ("required", "at-issuance")
    assert states["levels"] == ("optional", "present")
    assert states["inherent_requirements"] == ("not-listed", "present")


@pytest.mark.parametrize(("language", "expected"), [
    ("ja", "学習量 5 時間は最低 10 時間に足りません。"),
    ("en", "5 hours is less than the minimum of 10 hours."),
    ("ko", "학습량 5시간은 최소 10시간에 미치지 못합니다."),
])
def test_a_finding_is_worded_in_the_readers_language(language: str, expected: str) -> None:
    """A finding says a message key with its values; the reader's catalogue words it."""
    finding = Finding("effort-below-minimum", "learner_effort.hours", Severity.ERROR,
                      Said("programme.finding.effort-below-minimum", hours="5", minimum="10"))
    assert words(finding.said, language) == expected
