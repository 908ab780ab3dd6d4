"""Where the wallet's verification looks things up: the deployment's own sources
(:class:`~credstack.services.verification.service.VerificationSources`), with foreign status
lists cached within their ``ttl`` so that a page of twenty credentials checked live does not
fetch twenty lists each time it is shown."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final

from credstack.services import verification as verifier
from credstack.services.runtime import Runtime

__all__ = ["STATUS_TTL_DEFAULT", "STATUS_TTL_MAX", "WalletSources", "sources"]

#: How long a foreign status list is kept when it states no ``ttl``, and at most.
STATUS_TTL_DEFAULT: Final = dt.timedelta(minutes=5)
STATUS_TTL_MAX: Final = dt.timedelta(hours=1)
_STATUS_CACHE: Final = "wallet.status-lists"


class _StatusListCache:
    """Foreign status list credentials, each kept as long as its ``ttl`` says (Bitstring
    Status List v1.0 §2.2: milliseconds; :data:`STATUS_TTL_DEFAULT` when it says nothing,
    never beyond :data:`STATUS_TTL_MAX`), on the runtime's clock. Our own lists are read
    from the store every time (a revocation here shows at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lists: dict[str, tuple[dt.datetime, Mapping[str, Any] | None]] = {}

    def get(self, url: str, now: dt.datetime, fetch: Callable[[str], Mapping[str, Any] | None]
            ) -> Mapping[str, Any] | None:
        with self._lock:
            kept = self._lists.get(url)
        if kept is not None and kept[0] > now:
            return kept[1]
        found = fetch(url)
        with self._lock:
            if len(self._lists) > 10_000:
                self._lists.clear()
            self._lists[url] = (now + _ttl(found), found)
        return found


def _ttl(found: Mapping[str, Any] | None) -> dt.timedelta:
    subject = found.get("credentialSubject") if isinstance(found, Mapping) else None
    ttl = subject.get("ttl") if isinstance(subject, Mapping) else None
    if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl >= 0:
        return min(dt.timedelta(milliseconds=ttl), STATUS_TTL_MAX)
    return STATUS_TTL_DEFAULT


class WalletSources(verifier.VerificationSources):
    """The deployment's sources, with foreign status lists cached (:class:`_StatusListCache`)."""

    _cache: _StatusListCache
    _clock: Callable[[], dt.datetime]

    @classmethod
    def of(cls, runtime: Runtime) -> WalletSources:
        found = cls.for_runtime(runtime)
        found._cache = runtime.caches.setdefault(_STATUS_CACHE, _StatusListCache())
        found._clock = runtime.clock
        return found

    def fetch_status_list(self, url: str) -> Mapping[str, Any] | None:
        fetch = super().fetch_status_list
        if url.startswith(self._status_lists):
            return fetch(url)
        return self._cache.get(url, self._clock(), fetch)


def sources(runtime: Runtime) -> verifier.VerificationSources:
    """Where verification looks things up: this deployment's store, then the network, its
    status lists cached within their ``ttl``."""
    return WalletSources.of(runtime)
