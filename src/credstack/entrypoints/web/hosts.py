"""One host name for people: a browser that reached the server under another name of it is
sent to the public URL's host (``CREDSTACK_CANONICAL_HOST``, which ``credstack serve`` turns
on when it answers at the public URL itself).

A browser keeps its sign-in per host. The server is reachable as ``127.0.0.1`` and as
``localhost``, and every link it writes into an e-mail, a credential or a QR code names the
public URL's host; someone who signed in at the other name would be asked to sign in again
by each of those links. So a page asked for at another name answers ``307`` to the same
path and query at the public URL, before the visitor signs in there.

Only what a person's browser asks for is sent on: ``GET`` and ``HEAD`` whose ``Accept``
names HTML, outside the JSON API. A posted form keeps its body where it was sent; programs
(verifiers fetching a status list, the API's clients, health probes) are answered under
whatever name they use. The target is built from the settings alone, never from the
request's ``Host``, so no header chooses where a visitor is sent.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["CanonicalHost"]

#: Paths whose answers are for programs, whatever they accept.
_PROGRAM_PATHS: Final = ("/api/", "/.well-known/", "/static/")


class CanonicalHost:
    """ASGI middleware: browsers' page requests at another host than ``public_url``'s are
    redirected (307) there."""

    def __init__(self, app: ASGIApp, *, public_url: str) -> None:
        self.app = app
        parts = urlsplit(public_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base = parts.path.rstrip("/")
        default = {"http": 80, "https": 443}.get(parts.scheme)
        self.host = (parts.hostname or "").lower()
        self.port = parts.port or default

    def _elsewhere(self, headers: Headers, scheme: str) -> bool:
        asked = urlsplit(f"//{headers.get('host', '')}")
        try:
            port = asked.port
        except ValueError:
            return True  # no port of ours: not this server's name
        default = {"http": 80, "https": 443}.get(scheme)
        return ((asked.hostname or "").lower(), port or default) != (self.host, self.port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"}:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        if (path.startswith(_PROGRAM_PATHS) or "text/html" not in headers.get("accept", "")
                or not self._elsewhere(headers, scope.get("scheme", "http"))):
            await self.app(scope, receive, send)
            return
        # The path as it was sent (still percent-encoded), so it reaches the same page.
        raw: bytes = scope.get("raw_path") or path.encode("utf-8")
        query: bytes = scope.get("query_string", b"")
        target = f"{self.origin}{self.base}".encode() + raw + (b"?" + query if query else b"")
        await send({"type": "http.response.start", "status": 307,
                    "headers": [(b"location", target),
                                (b"cache-control", b"no-store"),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
