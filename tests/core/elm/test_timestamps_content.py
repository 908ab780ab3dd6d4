"""A seal's all-data-objects timestamp (adoTst, a signed property made before sealing): checked
over the JWS Payload as it appears, and not later than the signature timestamp — verified when
it holds, a named finding when not, "could not be checked" with the reason when it cannot be
read; never passed over. The EC's two sealed samples carry one (made by DSS, three seconds before
their signature timestamps); the tests that break one seal their own."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.elm.reference import ElmReference
from credstack.core.elm.timestamps import CONTENT, content_timestamps
from credstack.core.verification.report import CheckKind, Decision
from credstack.testing.elm import (
    SealPki,
    SealTsa,
    make_pki,
    make_tsa,
    seal,
    time_stamp,
    with_unsigned,
)
from credstack.words import words
from tests.core.elm.conftest import NOW, SEALED_SAMPLE, verified_at_now

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(scope="module")
def tsa() -> SealTsa:
    return make_tsa(not_before=NOW - 30 * DAY, not_after=NOW + 30 * DAY)


@pytest.fixture(scope="module")
def pki() -> SealPki:
    return make_pki(not_before=NOW - 9 * DAY, not_after=NOW + 9 * DAY)


def _sealed(payload: str, pki: SealPki, tsa: SealTsa, *, stamped: str | None = None,
            stamped_at: dt.datetime = NOW - HOUR, signed_at: dt.datetime | None = NOW,
            val: str | None = None) -> dict[str, Any]:
    """``payload`` sealed now with an adoTst over ``stamped`` (the payload unless said) made
    at ``stamped_at`` (or the token ``val`` as it is), and a sigTst made at ``signed_at``
    (none when ``None``)."""
    token = val if val is not None else time_stamp(
        tsa, (payload if stamped is None else stamped).encode(), at=stamped_at)
    sealed = seal(payload, pki, signing_time=NOW,
                  signed={"adoTst": {"tstTokens": [{"val": token}]}})
    if signed_at is None:
        return sealed
    signature = sealed["signatures"][0]["signature"].encode()
    return with_unsigned(sealed, [{"sigTst": {"tstTokens": [
        {"val": time_stamp(tsa, signature, at=signed_at)}]}}])


def _check(document: dict[str, Any], reference: ElmReference, *, strict: bool = False) -> Any:
    report = verified_at_now(document, reference, strict=strict)
    return report, report.check("content-timestamp")


def test_a_content_timestamp_over_the_payload_verifies(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """Made an hour before the seal's signature timestamp, over the payload as it appears
    (unencoded: b64 false): it holds, with its time and authority, in both languages."""
    report, check = _check(_sealed(payload, pki, tsa), elm_reference)
    assert check is not None and check.passed, check
    assert "credstack test tsa" in check.reason_en and "全データオブジェクト" in check.reason_ja
    [token] = check.details["tokens"]
    assert token["time"] == (NOW - HOUR).isoformat() and token["code"] is None
    assert report.check("timestamp").passed


def test_a_content_timestamp_of_other_data_is_a_finding(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """The credential changed between its timestamp and its sealing: the timestamp is not
    over what the seal signs — a conformance finding, fatal when strict."""
    document = _sealed(payload, pki, tsa, stamped=payload.replace("Annex", "annex", 1))
    report, check = _check(document, elm_reference)
    assert check is not None and check.failed and check.code == "imprint"
    assert check.kind is CheckKind.CONFORMANCE and "全データオブジェクト" in check.reason_ja
    assert report.check("proof").passed  # the seal itself is intact
    strict, _ = _check(document, elm_reference, strict=True)
    assert strict.decision is Decision.NOT_VERIFIED


def test_a_content_timestamp_after_the_signature_timestamp_is_a_finding(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """Made before sealing, it cannot be later than the signature timestamp: order."""
    document = _sealed(payload, pki, tsa, stamped_at=NOW + HOUR, signed_at=NOW)
    _report, check = _check(document, elm_reference)
    assert check is not None and check.failed and check.code == "order"
    assert check.kind is CheckKind.CONFORMANCE
    assert (NOW + HOUR).isoformat() in check.reason_en and NOW.isoformat() in check.reason_ja


def test_at_the_same_second_as_the_signature_timestamp_it_holds(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """Tokens keep whole seconds: the same second is not out of order."""
    _report, check = _check(_sealed(payload, pki, tsa, stamped_at=NOW, signed_at=NOW),
                            elm_reference)
    assert check is not None and check.passed, check


def test_without_a_signature_timestamp_it_is_ordered_against_the_claimed_signing_time(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """With no signature timestamp, the seal's own claim (sigT) is the time it was made: a
    content timestamp an hour before it holds; one an hour after it is out of order, and the
    finding says it was measured against the claim, not an authority's clock."""
    _report, check = _check(_sealed(payload, pki, tsa, signed_at=None), elm_reference)
    assert check is not None and check.passed, check
    _report, late = _check(_sealed(payload, pki, tsa, stamped_at=NOW + HOUR, signed_at=None),
                           elm_reference)
    assert late is not None and late.failed and late.code == "order"
    assert "claims (sigT)" in late.reason_en and "（sigT）" in late.reason_ja
    assert NOW.isoformat() in late.reason_en


def test_an_unreadable_token_could_not_be_checked(
        payload: str, pki: SealPki, tsa: SealTsa, elm_reference: ElmReference) -> None:
    """A token that is not a TimeStampToken: could not be checked, with the reason — as
    information, never verified."""
    document = _sealed(payload, pki, tsa, val=base64.b64encode(b"not DER").decode())
    _report, check = _check(document, elm_reference)
    assert check is not None and check.ok is None
    assert check.code == "content-timestamp-unchecked" and check.kind is CheckKind.INFO
    assert "could not be checked" in check.reason_en and "確認できません" in check.reason_ja
    assert check.details["tokens"][0]["code"] == "unreadable"


def test_a_detached_payload_could_not_be_checked(payload: str, pki: SealPki,
                                                 tsa: SealTsa) -> None:
    document = _sealed(payload, pki, tsa)
    del document["payload"]
    [found] = content_timestamps(document)
    assert found.code == "unbuildable" and not found.checkable and found.kind is CONTENT
    assert "detached" in words(found.said, "en") and words(found.said, "ja")


@pytest.mark.parametrize(("name", "time"), [
    (SEALED_SAMPLE, "2023-09-27T11:54:17+00:00"),
    ("ec-elm/credentials/Sample-CertOfPart-signed.jsonld", "2023-09-27T12:07:01+00:00"),
])
def test_the_published_content_timestamps_verify(elm_dir: Path, elm_reference: ElmReference,
                                                 name: str, time: str) -> None:
    """The EC's seals (DSS): each adoTst over the unencoded payload, before the sigTst."""
    sample = json.loads((elm_dir / name).read_text())
    [found] = content_timestamps(sample)
    assert found.holds and found.tsa == "good-tsa", found.said
    _report, check = _check(sample, elm_reference)
    assert check is not None and check.passed and check.details["tokens"][0]["time"] == time


def test_a_seal_without_one_has_no_such_check(elm_dir: Path,
                                              elm_reference: ElmReference) -> None:
    sample = json.loads((elm_dir / "mynextid/edc-dc-signed.jsonld").read_text())
    assert content_timestamps(sample) == []
    _report, check = _check(sample, elm_reference)
    assert check is None
