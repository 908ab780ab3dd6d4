"""A CLR's own steps (``clr-structure``, ``clr-learner``, ``clr-associations``,
``credential[i]``), as specifications.

The CLR is built with :func:`credstack.core.credentials.clr_v2.build_clr_credential`; these
tests run the CLR's steps alone (the credential's steps, signatures included, are specified in
``test_pipeline.py``, and the whole of it through the service in ``tests/services/clr``). Each
nested credential's verdict is the report a :class:`~credstack.testing.ReportsByCredential`
gives for its ``id``.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Final

from credstack.core.credentials import IssuerProfile
from credstack.core.credentials import clr_v2 as clr_documents
from credstack.core.verification import Check, CheckKind, VerificationReport
from credstack.core.verification.clr_v2 import CLR_STEPS, verify_clr
from credstack.testing import (
    MemoryContexts,
    MemoryMethods,
    MemoryProgrammes,
    MemoryStatusLists,
    ReportsByCredential,
)
from credstack.words import words

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
LEARNER = "did:example:alice"
ISSUER = IssuerProfile(id="did:example:university", name={"en": "University"})
VERIFIED = VerificationReport((Check("proof", True, "verifies", "確認"),))
TAMPERED = VerificationReport((Check("proof", False, "does not verify", "不一致",
                                     code="signature"),))
#: Authentic, with an Open Badges shape finding (a warning unless strict).
NONCONFORMING = VerificationReport((
    Check("proof", True, "verifies", "確認"),
    Check("open-badges", False, "credentialSubject: must have an id or an identifier",
          "規則違反", code="open-badges", kind=CheckKind.CONFORMANCE)))


def nested(number: int, subject: str = LEARNER) -> dict[str, Any]:
    """A credential about ``subject`` (its proof is the verifier's business, not the CLR's)."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": f"urn:uuid:00000000-0000-4000-8000-00000000000{number}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"id": subject, "achievement": {
                "id": f"https://example.org/achievements/{number}", "type": ["Achievement"]}},
            "proof": {"type": "DataIntegrityProof"}}


def clr(*credentials: dict[str, Any], **options: Any) -> dict[str, Any]:
    return clr_documents.build_clr_credential(
        credentials or (nested(1), nested(2)), issuer=ISSUER,
        clr_id="urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de", valid_from=NOW,
        name="Comprehensive Learner Record", subject_id=LEARNER, **options)


def verify(document: Any, reports: dict[str, VerificationReport] | None = None
           ) -> VerificationReport:
    verifier = ReportsByCredential.by_id(reports if reports is not None else {
        nested(1)["id"]: VERIFIED, nested(2)["id"]: VERIFIED})
    return verify_clr(document, document_loader=MemoryContexts(),
                      resolve_verification_method=MemoryMethods(),
                      fetch_status_list=MemoryStatusLists(), now=NOW,
                      programme_lookup=MemoryProgrammes(), verify_nested=verifier,
                      checks=tuple(CLR_STEPS.values()), words=words)


def names(report: VerificationReport) -> list[str]:
    return [check.name for check in report.checks]


def test_a_clr_of_one_learners_verified_credentials_passes_its_steps() -> None:
    """Structure, learner, then one check per nested credential, each passed."""
    report = verify(clr())
    assert names(report) == ["clr-structure", "clr-learner", "credential[0]", "credential[1]"]
    assert report.ok
    assert report.meaning is None


def test_each_nested_credential_is_judged_by_its_own_report() -> None:
    """A nested credential whose own verification fails fails its check, naming why."""
    report = verify(clr(), {nested(1)["id"]: VERIFIED, nested(2)["id"]: TAMPERED})
    second = report.check("credential[1]")
    assert second is not None and second.code == "nested-credential"
    assert second.reason_en == "nested credential 1 does not verify (proof)"
    assert second.details["report"]["verified"] is False
    assert not report.ok


def test_a_nested_credential_verified_with_warnings_passes_and_says_its_findings() -> None:
    """Authentic but not conformant: verified, and the CLR says so as a warning."""
    report = verify(clr(), {nested(1)["id"]: VERIFIED, nested(2)["id"]: NONCONFORMING})
    assert report.ok
    [(name, notice)] = report.warnings
    assert (name, notice.code) == ("credential[1]", "open-badges-finding")
    assert notice.message_en == ("nested credential 1: credentialSubject: must have an id or "
                                 "an identifier")


def test_a_credential_about_someone_else_fails_clr_learner() -> None:
    """A CLR whose subject was changed after bundling: the nested credential is named."""
    document = clr()
    document["credentialSubject"]["verifiableCredential"][1] = nested(2, "did:example:bob")
    check = verify(document).check("clr-learner")
    assert check is not None and check.code == "learner-mismatch"
    assert check.details["mismatched"] == [1]


def test_associations_are_checked_when_there_are_any() -> None:
    """An association between the CLR's achievements passes; one of an unknown type fails."""
    association = {"associationType": "isChildOf",
                   "sourceId": "https://example.org/achievements/1",
                   "targetId": "https://example.org/achievements/2"}
    document = clr(associations=[association])
    assert verify(document).check("clr-associations").passed  # type: ignore[union-attr]
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["association"][0]["associationType"] = "isCousinOf"
    check = verify(changed).check("clr-associations")
    assert check is not None and check.code == "association"


def test_what_is_not_a_clr_stops_at_its_structure() -> None:
    """A credential that is no CLR gets the failed structure check and no other."""
    report = verify(nested(1))
    assert names(report) == ["clr-structure"]
    assert report.checks[0].code == "data-model"


#: Why a CLR could not be read, as its check said it before the words moved into the
#: catalogues (issue 53).
UNREADABLE: Final = {
    "{not json": "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    b"\xff": "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"}


def test_what_cannot_be_read_is_one_failed_structure_check() -> None:
    """Text that is neither JSON nor a VC-JWT: nothing else can be said (in English and
    Japanese as before)."""
    for text in ("{not json", b"\xff", "{]"):
        report = verify(text)
        assert names(report) == ["clr-structure"], text
        assert report.checks[0].code == "unreadable"
        why = UNREADABLE.get(text, UNREADABLE["{not json"])
        assert (report.checks[0].reason_en, report.checks[0].reason_ja) == (
            f"the CLR cannot be read: {why}", f"CLR を読み取れません：{why}")
