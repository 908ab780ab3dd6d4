"""1EdTech Comprehensive Learner Record 2.0: a learner's credentials bundled in one credential.

A ``ClrCredential`` (CLR 2.0 §8, https://www.imsglobal.org/spec/clr/v2p0/) is a Verifiable
Credential whose ``credentialSubject`` (a ``ClrSubject``) carries the learner's credentials
as issued — each keeps its own proof — in ``verifiableCredential``, and may list the
achievements they are about in ``achievement``. The CLR's issuer signs the whole bundle.

Nested credentials secured as JSON (Data Integrity) stay the JSON objects they are; a
credential secured as a VC-JWT is carried as a VC 2.0 ``EnvelopedVerifiableCredential``
(``id`` = ``data:application/vc+jwt,<compact JWS>``), so every entry of the array is an
object and each one still verifies on its own (:mod:`~credstack.core.credentials.embedding`;
an Open Badges 2.0 assertion, which is no Verifiable Credential, is refused). The CLR 2.0
JSON Schema's ``VerifiableCredential`` requires ``issuer``, ``validFrom`` and
``credentialSubject``, which an envelope does not show: a CLR holding a VC-JWT is a valid
VC 2.0 credential that the 1EdTech schema validation flags at that entry.

Every nested credential must be about the CLR's learner (:func:`learner_mismatches`): the
same subject ``id``, or an OB 3.0 ``IdentityObject`` naming the same person — equal plain
values, a plain value that hashes (with the other's salt) to the other's ``identityHash``,
or equal hashes with equal salts. Names are not identities. ``association`` entries (CLR 2.0
§8 ``Association``) relate two achievements of the CLR by one of the ``AssociationType``
values (:func:`association_problems`).

Pure: the caller gives the time, and signs the result.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.credentials.embedding import (
    ENVELOPED_TYPE,
    JWT_DATA_URL,
    embedded,
    enveloped,
)
from credstack.core.credentials.issue_requests import VC_V2_CONTEXT_URL
from credstack.core.credentials.openbadges_v3 import OB_CONTEXT_URL, IssuerProfile, identity_hash
from credstack.core.credentials.type_names import type_names
from credstack.errors import InputError, MalformedCredentialError, Problem

__all__ = [
    "ASSOCIATION_TYPES",
    "CLR_CONTEXT_URL",
    "CLR_TYPE",
    "ENVELOPED_TYPE",
    "JWT_DATA_URL",
    "Learner",
    "achievement_ids",
    "association_problems",
    "associations_of",
    "build_clr_credential",
    "enveloped",
    "jwt_payload",
    "learner_identities",
    "learner_mismatches",
    "learner_of",
    "learner_subject",
    "nested_credentials",
    "parsed_document",
    "structure_problems",
    "subjects_of",
]

CLR_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPE: Final = "ClrCredential"
CLR_SUBJECT_TYPE: Final = "ClrSubject"
CONTEXTS: Final = (VC_V2_CONTEXT_URL, CLR_CONTEXT_URL, OB_CONTEXT_URL)
ASSOCIATION_TYPE: Final = "Association"
IDENTITY_OBJECT_TYPE: Final = "IdentityObject"
#: CLR 2.0 §8 ``AssociationType``, as the ClrCredential JSON Schema enumerates it.
ASSOCIATION_TYPES: Final = frozenset({
    "exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo",
    "precedes", "replacedBy"})
#: An ``identityType`` that does not identify a person on its own (two learners share names).
_NOT_IDENTITIES: Final = frozenset({"name"})


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("valid_from must be an aware datetime")
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parsed_document(document: str) -> Mapping[str, Any] | str:
    """A credential given as text: its JSON object, or the text itself (a VC-JWT)."""
    text = document.strip()
    if text.startswith("{"):
        loaded = json.loads(text)
        if not isinstance(loaded, dict):
            raise InputError("a credential must be a JSON object or a VC-JWT")
        return loaded
    return text


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


def _readable(entry: Any) -> Mapping[str, Any] | None:
    """A nested credential as JSON: itself, or the (unverified) payload of its VC-JWT."""
    if isinstance(entry, str):
        token = entry
    elif isinstance(entry, Mapping):
        identifier = entry.get("id")
        if ENVELOPED_TYPE not in type_names(entry.get("type")):
            return entry
        if not isinstance(identifier, str) or not identifier.startswith(JWT_DATA_URL):
            return None
        token = identifier.removeprefix(JWT_DATA_URL)
    else:
        return None
    try:
        return jwt_payload(token)
    except MalformedCredentialError:
        return None


def subjects_of(entry: Any) -> list[Mapping[str, Any]]:
    """The ``credentialSubject`` objects of a nested credential (JSON, VC-JWT or enveloped)."""
    credential = _readable(entry)
    subjects = credential.get("credentialSubject") if credential is not None else None
    return [s for s in (subjects if isinstance(subjects, list) else [subjects])
            if isinstance(s, Mapping)]


def _achievements(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """The achievements the credentials are about, each once (by ``id``)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for subject in subjects_of(entry):
            achievement = subject.get("achievement")
            if isinstance(achievement, Mapping) and isinstance(achievement.get("id"), str):
                found.setdefault(achievement["id"], dict(achievement))
    return list(found.values())


