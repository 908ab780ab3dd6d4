"""The headline people read: who earned what from whom, and, plainly, what is wrong.

Reports come from the real pipeline (``test_pipeline``'s demo credential, its status lists
and its frozen clock, 1 June 2026); :func:`verdict_of` reads nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.core.verification import (
    Check,
    Decision,
    Meaning,
    Outcome,
    Verdict,
    VerificationReport,
    untrusted,
    verdict_of,
)
from credstack.errors import OutOfReachError
from tests.core.verification.test_pipeline import (
    ISSUER,
    OTHER_KEY,
    OTHER_METHOD,
    REGISTRY,
    REVOKED_INDEX,
    SUSPENDED_INDEX,
    achievement_id,
    fresh,
    sign,
    signed_rdfc,
    unsigned,
    verify,
)
from tests.core.verification.test_report import string_issuer


def _key(said: Said | None) -> str:
    """The message key of what the verdict says, after ``verification.``."""
    assert said is not None
    return said.key.removeprefix("verification.")


TITLE = {"ja": "組込みシステムと IoT センサ活用", "en": "Embedded Systems and IoT Sensors"}
ISSUER_NAME = "火の国工業高等専門学校"


def test_a_verified_credential_names_the_learner_the_achievement_and_the_issuer() -> None:
    """In each language, the learner's name in its script and the title in that language."""
    verdict = verdict_of(verify(signed_rdfc()))
    assert verdict.outcome is Outcome.VERIFIED and verdict.verified
    assert verdict.reasons == ()
    assert verdict.title("en") == "Verified" and verdict.title("ja") == "検証済み"
    assert verdict.statement("en") == Said(
        "verification.statement.awarded_achievement_learner", achievement=TITLE["en"],
        learner="Hanako Yamada", issuer=ISSUER_NAME)
    assert verdict.statement("ja") == Said(
        "verification.statement.awarded_achievement_learner", achievement=TITLE["ja"],
        learner="山田花子", issuer=ISSUER_NAME)
    assert verdict.issuer_id == ISSUER
    assert ISSUER not in repr(verdict.statement("en")), "a DID is a detail, never the name"


def test_a_revoked_credential_says_revoked_and_when_the_list_said_so() -> None:
    """Its issuer signed it, so what it states is so; it is no longer valid."""
    revoked = sign(unsigned(status=(("revocation", REVOKED_INDEX),)))
    verdict = verdict_of(verify(revoked))
    assert verdict.outcome is Outcome.NOT_VERIFIED
    assert [(r.check, r.code) for r in verdict.reasons] == [("status", "revoked")]
    assert verdict.reasons[0].said == Said("verification.reason.revoked_on",
                                           day=dt.date(2026, 6, 1))
    assert verdict.title("en") == "Not verified"
    assert verdict.signed
    assert verdict.statement("en") == Said(
        "verification.statement.awarded_achievement_learner", achievement=TITLE["en"],
        learner="Hanako Yamada", issuer=ISSUER_NAME)


def test_a_revoked_credential_has_no_row_that_reads_valid_now() -> None:
    """The validity check speaks of the dates only: 'within its validity period'."""
    report = verify(sign(unsigned(status=(("revocation", REVOKED_INDEX),))))
    validity = report.check("validity")
    assert validity is not None and validity.passed
    for check in report.checks:
        assert "valid now" not in check.reason_en and "現在有効" not in check.reason_ja
    assert validity.reason_en.startswith("within its validity period")


def test_a_suspended_credential_says_suspended() -> None:
    suspended = sign(unsigned(status=(("suspension", SUSPENDED_INDEX),)))
    [reason] = verdict_of(verify(suspended)).reasons
    assert reason.code == "suspended"
    assert reason.said == Said("verification.reason.suspended_on", day=dt.date(2026, 6, 1))


def test_an_expired_credential_says_the_day_it_expired() -> None:
    expired = sign(unsigned(valid_from=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
                            valid_until=dt.datetime(2026, 5, 5, 12, tzinfo=dt.UTC)))
    [reason] = verdict_of(verify(expired)).reasons
    assert (reason.code, reason.said) == (
        "expired", Said("verification.reason.expired", day=dt.date(2026, 5, 5)))


def test_a_credential_not_yet_valid_says_until_when() -> None:
    future = sign(unsigned(valid_from=dt.datetime(2030, 6, 1, tzinfo=dt.UTC),
                           valid_until=None))
    [reason] = verdict_of(verify(future)).reasons
    assert (reason.code, reason.said) == (
        "not-yet-valid", Said("verification.reason.not_yet_valid", day=dt.date(2030, 6, 1)))


