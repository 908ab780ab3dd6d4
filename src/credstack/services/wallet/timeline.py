"""One page of a learner's timeline: the credentials it shows, and what the whole record
(or one tag's or collection's part of it) adds up to.

The page shows :data:`PAGE_SIZE` credentials, newest first, but its order, its count and its
totals depend on every credential. Those are read from the few stored fields they need —
when each was issued and expires, its hours, credits and fields, its latest outcome — which
the database picks out of each stored entry; only the credentials on the page are read
whole. A wallet of 1,000 credentials is not read whole to show 50 of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from credstack.adapters.db.engine import read_json
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.core.access import Action, Actor
from credstack.core.wallet.entries import Summary, Totals, totals_of
from credstack.services.runtime import Runtime
from credstack.services.wallet.credentials import refresh
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import (
    OUTCOMES,
    WalletItem,
    counts,
    items_of,
    newest_first,
)

__all__ = ["PAGE_SIZE", "Timeline", "timeline"]

#: Credentials on one page of the timeline.
PAGE_SIZE: Final = 50


@dataclass(frozen=True, slots=True)
class Timeline:
    """Page ``number`` of ``pages`` of the (optionally filtered) record."""

    #: The page's credentials, newest first.
    items: tuple[WalletItem, ...]
    number: int
    pages: int
    #: How many credentials the (filtered) record holds, and what the verified ones add up to.
    count: int
    totals: Totals
    #: How many credentials the whole wallet holds, and every tag used in it.
    held: int
    tags: tuple[str, ...]
    now: dt.datetime

    @property
    def first(self) -> int:
        """The position of the page's first credential in the record (from 0)."""
        return (self.number - 1) * PAGE_SIZE


def timeline(runtime: Runtime, *, actor: Actor, tag: str | None = None,
             collection: str | None = None, number: int = 1) -> Timeline:
    """Page ``number`` of the caller's record (clamped to the pages there are), after
    delivering what was issued to them on this platform (as
    :func:`~.credentials.record` does)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    user_id = principal.user_id
    assert user_id is not None
    refresh(runtime, user_id=user_id, subject=principal.subject)
    now = runtime.now()
    with runtime.sessions() as session:
        summaries = wallet_store.summaries(session, user_id=user_id, members=Summary.MEMBERS,
                                           tag=tag, collection=collection)
        ordered = []
        for row_id, imported_at, outcome, members in summaries:
            summary = _summary(members)
            ordered.append((newest_first(summary, imported_at), row_id, OUTCOMES[outcome],
                            summary))
        ordered.sort(key=lambda summary: summary[0], reverse=True)
        pages = max(1, -(-len(ordered) // PAGE_SIZE))
        number = min(max(number, 1), pages)
        first = (number - 1) * PAGE_SIZE
        shown = [row_id for _, row_id, _, _ in ordered[first:first + PAGE_SIZE]]
        rows = {row.id: row for row in wallet_store.listed(session, user_id=user_id,
                                                           ids=shown)}
        items = items_of(session, [rows[row_id] for row_id in shown if row_id in rows])
        filtered = tag is not None or collection is not None
        held = wallet_store.count(session, user_id=user_id) if filtered else len(ordered)
        tags = wallet_store.tags(session, user_id=user_id)
    totals = totals_of(summary for _, _, outcome, summary in ordered
                       if counts(outcome, summary, now))
    return Timeline(items=tuple(items), number=number, pages=pages, count=len(ordered),
                    totals=totals, held=held, tags=tuple(tags), now=now)


@lru_cache(maxsize=20_000)
def _summary(members: str) -> Summary:
    """The summary of an entry whose members the database gave as ``members`` (JSON text).

    Each page of a record needs the summaries of all its entries, and they stay as they were
    imported: the same texts come back on every page, so each is read once (20,000 of them
    take about 10 MiB).
    """
    return Summary.from_members(read_json(members))
