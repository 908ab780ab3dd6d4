"""``credstack serve``: the web service, in this process (:func:`serve`) or, with
``--workers N``, in N web processes on one listening socket, supervised.

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

import dataclasses
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from credstack.entrypoints import logs
from credstack.entrypoints.bootstrap import build_runtime, engine_of, migrate_store
from credstack.entrypoints.cli import demo
from credstack.entrypoints.cli.console import (
    DataDir,
    LogFormatOption,
    err,
    exit_on_error,
    out,
    t,
)
from credstack.entrypoints.web.app import create_app
from credstack.entrypoints.web.coalescing import CoalescingProtocol
from credstack.services.background.worker import embedded_worker
from credstack.services.operations import metrics
from credstack.settings import Settings, answers_at, configured_public_url, listening_url

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
                                proxy_headers=False,
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


def serve(
    host: Annotated[str, typer.Option(
        help="cli.help.serving.interface_to_listen_on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="cli.help.serving.port_to_listen_on")] = 8000,
    data_dir: DataDir = None,
    with_demo: Annotated[bool, typer.Option("--demo",
        help="cli.help.serving.load_the_demo_data")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="cli.help.serving.web_processes_sharing_the")] = 1,
    log_format: LogFormatOption = None,
) -> None:
    with exit_on_error():
        # Read before the demo is loaded: the demo's credentials and DIDs name this address.
        settings = Settings.from_env(data_dir=data_dir,
                                     default_public_url=listening_url(host, port))
        if log_format is not None:
            settings = dataclasses.replace(settings, log_format=log_format.value)
        if with_demo:
            loaded = demo.load_demo(data_dir, only_if_empty=True, settings=settings)
            if loaded:
                err.print(t("cli.serving.loaded_demo_programmes", loaded=loaded))
            demo.show_demo_accounts(data_dir, settings=settings)
            demo.show_demo_recognition(data_dir, settings)
            demo.show_demo_history(data_dir, settings)
        if with_demo:
            # A demo server keeps its e-mail in its local mailbox when it sends none.
            settings = dataclasses.replace(settings, demo=True)
        if with_demo and settings.default_issuer is None:
            settings = dataclasses.replace(settings, default_issuer=demo.DEMO_ISSUER)
        if answers_at(settings.public_url, host, port):
            # Nothing stands between browsers and this server: a page opened at another of
            # its names (127.0.0.1) is sent to the one every link names.
            settings = dataclasses.replace(settings, canonical_host=True)
        # With several processes, each builds its own (serve_processes).
        application = create_app(settings, freeze_heap=True) if workers == 1 else None
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    # The address every generated link names, when it reaches this server: a browser keeps
    # its sign-in per host, so one opened at 127.0.0.1 would arrive signed out at localhost.
    url = (settings.public_url if answers_at(settings.public_url, host, port)
           else f"http://{shown}:{port}")
    where = settings.store_location
    processes = t("cli.serving.processes", workers=workers) if workers > 1 else ""
    out.print(t("cli.serving.credstack_running_at_store", url=url, where=where,
                processes=processes))
    if settings.manual_dir is not None:
        out.print(t("cli.serving.manual_manual", url=url))
    out.print(t("cli.serving.api_documentation_docs_stop_with", url=url))
    _warn_about_the_public_url(settings.public_url, host=host, port=port, url=url)
    if settings.embedded_jobs:
        out.print(t("cli.serving.background_jobs_run_this_process"))
    else:
        out.print(t("cli.serving.background_jobs_go_credstack_jobs"), markup=False)
    if application is None:
        serve_processes(settings, host=host, port=port, workers=workers)
        return
    # No forwarded header is believed by uvicorn (whose default trusts any local process):
    # the app believes those of CREDSTACK_TRUSTED_PROXIES alone (web.app.create_app).
    config = uvicorn.Config(application, host=host, port=port, log_level="warning",
                            http=CoalescingProtocol, access_log=False, proxy_headers=False,
                            log_config=None if settings.log_format == "json" else LOGGING_CONFIG)
    logs.configure(settings.log_format)
    uvicorn.Server(config).run()


def _warn_about_the_public_url(public: str, *, host: str, port: int, url: str) -> None:
    """Say so when credentials will name an address this server does not answer at: a
    ``CREDSTACK_PUBLIC_URL`` that points elsewhere (right only behind a reverse proxy), or a
    listening address no did:web can name."""
    if answers_at(public, host, port):
        return
    if configured_public_url() is None:
        err.print(t("cli.serving.warning_credentials_will_name", public=public, url=url),
                  soft_wrap=True)
        return
    err.print(t("cli.serving.warning_credstack_public_url", public=public, url=url,
                host=listening_url(host, port)),
        soft_wrap=True)
