"""Programmes side by side: descriptor by descriptor, with learner effort on one scale.

Up to :data:`MAX_PROGRAMMES` programmes are compared. Every descriptor of the catalogue
(``descriptors.yaml``) becomes a :class:`Row` holding each programme's value and whether the
values differ. Learner effort is also put on common scales: its hours, and what those hours
are worth in every credit system of ``credit_systems.yaml`` — the same conversions the
profiles' credit rules apply (:meth:`CreditSystemInfo.credits_for_hours`) — beside the credits
each provider stated.

Everything here is pure: programmes in, plain data out. Which programmes (their ids and
versions) are compared is the caller's business; :func:`parse_ids` reads the ``ids`` a
visitor asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from credstack.core.descriptors.catalogue import (
    CreditSystemInfo,
    Descriptor,
    Scope,
    credit_systems,
    descriptors,
)
from credstack.core.descriptors.models import LearnerEffort, Programme
from credstack.core.types import MAX_ID
from credstack.errors import InputError, Problem

#: The most programmes one comparison shows (four columns still fit a laptop screen).
MAX_PROGRAMMES = 4
#: The largest id a database integer key can hold; larger numbers name no programme.
#: The longest ``ids`` parameter read: four 19-digit ids and their commas, with room to spare.
MAX_IDS_LENGTH = 200


def _differ(values: Iterable[object]) -> bool:
    """Whether the values are not all equal (one value never differs from itself)."""
    first, *rest = values
    return any(value != first for value in rest)


@dataclass(frozen=True, slots=True)
class Row:
    """One descriptor across the programmes compared."""

    descriptor: Descriptor
    #: Each programme's value, in the order of the programmes; None when it is not stated.
    values: tuple[object, ...]
    differs: bool

    @property
    def at_issuance(self) -> bool:
        """Stated in each learner's credential, so never by a programme: nothing to compare."""
        return self.descriptor.scope is Scope.AWARD


@dataclass(frozen=True, slots=True)
class CreditEquivalent:
    """What one programme's hours are worth in one credit system, and what it states there."""

    low: Decimal
    high: Decimal
    stated: Decimal | None

    @classmethod
    def of(cls, effort: LearnerEffort, system: CreditSystemInfo) -> CreditEquivalent:
        low, high = system.credits_for_hours(effort.hours)
        return cls(low, high, effort.credits_in(system.system))


@dataclass(frozen=True, slots=True)
class CreditRow:
    """Learner effort in one credit system across the programmes; None where no effort."""

    system: CreditSystemInfo
    values: tuple[CreditEquivalent | None, ...]
    differs: bool


@dataclass(frozen=True, slots=True)
class Effort:
    """Learner effort normalised: hours, then every credit system."""

    hours: tuple[Decimal | None, ...]
    hours_differ: bool
    credits: tuple[CreditRow, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    programmes: tuple[Programme, ...]
    rows: tuple[Row, ...]
    effort: Effort

    @property
    def differences(self) -> tuple[Row, ...]:
        """The rows whose values differ."""
        return tuple(row for row in self.rows if row.differs)


def compare(programmes: Sequence[Programme]) -> Comparison:
    """``programmes`` (one to :data:`MAX_PROGRAMMES`) side by side."""
    if not programmes:
        raise InputError("Give at least one programme to compare.",
                         problems=[Problem("ids", "name one to four programmes")])
    _refuse_over_limit(len(programmes))
    chosen = tuple(programmes)
    rows = []
    for descriptor in descriptors():
        values = tuple(descriptor.value_in(programme) for programme in chosen)
        rows.append(Row(descriptor, values, _differ(values)))
    return Comparison(chosen, tuple(rows), normalise_effort(chosen))


def _refuse_over_limit(count: int) -> None:
    """Refuse more than :data:`MAX_PROGRAMMES` programmes (an InputError naming ``ids``)."""
    if count > MAX_PROGRAMMES:
        raise InputError(
            f"At most {MAX_PROGRAMMES} programmes can be compared; {count} were given.",
            problems=[Problem("ids", f"name at most {MAX_PROGRAMMES} programmes")])


def normalise_effort(programmes: Sequence[Programme]) -> Effort:
    """Each programme's learner effort in hours and in every known credit system."""
    efforts = [programme.learner_effort for programme in programmes]
    hours = tuple(effort.hours if effort else None for effort in efforts)
    credits = []
    for system in credit_systems().values():
        values = tuple(CreditEquivalent.of(effort, system) if effort else None
                       for effort in efforts)
        credits.append(CreditRow(system, values, _differ(values)))
    return Effort(hours, _differ(hours), tuple(credits))


def parse_ids(values: Iterable[str]) -> tuple[int, ...]:
    """Programme ids as a visitor gives them: ``12,34,56``, or ``ids`` repeated, or both.

    Duplicates are dropped (the first place counts); empty items are ignored. Anything that
    is not a positive whole number, or more than :data:`MAX_PROGRAMMES` ids, is an
    :class:`~credstack.errors.InputError` naming ``ids``.
    """
    ids: list[int] = []
    for value in values:
        if len(value) > MAX_IDS_LENGTH:
            raise InputError("The ids parameter is too long.",
                             problems=[Problem("ids", f"name at most {MAX_PROGRAMMES} "
                                                      "programmes, e.g. ids=12,34")])
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            if not (item.isascii() and item.isdigit()) or not 1 <= int(item) <= MAX_ID:
                raise InputError(
                    f"{item[:40]!r} is not a programme id.",
                    problems=[Problem("ids", "give programme ids (whole numbers) separated "
                                             "by commas, e.g. ids=12,34")])
            number = int(item)
            if number not in ids:
                ids.append(number)
    if not ids:
        raise InputError("Choose at least one programme to compare.",
                         problems=[Problem("ids", "name one to four programmes, e.g. ids=12,34")])
    _refuse_over_limit(len(ids))
    return tuple(ids)
