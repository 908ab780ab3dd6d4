"""Blockcerts certificates (https://www.blockcerts.org/): how to tell one.

Blockcerts v2 certificates are Open Badges 2.0 assertions that add the Blockcerts v2 context
(cert-schema ``2.0``/``2.1``), are verified by ``MerkleProofVerification2017`` and carry their
Merkle receipt as ``signature`` (a ``MerkleProof2017``, with the ``Extension`` type); their
``recipientProfile``, ``signature`` and verification type are terms of that context, not Open
Badges 2.0 extensions with a context of their own. Blockcerts v3 certificates are Verifiable
Credentials secured by a ``MerkleProof2019`` (:mod:`credstack.core.verification.anchored`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["V2_CONTEXTS", "V2_MEMBERS", "V2_VERIFICATION", "is_blockcerts_v2"]

#: The Blockcerts v2 contexts under every URL Blockcerts' verifier knows them by.
V2_CONTEXTS: Final = frozenset({
    "https://w3id.org/blockcerts/v2", "https://w3id.org/blockcerts/v2.1",
    "https://w3id.org/blockcerts/schema/2.0/context.json",
    "https://www.blockcerts.org/schema/2.0/context.json",
    "https://w3id.org/blockcerts/schema/2.1/context.json",
    "https://www.blockcerts.org/schema/2.1/context.json",
    "https://w3id.org/blockcerts/schema/2.0-alpha/context.json",
    "https://www.blockcerts.org/schema/2.0-alpha/context.json",
})
#: The verification type the Blockcerts v2 context defines.
V2_VERIFICATION: Final = "MerkleProofVerification2017"
#: Members of an assertion the Blockcerts v2 context defines.
V2_MEMBERS: Final = frozenset({"signature", "recipientProfile", "verification"})


def is_blockcerts_v2(document: Mapping[str, Any]) -> bool:
    """Whether an Open Badges 2.0 assertion is a Blockcerts v2 certificate: it names a
    Blockcerts v2 context and is verified by its Merkle receipt."""
    contexts = document.get("@context")
    named = contexts if isinstance(contexts, list) else [contexts]
    if not any(isinstance(url, str) and url in V2_CONTEXTS for url in named):
        return False
    verification = document.get("verification")
    kinds = verification.get("type") if isinstance(verification, Mapping) else None
    return kinds == V2_VERIFICATION or (isinstance(kinds, list) and V2_VERIFICATION in kinds)
