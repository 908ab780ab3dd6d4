"""A wallet's stored credentials read as :class:`WalletItem`: what lists and pages show.

The columns lists read (:data:`LISTED`: never the original bytes nor the import report),
each row's tags and collections, the record's order and which credentials count in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from credstack.adapters.db.engine import read_json
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.adapters.db.transactions import Session
from credstack.core.verification.verdict import Outcome
from credstack.core.wallet.entries import Entry, Summary
from credstack.errors import NotFoundError

__all__ = ["OUTCOMES", "WalletItem", "aware", "counts", "fresh_item", "item_of",
           "items_of", "newest_first", "not_held", "owned_row"]


@dataclass(frozen=True, slots=True)
class WalletItem:
    """One credential in the wallet, as lists and pages show it."""

    public_id: str
    kind: str
    media_type: str
    filename: str | None
    source: str
    source_url: str | None
    credential_id: str | None
    recipient: str | None
    imported_at: dt.datetime
    entry: Entry
    #: The latest check (see :func:`~.credentials.check`).
    outcome: Outcome
    failed_check: str | None
    #: Why it failed, in the verdict's words: ``revoked``, ``suspended``, ``expired``,
    #: ``not-yet-valid``, ``altered`` … or the failed check's own code
    #: (:class:`~credstack.core.verification.verdict.Reason`); ``None`` when it did not fail
    #: (or was last checked before this was kept).
    failed_reason: str | None
    checked_at: dt.datetime
    note: str
    tags: tuple[str, ...]
    #: (public id, name) of each collection it is in.
    collections: tuple[tuple[str, str], ...]

    def verified(self, now: dt.datetime) -> bool:
        """Whether it counts in the record (see :func:`counts`)."""
        return counts(self.outcome, self.entry, now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.public_id, "format": self.kind, "media_type": self.media_type,
            "filename": self.filename, "source": self.source, "source_url": self.source_url,
            "credential_id": self.credential_id, "recipient": self.recipient,
            "imported_at": _stamp(self.imported_at), "entry": self.entry.to_dict(),
            "outcome": self.outcome.value, "failed_check": self.failed_check,
            "failed_reason": self.failed_reason,
            "checked_at": _stamp(self.checked_at), "note": self.note, "tags": list(self.tags),
            "collections": [{"id": public_id, "name": name}
                            for public_id, name in self.collections],
        }


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


#: A stored outcome's value → the outcome (a lookup, not ``Outcome(value)``: a record reads
#: a thousand).
OUTCOMES: Final = {outcome.value: outcome for outcome in Outcome}


def items_of(session: Session, rows: Sequence[Any], *, owner: int | None = None
             ) -> list[WalletItem]:
    """The items of ``rows`` (stored wallet credentials, or their :data:`LISTED` columns),
    with their tags and collections: asked by the rows' ids, or, for a whole wallet, by its
    ``owner`` (one query each, not a thousand ids)."""
    tags, collections = wallet_store.belongings(session, [row.id for row in rows], owner=owner)
    return [_view(row, tuple(tags.get(row.id, ())), tuple(collections.get(row.id, ())))
            for row in rows]


def _view(row: Any, tags: tuple[str, ...],
          collections: tuple[tuple[str, str], ...]) -> WalletItem:
    return WalletItem(
        public_id=row.public_id, kind=row.kind, media_type=row.media_type,
        filename=row.filename, source=row.source, source_url=row.source_url,
        credential_id=row.credential_id, recipient=row.recipient,
        imported_at=aware(row.imported_at),
        entry=_entry(row.entry) if isinstance(row.entry, str) else Entry.from_dict(row.entry),
        outcome=OUTCOMES[row.outcome], failed_check=row.failed_check,
        failed_reason=row.failed_reason, checked_at=aware(row.checked_at), note=row.note,
        tags=tags, collections=collections)


@lru_cache(maxsize=4096)
def _entry(text: str) -> Entry:
    """The entry stored as ``text``: read once while it is among the last 4,096 read (a
    record of 1,000 credentials is read whole for the API, again and again; an entry changes
    only with its text, when a recheck finds another recognition). About 12 MiB when full."""
    return Entry.from_dict(read_json(text))


def aware(moment: dt.datetime) -> dt.datetime:
    # SQLite returns what it stored without its zone; every stamp here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def fresh_item(row: Any) -> WalletItem:
    """A credential just kept: in no tag nor collection yet."""
    return _view(row, (), ())


def item_of(session: Session, row: Any) -> WalletItem:
    return items_of(session, [row])[0]


def owned_row(session: Session, user_id: int, public_id: str) -> Any:
    """The caller's stored credential ``public_id``; NotFoundError for anyone else's (the
    same answer as for an id that does not exist: ids are never confirmed to strangers)."""
    row = wallet_store.owned(session, user_id=user_id, public_id=public_id)
    if row is None:
        raise not_held(public_id)
    return row


def issued_here(session: Session, user_id: int, public_id: str) -> str | None:
    """The id of the caller's credential ``public_id`` when this platform issued it to one of
    their identifiers (what its PDF certificate or EDC can be made from); else ``None``."""
    row = owned_row(session, user_id, public_id)
    if row.credential_id is None or row.recipient is None:
        return None
    return row.credential_id if credential_store.is_issued(session, row.credential_id) \
        else None


def not_held(public_id: str) -> NotFoundError:
    """What asking for a credential the caller's wallet does not hold answers."""
    return NotFoundError(code="wallet.refused.no_credential", params={"public_id": public_id})


def newest_first(entry: Entry | Summary, imported_at: dt.datetime
                 ) -> tuple[dt.datetime, dt.datetime]:
    """The record's order (sort descending): when it was issued, else when it was imported."""
    return entry.issued or imported_at, imported_at


def counts(outcome: Outcome, entry: Entry | Summary, now: dt.datetime) -> bool:
    """Whether a credential counts in the record: verified at its latest check, and not
    expired since."""
    return outcome.trusted and not entry.expired(now)
