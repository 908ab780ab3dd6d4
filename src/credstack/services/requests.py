"""The id of the request (or job) being served, carried to whatever it causes.

The web application binds the id of each request (``X-Request-ID`` when the client sent a
well-formed one, else a new one) for the request's length; a job started during the request
keeps it (the ``jobs.request_id`` column) and the worker binds it again while it runs the job.
The audit log (:func:`credstack.services.audit.service.record`) writes it into the details of
each entry made meanwhile, so that an entry, the log lines and the jobs of one request can be
found together. A :class:`contextvars.ContextVar` follows a request into the thread it is run
in (Starlette copies the context), and never leaks from one request into another.

It stands beside :mod:`credstack.services.runtime`, below every service package, because the
audit log, the jobs and operations all read it: inside ``operations`` it made the audit log
and operations (whose backups write the audit checkpoints) import each other.
"""

from __future__ import annotations

import contextvars
import os
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

__all__ = ["REQUEST_ID_HEADER", "bound", "current", "new_id", "well_formed"]

#: The header a request id comes in and goes back out with.
REQUEST_ID_HEADER: Final = "X-Request-ID"
#: What a client's request id may be: 1 to 64 letters, digits and ``-_.:`` (a UUID, a
#: proxy's hex id, a trace id) — nothing that could break a log line or a header.
_WELL_FORMED: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "credstack_request_id", default=None)


def well_formed(value: str | None) -> bool:
    """Whether ``value`` may be used as a request id as it is."""
    return value is not None and _WELL_FORMED.fullmatch(value) is not None


#: Where new ids come from: a request id names a request in the logs and is no secret, so
#: the operating system's randomness (a system call each: uuid4, 7 µs) is not needed for it;
#: seeded from it once per process, and again in a forked child (each server process of
#: ``--workers`` and of ``bench/load.py`` is one), so that no two processes share ids.
_ids = random.Random()  # noqa: S311 -- an id, not a secret (above)
os.register_at_fork(after_in_child=_ids.seed)


def new_id() -> str:
    """A fresh request id (32 hexadecimal digits)."""
    return f"{_ids.getrandbits(128):032x}"


def current() -> str | None:
    """The id of the request or job being served here, if any."""
    return _current.get()


@contextmanager
def bound(request_id: str | None) -> Iterator[str | None]:
    """Make ``request_id`` the current one for the block."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)
