"""A seal's archive timestamps (arcTst, JAdES-A): checked over what they cover — the payload,
the protected header, the signature and every unsigned property before them — verified when
they hold, a named finding when not, "could not be checked" with the reason when what they
cover cannot be rebuilt; never passed over."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.elm.reference import ElmReference
from credstack.core.elm.timestamps import archive_timestamps
from credstack.core.verification.report import CheckKind, Decision
from credstack.testing.elm import (
    SealTsa,
    make_pki,
    make_tsa,
    seal,
    time_stamp,
    with_unsigned,
)
from credstack.words import words
from tests.core.elm.conftest import NOW, SEALED_SAMPLE, verified_at_now

SEALED = [SEALED_SAMPLE,
          "ec-elm/credentials/Sample-CertOfPart-signed.jsonld",
          "mynextid/edc-dc-signed.jsonld"]
DAY = dt.timedelta(days=1)


def _sample(elm_dir: Path, name: str = SEALED[0]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((elm_dir / name).read_text())
    return document


def _items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
            for item in document["signatures"][0]["header"]["etsiU"]]


def _check(document: dict[str, Any], reference: ElmReference, *, strict: bool = False) -> Any:
    report = verified_at_now(document, reference, strict=strict)
    return report, report.check("archive-timestamp")


@pytest.fixture(scope="module")
def tsa() -> SealTsa:
    return make_tsa(not_before=NOW - 30 * DAY, not_after=NOW + 30 * DAY)


def _archived(elm_dir: Path, tsa: SealTsa, *, signed_at: dt.datetime = NOW,
              archived_at: dt.datetime = NOW) -> dict[str, Any]:
    """The EC's credential sealed now, with a signature timestamp, validation data (the seal
    certificate, as ``xVals``) and an archive timestamp over all of it, as JAdES §5.3.6.3.1
    builds one."""
    pki = make_pki(not_before=NOW - 9 * DAY, not_after=NOW + 9 * DAY)
    sealed = seal(_sample(elm_dir)["payload"], pki, signing_time=NOW)
    member = sealed["signatures"][0]
    signature_ts = {"sigTst": {"tstTokens": [
        {"val": time_stamp(tsa, member["signature"].encode(), at=signed_at)}]}}
    x_vals = {"xVals": [{"x509Cert": {"val": member["protected"][:40]}}]}
    before = with_unsigned(sealed, [signature_ts, x_vals])
    covered = ".".join([sealed["payload"], member["protected"], member["signature"],
                        "".join(before["signatures"][0]["header"]["etsiU"])])
    archive_ts = {"arcTst": {"tstTokens": [
        {"val": time_stamp(tsa, covered.encode(), at=archived_at)}]}}
    return with_unsigned(sealed, [*before["signatures"][0]["header"]["etsiU"], archive_ts])


@pytest.mark.parametrize("name", SEALED)
def test_the_published_archive_timestamps_verify(elm_dir: Path, name: str) -> None:
    """Each sealed sample's arcTst (made by DSS) is over its seal, its sigTst, xVals and
    rVals, and signed by the TSA it carries."""
    [found] = archive_timestamps(_sample(elm_dir, name))
    assert found.holds and found.time is not None and found.tsa, found.said
    assert found.covers == ("sigTst", "xVals", "rVals")


def test_the_report_checks_the_archive_timestamp(elm_dir: Path,
                                                 elm_reference: ElmReference) -> None:
    report, check = _check(_sample(elm_dir), elm_reference)
    assert check is not None and check.passed, check
    assert "good-tsa" in check.reason_en and "アーカイブタイムスタンプ" in check.reason_ja
    [token] = check.details["tokens"]
    assert token["time"] == "2023-09-27T11:54:20+00:00"
    assert token["covers"] == ["sigTst", "xVals", "rVals"]
    assert "archiveTimestamps" not in report.check("timestamp").details


def test_validation_data_changed_after_archiving_is_a_finding(
        elm_dir: Path, elm_reference: ElmReference) -> None:
    """The EC's seal with its revocation data (rVals) dropped: the archive timestamp no longer
    covers what the seal carries — a conformance finding, fatal when strict."""
    sample = _sample(elm_dir)
    kept = [item for item in _items(sample) if "rVals" not in item]
    changed = with_unsigned(sample, kept)
    report, check = _check(changed, elm_reference)
    assert check is not None and check.failed and check.code == "imprint"
    assert check.kind is CheckKind.CONFORMANCE and "アーカイブ" in check.reason_ja
    assert report.check("timestamp").passed  # the signature timestamp is untouched
    strict, _ = _check(changed, elm_reference, strict=True)
    assert strict.decision is Decision.NOT_VERIFIED


def test_a_built_archive_timestamp_verifies(elm_dir: Path, elm_reference: ElmReference,
                                            tsa: SealTsa) -> None:
    _report, check = _check(_archived(elm_dir, tsa), elm_reference)
    assert check is not None and check.passed, check
    assert check.details["tokens"][0]["covers"] == ["sigTst", "xVals"]


def test_a_changed_payload_breaks_the_archive_timestamp(elm_dir: Path, tsa: SealTsa) -> None:
    """The payload is covered (unencoded, as b64 false has it): one byte changed breaks it."""
    document = _archived(elm_dir, tsa)
    document["payload"] = document["payload"].replace("Annex", "annex", 1)
    [found] = archive_timestamps(document)
    assert found.code == "imprint"


def test_an_archive_timestamp_before_the_signature_timestamp_is_a_finding(
        elm_dir: Path, elm_reference: ElmReference, tsa: SealTsa) -> None:
    document = _archived(elm_dir, tsa, signed_at=NOW, archived_at=NOW - DAY)
    _report, check = _check(document, elm_reference)
    assert check is not None and check.failed and check.code == "order"
    assert check.reason_ja


def test_a_tsa_certificate_not_valid_at_its_time_is_a_finding(
        elm_dir: Path, elm_reference: ElmReference, tsa: SealTsa) -> None:
    document = _archived(elm_dir, tsa, archived_at=NOW + 60 * DAY)
    _report, check = _check(document, elm_reference)
    assert check is not None and check.failed and check.code == "tsa-certificate"


@pytest.mark.parametrize(("change", "reason"), [
    ("clear", "clear JSON"),
    ("previous", "previousArcTst"),
    ("detached", "detached"),
])
def test_what_cannot_be_rebuilt_could_not_be_checked(elm_dir: Path, tsa: SealTsa,
                                                     change: str, reason: str) -> None:
    document = _archived(elm_dir, tsa)
    items = _items(document)
    if change == "clear":
        document = with_unsigned(document, items, clear=True)
    elif change == "previous":
        items[-1]["arcTst"]["timeStamped"] = "previousArcTst"
        document = with_unsigned(document, items)
    else:
        del document["payload"]
    [found] = archive_timestamps(document)
    assert found.code == "unbuildable" and not found.checkable
    assert reason in words(found.said, "en") and words(found.said, "ja")


def test_the_report_says_could_not_be_checked(elm_dir: Path, elm_reference: ElmReference,
                                              tsa: SealTsa) -> None:
    document = _archived(elm_dir, tsa)
    items = _items(document)
    items[-1]["arcTst"]["timeStamped"] = "previousArcTst"
    _report, check = _check(with_unsigned(document, items), elm_reference)
    assert check is not None and check.ok is None
    assert check.code == "archive-timestamp-unchecked" and check.kind is CheckKind.INFO
    assert "could not be checked" in check.reason_en and "確認できません" in check.reason_ja


def test_a_seal_without_archive_timestamp_has_no_such_check(
        elm_dir: Path, elm_reference: ElmReference) -> None:
    sample = _sample(elm_dir)
    kept = [item for item in _items(sample) if "arcTst" not in item]
    _report, check = _check(with_unsigned(sample, kept), elm_reference)
    assert check is None
