"""When a learner is told something about a credential they were issued.

An organisation chooses (:class:`NoticeSettings`): whether to remind learners who have not
claimed a credential after ``claim_reminder_days`` days (once), and how many days before a
credential's end of validity to tell them it is coming (by default 30 and 7; each once).
Revocation, suspension and reinstatement are always told.
"""

from __future__ import annotations

import datetime as dt
import json
from base64 import urlsafe_b64decode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.errors import InputError, Problem

__all__ = [
    "DEFAULT_EXPIRY_DAYS",
    "MAX_DAYS",
    "NoticeSettings",
    "expiry_due",
    "read_days",
    "reminder_due",
    "valid_until_in",
    "valid_until_of",
]

DEFAULT_EXPIRY_DAYS: Final = (30, 7)
MAX_DAYS: Final = 365


@dataclass(frozen=True, slots=True)
class NoticeSettings:
    #: ``None``: no reminder.
    claim_reminder_days: int | None = None
    #: Days before the end of validity a notice goes, largest first; empty: none.
    expiry_days: tuple[int, ...] = DEFAULT_EXPIRY_DAYS


def read_days(*, reminder: str, expiry: str) -> NoticeSettings:
    """The settings as a form gives them: ``reminder`` a number of days or empty (none),
    ``expiry`` numbers of days separated by commas or spaces (empty: none). InputError names
    the field, in Japanese and English."""
    problems = []
    days: int | None = None
    if reminder.strip():
        try:
            days = int(reminder.strip())
        except ValueError:
            days = -1
        if not 1 <= days <= MAX_DAYS:
            problems.append(
                Problem(
                    "claim_reminder_days",
                    f"a whole number of days from 1 to {MAX_DAYS}, or empty / "
                    f"1〜{MAX_DAYS} の日数を入力するか、空欄にしてください",
                )
            )
    found: set[int] = set()
    for part in expiry.replace(",", " ").replace("、", " ").split():
        try:
            number = int(part)
        except ValueError:
            number = -1
        if not 1 <= number <= MAX_DAYS:
            problems.append(
                Problem(
                    "expiry_days",
                    f"{part!r}: days from 1 to {MAX_DAYS}, such as 30, 7 / "
                    f"「{part}」：30, 7 のように 1〜{MAX_DAYS} の日数で",
                )
            )
            break
        found.add(number)
    if len(found) > 4:
        problems.append(Problem("expiry_days", "at most four notices / 通知は 4 回まで"))
    if problems:
        raise InputError(
            "The notice settings cannot be saved as given. / 通知の設定を保存できません。",
            problems=problems,
        )
    return NoticeSettings(days, tuple(sorted(found, reverse=True)))


def reminder_due(*, issued_at: dt.datetime, now: dt.datetime, days: int | None) -> bool:
    """Whether a credential issued at ``issued_at`` and not claimed is due its reminder."""
    return days is not None and now >= issued_at + dt.timedelta(days=days)


def expiry_due(*, valid_until: dt.datetime, now: dt.datetime, days: Sequence[int]) -> int | None:
    """The notice due now for a credential valid until ``valid_until``: the smallest number
    of days before it that has been reached (so a late run sends one notice, the nearest),
    ``None`` when none is due or the credential has expired already."""
    if valid_until <= now:
        return None
    reached = [day for day in days if now >= valid_until - dt.timedelta(days=day)]
    return min(reached) if reached else None


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
            ).astimezone(dt.UTC)


def valid_until_of(document: str) -> dt.datetime | None:
    """When a stored credential (JSON text, or a VC-JWT's compact form) stops being valid, in
    UTC: ``validUntil`` (VC 2.0), ``expirationDate`` (VC 1.1) or a JWT's ``exp``."""
    text = document.strip()
    data: Any
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
    else:
        parts = text.split(".")
        if len(parts) < 2:
            return None
        try:
            data = json.loads(urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        except ValueError:
            return None
        if isinstance(data, Mapping) and isinstance(data.get("exp"), int | float):
            return dt.datetime.fromtimestamp(data["exp"], dt.UTC)
        data = data.get("vc", data) if isinstance(data, Mapping) else data
    if not isinstance(data, Mapping):
        return None
    return valid_until_in(data)


def valid_until_in(credential: Mapping[str, Any]) -> dt.datetime | None:
    """:func:`valid_until_of` of a credential already read as JSON (a Data Integrity
    credential as its signer holds it)."""
    return _moment(credential.get("validUntil")) or _moment(credential.get("expirationDate"))
