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

A method ``<issuer>#<kid>`` (what a JWT with an HTTPS ``iss`` and a bare ``kid`` names) is
first looked for in the issuer's JWT VC Issuer Metadata
(:mod:`credstack.core.dids.jwt_vc_issuer`, SD-JWT VC §5): the metadata at
``/.well-known/jwt-vc-issuer`` whose ``issuer`` is the URL, its ``jwks`` or the JWK Set at its
``jwks_uri``, the JWK whose ``kid`` is the fragment; the issuer is then the key's controller.
Only where the issuer publishes no metadata (404) is the controller document read.

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

import json
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
from credstack.core.dids import cid, did_web, jwt_vc_issuer
from credstack.errors import (
    DidDocumentError,
    InputTooLargeError,
    VerificationMethodUnavailableError,
)

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
        if "#" in method:
            # <issuer>#<kid>: what a JWT with an HTTPS iss and a bare kid names. The issuer's
            # metadata is asked first — a small JSON document where it exists, a quick 404
            # where not — rather than its URL, often a web page slow to make and of no use.
            try:
                return self._metadata_method(method)
            except VerificationMethodUnavailableError as missing:
                if missing.why != "not-found":
                    raise
        return self._controlled_url_method(method)

    def _controlled_url_method(self, method: str) -> did_web.AssertionMethod:
        controller, alone, cached = self._url_documents(method, fresh=False)
        try:
            return cid.assertion_method(controller, method, method_document=alone)
        except did_web.DidDocumentError:
            if not cached:
                raise
        # As for a did:web: a cached document may predate the key.
        controller, alone, _ = self._url_documents(method, fresh=True)
        return cid.assertion_method(controller, method, method_document=alone)

    def _metadata_method(self, method: str) -> did_web.AssertionMethod:
        """The key of ``<issuer>#<kid>`` from the issuer's JWT VC Issuer Metadata."""
        issuer, _, kid = method.partition("#")
        if urlsplit(issuer).query:
            raise DidDocumentError(f"{issuer} has a query, which an issuer identifier has not "
                                   "(SD-JWT VC §5)")
        keys, cached = self._metadata_keys(issuer, fresh=False)
        found = _jwk_of(keys, kid)
        if found is None and cached:
            # As for a did:web: the cached metadata may predate the key.
            keys, _ = self._metadata_keys(issuer, fresh=True)
            found = _jwk_of(keys, kid)
        where = f"the JWT VC Issuer Metadata of {issuer}"
        if found is None:
            raise DidDocumentError(f"{where} has no key whose kid is {kid!r}")
        return did_web.AssertionMethod(
            method, issuer, did_web.public_key_from_jwk(found, where=f"the key {kid!r} of {where}"))

    def _metadata_keys(self, issuer: str, *, fresh: bool) -> tuple[list[Any], bool]:
        """The JWKs the issuer's metadata gives (by value or at its ``jwks_uri``), and whether
        they came from the cache."""
        url = jwt_vc_issuer.metadata_url(issuer)
        what = f"the JWT VC Issuer Metadata of {issuer}"
        document, cached = self._fetched(url, self._fetchable(url, what), what,
                                         lambda data: _metadata(issuer, url, data),
                                         fresh=fresh,
                                         missing=f"{issuer} publishes no JWT VC Issuer Metadata")
        if "jwks" in document:
            return document["jwks"]["keys"], cached
        jwks_uri = document["jwks_uri"]
        where = f"the JWK Set of {issuer} at {jwks_uri}"
        jwks, jwks_cached = self._fetched(jwks_uri, self._fetchable(jwks_uri, where), where,
                                          lambda data: _jwk_set(data, where), fresh=fresh,
                                          missing=f"there is no JWK Set at {jwks_uri}")
        return jwks["keys"], cached or jwks_cached

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


def _metadata(issuer: str, url: str, data: bytes) -> dict[str, Any]:
    """JWT VC Issuer Metadata read for ``issuer``: its ``issuer`` is exactly ``issuer``, it
    gives ``jwks`` (a JWK Set) or an HTTPS ``jwks_uri``, not both."""
    where = f"the JWT VC Issuer Metadata at {url}"
    document = did_web.json_object(data, where)
    if document.get("issuer") != issuer:
        raise DidDocumentError(f"{where} is the metadata of {document.get('issuer')!r}, not of "
                               f"{issuer}")
    if ("jwks" in document) == ("jwks_uri" in document):
        raise DidDocumentError(f"{where} must give the issuer's keys as jwks or at jwks_uri, "
                               "one of the two")
    if "jwks" in document:
        _jwk_set(json.dumps(document["jwks"]), f"the jwks of {where}")
    elif not isinstance(document["jwks_uri"], str) \
            or not document["jwks_uri"].startswith(cid.PREFIX):
        raise DidDocumentError(f"the jwks_uri of {where} is not an HTTPS URL")
    return document


def _jwk_set(data: bytes | str, where: str) -> dict[str, Any]:
    """A JWK Set (RFC 7517 §5): an object whose ``keys`` is a list of objects."""
    document = did_web.json_object(data, where)
    keys = document.get("keys")
    if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
        raise DidDocumentError(f"{where} is not a JWK Set: it has no list of keys")
    return document


def _jwk_of(keys: list[Any], kid: str) -> Any:
    """The JWK of ``keys`` whose ``kid`` is ``kid``, or ``None``."""
    return next((key for key in keys if key.get("kid") == kid), None)
