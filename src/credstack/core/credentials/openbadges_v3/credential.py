"""A learner's Open Badges 3.0 credential of a programme version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credstack.core.credentials.openbadges_v3.profile import (
    _IDENTITY_TYPES,
    EXTENSION_CONTEXT_URL,
    OB_CONTEXT_URL,
    VC_CONTEXT_URL,
    IssuerProfile,
    _is_did,
    _is_http_url,
    _timestamp,
    identity_hash,
)
from credstack.core.descriptors.achievement import _require_uri, _text, build_achievement
from credstack.core.descriptors.models import (
    Award,
    IdentifierType,
    Programme,
)
from credstack.errors import InputError, Problem


def _subject(award: Award, salt: str | None, language: str) -> dict[str, Any]:
    learner = award.learner
    if learner is None:
        raise InputError("the award does not identify the learner", problems=[
            Problem("award.learner", "give the learner's name or an identifier")])
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    identities: list[dict[str, Any]] = []
    if learner.name is not None:
        names = learner.name.root
        first = _text(learner.name, language)
        for text in [first, *(t for t in names.values() if t != first)]:
            identities.append({
                "type": "IdentityObject",
                "identityHash": text,
                "identityType": "name",
                "hashed": False,
            })
    for identifier in learner.identifiers:
        value = identifier.value
        if "id" not in subject and (
            (identifier.type is IdentifierType.DID and _is_did(value))
            or (identifier.type is IdentifierType.URL and _is_http_url(value))
        ):
            subject["id"] = value
            continue
        identity: dict[str, Any] = {
            "type": "IdentityObject",
            "identityHash": identity_hash(value, salt) if salt is not None else value,
            "identityType": _IDENTITY_TYPES[identifier.type],
            "hashed": salt is not None,
        }
        if salt is not None:
            identity["salt"] = salt
        identities.append(identity)
    if identities:
        subject["identifier"] = identities
    return subject


def build_open_badge_credential(
    *,
    programme: Programme,
    award: Award,
    issuer: IssuerProfile,
    credential_id: str,
    achievement_id: str,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
    language: str = "ja",
    salt: str | None = None,
    creator_id: str | None = None,
    achievement: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` awarding ``programme`` to ``award.learner``.

    ``credential_id`` is the credential's URI (``urn:uuid:…``), ``achievement_id`` the stable
    URL of the programme version's achievement, ``valid_from``/``valid_until`` aware
    datetimes; the award's ``issued_on``, when given, is the credential's date of issue
    (``validFrom`` and ``awardedDate``, at midnight in ``valid_from``'s zone) in place of
    ``valid_from``, the moment of issuance. Texts in the standard's fields are in
    ``language`` (else English, else Japanese, else any); the extension keeps every
    language. ``salt`` hashes the learner's identifiers (see the module docstring).
    ``creator_id`` is the awarding body's profile id; by default it is the issuer's id when
    the issuer *is* the awarding body (its ``slug`` is the awarding body's), and otherwise
    no ``creator`` is written — never the issuer's id under another organisation's name.

    ``achievement``, when given, is the programme version's achievement as
    :func:`build_achievement` made it (for the same programme, id, creator and language):
    bulk issuance builds it once per cohort instead of once per learner (most of the cost
    of a credential). It is placed in the credential as it is, not copied — treat it, and
    every credential that holds it, as read-only.

    Raises :class:`~credstack.errors.InputError` naming the parameter or descriptor that
    cannot go into a credential.
    """
    _require_uri(credential_id, "credential_id")
    # One date of issue per credential: the day the issuer gave (a cohort row's issued_on)
    # is when the credential is valid from and awarded, on every artefact read from it —
    # not the later moment it was signed, which the proof's ``created`` keeps.
    if award.issued_on is not None:
        valid_from = dt.datetime.combine(award.issued_on, dt.time(), tzinfo=valid_from.tzinfo)
    starts = _timestamp(valid_from, "valid_from")
    subject = _subject(award, salt, language)
    if achievement is None:
        body = programme.awarding_body
        if creator_id is None and body is not None and issuer.slug == body.id:
            creator_id = issuer.id
        achievement = build_achievement(
            programme=programme,
            achievement_id=achievement_id,
            creator_id=creator_id,
            language=language,
        )
    elif achievement.get("id") != achievement_id:
        raise InputError("the prebuilt achievement is another one", problems=[
            Problem("achievement", f"its id is not achievement_id {achievement_id!r}")])
    subject["achievement"] = achievement
    if award.grade is not None:
        result: dict[str, Any] = {"type": ["Result"], "value": award.grade}
        if "resultDescription" in achievement:
            result["resultDescription"] = achievement["resultDescription"][0]["id"]
        subject["result"] = [result]
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_URL, OB_CONTEXT_URL, EXTENSION_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.to_profile(language),
        "validFrom": starts,
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until, "valid_until")
        if valid_until <= valid_from:
            raise InputError("the credential would expire before it is valid", problems=[
                Problem("valid_until", f"{valid_until.isoformat()} is not after valid_from")])
    credential["name"] = achievement["name"]
    credential["awardedDate"] = starts
    credential["credentialSubject"] = subject
    return credential
