"""The meaning step of a credential: what its achievement says (see :mod:`..meaning`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    descriptors_from_credential,
    learner_names,
)
from credstack.core.said import Said
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.json_values import instant, items
from credstack.core.verification.meaning import (
    achievement_meaning,
    conformance_of,
    meaning_check,
    nothing_to_read,
    registry_record,
    unreadable,
)
from credstack.core.verification.pipeline.seams import VerificationState, issuer_id
from credstack.core.verification.report import (
    Check,
    CheckKind,
    DescriptorSource,
    Identity,
    Meaning,
)
from credstack.errors import CredstackError, Problem

__all__ = ["check_meaning"]

#: Open Badges ``identityType`` → credstack identifier type (the inverse of the builder's).
_IDENTIFIER_TYPES: Final = {"emailAddress": "email", "sisSourcedId": "student-id",
                            "nationalIdentityNumber": "national-id"}


def _award(credential: Mapping[str, Any], subject: Mapping[str, Any]) -> dict[str, Any]:
    """The award (learner, date, grade) as the credential states it, for the descriptors."""
    learner: dict[str, Any] = {}
    identifiers: list[dict[str, str]] = []
    subject_id = subject.get("id")
    if isinstance(subject_id, str):
        kind = ("did" if subject_id.startswith("did:")
                else "url" if is_absolute_url(subject_id) else None)
        if kind is not None:
            identifiers.append({"type": kind, "value": subject_id})
    for identity in items(subject.get("identifier")):
        if not isinstance(identity, Mapping):
            continue
        value, kind = identity.get("identityHash"), identity.get("identityType")
        if not isinstance(value, str) or not value.strip() or not isinstance(kind, str):
            continue
        if kind == "name" and identity.get("hashed") is False and "name" not in learner:
            # The language of a name in a credential is not stated: "und" (undetermined).
            learner["name"] = {"und": value}
        elif kind != "name":
            identifiers.append({"type": _IDENTIFIER_TYPES.get(kind, "other"), "value": value})
    if identifiers:
        learner["identifiers"] = identifiers
    award: dict[str, Any] = {}
    if learner:
        award["learner"] = learner
    for name in ("awardedDate", "validFrom", "issuanceDate"):
        moment = instant(credential.get(name), require_zone=False)
        if moment is not None:
            award["issued_on"] = moment.date().isoformat()
            break
    for result in items(subject.get("result")):
        if isinstance(result, Mapping) and isinstance(result.get("value"), str):
            award["grade"] = result["value"]
            break
    return award


def _learner(subject: object) -> dict[str, Any]:
    """The learner as the subject states it: names, ``id``, other identifiers (a hashed one
    without its value)."""
    if not isinstance(subject, Mapping):
        return {}
    identities = []
    for item in items(subject.get("identifier")):
        if not isinstance(item, Mapping):
            continue
        kind, value = item.get("identityType"), item.get("identityHash")
        if not isinstance(kind, str) or not isinstance(value, str) or kind == "name":
            continue
        # Only a value the credential says is not hashed is the identifier itself.
        plain = item.get("hashed") is False
        identities.append(Identity(kind, value if plain else None, not plain))
    subject_id = subject.get("id")
    return {"learner_names": tuple(learner_names(subject)),
            "learner_id": subject_id if isinstance(subject_id, str) else None,
            "learner_identifiers": tuple(identities)}


def _read_meaning(state: VerificationState, credential: Mapping[str, Any]) -> Meaning:
    """What ``credential`` means: its achievement's descriptors, conformance, registry record."""
    types = tuple(json_values.types(credential.get("type")) or ())
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else None
    subject = next(iter(items(credential.get("credentialSubject"))), None)
    learner = _learner(subject)
    base = Meaning(types=types, issuer_id=issuer_id(credential),
                   issuer_name=issuer_name if isinstance(issuer_name, str) else None,
                   **learner)
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(subject, Mapping) or not isinstance(achievement, Mapping):
        return base
    achievement_id = achievement.get("id")
    achievement_id = achievement_id if isinstance(achievement_id, str) else None
    contexts = items(credential.get("@context"))
    source = (DescriptorSource.EXTENSION
              if EXTENSION_PROPERTY in achievement and EXTENSION_CONTEXT_URL in contexts
              else DescriptorSource.OPEN_BADGES)
    try:
        descriptors = descriptors_from_credential(credential)
    except (TypeError, ValueError, AttributeError, KeyError):
        # A foreign achievement whose fields have unexpected JSON types (a number where an
        # array of alignments belongs …): its meaning is unreadable, not an error.
        return dataclasses.replace(base, achievement_id=achievement_id, problems=(Problem(
            "credentialSubject.achievement",
            "its fields do not have the types Open Badges gives them"),))
    return dataclasses.replace(achievement_meaning(
        types=types, issuer_id=base.issuer_id, issuer_name=base.issuer_name,
        achievement=achievement, achievement_id=achievement_id, descriptors=descriptors,
        source=source, conformance=conformance_of(descriptors, _award(credential, subject),
                                                  source="credentialSubject.achievement"),
        registry=(registry_record(state.programme_lookup, achievement_id)
                  if achievement_id is not None else None)), **learner)


def check_meaning(state: VerificationState) -> Check:
    """``meaning`` (information): the MC descriptors, conformance per profile, the registry."""
    credential = state.credential
    if credential is None:
        return nothing_to_read(state.subject)
    try:
        meaning = _read_meaning(state, credential)
    except CredstackError as exc:
        return unreadable(state.subject, str(exc), exc.message)
    state.meaning = meaning
    if meaning.achievement_id is None and meaning.descriptors is None:
        return Check("meaning", None, "", "", {"types": list(meaning.types)},
                     kind=CheckKind.INFO, said=Said("verification.check.meaning.no_achievement"))
    return meaning_check(meaning)
