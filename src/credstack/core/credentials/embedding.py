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
from typing import Any, Final

from credstack.core.credentials.openbadges_v2 import CONTEXT_URLS as OB2_CONTEXT_URLS
from credstack.core.credentials.openbadges_v2 import class_of, read_jws, types_of
from credstack.core.credentials.openbadges_v3 import VC_CONTEXT_URL
from credstack.errors import MalformedCredentialError, Problem, UnpresentableCredentialError

__all__ = ["ENVELOPED_TYPE", "JWT_DATA_URL", "embedded", "enveloped", "is_ob2_assertion"]

ENVELOPED_TYPE: Final = "EnvelopedVerifiableCredential"
JWT_DATA_URL: Final = "data:application/vc+jwt,"
_VC_TYPE: Final = "VerifiableCredential"
#: A compact JWS: three base64url parts (the signature may be empty: ``alg: none``).
_JWS: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


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


def _refuse(index: int, reason_en: str, reason_ja: str, into_en: str, into_ja: str
            ) -> UnpresentableCredentialError:
    where = f"credentials[{index}]"
    return UnpresentableCredentialError(
        f"{where} cannot go in {into_en}: {reason_en}. / "
        f"{where} は{into_ja}に含められません：{reason_ja}。",
        problems=[Problem(where, reason_en)])


def _ob2(index: int, into_en: str, into_ja: str) -> UnpresentableCredentialError:
    return _refuse(index, "it is an Open Badges 2.0 assertion, not a Verifiable Credential",
                   "Open Badges 2.0 のアサーションは検証可能な証明（Verifiable Credential）では"
                   "ありません", into_en, into_ja)


def _from_text(text: str, index: int, into_en: str, into_ja: str) -> dict[str, Any]:
    token = text.strip()
    if token.startswith("{"):
        try:
            loaded = json.loads(token)
        except (ValueError, RecursionError):
            loaded = None
        if isinstance(loaded, dict):
            return _from_object(loaded, index, into_en, into_ja)
    if not _JWS.fullmatch(token):
        raise _refuse(index, "it is neither a JSON credential nor a VC-JWT (a compact JWS)",
                      "JSON の証明でも VC-JWT（JWS）でもありません", into_en, into_ja)
    try:
        payload = read_jws(token).payload
    except MalformedCredentialError:
        raise _refuse(index, "its JWS payload is not a JSON object",
                      "JWS のペイロードが JSON オブジェクトではありません",
                      into_en, into_ja) from None
    if is_ob2_assertion(payload):
        raise _ob2(index, into_en, into_ja)
    # A VC Data Model 1.1 VC-JWT holds the credential in its ``vc`` claim; a 2.0 one
    # (``vc+jwt``) is the credential.
    claimed = payload.get("vc", payload)
    if not isinstance(claimed, Mapping) or _VC_TYPE not in types_of(claimed):
        raise _refuse(index, "its JWS does not hold a Verifiable Credential",
                      "JWS に検証可能な証明（Verifiable Credential）が含まれていません",
                      into_en, into_ja)
    return enveloped(token)


def _from_object(credential: Mapping[str, Any], index: int, into_en: str, into_ja: str
                 ) -> dict[str, Any]:
    if is_ob2_assertion(credential):
        raise _ob2(index, into_en, into_ja)
    types = types_of(credential)
    if ENVELOPED_TYPE in types:
        return dict(credential)
    if _VC_TYPE not in types:
        raise _refuse(index, "its type does not include VerifiableCredential",
                      "type に VerifiableCredential が含まれていません", into_en, into_ja)
    if "proof" not in credential:
        raise _refuse(index, "it has no proof (an unsecured credential proves nothing)",
                      "証明（proof）がありません", into_en, into_ja)
    return dict(credential)


def embedded(credential: Mapping[str, Any] | str, index: int, *, into_en: str,
             into_ja: str) -> dict[str, Any]:
    """The object that carries ``credential`` (the ``index``-th given) inside a presentation
    or a CLR: a JSON credential as it is (a shallow copy), a VC-JWT enveloped.

    ``into_en`` / ``into_ja`` name the container in the error (``"a presentation"``,
    ``"プレゼンテーション"``). Raises :class:`~credstack.errors.UnpresentableCredentialError`
    for what cannot be carried (see the module docstring).
    """
    if isinstance(credential, str):
        return _from_text(credential, index, into_en, into_ja)
    if not isinstance(credential, Mapping):
        raise _refuse(index, "it is neither a JSON object nor a VC-JWT",
                      "JSON オブジェクトでも VC-JWT でもありません", into_en, into_ja)
    return _from_object(credential, index, into_en, into_ja)
