"""The manual — ``docs/`` built by MkDocs — served at ``/manual/`` when it has been built.

The pages are our own static build, so they are served as files; the theme's scripts include
a few inline ones (its search and palette settings), which this path's Content-Security-Policy
allows, and nothing from another origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MANUAL_PATH: Final = "/manual"

#: The manual's own headers: its scripts and styles come from itself only.
MANUAL_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
     b"'unsafe-inline'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; "
     b"base-uri 'none'; form-action 'self'"),
    (b"referrer-policy", b"same-origin"),
)


class _WithHeaders:
    """ASGI wrapper: :data:`MANUAL_HEADERS` on every answer of the manual."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  *MANUAL_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mount_manual(app: FastAPI, directory: Path | None) -> None:
    """Serve the built manual in ``directory`` at :data:`MANUAL_PATH`, when there is one."""
    if directory is None:
        return
    # The pages' footer links to it (rendering.render reads this).
    app.state.manual_url = f"{MANUAL_PATH}/"
    app.mount(MANUAL_PATH, _WithHeaders(StaticFiles(directory=directory, html=True)),
              name="manual")
