"""Forgetting the LTI tool's rows whose time is over.

Every worker runs :func:`purge` once an hour (``credstack lti purge`` runs it now). It
deletes, in batches of at most ``batch`` rows per table and transaction
(:mod:`credstack.services.housekeeping`):

* spent login states once :data:`~credstack.services.lti.launches.STATE_LIFETIME` and
  :data:`STATE_MARGIN` have passed: a state carries its own end, so a replay of a state whose
  row went is refused as stale before its row would be looked for;
* launches once :data:`LAUNCH_KEPT` has passed: a launch page is refused after
  :data:`~credstack.services.lti.launches.LAUNCH_LIFETIME` anyway, and a launch holds what the
  LMS said of a person (name, e-mail, roles), which is kept no longer than it serves. Until it
  goes, an old page says "over 8 hours old"; the audit log keeps ``lti.launch.accepted``.

One audit entry per run that removed anything (``lti.purged``, with the counts); a run that
found nothing leaves no entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from credstack.adapters.db.repositories import lti as lti_store
from credstack.core.access import Actor
from credstack.services import housekeeping
from credstack.services.housekeeping import BATCH
from credstack.services.lti.launches import STATE_LIFETIME
from credstack.services.runtime import Runtime

__all__ = ["BATCH", "LAUNCH_KEPT", "STATE_MARGIN", "Purged", "purge"]

#: Workers' clocks may differ a little: nothing goes the moment it ends.
STATE_MARGIN: Final = dt.timedelta(minutes=5)
#: How long a launch is kept: a week, so that a page opened again says why it is refused.
LAUNCH_KEPT: Final = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows of each kind one run deleted."""

    logins: int = 0
    launches: int = 0

    @property
    def total(self) -> int:
        return self.logins + self.launches

    def to_dict(self) -> dict[str, Any]:
        return {"logins": self.logins, "launches": self.launches}


#: The rows that may go at a moment, with the margins above.
_EXPIRED: Final = partial(lti_store.expired, state_kept=STATE_LIFETIME + STATE_MARGIN,
                          launch_kept=LAUNCH_KEPT)


def purge(runtime: Runtime, *, actor: Actor, batch: int = BATCH) -> Purged:
    """Delete the spent login states and the launches past their keeping (see the module),
    at most ``batch`` rows of each per transaction; how many went. Audited once:
    ``lti.purged``."""
    return Purged(**housekeeping.delete_expired(runtime, actor=actor, expired=_EXPIRED,
                                                action="lti.purged", subject="lti",
                                                batch=batch))
