"""An answer goes to its connection in one write: what one step of the event loop writes is
joined, and nothing is held past that step, past a size, or past the connection's close."""

from __future__ import annotations

import asyncio

from credstack.entrypoints.web.coalescing import HOLD_AT_MOST, CoalescingTransport


class Recorded(asyncio.Transport):
    """A transport that keeps what it is asked to write (asyncio's seam, not ours)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0


def test_the_writes_of_one_step_go_out_as_one_when_it_ends() -> None:
    """The head and the body of an answer written in one step are one write, after it."""
    async def answer() -> tuple[list[bytes], list[bytes]]:
        recorded = Recorded()
        transport = CoalescingTransport(recorded, asyncio.get_running_loop())
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"{}")
        during = list(recorded.writes)
        await asyncio.sleep(0)
        return during, recorded.writes

    during, after = asyncio.run(answer())
    assert during == []
    assert after == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]


def test_a_large_body_is_written_without_waiting_for_the_step_to_end() -> None:
    """More than HOLD_AT_MOST bytes held are written at once: a large body does not pile up."""
    async def large() -> list[bytes]:
        recorded = Recorded()
        transport = CoalescingTransport(recorded, asyncio.get_running_loop())
        transport.write(b"head")
        transport.write(b"x" * HOLD_AT_MOST)
        return list(recorded.writes)

    assert asyncio.run(large()) == [b"head" + b"x" * HOLD_AT_MOST]


def test_closing_writes_what_is_held_first_and_nothing_is_written_after() -> None:
    """A connection closed in the step that wrote its last answer still sends it whole."""
    async def closed() -> list[bytes]:
        recorded = Recorded()
        transport = CoalescingTransport(recorded, asyncio.get_running_loop())
        transport.write(b"last answer")
        transport.close()
        transport.write(b"too late")
        await asyncio.sleep(0)
        return recorded.writes

    assert asyncio.run(closed()) == [b"last answer"]

