"""Whether the authorities that made a seal's timestamps are ones to trust: each timestamp's
authority certificate chains, at the token's time, to the trust list the operator configures for
seals (``CREDSTACK_ELM_TRUST``), with the extended key usage ``timeStamping`` — trusted, a
named finding when not, "could not be checked" when no list is configured; never trusted by
default."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from credstack.core.elm.reference import ElmReference
from credstack.core.elm.timestamps import (
    archive_timestamps,
    content_timestamps,
    signature_timestamps,
)
from credstack.core.elm.trust import UnreadableCertificateError, trusted_tsa
from credstack.core.said import Said
from credstack.core.verification.report import CheckKind, Decision
from credstack.errors import TrustChainError
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
def pki() -> SealPki:
    return make_pki(not_before=NOW - 30 * DAY, not_after=NOW + 30 * DAY)


def _tsa(pki: SealPki | None, **kwargs: Any) -> SealTsa:
    return make_tsa(not_before=NOW - 20 * DAY, not_after=NOW + 20 * DAY, issuer=pki, **kwargs)


def _stamped(payload: str, pki: SealPki, tsa: SealTsa) -> dict[str, Any]:
    """``payload`` sealed under ``pki`` with an adoTst and a sigTst by ``tsa``."""
    sealed = seal(payload, pki, signing_time=NOW, signed={"adoTst": {"tstTokens": [
        {"val": time_stamp(tsa, payload.encode(), at=NOW - HOUR)}]}})
    signature = sealed["signatures"][0]["signature"].encode()
    return with_unsigned(sealed, [{"sigTst": {"tstTokens": [
        {"val": time_stamp(tsa, signature, at=NOW)}]}}])


def _verify(document: dict[str, Any], reference: ElmReference, trusted: Any,
            *, strict: bool = False) -> Any:
    report = verified_at_now(document, reference, trusted=trusted, strict=strict)
    return report, report.check("timestamp-authority")


def test_a_tsa_issued_under_a_trusted_root_is_trusted(
        payload: str, pki: SealPki, elm_reference: ElmReference) -> None:
    """Both timestamps' authority chains to the root on the list: trusted, the seal verified
    with no finding."""
    report, check = _verify(_stamped(payload, pki, _tsa(pki)), elm_reference, [pki.root])
    assert check is not None and check.passed, check
    assert [token["kind"] for token in check.details["tokens"]] == [
        "signature timestamp", "all-data-objects timestamp"]
    assert all(token["anchor"] == pki.root.subject.rfc4514_string()
               for token in check.details["tokens"])
    assert "credstack test tsa" in check.reason_en and "タイムスタンプ局" in check.reason_ja
    assert report.decision is Decision.VERIFIED and not report.findings


def test_a_tsa_certificate_on_the_list_itself_is_trusted(
        payload: str, pki: SealPki, elm_reference: ElmReference) -> None:
    tsa = _tsa(None)
    _report, check = _verify(_stamped(payload, pki, tsa), elm_reference,
                             [pki.root, tsa.certificate])
    assert check is not None and check.passed, check


def test_a_tsa_under_another_root_is_a_finding(
        payload: str, pki: SealPki, elm_reference: ElmReference) -> None:
    """The seal trusted, its timestamps by an authority the operator does not trust: a
    conformance finding (the timestamps prove nothing), fatal when strict."""
    other = make_pki(not_before=NOW - 30 * DAY, not_after=NOW + 30 * DAY)
    document = _stamped(payload, pki, _tsa(other))
    report, check = _verify(document, elm_reference, [pki.root])
    assert check is not None and check.failed and check.code == "untrusted-tsa"
    assert check.kind is CheckKind.CONFORMANCE and check.reason_ja
    assert report.decision is Decision.VERIFIED
    assert [finding.name for finding in report.findings] == ["timestamp-authority"]
    strict, _ = _verify(document, elm_reference, [pki.root], strict=True)
    assert strict.decision is Decision.NOT_VERIFIED


@pytest.mark.parametrize(("usage", "critical", "said"), [
    ([ExtendedKeyUsageOID.CODE_SIGNING], True, "does not name timeStamping"),
    (None, True, "does not name timeStamping"),
    ([ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CODE_SIGNING], True,
     "other purposes"),
    ([ExtendedKeyUsageOID.TIME_STAMPING], False, "not marked critical"),
], ids=["code-signing", "none", "time-stamping-and-more", "not-critical"])
def test_a_certificate_not_for_time_stamping_is_a_finding(
        payload: str, pki: SealPki, elm_reference: ElmReference, usage: Any,
        critical: bool, said: str) -> None:
    """Issued under the trusted root, but its extended key usage is not timeStamping alone,
    marked critical (RFC 3161 §2.3): not an authority's certificate — the finding says which."""
    document = _stamped(payload, pki, _tsa(pki, usage=usage, usage_critical=critical))
    _report, check = _verify(document, elm_reference, [pki.root])
    assert check is not None and check.failed and check.code == "tsa-usage"
    [problem] = check.details["problems"]
    assert said in problem["message"] and "RFC 3161" in problem["message_ja"]


