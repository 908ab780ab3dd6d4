"""The ``Ed25519Signature2020`` proof type (a Linked Data Signature, before Data Integrity).

Ed25519 Signature 2020 — W3C Credentials Community Group, Draft Community Group Report
(last revised 2023) — https://w3c-ccg.github.io/di-eddsa-2020/ — as the reference
implementation does it (npm ``@digitalbazaar/ed25519-signature-2020`` 5.x on
``jsonld-signatures`` 11.x: ``LinkedDataSignature.createVerifyData`` and
``Ed25519Signature2020.verifySignature``). Many issuers still sign with it, the Digital
Credentials Consortium's among them, often beside an ``eddsa-rdfc-2022`` proof.

It is the algorithm of ``eddsa-rdfc-2022`` (:mod:`._rdfc`) under another proof shape:

* the proof is ``{"type": "Ed25519Signature2020", created, verificationMethod, proofPurpose,
  proofValue}`` — no ``cryptosuite``;
* the canonical proof options are the proof without ``proofValue`` (and without the older
  ``jws`` / ``signatureValue``) under the document's ``@context``; the document is
  canonicalized without its proofs; URDNA2015 (= RDFC-1.0) with SHA-256;
* Ed25519 signs ``SHA-256(options) || SHA-256(document)``; ``proofValue`` is the base58-btc
  multibase of the 64-byte signature;
* the document's ``@context`` must hold the suite context
  (``https://w3id.org/security/suites/ed25519-2020/v1``), which defines the proof's terms
  (``ensureSuiteContext``): without it the proof's terms would not expand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader, rdfc_canonicalize
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.errors import MalformedCredentialError, Problem

from ._common import is_date_time
from ._rdfc import RdfcSuite

NAME: Final = "Ed25519Signature2020"
SUITE_CONTEXT: Final = "https://w3id.org/security/suites/ed25519-2020/v1"
#: Proof members that hold the signature, left out of the canonical options.
_SIGNATURE_MEMBERS: Final = ("proofValue", "jws", "signatureValue")


class _Ed25519Signature2020(RdfcSuite):
    """The RDFC algorithm with the Linked Data Signature proof shape."""

    def check_transformation_options(self, options: Mapping[str, Any]) -> None:
        if options.get("type") != NAME:
            raise MalformedCredentialError(f"the transformation options are not an {NAME}")

    def configure(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                  document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """The canonical proof options under the document's ``@context``."""
        self.check_transformation_options(options)
        for name in ("created", "expires"):
            if name in options and not is_date_time(options[name], require_zone=False):
                raise MalformedCredentialError(
                    f"proof.{name} is not an XML Schema dateTime",
                    problems=[Problem(f"proof.{name}", f"{options[name]!r} is not a dateTime")])
        proof_config = {name: value for name, value in options.items()
                        if name not in _SIGNATURE_MEMBERS}
        proof_config["@context"] = unsecured_document.get("@context")
        return rdfc_canonicalize(proof_config, document_loader=self._loader(document_loader),
                                 hash_algorithm=self.hashes[key_type]).encode()

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                     key: KeyPair, document_loader: DocumentLoader | None) -> dict[str, Any]:
        _check_suite_context(unsecured_document)
        return super().create_proof(unsecured_document, options, key=key,
                                    document_loader=document_loader)

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
        _check_suite_context(unsecured_document)
        super().verify_proof(unsecured_document, proof, public_key=public_key,
                             document_loader=document_loader)


def _check_suite_context(document: Mapping[str, Any]) -> None:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if SUITE_CONTEXT not in contexts:
        raise MalformedCredentialError(
            f"an {NAME} proof needs the suite context {SUITE_CONTEXT} in the document's "
            "@context, which defines its terms",
            problems=[Problem("@context", f"missing {SUITE_CONTEXT}")])


_SUITE: Final = _Ed25519Signature2020(NAME, {KeyType.ED25519: "sha256"})

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
