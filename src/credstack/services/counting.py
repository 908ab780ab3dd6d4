"""Counting an event about a credential credstack issued, when it happens.

:func:`count_in` runs in the caller's transaction (a claim into the wallet, an OID4VCI
issuance, a share link made, an e-mail sent). What a visitor does — the claim link followed,
a verification at the public page or the VC-API — is counted by :func:`count_event` and
:func:`count_verification` without making the visitor wait for the store: the event joins
the runtime's pending counts (a list under a lock, microseconds) and a timer thread writes
whatever is pending, in one transaction, :data:`FLUSH_AFTER` seconds later; the issuer's
view writes them first (:func:`flush`) so that it never shows less than this process saw.
A process killed in that half second loses those counts, never anything else. A credential
credstack did not issue is not counted (and not an error): the verification page and the
VC-API verify anyone's credentials.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any, Final

from credstack.adapters.db import commits
from credstack.adapters.db.repositories import activity as store
from credstack.adapters.db.repositories import platform_counters
from credstack.adapters.db.transactions import Session
from credstack.core.activity.events import Channel, Kind, month_of
from credstack.core.verification.json_values import jws_payload
from credstack.services.runtime import Runtime

__all__ = ["FLUSH_AFTER", "count_event", "count_in", "count_verification", "credential_id_of",
           "flush", "flush_on_close"]

log = logging.getLogger("credstack.activity")


def count_in(session: Session, *, credential_id: str, kind: Kind, at: dt.datetime,
             channel: Channel | None = None) -> bool:
    """Count ``kind`` for ``credential_id`` in the caller's transaction; whether it is one
    of ours (and so was counted)."""
    key = store.credential_key(session, credential_id)
    if key is None:
        return False
    store.count(session, key, kind, at=at, channel=channel.value if channel else None)
    return True


#: Seconds between an event counted by :func:`count_event` and its write.
FLUSH_AFTER: Final = 0.5
#: Pending counts kept at most (beyond, the oldest wait for the next write are dropped: a
#: flood of verifications cannot grow the process without bound).
MAX_PENDING: Final = 100_000
_PENDING: Final = "activity.pending"
#: Credentials' counts written per transaction (a long backlog is written in several, so
#: that no write holds the store's lock for long).
WRITE_AT_ONCE: Final = 1000


class _Pending:
    """The runtime's counts not written yet, and the timer that will write them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[tuple[str, Kind, Channel, dt.datetime]] = []
        self.timer: threading.Timer | None = None
        #: One write of pending counts at a time (the timer's, or a view's before it reads).
        self.writing = threading.Lock()


def _pending(runtime: Runtime) -> _Pending:
    found = runtime.caches.get(_PENDING)
    if found is None:
        found = runtime.caches.setdefault(_PENDING, _Pending())
    return found  # type: ignore[no-any-return]


def count_event(runtime: Runtime, *, credential_id: str, kind: Kind, channel: Channel
                ) -> None:
    """Count ``kind`` for ``credential_id`` now, written within :data:`FLUSH_AFTER` seconds
    (see the module)."""
    if not credential_id or len(credential_id) > 2048:
        return
    pending = _pending(runtime)
    with pending.lock:
        if len(pending.items) < MAX_PENDING:
            pending.items.append((credential_id, kind, channel, runtime.now()))
        if pending.timer is None:
            pending.timer = threading.Timer(FLUSH_AFTER, _flush_later, args=(runtime,))
            pending.timer.daemon = True
            pending.timer.start()


def _flush_later(runtime: Runtime) -> None:
    try:
        flush(runtime)
    except Exception:  # a timer thread has no caller to tell: the log does
        log.exception("activity counts could not be written")


def flush(runtime: Runtime) -> int:
    """Write the runtime's pending counts now, in one transaction; how many were ours."""
    pending = _pending(runtime)
    with pending.writing:
        with pending.lock:
            items, pending.items, pending.timer = pending.items, [], None
        if not items:
            return 0
        # The same credential's events of a kind are added up first: one upsert each.
        grouped: dict[tuple[str, Kind], list[Any]] = {}
        for credential_id, kind, channel, at in items:
            found = grouped.get((credential_id, kind))
            if found is None:
                grouped[(credential_id, kind)] = [channel, 1, at, at]
            else:
                found[1] += 1
                found[2], found[3] = min(found[2], at), max(found[3], at)
        counted = 0
        groups = list(grouped.items())
        for start in range(0, len(groups), WRITE_AT_ONCE):
            verified: dict[str, int] = {}
            with runtime.transaction() as session:
                # Counts are in no generation: verifying must not make every kept one be read.
                commits.leave_uncounted(session)
                for (credential_id, kind), (channel, times, first, last) in \
                        groups[start:start + WRITE_AT_ONCE]:
                    key = store.credential_key(session, credential_id)
                    if key is not None:
                        store.count(session, key, kind, at=last, first_at=first,
                                    channel=channel.value, times=times)
                        counted += times
                        if kind is Kind.VERIFIED:
                            month = month_of(last)
                            verified[month] = verified.get(month, 0) + times
                # The operator's "verified" figure moves with the issuers' counts, in the
                # same transaction (a verification writes no audit entry to raise it).
                for month, times in verified.items():
                    platform_counters.add_to_counters(session, month=month,
                                                      amounts=[("verified", times)])
        return counted


def flush_on_close(runtime: Runtime) -> int:
    """Write the runtime's pending counts as its store closes (a server stopping, a command
    ending), and stop the timer that would write them: none is lost, and no thread writes
    into the store after it closed (a timer firing then opened a new connection to it).
    How many were ours."""
    pending = _pending(runtime)
    with pending.lock:
        timer = pending.timer
    if timer is not None:
        timer.cancel()
    return flush(runtime)


def credential_id_of(document: object) -> str | None:
    """The ``id`` of a credential as a verifier was given it: a JSON object or its text, or
    a VC-JWT (its ``vc.id`` or ``jti``); ``None`` when it names none."""
    data: Any = document
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(data, str):
        text = data.strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                return None
        else:
            data = jws_payload(text)
            if isinstance(data, Mapping):
                vc = data.get("vc")
                found = vc.get("id") if isinstance(vc, Mapping) else None
                data = {"id": found or data.get("jti") or data.get("id")}
    if not isinstance(data, Mapping):
        return None
    found = data.get("id")
    return found if isinstance(found, str) and 0 < len(found) <= 2048 else None


def count_verification(runtime: Runtime, *, document: object, channel: Channel) -> None:
    """Count a verification of ``document`` (as :func:`credential_id_of` reads it) at
    ``channel``, when it names a credential."""
    credential_id = credential_id_of(document)
    if credential_id is not None:
        count_event(runtime, credential_id=credential_id, kind=Kind.VERIFIED, channel=channel)
