"""What every service works with: the settings, the store, the key store, the clock, the index.

One :class:`Runtime` is built by the composition root (:mod:`credstack.entrypoints.bootstrap`)
for the web application and one for each CLI command; services take it as their first
argument and open their transactions on it. Nothing here is global: two runtimes (two stores,
two clocks) live side by side in one process, as the tests run them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from credstack.adapters.db.transactions import Session, pipelined_transaction, reading
from credstack.settings import Settings

if TYPE_CHECKING:
    # Named only in annotations: a command that reads a store (``credstack verify``) does
    # not import the job queue's library or the search index's with the runtime.
    from credstack.adapters.db.transactions import Sessions
    from credstack.adapters.jobs import JobQueue
    from credstack.adapters.keystore import MasterKey, MasterKeySource
    from credstack.adapters.search.live import LiveIndex


def utc_now() -> dt.datetime:
    """The real time, in UTC: the clock of every runtime unless a test chooses another."""
    return dt.datetime.now(dt.UTC)


class CredentialInactive(Protocol):
    """Told, inside the transaction that changed it, that the issued credential
    ``credential_id`` is no longer active (``why``: its new state), by ``by`` at ``now``."""

    def __call__(self, session: Session, *, credential_id: str, why: str, by: str,
                 now: dt.datetime) -> object: ...


class MailOffer(Protocol):
    """A credential offer an issuance e-mail carries: its public id and end of validity."""

    @property
    def public_id(self) -> str: ...

    @property
    def expires_at(self) -> dt.datetime: ...


class MailOfferMaker(Protocol):
    """Adds, in the issuing transaction ``session``, an offer of each of the issued credentials
    ``credential_ids`` for the e-mail that tells its learner (audited under ``subject``); the
    offers by credential id."""

    def add(self, session: Session, *, credential_ids: Sequence[str], now: dt.datetime,
            subject: str | None = None) -> Mapping[str, MailOffer]: ...


class MailOffersFor(Protocol):
    """The maker of the offers an issuing by ``created_by`` puts in its e-mails, made before
    the issuing transaction (it may read the master key)."""

    def __call__(self, runtime: Runtime, *, created_by: str) -> MailOfferMaker: ...


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Runtime:
    """One store and what goes with it (built by :mod:`credstack.entrypoints.bootstrap`);
    what listens to its sessions holds it weakly (:func:`credstack.services.audit.checkpoints
    .attach`)."""

    settings: Settings
    #: Sessions on the store; the audit log's key is attached to them.
    sessions: Sessions
    #: The key store's master key, loaded on first use.
    master_key: MasterKeySource
    #: The time now; a parameter so that tests and replays choose it.
    clock: Callable[[], dt.datetime]
    #: The registry's search index, kept current as programmes change; None where nothing
    #: searches (most CLI commands).
    registry: LiveIndex | None = None
    #: Where background jobs are queued (:mod:`credstack.services.jobs`); None where nothing
    #: starts one.
    jobs: JobQueue | None = None
    #: What else changes, in the same transaction, when an issued credential stops being
    #: active (revoked or suspended): the credit bank flags the decisions that counted it
    #: (:func:`credstack.services.creditbank.lifecycle.flag_credential`). The composition root
    #: lists them, so that issuance, below the credit bank, calls it without importing it.
    on_credential_inactive: tuple[CredentialInactive, ...] = ()
    #: The protocols built on the OAuth authorization server (OID4VCI), each an
    #: :class:`~credstack.services.oauth.extensions.Extension`: listed by the composition root,
    #: so that the server, below them, serves their grants and scopes without importing them.
    #: (Typed loosely: the runtime stands below every service package it names.)
    oauth_extensions: tuple[Any, ...] = ()
    #: What puts an OID4VCI credential offer in each "credential issued" e-mail
    #: (:meth:`credstack.services.oid4vci.offers.MailOffers.of`), listed by the composition root
    #: so that issuance, below OID4VCI, makes them without importing it; None: no offers.
    mail_offers: MailOffersFor | None = None
    #: Caches that live as long as the runtime (signed documents, parsed keys), by name.
    caches: dict[str, Any] = field(default_factory=dict)

    def now(self) -> dt.datetime:
        return self.clock()

    def key(self) -> MasterKey:
        """The master key (:class:`~credstack.errors.KeyStoreError` when there is none)."""
        return self.master_key()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in a transaction: committed when the block ends, rolled back when it
        raises. Only services open one."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def pipelined_transaction(self) -> Iterator[Session]:
        """:meth:`transaction` with its statements sent together
        (:func:`~credstack.adapters.db.transactions.pipelined_transaction`): on PostgreSQL its
        writes and its ``COMMIT`` are answered at once, where ``BEGIN`` and ``COMMIT`` were a
        round trip each. Committed when the block ends, rolled back when it raises."""
        with pipelined_transaction(self.sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads that need no one snapshot, outside any transaction where the
        store allows it (:func:`~credstack.adapters.db.transactions.reading`): no write."""
        with reading(self.sessions) as session:
            yield session
