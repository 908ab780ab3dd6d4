"""Times as the store gives them back (a helper of the repositories: it stores nothing).

credstack stores every time in UTC in ``DateTime(timezone=True)`` columns. PostgreSQL hands
them back aware; SQLite hands them back without their zone, so every repository reads them
through :func:`utc`.
"""

from __future__ import annotations

import datetime as dt


def utc(stamp: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back naive)."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)
