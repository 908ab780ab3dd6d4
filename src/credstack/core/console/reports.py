"""Reports of a problem with a programme: what a report says, and how often one address may
send one (a flood from one address is refused; the queue stays readable)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

from credstack.errors import InputError, Problem, RateLimitedError

__all__ = [
    "REPORTS_PER_WINDOW",
    "REPORT_WINDOW",
    "ReportReason",
    "ReportStatus",
    "refuse_flood",
    "report_text",
]

#: One address may send this many reports in this long.
REPORTS_PER_WINDOW: Final = 5
REPORT_WINDOW: Final = dt.timedelta(hours=1)
_MAX_TEXT: Final = 2000


class ReportReason(StrEnum):
    WRONG = "wrong"
    MISLEADING = "misleading"
    INAPPROPRIATE = "inappropriate"
    OTHER = "other"


class ReportStatus(StrEnum):
    WAITING = "waiting"
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


def report_text(text: str, *, field: str = "message") -> str:
    """What the reporter wrote: not empty, at most 2,000 characters."""
    cleaned = text.strip()
    if not cleaned:
        raise InputError(
            code="console.report.text_empty",
            problems=[Problem(field, code="console.report.text_empty_field")],
        )
    if len(cleaned) > _MAX_TEXT:
        raise InputError(
            code="console.report.text_long",
            params={"most": _MAX_TEXT},
            problems=[Problem(field, code="console.report.text_long_field",
                              params={"most": _MAX_TEXT})],
        )
    return cleaned


def refuse_flood(recent: int, *, oldest: dt.datetime | None, now: dt.datetime) -> None:
    """Refuse a report when the address sent :data:`REPORTS_PER_WINDOW` in the window
    already (``recent`` of them, the oldest at ``oldest``)."""
    if recent < REPORTS_PER_WINDOW:
        return
    wait = REPORT_WINDOW - (now - oldest) if oldest is not None else REPORT_WINDOW
    seconds = max(int(wait.total_seconds()), 1)
    minutes = -(-seconds // 60)
    raise RateLimitedError(
        code="console.report.flood", params={"minutes": minutes}, retry_after=seconds
    )
