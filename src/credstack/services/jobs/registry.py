"""The kinds of job there are: a handler per kind, and the action that allows starting it.

A module declares a kind with :func:`handler`; the module must be imported for the kind to
exist (:mod:`credstack.services.jobs` imports the built-in ones)::

    @handler("cohort.issue", action=Action.CREDENTIAL_ISSUE)
    def issue_cohort(runtime: Runtime, context: JobContext) -> dict[str, Any]:
        ...

``action=None``: platform work (re-indexing, the daily reminders), started by registry
admins, the console and the scheduler only. ``check`` runs when the job is started, in the
caller's request, so that a payload that can never work is refused at once (an
:class:`~credstack.errors.InputError` naming the field) rather than failing in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from credstack.core.access import Action
from credstack.errors import InputError, Problem
from credstack.services.jobs.models import JobContext
from credstack.services.runtime import Runtime

__all__ = ["HANDLERS", "Check", "Handler", "Handlers", "Run", "handler", "handler_for", "kinds"]

Run = Callable[[Runtime, JobContext], dict[str, Any]]
#: ``check(runtime, payload, organisation)``: raise InputError when the job cannot work.
Check = Callable[[Runtime, dict[str, Any], "str | None"], None]


@dataclass(frozen=True, slots=True)
class Handler:
    kind: str
    #: What the starter must be allowed on the job's organisation; None: platform work.
    action: Action | None
    run: Run
    check: Check | None = None


class Handlers:
    """The kinds of job and their handlers: filled as modules are imported (as a router is
    with routes), the same for every runtime of the process."""

    def __init__(self) -> None:
        self._by_kind: dict[str, Handler] = {}

    def add(self, item: Handler) -> None:
        known = self._by_kind.get(item.kind)
        if known is not None and known.run is not item.run:
            raise ValueError(f"two handlers of the job kind {item.kind!r}")
        self._by_kind[item.kind] = item

    def get(self, kind: str) -> Handler | None:
        return self._by_kind.get(kind)

    def kinds(self) -> list[str]:
        return sorted(self._by_kind)


#: Every kind of job this process knows.
HANDLERS = Handlers()


def handler(kind: str, *, action: Action | None, check: Check | None = None
            ) -> Callable[[Run], Run]:
    """Register the decorated function as the handler of ``kind``."""
    def register(run: Run) -> Run:
        HANDLERS.add(Handler(kind, action, run, check))
        return run
    return register


def handler_for(kind: str) -> Handler:
    """The handler of ``kind``; InputError naming the known kinds when there is none."""
    found = HANDLERS.get(kind)
    if found is None:
        raise InputError(code="jobs.problem.no_kind", params={"kind": kind},
                         problems=[Problem("kind", code="jobs.problem.one_of",
                                           params={"kinds": ", ".join(HANDLERS.kinds())})])
    return found


def kinds() -> list[str]:
    return HANDLERS.kinds()
