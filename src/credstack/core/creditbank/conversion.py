"""Conversion between credit systems, from the credits and hours a credential states.

The factors are data: the hours per credit of each system in ``credit_systems.yaml`` (each
naming its source), the systems only the credit bank converts (Korean 학점) and the named
rounding rules in ``credit_conversions.yaml``, both in :mod:`credstack.core.descriptors`.

* :func:`convert` turns an amount of one system into another: the amount becomes hours at
  the source system's *lowest* hours per credit, the hours become credits at the target's
  *highest*, and the result is rounded down by a named :class:`Rounding`. A range (ECTS
  25–30 h) is thus read the most cautious way; the :class:`Converted` keeps every step.
* :func:`appraise` reads what one credential states — credits in any systems, hours — and
  gives the credits it is worth in a target system, or the :class:`Conflict` between its
  stated credits and hours. A conflict is reported, never resolved here: which figure to
  believe is a registrar's decision.

Unknown systems raise :class:`~credstack.errors.CreditConversionError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from importlib import resources
from typing import Any

from credstack.core import vocabularies, yamltext
from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.said import InLanguages, Said
from credstack.errors import CreditConversionError, Problem

__all__ = [
    "Appraisal", "Conflict", "Converted", "CreditRate", "Rounding", "appraise", "convert",
    "credit_rates", "roundings", "unit_of", "worth",
]


@dataclass(frozen=True, slots=True)
class CreditRate:
    """How many hours of learner effort one credit of ``system`` stands for, and why."""

    system: str
    hours_min: Decimal
    hours_max: Decimal
    source: str
    #: How an amount is written: "3 単位", "3 ECTS"; in English after exactly one,
    #: ``unit_one_en`` ("1 Japanese credit").
    unit_ja: str = ""
    unit_en: str = ""
    unit_one_en: str = ""

    def unit(self, language: str, amount: Decimal | None = None) -> str:
        """The unit, after ``amount`` when given (Japanese has no plural)."""
        if language == "ja":
            return self.unit_ja
        return self.unit_one_en if amount == 1 and self.unit_one_en else self.unit_en


@dataclass(frozen=True, slots=True)
class Rounding:
    """A named rounding rule: round down to a multiple of ``step``."""

    name: str
    step: Decimal
    ja: str
    en: str

    def apply(self, value: Decimal) -> Decimal:
        return (value / self.step).to_integral_value(rounding=ROUND_FLOOR) * self.step


@dataclass(frozen=True, slots=True)
class Converted:
    """An amount converted from one system into another, with every step kept."""

    stated: Decimal
    from_system: str
    to_system: str
    #: The hours the conversion went through (None when the systems are the same).
    hours: Decimal | None
    #: Before rounding.
    exact: Decimal
    credits: Decimal
    #: The rounding rule's name; None when nothing was converted.
    rounding: str | None
    #: The sources of the factors used (none when nothing was converted).
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Stated credits whose hours disagree with stated hours, or with other stated credits."""

    system: str
    credits: Decimal
    #: The hours ``credits`` stand for: (lowest, highest).
    implied_hours: tuple[Decimal, Decimal]
    #: What they disagree with: stated hours, or the hours of credits in ``other_system``.
    stated_hours: tuple[Decimal, Decimal]
    other_system: str | None

    @property
    def said(self) -> Said:
        """The conflict as a ``creditbank.conflict.*`` message key with its figures, the
        units named as a person reads them ("単位", "ECTS"), never by the system's key."""
        low, high = (figure(value) for value in self.implied_hours)
        other_low, other_high = (figure(value) for value in self.stated_hours)
        figures = {"amount": figure(self.credits), "unit": unit_of(self.system, self.credits),
                   "implied": low if low == high else f"{low}–{high}",
                   "stated": other_low if other_low == other_high else f"{other_low}–{other_high}"}
        one = "_one" if self.credits == 1 else ""
        if self.other_system is None:
            return Said(f"creditbank.conflict.hours{one}", **figures)
        return Said(f"creditbank.conflict.systems{one}", **figures,
                    other=unit_of(self.other_system))


def unit_of(system: str | None, amount: Decimal | None = None) -> InLanguages | Said | str:
    """The unit a person reads after ``amount`` of ``system`` (any amount when None): hours
    in words, a credit system's unit in Japanese and English as its data writes it (one
    credit or many) and in the other languages as the ``credit-unit`` vocabulary names it;
    a system not known, by its key."""
    if system == "hours":
        return Said("creditbank.unit.hour" if amount == 1 else "creditbank.unit.hours")
    rate = credit_rates().get(system) if system is not None else None
    if rate is None or not rate.unit_en:
        return str(system)
    others = {language: named for language in vocabularies.languages()
              if (named := vocabularies.names("credit-unit", language).get(rate.system))}
    return InLanguages({**others, "ja": rate.unit_ja, "en": rate.unit("en", amount)})


@dataclass(frozen=True, slots=True)
class Appraisal:
    """What one credential is worth in a target system: ``converted`` when its statements
    agree, else None with the ``conflicts``; None without conflicts when it states
    neither credits nor hours."""

    converted: Converted | None
    conflicts: tuple[Conflict, ...]


