"""Refuse request bodies over the configured size before reading them into memory.

The limit is decided here, before routing, so the few routes that take larger bodies (evidence
files of a recognition application) are named by path pattern in ``overrides``. A page that
says itself, in the visitor's language and in place, that an upload is too large (the
verification page) is named in ``answered_by_route``: a body declared too large reaches it
unread, so that it can answer from the declared length; more than the limit is still never
read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from credstack.errors import InputTooLargeError

#: Paths whose limit is remembered (past it, all are forgotten and found again).
JUDGED_PATHS: Final = 4096


class BodySizeLimit:
    """ASGI middleware: a 413 problem for bodies over ``limit`` bytes, declared or streamed
    (``Transfer-Encoding: chunked``: answered as soon as more than the limit has come)."""

    def __init__(self, app: ASGIApp, *, limit: int,
                 overrides: Sequence[tuple[re.Pattern[str], int]] = (),
                 answered_by_route: Sequence[re.Pattern[str]] = ()) -> None:
        self.app = app
        self.limit = limit
        self.overrides = tuple(overrides)
        self.answered_by_route = tuple(answered_by_route)
        #: What :meth:`_judged` found for the paths asked most: every pattern was tried on
        #: every request. Bounded: paths are whatever a client sends.
        self._judged_paths: dict[str, tuple[int, bool]] = {}

    def limit_for(self, path: str) -> int:
        """The largest body accepted on ``path``."""
        return next((limit for pattern, limit in self.overrides if pattern.fullmatch(path)),
                    self.limit)

    def _judged(self, path: str) -> tuple[int, bool]:
        """The limit on ``path`` and whether its route answers a body too large itself."""
        found = self._judged_paths.get(path)
        if found is None:
            found = (self.limit_for(path),
                     any(pattern.fullmatch(path) for pattern in self.answered_by_route))
            if len(self._judged_paths) >= JUDGED_PATHS:
                self._judged_paths.clear()
            self._judged_paths[path] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path = scope.get("path", "")
        limit, by_route = self._judged(path)
        declared = headers.get(b"content-length")
        if (declared is not None and declared.isdigit() and int(declared) > limit
                and not by_route):
            await self._refuse(scope, receive, send, int(declared), limit)
            return
        received = 0
        refused = started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if started or by_route:
                        # A page that says so itself catches this while it reads.
                        raise InputTooLargeError(self._message(received, limit, streamed=True))
                    # Answered here, whoever reads the body: FastAPI turns any error while it
                    # parses a body into a 400, which would hide that the body was too large.
                    # The route then sees the client gone, and what it answers is dropped.
                    refused = True
                    await self._refuse(scope, receive, send, received, limit, streamed=True)
                    return {"type": "http.disconnect"}
            return message

        async def answering_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, answering_send)
        except ClientDisconnect:
            # Starlette raises this only once the server has said the client is gone: after
            # a refusal, the 413 is the answer already given; otherwise the client left
            # before its body came (a load test stopping, a phone losing its network) and
            # nobody is left to answer. Neither is a server error worth a traceback.
            return

    def _message(self, size: int, limit: int, *, streamed: bool = False) -> str:
        what = "more than" if streamed else ""
        setting = " (CREDSTACK_MAX_BODY_BYTES)" if limit == self.limit else ""
        return (f"The request body is {what} {size:,} bytes; this server accepts at most "
                f"{limit:,} bytes here{setting}.").replace("  ", " ")

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int,
                      limit: int, *, streamed: bool = False) -> None:
        headers = dict(scope["headers"])
        app = scope.get("app")
        html = getattr(getattr(app, "state", None), "html_errors", None)
        if (html is not None and b"text/html" in headers.get(b"accept", b"")
                and not scope.get("path", "").startswith("/api")):
            # A person's browser posting a form (the /verify upload) gets a page, not JSON.
            page = html(Request(scope), 413, "Input too large", "入力が大きすぎます",
                        self._message(size, limit, streamed=streamed))
            await page(scope, receive, send)
            return
        body = {
            "type": "/problems/input-too-large", "title": "Input too large",
            "title_ja": "入力が大きすぎます", "status": 413,
            "detail": self._message(size, limit, streamed=streamed),
            "instance": scope.get("path", ""),
        }
        response = JSONResponse(body, status_code=413, media_type="application/problem+json")
        await response(scope, receive, send)
