"""What the Linked Data Signature proof types do alike: ``Ed25519Signature2020`` and
``Ed25519Signature2018``.

These proof types predate Data Integrity: the proof's ``type`` names the suite (there is no
``cryptosuite``). Their algorithm is the RDFC one of :mod:`._rdfc` with SHA-256, as the
reference implementation computes it (npm ``jsonld-signatures`` 11,
``LinkedDataSignature.createVerifyData`` and ``canonizeProof``); what differs is written here:

* *Proof options*: the proof without its signature (``proofValue``, ``jws``,
  ``signatureValue``) under the proof's own ``@context`` if it carries one (older signers
  wrote one), else the document's, else ``https://w3id.org/security/v2``;
* *verify data*: ``SHA-256(canonical proof options) || SHA-256(canonical document)``, what
  the suite signs (itself, or inside a JWS);
* the document must name one of the suite's contexts in its ``@context`` (``matchProof`` /
  ``ensureSuiteContext``: the reference does not consider a proof whose context the document
  lacks, since the proof's terms would not expand).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader, rdfc_canonicalize
from credstack.core.crypto.keys import KeyType
from credstack.errors import MalformedCredentialError, Problem

from ._common import digest, is_date_time
from ._rdfc import RdfcSuite

#: The context of the proof options when neither the proof nor the document has one
#: (``jsonld-signatures`` ``constants.SECURITY_CONTEXT_URL``).
SECURITY_V2: Final = "https://w3id.org/security/v2"
#: Proof members that hold a signature, and so are not among the signed proof options.
SIGNATURE_MEMBERS: Final = ("proofValue", "jws", "signatureValue")


@dataclass(frozen=True, eq=False)
class LinkedDataSignature(RdfcSuite):
    """A Linked Data Signature proof type over RDFC-1.0 and SHA-256: its name, its keys and
    the contexts, any one of which the document must hold."""

    contexts: tuple[str, ...] = ()

    def check_transformation_options(self, options: Mapping[str, Any]) -> None:
        if options.get("type") != self.name:
            raise MalformedCredentialError(f"the transformation options are not an {self.name}")

    def check_suite_context(self, document: Mapping[str, Any]) -> None:
        """Refuse a document whose ``@context`` holds none of the suite's contexts."""
        found = document_contexts(document)
        if not any(context in found for context in self.contexts):
            wanted = " or ".join(self.contexts)
            raise MalformedCredentialError(
                f"an {self.name} proof needs the suite context {wanted} in the document's "
                "@context, which defines its terms",
                problems=[Problem("@context", f"missing {self.contexts[0]}")])

    def proof_options(self, unsecured_document: Mapping[str, Any],
                      options: Mapping[str, Any]) -> dict[str, Any]:
        """The proof options that are signed, with the ``@context`` they are read under."""
        self.check_transformation_options(options)
        for name in ("created", "expires"):
            if name in options and not is_date_time(options[name], require_zone=False):
                raise MalformedCredentialError(
                    f"proof.{name} is not an XML Schema dateTime",
                    problems=[Problem(f"proof.{name}", f"{options[name]!r} is not a dateTime")])
        signed = {name: value for name, value in options.items()
                  if name not in SIGNATURE_MEMBERS}
        signed["@context"] = (options.get("@context") or unsecured_document.get("@context")
                              or SECURITY_V2)
        return signed

    def configure(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                  document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """The canonical proof options (``canonizeProof``)."""
        return rdfc_canonicalize(self.proof_options(unsecured_document, options),
                                 document_loader=self._loader(document_loader),
                                 hash_algorithm=self.hashes[key_type]).encode()

    def verify_data(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                    document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """``createVerifyData``: the hash of the proof options, then of the document."""
        transformed = self.transform(unsecured_document, options,
                                     document_loader=document_loader, key_type=key_type)
        return (self._config_hash(unsecured_document, options, document_loader, key_type)
                + digest(self.hashes[key_type], transformed))

    def _config_hash(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any],
                     document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        # Keyed by the options as signed, their own @context included.
        signed = self.proof_options(unsecured_document, options)
        algorithm = self.hashes[key_type]
        return self._config_hashes.get(
            signed, (document_loader, algorithm), lambda: digest(algorithm, rdfc_canonicalize(
                signed, document_loader=self._loader(document_loader),
                hash_algorithm=algorithm).encode()))


def document_contexts(document: Mapping[str, Any]) -> list[Any]:
    """The document's ``@context`` as a list."""
    context = document.get("@context")
    return context if isinstance(context, list) else [context]