def test_a_tampered_credential_says_it_was_changed_after_signing() -> None:
    """The proof failed; the issuer check it decides is not listed as a second reason."""
    tampered = fresh(signed_rdfc())
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Taro Yamada"
    verdict = verdict_of(verify(tampered))
    [reason] = verdict.reasons
    assert (reason.check, reason.code) == ("proof", "altered")
    assert reason.said == Said("verification.reason.altered")
    assert not verdict.signed
    assert verdict.learner("en") == "Taro Yamada", "what it claims, flagged as a claim"
    assert verdict.statement("en") == Said(
        "verification.statement.claimed_achievement_learner", achievement=TITLE["en"],
        learner="Taro Yamada", issuer=ISSUER_NAME)
    assert verdict.statement("ja") == Said(
        "verification.statement.claimed_achievement_learner", achievement=TITLE["ja"],
        learner="山田花子", issuer=ISSUER_NAME)


def test_a_credential_signed_by_another_key_says_so_not_that_it_was_changed() -> None:
    """Its proof verifies, with a key that is not the issuer's: the one reason is the issuer,
    and it says the signature is intact; what it states is only claimed."""
    verdict = verdict_of(verify(sign(unsigned(), key=OTHER_KEY, method=OTHER_METHOD)))
    [reason] = verdict.reasons
    assert (reason.check, reason.code) == ("issuer", "issuer-mismatch")
    assert reason.said == Said("verification.reason.issuer_mismatch")
    assert verdict.outcome is Outcome.NOT_VERIFIED and not verdict.signed
    assert _key(verdict.statement("en")).startswith("statement.claimed")


def test_an_authentic_credential_with_shape_findings_is_verified_with_warnings() -> None:
    """The findings are the reasons, in plain words; the issuer has no name, only a DID."""
    verdict = verdict_of(verify(string_issuer()))
    assert verdict.outcome is Outcome.WITH_WARNINGS and verdict.verified
    assert verdict.title("en") == "Verified, with warnings"
    assert verdict.title("ja") == "検証済み（注意事項あり）"
    [reason] = verdict.reasons
    assert reason.check == "open-badges"
    assert reason.said == Said(
        "verification.reason.rules_broken", rules=Said("verification.rules.open_badges"),
        first="issuer: must be a Profile object in an Open Badges credential")
    assert verdict.statement("en") == Said(
        "verification.statement.awarded_achievement_learner", achievement=TITLE["en"],
        learner="Hanako Yamada", issuer=Said("verification.statement.unnamed_issuer"))
    assert verdict.issuer_id == ISSUER


def test_under_the_strict_policy_the_findings_are_why_it_is_not_verified() -> None:
    verdict = verdict_of(verify(string_issuer(), strict=True))
    assert verdict.outcome is Outcome.NOT_VERIFIED
    assert [reason.check for reason in verdict.reasons] == ["open-badges"]


def registered(achievement: str) -> dict[str, Any]:
    return {"id": achievement, "organisation_did": ISSUER,
            "organisation_name": {"ja": "火の国高専", "en": "Hinokuni College of Technology"}}


def test_the_registry_names_its_own_organisation_in_each_language() -> None:
    """An achievement of this registry, issued by the organisation that registered it: the
    registry's names, in the reader's language."""
    REGISTRY[achievement_id()] = registered(achievement_id())
    try:
        verdict = verdict_of(verify(signed_rdfc()))
    finally:
        REGISTRY.clear()
    assert verdict.issuer_name("en") == "Hinokuni College of Technology"
    assert verdict.issuer_name("ja") == "火の国高専"


def test_the_registry_never_names_an_issuer_that_is_not_its_organisation() -> None:
    """Someone else's credential that points at one of our achievements keeps its own name."""
    record = registered(achievement_id()) | {"organisation_did": "did:web:elsewhere.example"}
    REGISTRY[achievement_id()] = record
    try:
        verdict = verdict_of(verify(signed_rdfc()))
    finally:
        REGISTRY.clear()
    assert verdict.issuer_name("en") == ISSUER_NAME


def test_an_unreadable_input_has_no_statement_and_says_why() -> None:
    verdict = verdict_of(verify("not a credential"))
    assert verdict.outcome is Outcome.NOT_VERIFIED
    assert verdict.statement("en") is None
    [reason] = verdict.reasons
    assert reason.check == "parse"
    assert reason.said == Said("verification.reason.unreadable")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_headline_is_json_ready_in_both_languages(language: str) -> None:
    """Its words are the entrypoint's to give: here, the message keys themselves."""
    report = verify(sign(unsigned(status=(("revocation", REVOKED_INDEX),))))
    data = verdict_of(report).to_dict(lambda said, _language: said.key)
    assert data["outcome"] == "not-verified"
    assert data["reasons"][0]["code"] == "revoked"
    assert data["reasons"][0][language] == "verification.reason.revoked_on"
    assert data["statement"][language] and data["title"][language]
    assert data["issuer"]["id"] == ISSUER


def test_a_pdf_altered_after_signing_says_so() -> None:
    """Any format's report reads the same: a PDF's signature check changed after signing."""
    report = VerificationReport((Check("pdf-signature", False, "the PDF was changed",
                                       "PDF が変更されています", code="modified-after-signing"),),
                                Meaning(learner_names=("Hanako Yamada",)))
    [reason] = verdict_of(report).reasons
    assert reason.code == "altered" and reason.said == Said("verification.reason.altered")


