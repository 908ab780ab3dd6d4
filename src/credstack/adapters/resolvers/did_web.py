"""Resolving ``did:web`` and HTTPS URL verification methods over HTTPS: :class:`DidWebResolver`.

did:web Method Specification §2.5.2 "Read (Resolve)" (https://w3c-ccg.github.io/did-method-web/):
the DID names the document's URL (:func:`credstack.core.dids.did_web.parse`), which is
fetched with :func:`~credstack.adapters.resolvers.fetch.fetch_bytes` — HTTPS, a timeout, at
most :data:`MAX_DID_DOCUMENT_BYTES`, no redirects, public addresses only — and read by
:func:`~credstack.core.dids.did_web.read_document` and
:func:`~credstack.core.dids.did_web.assertion_method` (the pure part: the document's ``id``,
the method, ``assertionMethod``, the key).

A verification method named by an HTTPS URL (``https://issuer.example/profile#key-1``) is
read the same way, by Controlled Identifiers v1.0 §3.3 (:mod:`credstack.core.dids.cid`): the
URL without its fragment gives the controller document, or the method alone, whose
``controller`` URL then gives the controller document that must list it under
``assertionMethod``. Each URL is fetched as a did:web document is, under the same limits and
allow-list.

* **Allow-list.** With ``allow`` (``CREDSTACK_DID_WEB_ALLOW``) only those host names are
  fetched from, for did:web documents and HTTPS methods alike; any other fails before
  anything is sent.
* **Loopback.** With ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1`` (tests) a DID or URL on
  ``localhost`` (``did:web:localhost%3A8123``, ``https://localhost:8123/issuer``) is fetched
  over plain HTTP; every other over HTTPS.
* **Cache.** Documents are kept :data:`CACHE_SECONDS` (at most :data:`CACHE_SIZE` of them),
  by URL: the verifier runs once per request. A method missing from a cached document (an
  issuer that just rotated its key) makes the resolver fetch the document once more before
  it gives up. Failures are not cached.

Errors, all :class:`~credstack.errors.CredstackError` (the verification pipeline turns them
into a failed proof check naming the reason): :class:`VerificationMethodUnavailableError`
when the document cannot be had (host not allowed, not found, network, too large), and
:class:`~credstack.core.dids.did_web.DidDocumentError` when it can but does not give the key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from cachetools import TTLCache

from credstack.adapters.resolvers.fetch import (
    FETCH_TIMEOUT_SECONDS,
    FetchError,
    HostResolver,
    fetch_bytes,
    is_loopback_name,
    loopback_allowed,
    system_resolver,
)
from credstack.core.crypto.keys import PublicKey
from credstack.core.dids import cid, did_web
from credstack.errors import InputTooLargeError, VerificationMethodUnavailableError

__all__ = [
    "CACHE_SECONDS",
    "CACHE_SIZE",
    "MAX_DID_DOCUMENT_BYTES",
    "DidWebResolver",
    "VerificationMethodUnavailableError",
]

#: The largest DID document read. credstack's own list every key an organisation ever had, a
#: few hundred bytes each; 64 KiB is a hundred or more keys.
MAX_DID_DOCUMENT_BYTES: Final = 64 * 1024
#: How long a fetched document is trusted without fetching it again.
CACHE_SECONDS: Final = 300.0
#: How many documents are kept (at most ``CACHE_SIZE × MAX_DID_DOCUMENT_BYTES`` in memory).
CACHE_SIZE: Final = 256




class DidWebResolver:
    """``did:web`` and HTTPS URL verification methods → (public key, controller), fetching
    documents.

    Callable as the pipeline's :class:`~credstack.core.verification.MethodResolver`. Safe to
    share between threads; one per process (per allow-list) keeps the cache useful.
    """

    def __init__(self, *, allow: Iterable[str] = (), timeout: float = FETCH_TIMEOUT_SECONDS,
                 limit: int = MAX_DID_DOCUMENT_BYTES, cache_seconds: float = CACHE_SECONDS,
                 cache_size: int = CACHE_SIZE, resolve_host: HostResolver = system_resolver
                 ) -> None:
        self.allow = frozenset(host.lower().rstrip(".") for host in allow)
        self.timeout = timeout
        self.limit = limit
        self._resolve_host = resolve_host
        #: Documents by the URL they were read from (a did:web's document URL).
        self._cache: TTLCache[str, dict[str, Any]] = TTLCache(maxsize=cache_size,
                                                               ttl=cache_seconds)
        self._lock = threading.Lock()

    def __call__(self, method: str, /) -> tuple[PublicKey | Mapping[str, str], str]:
        found = self.assertion_method(method)
        return found.public_key, found.controller

    def assertion_method(self, method: str) -> did_web.AssertionMethod:
        """The key ``method`` names, from its controller's document, if it may sign
        credentials: a ``did:web`` method from its DID document, an HTTPS URL from the
        controller document it names (:mod:`credstack.core.dids.cid`)."""
        if method.startswith(cid.PREFIX):
            return self._url_method(method)
        did = method.partition("#")[0]
        document, cached = self._document(did)
        try:
            return did_web.assertion_method(document, method)
        except did_web.DidDocumentError:
            if not cached:
                raise
        # The cached document may predate the key (a rotation since): read it afresh once.
        return did_web.assertion_method(self.document(did, fresh=True), method)

    def document_url(self, did: str) -> str:
        """Where the document of ``did`` is fetched from, if it may be fetched at all."""
        return self._fetchable(did_web.parse(did), f"the DID document of {did}")

    def document(self, did: str, *, fresh: bool = False) -> dict[str, Any]:
        """The DID document of ``did``: cached unless ``fresh``, else fetched and checked."""
        return self._document(did, fresh=fresh)[0]

    def _fetchable(self, url: str, what: str) -> str:
        """The URL to fetch ``url`` (``what``, in errors) from, if its host may be fetched."""
        host = urlsplit(url).hostname or ""
        if self.allow and host not in self.allow:
            raise VerificationMethodUnavailableError(
                f"{what} is not fetched: its host {host} is not among the hosts credstack may "
                f"fetch did:web documents and verification methods from "
                f"(CREDSTACK_DID_WEB_ALLOW: {', '.join(sorted(self.allow))})", why="not-allowed",
                url=url)
        if is_loopback_name(host) and loopback_allowed():
            # Tests serve documents on loopback without TLS.
            return "http://" + url.removeprefix("https://")
        return url

    def _document(self, did: str, *, fresh: bool = False) -> tuple[dict[str, Any], bool]:
        """The DID document, and whether it came from the cache."""
        url = self.document_url(did)
        return self._fetched(did_web.parse(did), url, f"the DID document of {did}",
                             lambda data: did_web.read_document(did, data, source=url),
                             fresh=fresh, missing=f"{did} has no DID document")

    def _url_method(self, method: str) -> did_web.AssertionMethod:
        controller, alone, cached = self._url_documents(method, fresh=False)
        try:
            return cid.assertion_method(controller, method, method_document=alone)
        except did_web.DidDocumentError:
            if not cached:
                raise
        # As for a did:web: a cached document may predate the key.
        controller, alone, _ = self._url_documents(method, fresh=True)
        return cid.assertion_method(controller, method, method_document=alone)

    def _url_documents(self, method: str, *, fresh: bool
                       ) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
        """The controller document of an HTTPS method, the method itself when its URL gave it
        alone, and whether either came from the cache."""
        document, cached = self._json(cid.document_url(method), fresh=fresh)
        if not cid.is_method(document):
            return document, None, cached
        controller, controller_cached = self._json(cid.controller_of(document, method),
                                                   fresh=fresh)
        return controller, document, cached or controller_cached

    def _json(self, url: str, *, fresh: bool) -> tuple[dict[str, Any], bool]:
        """The JSON object at an HTTPS ``url``, and whether it came from the cache."""
        what = f"the document at {url}"
        return self._fetched(url, self._fetchable(url, what), what,
                             lambda data: cid.read_document(url, data), fresh=fresh,
                             missing=f"there is no document at {url}")

    def _fetched(self, key: str, url: str, what: str,
                 read: Callable[[bytes], dict[str, Any]], *, fresh: bool, missing: str
                 ) -> tuple[dict[str, Any], bool]:
        """The document cached under ``key``, else fetched from ``url`` and ``read``."""
        with self._lock:
            if fresh:
                self._cache.pop(key, None)
            cached = self._cache.get(key)
        if cached is not None:
            return cached, True
        try:
            data = fetch_bytes(url, limit=self.limit, timeout=self.timeout,
                               resolve=self._resolve_host)
        except FetchError as exc:
            raise VerificationMethodUnavailableError(
                f"{what} cannot be fetched: {exc.message}", why=exc.why, url=url) from None
        except InputTooLargeError:
            raise VerificationMethodUnavailableError(
                f"{what} at {url} is over {self.limit:,} bytes, the most credstack reads",
                why="unreadable", url=url) from None
        if data is None:
            raise VerificationMethodUnavailableError(
                f"{missing}: {url} was not found (HTTP 404/410)", why="not-found", url=url)
        document = read(data)
        with self._lock:
            self._cache[key] = document
        return document, False
