"""Headers every answer carries, whichever route, error handler or middleware made it.

``X-Content-Type-Options: nosniff``: a browser takes an answer for the media type it says it
is, so JSON that echoes what a caller sent is never read as a page or a script. Pages add
their own security headers besides (:data:`credstack.entrypoints.web.pages.rendering.
SECURITY_HEADERS`); a header an answer already has is left as it is.

``Strict-Transport-Security`` (RFC 6797) for a year when the public URL is https: a browser
that has seen the site once never tries it over plain HTTP again, where a network could
strip TLS. Over http (a laptop, the tests) it is not sent.

The API viewers (``/docs``, ``/redoc`` and Swagger UI's OAuth redirect page), which
fastapi-offline renders, get a Content-Security-Policy of their own: their bundled scripts
and, of inline ones, only those the page holds, named by their SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Added to every HTTP answer that does not set it itself.
EVERY_ANSWER: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"x-content-type-options", b"nosniff"),
)
HSTS: Final = (b"strict-transport-security", b"max-age=31536000")
#: The pages of the API viewers.
VIEWER_PATHS: Final = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
_INLINE_SCRIPT: Final = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def viewer_policy(page: bytes) -> bytes:
    """The Content-Security-Policy of an API viewer's ``page``: its own origin, and its
    inline scripts by hash. ReDoc's components add ``<style>`` elements as they draw, hence
    ``'unsafe-inline'`` for styles only (a style runs no script)."""
    scripts = b" ".join([b"'self'", *(
        b"'sha256-" + base64.b64encode(hashlib.sha256(text).digest()) + b"'"
        for text in _INLINE_SCRIPT.findall(page))])
    return (b"default-src 'self'; script-src " + scripts + b"; style-src 'self' "
            b"'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
            b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class CommonHeaders:
    """ASGI middleware: :data:`EVERY_ANSWER` on every HTTP response, :data:`HSTS` too when
    ``hsts``, and :func:`viewer_policy` on the API viewers' pages."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.every = (*EVERY_ANSWER, HSTS) if hsts else EVERY_ANSWER

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        viewer = scope["path"] in VIEWER_PATHS
        held: list[Message] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in self.every if header[0] not in present)
                message = {**message, "headers": headers}
            if not viewer:
                await send(message)
                return
            # A viewer's page is small: held until its body is whole, then its policy,
            # which names the hashes of its inline scripts, goes in its headers.
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                start, *parts = held
                body = b"".join(part.get("body", b"") for part in parts)
                await send({**start, "headers": [
                    *(header for header in start["headers"]
                      if header[0].lower() != b"content-security-policy"),
                    (b"content-security-policy", viewer_policy(body))]})
                for part in parts:
                    await send(part)

        await self.app(scope, receive, send_with_headers)
