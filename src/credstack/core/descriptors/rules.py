"""The kinds of numeric and structural rule a framework profile can state.

A profile (``profiles/*.yaml``) lists rules as data — ``{check: effort-hours, min: 60}`` —
and each ``check`` names one class below. A rule looks only at the descriptor it is about and
stays silent when that descriptor is absent: absence is reported once, by the profile's
required set, not again by every rule that would have read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.descriptors.findings import Finding, Severity
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    CertificationKind,
    CreditSystem,
    LevelFramework,
    MultilingualText,
    Programme,
    QualityAssuranceKind,
)


def _n(value: Decimal) -> str:
    """A number as people write it: no trailing zeros, at most two decimals."""
    rounded = value.quantize(Decimal("0.01")).normalize()
    return f"{rounded:f}"


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: Severity = Severity.ERROR

    def findings(self, programme: Programme) -> Iterator[Finding]:
        raise NotImplementedError

    def _finding(self, code: str, path: str, en: str, ja: str, severity: Severity | None = None
                 ) -> Finding:
        return Finding(code, path, severity or self.severity, en, ja)


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
            yield self._finding(
                "effort-below-minimum", "learner_effort.hours",
                f"{_n(effort.hours)} hours is less than the minimum of {_n(self.min)} hours.",
                f"学習量 {_n(effort.hours)} 時間は最低 {_n(self.min)} 時間に足りません。",
            )
        if self.below is not None and effort.hours >= self.below:
            reason_en = f" ({self.below_reason.text('en')})" if self.below_reason else ""
            reason_ja = f"（{self.below_reason.text('ja')}）" if self.below_reason else ""
            yield self._finding(
                "effort-above-maximum", "learner_effort.hours",
                f"{_n(effort.hours)} hours is not less than {_n(self.below)} hours{reason_en}.",
                f"学習量 {_n(effort.hours)} 時間は {_n(self.below)} 時間未満{reason_ja}"
                "である必要があります。",
            )


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
        name_en, name_ja = info.name.text("en"), info.name.text("ja")
        unit_en, unit_ja = info.unit.text("en"), info.unit.text("ja")
        if stated is None and self.stated:
            yield self._finding(
                "credits-not-stated", path,
                f"State the credits in {name_en}.",
                f"{name_ja}での単位数を記載してください。",
            )
            return
        if stated is not None:
            low = high = stated
            basis_en = f"{_n(stated)} {info.unit_for(stated, 'en')}"
            basis_ja = f"{_n(stated)} {unit_ja}"
        else:
            low, high = info.credits_for_hours(effort.hours)
            span = f"{_n(low)}–{_n(high)}" if low != high else _n(low)
            basis_en = (f"{_n(effort.hours)} hours ≈ {span} "
                        f"{info.unit_for(low, 'en') if low == high else unit_en}")
            basis_ja = f"{_n(effort.hours)} 時間 ≈ {span.replace('–', '〜')} {unit_ja}"
        if self.min is not None and high < self.min:
            yield self._finding(
                "credits-below-minimum", path,
                f"{basis_en} is less than the minimum of {_n(self.min)} "
                f"{info.unit_for(self.min, 'en')}.",
                f"{basis_ja} は最低 {_n(self.min)} {unit_ja} に足りません。",
            )
        if self.max is not None and low > self.max:
            yield self._finding(
                "credits-above-maximum", path,
                f"{basis_en} is more than the maximum of {_n(self.max)} "
                f"{info.unit_for(self.max, 'en')}.",
                f"{basis_ja} は上限 {_n(self.max)} {unit_ja} を超えています。",
            )
        elif self.typical_max is not None and low > self.typical_max:
            yield self._finding(
                "credits-above-typical", path,
                f"{basis_en} is larger than most micro-credentials under this framework "
                f"(up to {_n(self.typical_max)} {info.unit_for(self.typical_max, 'en')}).",
                f"{basis_ja} は、この枠組みの多くのマイクロクレデンシャル"
                f"（{_n(self.typical_max)} {unit_ja} まで）より大きい学習量です。",
                Severity.INFO,
            )


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
            expected = f"{_n(low)}" if low == high else f"{_n(low)}–{_n(high)}"
            yield self._finding(
                "credits-hours-mismatch", f"learner_effort.credits[{index}]",
                f"{_n(amount.value)} {info.unit_for(amount.value, 'en')} stands for about "
                f"{expected} hours, "
                f"but the learner effort is {_n(effort.hours)} hours.",
                f"{_n(amount.value)} {info.unit.text('ja')} は約 {expected.replace('–', '〜')} "
                f"時間に相当しますが、学習量は {_n(effort.hours)} 時間です。",
            )


class Duration(_Rule):
    """The programme runs for at most ``max_weeks`` (stated, or from the delivery dates)."""

    check: Literal["duration"]
    max_weeks: int

    def findings(self, programme: Programme) -> Iterator[Finding]:
        effort = programme.learner_effort
        if effort is not None and effort.duration_weeks is not None:
            if effort.duration_weeks > self.max_weeks:
                yield self._finding(
                    "duration-too-long", "learner_effort.duration_weeks",
                    f"{effort.duration_weeks} weeks is longer than {self.max_weeks} weeks.",
                    f"期間 {effort.duration_weeks} 週は {self.max_weeks} 週を超えています。",
                )
            # A stated duration is the programme's length; delivery dates may describe a
            # longer window in which it can be taken (open enrolment), so they are not used.
            return
        for index, period in enumerate(programme.dates_of_delivery):
            if period.end is None:
                continue
            weeks = ((period.end - period.start).days + 1) / 7
            if weeks > self.max_weeks:
                yield self._finding(
                    "duration-too-long", f"dates_of_delivery[{index}]",
                    f"{period.start} to {period.end} is longer than {self.max_weeks} weeks.",
                    f"{period.start} から {period.end} までの期間は {self.max_weeks} 週を"
                    "超えています。",
                )


class LevelFrameworkRule(_Rule):
    """A level is stated in one of the named qualifications frameworks."""

    check: Literal["level-framework"]
    frameworks: tuple[LevelFramework, ...]

    def findings(self, programme: Programme) -> Iterator[Finding]:
        if not programme.levels:
            return
        if any(level.framework in self.frameworks for level in programme.levels):
            return
        names = " or ".join(f.value for f in self.frameworks)
        names_ja = "・".join(f.value for f in self.frameworks)
        stated = ", ".join(f"{level.framework.value} {level.level}" for level in programme.levels)
        yield self._finding(
            "level-framework-missing", "levels",
            f"State the level in {names}; only {stated} is given.",
            f"{names_ja} のレベルを記載してください（記載されているのは {stated} のみです）。",
        )


class QualityAssuranceRule(_Rule):
    """Quality assurance of the given kind (e.g. internal, published) is recorded."""

    check: Literal["quality-assurance"]
    kind: QualityAssuranceKind

    def findings(self, programme: Programme) -> Iterator[Finding]:
        if not programme.quality_assurance:
            return
        if any(qa.kind is self.kind for qa in programme.quality_assurance):
            return
        ja = {"internal": "内部質保証（自己点検・評価）", "external": "外部質保証（第三者評価）"}
        yield self._finding(
            f"{self.kind.value}-quality-assurance-missing", "quality_assurance",
            f"Record the {self.kind.value} quality assurance of the institution or programme.",
            f"機関またはプログラムの{ja[self.kind.value]}を記載してください。",
        )


class CertificationKindRule(_Rule):
    """The certification includes one of the named kinds (e.g. a 履修証明書)."""

    check: Literal["certification-kind"]
    kinds: tuple[CertificationKind, ...]

    def findings(self, programme: Programme) -> Iterator[Finding]:
        certification = programme.certification
        if certification is None or set(certification.kinds) & set(self.kinds):
            return
        # The kinds by their names: the code is for the profile's file, not for the reader.
        wanted_en = ", ".join(label(kind, "en") for kind in self.kinds)
        wanted_ja = "、".join(label(kind, "ja") for kind in self.kinds)
        yield self._finding(
            "certification-kind-missing", "certification.kinds",
            f"The certification must include: {wanted_en}.",
            f"証明の種類に「{wanted_ja}」を含める必要があります。",
        )


Rule = Annotated[
    EffortHours | EffortCredits | CreditsMatchHours | Duration | LevelFrameworkRule
    | QualityAssuranceRule | CertificationKindRule,
    Field(discriminator="check"),
]