def _extra_contexts(entries: Sequence[Any]) -> list[str]:
    """The contexts the credentials use beyond the CLR's own (an extension context …): the
    achievements copied into the CLR subject need them to expand, as in the credentials."""
    found: dict[str, None] = {}
    for entry in entries:
        credential = _readable(entry)
        contexts = credential.get("@context") if credential is not None else None
        for context in contexts if isinstance(contexts, list) else [contexts]:
            if isinstance(context, str) and context not in CONTEXTS:
                found.setdefault(context)
    return list(found)


# --- the learner ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Learner:
    """Who a CLR is about: a subject ``id``, ``IdentityObject`` values, and — when issuing —
    plain values the issuer knows (an e-mail address …), never written into a document."""

    id: str | None = None
    identifiers: tuple[Mapping[str, Any], ...] = ()
    known: tuple[str, ...] = ()


def _identities(subject: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = subject.get("identifier")
    return [item for item in (found if isinstance(found, list) else [found])
            if isinstance(item, Mapping) and isinstance(item.get("identityHash"), str)
            and item.get("identityType") not in _NOT_IDENTITIES]


def _hash_of(value: str, identity: Mapping[str, Any]) -> bool:
    """Whether plain ``value`` is what ``identity`` (hashed or plain) names."""
    target = identity["identityHash"]
    salt = identity.get("salt") if isinstance(identity.get("salt"), str) else None
    for candidate in dict.fromkeys([value, value.strip(), value.strip().lower()]):
        if identity.get("hashed") is True:
            if identity_hash(candidate, salt).lower() == target.lower():
                return True
        elif candidate == target or candidate.lower() == target.strip().lower():
            return True
    return False


def _same(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether two IdentityObjects name the same person (as far as can be told)."""
    kinds = (one.get("identityType"), other.get("identityType"))
    if None not in kinds and kinds[0] != kinds[1]:
        return False
    if one.get("hashed") is not True:
        return _hash_of(one["identityHash"], other)
    if other.get("hashed") is not True:
        return _hash_of(other["identityHash"], one)
    # Two hashes can only be compared when they were made with the same salt.
    return (one.get("salt") == other.get("salt")
            and one["identityHash"].lower() == other["identityHash"].lower())


def learner_identities(learner: Learner, subject: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The subject's IdentityObjects that name ``learner``."""
    return [identity for identity in _identities(subject)
            if any(_hash_of(value, identity) for value in learner.known)
            or any(_same(identity, mine) for mine in learner.identifiers
                   if isinstance(mine.get("identityHash"), str))]


def _about(learner: Learner, entry: Any) -> bool:
    for subject in subjects_of(entry):
        found = subject.get("id")
        if found is not None and (found == learner.id or found in learner.known):
            return True
        # The learner's other ids (another DID of theirs …) are IdentityObjects of the CLR.
        if isinstance(found, str) and any(
                _hash_of(found, identity) for identity in learner.identifiers
                if isinstance(identity.get("identityHash"), str)):
            return True
        if learner_identities(learner, subject):
            return True
    return False


def learner_mismatches(learner: Learner, entries: Sequence[Any]) -> list[int]:
    """The indexes of the credentials whose subject is not ``learner``."""
    return [index for index, entry in enumerate(entries) if not _about(learner, entry)]


def learner_subject(learner: Learner, credentials: Sequence[Any]
                    ) -> tuple[str | None, list[Mapping[str, Any]]]:
    """The ``id`` and ``identifier`` list of a CLR subject for ``learner``, from the
    credentials about them, so that a verifier — who knows only what the CLR says — finds
    every credential about its learner (:func:`learner_of`, :func:`learner_mismatches`).

    The id is ``learner.id``, or else the first subject ``id`` that is one of the learner's
    ``known`` values. The identifiers are ``learner.identifiers``, every IdentityObject of
    the credentials that names the learner (as it is: hashed, with its salt), and a plain
    ``identifier`` IdentityObject for every other subject ``id`` among the ``known`` values.
    """
    subject_id = learner.id
    identifiers: dict[str, Mapping[str, Any]] = {
        json.dumps(item, sort_keys=True): item for item in learner.identifiers}
    other_ids: dict[str, None] = {}
    for credential in credentials:
        for subject in subjects_of(credential):
            found = subject.get("id")
            if isinstance(found, str) and found in learner.known:
                if subject_id is None:
                    subject_id = found
                elif found != subject_id:
                    other_ids.setdefault(found)
            for identity in learner_identities(learner, subject):
                identifiers.setdefault(json.dumps(identity, sort_keys=True), identity)
    for other in other_ids:
        identity = {"type": IDENTITY_OBJECT_TYPE, "identityType": "identifier",
                    "hashed": False, "identityHash": other}
        identifiers.setdefault(json.dumps(identity, sort_keys=True), identity)
    return subject_id, list(identifiers.values())


def learner_of(document: Mapping[str, Any]) -> Learner:
    """The learner a ``ClrCredential`` names (its subject's ``id`` and identifiers)."""
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return Learner()
    subject_id = subject.get("id")
    return Learner(subject_id if isinstance(subject_id, str) else None,
                   tuple(_identities(subject)))


# --- associations ---------------------------------------------------------------------------

def achievement_ids(document: Mapping[str, Any]) -> set[str]:
    """The ids of the achievements a CLR holds: its own list and its credentials' ones."""
    subject = document.get("credentialSubject")
    listed = subject.get("achievement") if isinstance(subject, Mapping) else None
    found = {item["id"] for item in (listed if isinstance(listed, list) else [listed])
             if isinstance(item, Mapping) and isinstance(item.get("id"), str)}
    found |= {item["id"] for item in _achievements(nested_credentials(document))}
    return found


def association_problems(associations: Sequence[Any], achievements: set[str],
                         where: str = "credentialSubject.association") -> list[Problem]:
    """What is wrong with each ``Association`` (empty: nothing): its type, its two ends."""
    problems: list[Problem] = []
    for index, association in enumerate(associations):
        at = f"{where}[{index}]"
        if not isinstance(association, Mapping):
            problems.append(Problem(at, "must be an Association object"))
            continue
        if ASSOCIATION_TYPE not in type_names(association.get("type")):
            problems.append(Problem(f"{at}.type", f"must be {ASSOCIATION_TYPE}"))
        kind = association.get("associationType")
        if kind not in ASSOCIATION_TYPES:
            problems.append(Problem(f"{at}.associationType", f"{kind!r} is not one of "
                                    f"{', '.join(sorted(ASSOCIATION_TYPES))}"))
        for end in ("sourceId", "targetId"):
            value = association.get(end)
            if not isinstance(value, str):
                problems.append(Problem(f"{at}.{end}", "must be an achievement id"))
            elif value not in achievements:
                problems.append(Problem(f"{at}.{end}",
                                        f"{value} is not an achievement in this CLR"))
    return problems


def associations_of(document: Mapping[str, Any]) -> list[Any]:
    """The ``association`` entries of a CLR's subject (empty when there are none)."""
    subject = document.get("credentialSubject")
    found = subject.get("association") if isinstance(subject, Mapping) else None
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def build_clr_credential(credentials: Sequence[Mapping[str, Any] | str], *,
                         issuer: IssuerProfile | Mapping[str, Any], clr_id: str,
                         valid_from: dt.datetime,
                         name: str, subject_id: str | None = None,
                         identifiers: Sequence[Mapping[str, Any]] = (),
                         language: str = "en",
                         valid_until: dt.datetime | None = None,
                         associations: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The unsigned ``ClrCredential`` bundling ``credentials`` (JSON objects or VC-JWTs).

    ``issuer`` is an organisation's profile, or an OB 3.0 ``Profile`` object as it is (a
    learner's own, see :mod:`~credstack.core.credentials.holder_clr`). Each credential is
    carried as :func:`~credstack.core.credentials.embedding.embedded` says; one that cannot
    be (an Open Badges 2.0 assertion, an unsecured document) raises
    :class:`~credstack.errors.UnpresentableCredentialError`, naming its index.
    ``subject_id`` is the learner's id (a DID or URI) when there is one; ``identifiers`` are
    OB 3.0 ``IdentityObject`` values naming the learner (CLR 2.0 needs one or the other).
    Every credential must be about that learner, and every association must relate two of
    the bundled achievements (``type`` defaults to ``Association``); otherwise
    :class:`MalformedCredentialError`, naming the credential's index or the association.
    """
    if not credentials:
        raise MalformedCredentialError("a CLR bundles at least one credential",
                                       problems=[Problem("credentials", "empty")])
    if subject_id is None and not identifiers:
        raise MalformedCredentialError("a CLR must name its learner (an id or an identifier)",
                                       problems=[Problem("credentialSubject", "no learner")])
    entries = [embedded(credential, index, into="clr")
               for index, credential in enumerate(credentials)]
    learner = Learner(subject_id, tuple(identifiers))
    strangers = learner_mismatches(learner, entries)
    if strangers:
        named = ", ".join(f"credentials[{index}]" for index in strangers)
        raise MalformedCredentialError(
            f"every credential in a CLR must be about its learner, and these are not: {named}",
            problems=[Problem(f"credentials[{index}]", "its subject is not the CLR's learner")
                      for index in strangers])
    subject: dict[str, Any] = {"type": [CLR_SUBJECT_TYPE]}
    if subject_id is not None:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = [dict(identifier) for identifier in identifiers]
    subject["verifiableCredential"] = entries
    achievements = _achievements(entries)
    if achievements:
        subject["achievement"] = achievements
    if associations:
        given = [{"type": ASSOCIATION_TYPE, **association}
                 if isinstance(association, Mapping) and "type" not in association
                 else association for association in associations]
        problems = association_problems(given, {a["id"] for a in achievements}, "associations")
        if problems:
            raise MalformedCredentialError("an association does not relate two achievements "
                                           "of the CLR", problems=problems)
        subject["association"] = [dict(association) for association in given]
    document: dict[str, Any] = {
        "@context": [*CONTEXTS, *_extra_contexts(entries)],
        "id": clr_id,
        "type": ["VerifiableCredential", CLR_TYPE],
        "issuer": (issuer.to_profile(language) if isinstance(issuer, IssuerProfile)
                   else dict(issuer)),
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
    types = type_names(document.get("type"))
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
    if CLR_SUBJECT_TYPE not in type_names(subject.get("type")):
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
