"""Status List 2021: entries and list credentials of older credentials, read into the Bitstring
Status List shapes and answered by the same status check.

Vectors: lists encoded by the JavaScript reference (``@digitalbazaar/vc-status-list`` 8.0.1 on
``@digitalbazaar/bitstring`` 3.1.0: ``createList({length: 131072})``, ``setStatus``,
``encode``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from credstack.core.status import StatusList, StatusListCredential, check_status, status_list_2021
from credstack.errors import StatusListError
from tests.words import words

LIST_URL = "https://credstack.example/status/2021/revocation/3"
ISSUER = "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"
NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
#: The reference's encodedList of an empty list of 131,072 entries (the specification's example).
EMPTY = "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
#: The reference's encodedList with entries 0, 7, 94567 and 131071 set.
SET = (0, 7, 94567, 131071)
WITH_SET = "H4sIAAAAAAAAA-3OQQ0AAAgEIC-6zc3gy81BAroAAAAAAAAAAAAAAPgm1wEAAAAAtjIb5z9GAEAAAA"


@contextmanager
def refused_saying(pattern: str) -> Iterator[pytest.ExceptionInfo[StatusListError]]:
    """A :class:`StatusListError` raised in the block, whose English words (its message and
    problems, as the catalogues word them) match ``pattern``."""
    with pytest.raises(StatusListError) as excinfo:
        yield excinfo
    said = words(excinfo.value)
    assert re.search(pattern, said), said


def entry(**changes: Any) -> dict[str, Any]:
    """A StatusList2021Entry, as the specification's example has it."""
    value = {"id": f"{LIST_URL}#94567", "type": "StatusList2021Entry",
             "statusPurpose": "revocation", "statusListIndex": "94567",
             "statusListCredential": LIST_URL}
    value.update(changes)
    return {name: item for name, item in value.items() if item is not None}


def list_credential(encoded: str = WITH_SET, *, purpose: str = "revocation",
                    **changes: Any) -> dict[str, Any]:
    """A StatusList2021Credential (VC 1.1), unsigned: the proof is the proof layer's."""
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1", status_list_2021.CONTEXT],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": ISSUER,
        "issuanceDate": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": f"{LIST_URL}#list", "type": "StatusList2021",
                              "statusPurpose": purpose, "encodedList": encoded},
    }
    document.update(changes)
    return {name: value for name, value in document.items() if value is not None}


def test_the_reference_lists_read_as_the_bits_it_set() -> None:
    """Base64url GZIP without a multibase prefix; bit 0 is the first bit of byte 0."""
    for encoded, expected in ((EMPTY, ()), (WITH_SET, SET)):
        parsed = status_list_2021.parse_list_credential(list_credential(encoded))
        assert len(parsed.bitstring) * 8 == 131_072
        assert tuple(parsed.status_list().nonzero_indexes()) == expected


def test_the_same_bits_encode_alike_in_both_specifications() -> None:
    """Status List 2021's encodedList is Bitstring Status List's without the 'u' prefix."""
    assert StatusList.empty().with_statuses(SET).encode() == "u" + WITH_SET


def test_an_entry_and_a_list_are_answered_by_the_common_status_check() -> None:
    parsed = status_list_2021.parse_list_credential(list_credential())
    assert parsed.credential_type == "StatusList2021Credential"
    assert parsed.purposes == ("revocation",)
    revoked = check_status(status_list_2021.parse_entry(entry()), parsed, now=NOW)
    assert (revoked.revoked, revoked.index, revoked.list_credential) == (True, 94567, LIST_URL)
    good = check_status(status_list_2021.parse_entry(entry(statusListIndex="94568")), parsed,
                        now=NOW)
    assert good.valid and not good.revoked


def test_a_suspension_list_suspends() -> None:
    parsed = status_list_2021.parse_list_credential(list_credential(purpose="suspension"))
    result = check_status(status_list_2021.parse_entry(entry(statusPurpose="suspension",
                                                             statusListIndex="7")), parsed)
    assert result.suspended and not result.revoked


