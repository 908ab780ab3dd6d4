"""A job queue that keeps what it was given, for tests that run jobs themselves."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RecordingQueue:
    """:class:`~credstack.adapters.jobs.JobQueue` in memory: ``sent`` lists every
    ``(public_id, delay)`` in order; a test runs them with
    :func:`credstack.services.jobs.runner.run`. ``down``: refuse, as an unreachable broker."""

    sent: list[tuple[str, float | None]] = field(default_factory=list)
    down: bool = False

    def enqueue(self, public_id: str, *, delay: float | None = None) -> None:
        if self.down:
            raise ConnectionError("the queue is down")
        self.sent.append((public_id, delay))

    def pending(self) -> int:
        if self.down:
            raise ConnectionError("the queue is down")
        return len(self.sent)

    def take(self) -> list[str]:
        """The ids sent since the last call, oldest first."""
        ids = [public_id for public_id, _ in self.sent]
        self.sent.clear()
        return ids
