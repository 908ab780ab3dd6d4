"""EDCs written by credstack (:mod:`credstack.core.descriptors.elm.export`) keep the EDC shapes
and EBSI's schema, and their JAdES-B seal (:mod:`credstack.core.elm.sealing`) verifies with
the reader's verifier and chains to the organisation's root."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from credstack.core.descriptors.elm.export import PROFILE_32, Learner, edc_credential
from credstack.core.descriptors.models import Programme
from credstack.core.elm import jades, sealing, validation
from credstack.core.elm.reference import ElmReference
from credstack.core.elm.trust import check_certificate_at_signing, trusted_anchor
from credstack.core.said import Said
from credstack.demo import load_demo_documents
from credstack.errors import SignatureError
from credstack.testing.elm import make_pki
from credstack.words import words

DEMO = load_demo_documents()
ORGANISATIONS = {organisation.slug: organisation for organisation in DEMO.organisations}
AWARDED = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
#: A PNG signature is enough for the shapes; services put the badge image there.
IMAGES = {"ja": b"\x89PNG\r\n\x1a\n", "en": b"\x89PNG\r\n\x1a\n"}
ROOT = Path(__file__).parents[3]
#: One programme of each shape the demo has: a Qualification (EQF level), stack targets, none.
SAMPLES = [DEMO.programmes[0], DEMO.programmes[1], DEMO.programmes[2],
           next(p for p in DEMO.programmes if not p.levels)]


def _edc(programme: Programme, **options: Any) -> dict[str, Any]:
    assert programme.awarding_body is not None
    made = edc_credential(
        credential_id="urn:uuid:8a1d6a8e-0c3b-4c53-9d0e-3c4b1f2a7e10", programme=programme,
        organisation=ORGANISATIONS[programme.awarding_body.id],
        learner=Learner(names={"ja": "山田 花子", "en": "Hanako Yamada"},
                        emails=["hanako@example.org"]),
        awarded=AWARDED, issued=AWARDED, images=IMAGES, grade="A", **options)
    loaded: dict[str, Any] = json.loads(json.dumps(made, ensure_ascii=False))
    return loaded


@pytest.mark.parametrize("programme", SAMPLES, ids=lambda p: p.code)
def test_an_exported_edc_keeps_the_edc_shapes(programme: Programme,
                                             elm_reference: ElmReference,
                                             elm_loader: Any) -> None:
    """The ELM 3.1 EDC (the EC's envelope) conforms to edc-generic-full."""
    credential = _edc(programme)
    graph = validation.credential_graph(credential, elm_loader)
    assert validation.check_shapes(graph, elm_reference,
                                   validation.shapes_profile(credential)) == []


@pytest.mark.parametrize("programme", DEMO.programmes, ids=lambda p: p.code)
def test_an_exported_edc_keeps_ebsis_schema(programme: Programme,
                                            elm_reference: ElmReference) -> None:
    """The ELM 3.2 EDC (EBSI's envelope) passes EBSI's EDC JSON Schema, for every demo
    programme."""
    credential = _edc(programme, profile=PROFILE_32)
    assert validation.names_ebsi_schema(credential)
    assert validation.check_ebsi_schema(credential, elm_reference) == []


def test_the_two_envelopes_carry_the_same_claim() -> None:
    """3.1 and 3.2 differ in the envelope; the achievement is the same but for the
    descriptors' extension, which EBSI's closed schema does not take."""
    programme = SAMPLES[0]
    claim_31 = _edc(programme)["credentialSubject"]["hasClaim"][0]
    claim_32 = _edc(programme, profile=PROFILE_32)["credentialSubject"]["hasClaim"][0]
    claim_31["specifiedBy"].pop("https://w3id.org/credstack/mc#descriptors")
    assert claim_31 == claim_32


def test_a_sealed_edc_verifies_and_its_chain_is_trusted_at_signing() -> None:
    """JAdES-B with b64 false and x5c: the reader's verifier takes it, the payload is the
    credential, and the chain leads to the organisation's root."""
    pki = make_pki(not_before=AWARDED - dt.timedelta(days=1),
                   not_after=AWARDED + dt.timedelta(days=365))
    credential = _edc(SAMPLES[0])
    sealed = json.loads(json.dumps(sealing.seal_credential(
        credential, key=pki.seal_key, certificate=pki.seal_certificate, chain=[pki.root],
        signing_time=AWARDED)))
    seal = jades.read_seal(sealed)
    jades.verify_signature(sealed, seal)
    assert json.loads(seal.payload) == credential
    assert seal.header["b64"] is False and seal.header["crit"] == ["b64", "sigT"]
    assert len(seal.certificates) == 2
    check_certificate_at_signing(seal)
    assert trusted_anchor(seal, [pki.root]) == pki.root


def test_a_changed_sealed_edc_does_not_verify() -> None:
    """One character of the payload changed: the signature fails."""
    pki = make_pki(not_before=AWARDED, not_after=AWARDED + dt.timedelta(days=30))
    sealed = sealing.seal_credential(_edc(SAMPLES[0]), key=pki.seal_key,
                                     certificate=pki.seal_certificate, signing_time=AWARDED)
    sealed["payload"] = sealed["payload"].replace("山田", "川田")
    with pytest.raises(SignatureError) as caught:
        jades.verify_signature(sealed, jades.read_seal(sealed))
    assert caught.value.code == "verification.check.elm.seal.signature"
    assert "does not verify" in words(Said(caught.value.code), "en")


def test_only_p256_keys_seal() -> None:
    """credstack's organisation keys are P-256; the header says ES256."""
    pki = make_pki(not_before=AWARDED, not_after=AWARDED + dt.timedelta(days=30))
    assert isinstance(pki.seal_key.curve, ec.SECP256R1)
    sealed = sealing.seal_credential({"id": "x"}, key=pki.seal_key,
                                     certificate=pki.seal_certificate, signing_time=AWARDED)
    assert jades.read_seal(sealed).algorithm == "ES256"
