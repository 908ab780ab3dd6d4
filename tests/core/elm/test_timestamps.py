"""A seal's signature timestamp (sigTst): verified when it holds, a named finding when it does
not, "could not be checked" with its reason when it cannot be read — never passed over."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.resolvers.elm import elm_document_loader
from credstack.core.elm.reference import ElmReference
from credstack.core.elm.timestamps import signature_timestamps
from credstack.core.verification.elm import verify_edc
from credstack.core.verification.report import CheckKind, Decision
from credstack.testing.elm import make_pki, seal
from credstack.words import words

SEALED = ["ec-elm/credentials/Sample-MC-Annex1-signed.jsonld",
          "ec-elm/credentials/Sample-CertOfPart-signed.jsonld",
          "mynextid/edc-dc-signed.jsonld"]
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def _sample(elm_dir: Path, name: str = SEALED[0]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((elm_dir / name).read_text())
    return document


def _items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
            for item in document["signatures"][0]["header"]["etsiU"]]


def _with_items(document: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["signatures"][0]["header"] = {"etsiU": [
        base64.urlsafe_b64encode(json.dumps(item).encode()).decode().rstrip("=")
        for item in items]}
    return changed


def _sig_tst(document: dict[str, Any]) -> dict[str, Any]:
    return next(item for item in _items(document) if "sigTst" in item)


def _timestamp(document: dict[str, Any], reference: ElmReference) -> Any:
    report = verify_edc(json.dumps(document), now=NOW, reference=reference,
                        loader=elm_document_loader(reference), words=words)
    return report, report.check("timestamp")


@pytest.mark.parametrize("name", SEALED)
def test_the_published_seals_timestamps_verify(elm_dir: Path, name: str) -> None:
    """Each sealed sample's sigTst is over its signature and signed by the TSA it carries."""
    [found] = signature_timestamps(_sample(elm_dir, name))
    assert found.holds and found.time is not None and found.tsa, found.said


def test_the_report_says_when_and_by_whom(elm_dir: Path, elm_reference: ElmReference) -> None:
    """The timestamp check passes with its time and authority."""
    _report, check = _timestamp(_sample(elm_dir), elm_reference)
    assert check is not None and check.passed
    assert "good-tsa" in check.reason_en and "good-tsa" in check.reason_ja
    assert check.details["tokens"][0]["time"] == "2023-09-27T11:54:20+00:00"


def test_a_timestamp_of_another_signature_is_a_finding(elm_dir: Path,
                                                       elm_reference: ElmReference) -> None:
    """The EC's token moved onto a seal of the same credential made now: not over this
    signature — a conformance finding (fatal when strict), never a verified timestamp."""
    sample = _sample(elm_dir)
    pki = make_pki(not_before=NOW - dt.timedelta(days=9), not_after=NOW + dt.timedelta(days=9))
    resealed = _with_items(seal(sample["payload"], pki, signing_time=NOW), [_sig_tst(sample)])
    report, check = _timestamp(resealed, elm_reference)
    assert check is not None and check.failed and check.code == "imprint"
    assert check.kind is CheckKind.CONFORMANCE and check.reason_ja
    strict = verify_edc(json.dumps(resealed), now=NOW, reference=elm_reference,
                        loader=elm_document_loader(elm_reference), strict=True, words=words)
    assert [finding.name for finding in report.findings] == ["timestamp"]
    assert report.decision is Decision.UNDECIDED  # no trust list is configured
    assert strict.decision is Decision.NOT_VERIFIED


def test_an_altered_token_is_a_finding(elm_dir: Path, elm_reference: ElmReference) -> None:
    """A token whose time was changed after its authority signed it: altered."""
    sample = _sample(elm_dir)
    item = _sig_tst(sample)
    der = bytearray(base64.b64decode(item["sigTst"]["tstTokens"][0]["val"]))
    where = der.find(b"20230927115420Z")
    assert where > 0
    der[where:where + 15] = b"20230927115421Z"
    item["sigTst"]["tstTokens"][0]["val"] = base64.b64encode(bytes(der)).decode()
    others = [other for other in _items(sample) if "sigTst" not in other]
    _report, check = _timestamp(_with_items(sample, [item, *others]), elm_reference)
    assert check is not None and check.failed and check.code == "altered"


def test_an_unreadable_token_could_not_be_checked(elm_dir: Path,
                                                  elm_reference: ElmReference) -> None:
    """A token that is not a TimeStampToken: could not be checked, with the reason."""
    sample = _sample(elm_dir)
    broken = {"sigTst": {"tstTokens": [{"val": base64.b64encode(b"not DER").decode()}]}}
    _report, check = _timestamp(_with_items(sample, [broken]), elm_reference)
    assert check is not None and check.ok is None and check.code == "timestamp-unchecked"
    assert check.kind is CheckKind.INFO
    assert "could not be checked" in check.reason_en and "確認できません" in check.reason_ja


def test_no_timestamp_is_said(elm_dir: Path, elm_reference: ElmReference) -> None:
    """A seal without sigTst (JAdES B-B): said, as information."""
    sample = _sample(elm_dir)
    _report, check = _timestamp(_with_items(sample, []), elm_reference)
    assert check is not None and check.code == "no-timestamp" and check.kind is CheckKind.INFO
