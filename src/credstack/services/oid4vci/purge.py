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
from typing import Any, Final

from sqlalchemy import and_, or_

from credstack.adapters.db.tables.oid4vc import Oid4vciNonceRow, Oid4vciOfferRow, Oid4vpRequestRow
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


def _expired(now: dt.datetime) -> dict[str, tuple[Any, Any]]:
    """Each table's rows that may go at ``now``: (its id column, the condition)."""
    return {
        "nonces": (Oid4vciNonceRow.id, Oid4vciNonceRow.expires_at < now - NONCE_MARGIN),
        "offers": (Oid4vciOfferRow.id, or_(
            and_(Oid4vciOfferRow.issuer_state.is_(None),
                 Oid4vciOfferRow.expires_at < now - OFFER_GRACE),
            Oid4vciOfferRow.expires_at < now - ISSUER_STATE_GRACE)),
        "requests": (Oid4vpRequestRow.id, or_(
            and_(Oid4vpRequestRow.responded_at.is_(None), Oid4vpRequestRow.expires_at < now),
            Oid4vpRequestRow.expires_at < now - ANSWER_KEPT)),
    }


def purge(runtime: Runtime, *, actor: Actor, batch: int = BATCH) -> Purged:
    """Delete the expired nonces, offers and presentation requests (see the module), at most
    ``batch`` rows of each per transaction; how many went. Audited once: ``oid4vc.purged``."""
    return Purged(**housekeeping.delete_expired(runtime, actor=actor, expired=_expired,
                                                action="oid4vc.purged", subject="oid4vc",
                                                batch=batch))
