"""The corporate number's check digit, as the National Tax Agency's rule computes it."""

from __future__ import annotations

import pytest

from credstack.core.console.corporate_number import check_digit, corporate_number
from credstack.errors import InputError


def test_the_agencys_example_has_check_digit_seven() -> None:
    """7123456789012: Σ P×Q = 74, 74 mod 9 = 2, 9 − 2 = 7."""
    assert check_digit("123456789012") == 7
    assert corporate_number("7123456789012") == "7123456789012"


@pytest.mark.parametrize(
    "typed", ["７１２３４５６７８９０１２", "7-1234-5678-9012", " 7123 456789012 "]
)
def test_numbers_are_read_as_people_type_them(typed: str) -> None:
    """Full-width digits, hyphens and spaces are accepted and dropped."""
    assert corporate_number(typed) == "7123456789012"


def test_a_wrong_check_digit_is_refused_in_both_languages() -> None:
    """One digit off: the error names the field and says what to check, in ja and en."""
    with pytest.raises(InputError) as raised:
        corporate_number("6123456789012")
    problem = raised.value.problems[0]
    assert problem.location == "corporate_number"
    assert "check digit" in problem.message and "検査用数字" in problem.message_ja


@pytest.mark.parametrize("typed", ["712345678901", "71234567890123", "712345678901A", ""])
def test_anything_but_thirteen_digits_is_refused(typed: str) -> None:
    """Twelve digits, fourteen, a letter, nothing."""
    with pytest.raises(InputError, match="13"):
        corporate_number(typed)
