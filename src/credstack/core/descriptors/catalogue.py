"""The catalogue of descriptors and credit systems, read from the data files beside this module.

``descriptors.yaml`` lists every descriptor with where it lives in a document;
``credit_systems.yaml`` says how many hours one credit of each system stands for. Both are
data so that a new descriptor or credit system is an edit of a file, not of code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from credstack.core import yamltext
from credstack.core.descriptors.models import CreditSystem, MultilingualText


class Scope(StrEnum):
    #: Stated once for the whole programme.
    PROGRAMME = "programme"
    #: Stated for each learner when the credential is issued.
    AWARD = "award"


@dataclass(frozen=True, slots=True)
class Descriptor:
    key: str
    path: tuple[str, ...]
    scope: Scope
    name: MultilingualText
    #: The row of seed 002's table of the 17 common descriptors; None for the extras.
    row: int | None

    @property
    def dotted_path(self) -> str:
        return ".".join(self.path)

    def value_in(self, document: object) -> object:
        """The descriptor's value in a document, or None when it is absent or empty."""
        value: object = document
        for attribute in self.path:
            value = getattr(value, attribute, None)
            if value is None:
                return None
        if value == ():
            return None
        return value


@dataclass(frozen=True, slots=True)
class CreditSystemInfo:
    system: CreditSystem
    name: MultilingualText
    #: How an amount is written: "3 ECTS", "2 単位".
    unit: MultilingualText
    #: The unit after an amount of exactly one: "1 Japanese credit".
    unit_one: MultilingualText
    hours_per_credit_min: Decimal
    hours_per_credit_max: Decimal
    #: Where the hours per credit come from (a regulation, a guide, a seed's line).
    source: str = ""
    #: The countries whose programmes count in it (ISO 3166-1 alpha-2).
    countries: frozenset[str] = frozenset()

    def unit_for(self, amount: Decimal, language: str) -> str:
        """The unit after ``amount``: one credit, or any other number of credits."""
        return (self.unit_one if amount == 1 else self.unit).text(language)

    def credits_for_hours(self, hours: Decimal) -> tuple[Decimal, Decimal]:
        """The range of credits that ``hours`` of effort are worth in this system."""
        return hours / self.hours_per_credit_max, hours / self.hours_per_credit_min

    def hours_for_credits(self, credits: Decimal) -> tuple[Decimal, Decimal]:
        """The range of hours that ``credits`` stand for in this system."""
        return credits * self.hours_per_credit_min, credits * self.hours_per_credit_max


def _load_yaml(name: str) -> Any:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yamltext.load(text)


@cache
def descriptors() -> tuple[Descriptor, ...]:
    """Every descriptor, in the order of seed 002's table, then the extras."""
    return tuple(
        Descriptor(
            key=entry["key"],
            path=tuple(entry["path"].split(".")),
            scope=Scope(entry["scope"]),
            name=MultilingualText(entry["name"]),
            row=entry.get("row"),
        )
        for entry in _load_yaml("descriptors.yaml")
    )


@cache
def descriptors_by_key() -> dict[str, Descriptor]:
    return {descriptor.key: descriptor for descriptor in descriptors()}


@cache
def credit_systems() -> dict[CreditSystem, CreditSystemInfo]:
    table = _load_yaml("credit_systems.yaml")
    return {
        CreditSystem(key): CreditSystemInfo(
            system=CreditSystem(key),
            name=MultilingualText(entry["name"]),
            unit=MultilingualText(entry["unit"]),
            unit_one=MultilingualText(entry["unit_one"]),
            hours_per_credit_min=Decimal(str(entry["hours_per_credit"]["min"])),
            hours_per_credit_max=Decimal(str(entry["hours_per_credit"]["max"])),
            source=str(entry.get("source", "")),
            countries=frozenset(str(code) for code in entry.get("countries") or ()),
        )
        for key, entry in table.items()
    }


def credit_systems_of(country: str) -> frozenset[CreditSystem]:
    """The credit systems a programme of ``country`` (ISO 3166-1 alpha-2) counts in."""
    wanted = country.strip().upper()
    return frozenset(system for system, info in credit_systems().items()
                     if wanted in info.countries)


def equivalent_credits(hours: Decimal) -> dict[CreditSystem, tuple[Decimal, Decimal]]:
    """What ``hours`` of learner effort are worth in every known credit system."""
    return {system: info.credits_for_hours(hours) for system, info in credit_systems().items()}
