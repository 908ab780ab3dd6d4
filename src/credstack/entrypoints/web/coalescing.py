"""An HTTP answer written to its connection in one piece, not one write per ASGI message.

uvicorn writes the status line and headers when the application sends
``http.response.start``, and the body when it sends ``http.response.body``: two ``send``
system calls for every answer, each a TCP segment, each waking the client. On loopback the
sender does the receiver's part of the work too, and the first of the two writes was the
largest single item of a served request's CPU time (py-spy on ``bench/load.py``: a quarter of
``POST /credentials/verify``'s samples, more of a status list's).

:class:`CoalescingProtocol` is uvicorn's httptools protocol with its connection's transport
wrapped in :class:`CoalescingTransport`: what is written during one step of the event loop
is held and written at once when that step ends (``loop.call_soon``) — the head and body of
an answer made in one step go out in one write. Nothing waits longer than the step that
wrote it; more than :data:`HOLD_AT_MOST` bytes held are written at once (a large body does
not pile up), and closing the connection, or handing it to another protocol, writes what is
held first. ``credstack serve`` (one process or ``--workers``) and the tests' servers use it.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["HOLD_AT_MOST", "CoalescingProtocol", "CoalescingTransport"]

#: Bytes held before they are written without waiting for the end of the step.
HOLD_AT_MOST: Final = 64 * 1024


class CoalescingTransport:
    """``transport`` with the writes of one event-loop step joined into one (see the
    module); everything else is the transport's own."""

    __slots__ = ("_held", "_loop", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)
        self._size += len(data)
        if self._size > HOLD_AT_MOST:
            self.flush()

    def flush(self) -> None:
        """Write what is held now (nothing, once the connection is closing)."""
        if not self._held:
            return
        held = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held, self._size = [], 0
        if not self._transport.is_closing():
            self._transport.write(held)

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def get_write_buffer_size(self) -> int:
        return self._size + self._transport.get_write_buffer_size()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()
        self._transport.set_protocol(protocol)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing through a :class:`CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
