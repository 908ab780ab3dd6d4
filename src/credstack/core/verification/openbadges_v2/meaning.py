"""The meaning step of a badge: what it says, read through its Open Badges 3.0 form (see
:mod:`..meaning`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.conversions import credential_from_assertion
from credstack.core.credentials.openbadges_v3 import EXTENSION_PROPERTY
from credstack.core.said import Said
from credstack.core.verification.checks import Refusal, said_of_refusal
from credstack.core.verification.meaning import (
    Conformance,
    achievement_meaning,
    conformance_of,
    meaning_check,
    nothing_to_read,
    registry_record,
    unreadable,
)
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Memo,
    Ob2State,
    badge_class,
    is_revoked,
    issuer_profile,
)
from credstack.core.verification.report import Check, CheckKind, DescriptorSource, Meaning
from credstack.errors import CredstackError

__all__ = ["check_meaning"]

#: What a fetched BadgeClass means: (id of its parse, date of issuing) → (parse, descriptors as
#: JSON text, conformance).
_MEANINGS: Final = Memo(128)


def _programme(badge: Mapping[str, Any], issued_on: str | None) -> tuple[str, Conformance]:
    """(the BadgeClass's descriptors as JSON text, their conformance on the day of issuing)."""
    descriptors = ob2.descriptors_from_badge_class(badge)
    award = {"issued_on": issued_on} if issued_on is not None else {}
    return json.dumps(descriptors), conformance_of(descriptors, award, source="badge")


def _read_meaning(state: Ob2State) -> tuple[Meaning, dict[str, Any] | None]:
    document = state.document
    assert document is not None
    badge = badge_class(state)
    try:
        issuer: Mapping[str, Any] = issuer_profile(state).document
    except Refusal:
        issuer = {}
    assertion = document if state.kind == "Assertion" else {
        "id": document.get("id", "_:badge"), "badge": document}
    converted = credential_from_assertion(assertion, badge=badge.document, issuer=issuer,
                                          jws=state.jws.token if state.jws else None)
    # A fresh copy: the converted credential shares parts of documents kept in the memos, and
    # it leaves with the report.
    converted = json.loads(json.dumps(converted))
    achievement = converted["credentialSubject"]["achievement"]
    issued = ob2.parse_datetime(document.get("issuedOn"))
    issued_on = (issued.date().isoformat()
                 if issued is not None and state.kind == "Assertion" else None)
    key = (id(badge.document), issued_on) if badge.location is not None else None
    known = _MEANINGS.get(key) if key is not None else None
    if known is not None and known[0] is badge.document:
        text, conformance = known[1]
    else:
        text, conformance = _programme(badge.document, issued_on)
        if key is not None:
            _MEANINGS.put(key, (badge.document, (text, conformance)))
    achievement_id = str(achievement["id"])
    issuer_name = issuer.get("name")
    meaning = achievement_meaning(
        types=ob2.types_of(document),
        issuer_id=issuer.get("id") if isinstance(issuer.get("id"), str) else None,
        issuer_name=issuer_name if isinstance(issuer_name, str) else None,
        achievement=achievement, achievement_id=achievement_id, descriptors=json.loads(text),
        source=(DescriptorSource.EXTENSION if EXTENSION_PROPERTY in achievement
                else DescriptorSource.OPEN_BADGES),
        conformance=conformance,
        registry=registry_record(state.programme_lookup, achievement_id))
    return meaning, converted if state.kind == "Assertion" else None


def check_meaning(state: Ob2State) -> Check:
    """``meaning`` (information): the badge in OB 3.0 form, its descriptors, the registry."""
    if state.document is None:
        return nothing_to_read(BADGE)
    if state.kind not in {"Assertion", "BadgeClass"} or is_revoked(state):
        return Check("meaning", None, "no achievement to read", "達成を含まない文書です",
                     {"types": list(ob2.types_of(state.document))}, kind=CheckKind.INFO)
    try:
        meaning, converted = _read_meaning(state)
    except Refusal as refusal:
        why = said_of_refusal(refusal)
        return Check("meaning", None, "", "", {"error": why}, kind=CheckKind.INFO,
                     said=Said("verification.check.ob2.meaning_unreadable", why=why))
    except CredstackError as exc:
        return unreadable(BADGE, exc.message, exc.message)
    state.meaning = meaning
    # The badge as an unsigned OB 3.0 credential: shown, never claimed to be signed.
    return meaning_check(meaning, tell_registry=False, details=(
        {"openBadgeCredential": converted} if converted is not None else None))
