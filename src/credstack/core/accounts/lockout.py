"""The sign-in rate limit: how long an account or an address must wait after failing.

An account is locked *for one client address* after :data:`ACCOUNT_FAILURES` failed attempts
from that address within :data:`WINDOW` (counting from its last success there), an address
after :data:`IP_FAILURES` failures on any accounts; the lock holds until the oldest of those
failures leaves the window.

Why per address: a lock on the account alone lets anyone who knows an e-mail address lock
its owner out with five wrong passwords. Counted per (account, address), the guesses stay
bounded — five per address per window on one account, twenty per address in all, each
against a slow password hash — while the owner, signing in from their own address, is never
locked out by failures sent from somewhere else.
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
