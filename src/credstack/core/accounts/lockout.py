"""The sign-in rate limit: how long an account or an address must wait after failing.

An account is locked after :data:`ACCOUNT_FAILURES` failed attempts within :data:`WINDOW`
(counting from its last success), an address after :data:`IP_FAILURES`; the lock holds until
the oldest of those failures leaves the window.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
IP_FAILURES = 20


def retry_after(failures: Sequence[dt.datetime], *, limit: int, now: dt.datetime
                ) -> int | None:
    """Seconds until another attempt is allowed, given the recent failures (newest first,
    at least ``limit`` of them if there are); None when not locked."""
    if len(failures) < limit:
        return None
    until = failures[limit - 1] + WINDOW
    return max(1, math.ceil((until - now).total_seconds()))
