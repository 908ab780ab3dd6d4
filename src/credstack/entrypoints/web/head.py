"""``HEAD`` answered wherever ``GET`` is (RFC 9110, section 9.3.2).

FastAPI's routes answer only the methods they name, and almost all name ``GET`` alone: a
``HEAD`` (a link checker's, a monitor's, ``curl -I``) was a 405. :class:`HeadAsGet` passes a
``HEAD`` request on as a ``GET`` and sends the answer's status and headers (its
``Content-Length`` the one ``GET`` gives) without the body. The routes, the OpenAPI
description and the metrics' methods stay as they are; only the access log's line and the
metrics count it as ``HEAD``, being outside this layer.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]


class HeadAsGet:
    """ASGI middleware: a ``HEAD`` request is answered as ``GET`` is, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_head)
