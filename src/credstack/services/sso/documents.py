"""An OpenID provider's documents (OpenID Connect Discovery 1.0 incorporating errata set 2,
15 December 2023, https://openid.net/specs/openid-connect-discovery-1_0.html, §4): its
metadata at ``{issuer}/.well-known/openid-configuration`` and its key set at the metadata's
``jwks_uri`` (RFC 7517 §5), fetched through credstack's guarded fetching and kept for
:data:`DOCUMENTS_TTL` a runtime.

A sign-in refuses a provider whose metadata does not serve as ``sso.refused.discovery``, its
``why`` one of :data:`WHY`; :func:`check` is the same test made when an administrator adds
the provider, with its key set fetched too, so that a provider that cannot work is never
saved.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any, Final

from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from credstack.adapters.resolvers import fetch
from credstack.core.sso.oidc import refusal
from credstack.errors import FetchError, InputTooLargeError
from credstack.services.runtime import Runtime

__all__ = ["DOCUMENTS_TTL", "ENDPOINTS", "LIMIT", "WHY", "check", "discovery", "document"]

DOCUMENTS_TTL: Final = dt.timedelta(minutes=10)
#: The most of a document read (and of a token endpoint's answer).
LIMIT: Final = 256 * 1024
#: The metadata a relying party needs (Discovery §3: each REQUIRED of a provider).
ENDPOINTS: Final = ("authorization_endpoint", "token_endpoint", "jwks_uri")
#: Why a provider's documents do not serve: not read (no answer, an error, not a JSON
#: object), its metadata naming another issuer, an endpoint missing, a key set without keys.
WHY: Final = frozenset({"unreadable", "issuer", "endpoint", "keys"})
_CACHE: Final = "sso.oidc-documents"


class _Documents:
    def __init__(self) -> None:
        self.known: dict[str, tuple[dict[str, Any], dt.datetime]] = {}
        self.lock = threading.Lock()


def _read_json(url: str, reason: str) -> dict[str, Any]:
    try:
        body = fetch.fetch_bytes(url, limit=LIMIT)
        document = json.loads(body) if body is not None else None
    except (FetchError, InputTooLargeError, ValueError) as exc:
        raise refusal(reason, f"{url}: {getattr(exc, 'message', exc)}", why="unreadable",
                      url=url) from None
    if not isinstance(document, dict):
        raise refusal(reason, f"{url}: not a JSON object", why="unreadable", url=url)
    return document


def document(runtime: Runtime, url: str, reason: str, *, fresh: bool = False
             ) -> dict[str, Any]:
    """The JSON object at ``url``, as read within :data:`DOCUMENTS_TTL` unless ``fresh``;
    ``sso.refused.<reason>`` when it cannot be read."""
    cache: _Documents = runtime.caches.setdefault(_CACHE, _Documents())
    now = runtime.now()
    with cache.lock:
        known = cache.known.get(url)
    if known is not None and not fresh and now - known[1] < DOCUMENTS_TTL:
        return known[0]
    found = _read_json(url, reason)
    with cache.lock:
        cache.known[url] = (found, now)
    return found


def discovery(runtime: Runtime, issuer: str, *, fresh: bool = False) -> dict[str, Any]:
    """The provider's metadata, whose ``issuer`` must be the configured one exactly
    (Discovery §4.3) and which names every one of :data:`ENDPOINTS`."""
    found = document(runtime, issuer.rstrip("/") + "/.well-known/openid-configuration",
                     "discovery", fresh=fresh)
    if found.get("issuer") != issuer:
        named = str(found.get("issuer"))[:200]
        raise refusal("discovery", f"the metadata names the issuer {named!r}", why="issuer",
                      url=named)
    for name in ENDPOINTS:
        if not isinstance(found.get(name), str) or not found[name]:
            raise refusal("discovery", f"no {name}", why="endpoint", url=name)
    return found


def check(runtime: Runtime, issuer: str) -> None:
    """Refuse (``sso.refused.discovery``) a provider ``issuer`` whose metadata, read now,
    does not serve, or whose key set holds no key credstack can use."""
    jwks_uri = str(discovery(runtime, issuer, fresh=True)["jwks_uri"])
    keys = document(runtime, jwks_uri, "discovery", fresh=True)
    try:
        usable = KeySet.import_key_set(keys).keys  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        usable = []
    if not usable:
        raise refusal("discovery", f"{jwks_uri}: no key", why="keys", url=jwks_uri)
