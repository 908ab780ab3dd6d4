"""Proofs that anchor a credential on a blockchain: recognised, and said to be undecidable
offline.

*MerkleProof2019* — W3C Credentials Community Group draft "Merkle Proof Signature Suite
2019" — https://w3c-ccg.github.io/lds-merkleproof2019/ — the proof of Blockcerts v3
credentials (https://www.blockcerts.org/, ``type: "MerkleProof2019"``; newer issuers write it
as a ``DataIntegrityProof`` with ``cryptosuite: "merkle-proof-2019"``). Its ``proofValue``
holds a Merkle path from the credential's hash to a root that the issuer wrote into a
blockchain transaction. Whether that transaction exists, and was sent from the issuer's
address, can only be read from the blockchain: credstack reads nothing from the network while
verifying, so it cannot decide. That is not a bad signature, and the ``proof`` check says so:
it is neither passed nor failed (``ok = None``, code ``cannot-decide``, the blockchain record
named as what is missing), and the credential could not be checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.verification.report import Check, Missing, Notice

__all__ = ["ANCHORED_CRYPTOSUITES", "ANCHORED_TYPES", "anchored", "cannot_decide"]

#: Proof types that anchor a credential on a blockchain.
ANCHORED_TYPES: Final = frozenset({"MerkleProof2019"})
#: ``DataIntegrityProof`` cryptosuites that do.
ANCHORED_CRYPTOSUITES: Final = frozenset({"merkle-proof-2019"})


def anchored(proofs: Sequence[Any]) -> list[Mapping[str, Any]]:
    """The proofs among ``proofs`` that anchor the credential on a blockchain."""
    # A type or cryptosuite that is not a string (a list, an object) is no anchored proof,
    # and cannot be looked up in a set.
    return [proof for proof in proofs if isinstance(proof, Mapping) and (
        _named(proof.get("type"), ANCHORED_TYPES)
        or (proof.get("type") == "DataIntegrityProof"
            and _named(proof.get("cryptosuite"), ANCHORED_CRYPTOSUITES)))]


def _named(value: Any, names: frozenset[str]) -> bool:
    return isinstance(value, str) and value in names


def cannot_decide(proofs: Sequence[Mapping[str, Any]], warnings: Sequence[Notice] = ()
                  ) -> Check:
    """The ``proof`` check of a credential secured only by blockchain-anchored ``proofs``."""
    kinds = ", ".join(dict.fromkeys(str(proof.get("cryptosuite") or proof.get("type"))
                                    for proof in proofs))
    return Check(
        "proof", None,
        f"cannot decide: the credential is secured only by {kinds}, which anchors it on a "
        "blockchain; whether it was anchored there by its issuer cannot be checked offline, "
        "and credstack reads no blockchain, so the proof is neither accepted nor refused",
        f"判断できません：この証明書は {kinds}（ブロックチェーンへの記録）だけで保護されています。"
        "発行者がブロックチェーンに記録したかどうかはオフラインでは確認できず、credstack は"
        "ブロックチェーンを参照しないため、証明を受け入れも否認もしていません",
        {"proofs": [{"type": proof.get("type"), "cryptosuite": proof.get("cryptosuite"),
                     "verificationMethod": proof.get("verificationMethod"),
                     "created": proof.get("created")} for proof in proofs]},
        code="cannot-decide", warnings=tuple(warnings),
        missing=Missing("blockchain", "unsupported", None,
                        f"{kinds}: the blockchain transaction it names is not read"))
