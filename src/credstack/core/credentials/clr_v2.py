"""1EdTech Comprehensive Learner Record 2.0: a learner's credentials bundled in one credential.

A ``ClrCredential`` (CLR 2.0 §8, https://www.imsglobal.org/spec/clr/v2p0/) is a Verifiable
Credential whose ``credentialSubject`` (a ``ClrSubject``) carries the learner's credentials
as issued — each keeps its own proof — in ``verifiableCredential``, and may list the
achievements they are about in ``achievement``. The CLR's issuer signs the whole bundle.

Nested credentials secured as JSON (Data Integrity) stay the JSON objects they are; a
credential secured as a VC-JWT is carried as a VC 2.0 ``EnvelopedVerifiableCredential``
(``id`` = ``data:application/vc+jwt,<compact JWS>``), so every entry of the array is an
object and each one still verifies on its own.

Pure: the caller gives the time, and signs the result.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.credentials.issue_requests import VC_V2_CONTEXT_URL
from credstack.core.credentials.openbadges_v3 import OB_CONTEXT_URL, IssuerProfile
from credstack.errors import MalformedCredentialError, Problem

__all__ = [
    "CLR_CONTEXT_URL",
    "CLR_TYPE",
    "ENVELOPED_TYPE",
    "JWT_DATA_URL",
    "build_clr_credential",
    "enveloped",
    "jwt_payload",
    "nested_credentials",
    "structure_problems",
]

CLR_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPE: Final = "ClrCredential"
CLR_SUBJECT_TYPE: Final = "ClrSubject"
ENVELOPED_TYPE: Final = "EnvelopedVerifiableCredential"
JWT_DATA_URL: Final = "data:application/vc+jwt,"
CONTEXTS: Final = (VC_V2_CONTEXT_URL, CLR_CONTEXT_URL, OB_CONTEXT_URL)


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("valid_from must be an aware datetime")
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def enveloped(jws: str) -> dict[str, Any]:
    """A VC-JWT as a VC 2.0 ``EnvelopedVerifiableCredential``."""
    return {"@context": VC_V2_CONTEXT_URL, "id": f"{JWT_DATA_URL}{jws}", "type": ENVELOPED_TYPE}


def jwt_payload(token: str) -> dict[str, Any]:
    """The payload of a compact JWS, *unverified* (to read what a VC-JWT says)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise MalformedCredentialError("not a compact JWS")
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise MalformedCredentialError(f"the JWS payload is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise MalformedCredentialError("the JWS payload is not a JSON object")
    credential = payload.get("vc", payload)
    return credential if isinstance(credential, dict) else payload


def _types(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _entry(credential: Mapping[str, Any] | str, index: int) -> dict[str, Any]:
    if isinstance(credential, str):
        jws = credential.strip()
        if jws.count(".") != 2:
            raise MalformedCredentialError(
                "a nested credential given as text must be a compact JWS (a VC-JWT)",
                problems=[Problem(f"credentials[{index}]", "not a compact JWS")])
        return enveloped(jws)
    if not isinstance(credential, Mapping):
        raise MalformedCredentialError("a nested credential must be a JSON object or a VC-JWT",
                                       problems=[Problem(f"credentials[{index}]", "wrong type")])
    types = _types(credential.get("type"))
    if ENVELOPED_TYPE not in types and "proof" not in credential:
        raise MalformedCredentialError(
            "a nested credential must be secured (a proof or an enveloped VC-JWT)",
            problems=[Problem(f"credentials[{index}]", "no proof")])
    return dict(credential)


def _achievements(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The achievements the JSON credentials are about, each once (by ``id``)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        subjects = entry.get("credentialSubject")
        for subject in subjects if isinstance(subjects, list) else [subjects]:
            achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
            if isinstance(achievement, Mapping) and isinstance(achievement.get("id"), str):
                found.setdefault(achievement["id"], dict(achievement))
    return list(found.values())


def build_clr_credential(credentials: Sequence[Mapping[str, Any] | str], *,
                         issuer: IssuerProfile, clr_id: str, valid_from: dt.datetime,
                         name: str, subject_id: str | None = None,
                         identifiers: Sequence[Mapping[str, Any]] = (),
                         language: str = "en",
                         valid_until: dt.datetime | None = None) -> dict[str, Any]:
    """The unsigned ``ClrCredential`` bundling ``credentials`` (JSON objects or VC-JWTs).

    ``subject_id`` is the learner's id (a DID or URI) when there is one; ``identifiers`` are
    OB 3.0 ``IdentityObject`` values naming the learner (CLR 2.0 needs one or the other).
    """
    if not credentials:
        raise MalformedCredentialError("a CLR bundles at least one credential",
                                       problems=[Problem("credentials", "empty")])
    if subject_id is None and not identifiers:
        raise MalformedCredentialError("a CLR must name its learner (an id or an identifier)",
                                       problems=[Problem("credentialSubject", "no learner")])
    entries = [_entry(credential, index) for index, credential in enumerate(credentials)]
    subject: dict[str, Any] = {"type": [CLR_SUBJECT_TYPE]}
    if subject_id is not None:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = [dict(identifier) for identifier in identifiers]
    subject["verifiableCredential"] = entries
    achievements = _achievements([e for e in entries if ENVELOPED_TYPE not in _types(e["type"])])
    if achievements:
        subject["achievement"] = achievements
    document: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": clr_id,
        "type": ["VerifiableCredential", CLR_TYPE],
        "issuer": issuer.to_profile(language),
        "name": name,
        "validFrom": _stamp(valid_from),
    }
    if valid_until is not None:
        document["validUntil"] = _stamp(valid_until)
    document["credentialSubject"] = subject
    return document


def nested_credentials(document: Mapping[str, Any]) -> list[Any]:
    """The entries of ``credentialSubject.verifiableCredential`` (empty when there are none)."""
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return []
    entries = subject.get("verifiableCredential")
    if isinstance(entries, list):
        return entries
    return [entries] if entries is not None else []


def structure_problems(document: Mapping[str, Any]) -> list[Problem]:
    """What keeps ``document`` from being a CLR 2.0 ``ClrCredential`` (empty: nothing)."""
    problems: list[Problem] = []
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if not contexts or contexts[0] != VC_V2_CONTEXT_URL:
        problems.append(Problem("@context", f"must start with {VC_V2_CONTEXT_URL}"))
    if not any(isinstance(c, str) and c.startswith("https://purl.imsglobal.org/spec/clr/v2p0/")
               for c in contexts):
        problems.append(Problem("@context", f"must include {CLR_CONTEXT_URL}"))
    types = _types(document.get("type"))
    for wanted in ("VerifiableCredential", CLR_TYPE):
        if wanted not in types:
            problems.append(Problem("type", f"must include {wanted}"))
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        problems.append(Problem("issuer", "missing issuer id"))
    for field in ("validFrom", "name"):
        if not isinstance(document.get(field), str):
            problems.append(Problem(field, "missing"))
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping):
        problems.append(Problem("credentialSubject", "must be a ClrSubject object"))
        return problems
    if CLR_SUBJECT_TYPE not in _types(subject.get("type")):
        problems.append(Problem("credentialSubject.type", f"must include {CLR_SUBJECT_TYPE}"))
    if "id" not in subject and not subject.get("identifier"):
        problems.append(Problem("credentialSubject", "needs an id or an identifier"))
    entries = nested_credentials(document)
    if not entries:
        problems.append(Problem("credentialSubject.verifiableCredential", "empty or missing"))
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            problems.append(Problem(f"credentialSubject.verifiableCredential[{index}]",
                                    "must be a JSON object"))
    return problems
