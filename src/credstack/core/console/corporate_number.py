"""The corporate number (法人番号), the National Tax Agency's 13-digit number of a legal entity.

Rule: 法人番号の指定等に関する省令 (平成二十六年財務省令第七十号) 第二条, as the National Tax
Agency publishes it (https://www.houjin-bangou.nta.go.jp/): the number is a check digit
followed by a 12-digit base number (基礎番号). Counting the base number's digits from the
right, ``P_n`` is the n-th digit and ``Q_n`` is 1 when n is odd, 2 when it is even; the check
digit is ``9 - (Σ P_n × Q_n mod 9)``, so it is 1 to 9 and a number never starts with 0. The
Agency's own example: ``7123456789012``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from credstack.errors import InputError, Problem

__all__ = ["check_digit", "corporate_number"]

_DIGITS: Final = re.compile(r"\d{13}")


def check_digit(base: str) -> int:
    """The check digit of a 12-digit base number."""
    if not re.fullmatch(r"\d{12}", base):
        raise ValueError("a base number is 12 digits")
    total = sum(
        int(digit) * (1 if n % 2 == 1 else 2) for n, digit in enumerate(reversed(base), start=1)
    )
    return 9 - total % 9


def corporate_number(text: str, *, field: str = "corporate_number") -> str:
    """``text`` as a corporate number: 13 digits (full-width digits, spaces and hyphens as
    people type them are accepted) whose first is the check digit of the other twelve;
    :class:`~credstack.errors.InputError` naming ``field`` otherwise."""
    cleaned = re.sub(r"[\s\-‐－]", "", unicodedata.normalize("NFKC", text))
    if not _DIGITS.fullmatch(cleaned):
        raise _refused(field, "A corporate number is 13 digits.", "法人番号は13桁の数字です。")
    if int(cleaned[0]) != check_digit(cleaned[1:]):
        raise _refused(
            field,
            "This corporate number's check digit (its first digit) does not match "
            "the other twelve: check the number on the National Tax Agency's "
            "corporate number site.",
            "法人番号の検査用数字（先頭の1桁）が残りの12桁と合いません。国税庁法人番号"
            "公表サイトで番号を確かめてください。",
        )
    return cleaned


def _refused(field: str, en: str, ja: str) -> InputError:
    return InputError(f"{en} / {ja}", problems=[Problem(field, en, ja)])
