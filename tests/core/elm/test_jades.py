"""JAdES seals: the published EDC seals verify; broken ones are refused with their reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from credstack.core.elm import jades
from credstack.core.elm.trust import check_certificate_at_signing, trusted_anchor
from credstack.core.said import Said
from credstack.errors import MalformedCredentialError, SignatureError, TrustChainError
from credstack.testing.elm import make_pki, seal
from credstack.words import words

SEALED = ["ec-elm/credentials/Sample-MC-Annex1-signed.jsonld",
          "ec-elm/credentials/Sample-CertOfPart-signed.jsonld",
          "mynextid/edc-dc-signed.jsonld"]
NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", SEALED)
def test_published_seals_verify(elm_dir: Path, name: str) -> None:
    """Each published sealed EDC's RS256 signature verifies over its unencoded payload."""
    document = json.loads((elm_dir / name).read_text())
    read = jades.read_seal(document)
    jades.verify_signature(document, read)
    assert read.algorithm == "RS256"
    assert json.loads(read.payload)["type"][-1] == "EuropeanDigitalCredential"
    check_certificate_at_signing(read)


@pytest.mark.parametrize("name", SEALED)
def test_a_changed_payload_does_not_verify(elm_dir: Path, name: str) -> None:
    """One character changed in the sealed credential breaks the seal."""
    document = json.loads((elm_dir / name).read_text())
    document["payload"] = document["payload"].replace("urn:", "urx:", 1)
    with pytest.raises(SignatureError) as caught:
        jades.verify_signature(document, jades.read_seal(document))
    assert caught.value.problems[0].rule == "jades-signature"


def test_b64_true_is_refused() -> None:
    """A seal whose payload is base64url-encoded breaks the EDC profile (b64: false)."""
    pki = make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=30))
    document = seal('{"id": "urn:credential:1"}', pki, signing_time=NOW, b64=True)
    with pytest.raises(MalformedCredentialError) as caught:
        jades.read_seal(document)
    [problem] = caught.value.problems
    assert problem.rule == "jades-b64"
    assert (problem.code, problem.params) == ("verification.check.elm.seal.b64", {"b64": "null"})
    said = Said(problem.code, **problem.params)
    assert words(said, "en").endswith("this seal has b64: null")
    assert "b64: null" in words(said, "ja")


def test_certificate_expired_at_signing_is_refused() -> None:
    """A seal made after its certificate's notAfter is refused, whatever the signature."""
    pki = make_pki(not_before=NOW - dt.timedelta(days=60), not_after=NOW - dt.timedelta(days=1))
    document = seal('{"id": "urn:credential:1"}', pki, signing_time=NOW)
    read = jades.read_seal(document)
    jades.verify_signature(document, read)
    with pytest.raises(SignatureError) as caught:
        check_certificate_at_signing(read)
    assert caught.value.problems[0].rule == "certificate-expired-at-signing"


def test_trusted_anchor_chains_to_the_operators_root() -> None:
    """A seal chains to the root the operator trusts; another root does not do."""
    window = {"not_before": NOW - dt.timedelta(days=30), "not_after": NOW + dt.timedelta(days=30)}
    pki, other = make_pki(**window), make_pki(**window)
    read = jades.read_seal(seal('{"id": "urn:credential:1"}', pki, signing_time=NOW))
    assert trusted_anchor(read, [pki.root]) == pki.root
    with pytest.raises(TrustChainError):
        trusted_anchor(read, [other.root])
    with pytest.raises(ValueError, match="no trusted"):
        trusted_anchor(read, [])


def test_x5t_that_does_not_match_is_refused() -> None:
    """A certificate digest (x5t#S256) of another certificate is refused when read."""
    window = {"not_before": NOW - dt.timedelta(days=30), "not_after": NOW + dt.timedelta(days=30)}
    pki, other = make_pki(**window), make_pki(**window)
    document = seal('{"id": "urn:credential:1"}', pki, signing_time=NOW)
    alien = seal('{"id": "urn:credential:1"}', other, signing_time=NOW)
    document["signatures"][0]["protected"] = alien["signatures"][0]["protected"]
    read = jades.read_seal(document)
    with pytest.raises(SignatureError):
        jades.verify_signature(document, read)
