"""The kinds of numeric and structural rule a framework profile can state.

A profile (``profiles/*.yaml``) lists rules as data — ``{check: effort-hours, min: 60}`` —
and each ``check`` names one class below. A rule looks only at the descriptor it is about and
stays silent when that descriptor is absent: absence is reported once, by the profile's
required set, not again by every rule that would have read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from credstack.core import vocabularies
from credstack.core.descriptors.catalogue import CreditSystemInfo, credit_systems
from credstack.core.descriptors.findings import Finding, Severity
from credstack.core.descriptors.labels import LABELLED
from credstack.core.descriptors.models import (
    CertificationKind,
    CreditSystem,
    LevelFramework,
    MultilingualText,
    Programme,
    QualityAssuranceKind,
)
from credstack.core.said import InLanguages, Listed, Named, Said


def _n(value: Decimal) -> str:
    """A number as people write it: no trailing zeros, at most two decimals."""
    rounded = value.quantize(Decimal("0.01")).normalize()
    return f"{rounded:f}"


def _in_languages(info: CreditSystemInfo, text: MultilingualText, **own: str) -> InLanguages:
    """A credit system's name or unit: in English and Japanese as its data file writes it
    (``own``: instead), in the other languages the ``credit-unit`` vocabulary's name for its
    credits."""
    return InLanguages({
        **{language: named for language in vocabularies.languages()
           if (named := vocabularies.names("credit-unit", language).get(info.system.value))},
        **text.root, **own})


def _unit(info: CreditSystemInfo, amount: Decimal | None = None) -> InLanguages:
    """The unit after ``amount`` (one credit, or any other number; none: any number)."""
    return _in_languages(info, info.unit, **({} if amount is None else
                                             {"en": info.unit_for(amount, "en")}))


def _range(low: Decimal, high: Decimal) -> Said | str:
    """One number, or a range of two as the reader's language writes it (``1–2``, ``1〜2``)."""
    return _n(low) if low == high else Said("programme.finding.range", low=_n(low),
                                            high=_n(high))


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: Severity = Severity.ERROR

    def findings(self, programme: Programme) -> Iterator[Finding]:
        raise NotImplementedError

    def _finding(self, code: str, path: str, severity: Severity | None = None, *,
                 key: str | None = None, **values: Any) -> Finding:
        """A finding said by the key ``programme.finding.<key, else code>`` with ``values``."""
        return Finding(code, path, severity or self.severity,
                       Said(f"programme.finding.{key or code}", **values))


class EffortHours(_Rule):
    """Learner effort in hours is at least ``min`` and (when given) below ``below``."""

    check: Literal["effort-hours"]
    min: Decimal | None = None
    below: Decimal | None = None
    below_reason: MultilingualText | None = None

    def findings(self, programme: Programme) -> Iterator[Finding]:
        effort = programme.learner_effort
        if effort is None:
            return
        if self.min is not None and effort.hours < self.min:
            yield self._finding("effort-below-minimum", "learner_effort.hours",
                                hours=_n(effort.hours), minimum=_n(self.min))
        if self.below is not None and effort.hours >= self.below:
            if self.below_reason is None:
                yield self._finding("effort-above-maximum", "learner_effort.hours",
                                    hours=_n(effort.hours), below=_n(self.below))
            else:
                yield self._finding("effort-above-maximum", "learner_effort.hours",
                                    key="effort-above-maximum-because", hours=_n(effort.hours),
                                    below=_n(self.below),
                                    reason=InLanguages(self.below_reason.root))


class EffortCredits(_Rule):
    """Credits in one system lie in ``[min, max]``; stated, or else derived from the hours."""

    check: Literal["effort-credits"]
    system: CreditSystem
    min: Decimal | None = None
    max: Decimal | None = None
    #: Above this the programme is larger than most under the framework (an info finding).
    typical_max: Decimal | None = None
    #: The credits must be stated in this system, not only derivable from the hours.
    stated: bool = False

    def findings(self, programme: Programme) -> Iterator[Finding]:
        effort = programme.learner_effort
        if effort is None:
            return
        info = credit_systems()[self.system]
        path = "learner_effort.credits"
        stated = effort.credits_in(self.system)
        if stated is None and self.stated:
            yield self._finding("credits-not-stated", path,
                                system=_in_languages(info, info.name))
            return
        basis: Said
        if stated is not None:
            low = high = stated
            basis = Said("programme.finding.credits-stated", amount=_n(stated),
                         unit=_unit(info, stated))
        else:
            low, high = info.credits_for_hours(effort.hours)
            basis = Said("programme.finding.credits-from-hours", hours=_n(effort.hours),
                         credits=_range(low, high),
                         unit=_unit(info, low if low == high else None))
        if self.min is not None and high < self.min:
            yield self._finding("credits-below-minimum", path, basis=basis,
                                minimum=_n(self.min), unit=_unit(info, self.min))
        if self.max is not None and low > self.max:
            yield self._finding("credits-above-maximum", path, basis=basis,
                                maximum=_n(self.max), unit=_unit(info, self.max))
        elif self.typical_max is not None and low > self.typical_max:
            yield self._finding("credits-above-typical", path, Severity.INFO, basis=basis,
                                typical=_n(self.typical_max),
                                unit=_unit(info, self.typical_max))


