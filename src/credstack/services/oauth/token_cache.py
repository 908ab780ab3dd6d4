"""Bearer tokens this process verified a moment ago, answered without reading the store.

What a bearer token stands for is read from four tables (the token, its client, its owner
and the owner's memberships): four statements and a worker thread on every API request,
2.5–3.3 ms of CPU, more than signing the credential an issue request asks for
(``bench/load.py``). A usable token's answer is kept, under the SHA-256 of the token (never
the token), for :data:`KEPT_SECONDS`, and answered again unless:

* this process has committed a write to a table it is made of since it was read
  (:data:`TABLES`, :func:`~credstack.adapters.db.commits.writes_committed`): a token or a
  client revoked, an account disabled or a role taken away through this process is refused
  or narrowed at its next request, as before;
* the token has expired meanwhile.

A write another process commits (a second server, a CLI command) is seen within
:data:`KEPT_SECONDS` and the time of one read, the same moment a published status list or
programme page takes (:mod:`credstack.services.freshness`): once the moment has passed, the
first request to present the token reads it again, and those presenting it while that read
is under way are answered what was kept (for at most :data:`GRACE_SECONDS` more), so that a
busy client's twenty requests in flight do not all read it at once. A token that is unknown,
revoked or expired is never kept: it is looked up each time it is presented.

Kept in the runtime's caches, one bounded mapping shared by the process's threads.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from cachetools import LRUCache

from credstack.adapters.db.commits import writes_committed
from credstack.services.accounts import TokenInfo
from credstack.services.runtime import Runtime

__all__ = ["GRACE_SECONDS", "KEPT_SECONDS", "TABLES", "known", "verified"]

#: How long a verified token is answered without reading it again.
KEPT_SECONDS: Final = 1.0
#: How much longer it is answered to others while one request reads it again.
GRACE_SECONDS: Final = 1.0
#: What a token's answer is made of: a write committed to one of them reads it again.
TABLES: Final = ("access_tokens", "api_clients", "oauth_tokens", "oauth_clients", "users",
                 "memberships", "organisations")
#: Tokens kept per process.
ENTRIES: Final = 4096
_CACHE: Final = "oauth.verified-tokens"


@dataclass(slots=True)
class _Kept:
    """Digest of a token → (its answer, the writes counted before it was read, read at);
    the digests being read again now."""

    entries: LRUCache[bytes, tuple[TokenInfo, int, float]] = field(
        default_factory=lambda: LRUCache(ENTRIES))
    reading: set[bytes] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _kept(runtime: Runtime) -> _Kept:
    found: _Kept | None = runtime.caches.get(_CACHE)
    if found is None:
        found = runtime.caches.setdefault(_CACHE, _Kept())
    return found


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def _usable(runtime: Runtime, kept: _Kept, key: bytes, *, claim: bool
            ) -> tuple[TokenInfo | None, int]:
    """The kept answer if it may be given now, and the writes counted now; the lock held.
    Past the moment it is given while another request reads it again; with ``claim``, when
    none does, the asker is to read it (noted in ``reading``)."""
    counted = writes_committed(runtime.sessions, tables=TABLES)
    found = kept.entries.get(key)
    if found is None:
        return None, counted
    info, read_with, at = found
    if read_with != counted or runtime.now() >= info.expires_at:
        return None, counted
    age = time.monotonic() - at
    if age < KEPT_SECONDS:
        return info, counted
    if age < KEPT_SECONDS + GRACE_SECONDS and key in kept.reading:
        return info, counted
    if claim and age < KEPT_SECONDS + GRACE_SECONDS:
        kept.reading.add(key)
    return None, counted


def known(runtime: Runtime, token: str) -> TokenInfo | None:
    """What ``token`` stands for if it may be answered without reading it (see the module),
    else ``None`` (without reading: an event loop may ask)."""
    kept = _kept(runtime)
    with kept.lock:
        return _usable(runtime, kept, _digest(token), claim=False)[0]


def verified(runtime: Runtime, token: str, read: Callable[[], TokenInfo]) -> TokenInfo:
    """:func:`known`'s answer, or ``read()``'s (which raises for a token that may not be
    used), kept for the moment."""
    kept, key = _kept(runtime), _digest(token)
    with kept.lock:
        # Counted before the read: a write committed during it makes the next ask read again.
        found, counted = _usable(runtime, kept, key, claim=True)
        at = time.monotonic()
    if found is not None:
        return found
    try:
        info = read()
    except BaseException:
        with kept.lock:
            kept.entries.pop(key, None)
            kept.reading.discard(key)
        raise
    with kept.lock:
        kept.entries[key] = (info, counted, at)
        kept.reading.discard(key)
    return info
