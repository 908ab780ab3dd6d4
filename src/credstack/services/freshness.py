"""Generations read from the store at most once a moment, for what is served most.

A published document (a status list, a programme's page) is kept by what makes it, its
generation (:mod:`credstack.entrypoints.web.caching`), and the generation itself is one light
query. Asked on every request, that query and the thread it needs were most of what serving
a kept document cost (``bench/load.py``: 3.4 of a status list's 3.5 ms of CPU a request).
:func:`recent` answers a generation read within the last :data:`FRESH_SECONDS`, unless this
process has committed a write since (:func:`~credstack.adapters.db.commits.writes_committed`):

* a process reads its own writes at once (a revocation, a publication made through it is
  seen by its next request, and by a test that made it);
* another process's write (a second server, the worker, a CLI command) is seen within
  :data:`FRESH_SECONDS` and the time of one read (at most :data:`GRACE_SECONDS` more) —
  far less than the ``max-age`` the same documents are served with
  (a status list's time to live is minutes), so no reader sees anything it could not
  already have been given by a cache in front of the server.

Once the moment has passed, nobody waits for the read again: the first to ask starts it in
a thread of its own and is answered the generation read before, as everyone is while that read
is under way (for at most :data:`GRACE_SECONDS` more; past it, whoever asks reads, and a read
that failed is started again by the next ask). A herd of requests arriving just after the
moment each reading the same row (every thread of a busy server, once a second) is what made
PostgreSQL's tail: each read is several round trips, each waiting for the GIL behind the event
loop, and the status list's p95 went from 4 ms to hundreds (``bench/load.py``, two servers,
concurrency 20); the one request left reading it still waited that long. A write this process
committed is never answered from before it: the writer's next request reads, and waits.

Kept in the runtime's caches, one bounded mapping per kind, shared by the process's threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Final, TypeVar

from cachetools import LRUCache

from credstack.adapters.db.commits import writes_committed
from credstack.adapters.waiting import may_wait
from credstack.services.runtime import Runtime

__all__ = ["FRESH_SECONDS", "GRACE_SECONDS", "known", "recent"]

#: How long a generation read from the store is answered without reading it again.
FRESH_SECONDS: Final = 1.0
#: How much longer it is answered while one thread reads it again: a PostgreSQL stalled by a
#: checkpoint's writes (every CREATE or DROP DATABASE on the server forces one) answered
#: nothing for up to 5 s (bench/load.py --soak on a shared machine); past this, every
#: request waits for the store again.
GRACE_SECONDS: Final = 10.0
log = logging.getLogger("credstack.freshness")

#: Generations kept per kind.
ENTRIES: Final = 1024

T = TypeVar("T")


@dataclass(slots=True)
class _Memo:
    """One kind's generations: key → (value, writes counted before the read, read at, how it
    is read), and the keys being read again now (key → when that read began)."""

    kept: LRUCache[Hashable, tuple[object, int, float, Callable[[], object]]] = field(
        default_factory=lambda: LRUCache(ENTRIES))
    reading: dict[Hashable, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _memo(runtime: Runtime, kind: str) -> _Memo:
    name = f"fresh.{kind}"
    found: _Memo | None = runtime.caches.get(name)
    if found is None:
        found = runtime.caches.setdefault(name, _Memo())
    return found


def _usable(memo: _Memo, key: Hashable, writes: int, now: float) -> tuple[bool, object]:
    """Whether the kept generation may be answered now, and it; the lock held. Past the
    moment, the read again is started here when none is under way."""
    found = memo.kept.get(key)
    if found is None:
        return False, None
    value, counted, at, read = found
    if counted != writes:
        return False, None
    if now - at < FRESH_SECONDS:
        return True, value
    if now - at >= FRESH_SECONDS + GRACE_SECONDS:
        return False, None
    if key not in memo.reading:
        memo.reading[key] = now
        threading.Thread(target=_read_behind, args=(memo, key, read, writes, now),
                         name="freshness", daemon=True).start()
    return True, value


def _read_behind(memo: _Memo, key: Hashable, read: Callable[[], object], writes: int,
                 began: float) -> None:
    """Read ``key`` again while the one before is answered (see the module)."""
    try:
        _store(memo, key, read, writes, began)
    except Exception:  # the next ask starts another; past the grace, the asker reads
        log.debug("reading a generation again failed", exc_info=True)


def _store(memo: _Memo, key: Hashable, read: Callable[[], T], writes: int, began: float
           ) -> T:
    try:
        fresh = read()
        with memo.lock:
            memo.kept[key] = (fresh, writes, began, read)
    finally:
        with memo.lock:
            if memo.reading.get(key) == began:
                del memo.reading[key]
    return fresh


def known(runtime: Runtime, kind: str, key: Hashable) -> object | None:
    """The generation ``key`` of ``kind`` if one read recently is still good (or is being
    read again just now), else ``None`` (without reading here: an event loop asks this
    before handing the read to a thread)."""
    memo = _memo(runtime, kind)
    writes = writes_committed(runtime.sessions)
    with memo.lock:
        usable, value = _usable(memo, key, writes, time.monotonic())
    return value if usable else None


def recent(runtime: Runtime, kind: str, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s answer, read again only when the one kept is older than
    :data:`FRESH_SECONDS` (behind the asker: see the module) or this process has committed
    a write since. A read needed :func:`~credstack.adapters.waiting.without_waiting` raises
    :class:`~credstack.adapters.waiting.WouldWait`."""
    memo = _memo(runtime, kind)
    # Counted before the read: a write committed during it makes the next ask read again.
    writes, at = writes_committed(runtime.sessions), time.monotonic()
    with memo.lock:
        usable, value = _usable(memo, key, writes, at)
        if usable:
            return value  # type: ignore[return-value]
        may_wait()
        memo.reading[key] = at
    return _store(memo, key, read, writes, at)
