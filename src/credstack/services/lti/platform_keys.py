"""The platforms' key sets, read from their JWKS URLs and kept for :data:`TTL` in the
runtime's cache; a launch signed with a key the cached set lacks reads the set again at
once (the platform rotated its keys), and one more time never: an unknown ``kid`` after that
is refused by :func:`credstack.core.lti.launches.verify_id_token`."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any, Final

from credstack.adapters.resolvers import fetch
from credstack.core.lti.launches import key_ids, refusal
from credstack.errors import FetchError, InputTooLargeError
from credstack.services.runtime import Runtime

__all__ = ["TTL", "key_set"]

TTL: Final = dt.timedelta(minutes=10)
_CACHE: Final = "lti.platform-keys"
_LIMIT: Final = 256 * 1024


class _Cache:
    def __init__(self) -> None:
        self.sets: dict[str, tuple[dict[str, Any], dt.datetime]] = {}
        self.lock = threading.Lock()


def _read(url: str) -> dict[str, Any]:
    try:
        body = fetch.fetch_bytes(url, limit=_LIMIT)
        document = json.loads(body) if body is not None else None
    except (FetchError, InputTooLargeError, ValueError) as exc:
        raise refusal("jwks", f"{url}: {getattr(exc, 'message', exc)}") from None
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise refusal("jwks", f"{url}: not a JWK set")
    return document


def key_set(runtime: Runtime, *, url: str, kid: str | None) -> dict[str, Any]:
    """The key set at ``url``: cached while fresh and holding ``kid``, else read again."""
    cache: _Cache = runtime.caches.setdefault(_CACHE, _Cache())
    now = runtime.now()
    with cache.lock:
        known = cache.sets.get(url)
    if known is not None and now - known[1] < TTL and (kid is None or kid in key_ids(known[0])):
        return known[0]
    document = _read(url)
    with cache.lock:
        cache.sets[url] = (document, now)
    return document
