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
  :data:`FRESH_SECONDS` — far less than the ``max-age`` the same documents are served with
  (a status list's time to live is minutes), so no reader sees anything it could not
  already have been given by a cache in front of the server.

Kept in the runtime's caches, one bounded mapping per kind, shared by the process's threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Final, TypeVar

from cachetools import LRUCache

from credstack.adapters.db.commits import writes_committed
from credstack.services.runtime import Runtime

__all__ = ["FRESH_SECONDS", "known", "recent"]

#: How long a generation read from the store is answered without reading it again.
FRESH_SECONDS: Final = 1.0
#: Generations kept per kind.
ENTRIES: Final = 1024

T = TypeVar("T")


def _memo(runtime: Runtime, kind: str) -> tuple[LRUCache[Hashable, tuple[object, int, float]],
                                                threading.Lock]:
    found: tuple[LRUCache[Hashable, tuple[object, int, float]], threading.Lock] = (
        runtime.caches.setdefault(f"fresh.{kind}", (LRUCache(ENTRIES), threading.Lock())))
    return found


def known(runtime: Runtime, kind: str, key: Hashable) -> object | None:
    """The generation ``key`` of ``kind`` if one read recently is still good, else ``None``
    (without reading: an event loop asks this before handing the read to a thread)."""
    cache, lock = _memo(runtime, kind)
    with lock:
        found = cache.get(key)
    if found is None:
        return None
    value, writes, at = found
    if writes != writes_committed(runtime.sessions) or time.monotonic() - at >= FRESH_SECONDS:
        return None
    return value


def recent(runtime: Runtime, kind: str, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s answer, read again only when the one kept is older than
    :data:`FRESH_SECONDS` or this process has committed a write since."""
    found = known(runtime, kind, key)
    if found is not None:
        return found  # type: ignore[return-value]
    # Counted before the read: a write committed during it makes the next ask read again.
    writes, at = writes_committed(runtime.sessions), time.monotonic()
    value = read()
    cache, lock = _memo(runtime, kind)
    with lock:
        cache[key] = (value, writes, at)
    return value
