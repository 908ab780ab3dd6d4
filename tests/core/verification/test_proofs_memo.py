"""Proofs that verified, remembered between verifications (``proof_memo``): the same
document with the same keys is verified once, while anything changed, and every other check
(dates, status), is checked each time. Credentials and status lists as in
``test_pipeline``: signed with ``credstack.core.proofs``, served by a dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

import pytest

from credstack.core.status import StatusList, status_list_credential
from tests.core.verification.test_pipeline import (
    GOOD_INDEX,
    ISSUER,
    NOW,
    REVOCATION_LIST,
    REVOKED_INDEX,
    VALID_FROM,
    VALID_UNTIL,
    _tamper,
    failed,
    fresh,
    sign,
    signed_jcs,
    signed_rdfc,
    status_lists,
    unsigned,
    verify,
)


@pytest.mark.parametrize("signed", [signed_rdfc, signed_jcs], ids=["rdfc", "jcs"])
def test_a_credential_verified_again_gives_the_same_report(signed: Any) -> None:
    """The credential's proof, its two status lists' proofs and the two lists as read
    (expanded) are kept after the first run; the second gives the very same report from
    them."""
    memo: dict[Hashable, Any] = {}
    first = verify(signed(), proof_memo=memo)
    assert first.ok, [check.to_dict() for check in first.failed]
    assert len(memo) == 5
    again = verify(signed(), proof_memo=memo)
    assert again.to_dict() == first.to_dict()
    assert len(memo) == 5


def test_a_changed_document_is_verified_afresh_and_failures_are_not_kept() -> None:
    memo: dict[Hashable, Any] = {}
    assert verify(signed_rdfc(), proof_memo=memo).ok
    kept = len(memo)
    report = verify(_tamper(fresh(signed_rdfc())), proof_memo=memo)
    failed(report, "proof")
    assert len(memo) == kept


def test_a_status_list_changed_is_read_afresh() -> None:
    """A list is kept by its content: another list at the same address (the credential's
    revocation published) is read again, and the credential is revoked at once."""
    memo: dict[Hashable, Any] = {}
    assert verify(signed_rdfc(), proof_memo=memo).ok
    kept = len(memo)
    lists = dict(status_lists())
    bits = StatusList.empty(purpose="revocation").with_status(REVOKED_INDEX).with_status(
        GOOD_INDEX)
    lists[REVOCATION_LIST] = sign(status_list_credential(
        bits, url=REVOCATION_LIST, issuer=ISSUER, valid_from=VALID_FROM))
    report = verify(signed_rdfc(), proof_memo=memo, fetch_status_list=lists.get)
    assert failed(report, "status").code == "revoked"
    assert len(memo) == kept + 2  # the new list's proof, and the list as read


def test_dates_and_status_are_checked_every_time() -> None:
    """A remembered proof does not keep an expired or revoked credential valid."""
    memo: dict[Hashable, Any] = {}
    assert verify(signed_rdfc(), proof_memo=memo).ok
    later = verify(signed_rdfc(), proof_memo=memo, now=VALID_UNTIL + dt.timedelta(days=1))
    assert failed(later, "validity").code == "expired"
    revoked = sign(unsigned(status=(("revocation", REVOKED_INDEX),
                                    ("suspension", GOOD_INDEX))))
    assert verify(revoked, proof_memo=memo, now=NOW).check("proof").ok
    assert failed(verify(revoked, proof_memo=memo), "status").code == "revoked"

