"""Verifiable Presentations: a holder's selection of credentials, signed for one verifier.

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ — §4.13 "Verifiable Presentations" (``@context``,
  ``id``, ``type`` ``VerifiablePresentation``, ``holder``, ``verifiableCredential``) and
  §4.13.1 "Enveloped Verifiable Credentials" (a VC-JWT carried as an
  ``EnvelopedVerifiableCredential``, :mod:`~credstack.core.credentials.embedding`).
* *Verifiable Credential Data Integrity 1.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-integrity/ — §2.1 "Proofs" (``challenge``, ``domain``),
  §2.2 "Proof Purposes" (the holder signs for ``authentication``), §4.2 "Add Proof".

:func:`build_presentation` puts the credentials in, each unchanged (each keeps its issuer's
proof); :func:`sign_presentation` adds the holder's proof for the ``challenge`` and ``domain``
the verifier sent — both required, since a presentation without them can be replayed to any
verifier. What the two make is what :mod:`credstack.core.verification.presentations` verifies.

Pure: the key, the time and the JSON-LD document loader are parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.credentials.embedding import embedded
from credstack.core.credentials.openbadges_v3 import VC_CONTEXT_URL
from credstack.core.crypto import DocumentLoader, KeyPair
from credstack.core.proofs import sign_data_integrity
from credstack.core.said import Said
from credstack.core.types import is_absolute_url
from credstack.errors import PresentationRequestError, Problem

__all__ = ["AUTHENTICATION", "VP_TYPE", "build_presentation", "sign_presentation"]

VP_TYPE: Final = "VerifiablePresentation"
#: The proof purpose of a holder's proof (Data Integrity §2.2).
AUTHENTICATION: Final = "authentication"


def _refuse(where: str, reason: str, **params: object) -> PresentationRequestError:
    """Refused at ``where`` for ``reason`` (``credentials.presentation.reason.…``, with
    ``params``): the error says the reason as a sentence, the problem as it is."""
    why = f"credentials.presentation.reason.{reason}"
    return PresentationRequestError(code="credentials.presentation.refused",
                                    params={"reason": Said(why, **params)},
                                    problems=[Problem(where, code=why, params=params)])


def _holder_did(holder: str) -> str:
    if not (isinstance(holder, str) and holder.startswith("did:") and is_absolute_url(holder)):
        raise _refuse("holder", "holder_not_did", holder=repr(holder))
    return holder


def build_presentation(credentials: Sequence[Mapping[str, Any] | str], *, holder: str,
                       presentation_id: str | None = None) -> dict[str, Any]:
    """The unsigned VC 2.0 ``VerifiablePresentation`` of ``credentials`` by ``holder`` (a DID).

    Each credential is a JSON credential with its proof (an object, or its JSON text), an
    ``EnvelopedVerifiableCredential``, or a VC-JWT (compact JWS text, then enveloped); each is
    carried unchanged. One that cannot be — an Open Badges 2.0 assertion, an unsecured or
    non-VC document — raises :class:`~credstack.errors.UnpresentableCredentialError` naming
    ``credentials[i]``. ``presentation_id`` (a URL such as ``urn:uuid:…``) is the optional
    ``id``. At least one credential is required.
    """
    did = _holder_did(holder)
    if not credentials:
        raise _refuse("credentials", "no_credentials")
    entries = [embedded(credential, index, into="presentation")
               for index, credential in enumerate(credentials)]
    presentation: dict[str, Any] = {"@context": [VC_CONTEXT_URL]}
    if presentation_id is not None:
        if not is_absolute_url(presentation_id):
            raise _refuse("id", "id_not_url", presentation_id=repr(presentation_id))
        presentation["id"] = presentation_id
    presentation["type"] = [VP_TYPE]
    presentation["holder"] = did
    presentation["verifiableCredential"] = entries
    return presentation


def _required(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _refuse(name, f"{name}_required")
    return value


def sign_presentation(presentation: Mapping[str, Any], *, key: KeyPair,
                      verification_method: str, challenge: str, domain: str,
                      created: dt.datetime, document_loader: DocumentLoader | None,
                      cryptosuite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    """``presentation`` with the holder's Data Integrity proof for ``authentication``,
    carrying the verifier's ``challenge`` and ``domain``.

    ``verification_method`` is the holder's key's (``did:key:z6Mk…#z6Mk…``) and must belong to
    the presentation's ``holder``; ``created`` is an aware datetime (written to the second,
    in UTC). ``document_loader`` serves the JSON-LD contexts (of the presentation and of
    every credential in it) and is required for ``eddsa-rdfc-2022``; ``eddsa-jcs-2022``
    needs none. Raises :class:`~credstack.errors.PresentationRequestError` when the
    challenge or the domain is missing or empty, or the method is not the holder's.
    """
    challenge = _required(challenge, "challenge")
    domain = _required(domain, "domain")
    kinds = presentation.get("type")
    if VP_TYPE not in (kinds if isinstance(kinds, list) else [kinds]):
        raise _refuse("type", "not_presentation", type=VP_TYPE)
    holder = presentation.get("holder")
    holder = holder.get("id") if isinstance(holder, Mapping) else holder
    controller = verification_method.partition("#")[0]
    if holder is not None and controller != holder:
        raise _refuse("verification_method", "not_holders_key", method=verification_method,
                      holder=holder)
    return sign_data_integrity(presentation, key=key, verification_method=verification_method,
                               cryptosuite=cryptosuite, created=created,
                               document_loader=document_loader, proof_purpose=AUTHENTICATION,
                               challenge=challenge, domain=domain)
