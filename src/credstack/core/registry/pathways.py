"""What a published target's rules say about the registry's programmes, decided from data.

A target's requirement names programmes by the identifiers the rule engine matches a
deposit's credential against (:mod:`credstack.core.creditbank.engine`): the credential's
achievement id or its registry page. Of those, this registry's programmes are named by
``<public url>/programmes/<id>`` (the page a credential's registry record points to) and
``<public url>/achievements/<id>/v<version>`` (one version's achievement id); anything else
names a programme elsewhere. :func:`named_programme` reads a reference; :func:`stacking`
says how a target takes one programme:

* **named** — a requirement lists the programme: its credential counts toward that
  requirement (a version-specific id counts only for that version);
* **by field** — a requirement takes credits or hours in a field of study the programme is
  classified in, and names no programmes: its credits *may* count, the learner's grade,
  recency, route, level and skill permitting — which only the credential can tell.

Nothing else is decided here: general credit (``general_credit``) would take any programme's
credits, so it says nothing about one programme in particular.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from credstack.core.creditbank.pathways import Requirement, Target

__all__ = ["Match", "NamedProgramme", "Stacking", "StackingIndex", "named_programme",
           "named_programmes", "stacking"]

_PAGE = re.compile(r"/programmes/(\d{1,18})")
_ACHIEVEMENT = re.compile(r"/achievements/(\d{1,18})/v(\d{1,9})")


@dataclass(frozen=True, slots=True)
class NamedProgramme:
    """A registry programme a reference names; ``version`` when it names one version."""

    reference: str
    programme_id: int
    version: int | None = None


def named_programme(reference: str, public_url: str) -> NamedProgramme | None:
    """The registry programme ``reference`` names, or ``None`` for one elsewhere."""
    base = public_url.rstrip("/")
    if not reference.startswith(base):
        return None
    rest = reference[len(base):]
    if (page := _PAGE.fullmatch(rest)) is not None:
        return NamedProgramme(reference, int(page.group(1)))
    if (achievement := _ACHIEVEMENT.fullmatch(rest)) is not None:
        return NamedProgramme(reference, int(achievement.group(1)), int(achievement.group(2)))
    return None


def named_programmes(target: Target, public_url: str) -> dict[str, NamedProgramme]:
    """Every reference of ``target``'s requirements that names a registry programme."""
    found: dict[str, NamedProgramme] = {}
    for requirement in target.requirements:
        for reference in requirement.programmes:
            if (named := named_programme(reference, public_url)) is not None:
                found[reference] = named
    return found


class Match(StrEnum):
    NAMED = "named"
    FIELD = "field"


@dataclass(frozen=True, slots=True)
class Stacking:
    """One requirement of a target that takes a programme, and how."""

    requirement: Requirement
    match: Match
    #: For a named programme, the version the reference names (``None``: every version).
    version: int | None = None


def stacking(target: Target, public_url: str, *, programme_id: int,
             fields: Iterable[str]) -> tuple[Stacking, ...]:
    """The requirements of ``target`` that take the registry programme ``programme_id``
    (classified in ``fields``), in the target's order (see the module docstring)."""
    classified = frozenset(fields)
    found: list[Stacking] = []
    for requirement in target.requirements:
        named = [n for reference in requirement.programmes
                 if (n := named_programme(reference, public_url)) is not None
                 and n.programme_id == programme_id]
        if named:
            versions = {n.version for n in named}
            found.append(Stacking(requirement, Match.NAMED,
                                  None if None in versions else max(v for v in versions
                                                                    if v is not None)))
        elif (not requirement.programmes and requirement.field is not None
              and requirement.field in classified):
            found.append(Stacking(requirement, Match.FIELD))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class StackingIndex:
    """:func:`stacking` for one target, worked out once: the requirements by the registry
    programme they name and by the field they take credits in, for a page that asks about
    many programmes."""

    by_programme: dict[int, tuple[Stacking, ...]]
    by_field: dict[str, tuple[Stacking, ...]]
    order: dict[str, int]

    @classmethod
    def of(cls, target: Target, public_url: str) -> StackingIndex:
        ids = {n.programme_id for n in named_programmes(target, public_url).values()}
        by_programme = {i: stacking(target, public_url, programme_id=i, fields=())
                        for i in ids}
        by_field: dict[str, list[Stacking]] = {}
        for requirement in target.requirements:
            if not requirement.programmes and requirement.field is not None:
                by_field.setdefault(requirement.field, []).append(
                    Stacking(requirement, Match.FIELD))
        return cls(by_programme, {k: tuple(v) for k, v in by_field.items()},
                   {r.id: index for index, r in enumerate(target.requirements)})

    def stacking(self, *, programme_id: int, fields: Iterable[str]) -> tuple[Stacking, ...]:
        """As :func:`stacking`, from the index."""
        found = list(self.by_programme.get(programme_id, ()))
        for field in dict.fromkeys(fields):
            found.extend(self.by_field.get(field, ()))
        if len(found) < 2:
            return tuple(found)
        return tuple(sorted(found, key=lambda s: self.order[s.requirement.id]))
