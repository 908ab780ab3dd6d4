"""What the credential steps share: the seams they are given (status list fetcher, registry and
recognition lookups, besides the loader and key resolver every JSON-LD format has), the state
they pass along, and small readers of the credential's JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Protocol

from credstack.core.proofs.cryptosuites.sd_jwt import Disclosed, SdJwt
from credstack.core.proofs.cryptosuites.vc_cose import CoseSign1
from credstack.core.status import StatusListCredential
from credstack.core.verification.checks import Refusal
from credstack.core.verification.data_model import ResourceReader
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.proofs import LinkedDataState, Signer
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES, Subject
from credstack.core.verification.report import Check, VerificationReport

__all__ = ["BITSTRING_ENTRY", "CREDENTIAL", "ENVELOPED_TYPE", "JWT_DATA_URL", "JWT_DATA_URLS",
           "SD_JWT_DATA_URLS", "CheckStep",
           "CredentialVerifier", "StatusListFetcher", "VerificationState", "issuer_id"]

ENVELOPED_TYPE: Final = "EnvelopedVerifiableCredential"
JWT_DATA_URL: Final = "data:application/vc+jwt,"
#: Data URLs of an enveloped VC-JWT: VC-JOSE-COSE's media type, and the generic JWT one (the
#: W3C VC Data Model 2.0 test suite writes it).
JWT_DATA_URLS: Final = (JWT_DATA_URL, "data:application/jwt,")
#: Data URLs of an enveloped credential secured with SD-JWT (VC-JOSE-COSE, SD-JWT VC).
SD_JWT_DATA_URLS: Final = ("data:application/vc+sd-jwt,", "data:application/dc+sd-jwt,")
BITSTRING_ENTRY: Final = "BitstringStatusListEntry"

#: A credential, as the messages of its checks name it.
CREDENTIAL: Final = Subject("verification.subject.credential", MAX_CREDENTIAL_BYTES,
                            forms="verification.subject.forms.credential")


class CredentialVerifier(Protocol):
    """A credential (as it appears in a presentation or a CLR) → its verification report.

    Never raises for anything about the credential: like
    :func:`~credstack.core.verification.verify_credential`, it reports.
    """

    def __call__(self, credential: Any, /) -> VerificationReport: ...


class StatusListFetcher(Protocol):
    """Status list credential URL → the credential (a JSON object), or ``None``: not found.

    Raises a :class:`~credstack.errors.CredstackError` (or ``OSError``) when it cannot fetch.
    """

    def __call__(self, url: str, /) -> Mapping[str, Any] | None: ...


@dataclass(slots=True, kw_only=True)
class VerificationState(LinkedDataState):
    """What the credential steps share: the inputs and seams, then what earlier steps found.

    Steps read the facts earlier steps set (``credential`` after ``parse``, ``signers``
    after ``proof``) and set their own; a step whose input is missing reports itself as not
    checked rather than guessing.
    """

    fetch_status_list: StatusListFetcher | None
    programme_lookup: ProgrammeLookup
    #: The credential as a JSON object (for a JWT: its payload's credential).
    credential: dict[str, Any] | None = None
    #: ``json-ld`` (embedded proofs), ``vc+jwt`` or ``vc-jwt-1.1`` (the ``vc`` claim),
    #: ``vc+sd-jwt`` or ``dc+sd-jwt`` (an SD-JWT), ``vc+cose`` (a COSE_Sign1).
    format: str | None = None
    token: str | None = None
    jwt_header: dict[str, Any] = field(default_factory=dict)
    jwt_claims: dict[str, Any] = field(default_factory=dict)
    #: An SD-JWT, split, and what its disclosures disclose (the credential is its claims).
    sd_jwt: SdJwt | None = None
    disclosed: Disclosed | None = None
    #: A ``COSE_Sign1`` (``vc+cose``), split; the credential is its payload.
    cose: CoseSign1 | None = None
    #: The proofs that verified (``None`` until one did).
    signers: tuple[Signer, ...] | None = None
    #: Status list credentials fetched and verified in this run, by URL.
    status_lists: dict[str, StatusListCredential | Refusal] = field(default_factory=dict)
    #: Recognitions of an achievement (see :mod:`..recognition`); ``None``: none are looked up.
    recognition_lookup: Any = None
    #: The bytes of the resources credstack holds (its bundled contexts), for the digests of
    #: ``relatedResource`` (see :mod:`..data_model`); ``None``: none is held.
    read_resource: ResourceReader | None = None
    subject: ClassVar[Subject] = CREDENTIAL

    @property
    def document(self) -> dict[str, Any] | None:
        return self.credential


#: One step of the credential pipeline. A step returns ``None`` when it does not apply to the
#: credential at all (the recognition of an achievement this registry does not know): no
#: check is listed.
CheckStep = Callable[[VerificationState], Check | None]


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The id of the credential's issuer: the ``issuer`` URL, or its object's ``id``."""
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None
