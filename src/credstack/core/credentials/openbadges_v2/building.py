"""Building Open Badges 2.0 documents: issuer profiles, keys, BadgeClasses, assertions,
revocation lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from credstack.core.credentials.openbadges_v2.criteria import _text, criteria_narrative
from credstack.core.credentials.openbadges_v2.vocabulary import (
    CONTEXT_URL,
    EXTENSION_KEY,
    EXTENSION_TYPE,
    OB3_ACHIEVEMENT_TYPE,
    _items,
    is_http_url,
    is_iri,
    parse_datetime,
    verification_type,
)
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    build_achievement,
    descriptors_from_achievement,
)
from credstack.core.descriptors.models import Programme
from credstack.core.types import MultilingualText
from credstack.errors import InputError, Problem


def _require_iri(value: str, name: str) -> None:
    if not is_iri(value):
        raise InputError(f"{name} is not an IRI Open Badges 2.0 accepts", problems=[Problem(
            name, f"{value!r} is not an http(s) URL or a urn:uuid")])


def _timestamp(moment: dt.datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{name} has no time zone", problems=[Problem(
            name, "give an aware datetime, e.g. 2025-04-01T00:00:00+09:00")])
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def build_issuer_profile(*, issuer_id: str, name: MultilingualText, url: str,
                         email: str | None, language: str = "ja",
                         public_keys: Sequence[str] = (), revocation_list: str | None = None,
                         starts_with: str | None = None,
                         description: MultilingualText | None = None,
                         related: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The issuer's ``Profile`` (typed ``Issuer``) served at ``issuer_id``.

    ``email`` is required of an issuer by the specification; without one the profile is
    still built, and verifiers will refuse it. ``public_keys`` are the URLs of every
    ``CryptographicKey`` the issuer ever signed with (retired keys included, so that old
    signatures keep verifying); ``starts_with`` narrows the hosted verification policy to
    assertions under one URL prefix. ``related`` pairs (id, type IRI) link the same issuer
    in other formats (its Open Badges 3.0 DID).
    """
    _require_iri(issuer_id, "issuer_id")
    profile: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "Issuer",
        "id": issuer_id,
        "name": _text(name, language),
        "url": url,
    }
    if email is not None:
        profile["email"] = email
    if description is not None:
        profile["description"] = _text(description, language)
    if public_keys:
        profile["publicKey"] = list(public_keys) if len(public_keys) > 1 else public_keys[0]
    if revocation_list is not None:
        profile["revocationList"] = revocation_list
    if starts_with is not None:
        profile["verification"] = {"type": "VerificationObject", "startsWith": starts_with}
    if related:
        profile["related"] = [{"type": [kind], "id": target, "version": "Open Badges v3p0"}
                              for target, kind in related]
    return profile


def build_cryptographic_key(*, key_id: str, owner: str, public_key_pem: str) -> dict[str, Any]:
    """The ``CryptographicKey`` document at ``key_id``, owned by the issuer ``owner``."""
    _require_iri(key_id, "key_id")
    return {"@context": CONTEXT_URL, "type": "CryptographicKey", "id": key_id,
            "owner": owner, "publicKeyPem": public_key_pem}


