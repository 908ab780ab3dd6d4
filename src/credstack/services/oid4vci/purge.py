"""Forgetting the OpenID for Verifiable Credentials rows whose time is over.

Every worker runs :func:`purge` once an hour (``credstack oid4vc purge`` runs it now). It
deletes, in batches of at most ``batch`` rows per table and transaction so that no run holds
long locks:

* used ``c_nonce`` digests once their row's end has passed by :data:`NONCE_MARGIN` (the nonce
  carries its own time and is refused after it anyway; the margin covers the five seconds a
  nonce may come from the future);
* credential offers past their end by :data:`OFFER_GRACE` — the ten minutes a pre-authorised
  token lives, so a replayed code is still recognised (and the token it gave revoked) while
  that token could be used — or, for an offer naming an ``issuer_state``, by
  :data:`ISSUER_STATE_GRACE`, the refresh tokens' lifetime (a learner's authorisation may
  still name that offer; after it, such a token receives no credential);
* OID4VP requests never answered, past their end; answered ones :data:`ANSWER_KEPT` after
  their end (the asker's outcome and the presented credentials are kept that long to be
  read, no longer).

One audit entry per run that removed anything (``oid4vc.purged``, with the counts), written
in the run's last transaction; a run that found nothing leaves no entry
(:mod:`credstack.services.housekeeping` runs the batches).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.core.access import Actor
from credstack.services import housekeeping, oauth
from credstack.services.housekeeping import BATCH
from credstack.services.oid4vci.grants import PRE_AUTHORIZED_TTL
from credstack.services.runtime import Runtime

__all__ = ["ANSWER_KEPT", "BATCH", "ISSUER_STATE_GRACE", "NONCE_MARGIN", "OFFER_GRACE", "Purged",
           "purge"]

NONCE_MARGIN: Final = dt.timedelta(minutes=1)
OFFER_GRACE: Final = dt.timedelta(seconds=PRE_AUTHORIZED_TTL)
ISSUER_STATE_GRACE: Final = oauth.REFRESH_TTL
ANSWER_KEPT: Final = dt.timedelta(days=30)
#: The rows that may go at a moment, with the margins above.
_EXPIRED: Final = partial(offer_store.expired, nonce_margin=NONCE_MARGIN, offer_grace=OFFER_GRACE,
                          issuer_state_grace=ISSUER_STATE_GRACE, answer_kept=ANSWER_KEPT)


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows of each kind one run deleted."""

    nonces: int = 0
    offers: int = 0
    requests: int = 0

    @property
    def total(self) -> int:
        return self.nonces + self.offers + self.requests

    def to_dict(self) -> dict[str, Any]:
        return {"nonces": self.nonces, "offers": self.offers, "requests": self.requests}


def purge(runtime: Runtime, *, actor: Actor, batch: int = BATCH) -> Purged:
    """Delete the expired nonces, offers and presentation requests (see the module), at most
    ``batch`` rows of each per transaction; how many went. Audited once: ``oid4vc.purged``."""
    return Purged(**housekeeping.delete_expired(runtime, actor=actor, expired=_EXPIRED,
                                                action="oid4vc.purged", subject="oid4vc",
                                                batch=batch))
