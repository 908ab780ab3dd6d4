"""One award in two generations of Open Badges: conversions between OB 3.0 and OB 2.0.

Texts:

* *Open Badges Specification v3.0*, 1EdTech, 27 May 2024 —
  https://www.imsglobal.org/spec/ob/v3p0/ (:mod:`~credstack.core.credentials.openbadges_v3`);
* *Open Badges v2.0*, IMS Final Release, 12 April 2018 —
  https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
  (:mod:`~credstack.core.credentials.openbadges_v2`);
* *Open Badges v3.0 Implementation Guide*, §"Migrating from OB 2.0, OB 2.1, and CLR 1.0" —
  https://www.imsglobal.org/spec/ob/v3p0/impl/ — the pattern followed for an OB 2.0 badge
  shown in OB 3.0: a new ``urn:uuid`` id, the original assertion linked as ``evidence`` typed
  ``https://w3id.org/openbadges#Assertion`` (a signed one embedded as a ``data:`` URI of its
  compact JWS), the BadgeClass linked from the achievement with ``related``, and no proof
  unless the issuer of the original signs it.

Two directions:

* :func:`assertion_from_credential` — the OB 2.0 ``Assertion`` of an award credstack issued
  as an OB 3.0 ``OpenBadgeCredential``: the same learner (the same salted hash of the same
  e-mail address: OB 3.0's ``IdentityHash`` *is* OB 2.0's), the same date of issuing, the
  same expiry. Its revocation state is the caller's to publish (the hosted assertion's
  ``revoked``, the issuer's ``RevocationList``).
* :func:`credential_from_assertion` — an OB 2.0 badge (the assertion with its BadgeClass and
  issuer Profile) as the *unsigned* ``OpenBadgeCredential`` it corresponds to. It never
  carries a proof: the OB 2.0 badge was verified, if at all, by OB 2.0 rules, and the
  credential says so in its evidence instead of claiming a signature it does not have.

Pure: ids are derived (UUID version 5 of the OB 2.0 ids, so a badge always converts to the
same credential); nothing is fetched, no clock is read.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    OB_CONTEXT_URL,
    VC_CONTEXT_URL,
)
from credstack.errors import InputError, Problem

__all__ = [
    "CONVERSION_NAMESPACE",
    "OB2_ASSERTION_TYPE",
    "OB2_BADGE_CLASS_TYPE",
    "assertion_from_credential",
    "credential_from_assertion",
]

#: The namespace of the UUIDs (version 5) that name converted credentials and achievements.
CONVERSION_NAMESPACE: Final = uuid.UUID("0b2c3a8e-6f1e-5d0b-9c4a-7e2f1b3d5a60")
#: Full IRIs of OB 2.0 classes, used as extra types in OB 3.0 documents (the OB 2.0 terms
#: are not in the OB 3.0 context).
OB2_ASSERTION_TYPE: Final = ob2.OB_VOCABULARY + "Assertion"
OB2_BADGE_CLASS_TYPE: Final = ob2.OB_VOCABULARY + "BadgeClass"

#: OB 2.0 recipient types and the OB 3.0 ``identityType`` of the same identifier.
_IDENTITY_TYPES: Final = {"email": "emailAddress", "url": "identifier", "id": "identifier",
                          "telephone": "ext:telephone"}
_EVIDENCE_FIELDS: Final = ("id", "narrative", "name", "description", "genre", "audience")


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- OB 3.0 → OB 2.0 ---------------------------------------------------------------------------

def _recipient(subject: Mapping[str, Any]) -> dict[str, Any]:
    """The OB 2.0 ``IdentityObject`` of an OB 3.0 subject: its e-mail, else its id."""
    for identity in _items(subject.get("identifier")):
        if not isinstance(identity, Mapping) or identity.get("identityType") != "emailAddress":
            continue
        value = identity.get("identityHash")
        if not isinstance(value, str):
            continue
        if identity.get("hashed") is True:
            recipient: dict[str, Any] = {"type": "email", "hashed": True, "identity": value}
            if isinstance(identity.get("salt"), str):
                recipient["salt"] = identity["salt"]
            return recipient
        return {"type": "email", "hashed": False, "identity": value}
    subject_id = subject.get("id")
    if isinstance(subject_id, str) and ob2.is_http_url(subject_id):
        return {"type": "url", "hashed": False, "identity": subject_id}
    if isinstance(subject_id, str) and subject_id.startswith("did:"):
        return {"type": "id", "hashed": False, "identity": subject_id}
    raise InputError("the learner has no identifier Open Badges 2.0 can name", problems=[
        Problem("credentialSubject", "an OB 2.0 recipient is an e-mail address, a URL, a "
                                     "telephone number or an id; this learner has none")])


def _evidence_v2(item: Any) -> Any:
    if isinstance(item, str):
        return item
    if not isinstance(item, Mapping):
        return None
    evidence = {key: item[key] for key in _EVIDENCE_FIELDS if isinstance(item.get(key), str)}
    return evidence or None


def assertion_from_credential(credential: Mapping[str, Any], *, assertion_id: str,
                              badge_id: str, verification: Mapping[str, Any]) -> dict[str, Any]:
    """The OB 2.0 ``Assertion`` of the award an OB 3.0 credential states.

    ``assertion_id`` is the hosted URL (``HostedBadge``) or the credential's own
    ``urn:uuid`` (``SignedBadge``); ``badge_id`` the URL of the programme version's
    BadgeClass; ``verification`` the assertion's verification object. Raises
    :class:`~credstack.errors.InputError` when the credential names no learner OB 2.0 can
    name or has no date of issuing.
    """
    subject = _first(credential.get("credentialSubject"))
    if not isinstance(subject, Mapping):
        raise InputError("the credential has no subject", problems=[
            Problem("credentialSubject", "an object is required")])
    issued = next((credential[name] for name in ("awardedDate", "validFrom", "issuanceDate")
                   if isinstance(credential.get(name), str)), None)
    if issued is None:
        raise InputError("the credential has no date of issuing", problems=[
            Problem("awardedDate", "an ISO 8601 date-time is required")])
    expires = next((credential[name] for name in ("validUntil", "expirationDate")
                    if isinstance(credential.get(name), str)), None)
    evidence = [converted for item in _items(credential.get("evidence"))
                if (converted := _evidence_v2(item)) is not None]
    return ob2.build_assertion(assertion_id=assertion_id, badge=badge_id,
                               recipient=_recipient(subject), issued_on=issued,
                               expires=expires, verification=verification, evidence=evidence)


# --- OB 2.0 → OB 3.0 ---------------------------------------------------------------------------

def _derived_id(source: str) -> str:
    return f"urn:uuid:{uuid.uuid5(CONVERSION_NAMESPACE, source)}"


def _timestamp(value: Any) -> Any:
    """An OB 2.0 DateTime in the form OB 3.0 requires (``dateTimeStamp``, UTC as ``Z``)."""
    moment = ob2.parse_datetime(value)
    if moment is None:
        return value
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _profile(issuer: Mapping[str, Any], issuer_id: str) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": issuer_id, "type": ["Profile"]}
    for name in ("name", "url", "email", "description"):
        if isinstance(issuer.get(name), str):
            profile[name] = issuer[name]
    if isinstance(issuer.get("telephone"), str):
        profile["phone"] = issuer["telephone"]
    return profile


def _image(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        return {"id": value, "type": "Image"}
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        image: dict[str, Any] = {"id": value["id"], "type": "Image"}
        if isinstance(value.get("caption"), str):
            image["caption"] = value["caption"]
        return image
    return None


def _related_achievement(badge: Mapping[str, Any]) -> str | None:
    """The OB 3.0 achievement a BadgeClass names as ``related`` (credstack links them)."""
    for item in _items(badge.get("related")):
        if (isinstance(item, Mapping) and isinstance(item.get("id"), str)
                and ob2.OB3_ACHIEVEMENT_TYPE in ob2.types_of(item)):
            return str(item["id"])
    return None


def _achievement(badge: Mapping[str, Any], badge_id: str, creator: Mapping[str, Any]
                 ) -> tuple[dict[str, Any], bool]:
    """The OB 3.0 ``Achievement`` of a BadgeClass, and whether it carries the extension."""
    achievement: dict[str, Any] = {
        "id": _related_achievement(badge) or _derived_id(badge_id),
        "type": ["Achievement"],
    }
    for name in ("name", "description"):
        if isinstance(badge.get(name), str):
            achievement[name] = badge[name]
    criteria = badge.get("criteria")
    if isinstance(criteria, str):
        achievement["criteria"] = {"id": criteria}
    elif isinstance(criteria, Mapping):
        achievement["criteria"] = {key: criteria[key] for key in ("id", "narrative")
                                   if isinstance(criteria.get(key), str)}
    image = _image(badge.get("image"))
    if image is not None:
        achievement["image"] = image
    alignments = []
    for item in _items(badge.get("alignment")):
        if not (isinstance(item, Mapping) and isinstance(item.get("targetName"), str)
                and isinstance(item.get("targetUrl"), str)):
            continue
        alignment: dict[str, Any] = {"type": ["Alignment"], "targetName": item["targetName"],
                                     "targetUrl": item["targetUrl"]}
        for name in ("targetDescription", "targetFramework", "targetCode"):
            if isinstance(item.get(name), str):
                alignment[name] = item[name]
        alignments.append(alignment)
    if alignments:
        achievement["alignment"] = alignments
    tags = [tag for tag in _items(badge.get("tags")) if isinstance(tag, str)]
    if tags:
        achievement["tag"] = tags
    achievement["creator"] = dict(creator)
    if ob2.is_iri(badge_id):
        achievement["related"] = [{"id": badge_id, "type": ["Related", OB2_BADGE_CLASS_TYPE],
                                   "version": "Open Badges v2p0"}]
    extension = badge.get(ob2.EXTENSION_KEY)
    descriptors = (extension.get(EXTENSION_PROPERTY) if isinstance(extension, Mapping)
                   and EXTENSION_CONTEXT_URL in _items(extension.get("@context")) else None)
    if not isinstance(descriptors, Mapping):
        return achievement, False
    carried = {key: value for key, value in descriptors.items() if key != "code"}
    if isinstance(descriptors.get("code"), str):
        achievement["humanCode"] = descriptors["code"]
    kind = _achievement_type(descriptors)
    if kind is not None:
        achievement["achievementType"] = kind
    achievement[EXTENSION_PROPERTY] = carried
    return achievement, True


def _achievement_type(descriptors: Mapping[str, Any]) -> str | None:
    """:func:`~credstack.core.credentials.openbadges_v3.achievement_type`, read from the
    extension's JSON (``MicroCredential`` when learning outcomes are assessed by more than
    participation); None when the assessment is unreadable."""
    assessment = descriptors.get("assessment")
    if assessment is None:
        return "Badge"
    methods = assessment.get("methods") if isinstance(assessment, Mapping) else None
    if not isinstance(methods, list) or not methods:
        return None
    return "Badge" if set(map(str, methods)) == {"participation"} else "MicroCredential"


def _subject(recipient: Any) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if not isinstance(recipient, Mapping) or not isinstance(recipient.get("identity"), str):
        return subject
    kind = recipient.get("type")
    identity = recipient["identity"]
    hashed = recipient.get("hashed") is True
    if not hashed and kind in {"url", "id"} and ":" in identity:
        subject["id"] = identity
        return subject
    entry: dict[str, Any] = {
        "type": "IdentityObject",
        "identityHash": identity,
        "identityType": _IDENTITY_TYPES.get(kind if isinstance(kind, str) else "", "identifier"),
        "hashed": hashed,
    }
    if hashed and isinstance(recipient.get("salt"), str):
        entry["salt"] = recipient["salt"]
    subject["identifier"] = [entry]
    return subject


def credential_from_assertion(assertion: Mapping[str, Any], *, badge: Mapping[str, Any],
                              issuer: Mapping[str, Any], jws: str | None = None
                              ) -> dict[str, Any]:
    """An OB 2.0 badge as its OB 3.0 ``OpenBadgeCredential`` — unsigned, never with a proof.

    ``badge`` and ``issuer`` are the assertion's BadgeClass and issuer Profile (embedded or
    fetched); ``jws`` the compact JWS of a signed badge, embedded in the evidence that links
    the original. A BadgeClass carrying credstack's micro-credential extension gives an
    achievement with the same ``microCredential`` descriptors an OB 3.0 credential of
    credstack carries (and its ``humanCode``).
    """
    assertion_id = assertion.get("id")
    if not isinstance(assertion_id, str):
        raise InputError("the assertion has no id", problems=[
            Problem("id", "an IRI is required")])
    badge_id = badge.get("id") if isinstance(badge.get("id"), str) else assertion.get("badge")
    badge_id = badge_id if isinstance(badge_id, str) else _derived_id(f"{assertion_id}#badge")
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else badge.get("issuer")
    issuer_id = issuer_id if isinstance(issuer_id, str) else _derived_id(f"{badge_id}#issuer")
    profile = _profile(issuer, issuer_id)
    achievement, extended = _achievement(badge, badge_id, profile)
    subject = _subject(assertion.get("recipient"))
    subject["achievement"] = achievement
    contexts = [VC_CONTEXT_URL, OB_CONTEXT_URL]
    if extended:
        contexts.append(EXTENSION_CONTEXT_URL)
    credential: dict[str, Any] = {
        "@context": contexts,
        "id": _derived_id(assertion_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile,
        "validFrom": _timestamp(assertion.get("issuedOn")),
    }
    if assertion.get("expires") is not None:
        credential["validUntil"] = _timestamp(assertion["expires"])
    if isinstance(achievement.get("name"), str):
        credential["name"] = achievement["name"]
    credential["awardedDate"] = credential["validFrom"]
    credential["credentialSubject"] = subject
    evidence: list[dict[str, Any]] = []
    for item in _items(assertion.get("evidence")):
        if isinstance(item, str):
            evidence.append({"id": item, "type": ["Evidence"]})
        elif isinstance(item, Mapping):
            fields = {key: item[key] for key in _EVIDENCE_FIELDS if isinstance(item.get(key), str)}
            if fields:
                evidence.append({"type": ["Evidence"], **fields})
    signed = jws is not None
    original: dict[str, Any] = {
        "id": f"data:application/jose,{jws}" if signed else assertion_id,
        "type": ["Evidence", OB2_ASSERTION_TYPE],
        "name": "Original Open Badges 2.0 assertion",
        "description": (f"This credential shows the Open Badges 2.0 assertion {assertion_id} "
                        "in Open Badges 3.0 form. It carries no proof of its own: verify "
                        + ("the embedded signed assertion (a compact JWS)" if signed else
                           "the original, hosted at its id,") + " by Open Badges 2.0 rules."),
    }
    if isinstance(assertion.get("narrative"), str):
        original["narrative"] = assertion["narrative"]
    evidence.append(original)
    credential["evidence"] = evidence
    return credential
