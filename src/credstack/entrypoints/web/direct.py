"""The plain requests of the routes called for every credential — the one every verifier
calls, and the VC-API's issue — answered by their functions directly, past the layers that
have nothing to do for them.

``POST /credentials/verify`` with a JSON body of a declared length went through eight layers
between the outer middlewares and the route's function: the cross-site check (which passes
any JSON body), the current-request marker (read only by pages' templates), the size and
nesting limits, Starlette's exception layer, FastAPI's exit stacks, the router and FastAPI's
request handler — a sixth of a served verification's CPU time (py-spy on ``bench/load.py``),
and the request was already known to pass each of them.

:class:`DirectRoute` sits just inside the request id, metrics, access log and common headers
(:mod:`.observability`, :mod:`.headers`), which see it as they see any request. It takes a
request only when it is the plain case: a route's method and path, a JSON media type
(``application/json``), a ``Content-Length`` within the size limit and no
``Transfer-Encoding``; it reads the body whole and, if it came as declared and is nested
within :data:`~credstack.entrypoints.web.nesting.MAX_NESTING` and holds no unreadable text
(:mod:`.text`), calls the route's function
with it, under the application's exception handlers as the route would be. Anything else —
another request, a body that is too deep, a client that left — goes down the whole stack
as before (with the body it read, replayed), so every refusal is still made by the layer
that made it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from credstack.entrypoints.web.nesting import MAX_NESTING, depth
from credstack.entrypoints.web.text import unreadable

__all__ = ["DirectRoute"]

_CONTENT_TYPE: Final = b"content-type"
_CONTENT_LENGTH: Final = b"content-length"
_TRANSFER_ENCODING: Final = b"transfer-encoding"


class _Direct:
    """One route answered directly: its function as an ASGI app under the application's
    exception handlers, as Starlette puts them around every route (made at its first
    request: the handlers are set before the application starts)."""

    def __init__(self, route: Any) -> None:
        self.route = route
        self.endpoint: Callable[[Request], Awaitable[Response]] = route.endpoint
        self._answer: ASGIApp | None = None

    def answering(self, scope: Scope) -> ASGIApp:
        if self._answer is None:
            application = scope["app"]
            handlers = {key: handler for key, handler in application.exception_handlers.items()
                        if key not in (500, Exception)}
            self._answer = ExceptionMiddleware(self._call, handlers=handlers,
                                               debug=application.debug)
        return self._answer

    async def _call(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.endpoint(Request(scope, receive, send))
        await response(scope, receive, send)


class DirectRoute:
    """ASGI middleware: plain JSON requests to ``routes`` (FastAPI routes of one method
    each, whose functions take the request alone) answered by their functions (see the
    module); ``limit``: the largest body the size limit accepts on their paths."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[Any], limit: int) -> None:
        self.app = app
        self.routes: dict[tuple[str, str], _Direct] = {}
        for route in routes:
            (method,) = route.methods
            self.routes[(method, route.path)] = _Direct(route)
        self.limit = limit

    def _plain_length(self, scope: Scope) -> int | None:
        """The declared length of a plain request's body, ``None`` for any other request."""
        if scope["type"] != "http" or (scope["method"], scope["path"]) not in self.routes:
            return None
        content_type = length = None
        for name, value in scope["headers"]:
            if name == _CONTENT_TYPE:
                if content_type is not None:
                    return None
                content_type = value
            elif name == _CONTENT_LENGTH:
                if length is not None:
                    return None
                length = value
            elif name == _TRANSFER_ENCODING:
                return None
        if (content_type is None or content_type.split(b";")[0].strip().lower()
                != b"application/json"):
            return None
        if length is None or not length.isdigit() or int(length) > self.limit:
            return None
        return int(length)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = self._plain_length(scope)
        if declared is None:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        parts: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = parts[0] if len(parts) == 1 else b"".join(parts)
        if (messages[-1]["type"] != "http.request" or len(body) != declared
                or depth(body) > MAX_NESTING or unreadable(scope, body) is not None):
            pending = iter(messages)

            async def replay() -> Message:
                message = next(pending, None)
                return message if message is not None else await receive()

            await self.app(scope, replay, send)
            return
        direct = self.routes[(scope["method"], scope["path"])]
        scope["route"] = direct.route
        scope["endpoint"] = direct.endpoint
        scope["path_params"] = {}
        sent = False

        async def receive_after_body() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await direct.answering(scope)(scope, receive_after_body, send)