class CreditsMatchHours(_Rule):
    """Stated credits agree with the stated hours under each system's conversion."""

    check: Literal["credits-match-hours"]
    severity: Severity = Severity.WARNING
    #: How far (as a fraction) the hours may stray from the conversion before it is flagged.
    tolerance: Decimal = Decimal("0.25")

    def findings(self, programme: Programme) -> Iterator[Finding]:
        effort = programme.learner_effort
        if effort is None:
            return
        for index, amount in enumerate(effort.credits):
            info = credit_systems()[amount.system]
            low, high = info.hours_for_credits(amount.value)
            if low * (1 - self.tolerance) <= effort.hours <= high * (1 + self.tolerance):
                continue
            yield self._finding("credits-hours-mismatch", f"learner_effort.credits[{index}]",
                                amount=_n(amount.value), unit=_unit(info, amount.value),
                                expected=_range(low, high), hours=_n(effort.hours))


class Duration(_Rule):
    """The programme runs for at most ``max_weeks`` (stated, or from the delivery dates)."""

    check: Literal["duration"]
    max_weeks: int

    def findings(self, programme: Programme) -> Iterator[Finding]:
        effort = programme.learner_effort
        if effort is not None and effort.duration_weeks is not None:
            if effort.duration_weeks > self.max_weeks:
                yield self._finding("duration-too-long", "learner_effort.duration_weeks",
                                    weeks=effort.duration_weeks, most=self.max_weeks)
            # A stated duration is the programme's length; delivery dates may describe a
            # longer window in which it can be taken (open enrolment), so they are not used.
            return
        for index, period in enumerate(programme.dates_of_delivery):
            if period.end is None:
                continue
            weeks = ((period.end - period.start).days + 1) / 7
            if weeks > self.max_weeks:
                # The days as ISO 8601 writes them, in every language, as they always were.
                yield self._finding("duration-too-long", f"dates_of_delivery[{index}]",
                                    key="delivery-too-long", start=period.start.isoformat(),
                                    end=period.end.isoformat(), most=self.max_weeks)


class LevelFrameworkRule(_Rule):
    """A level is stated in one of the named qualifications frameworks."""

    check: Literal["level-framework"]
    frameworks: tuple[LevelFramework, ...]

    def findings(self, programme: Programme) -> Iterator[Finding]:
        if not programme.levels:
            return
        if any(level.framework in self.frameworks for level in programme.levels):
            return
        *first, last = (framework.value for framework in self.frameworks)
        names = Said("programme.finding.either", first=Listed(first), last=last) \
            if first else last
        # The levels given as their codes say them (``EQF 5, MQF 4``), in every language.
        stated = ", ".join(f"{level.framework.value} {level.level}" for level in programme.levels)
        yield self._finding("level-framework-missing", "levels", frameworks=names,
                            stated=stated)


class QualityAssuranceRule(_Rule):
    """Quality assurance of the given kind (e.g. internal, published) is recorded."""

    check: Literal["quality-assurance"]
    kind: QualityAssuranceKind

    def findings(self, programme: Programme) -> Iterator[Finding]:
        if not programme.quality_assurance:
            return
        if any(qa.kind is self.kind for qa in programme.quality_assurance):
            return
        yield self._finding(f"{self.kind.value}-quality-assurance-missing", "quality_assurance")


class CertificationKindRule(_Rule):
    """The certification includes one of the named kinds (e.g. a 履修証明書)."""

    check: Literal["certification-kind"]
    kinds: tuple[CertificationKind, ...]

    def findings(self, programme: Programme) -> Iterator[Finding]:
        certification = programme.certification
        if certification is None or set(certification.kinds) & set(self.kinds):
            return
        # The kinds by their names: the code is for the profile's file, not for the reader.
        vocabulary = LABELLED[CertificationKind]
        yield self._finding("certification-kind-missing", "certification.kinds",
                            kinds=Listed(Named(vocabulary, kind.value) for kind in self.kinds))


Rule = Annotated[
    EffortHours | EffortCredits | CreditsMatchHours | Duration | LevelFrameworkRule
    | QualityAssuranceRule | CertificationKindRule,
    Field(discriminator="check"),
]
