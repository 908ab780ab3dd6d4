"""How credstack writes a day for people: ``1 May 2025`` in English, ``2025年5月1日`` in
Japanese — on pages, certificates, certification marks and verification verdicts alike."""

from __future__ import annotations

import datetime as dt
from typing import Final

__all__ = ["day_text"]

_MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def day_text(day: dt.date, language: str) -> str:
    """``day`` as a person reads it in ``language`` (``ja``, else English)."""
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