def build_revocation_list(*, list_id: str, issuer_id: str,
                          revoked: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """The issuer's ``RevocationList``: each revoked assertion's id, with its reason if any."""
    entries: list[Any] = [{"id": assertion_id, "revocationReason": reason}
                          if reason else assertion_id for assertion_id, reason in revoked]
    return {"@context": CONTEXT_URL, "type": "RevocationList", "id": list_id,
            "issuer": issuer_id, "revokedAssertions": entries}


def build_badge_class(*, programme: Programme, badge_id: str, issuer_id: str,
                      image: str | None = None, criteria_url: str | None = None,
                      achievement_id: str | None = None, version: int | None = None,
                      language: str = "ja") -> dict[str, Any]:
    """The ``BadgeClass`` of a programme version (the mapping is in the module docstring).

    ``image`` is the URL of the badge image, ``criteria_url`` a human-readable page of the
    programme, ``achievement_id`` the URL of the same programme version's Open Badges 3.0
    ``Achievement`` (linked with ``related``), ``version`` the programme version number.
    Raises :class:`~credstack.errors.InputError` when the programme has no title or no
    description (both are required of a BadgeClass).
    """
    _require_iri(badge_id, "badge_id")
    achievement = build_achievement(programme=programme, achievement_id=achievement_id or badge_id,
                                    language=language)
    criteria: dict[str, Any] = {"narrative": criteria_narrative(programme, language)}
    if criteria_url is not None:
        criteria = {"id": criteria_url, **criteria}
    badge: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "BadgeClass",
        "id": badge_id,
        "name": achievement["name"],
        "description": achievement["description"],
    }
    if image is not None:
        badge["image"] = image
    badge["criteria"] = criteria
    badge["issuer"] = issuer_id
    alignment = [
        {key: value for key, value in item.items() if key in {
            "targetName", "targetUrl", "targetFramework", "targetCode"}}
        for item in achievement.get("alignment", [])
    ]
    if alignment:
        badge["alignment"] = alignment
    if "tag" in achievement:
        badge["tags"] = achievement["tag"]
    if version is not None:
        badge["version"] = version
    if achievement_id is not None:
        badge["related"] = [{"type": [OB3_ACHIEVEMENT_TYPE], "id": achievement_id,
                             "version": "Open Badges v3p0"}]
    badge[EXTENSION_KEY] = {
        "@context": EXTENSION_CONTEXT_URL,
        "type": ["Extension", EXTENSION_TYPE],
        EXTENSION_PROPERTY: {**achievement[EXTENSION_PROPERTY], "code": programme.code},
    }
    return badge


def build_assertion(*, assertion_id: str, badge: str | Mapping[str, Any],
                    recipient: Mapping[str, Any], issued_on: dt.datetime | str,
                    verification: Mapping[str, Any], expires: dt.datetime | str | None = None,
                    evidence: Sequence[Any] = (), image: str | None = None) -> dict[str, Any]:
    """An ``Assertion`` awarding ``badge`` (its URL, or the BadgeClass) to ``recipient``.

    ``verification`` is ``{"type": "HostedBadge"}`` (``assertion_id`` is then the URL it is
    served at) or ``{"type": "SignedBadge", "creator": <key URL>}``. Dates are aware
    datetimes or OB 2.0 DateTime strings.
    """
    _require_iri(assertion_id, "assertion_id")
    kind = verification_type({"verification": verification})
    if kind is None:
        raise InputError("unknown verification", problems=[Problem(
            "verification.type", "use HostedBadge or SignedBadge")])
    if kind == "hosted" and not is_http_url(assertion_id):
        raise InputError("a hosted assertion needs an http(s) id", problems=[Problem(
            "assertion_id", "hosted verification fetches the assertion from its id")])
    issued = _date_text(issued_on, "issued_on")
    assertion: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": dict(recipient),
        "badge": badge if isinstance(badge, str) else dict(badge),
        "verification": dict(verification),
        "issuedOn": issued,
    }
    if expires is not None:
        assertion["expires"] = _date_text(expires, "expires")
    if image is not None:
        assertion["image"] = image
    if evidence:
        assertion["evidence"] = list(evidence)
    return assertion


def _date_text(value: dt.datetime | str, name: str) -> str:
    if isinstance(value, dt.datetime):
        return _timestamp(value, name)
    if parse_datetime(value) is None:
        raise InputError(f"{name} is not a date-time", problems=[Problem(
            name, f"{value!r} is not an ISO 8601 date-time with a time zone")])
    return value


def descriptors_from_badge_class(badge: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document a BadgeClass states (for ``Programme``; not validated here).

    From a credstack BadgeClass, the whole document, from its ``extensions:MicroCredential``
    extension; from any other, what its own fields say (name and description in an
    undetermined language, skills from alignments with a URL).
    """
    extension = badge.get(EXTENSION_KEY)
    if (isinstance(extension, Mapping)
            and EXTENSION_CONTEXT_URL in _items(extension.get("@context"))
            and isinstance(extension.get(EXTENSION_PROPERTY), Mapping)):
        achievement: dict[str, Any] = {EXTENSION_PROPERTY: extension[EXTENSION_PROPERTY]}
    else:
        achievement = {}
    for field in ("name", "description", "alignment"):
        if field in badge:
            achievement[field] = badge[field]
    return descriptors_from_achievement(achievement)
