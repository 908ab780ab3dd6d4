"""Grade scales and the GPA rule (issue 56): every scale's marks, the other spellings an SIS
writes, and the GPA equal to an independent recomputation (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.core.registrar.grades import (
    SCALES,
    STANDARD_RULE,
    GpaRule,
    Scale,
    credits_earned,
    grade_of,
)


@pytest.mark.parametrize(("scale", "mark", "points", "passed"), [
    (Scale.JP, "秀", 4, True), (Scale.JP, "優", 3, True), (Scale.JP, "良", 2, True),
    (Scale.JP, "可", 1, True), (Scale.JP, "不可", 0, False), (Scale.JP, "shu", 4, True),
    (Scale.JP, "Fail (Fuka)", 0, False),
    (Scale.LETTER, "S", 4, True), (Scale.LETTER, "a", 3, True), (Scale.LETTER, "F", 0, False),
    (Scale.PASS_FAIL, "P", None, True), (Scale.PASS_FAIL, "否", None, False),
    (Scale.PASS_FAIL, "pass", None, True),
    (Scale.TRANSFER, "T", None, True), (Scale.TRANSFER, "認定", None, True),
])
def test_a_mark_reads_as_its_grade(scale: Scale, mark: str, points: int | None,
                                   passed: bool) -> None:
    """Each scale's marks (and an SIS's other spellings) give their points and pass."""
    grade = grade_of(scale, mark)
    assert grade is not None
    assert grade.points == (None if points is None else Decimal(points))
    assert grade.passed is passed


@pytest.mark.parametrize(("scale", "mark"), [(Scale.JP, "A"), (Scale.LETTER, "優"),
                                             (Scale.PASS_FAIL, "S"), (Scale.TRANSFER, "F")])
def test_a_mark_of_another_scale_is_no_grade(scale: Scale, mark: str) -> None:
    """A mark from another scale is refused, not guessed."""
    assert grade_of(scale, mark) is None


def test_the_gpa_weights_by_credits_and_counts_failures() -> None:
    """(4×2 + 0×2 + 3×1) / 5 = 2.2; pass/fail and transfer stay out of the GPA."""
    results = [(grade_of(Scale.JP, "秀"), Decimal(2)), (grade_of(Scale.JP, "不可"), Decimal(2)),
               (grade_of(Scale.LETTER, "A"), Decimal(1)),
               (grade_of(Scale.PASS_FAIL, "合"), Decimal(4)),
               (grade_of(Scale.TRANSFER, "認定"), Decimal(8))]
    graded = [(grade, credits) for grade, credits in results if grade is not None]
    assert STANDARD_RULE.gpa(graded) == Decimal("2.20")
    assert GpaRule(failures_count=False).gpa(graded) == Decimal("3.67")
    assert credits_earned(graded) == Decimal(15)


def test_no_graded_course_is_no_gpa() -> None:
    """Only pass/fail or transferred courses: no GPA rather than 0."""
    assert STANDARD_RULE.gpa([(SCALES[Scale.PASS_FAIL]["pass"], Decimal(2))]) is None


_GRADES = [grade for scale in SCALES.values() for grade in scale.values()]
_CREDITS = st.integers(min_value=1, max_value=80).map(lambda tenths: Decimal(tenths) / 10)


@given(st.lists(st.tuples(st.sampled_from(_GRADES), _CREDITS), max_size=80))
def test_the_gpa_equals_an_independent_recomputation(
        results: list[tuple[object, Decimal]]) -> None:
    """The GPA is the exact credit-weighted mean of the points, rounded half up to 0.01."""
    points = {"shu": 4, "yu": 3, "ryo": 2, "ka": 1, "fuka": 0, "S": 4, "A": 3, "B": 2, "C": 1,
              "F": 0}
    weighted = Fraction(0)
    attempted = Fraction(0)
    for grade, credits in results:
        mark = grade.mark  # type: ignore[attr-defined]
        if grade.scale in (Scale.JP, Scale.LETTER):  # type: ignore[attr-defined]
            weighted += points[mark] * Fraction(credits)
            attempted += Fraction(credits)
    gpa = STANDARD_RULE.gpa(results)  # type: ignore[arg-type]
    if attempted == 0:
        assert gpa is None
        return
    exact = weighted / attempted
    hundredths = (exact * 100 * 2 + 1) // 2  # half up, exactly
    assert gpa == Decimal(int(hundredths)) / 100
