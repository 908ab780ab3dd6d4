"""The verdict policy: authentic and conformant are two questions, and ``strict`` decides
whether the second counts.

Credentials are the pipeline tests' demo credential (``test_pipeline``), changed *before*
signing so that the issuer signed exactly what is verified: each is authentic, and each
breaks a rule of a different kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.core.verification import CheckKind, VerificationReport
from tests.core.verification.test_pipeline import ISSUER, sign, unsigned, verify


def string_issuer() -> dict[str, Any]:
    """Signed by its issuer, who is named by a bare DID (VC: fine; Open Badges: a Profile)."""
    document = unsigned()
    document["issuer"] = ISSUER
    return sign(document)


def anonymous_subject() -> dict[str, Any]:
    """Signed by its issuer, about a subject with neither an id nor an identifier."""
    document = unsigned()
    del document["credentialSubject"]["identifier"]
    return sign(document)


def image_as_url() -> dict[str, Any]:
    """Signed by its issuer, whose image is a plain URL rather than an Image object."""
    document = unsigned()
    document["issuer"]["image"] = "https://credstack.example/logo.png"
    return sign(document)


SHAPE_FINDINGS = {"string issuer": (string_issuer, "issuer"),
                  "subject without id or identifier": (anonymous_subject, "credentialSubject"),
                  "issuer image as a URL": (image_as_url, "issuer.image")}


@pytest.mark.parametrize("case", SHAPE_FINDINGS)
def test_an_authentic_credential_that_breaks_open_badges_rules_verifies_with_warnings(
        case: str) -> None:
    """Authentic, not conformant, verified: the finding is a warning, not an error."""
    make, location = SHAPE_FINDINGS[case]
    report = verify(make())
    assert report.ok and report.authentic and report.conformant is False
    assert not report.strict
    assert [check.name for check in report.findings] == ["open-badges"]
    assert report.failed == () and report.errors == ()
    result = report.to_dict()
    assert (result["verified"], result["authentic"], result["conformant"]) == (True, True, False)
    assert result["errors"] == []
    [warning, *_] = result["warnings"]
    assert warning["check"] == "open-badges" and warning["code"] == "open-badges"
    assert location in [problem["location"] for problem in warning["problems"]]
    assert warning["message"]["ja"]


@pytest.mark.parametrize("case", SHAPE_FINDINGS)
def test_strict_makes_the_same_findings_fatal(case: str) -> None:
    """Under the strict policy the finding is an error and the credential does not verify."""
    make, _ = SHAPE_FINDINGS[case]
    report = verify(make(), strict=True)
    assert not report.ok and report.authentic and report.conformant is False
    assert report.strict
    assert [check.name for check in report.failed] == ["open-badges"]
    result = report.to_dict()
    assert result["verified"] is False and result["strict"] is True
    assert [error["check"] for error in result["errors"]] == ["open-badges"]
    assert "open-badges" not in [warning["check"] for warning in result["warnings"]]


def test_a_conformant_credential_verifies_under_either_policy() -> None:
    signed = sign(unsigned())
    for strict in (False, True):
        report = verify(signed, strict=strict)
        assert report.ok and report.authentic and report.conformant is True


def without_verifiable_credential_type() -> dict[str, Any]:
    document = unsigned()
    document["type"] = ["OpenBadgeCredential"]
    return document


def with_unreadable_date() -> dict[str, Any]:
    document = unsigned()
    document["validFrom"] = "the first of April"
    return document


def without_context() -> dict[str, Any]:
    document = unsigned()
    del document["@context"]
    return document


@pytest.mark.parametrize("make", [without_verifiable_credential_type, with_unreadable_date,
                                  without_context])
@pytest.mark.parametrize("strict", [False, True])
def test_data_model_violations_stay_fatal_under_either_policy(make: Any, strict: bool) -> None:
    """What the signature and the VC data model mean — the base context, the
    VerifiableCredential type, dates that parse — is authenticity, not conformance."""
    report = verify(make(), strict=strict)
    assert not report.ok and not report.authentic
    data_model = report.check("data-model")
    assert data_model is not None and data_model.failed
    assert data_model.kind is CheckKind.VERDICT
    assert "data-model" in [check.name for check in report.errors]


def test_a_plain_vc_has_no_open_badges_check_and_no_conformance_answer() -> None:
    """The Open Badges rules apply to Open Badges credentials only."""
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"], "issuer": ISSUER,
                "validFrom": "2026-04-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner"}}
    report = verify(sign(document))
    assert report.ok and report.conformant is None
    assert report.check("open-badges") is None
    assert report.to_dict()["conformant"] is None


def test_each_check_says_which_question_it_answers() -> None:
    result = verify(string_issuer()).to_dict()
    questions = {check["check"]: check["question"] for check in result["checks"]}
    assert questions == {
        "parse": "authentic", "data-model": "authentic", "open-badges": "conformant",
        "contexts": "authentic", "proof": "authentic", "issuer": "authentic",
        "validity": "authentic", "status": "authentic", "meaning": None}


def test_an_unreadable_credential_is_neither_authentic_nor_conformant() -> None:
    report = verify("not a credential")
    assert not report.ok and not report.authentic and report.conformant is False
    open_badges = report.check("open-badges")
    assert open_badges is not None and open_badges.skipped
    assert report.findings == (), "a conformance check not decided is not a finding"


def test_an_expired_credential_with_shape_findings_fails_on_its_dates_alone() -> None:
    """Conformance findings never hide the reason it fails: only validity is an error."""
    document = unsigned(valid_from=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                        valid_until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    document["issuer"] = ISSUER
    report = verify(sign(document))
    assert not report.ok and not report.authentic
    assert [check.name for check in report.errors] == ["validity"]
    assert [check.name for check in report.findings] == ["open-badges"]


def test_a_report_made_by_hand_defaults_to_the_lenient_policy() -> None:
    """Existing callers that build reports keep their meaning: strict is opt-in."""
    assert VerificationReport(()).strict is False
    assert not VerificationReport(()).ok, "no checks: nothing is verified"


def test_only_a_credential_its_issuer_signed_as_it_reads_is_attested() -> None:
    """Verified, or signed by its issuer and failed on another check (expired): attested.
    Changed after signing, unsigned or unreadable: not, whatever else passed."""
    assert verify(sign(unsigned())).attested
    expired = unsigned(valid_from=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                       valid_until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    report = verify(sign(expired))
    assert not report.ok and report.attested
    changed = sign(unsigned())
    changed["name"] = "Changed after signing"
    report = verify(changed)
    assert not report.ok and not report.attested
    validity = report.check("validity")
    assert validity is not None and validity.passed, "its dates alone would pass"
    assert not verify(unsigned()).attested
    assert not verify("not a credential").attested
