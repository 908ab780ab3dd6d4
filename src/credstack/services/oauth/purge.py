"""Forgetting the authorization server's rows whose time is over.

Every worker runs :func:`purge` once an hour (``credstack oauth purge`` runs it now). It
deletes, in batches of at most ``batch`` rows per table and transaction
(:mod:`credstack.services.housekeeping`):

* pushed authorization requests (RFC 9126) once their end has passed by
  :data:`PUSHED_MARGIN`, answered or not: an answered one is kept until then so that its
  ``request_uri`` sent again is told "answered already", an unanswered one can no longer be;
* authorization codes, used or not, once their end has passed by :data:`CODE_GRACE`: a code
  presented a second time revokes every token it gave (RFC 6749 §4.1.2), so it is kept past
  its ten minutes for as long as an access token it gave lives by default (an hour). Tokens
  keep no more than the code's id, set to NULL when it goes; the audit log keeps what was
  recorded of it (``oauth.code.issued``, ``oauth.code.replayed``);
* clients registered (RFC 7591, open to anyone) more than :data:`UNUSED_CLIENT` ago that
  hold no code, token or pushed request: never used, or long done with (the audit log keeps
  ``oauth.client.registered``).

One audit entry per run that removed anything (``oauth.purged``, with the counts); a run
that found nothing leaves no entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from credstack.adapters.db.repositories import oauth as store
from credstack.core.access import Actor
from credstack.services import housekeeping
from credstack.services.housekeeping import BATCH
from credstack.services.runtime import Runtime

__all__ = ["BATCH", "CODE_GRACE", "PUSHED_MARGIN", "UNUSED_CLIENT", "Purged", "purge"]

#: Workers' clocks may differ a little: nothing goes the moment it ends.
PUSHED_MARGIN: Final = dt.timedelta(minutes=1)
#: The default access token lifetime (``CREDSTACK_TOKEN_TTL``).
CODE_GRACE: Final = dt.timedelta(hours=1)
#: How long a registered client may wait for its first use.
UNUSED_CLIENT: Final = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows of each kind one run deleted."""

    pushed: int = 0
    codes: int = 0
    clients: int = 0

    @property
    def total(self) -> int:
        return self.pushed + self.codes + self.clients

    def to_dict(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "codes": self.codes, "clients": self.clients}


#: The rows that may go at a moment, with the margins above.
_EXPIRED: Final = partial(store.expired, pushed_margin=PUSHED_MARGIN, code_grace=CODE_GRACE,
                          unused_client=UNUSED_CLIENT)


def purge(runtime: Runtime, *, actor: Actor, batch: int = BATCH) -> Purged:
    """Delete the expired pushed requests and codes and the unused clients (see the
    module), at most ``batch`` rows of each per transaction; how many went. Audited once:
    ``oauth.purged``."""
    return Purged(**housekeeping.delete_expired(runtime, actor=actor, expired=_EXPIRED,
                                                action="oauth.purged", subject="oauth",
                                                batch=batch))
