"""How credstack writes a day for people: ``1 May 2025`` in English, ``2025年5月1日`` in
Japanese — on pages, certificates, certification marks and verification verdicts alike — and
CLDR's long date in the other languages (``2025년 5월 1일``, ``1 พฤษภาคม 2568``), as Babel
writes it."""

from __future__ import annotations

import datetime as dt
from typing import Final

__all__ = ["day_in", "day_text"]

_MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def day_text(day: dt.date, language: str) -> str:
    """``day`` as a person reads it in ``language``: as credstack always wrote it in Japanese
    and English, CLDR's long date in another language Babel knows (``zh-Hans``, ``th``, …),
    else in English."""
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    if language != "en":
        from babel.core import UnknownLocaleError
        from babel.dates import format_date

        try:
            return format_date(day, format="long", locale=language.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            pass
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_in(value: object) -> dt.date | None:
    """The day an ISO 8601 date or date-time string names (a date-time's day in the zone it
    is written in), ``None`` for anything else: how a credential's dates are read for
    showing and comparing."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None
