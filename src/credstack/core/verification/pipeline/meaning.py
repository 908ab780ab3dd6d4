"""The meaning step: what the credential says, and what the registry knows of its achievement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    descriptors_from_credential,
)
from credstack.core.descriptors import ProfileReport, parse_programme, profiles, validate_all
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.pipeline.seams import VerificationState, _instant, _issuer_id
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
    for identity in _items(subject.get("identifier")):
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
        moment = _instant(credential.get(name), require_zone=False)
        if moment is not None:
            award["issued_on"] = moment.date().isoformat()
            break
    for result in _items(subject.get("result")):
        if isinstance(result, Mapping) and isinstance(result.get("value"), str):
            award["grade"] = result["value"]
            break
    return award


def _read_meaning(state: VerificationState, credential: Mapping[str, Any]) -> Meaning:
    types = tuple(json_values.types(credential.get("type")) or ())
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else None
    base = Meaning(types=types, issuer_id=_issuer_id(credential),
                   issuer_name=issuer_name if isinstance(issuer_name, str) else None)
    subject = next(iter(_items(credential.get("credentialSubject"))), None)
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(subject, Mapping) or not isinstance(achievement, Mapping):
        return base
    achievement_id = achievement.get("id")
    achievement_id = achievement_id if isinstance(achievement_id, str) else None
    contexts = _items(credential.get("@context"))
    source = (DescriptorSource.EXTENSION
              if EXTENSION_PROPERTY in achievement and EXTENSION_CONTEXT_URL in contexts
              else DescriptorSource.OPEN_BADGES)
    try:
        descriptors = descriptors_from_credential(credential)
    except (TypeError, ValueError, AttributeError, KeyError):
        # A foreign achievement whose fields have unexpected JSON types (a number where an
        # array of alignments belongs …): its meaning is unreadable, not an error.
        return Meaning(types=types, issuer_id=base.issuer_id, issuer_name=base.issuer_name,
                       achievement_id=achievement_id, problems=(Problem(
                           "credentialSubject.achievement",
                           "its fields do not have the types Open Badges gives them"),))
    conformance: tuple[ProfileReport, ...] = ()
    is_micro_credential: bool | None = None
    problems: tuple[Problem, ...] = ()
    award = _award(credential, subject)
    document = {**descriptors, "award": award} if award else descriptors
    try:
        try:
            programme = parse_programme(document, source="credentialSubject.achievement")
        except DescriptorError:
            # The award is the credential's own reading of its subject; a programme whose
            # award does not parse is still judged on the programme's descriptors.
            if not award:
                raise
            programme = parse_programme(descriptors, source="credentialSubject.achievement")
    except DescriptorError as exc:
        problems = exc.problems
    else:
        reports = validate_all(programme, profiles().values())
        conformance = tuple(reports)
        is_micro_credential = all(report.is_micro_credential for report in reports)
    registry = None
    if achievement_id is not None:
        try:
            registry = state.programme_lookup(achievement_id)
        except NotFoundError:
            registry = None
    name = achievement.get("name")
    kind = achievement.get("achievementType")
    return Meaning(
        types=types, issuer_id=base.issuer_id, issuer_name=base.issuer_name,
        achievement_id=achievement_id,
        achievement_type=kind if isinstance(kind, str) else None,
        achievement_name=name if isinstance(name, str) else None,
        descriptors=descriptors or None, descriptor_source=source,
        conformance=conformance, is_micro_credential=is_micro_credential,
        registry=registry, problems=problems)


def check_meaning(state: VerificationState) -> Check:
    """``meaning`` (information): the MC descriptors, conformance per profile, the registry."""
    credential = state.credential
    if credential is None:
        return Check("meaning", None, "nothing to read: the credential could not be read",
                     "証明書を読み取れなかったため、内容はわかりません", {},
                     kind=CheckKind.INFO)
    try:
        meaning = _read_meaning(state, credential)
    except CredstackError as exc:
        return Check("meaning", None, f"the credential's meaning could not be read: {exc}",
                     "証明書の内容を読み取れませんでした", {"error": exc.message},
                     kind=CheckKind.INFO)
    state.meaning = meaning
    if meaning.achievement_id is None and meaning.descriptors is None:
        return Check("meaning", None, "not an achievement credential: no achievement to read",
                     "達成（achievement）を含まない証明書です", {"types": list(meaning.types)},
                     kind=CheckKind.INFO)
    conforming = [report.profile for report in meaning.conformance if report.conforms]
    mc_en = {True: "a micro-credential", False: "not a micro-credential",
             None: "micro-credential or not cannot be told"}[meaning.is_micro_credential]
    mc_ja = {True: "マイクロクレデンシャルです", False: "マイクロクレデンシャルではありません",
             None: "マイクロクレデンシャルかどうかは判断できません"}[meaning.is_micro_credential]
    profiles_en = ", ".join(conforming) if conforming else "none"
    known_en = "known to this registry" if meaning.registry is not None else "not in this registry"
    known_ja = "この登録簿に登録済み" if meaning.registry is not None else "この登録簿には未登録"
    return Check(
        "meaning", None,
        f"{meaning.achievement_name or meaning.achievement_id}: {mc_en}; conforms to "
        f"{profiles_en}; {known_en}",
        f"{meaning.achievement_name or meaning.achievement_id}：{mc_ja}。適合する枠組み："
        f"{'、'.join(conforming) if conforming else 'なし'}。{known_ja}",
        {"achievement": meaning.achievement_id,
         "descriptor_source": (meaning.descriptor_source.value
                               if meaning.descriptor_source is not None else None),
         "is_micro_credential": meaning.is_micro_credential,
         "conforms": {report.profile: report.conforms for report in meaning.conformance},
         "registered": meaning.registry is not None},
        kind=CheckKind.INFO)
