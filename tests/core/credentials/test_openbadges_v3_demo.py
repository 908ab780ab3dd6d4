"""Every demo programme's credential can be signed and verified with both Data Integrity suites.

This guards the extension context: a term that made canonicalisation explode (an RDF list of
blank nodes, for one) would stop real programmes from being issued.
"""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    build_open_badge_credential,
    extension_context,
)
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.descriptors.models import Award
from credstack.core.dids import did_key
from credstack.core.proofs import data_integrity
from credstack.demo import load_demo_documents

SEED = bytes(range(32))
WHEN = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_every_demo_programme_signs_and_verifies(cryptosuite: str) -> None:
    """All demo credentials (one to six learning outcomes and more) sign and verify."""
    key = KeyPair.from_secret_bytes(KeyType.ED25519, SEED)
    issuer_did = did_key.did_from_public_key(key.public_key)
    method = did_key.verification_method_id(key.public_key)
    loader = document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()})
    issuer = IssuerProfile(id=issuer_did, name={"ja": "発行者", "en": "Issuer"})
    award = Award.model_validate({"learner": {"identifiers": [
        {"type": "email", "value": "learner@example.com"}]}, "issued_on": "2026-11-20"})
    for index, programme in enumerate(load_demo_documents().programmes):
        credential = build_open_badge_credential(
            programme=programme, award=award, issuer=issuer,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
            achievement_id=f"https://localhost:8000/achievements/{index}", valid_from=WHEN,
            salt="pepper")
        signed = data_integrity.sign(credential, key=key, verification_method=method,
                                     cryptosuite=cryptosuite, created=WHEN,
                                     document_loader=loader)
        data_integrity.verify(signed, document_loader=loader)
