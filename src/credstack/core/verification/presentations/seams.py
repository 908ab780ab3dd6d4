"""What the presentation steps share: the credential-verifier seam, the state they pass along,
small readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.crypto import DocumentLoader
from credstack.core.types import is_absolute_url
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.pipeline import MethodResolver, Signer, VerificationKey
from credstack.core.verification.report import Check, VerificationReport

#: The proof purpose of a presentation's proof: the holder authenticates itself.
AUTHENTICATION: Final = "authentication"


#: The largest presentation read (UTF-8 bytes of its JSON): room for a few credentials.
MAX_PRESENTATION_BYTES: Final = 4 * 1024 * 1024


VP_TYPE: Final = "VerifiablePresentation"


ENVELOPED_VP_TYPE: Final = "EnvelopedVerifiablePresentation"


VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"


VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"


DATA_INTEGRITY_PROOF: Final = "DataIntegrityProof"


#: A short title per check of a presentation, in English and Japanese. The credential checks'
#: titles (:data:`~.report.CHECK_TITLES`) speak of a credential; these of a presentation.
PRESENTATION_CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    "parse": ("Readable presentation", "プレゼンテーションの読み取り"),
    "data-model": ("Data model", "データモデル"),
    "contexts": ("JSON-LD contexts", "JSON-LD コンテキスト"),
    "proof": ("Proof (holder's signature)", "証明（提示者の署名）"),
    "challenge": ("Challenge", "チャレンジ"),
    "domain": ("Domain", "ドメイン"),
    "holder": ("Holder", "提示者（ホルダー）"),
    "credentials": ("Credentials in the presentation", "含まれる証明書"),
}


class CredentialVerifier(Protocol):
    """A credential inside the presentation (as it appears there) → its verification report.

    Never raises for anything about the credential: like
    :func:`~credstack.core.verification.verify_credential`, it reports.
    """

    def __call__(self, credential: Any, /) -> VerificationReport: ...


@dataclass(slots=True)
class PresentationState:
    """What the steps share: the inputs and seams, then what earlier steps found out."""

    input: object
    #: The challenge and domain the verifier asked for (``None``: not asked).
    challenge: str | None
    domain: str | None
    document_loader: DocumentLoader
    resolve_verification_method: MethodResolver
    verify_credential: CredentialVerifier
    now: dt.datetime
    #: The presentation as a JSON object, once read.
    presentation: dict[str, Any] | None = None
    #: The proofs that verified, with who signed each (``None`` until the proof check passed;
    #: empty for a presentation that has no proof and needed none).
    signed: tuple[tuple[Mapping[str, Any], Signer], ...] | None = None
    #: Resolved verification methods, so that no method is resolved twice.
    methods: dict[str, tuple[VerificationKey, str]] = field(default_factory=dict)
    credentials: tuple[VerificationReport, ...] = ()
    results: dict[str, Check] = field(default_factory=dict)


PresentationStep = Callable[[PresentationState], Check]


def _unread(name: str) -> Check:
    return _not_checked(name, "the presentation could not be read",
                        "プレゼンテーションを読み取れませんでした")


def _unsigned(name: str) -> Check:
    return _not_checked(name, "the presentation's proof did not verify",
                        "プレゼンテーションの証明（署名）を確認できませんでした")


def _holder_id(presentation: Mapping[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if is_absolute_url(holder) else None
