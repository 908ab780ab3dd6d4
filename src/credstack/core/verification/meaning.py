"""The ``meaning`` step, for every format that awards an achievement: what it means.

What a credential *means* is read the same way whichever format carried it — an Open Badges
3.0 credential, a CLR, an Open Badges 2.0 badge: its achievement's micro-credential
descriptors, parsed as a programme (with the award the credential states, or on their own
when the award does not parse), judged against every framework profile
(:func:`conformance_of`), and the registry's record of the achievement
(:func:`registry_record`). Each format reads its own document into those parts (the badge's
through its Open Badges 3.0 form) and gets the same :class:`~.report.Meaning` and the same
informational check (:func:`meaning_check`): it never changes the verdict.

The ``recognition`` step (:mod:`credstack.core.verification.recognition`) follows it for a
learner credential: whether the programme is recognised, today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import orjson

from credstack.core.descriptors import ProfileReport, parse_programme, profiles, validate_all
from credstack.core.said import Said
from credstack.core.verification.reading import Subject
from credstack.core.verification.report import Check, CheckKind, DescriptorSource, Meaning
from credstack.errors import DescriptorError, NotFoundError, Problem

__all__ = ["Conformance", "ProgrammeLookup", "achievement_meaning", "conformance_of",
           "meaning_check", "nothing_to_read", "registry_record", "unreadable"]


class ProgrammeLookup(Protocol):
    """Achievement id → the programme's registry record (JSON-ready), or ``None``: unknown."""

    def __call__(self, achievement_id: str, /) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class Conformance:
    """The descriptors read as a programme: one report per framework profile, whether it is a
    micro-credential (``None``: cannot be told), and why it could not be read, if it could not."""

    reports: tuple[ProfileReport, ...] = ()
    is_micro_credential: bool | None = None
    problems: tuple[Problem, ...] = ()


def conformance_of(descriptors: Mapping[str, Any], award: Mapping[str, Any], *,
                   source: str) -> Conformance:
    """The descriptors with the ``award`` the credential states, judged against every profile.

    The award is the credential's own reading of its subject; a programme whose award does
    not parse is still judged on the programme's descriptors.

    The judgement depends on nothing but its inputs, and the credentials of one programme
    repeat them: it is remembered by their JSON text (a wallet importing a programme's
    credentials judges the programme once, not once a credential).
    """
    try:
        text = orjson.dumps([descriptors, award])
    except (orjson.JSONEncodeError, TypeError):
        return _judge(descriptors, award, source)
    return _judged(text, source)


@lru_cache(maxsize=256)
def _judged(text: bytes, source: str) -> Conformance:
    descriptors, award = orjson.loads(text)
    return _judge(descriptors, award, source)


def _judge(descriptors: Mapping[str, Any], award: Mapping[str, Any], source: str
           ) -> Conformance:
    document = {**descriptors, "award": award} if award else descriptors
    try:
        try:
            programme = parse_programme(document, source=source)
        except DescriptorError:
            if not award:
                raise
            programme = parse_programme(descriptors, source=source)
    except DescriptorError as exc:
        return Conformance(problems=exc.problems)
    reports = tuple(validate_all(programme, profiles().values()))
    return Conformance(reports, all(report.is_micro_credential for report in reports))


def registry_record(lookup: ProgrammeLookup, achievement_id: str) -> Mapping[str, Any] | None:
    """What the registry (a :class:`ProgrammeLookup`) records of an achievement, if anything."""
    try:
        return lookup(achievement_id)
    except NotFoundError:
        return None


def achievement_meaning(*, types: tuple[str, ...], issuer_id: str | None,
                        issuer_name: str | None, achievement: Mapping[str, Any],
                        achievement_id: str | None, descriptors: Mapping[str, Any],
                        source: DescriptorSource, conformance: Conformance,
                        registry: Mapping[str, Any] | None) -> Meaning:
    """The :class:`~.report.Meaning` of a credential that awards ``achievement``."""
    name = achievement.get("name")
    kind = achievement.get("achievementType")
    return Meaning(
        types=types, issuer_id=issuer_id, issuer_name=issuer_name,
        achievement_id=achievement_id, achievement_type=kind if isinstance(kind, str) else None,
        achievement_name=name if isinstance(name, str) else None,
        descriptors=descriptors or None, descriptor_source=source,
        conformance=conformance.reports, is_micro_credential=conformance.is_micro_credential,
        registry=registry, problems=conformance.problems)


def nothing_to_read(subject: Subject) -> Check:
    """``meaning`` when the input could not be read at all."""
    return Check("meaning", None, "", "", {}, kind=CheckKind.INFO,
                 said=Said("verification.check.meaning.nothing_to_read", subject=subject.said))


def unreadable(subject: Subject, reason: str, error: str) -> Check:
    """``meaning`` when what the achievement says could not be read (``reason``)."""
    return Check("meaning", None, "", "", {"error": error}, kind=CheckKind.INFO,
                 said=Said("verification.check.meaning.unreadable", subject=subject.said,
                           reason=reason))


_MICRO_CREDENTIAL = {True: "yes", False: "no", None: "unknown"}


def meaning_check(meaning: Meaning, *, tell_registry: bool = True,
                  details: Mapping[str, Any] | None = None) -> Check:
    """``meaning`` (information): the achievement, micro-credential or not, the profiles it
    conforms to and (``tell_registry``) whether this registry knows it; ``details`` adds to
    what the check's details say."""
    conforming = [report.profile for report in meaning.conformance if report.conforms]
    known = meaning.registry is not None
    registry = (Said("verification.check.meaning.registered" if known else
                     "verification.check.meaning.not_registered") if tell_registry else "")
    return Check(
        "meaning", None, "", "",
        {"achievement": meaning.achievement_id,
         "descriptor_source": (meaning.descriptor_source.value
                               if meaning.descriptor_source is not None else None),
         "is_micro_credential": meaning.is_micro_credential,
         "conforms": {report.profile: report.conforms for report in meaning.conformance},
         "registered": known, **(details or {})},
        kind=CheckKind.INFO,
        said=Said("verification.check.meaning.read",
                  name=meaning.achievement_name or meaning.achievement_id,
                  micro=Said(f"verification.check.meaning.micro_credential."
                             f"{_MICRO_CREDENTIAL[meaning.is_micro_credential]}"),
                  profiles=tuple(conforming) if conforming else
                  Said("verification.check.meaning.no_profile"),
                  registry=registry))
