"""The demo's calendar: services read the time from their runtime (``runtime.now()``), so
the demo lives its past by running them on a copy of the runtime whose clock stands then.

The demo set is registered the month before its history begins (:data:`HISTORY_MONTHS`
months of cohorts before this one), so that no credential predates its programme.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Final

from credstack.services.runtime import Runtime

__all__ = ["HISTORY_MONTHS", "at", "months_back"]

#: The months of history before this one (:mod:`credstack.demo.history`).
HISTORY_MONTHS: Final = 6
#: The day of a past month (and the hour, UTC) the demo's work of that month is done on.
DAY: Final = 12
HOUR: Final = 10


def months_back(today: dt.date, months: int) -> dt.datetime:
    """The moment of the demo's work ``months`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - months
    return dt.datetime(index // 12, index % 12 + 1, DAY, HOUR, tzinfo=dt.UTC)


def at(runtime: Runtime, moment: dt.datetime) -> Runtime:
    """``runtime`` with its clock standing at ``moment`` (its store and caches shared)."""
    return dataclasses.replace(runtime, clock=lambda: moment)