def test_without_a_trust_list_it_could_not_be_checked(
        payload: str, pki: SealPki, elm_reference: ElmReference) -> None:
    """No list configured: could not be checked, with the reason — never trusted by default."""
    report, check = _verify(_stamped(payload, pki, _tsa(pki)), elm_reference, None)
    assert check is not None and check.ok is None
    assert check.code == "timestamp-authority-unchecked" and check.kind is CheckKind.INFO
    assert "could not be checked" in check.reason_en and "確認できません" in check.reason_ja
    assert "CREDSTACK_ELM_TRUST" in check.reason_en
    assert report.decision is Decision.UNDECIDED  # the seal's own issuer, likewise


@pytest.mark.parametrize("name", [SEALED_SAMPLE, "mynextid/edc-dc-signed.jsonld"])
def test_the_published_seals_authorities_could_not_be_checked(
        elm_dir: Path, elm_reference: ElmReference, name: str) -> None:
    sample = json.loads((elm_dir / name).read_text())
    _report, check = _verify(sample, elm_reference, None)
    assert check is not None and check.code == "timestamp-authority-unchecked"


def test_the_published_seals_authorities_are_not_on_an_unrelated_list(
        elm_dir: Path, elm_reference: ElmReference, pki: SealPki) -> None:
    """The EC's good-tsa (Nowina's test PKI) under a list holding only credstack's test root:
    untrusted, each of its three tokens (sigTst, adoTst, arcTst) named."""
    sample = json.loads((elm_dir / SEALED_SAMPLE).read_text())
    _report, check = _verify(sample, elm_reference, [pki.root])
    assert check is not None and check.code == "untrusted-tsa"
    assert sorted(token["kind"] for token in check.details["tokens"]) == [
        "all-data-objects timestamp", "archive timestamp", "signature timestamp"]


def test_trusted_tsa_cannot_decide_on_an_empty_list(payload: str, pki: SealPki) -> None:
    """ValueError (the caller says 'could not be checked') for an empty list or a certificate
    that cannot be read; a list that does not reach the authority refuses it."""
    document = _stamped(payload, pki, _tsa(pki))
    [token] = signature_timestamps(document)
    assert token.time is not None
    with pytest.raises(ValueError, match="no trusted"):
        trusted_tsa(token.certificates, token.time, [])
    with pytest.raises(ValueError) as unreadable:
        trusted_tsa((b"not DER",), token.time, [pki.root])
    assert isinstance(unreadable.value, UnreadableCertificateError)
    assert unreadable.value.said.key == "verification.check.elm.trust.tsa_unreadable"
    assert words(unreadable.value.said, "en").startswith(
        "a certificate the token carries cannot be read (")
    # Said inside the check's reason, in one language each (the Japanese had the English).
    said = Said("verification.check.elm.tsa_unreadable", detail=unreadable.value.said)
    error = unreadable.value.said.params["error"]
    assert words(said, "en") == f"could not be checked: a certificate the token carries " \
                                f"cannot be read ({error})"
    assert words(said, "ja") == \
        f"確認できませんでした：タイムスタンプ局の証明書を読み取れません（{error}）"
    with pytest.raises(TrustChainError):
        trusted_tsa(token.certificates, token.time, [make_pki(
            not_before=NOW - DAY, not_after=NOW + DAY).root])


def test_the_published_authority_chains_to_its_root_when_listed(elm_dir: Path) -> None:
    """The EC's good-tsa carries Nowina's test root-ca: with that root on the list, each of
    the sample's three timestamps reaches it (a real authority's certificate profile, not
    only credstack's test one)."""
    sample = json.loads((elm_dir / SEALED_SAMPLE).read_text())
    stamps = [*signature_timestamps(sample), *content_timestamps(sample),
              *archive_timestamps(sample)]
    root = x509.load_der_x509_certificate(stamps[0].certificates[-1])
    assert root.subject.rfc4514_string().endswith("CN=root-ca")
    for token in stamps:
        assert token.time is not None
        assert trusted_tsa(token.certificates, token.time, [root]) == root
