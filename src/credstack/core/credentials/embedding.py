"""A secured credential carried inside another document: a presentation's
``verifiableCredential``, or a CLR's ``credentialSubject.verifiableCredential``.

*Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-data-model-2.0/ — §4.13 "Verifiable Presentations" (what
``verifiableCredential`` holds: verifiable credentials, each an object) and §4.13.1
"Enveloped Verifiable Credentials" (a credential secured by an enveloping proof, such as a
VC-JWT, is carried as an ``EnvelopedVerifiableCredential`` whose ``id`` is a ``data:`` URL of
the secured credential: ``data:application/vc+jwt,<compact JWS>``, the media type of
*Securing Verifiable Credentials using JOSE and COSE* §3.1.1).

:func:`embedded` checks one credential and gives the object to carry: a JSON credential with
its embedded proof unchanged, or a VC-JWT enveloped. Refused, naming the credential by its
index, with :class:`~credstack.errors.UnpresentableCredentialError`:

* an Open Badges 2.0 assertion (hosted JSON, or a signed badge: a JWS whose payload is one) —
  it is not a Verifiable Credential, so neither a presentation nor a CLR can hold it;
* a JSON document without a proof (nothing would let the verifier trust it), or whose
  ``type`` does not include ``VerifiableCredential``;
* text that is neither a compact JWS of a credential nor JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias

from credstack.core.credentials.openbadges_v2 import CONTEXT_URLS as OB2_CONTEXT_URLS
from credstack.core.credentials.openbadges_v2 import class_of, read_jws, types_of
from credstack.core.credentials.openbadges_v3 import VC_CONTEXT_URL
from credstack.core.said import Said
from credstack.errors import MalformedCredentialError, Problem, UnpresentableCredentialError

__all__ = ["ENVELOPED_TYPE", "JWT_DATA_URL", "embedded", "enveloped", "is_ob2_assertion"]

ENVELOPED_TYPE: Final = "EnvelopedVerifiableCredential"
JWT_DATA_URL: Final = "data:application/vc+jwt,"
_VC_TYPE: Final = "VerifiableCredential"
#: A compact JWS: three base64url parts (the signature may be empty: ``alg: none``).
_JWS: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
#: What a credential is carried in (``credentials.embedding.into.…``).
Into: TypeAlias = Literal["presentation", "clr"]


def enveloped(jws: str) -> dict[str, Any]:
    """A VC-JWT as a VC 2.0 ``EnvelopedVerifiableCredential``."""
    return {"@context": VC_CONTEXT_URL, "id": f"{JWT_DATA_URL}{jws}", "type": ENVELOPED_TYPE}


def is_ob2_assertion(document: Mapping[str, Any]) -> bool:
    """Whether a JSON object is an Open Badges 2.0 assertion (by its context or its type)."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(item, str) and item.rstrip("/") in OB2_CONTEXT_URLS for item in contexts):
        return True
    return class_of(document) == "Assertion" and _VC_TYPE not in types_of(document)


def _refuse(index: int, reason: str, into: Into) -> UnpresentableCredentialError:
    """``credentials[index]`` cannot go in ``into``, for ``reason`` (a message key of
    ``credentials.embedding.reason.…``, the problem's words too)."""
    where = f"credentials[{index}]"
    why = f"credentials.embedding.reason.{reason}"
    return UnpresentableCredentialError(
        code="credentials.embedding.refused",
        params={"where": where, "into": Said(f"credentials.embedding.into.{into}"),
                "reason": Said(why)},
        problems=[Problem(where, code=why)])


def _from_text(text: str, index: int, into: Into) -> dict[str, Any]:
    token = text.strip()
    if token.startswith("{"):
        try:
            loaded = json.loads(token)
        except (ValueError, RecursionError):
            loaded = None
        if isinstance(loaded, dict):
            return _from_object(loaded, index, into)
    if not _JWS.fullmatch(token):
        raise _refuse(index, "not_credential_text", into)
    try:
        payload = read_jws(token).payload
    except MalformedCredentialError:
        raise _refuse(index, "jws_payload", into) from None
    if is_ob2_assertion(payload):
        raise _refuse(index, "ob2", into)
    # A VC Data Model 1.1 VC-JWT holds the credential in its ``vc`` claim; a 2.0 one
    # (``vc+jwt``) is the credential.
    claimed = payload.get("vc", payload)
    if not isinstance(claimed, Mapping) or _VC_TYPE not in types_of(claimed):
        raise _refuse(index, "jws_no_credential", into)
    return enveloped(token)


def _from_object(credential: Mapping[str, Any], index: int, into: Into) -> dict[str, Any]:
    if is_ob2_assertion(credential):
        raise _refuse(index, "ob2", into)
    types = types_of(credential)
    if ENVELOPED_TYPE in types:
        return dict(credential)
    if _VC_TYPE not in types:
        raise _refuse(index, "no_vc_type", into)
    if "proof" not in credential:
        raise _refuse(index, "no_proof", into)
    return dict(credential)


def embedded(credential: Mapping[str, Any] | str, index: int, *, into: Into) -> dict[str, Any]:
    """The object that carries ``credential`` (the ``index``-th given) inside a presentation
    or a CLR (``into``, which the error names): a JSON credential as it is (a shallow copy),
    a VC-JWT enveloped.

    Raises :class:`~credstack.errors.UnpresentableCredentialError` for what cannot be
    carried (see the module docstring): the code ``credentials.embedding.refused``, with
    ``where``, ``into`` and ``reason`` said.
    """
    if isinstance(credential, str):
        return _from_text(credential, index, into)
    if not isinstance(credential, Mapping):
        raise _refuse(index, "not_object", into)
    return _from_object(credential, index, into)
