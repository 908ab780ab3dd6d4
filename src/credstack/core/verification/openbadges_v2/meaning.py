"""The meaning step: the badge as an Open Badges 3.0 credential would say it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.conversions import credential_from_assertion
from credstack.core.credentials.openbadges_v3 import EXTENSION_PROPERTY
from credstack.core.descriptors import ProfileReport, parse_programme, profiles, validate_all
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.openbadges_v2.graph import (
    _MEANINGS,
    Ob2State,
    _badge,
    _issuer,
    _revoked,
)
from credstack.core.verification.report import (
    Check,
    CheckKind,
    DescriptorSource,
    Meaning,
)
from credstack.errors import (
    CredstackError,
    DescriptorError,
    NotFoundError,
    Problem,
)


def _programme_meaning(descriptors: dict[str, Any], issued_on: str | None) -> tuple[
        str, tuple[ProfileReport, ...], bool | None, tuple[Problem, ...]]:
    """(descriptors as JSON text, conformance per profile, micro-credential?, problems)."""
    award = {"issued_on": issued_on} if issued_on is not None else {}
    conformance: tuple[ProfileReport, ...] = ()
    is_micro_credential: bool | None = None
    problems: tuple[Problem, ...] = ()
    try:
        try:
            programme = parse_programme({**descriptors, "award": award} if award else descriptors,
                                        source="badge")
        except DescriptorError:
            if not award:
                raise
            programme = parse_programme(descriptors, source="badge")
    except DescriptorError as exc:
        problems = exc.problems
    else:
        conformance = tuple(validate_all(programme, profiles().values()))
        is_micro_credential = all(report.is_micro_credential for report in conformance)
    return json.dumps(descriptors), conformance, is_micro_credential, problems


def _read_meaning(state: Ob2State) -> tuple[Meaning, dict[str, Any] | None]:
    document = state.document
    assert document is not None
    types = ob2.types_of(document)
    badge = _badge(state)
    try:
        issuer: Mapping[str, Any] = _issuer(state).document
    except _Refusal:
        issuer = {}
    issuer_name = issuer.get("name")
    assertion = document if state.kind == "Assertion" else {
        "id": document.get("id", "_:badge"), "badge": document}
    converted = credential_from_assertion(assertion, badge=badge.document, issuer=issuer,
                                          jws=state.jws.token if state.jws else None)
    # A fresh copy: the converted credential shares parts of documents kept in the memos, and
    # it leaves with the report.
    converted = json.loads(json.dumps(converted))
    achievement = converted["credentialSubject"]["achievement"]
    source = (DescriptorSource.EXTENSION if EXTENSION_PROPERTY in achievement
              else DescriptorSource.OPEN_BADGES)
    issued = ob2.parse_datetime(document.get("issuedOn"))
    issued_on = (issued.date().isoformat()
                 if issued is not None and state.kind == "Assertion" else None)
    key = (id(badge.document), issued_on) if badge.location is not None else None
    known = _MEANINGS.get(key) if key is not None else None
    if known is not None and known[0] is badge.document:
        text, conformance, is_micro_credential, problems = known[1]
    else:
        text, conformance, is_micro_credential, problems = _programme_meaning(
            ob2.descriptors_from_badge_class(badge.document), issued_on)
        if key is not None:
            _MEANINGS.put(key, (badge.document, (text, conformance, is_micro_credential,
                                                 problems)))
    descriptors = json.loads(text)
    achievement_id = str(achievement["id"])
    try:
        registry = state.programme_lookup(achievement_id)
    except NotFoundError:
        registry = None
    name = achievement.get("name")
    kind = achievement.get("achievementType")
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else None
    meaning = Meaning(
        types=types, issuer_id=issuer_id,
        issuer_name=issuer_name if isinstance(issuer_name, str) else None,
        achievement_id=achievement_id, achievement_type=kind if isinstance(kind, str) else None,
        achievement_name=name if isinstance(name, str) else None,
        descriptors=descriptors or None, descriptor_source=source, conformance=conformance,
        is_micro_credential=is_micro_credential, registry=registry, problems=problems)
    return meaning, converted if state.kind == "Assertion" else None


def check_meaning(state: Ob2State) -> Check:
    """``meaning`` (information): the badge in OB 3.0 form, its descriptors, the registry."""
    if state.document is None:
        return Check("meaning", None, "nothing to read: the badge could not be read",
                     "バッジを読み取れなかったため、内容はわかりません", {}, kind=CheckKind.INFO)
    if state.kind not in {"Assertion", "BadgeClass"} or _revoked(state):
        return Check("meaning", None, "no achievement to read", "達成を含まない文書です",
                     {"types": list(ob2.types_of(state.document))}, kind=CheckKind.INFO)
    try:
        meaning, converted = _read_meaning(state)
    except _Refusal as refusal:
        return Check("meaning", None, f"the badge's meaning could not be read: {refusal.en}",
                     "バッジの内容を読み取れませんでした", {"error": refusal.en},
                     kind=CheckKind.INFO)
    except CredstackError as exc:
        return Check("meaning", None, f"the badge's meaning could not be read: {exc.message}",
                     "バッジの内容を読み取れませんでした", {"error": exc.message},
                     kind=CheckKind.INFO)
    state.meaning = meaning
    conforming = [report.profile for report in meaning.conformance if report.conforms]
    mc_en = {True: "a micro-credential", False: "not a micro-credential",
             None: "micro-credential or not cannot be told"}[meaning.is_micro_credential]
    mc_ja = {True: "マイクロクレデンシャルです", False: "マイクロクレデンシャルではありません",
             None: "マイクロクレデンシャルかどうかは判断できません"}[meaning.is_micro_credential]
    details: dict[str, Any] = {
        "achievement": meaning.achievement_id,
        "descriptor_source": (meaning.descriptor_source.value
                              if meaning.descriptor_source is not None else None),
        "is_micro_credential": meaning.is_micro_credential,
        "conforms": {report.profile: report.conforms for report in meaning.conformance},
        "registered": meaning.registry is not None,
    }
    if converted is not None:
        # The badge as an unsigned OB 3.0 credential: shown, never claimed to be signed.
        details["openBadgeCredential"] = converted
    return Check(
        "meaning", None,
        f"{meaning.achievement_name or meaning.achievement_id}: {mc_en}; conforms to "
        f"{', '.join(conforming) if conforming else 'none'}",
        f"{meaning.achievement_name or meaning.achievement_id}：{mc_ja}。適合する枠組み："
        f"{'、'.join(conforming) if conforming else 'なし'}", details, kind=CheckKind.INFO)
