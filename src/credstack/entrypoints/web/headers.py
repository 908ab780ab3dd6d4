"""Headers every answer carries, whichever route, error handler or middleware made it.

``X-Content-Type-Options: nosniff``: a browser takes an answer for the media type it says it
is, so JSON that echoes what a caller sent is never read as a page or a script. Pages add
their own security headers besides (:data:`credstack.entrypoints.web.pages.rendering.
SECURITY_HEADERS`); a header an answer already has is left as it is.
"""

from __future__ import annotations

from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Added to every HTTP answer that does not set it itself.
EVERY_ANSWER: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"x-content-type-options", b"nosniff"),
)


class CommonHeaders:
    """ASGI middleware: :data:`EVERY_ANSWER` on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in EVERY_ANSWER if header[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
