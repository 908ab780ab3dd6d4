"""The status step with Status List 2021 (``StatusList2021Entry``), beside Bitstring Status List.

The credential is the pipeline tests' (``test_pipeline``), its status entries replaced with
Status List 2021 ones; the lists are VC 1.1 ``StatusList2021Credential``s signed with
``Ed25519Signature2020`` by the issuer, as older issuers publish them, served through
``fetch_status_list``.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Any

import pytest

from credstack.core.proofs.cryptosuites import ed25519_signature_2020
from credstack.core.status import StatusList, status_list_2021
from credstack.core.verification import VerificationReport
from tests.core.verification.test_pipeline import (
    ISSUER,
    NOW,
    OTHER_KEY,
    OTHER_METHOD,
    REVOCATION_LIST,
    failed,
    sign,
    status_lists,
    unsigned,
    verify,
)

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
