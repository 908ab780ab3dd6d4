"""Grade scales and the grade point average by a published rule (issue 56).

A course result is graded on one of the institution's scales (each grade's printed name is
the ``registrar-grade`` vocabulary's, in Japanese and English):

* ``jp`` — shu, yu, ryo, ka, fuka (4, 3, 2, 1, 0 grade points; printed in kanji in Japanese);
* ``letter`` — S, A, B, C, F (4, 3, 2, 1, 0);
* ``pass_fail`` — pass / fail (also ``P`` / ``F``): credits earned on a pass, no grade points;
* ``transfer`` — transfer (also ``T``): credit recognised from elsewhere, no grade points.

An export may write a grade by its code or by its Japanese or English name.

The GPA rule (:data:`STANDARD_RULE`, the rule most Japanese universities publish after the
2008 Central Council for Education report): GPA = sum(grade points x credits) / sum(credits of
every course graded on a point scale, failures included), rounded half up to two decimals;
pass/fail and transferred courses count toward credits earned, not toward the GPA. A record
with no graded course has no GPA (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from credstack.core import vocabularies

__all__ = ["SCALES", "STANDARD_RULE", "GpaRule", "Grade", "Scale", "credits_earned",
           "grade_of"]


class Scale(StrEnum):
    JP = "jp"
    LETTER = "letter"
    PASS_FAIL = "pass_fail"  # noqa: S105 (a grade scale, not a password)
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade as the record keeps it: its scale, its code (``mark``), its grade points
    (``None``: outside the GPA) and whether its credits are earned."""

    scale: Scale
    mark: str
    points: Decimal | None
    passed: bool


def _scale(scale: Scale, marks: Mapping[str, tuple[int | None, bool]]) -> dict[str, Grade]:
    return {mark: Grade(scale, mark, None if points is None else Decimal(points), passed)
            for mark, (points, passed) in marks.items()}


#: Every scale's grades by code.
SCALES: Mapping[Scale, Mapping[str, Grade]] = {
    Scale.JP: _scale(Scale.JP, {"shu": (4, True), "yu": (3, True), "ryo": (2, True),
                                "ka": (1, True), "fuka": (0, False)}),
    Scale.LETTER: _scale(Scale.LETTER, {"S": (4, True), "A": (3, True), "B": (2, True),
                                        "C": (1, True), "F": (0, False)}),
    Scale.PASS_FAIL: _scale(Scale.PASS_FAIL, {"pass": (None, True), "fail": (None, False)}),
    Scale.TRANSFER: _scale(Scale.TRANSFER, {"transfer": (None, True)}),
}

#: Other spellings a student-information system writes, per scale (upper case).
_ALIASES: Mapping[Scale, Mapping[str, str]] = {
    Scale.JP: {},
    Scale.LETTER: {"AA": "S", "D": "F"},
    Scale.PASS_FAIL: {"P": "pass", "F": "fail"},
    Scale.TRANSFER: {"T": "transfer", "TR": "transfer", "N": "transfer"},
}


def _spellings() -> dict[Scale, dict[str, str]]:
    """Each scale's grades by every way an export writes them: the code, the Japanese and
    the English names (upper case), the aliases."""
    names = vocabularies.pairs("registrar-grade", "ja", "en")
    found: dict[Scale, dict[str, str]] = {}
    for scale, grades in SCALES.items():
        spelled = {code.upper(): code for code in grades}
        for code in grades:
            japanese, english = names[code]
            spelled.setdefault(japanese.upper(), code)
            spelled.setdefault(english.upper(), code)
        found[scale] = spelled | dict(_ALIASES[scale])
    return found


_SPELLINGS: Mapping[Scale, Mapping[str, str]] = _spellings()


def grade_of(scale: Scale, mark: str) -> Grade | None:
    """The grade ``mark`` on ``scale`` (its code, its Japanese or English name or another
    spelling, in any letter case), or ``None`` when the scale has no such grade."""
    code = _SPELLINGS[scale].get(mark.strip().upper())
    return None if code is None else SCALES[scale][code]


@dataclass(frozen=True, slots=True)
class GpaRule:
    """A published GPA rule: its name (shown with the figure), how many decimals it keeps,
    and whether failed courses count in the divisor."""

    name: str = "standard-4.0"
    decimals: int = 2
    failures_count: bool = True

    def gpa(self, results: Iterable[tuple[Grade, Decimal]]) -> Decimal | None:
        """The GPA of ``results`` (grade, credits) by this rule; ``None`` with no course on
        a point scale."""
        weighted = Decimal(0)
        attempted = Decimal(0)
        for grade, credits in results:
            if grade.points is None or (not grade.passed and not self.failures_count):
                continue
            weighted += grade.points * credits
            attempted += credits
        if attempted == 0:
            return None
        quantum = Decimal(1).scaleb(-self.decimals)
        return (weighted / attempted).quantize(quantum, rounding=ROUND_HALF_UP)


#: The rule credstack applies unless the institution publishes another.
STANDARD_RULE = GpaRule()


def credits_earned(results: Iterable[tuple[Grade, Decimal]]) -> Decimal:
    """The credits of every passed or recognised course."""
    return sum((credits for grade, credits in results if grade.passed), Decimal(0))