def _load(name: str) -> Any:
    text = resources.files("credstack.core.descriptors").joinpath(name).read_text("utf-8")
    return yamltext.load(text)


@cache
def credit_rates() -> Mapping[str, CreditRate]:
    """Every credit system the credit bank converts, by its key (``jp-tani``, ``ects``…)."""
    rates = {
        str(system): CreditRate(str(system), info.hours_per_credit_min,
                                info.hours_per_credit_max, info.source,
                                info.unit.text("ja"), info.unit.text("en"),
                                info.unit_one.text("en"))
        for system, info in credit_systems().items()
    }
    for key, entry in _load("credit_conversions.yaml")["systems"].items():
        hours = entry["hours_per_credit"]
        rates[key] = CreditRate(key, Decimal(str(hours["min"])), Decimal(str(hours["max"])),
                                str(entry["source"]), entry["unit"]["ja"], entry["unit"]["en"],
                                entry["unit_one"]["en"])
    return rates


@cache
def roundings() -> Mapping[str, Rounding]:
    """The named rounding rules a pathway may choose from."""
    return {
        name: Rounding(name, Decimal(str(entry["step"])), entry["ja"], entry["en"])
        for name, entry in _load("credit_conversions.yaml")["roundings"].items()
    }


def _rate(system: str) -> CreditRate:
    rate = credit_rates().get(system)
    if rate is None:
        known = tuple(sorted(credit_rates()))
        raise CreditConversionError(
            code="creditbank.ws.conversion.unknown_system", params={"system": system},
            problems=[Problem("system", code="creditbank.ws.conversion.one_of",
                              params={"known": known})])
    return rate


def convert(amount: Decimal, *, from_system: str, to_system: str,
            rounding: Rounding) -> Converted:
    """``amount`` credits of ``from_system`` in ``to_system`` (see the module docstring)."""
    source, target = _rate(from_system), _rate(to_system)
    if from_system == to_system:
        return Converted(amount, from_system, to_system, None, amount, amount, None, ())
    hours = amount * source.hours_min
    exact = hours / target.hours_max
    return Converted(amount, from_system, to_system, hours, exact, rounding.apply(exact),
                     rounding.name, (source.source, target.source))


def _from_hours(hours: Decimal, *, to_system: str, rounding: Rounding) -> Converted:
    target = _rate(to_system)
    exact = hours / target.hours_max
    return Converted(hours, "hours", to_system, hours, exact, rounding.apply(exact),
                     rounding.name, (target.source,))


def appraise(credits: Iterable[tuple[str, Decimal]], hours: Decimal | None, *,
             to_system: str, rounding: Rounding) -> Appraisal:
    """What stated ``credits`` ((system, amount) pairs) and ``hours`` are worth in
    ``to_system``: credits stated in ``to_system`` itself first, then credits of another
    system (the first stated), then hours; a conflict between any two statements instead."""
    stated = tuple(credits)
    conflicts: list[Conflict] = []
    ranges: list[tuple[str, Decimal, tuple[Decimal, Decimal]]] = []
    for system, amount in stated:
        rate = _rate(system)
        ranges.append((system, amount, (amount * rate.hours_min, amount * rate.hours_max)))
    for index, (system, amount, (low, high)) in enumerate(ranges):
        if hours is not None and not low <= hours <= high:
            conflicts.append(Conflict(system, amount, (low, high), (hours, hours), None))
        for other, _, (other_low, other_high) in ranges[index + 1:]:
            if high < other_low or other_high < low:
                conflicts.append(Conflict(system, amount, (low, high),
                                          (other_low, other_high), other))
    if conflicts:
        return Appraisal(None, tuple(conflicts))
    _rate(to_system)
    same = next((amount for system, amount in stated if system == to_system), None)
    if same is not None:
        return Appraisal(convert(same, from_system=to_system, to_system=to_system,
                                 rounding=rounding), ())
    if stated:
        system, amount = stated[0]
        return Appraisal(convert(amount, from_system=system, to_system=to_system,
                                 rounding=rounding), ())
    if hours is not None:
        return Appraisal(_from_hours(hours, to_system=to_system, rounding=rounding), ())
    return Appraisal(None, ())


def worth(credits: Iterable[tuple[str, Decimal]], hours: Decimal | None, *, to_system: str,
          rounding: Rounding) -> tuple[Converted, ...]:
    """What each of a credential's statements — credits in each system, then hours — is
    worth alone in ``to_system``: the figures a registrar chooses among when they conflict
    (:func:`appraise` reports the conflict, never resolves it)."""
    found = [convert(amount, from_system=system, to_system=to_system, rounding=rounding)
             for system, amount in credits]
    if hours is not None:
        found.append(_from_hours(hours, to_system=to_system, rounding=rounding))
    return tuple(found)


def figure(value: Decimal) -> str:
    """A decimal as people write it, without trailing zeros: ``45``, ``37.5``."""
    return format(value.normalize(), "f")
