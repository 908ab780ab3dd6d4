"""The status step with Status List 2021 (``StatusList2021Entry``), beside Bitstring Status List,
and with lists written as VC 1.1 credentials.

The credential is the pipeline tests' (``test_pipeline``), its status entries replaced with
Status List 2021 ones; the lists are VC 1.1 ``StatusList2021Credential``s signed with
``Ed25519Signature2020`` by the issuer, as older issuers publish them, served through
``fetch_status_list``. A Bitstring Status List written as a VC 1.1 credential (as the Digital
Credentials Consortium's are) states its period as ``issuanceDate`` / ``expirationDate``.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Any

import pytest

from credstack.core.proofs.cryptosuites import ed25519_signature_2020
from credstack.core.status import (
    StatusList,
    entry_for,
    status_list_2021,
    status_list_credential,
)
from credstack.core.verification import VerificationReport
from tests.core.verification.test_pipeline import (
    ECDSA_ISSUER,
    ECDSA_KEY,
    ECDSA_METHOD,
    ISSUER,
    NOW,
    OTHER_KEY,
    OTHER_METHOD,
    REVOCATION_LIST,
    VALID_FROM,
    failed,
    sign,
    status_lists,
    unsigned,
    verify,
)

#: Bitstring Status List v1.0's own context, which a VC 1.1 list needs for its terms.
BITSTRING_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
REVOKING = "https://status.credstack.example/lists/2021/revocation"
SUSPENDING = "https://status.credstack.example/lists/2021/suspension"
REVOKED, SUSPENDED, GOOD = 4021, 977, 12


def list_2021(url: str, purpose: str, index: int, **changes: Any) -> dict[str, Any]:
    """An unsigned VC 1.1 StatusList2021Credential with ``index`` set."""
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1", status_list_2021.CONTEXT,
                     ed25519_signature_2020.SUITE_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": ISSUER,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list", "type": "StatusList2021", "statusPurpose": purpose,
            # The same GZIP base64url as Bitstring Status List, without the multibase 'u'.
            "encodedList": StatusList.empty(purpose=purpose).with_status(index).encode()[1:]},
    }
    document.update(changes)
    return {name: value for name, value in document.items() if value is not None}


@cache
def lists() -> dict[str, dict[str, Any]]:
    return {url: sign(list_2021(url, purpose, index), suite=ed25519_signature_2020.NAME)
            for url, purpose, index in ((REVOKING, "revocation", REVOKED),
                                        (SUSPENDING, "suspension", SUSPENDED))}


def entry(url: str, purpose: str, index: int) -> dict[str, Any]:
    return {"id": f"{url}#{index}", "type": "StatusList2021Entry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def credential(*entries: dict[str, Any]) -> dict[str, Any]:
    """The pipeline tests' credential with these Status List 2021 entries, signed."""
    document = unsigned(status=())
    document["@context"] = [*document["@context"], status_list_2021.CONTEXT]
    document["credentialStatus"] = list(entries) if len(entries) > 1 else entries[0]
    return sign(document)


def checked(document: dict[str, Any], served: dict[str, dict[str, Any]] | None = None
            ) -> VerificationReport:
    return verify(document, fetch_status_list=(served if served is not None else lists()).get)


def test_a_credential_in_good_standing_passes_the_status_check() -> None:
    report = checked(credential(entry(REVOKING, "revocation", GOOD),
                                entry(SUSPENDING, "suspension", GOOD)))
    assert report.ok, [check.to_dict() for check in report.failed]
    status = report.check("status")
    assert status is not None and "2 status entries checked" in status.reason_en


@pytest.mark.parametrize(("url", "purpose", "index", "code"), [
    (REVOKING, "revocation", REVOKED, "revoked"),
    (SUSPENDING, "suspension", SUSPENDED, "suspended")])
def test_a_revoked_or_suspended_credential_is_refused(url: str, purpose: str, index: int,
                                                      code: str) -> None:
    """The list (secured with Ed25519Signature2020) says so: the status check fails."""
    report = checked(credential(entry(url, purpose, index)))
    check = failed(report, "status")
    assert check.code == code
    assert [c.name for c in report.failed] == ["status"]


def test_an_expired_list_cannot_answer() -> None:
    served = {REVOKING: sign(list_2021(REVOKING, "revocation", REVOKED,
                                       expirationDate="2026-05-01T00:00:00Z"),
                             suite=ed25519_signature_2020.NAME)}
    assert dt.datetime(2026, 5, 1, tzinfo=dt.UTC) < NOW
    check = failed(checked(credential(entry(REVOKING, "revocation", GOOD)), served), "status")
    assert check.code == "status-unavailable"
    assert "the status list expired at 2026-05-01" in check.reason_en


def test_a_list_without_its_type_is_malformed_naming_the_type() -> None:
    served = {REVOKING: sign(list_2021(REVOKING, "revocation", REVOKED,
                                       type=["VerifiableCredential"]),
                             suite=ed25519_signature_2020.NAME)}
    check = failed(checked(credential(entry(REVOKING, "revocation", GOOD)), served), "status")
    assert "must include 'StatusList2021Credential'" in check.reason_en


def test_a_tampered_list_or_one_signed_by_another_key_is_not_trusted() -> None:
    tampered = copy.deepcopy(lists())
    tampered[REVOKING]["credentialSubject"]["encodedList"] = (
        StatusList.empty().encode()[1:])
    check = failed(checked(credential(entry(REVOKING, "revocation", REVOKED)), tampered),
                   "status")
    assert check.code == "status-list-unverified"
    foreign = {REVOKING: sign(list_2021(REVOKING, "revocation", REVOKED),
                              suite=ed25519_signature_2020.NAME, key=OTHER_KEY,
                              method=OTHER_METHOD)}
    check = failed(checked(credential(entry(REVOKING, "revocation", GOOD)), foreign),
                   "status")
    assert check.code == "status-list-unverified"


