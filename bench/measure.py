"""What the benchmark scripts share: scratch stores, a ``credstack serve`` child process,
timers, memory, percentiles, and the machine and table their figures are printed with.

Imported by the scripts beside it (``bench/`` is the script's folder, so first on
``sys.path``); not part of the credstack package.
"""

from __future__ import annotations

import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

from credstack.settings import Settings

#: Where scratch PostgreSQL databases are created (and dropped afterwards).
POSTGRES = (os.environ.get("CREDSTACK_BENCH_POSTGRES_URL")
            or os.environ.get("CREDSTACK_TEST_POSTGRES_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_store(kind: str, postgres_url: str = POSTGRES) -> Iterator[Settings]:
    """Settings of an empty store: SQLite in a temporary folder, or (``kind`` "postgresql")
    a scratch PostgreSQL database on ``postgres_url``'s server, dropped afterwards."""
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as folder:
        if kind == "sqlite":
            yield Settings.from_env(data_dir=Path(folder), database_url="")
            return
        name = f"credstack_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield Settings.from_env(data_dir=Path(folder),
                                    database_url=f"{postgres_url.rsplit('/', 1)[0]}/{name}")
        finally:
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """Seconds since the block began; frozen when it ends."""
    start = time.perf_counter()
    end: float | None = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


def peak_rss() -> int:
    """This process's peak resident set, in bytes. Linux: VmHWM, which (unlike ru_maxrss)
    starts afresh at exec, so a child does not report the parent it was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latencies(call: Callable[[], object], seconds: float, *, at_least: int = 20
              ) -> list[float]:
    """Milliseconds per call of ``call``, for ``seconds`` (and at least ``at_least`` calls)."""
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < at_least:
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def http_latencies(call: Callable[[], httpx.Response], seconds: float, *,
                   at_least: int = 20) -> list[float] | str:
    """:func:`latencies` of an HTTP request; what went wrong instead at the first answer
    that is not a 200."""
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < at_least:
        began = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {response.text[:200]}"
    return samples


def free_port() -> int:
    """A free port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def credstack_serve(environment: Mapping[str, str], *, ready: str,
                    arguments: Sequence[str] = (), startup: float = 120,
                    port: int | None = None) -> Iterator[str]:
    """``credstack serve`` (with ``arguments``) in a child process on a free loopback port
    (or ``port``, when the public URL in ``environment`` must name it), ``environment`` added
    to this process's: its base URL once ``GET ready`` answers 200. Stopped when the block
    ends; if it exits or has not answered within ``startup`` seconds, the benchmark ends
    (status 1) saying so."""
    port = port or free_port()
    command = ["credstack", "serve", *arguments]
    server = subprocess.Popen(
        [sys.executable, "-m", *command, "--port", str(port)],
        env={**os.environ, **environment}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        if not _answers(server, url + ready, startup):
            Console().print(f"{' '.join(command)} did not start")
            raise SystemExit(1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)


def _answers(server: subprocess.Popen[bytes], url: str, seconds: float) -> bool:
    """Whether ``url`` answers 200 before ``server`` exits or ``seconds`` pass."""
    started = time.perf_counter()
    with httpx.Client(timeout=seconds) as probe:
        while True:
            try:
                if probe.get(url).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.perf_counter() - started > seconds:
                return False
            time.sleep(0.2)


def latency_row(samples: list[float] | str, *, target_ms: float | None = None
                ) -> dict[str, str]:
    """The figures of one latency case for :func:`print_figures`: p50, p95 and worst of
    ``samples`` (milliseconds) and how many there were; with ``target_ms``, whether p95 meets
    it. A ``str`` is what went wrong instead, shown in their place."""
    if isinstance(samples, str):
        row = {"p50 ms": "error", "p95 ms": samples, "worst ms": "", "calls": ""}
        met = False
    else:
        p95 = percentile(samples, 0.95)
        row = {"p50 ms": f"{percentile(samples, 0.5):.1f}", "p95 ms": f"{p95:.1f}",
               "worst ms": f"{max(samples):.1f}", "calls": f"{len(samples):,}"}
        met = target_ms is not None and p95 <= target_ms
    if target_ms is not None:
        row["target"] = f"p95 ≤ {target_ms:.0f} ms {'✓' if met else '✗'}"
    return row


def machine() -> str:
    """The interpreter, the CPUs and their load: what a figure was measured on."""
    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")


def print_figures(console: Console, title: str, rows: list[dict[str, str]]) -> None:
    """One row per run (column name → figure), the columns those of the first row."""
    table = Table(title=title)
    for column in rows[0]:
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*row.values())
    console.print(table)
