"""Work that must not wait: what a server does on its event loop.

A request answered from what a process keeps (a verification whose issuer key, status lists
and proof are remembered) costs less than handing it to a thread and back. Such work is run
inside :func:`without_waiting`: anything in it that would wait — a query of the store (every
session of :func:`~credstack.adapters.db.engine.session_factory` asks :func:`may_wait` before
it executes a statement), a fetch over the network — raises :class:`WouldWait` instead, before
anything is sent, and the caller does the work again in a thread, where it may wait.

The flag is a context variable: it holds for the code run in the block, not for the threads
it starts (a timer writing counts) nor for the event loop's other tasks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

__all__ = ["WouldWait", "may_wait", "without_waiting"]

_NOT_NOW: Final[ContextVar[bool]] = ContextVar("credstack_without_waiting", default=False)


class WouldWait(Exception):
    """Work run :func:`without_waiting` needed to wait for something (or to compute what
    is not kept): it is done again where it may wait."""


@contextmanager
def without_waiting() -> Iterator[None]:
    """Run the block so that whatever would wait raises :class:`WouldWait`."""
    token = _NOT_NOW.set(True)
    try:
        yield
    finally:
        _NOT_NOW.reset(token)


def may_wait() -> None:
    """Raise :class:`WouldWait` inside :func:`without_waiting`; nothing elsewhere."""
    if _NOT_NOW.get():
        raise WouldWait
