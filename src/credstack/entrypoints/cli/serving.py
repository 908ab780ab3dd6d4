"""``credstack serve --workers N``: N web processes on one listening socket, supervised.

uvicorn's supervisor (:class:`uvicorn.supervisors.Multiprocess`) starts the processes,
restarts one that dies and stops them all on Ctrl+C or SIGTERM; each builds the application
from the environment set here (:func:`credstack.entrypoints.web.app.app_of_a_worker_process`).
Before they start, this process migrates the store, makes the master key file on first use
and builds the registry's index, so that N processes do not race to do it. With the embedded
job queue it also runs the queue's one worker itself: the web processes run none, as with a
shared queue (N consumers of one SQLite queue would only take turns at its lock).

What the processes share lives in the store: sessions, sign-in attempts, OAuth tokens,
status lists, jobs. Each holds its own copy of the registry's search index, which follows
the others' writes within :data:`~credstack.adapters.search.live.CHECK_SECONDS`.

The processes' Prometheus metrics are kept in a directory this process makes (in the system's
temporary directory) and removes when the server stops: ``PROMETHEUS_MULTIPROC_DIR`` points
each process at it (:func:`credstack.services.operations.metrics.share_between_processes`),
this one's job worker included, so that ``/metrics`` answered by any process counts them all.

The socket is bound here rather than by uvicorn: uvicorn's ``bind_socket`` does not name TCP
as the socket's protocol, and asyncio then leaves Nagle's algorithm on for the connections
it accepts, so that every keep-alive answer after the first waits about 40 ms for a delayed
ACK (``bench/load.py``: 44 ms for a search that takes 1.5 ms).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

from credstack.entrypoints.bootstrap import build_runtime, engine_of, migrate_store
from credstack.entrypoints.web.coalescing import CoalescingProtocol
from credstack.services.background.worker import embedded_worker
from credstack.services.operations import metrics
from credstack.settings import Settings

#: The application factory each web process imports.
FACTORY = "credstack.entrypoints.web.app:app_of_a_worker_process"
#: How long a web process may not answer the supervisor before it is killed and replaced.
HEALTH_CHECK_SECONDS = 60


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host``:``port``, to be shared by the web processes."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)[0]
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def worker_environment(settings: Settings) -> dict[str, str]:
    """What a web process needs in its environment to read the same settings: the store,
    the data directory (the SQLite master key file, the saved index) and the addresses
    decided by ``serve`` (where it listens, the demo's issuer)."""
    environment = {"CREDSTACK_DATA_DIR": str(settings.data_dir),
                   "CREDSTACK_DATABASE_URL": settings.database_url,
                   "CREDSTACK_PUBLIC_URL": settings.public_url,
                   "CREDSTACK_LOG_FORMAT": settings.log_format}
    if settings.default_issuer is not None:
        environment["CREDSTACK_DEFAULT_ISSUER"] = settings.default_issuer
    if settings.demo:
        environment["CREDSTACK_DEMO"] = "on"
    if settings.canonical_host:
        environment["CREDSTACK_CANONICAL_HOST"] = "on"
    return environment


def serve_processes(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Serve ``settings`` from ``workers`` processes until stopped."""
    sock = listening_socket(host, port)
    shared_metrics = Path(tempfile.mkdtemp(prefix="credstack-metrics-"))
    metrics.share_between_processes(shared_metrics)
    runtime = build_runtime(settings, with_registry=True)
    worker = None
    try:
        migrate_store(runtime)
        registry = runtime.registry
        assert registry is not None
        # Built (and saved) once here: each process then loads it instead of building it.
        registry.refresh()
        registry.stop()
        worker = embedded_worker(runtime)
        os.environ.update(worker_environment(settings))
        # uvicorn pings each process every half second and kills one that has not answered
        # within the health check's timeout (5 s by default). A new process answers only
        # once it has imported credstack, which on a busy two-core machine takes longer:
        # each replacement was killed in turn and the server never answered.
        config = uvicorn.Config(FACTORY, factory=True, workers=workers, log_level="warning",
                                lifespan="on", backlog=2048, http=CoalescingProtocol,
                                access_log=False,
                                timeout_worker_healthcheck=HEALTH_CHECK_SECONDS,
                                log_config=None if settings.log_format == "json"
                                else uvicorn.config.LOGGING_CONFIG)
        Multiprocess(config, sockets=[sock]).run()
    finally:
        if worker is not None:
            worker.stop()
        engine_of(runtime).dispose()
        sock.close()
        shutil.rmtree(shared_metrics, ignore_errors=True)