def test_an_entry_reads_only_a_list_of_its_own_specification() -> None:
    """A StatusList2021Entry pointing at a BitstringStatusListCredential is refused, saying
    what each is (the reference requires the StatusList2021Credential type too)."""
    check = failed(checked(credential(entry(REVOCATION_LIST, "revocation", GOOD)),
                           status_lists()), "status")
    assert "is a BitstringStatusListCredential, not the StatusList2021Credential" in (
        check.reason_en)


def test_both_kinds_of_entry_in_one_credential_are_each_checked() -> None:
    document = unsigned()
    document["@context"] = [*document["@context"], status_list_2021.CONTEXT]
    document["credentialStatus"] = [*document["credentialStatus"],
                                    entry(REVOKING, "revocation", REVOKED)]
    report = checked(sign(document), {**status_lists(), **lists()})
    check = failed(report, "status")
    assert check.code == "revoked"
    assert [item["outcome"] for item in check.details["entries"]] == [
        "valid", "valid", "revoked"]


def vc_1_1_bitstring_list(*, expires: dt.datetime) -> dict[str, Any]:
    """The pipeline tests' revocation list as a VC 1.1 BitstringStatusListCredential (period
    as issuanceDate / expirationDate), signed with Ed25519Signature2020 by the issuer."""
    bits = StatusList.empty(purpose="revocation").with_status(REVOKED)
    document = status_list_credential(bits, url=REVOCATION_LIST, issuer=ISSUER,
                                      valid_from=NOW - dt.timedelta(days=30))
    document["@context"] = ["https://www.w3.org/2018/credentials/v1", BITSTRING_CONTEXT,
                            ed25519_signature_2020.SUITE_CONTEXT]
    document["issuanceDate"] = document.pop("validFrom")
    document["expirationDate"] = expires.isoformat().replace("+00:00", "Z")
    return sign(document, suite=ed25519_signature_2020.NAME)


def test_a_vc_1_1_bitstring_list_past_its_expiration_date_cannot_answer() -> None:
    """Its expirationDate bounds it as validUntil would: past it, the status is not decided
    (and the credential not verified); before it, the list answers."""
    document = credential_with_bitstring_entry(GOOD)
    current = {REVOCATION_LIST: vc_1_1_bitstring_list(expires=NOW + dt.timedelta(days=1))}
    assert checked(document, current).ok
    expired = {REVOCATION_LIST: vc_1_1_bitstring_list(expires=NOW - dt.timedelta(days=1))}
    report = checked(document, expired)
    check = failed(report, "status")
    assert check.code == "status-unavailable"
    assert "the status list expired at 2026-05-31T09:00:00+00:00" in check.reason_en
    assert not report.ok


def test_a_vc_1_1_bitstring_list_answers_revoked() -> None:
    report = checked(credential_with_bitstring_entry(REVOKED),
                     {REVOCATION_LIST: vc_1_1_bitstring_list(expires=NOW + dt.timedelta(days=1))})
    assert failed(report, "status").code == "revoked"


def credential_with_bitstring_entry(index: int) -> dict[str, Any]:
    """The pipeline tests' credential with one Bitstring revocation entry at ``index``."""
    document = unsigned(status=())
    document["credentialStatus"] = entry_for(index, list_url=REVOCATION_LIST,
                                             purpose="revocation")
    return sign(document)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019",
                                   "ecdsa-jcs-2019", "Ed25519Signature2020",
                                   "Ed25519Signature2018"])
def test_a_status_list_secured_with_any_supported_suite_answers(suite: str) -> None:
    """A list secured with any suite credstack verifies is trusted and read: revoked for the
    index it sets, in good standing for another. The Linked Data Signatures secure a VC 1.1
    list, as the issuers that use them publish theirs; the Data Integrity suites a VC 2.0 one,
    the ECDSA ones with the P-256 did:key (a list issuer other than the credential's, which
    the check says). An ecdsa-sd-2023 base proof secures nothing a verifier reads: a list
    is never a holder's disclosure."""
    ecdsa = suite.startswith("ecdsa")
    issuer, key, method = ((ECDSA_ISSUER, ECDSA_KEY, ECDSA_METHOD) if ecdsa else
                           (ISSUER, None, None))
    bits = StatusList.empty(purpose="revocation").with_status(REVOKED)
    document = status_list_credential(bits, url=REVOCATION_LIST, issuer=issuer,
                                      valid_from=VALID_FROM)
    if suite.startswith("Ed25519Signature"):
        document["@context"] = ["https://www.w3.org/2018/credentials/v1", BITSTRING_CONTEXT,
                                *([ed25519_signature_2020.SUITE_CONTEXT]
                                  if suite == "Ed25519Signature2020" else [])]
        document["issuanceDate"] = document.pop("validFrom")
    served = {REVOCATION_LIST: sign(document, suite=suite, **(
        {"key": key, "method": method} if key is not None else {}))}
    assert failed(checked(credential_with_bitstring_entry(REVOKED), served),
                  "status").code == "revoked"
    report = checked(credential_with_bitstring_entry(GOOD), served)
    assert report.ok, [check.to_dict() for check in report.failed]
    status = report.check("status")
    assert status is not None
    assert [notice.code for notice in status.warnings if notice.code == "status-list-issuer"
            ] == (["status-list-issuer"] if ecdsa else [])
