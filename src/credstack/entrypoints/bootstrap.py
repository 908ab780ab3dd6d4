"""The composition root: the one place that builds a :class:`~credstack.services.runtime.Runtime`.

The web application (:func:`credstack.entrypoints.web.app.create_app`) and every CLI command
(:func:`open_runtime`) get their settings, database engine, sessions, key store, clock and
search index from here, wired the same way: the sessions carry the master key the audit log
signs its head with, and nothing is read from the environment anywhere else but the settings
the resolvers apply to the whole process (the contexts the operator pins, fetching). It
registers the built-in kinds of background job too (:mod:`credstack.services.background`),
so that a runtime built here starts and runs them whichever service starts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.jobs import HueyQueue
from credstack.adapters.keystore import MasterKeySource
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.adapters.search.live import LiveIndex
from credstack.services import (
    background,  # noqa: F401  (importing it registers the kinds of job)
    counting,
)
from credstack.services.access import service as refusals
from credstack.services.audit import checkpoints
from credstack.services.audit.service import attach_key
from credstack.services.creditbank.lifecycle import flag_credential
from credstack.services.oid4vci.grants import OID4VCI
from credstack.services.oid4vci.offers import MailOffers
from credstack.services.runtime import Runtime, utc_now
from credstack.settings import Settings

__all__ = ["build_runtime", "engine_of", "migrate_store", "open_runtime", "utc_now"]


def build_runtime(settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now,
                  engine: Engine | None = None, with_registry: bool = False,
                  announce: Callable[[Path], None] | None = None) -> Runtime:
    """A runtime on ``settings``' store (not yet migrated: see :func:`migrate_store`).

    ``with_registry``: keep a live search index (the web application's; its owner starts
    and stops it). ``announce``: told the path when a master key file is created on first
    use (the console says so in the user's language).

    The contexts the operator pins (``CREDSTACK_CONTEXTS_FILE``) are read and checked here,
    so that a mistake in them stops the server or the command at once, as a bad setting does,
    rather than the first verification.
    """
    shared_document_loader()
    engine = engine if engine is not None else make_engine(settings)
    sessions = session_factory(engine)
    master_key = (MasterKeySource(settings) if announce is None
                  else MasterKeySource(settings, announce=announce))
    attach_key(sessions, master_key)
    registry = LiveIndex(settings, sessions, clock=clock) if with_registry else None
    runtime = Runtime(settings=settings, sessions=sessions, master_key=master_key, clock=clock,
                      registry=registry, jobs=HueyQueue(settings),
                      on_credential_inactive=(flag_credential,), oauth_extensions=(OID4VCI,),
                      mail_offers=MailOffers.of)
    # A checkpoint every so many audit entries, whoever appends them (server, worker, CLI).
    checkpoints.attach(runtime)
    return runtime


def engine_of(runtime: Runtime) -> Engine:
    """The database engine under ``runtime``'s sessions."""
    engine = runtime.sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def migrate_store(runtime: Runtime) -> None:
    """Apply every migration the store lacks."""
    migrate(engine_of(runtime))


@contextmanager
def open_runtime(data_dir: Path | None = None, *, settings: Settings | None = None,
                 clock: Callable[[], dt.datetime] = utc_now,
                 announce: Callable[[Path], None] | None = None) -> Iterator[Runtime]:
    """A runtime on a migrated store for one CLI command; the engine is closed afterwards.

    ``settings``: given, or read from the environment (``data_dir`` overriding
    ``CREDSTACK_DATA_DIR``).
    """
    runtime = build_runtime(settings or Settings.from_env(data_dir=data_dir), clock=clock,
                            announce=announce)
    try:
        migrate_store(runtime)
        yield runtime
    finally:
        try:
            # Refusals the command counted past the budget are written before the store
            # closes, as the server writes them when it stops: none is lost.
            refusals.flush_pending(runtime)
            counting.flush_on_close(runtime)
        finally:
            engine_of(runtime).dispose()