def test_the_entry_s_purpose_must_be_the_list_s() -> None:
    """A revocation entry does not read a suspension list (the reference refuses too)."""
    parsed = status_list_2021.parse_list_credential(list_credential(purpose="suspension"))
    with refused_saying("'revocation' is not the list's"):
        check_status(status_list_2021.parse_entry(entry()), parsed)


@pytest.mark.parametrize(("changes", "location", "message"), [
    ({"id": None}, "credentialStatus.id", "is required"),
    ({"id": LIST_URL}, "credentialStatus.id", "must not be the URL of the status list"),
    ({"type": "BitstringStatusListEntry"}, "credentialStatus.type", "StatusList2021Entry"),
    ({"statusListIndex": "-1"}, "credentialStatus.statusListIndex", "base 10"),
    ({"statusListCredential": None}, "credentialStatus.statusListCredential", "is required"),
    ({"statusPurpose": 1}, "credentialStatus.statusPurpose", "non-empty string"),
])
def test_a_malformed_entry_names_its_field(changes: dict[str, Any], location: str,
                                           message: str) -> None:
    with refused_saying(message) as raised:
        status_list_2021.parse_entry(entry(**changes), location="credentialStatus[1]")
    assert [problem.location for problem in raised.value.problems] == [
        location.replace("credentialStatus", "credentialStatus[1]")]


@pytest.mark.parametrize(("document", "location", "message"), [
    (list_credential(type=["VerifiableCredential"]), "type",
     "must include 'StatusList2021Credential'"),
    (list_credential(type=["VerifiableCredential", "BitstringStatusListCredential"]), "type",
     "must include 'StatusList2021Credential'"),
    (list_credential(credentialSubject={"type": "BitstringStatusList", "encodedList": EMPTY,
                                        "statusPurpose": "revocation"}),
     "credentialSubject.type", "'StatusList2021'"),
    (list_credential(credentialSubject={"type": "StatusList2021", "encodedList": EMPTY,
                                        "statusPurpose": ["revocation", "suspension"]}),
     "credentialSubject.statusPurpose", "non-empty string"),
    (list_credential("u" + EMPTY), "credentialSubject.encodedList", "prefix .u. of Bitstring"),
    (list_credential(EMPTY.replace("-", "+")), "credentialSubject.encodedList",
     "not a base64url character"),
    (list_credential(issuanceDate="yesterday"), "issuanceDate", "time zone"),
])
def test_a_malformed_list_credential_names_its_field(document: dict[str, Any], location: str,
                                                     message: str) -> None:
    """No type (the DCC's 'missingBitStringType' kind), another specification's list, a
    multibase-prefixed or standard-base64 list, a date that is none: each says which field."""
    with refused_saying(message) as raised:
        status_list_2021.parse_list_credential(document)
    assert [problem.location for problem in raised.value.problems] == [location]


@pytest.mark.parametrize(("dates", "message"), [
    ({"expirationDate": "2025-05-01T00:00:00Z"}, "the status list expired at 2025-05-01"),
    ({"issuanceDate": "2025-07-01T00:00:00Z"}, "not valid before 2025-07-01"),
    ({"issuanceDate": None, "validFrom": "2025-01-01T00:00:00Z",
      "validUntil": "2025-05-01T00:00:00Z"}, "expired at 2025-05-01"),
])
def test_a_list_outside_its_validity_period_cannot_answer(dates: dict[str, Any],
                                                          message: str) -> None:
    """VC 1.1's issuanceDate / expirationDate (or VC 2.0's validFrom / validUntil) bound it."""
    parsed = status_list_2021.parse_list_credential(list_credential(**dates))
    with refused_saying(message):
        check_status(status_list_2021.parse_entry(entry()), parsed, now=NOW)


def test_a_list_is_read_into_the_bitstring_status_list_shape() -> None:
    parsed = status_list_2021.parse_list_credential(list_credential())
    assert isinstance(parsed, StatusListCredential)
    assert (parsed.id, parsed.issuer, parsed.valid_from) == (
        LIST_URL, ISSUER, datetime(2025, 1, 1, tzinfo=UTC))
