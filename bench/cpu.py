"""The server's CPU time per request, per endpoint: the figure that decides throughput on a
machine of few cores, and that (unlike requests a second) hardly moves when other work
shares the machine.

One server process of credstack's real application (uvicorn, as in ``bench/load.py``) on a
scratch store with the demo data answers ``--requests`` requests of each endpoint, sent by
``--concurrency`` clients at once (20, as ``bench/load.py`` loads; 1: one request at a
time, where the wake-ups between requests weigh more), each over its own keep-alive
connection. The server's CPU time (user and system, read from ``/proc``) before and after,
divided by the requests, is printed per endpoint, beside the wall-clock time per request.
Every answer must be a 200 (a verification answers 200 only when it verifies), else the run
stops saying which.

The endpoints: ``healthz`` (``GET /healthz``: the middleware and nothing else), ``search``,
``programme``, ``verify``, ``verify-rdfc`` and ``status`` as ``bench/load.py`` names them.
``--profile FILE`` runs the server under ``cProfile`` (every thread, the thread pool's
included) and writes the merged statistics to ``FILE`` when it stops (read them with
``python -m pstats FILE``); CPU figures are then the profiler's, not the server's.

    .venv/bin/python bench/cpu.py [--database sqlite] [--requests 2000] [--concurrency 20]
        [--endpoints healthz,search,programme,verify,verify-rdfc,status] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing
import pstats
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console

from credstack.entrypoints.web.app import create_app
from credstack.settings import Settings
from load import Prepared, Target, cpu_seconds, first_answers, prepared, targets, wait_until_up
from measure import machine, print_figures

ENDPOINTS = ("healthz", "search", "programme", "verify", "verify-rdfc", "status")


def _serve(settings: Settings, sock: socket.socket, profile: str) -> None:
    """One server process on ``sock``; with ``profile``, every thread profiled and the
    statistics merged into that file when the server stops."""
    app = create_app(settings, run_jobs=False, freeze_heap=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    if not profile:
        server.run(sockets=[sock])
        return
    profiles: list[cProfile.Profile] = []

    def start(*_: object) -> None:
        # Called at a new thread's first event: that thread gets a profiler of its own.
        sys.setprofile(None)
        own = cProfile.Profile()
        profiles.append(own)
        own.enable()

    threading.setprofile(start)
    # uvicorn raises the signal that stopped it again once it has stopped: ignored here, so
    # that the statistics are written.
    signal.signal(signal.SIGTERM, lambda *_: None)
    main = cProfile.Profile()
    main.enable()
    server.run(sockets=[sock])
    main.disable()
    merged = pstats.Stats(main)
    for own in profiles:
        merged.add(own)
    merged.dump_stats(profile)


@contextmanager
def running(store: Prepared, profile: str) -> Iterator[int]:
    """One server process on the store's socket; its pid."""
    context = multiprocessing.get_context("fork")
    server = context.Process(target=_serve, args=(store.settings, store.sock, profile),
                             daemon=True)
    server.start()
    try:
        wait_until_up(store.base, [server])
        yield server.pid or 0
    finally:
        server.terminate()
        server.join(timeout=60)


def _requests(client: httpx.Client, target: Target, count: int) -> None:
    """``count`` requests of ``target``, its paths in turn; each answer checked."""
    headers = dict(target.headers)
    for turn in range(count):
        path = target.paths[turn % len(target.paths)]
        response = client.request(target.method, path, content=target.body, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{target.method} {path}: HTTP {response.status_code}: "
                             f"{response.text[:300]}")


def measure(store: Prepared, pid: int, endpoint: str, count: int,
            concurrency: int) -> dict[str, str]:
    """The server's CPU time per request of ``endpoint`` over ``count`` requests, sent by
    ``concurrency`` clients at once (each over its own keep-alive connection)."""
    target = {**targets(store), "healthz": Target(("/healthz",))}[endpoint]
    each = count // concurrency
    clients = [httpx.Client(base_url=store.base, timeout=30) for _ in range(concurrency)]
    try:
        for client in clients:
            _requests(client, target, 20)  # caches filled, the connections open
        threads = [threading.Thread(target=_requests, args=(client, target, each))
                   for client in clients]
        cpu = -cpu_seconds(pid)
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        cpu += cpu_seconds(pid)
    finally:
        for client in clients:
            client.close()
    done = each * concurrency
    return {"endpoint": endpoint, "concurrency": str(concurrency), "requests": f"{done:,}",
            "server CPU ms/req": f"{cpu * 1000 / done:.3f}",
            "wall ms/req": f"{wall * 1000 / done:.2f}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    endpoints = args.endpoints.split(",")
    unknown = set(endpoints) - set(ENDPOINTS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    console = Console(width=160)
    rows: list[dict[str, str]] = []
    for database in args.database.split(","):
        with prepared(database) as store, running(store, args.profile) as pid:
            first_answers(store)
            for endpoint in endpoints:
                rows.append({"database": database, **measure(store, pid, endpoint,
                                                             args.requests, args.concurrency)})
                console.print(json.dumps(rows[-1], ensure_ascii=False))
    console.print(machine())
    print_figures(console, "Server CPU per request (issue 40)", rows)
    if args.profile:
        console.print(f"profile: python -m pstats {Path(args.profile).resolve()}")


if __name__ == "__main__":
    main()
