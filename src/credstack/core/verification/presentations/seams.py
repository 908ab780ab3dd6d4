"""What the presentation steps share: the state they pass along, its seams, small readers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from credstack.core.proofs.cryptosuites.vc_cose import CoseSign1
from credstack.core.said import Said
from credstack.core.types import is_absolute_url
from credstack.core.verification.checks import not_checked
from credstack.core.verification.pipeline.seams import CredentialVerifier
from credstack.core.verification.proofs import LinkedDataState, Signer
from credstack.core.verification.reading import Subject
from credstack.core.verification.report import Check, VerificationReport

__all__ = ["AUTHENTICATION", "ENVELOPED_VP_TYPE", "MAX_PRESENTATION_BYTES", "PRESENTATION",
           "VP_TYPE", "PresentationState", "holder_id", "unsigned"]

#: The proof purpose of a presentation's proof: the holder authenticates itself.
AUTHENTICATION: Final = "authentication"

#: The largest presentation read (UTF-8 bytes of its JSON): room for a few credentials.
MAX_PRESENTATION_BYTES: Final = 4 * 1024 * 1024

VP_TYPE: Final = "VerifiablePresentation"
ENVELOPED_VP_TYPE: Final = "EnvelopedVerifiablePresentation"

#: A presentation, as the messages of its checks name it.
PRESENTATION: Final = Subject(
    "verification.subject.presentation", MAX_PRESENTATION_BYTES,
    changed="verification.check.proof.changed.presentation", malformed_value="malformed-proof",
    anchored="verification.check.proof.merkle_presentation")


@dataclass(slots=True, kw_only=True)
class PresentationState(LinkedDataState):
    """What the steps share: the inputs and seams, then what earlier steps found out."""

    #: The challenge and domain the verifier asked for (``None``: not asked).
    challenge: str | None
    domain: str | None
    verify_credential: CredentialVerifier
    #: The presentation as a JSON object, once read.
    presentation: dict[str, Any] | None = None
    #: The proofs that verified, with who signed each (``None`` until the proof check passed;
    #: empty for a presentation that has no proof and needed none).
    signed: tuple[tuple[Mapping[str, Any], Signer], ...] | None = None
    credentials: tuple[VerificationReport, ...] = ()
    #: A presentation secured as a JWT (enveloped or bare): the token, its header and claims;
    #: as an SD-JWT, its issuer-signed JWT, the JWT's header and payload; as a COSE_Sign1,
    #: the message (``cose``) and its algorithm and ``kid`` as a JWS header would name them.
    token: str | None = None
    jwt_header: dict[str, Any] = field(default_factory=dict)
    jwt_claims: dict[str, Any] = field(default_factory=dict)
    cose: CoseSign1 | None = None
    #: How it was secured, when not by a Data Integrity proof: ``vp-jwt``, ``vp-sd-jwt`` or
    #: ``vp-cose`` (``None``: JSON-LD).
    secured: str | None = None
    subject: ClassVar[Subject] = PRESENTATION

    @property
    def document(self) -> dict[str, Any] | None:
        return self.presentation


def unsigned(name: str) -> Check:
    """The check ``name``, not checked because the presentation's proof did not verify."""
    return not_checked(name, Said("verification.check.presentation.unsigned"))


def holder_id(presentation: Mapping[str, Any]) -> str | None:
    """The URL of the holder the presentation names (``None``: none, or not a URL)."""
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if is_absolute_url(holder) else None
