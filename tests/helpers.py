"""Documents the adapter tests build on: a small, realistic, conforming programme and its
awarding organisation (:mod:`credstack.testing.documents`, which the benchmarks use too)."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Sequence
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import TypeVar

import pytest

from credstack.testing.documents import ORGANISATION, PROGRAMME
from credstack.testing.documents import organisation_document as organisation
from credstack.testing.documents import programme_document as programme

__all__ = ["IDLE_PATIENCE", "ORGANISATION", "PROGRAMME", "Idle", "gathered", "organisation",
           "processes_importing", "programme"]

T = TypeVar("T")


def processes_importing(module: str) -> BaseContext:
    """Where a test that races separate OS processes starts them: forked from a fork server
    that imported ``module`` (the test module: credstack and the workers' code) once per test
    process. Each process is still separate (its own interpreter state, connections and
    locks), but starts by a fork instead of a new interpreter importing credstack again:
    about 3 s of CPU a process with ``spawn``. The server is a single-threaded process
    holding no connection, so forking it is safe where forking the test process (threads,
    open engines) is not. The first test of a process names what the server imports; a
    later module's workers import what they lack after the fork."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([module])
    return context


def gathered(workers: Sequence[BaseProcess], results: Queue[T], start: Barrier) -> list[T]:
    """What each of the started ``workers`` puts on ``results``, however long they take
    (a test on a busy machine waits for them, not for a clock); the test fails if one ends
    without putting its result, and ``start`` (the barrier the others wait at) is broken
    so that none waits for it for ever."""
    got: list[T] = []
    while len(got) < len(workers):
        try:
            got.append(results.get(timeout=1))
            continue
        except queue.Empty:
            pass
        failed = [worker.exitcode for worker in workers if worker.exitcode not in (None, 0)]
        if failed or all(worker.exitcode is not None for worker in workers):
            try:
                got.append(results.get(timeout=5))  # the last result may still be in the pipe
                continue
            except queue.Empty:
                start.abort()
                for worker in workers:
                    worker.join()
                pytest.fail(f"{len(workers) - len(got)} of {len(workers)} workers ended "
                            f"without a result (exit codes {[w.exitcode for w in workers]})")
    for worker in workers:
        worker.join()
    return got


#: How long a process starting a server may use no CPU at all before the test decides that it
#: has stopped: a process that works, however slowly a loaded machine lets it, is waited for.
IDLE_PATIENCE = 180.0


class Idle:
    """How long process ``pid`` has used no CPU (from Linux's ``/proc``; where there is none,
    the time since it was watched: the patience is then a bound on the whole wait)."""

    def __init__(self, pid: int) -> None:
        self._stat = Path(f"/proc/{pid}/stat")
        self._used = self._cpu()
        self._since = time.monotonic()

    def _cpu(self) -> int | None:
        try:
            fields = self._stat.read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            return None
        return int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks

    def seconds(self) -> float:
        used = self._cpu()
        if used is not None and used != self._used:
            self._used, self._since = used, time.monotonic()
        return time.monotonic() - self._since