def test_the_meaning_states_the_learner_without_hashed_values() -> None:
    """Names (one per script), the subject's id, and other identifiers — a hashed one only
    as its kind."""
    meaning = verify(signed_rdfc()).meaning
    assert meaning is not None
    assert meaning.learner_names == ("山田花子", "Hanako Yamada")
    assert meaning.learner_id is None
    [email] = meaning.learner_identifiers
    assert (email.kind, email.value, email.hashed) == ("emailAddress", None, True)
    assert meaning.to_dict()["learner"] == {
        "names": ["山田花子", "Hanako Yamada"], "id": None,
        "identifiers": [{"type": "emailAddress", "value": None, "hashed": True}]}


# --- could not be checked -------------------------------------------------------------------

WEB_METHOD = "did:web:issuer.example:badges#key-1"


def _name_resolution(what: str) -> Any:
    """A seam whose fetch fails as a resolver without a network does."""
    def out_of_reach(url: str) -> Any:
        raise OutOfReachError(f"{what} {url} could not be fetched: the host name "
                              "issuer.example does not resolve: [Errno -3] Temporary failure "
                              "in name resolution", url=url)
    return out_of_reach


def _signed_with_web_key() -> dict[str, Any]:
    return sign(unsigned(), method=WEB_METHOD)


def test_an_unreachable_issuer_key_could_not_be_checked_in_plain_words() -> None:
    """The issuer's did:web document is out of reach: no red ✗ of a forgery — could not be
    checked, the headline in plain words (no errno, no DID, no check code), the technical
    text kept in the check."""
    report = verify(_signed_with_web_key(),
                    resolve_verification_method=_name_resolution("the DID document"))
    assert report.decision is Decision.UNDECIDED and not report.ok and not report.failed
    verdict = verdict_of(report)
    assert verdict.outcome is Outcome.UNDECIDED and not verdict.verified
    assert verdict.title("en") == "Could not be checked"
    assert verdict.title("ja") == "確認できませんでした（未判定）"
    [reason] = verdict.reasons
    assert reason.said == Said("verification.undecided.key_unreachable_at",
                               host="issuer.example")
    proof = report.check("proof")
    assert proof is not None and proof.missing is not None
    assert "[Errno -3]" in proof.missing.detail, "the technical text goes to the details"
    assert _key(verdict.statement("en")).startswith("statement.claimed"), (
        "its signature is unchecked")


def test_an_offline_status_list_says_so_once() -> None:
    """A status list not fetched (offline): one plain reason, no "could not be checked:
    status could not be checked: …" repetition."""
    def offline(url: str) -> Any:
        raise OutOfReachError(f"the status list {url} is not fetched: this verification is "
                              "offline", why="offline", url=url)

    verdict = verdict_of(verify(signed_rdfc(), fetch_status_list=offline))
    assert verdict.outcome is Outcome.UNDECIDED
    [reason] = verdict.reasons
    assert reason.said == Said(
        "verification.undecided.status.offline",
        thing=Said("verification.missing.status_list_at", host="status.credstack.example"))


def test_a_proven_failure_outweighs_what_could_not_be_checked() -> None:
    """Tampered with and its status list out of reach: not verified — what is proven wins."""
    tampered = fresh(signed_rdfc())
    tampered["credentialSubject"]["name"] = "Taro Yamada"
    report = verify(tampered, fetch_status_list=_name_resolution("the status list"))
    assert report.decision is Decision.NOT_VERIFIED
    assert verdict_of(report).outcome is Outcome.NOT_VERIFIED


def test_everything_passed_is_verified_and_the_json_says_the_outcome() -> None:
    report = verify(signed_rdfc())
    assert report.decision is Decision.VERIFIED
    assert report.to_dict()["outcome"] == "verified"
    undecided = verify(signed_rdfc(), fetch_status_list=_name_resolution("the status list"))
    result = undecided.to_dict()
    assert result["verified"] is False and result["outcome"] == "could-not-be-checked"
    [error] = result["errors"]
    assert error["check"] == "status" and error["outcome"] == "could-not-be-checked"
    assert error["missing"]["what"] == "status-list"
    assert error["missing"]["host"] == "status.credstack.example"


def test_where_trust_is_required_only_a_listed_issuer_keeps_a_verified_headline() -> None:
    """Not listed: not verified, the trust line its reason; a registry that could not be read:
    could not be checked; listed, or already not verified: the verdict stands."""
    verified = Verdict(Outcome.VERIFIED, signed=True)
    refused = untrusted(verified, state="not-listed")
    assert refused.outcome is Outcome.NOT_VERIFIED and refused.signed
    assert [(r.check, r.code, r.said) for r in refused.reasons] == [
        ("trust", "not-listed", Said("verification.reason.trust.not-listed"))]
    assert untrusted(verified, state="unknown").outcome is Outcome.UNDECIDED
    assert untrusted(verified, state="listed") is verified
    failed = Verdict(Outcome.NOT_VERIFIED)
    assert untrusted(failed, state="not-listed") is failed
