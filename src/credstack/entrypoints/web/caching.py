"""Public documents answered from the runtime's caches, with strong validators.

A published programme's page, its badge, a status list and a DID document are made from a few
things the store can name cheaply — its generation, a list's change time, the version — and
from the request's language and query. Each is rendered once per such key into a
:class:`Cached` body, kept in a bounded LRU cache of the runtime (``runtime.caches``, one per
kind of document, shared by the process's threads under a lock) and hashed once into a strong
``ETag``. A request whose ``If-None-Match`` names it gets ``304 Not Modified``; every answer
says in ``Cache-Control`` how long a CDN or reverse proxy may hold it. A key that changes
(a new version published, a credential revoked) simply misses: nothing is invalidated by hand,
and an entry that would go stale with time alone (a recognition that expires) carries the
moment it stops being true.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

from cachetools import LRUCache
from fastapi import Request, Response

from credstack.services.runtime import Runtime

#: Entries per kind of document (a page is some 100 KB: a few tens of MB at most).
DEFAULT_ENTRIES = 512


@dataclass(frozen=True, slots=True)
class Cached:
    """A rendered document: its body, media type, strong ETag and other headers."""

    body: bytes
    media_type: str
    headers: Mapping[str, str] = field(default_factory=dict)
    #: When the document stops being true by time alone (None: only a new key changes it).
    until: dt.datetime | None = None
    etag: str = ""

    @classmethod
    def of(cls, body: bytes, media_type: str, headers: Mapping[str, str] | None = None,
           until: dt.datetime | None = None) -> Cached:
        return cls(body, media_type, dict(headers or {}), until, strong_etag(body))


def strong_etag(body: bytes) -> str:
    """A strong validator of ``body``: its SHA-256, quoted."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def not_modified(request: Request, etag: str) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (or is ``*``). Weak
    comparison, as RFC 9110 asks of ``If-None-Match``."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def kept(runtime: Runtime, kind: str, key: Hashable, *, now: dt.datetime | None = None
         ) -> Cached | None:
    """The document ``key`` of ``kind`` if the runtime's cache holds it and its time has not
    passed (never made here: what an event loop may ask before handing the making to a
    thread)."""
    found = runtime.caches.get(f"web.{kind}")
    if found is None:
        return None
    cache, lock, _ = found
    with lock:
        document: Cached | None = cache.get(key)
    if document is None or (document.until is not None and now is not None
                            and now >= document.until):
        return None
    return document


def remembered(runtime: Runtime, kind: str, key: Hashable, make: Callable[[], Cached],
               *, now: dt.datetime | None = None, entries: int = DEFAULT_ENTRIES) -> Cached:
    """The document ``key`` of ``kind`` from the runtime's cache, made when it is not there
    or its time has passed — by one thread at a time per key: the others asking for it
    meanwhile wait for that one (a page twenty visitors ask for at once, just published or
    just after a start, is rendered once, not twenty times over)."""
    cache, lock, making = runtime.caches.setdefault(
        f"web.{kind}", (LRUCache(entries), threading.Lock(), {}))

    def fresh() -> Cached | None:
        with lock:
            found: Cached | None = cache.get(key)
        if found is not None and (found.until is None or now is None or now < found.until):
            return found
        return None

    found = fresh()
    if found is not None:
        return found
    with lock:
        turn: threading.Lock = making.setdefault(key, threading.Lock())
    with turn:
        found = fresh()
        if found is not None:
            return found
        try:
            made = make()
            with lock:
                cache[key] = made
        finally:
            with lock:
                making.pop(key, None)
    return made


def answer(request: Request, cached: Cached, cache_control: str,
           headers: Mapping[str, str] | None = None) -> Response:
    """``cached`` as a response, or ``304`` when the client holds it already."""
    sent = {**cached.headers, **(headers or {}), "ETag": cached.etag,
            "Cache-Control": cache_control}
    if not_modified(request, cached.etag):
        return Response(status_code=304, headers=sent)
    return Response(cached.body, media_type=cached.media_type, headers=sent)
