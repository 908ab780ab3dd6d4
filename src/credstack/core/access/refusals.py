"""How many refusals of one source are audited one by one: the rest are counted.

Every refused request used to write an entry (``access.denied``, ``token.refused``,
``login.failed``…), so anyone could grow the append-only audit log without limit (6,005
anonymous requests in 27 s wrote 6,045 entries). :class:`RefusalBudget` admits the first
``per_source`` refusals of each kind (the audit action) from a source (an address) in each
``window``; past that it counts them, and when the window is over it gives back a
:class:`Summary` to be written as one entry: nothing is lost (every refusal is in an entry or
a count), and the log grows by at most ``per_source`` + 1 entries per source, kind and
window. At most ``max_sources`` sources and kinds are tracked at once; refusals from more
are counted under :data:`OTHER_SOURCES`, so memory is bounded too.

Pure: the time is a parameter; the caller serialises calls (one budget per process).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_KIND", "OTHER_SOURCES", "RefusalBudget", "Summary"]

#: The source of refusals counted once ``max_sources`` sources are tracked.
OTHER_SOURCES: Final = "other sources"
#: The kind of refusal the web adapter's access checks record.
DEFAULT_KIND: Final = "access.denied"


@dataclass(frozen=True, slots=True)
class Summary:
    """The refusals of ``source`` in one window that were counted, not written one by one;
    ``kind`` is their audit action."""

    source: str
    start: dt.datetime
    end: dt.datetime
    counted: int
    kind: str = DEFAULT_KIND


@dataclass(slots=True)
class _Window:
    start: dt.datetime
    seen: int = 0


class RefusalBudget:
    """See the module."""

    def __init__(self, *, per_source: int, window: dt.timedelta, max_sources: int) -> None:
        self.per_source = per_source
        self.window = window
        self.max_sources = max_sources
        # By (source, kind), in the order windows opened, so the ones over are at the front.
        self._windows: dict[tuple[str, str], _Window] = {}

    def admit(self, source: str, now: dt.datetime, *, kind: str = DEFAULT_KIND
              ) -> tuple[bool, list[Summary]]:
        """Whether this refusal of ``kind`` from ``source`` at ``now`` is written one by one,
        and the summaries of windows over by ``now`` (to write first)."""
        due = self._close(now, everything=False)
        key = (source, kind)
        if key not in self._windows and len(self._windows) >= self.max_sources:
            key = (OTHER_SOURCES, kind)
        window = self._windows.setdefault(key, _Window(now))
        window.seen += 1
        return window.seen <= self.per_source, due

    def drain(self, now: dt.datetime) -> list[Summary]:
        """Every pending summary, windows over or not (when the process stops)."""
        return self._close(now, everything=True)

    def _close(self, now: dt.datetime, *, everything: bool) -> list[Summary]:
        due = []
        while self._windows:
            (source, kind), window = next(iter(self._windows.items()))
            end = window.start + self.window
            if end > now and not everything:
                break
            del self._windows[source, kind]
            if window.seen > self.per_source:
                due.append(Summary(source, window.start, min(end, now),
                                   window.seen - self.per_source, kind))
        return due
