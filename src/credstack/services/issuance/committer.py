"""VC-API issue requests served together: group commit.

Concurrent issue requests in one process share transactions. A request waits its turn; the
first to find no transaction under way commits every request waiting at that moment (at
most :data:`BATCH_LIMIT`) in one, and what arrives meanwhile goes into the next one, which the
next request still unanswered commits. So a request is answered only once the transaction
that stored its credential has committed (its credential is durable), and no thread outlives
the requests it serves.

A request served on an event loop (the VC-API route, :meth:`Committer.issue_waiting`) waits
there as a task, holding no thread, and when it is its turn to commit, the batch runs in a
thread of the loop's; the committing thread wakes each answered request's task on its loop,
except those of the leader's own loop, which the leader's task wakes when the thread is done.
A synchronous caller (:meth:`Committer.issue`) waits in its own thread, which commits in its
turn. Both wait in one queue. Why not a committer thread of its own: it would have to be
started, watched and stopped with the runtime, and a batch is then no larger: a batch is as
large as what arrived while the previous one committed; one request alone is committed at
once, never held for a timer. (The route ran each request in a thread of Starlette's pool
before, which waited on its own event: a thread hand-over to start each request and a thread
woken to answer it, a fifth of the servers' CPU under load.)

A batch is read and signed before the store's write lock is taken (SQLite's one write lock,
PostgreSQL's lock on the organisation's allocation), so that other writers wait only while it
is stored. First, in a reading transaction, for each issuing organisation: its signer (its
identity and active keys, opened once in the committer's life and kept in memory) checked to
be current in one light statement, read together with the newest status list (on PostgreSQL
one answer waited for); each request's credential prepared and looked up (the same
credential asked for again gets the stored one back, :mod:`.reissues`); status-list indexes
for all the new ones drawn in one block from that list, not taken
(:func:`~credstack.adapters.db.repositories.status_lists.draw_in`). Then each is signed, no
transaction open. Then, in one writing transaction: the drawn indexes taken if they are still
free (else, rarely, indexes allocated now and the credentials signed again on them); one
``credential.issued`` audit entry for each, chained in the batch's order; the credentials
stored in bulk as a cohort's chunk is
(:func:`credstack.adapters.db.repositories.credentials.insert_credentials`); their e-mails
queued; these writes sent together with the COMMIT once the allocation and the audit head are
read (:func:`~credstack.adapters.db.transactions.pipelined_transaction`: on PostgreSQL one
round trip while both are locked, where each statement was one, and the BEGIN sent with the
allocation's lock). A request that fails (a
credential refused as it is prepared or signed, an id issued before for another credential)
fails alone: its index is never taken and the rest of its batch is stored. A credential id
asked for twice in one batch waits for the next batch, where the first one is stored and the
repeat is answered as every repeat is. An id stored by another transaction between a batch's
look-up and its insert (another process's or issuer's) rolls the whole batch back into the
next one, which finds it: the rare case pays, not every batch (no savepoints). """

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from random import SystemRandom
from typing import Any, Final

from cachetools import LRUCache

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.repositories.credentials import NewCredential
from credstack.adapters.db.transactions import Session, read_together
from credstack.core.credentials.issue_requests import Prepared
from credstack.core.crypto.keys import KeyPair
from credstack.services import audit
from credstack.services import operations as metrics
from credstack.services.issuance import emails, reissues
from credstack.services.issuance import service as issuance
from credstack.services.issuance.issued import Issued
from credstack.services.issuance.signers import Signer, kept_signer
from credstack.services.runtime import MailOfferMaker, Runtime

__all__ = ["BATCH_LIMIT", "Committer", "IssueRequest", "committer"]

#: The most requests one batch stores.
BATCH_LIMIT: Final = 200
#: Issuer key pairs (and issuers' signers) a committer keeps opened.
OPENED_KEYS: Final = 256
#: Draws the status indexes (at random, for the group privacy the lists give).
_RANDOM: Final = SystemRandom()
#: Where a runtime keeps its committer (:attr:`~credstack.services.runtime.Runtime.caches`).
_CACHE: Final = "issuance.committer"


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """One VC-API issue request, its caller already allowed to issue as ``organisation``."""

    organisation: str
    #: Who asks (the audit entry's actor).
    subject: str
    credential: Mapping[str, Any]
    securing: str
    alg: str
    status_option: object
    offers: MailOfferMaker | None
    #: The id of the HTTP request (named by its audit entry).
    request_id: str | None


@dataclass(slots=True, eq=False)
class _Waiting:
    """A request waiting for its batch, and what became of it."""

    request: IssueRequest
    #: Set (under the committer's lock) when it is done or is to commit the next batch: a
    #: thread's event, or an event of the request's ``loop``, set there.
    event: threading.Event | asyncio.Event
    loop: asyncio.AbstractEventLoop | None = None
    issued: Issued | None = None
    error: BaseException | None = None
    #: Its batch has ended (set under the committer's lock, after the commit): ``issued`` or
    #: ``error`` is final.
    done: bool = False

    def outcome(self) -> Issued:
        if self.error is not None:
            raise self.error
        assert self.issued is not None
        return self.issued


def _wake(waiting: Sequence[_Waiting], own: asyncio.AbstractEventLoop | None = None
          ) -> list[asyncio.Event]:
    """Set the events of ``waiting``: a thread's at once; those of one event loop by one
    callback there, so that a batch's answers wake the loop once (each wake is a write to
    the loop's socket), not once for each request; nothing once a loop is closed (no one
    waits there any more). Those of the loop ``own`` are returned, not set: the leader's
    task sets them there when its batch's thread is done, a wake the loop has anyway."""
    on_loops: dict[asyncio.AbstractEventLoop, list[asyncio.Event]] = {}
    for item in waiting:
        if item.loop is None:
            item.event.set()
        else:
            assert isinstance(item.event, asyncio.Event)
            on_loops.setdefault(item.loop, []).append(item.event)
    kept = on_loops.pop(own, []) if own is not None else []
    for loop, events in on_loops.items():
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_set_all, events)
    return kept


def _set_all(events: list[asyncio.Event]) -> None:
    for event in events:
        event.set()


def _set_when_led(led: asyncio.Future[list[asyncio.Event]]) -> None:
    """The events a batch's thread left to its leader's task, set once the thread is done
    though the task was cancelled meanwhile (nothing to set if the thread failed: it woke
    every request itself)."""
    if not led.cancelled() and led.exception() is None:
        _set_all(led.result())


@dataclass(slots=True, eq=False)
class _New:
    """A request of a batch with a new credential: prepared, then signed on its index."""

    waiting: _Waiting
    prepared: Prepared
    credential: NewCredential | None = None


@dataclass(slots=True, eq=False)
class _Order:
    """One organisation's new credentials of a batch: its signer, the requests, and the
    status indexes drawn for them outside the write lock (None: the newest status list had
    no room for them all; they are allocated, then signed, under the lock)."""

    signer: issuance.Signer
    new: list[_New]
    drawn: list[status_lists.Slot] | None


class _IdTaken(Exception):
    """An id of the batch was stored by another transaction meanwhile: the batch's
    transaction is rolled back and its requests go into the next one (no savepoint for a
    case this rare: two statements and the ORM's bookkeeping on every batch)."""


def committer(runtime: Runtime) -> Committer:
    """The runtime's committer (one per runtime, so one per server process)."""
    found = runtime.caches.get(_CACHE)
    if found is None:
        found = runtime.caches.setdefault(_CACHE, Committer(runtime))
    assert isinstance(found, Committer)
    return found


@dataclass(eq=False)
class Committer:
    """Stores the issue requests of its runtime in shared transactions (the module
    docstring)."""

    runtime: Runtime
    #: The issuers' key pairs, opened once (a batch reads which keys are active: a rotation
    #: is signed with from the next batch on).
    _opened: LRUCache[tuple[str, int, bytes], KeyPair] = field(
        default_factory=lambda: LRUCache(OPENED_KEYS))
    #: The issuers' signers, made once (:func:`~.signers.kept_signer`: a batch reads one
    #: light statement to know that each is still the organisation's).
    _signers: LRUCache[tuple[str, str], tuple[key_store.IssuerStamp, Signer]] = field(
        default_factory=lambda: LRUCache(OPENED_KEYS))
    _turn: threading.Lock = field(default_factory=threading.Lock)
    _queue: list[_Waiting] = field(default_factory=list)
    _busy: bool = False

    def issue(self, request: IssueRequest) -> Issued:
        """``request``'s credential, once it is stored and committed (or the one an identical
        earlier request got); raises what refused it. The calling thread waits, or commits
        a batch when it is its turn."""
        woken = threading.Event()
        waiting = _Waiting(request, woken)
        with self._turn:
            self._queue.append(waiting)
        while True:
            batch = self._next(waiting, woken.clear)
            if batch is None:
                return waiting.outcome()
            if batch:
                self._lead(batch)
            else:
                woken.wait()

    async def issue_waiting(self, request: IssueRequest) -> Issued:
        """:meth:`issue` for a request served on an event loop: it waits there, holding no
        thread, and a batch it is to commit runs in a thread of the loop's. A request thread
        for each waiting request cost a thread hand-over to start it and a thread woken to
        answer it (a fifth of the servers' CPU under load, bench/load.py issue); here the
        committing thread wakes each request's task on its loop."""
        woken = asyncio.Event()
        waiting = _Waiting(request, woken, asyncio.get_running_loop())
        with self._turn:
            self._queue.append(waiting)
        try:
            while True:
                batch = self._next(waiting, woken.clear)
                if batch is None:
                    return waiting.outcome()
                if batch:
                    loop = asyncio.get_running_loop()
                    led = loop.run_in_executor(None, functools.partial(
                        contextvars.copy_context().run, self._lead, batch, loop))
                    try:
                        # The requests of this loop that the batch answered (and the next
                        # leader, if it is here) are woken here: the thread's end wakes the
                        # loop once, where a callback of the thread's woke it a second time
                        # for each batch.
                        _set_all(await asyncio.shield(led))
                    except asyncio.CancelledError:
                        led.add_done_callback(_set_when_led)
                        raise
                else:
                    await woken.wait()
        except asyncio.CancelledError:
            self._leave(waiting)
            raise

    def _next(self, waiting: _Waiting, clear: Callable[[], None]) -> list[_Waiting] | None:
        """What ``waiting`` does now: None, its batch has ended; a batch to commit, its turn
        to lead; [] to wait (its wake cleared under the lock, so no wake is lost)."""
        with self._turn:
            if waiting.done:
                return None
            if self._busy:
                clear()
                return []
            self._busy = True
            batch = self._queue[:BATCH_LIMIT]
            del self._queue[:BATCH_LIMIT]
            return batch

    def _leave(self, waiting: _Waiting) -> None:
        """A cancelled request leaves the queue; if it was woken to commit the next batch,
        the next one waiting is woken instead, so that no request is left waiting."""
        with self._turn:
            if waiting in self._queue:
                self._queue.remove(waiting)
            if not self._busy and self._queue:
                _wake(self._queue[:1])

    def _lead(self, batch: list[_Waiting], own: asyncio.AbstractEventLoop | None = None
              ) -> list[asyncio.Event]:
        """Commit ``batch``, then wake its requests and the first one waiting, which commits
        the next batch. Each waiting thread is woken only when it has something to do: woken
        all at once, each batch's waiters took the lock in turn only to wait again (6 % of
        the servers' CPU, bench/load.py). The events of the loop ``own`` (the leader's) are
        returned for the leader to set; all are set here if the commit raised."""
        try:
            deferred = self._commit(batch)
        except BaseException:
            self._ended(batch, [], None)
            raise
        return self._ended(batch, deferred, own)

    def _ended(self, batch: list[_Waiting], deferred: list[_Waiting],
               own: asyncio.AbstractEventLoop | None) -> list[asyncio.Event]:
        with self._turn:
            for item in batch:
                item.done = item not in deferred
            self._queue[:0] = deferred
            self._busy = False
            return _wake([item for item in batch if item.done] + self._queue[:1], own)

    def _commit(self, batch: list[_Waiting]) -> list[_Waiting]:
        """Store ``batch``; what must wait for the next batch. Read and signed first, outside
        the store's write lock (on SQLite the database's one lock, on PostgreSQL the
        organisation's allocation lock); then stored in one short writing transaction."""
        runtime = self.runtime
        now = runtime.now()
        deferred: list[_Waiting] = []
        try:
            # Reads only, each as committed when it runs (on PostgreSQL without BEGIN and
            # COMMIT): the indexes drawn are checked again under the lock, a repeat found
            # stored meanwhile rolls the batch into the next one.
            with runtime.reading() as session:
                seen: set[str] = set()
                orders = [order for organisation, waiting in _by_organisation(batch)
                          if (order := self._prepare(session, organisation, waiting, now=now,
                                                     seen=seen, deferred=deferred))]
            for order in orders:
                self._sign(order, now=now)
            # The transaction's BEGIN goes with the allocation's lock and read, and its
            # writes with its COMMIT once the allocation and the audit head are read (on
            # PostgreSQL two round trips, the second while they are locked, where BEGIN, the
            # writes and COMMIT were one each); an id another transaction stored meanwhile is
            # found where they end.
            with credential_store.refusing_taken(_IdTaken), \
                    runtime.pipelined_transaction() as session:
                if len(orders) > 1:
                    _lock_allocations(session, orders)
                stored = [self._store(session, order, now=now) for order in orders]
                for order, items in zip(orders, stored, strict=True):
                    self._announce(session, order, items, now=now)
        except _IdTaken:
            # Nothing of the batch is stored; each request not refused on its own goes into
            # the next batch, which finds the credential stored meanwhile and refuses (or
            # answers, if it is the same) the request under its id as every repeat is.
            again = [item for item in batch if item.error is None]
            for item in again:
                item.issued = None
            return again
        except BaseException as error:
            # Nothing of the batch is stored: each request not refused on its own gets this.
            for item in batch:
                item.issued, item.error = None, item.error or error
            return []
        metrics.count_credentials("issued", sum(len(items) for items in stored))
        return deferred

    def _prepare(self, session: Session, organisation: str, batch: list[_Waiting], *,
                 now: dt.datetime, seen: set[str], deferred: list[_Waiting]) -> _Order | None:
        """One organisation's requests of a batch read (its signer, each request prepared
        and looked up) and their status indexes drawn, not taken; None when none is new."""
        settings = self.runtime.settings
        # The signer's stamp and the newest status list, asked for together (on PostgreSQL
        # one answer waited for, where each was one).
        stamp, newest = read_together(
            session, key_store.issuer_stamp_reading(organisation=organisation),
            status_lists.newest_slot(organisation=organisation))
        try:
            signer = kept_signer(session, organisation=organisation, stamp=stamp,
                                 secret=self.runtime.key(), public_url=settings.public_url,
                                 kept=self._signers, opened=self._opened)
        except Exception as error:  # refuses each request of this issuer
            for waiting in batch:
                waiting.error = error
            return None
        new: list[_New] = []
        for waiting in batch:
            request = waiting.request
            try:
                prepared = issuance.prepare_request(
                    signer=signer, credential=request.credential, securing=request.securing,
                    now=now, status_option=request.status_option,
                    status_default=settings.issue_status)
                waiting.issued = reissues.earlier(
                    session, prepared, organisation=organisation, securing=request.securing,
                    alg=request.alg, request=request.credential)
            except Exception as error:  # refuses this request alone
                waiting.error = error
                continue
            own_id = prepared.document["id"]
            if waiting.issued is None and own_id in seen:
                deferred.append(waiting)
            elif waiting.issued is None:
                seen.add(own_id)
                new.append(_New(waiting, prepared))
        if not new:
            return None
        drawn = status_lists.draw_in(newest, count=len(new), rng=_RANDOM)
        return _Order(signer, new, drawn)

    def _sign(self, order: _Order, *, now: dt.datetime) -> None:
        """Sign ``order``'s credentials on their drawn indexes (none drawn: left to
        :meth:`_store`, which signs them on indexes it takes)."""
        if order.drawn is None:
            return
        public_url = self.runtime.settings.public_url
        for item, slot in zip(order.new, order.drawn, strict=True):
            request = item.waiting.request
            try:
                item.credential = issuance.sign_request(
                    item.prepared, signer=order.signer, slot=slot, securing=request.securing,
                    alg=request.alg, now=now, public_url=public_url)
            except Exception as error:  # refuses this request alone
                item.waiting.error, item.credential = error, None

    def _store(self, session: Session, order: _Order, *, now: dt.datetime) -> list[_New]:
        """Take the indexes ``order``'s credentials were signed on and store them; if another
        allocation took one of those indexes meanwhile (or none were drawn), sign them again
        on indexes allocated now. Those stored."""
        signer, public_url = order.signer, self.runtime.settings.public_url
        signed = [item for item in order.new if item.waiting.error is None]
        if not signed:
            return []
        # The audit head's lock goes with the allocation's (after it, as every appender
        # that allocates takes them): one answer waited for while both are held.
        if order.drawn is None or not status_lists.claim(
                session, organisation_id=signer.organisation_id,
                slots=[item.credential.slot for item in signed if item.credential is not None],
                then=functools.partial(audit.lock_ahead, session)):
            slots = status_lists.allocate(session, organisation_id=signer.organisation_id,
                                          count=len(signed), now=now, rng=_RANDOM,
                                          locked=order.drawn is not None)
            refused: list[status_lists.Slot] = []
            for item, slot in zip(signed, slots, strict=True):
                request = item.waiting.request
                try:
                    item.credential = issuance.sign_request(
                        item.prepared, signer=signer, slot=slot, securing=request.securing,
                        alg=request.alg, now=now, public_url=public_url)
                except Exception as error:  # refuses this request alone
                    item.waiting.error, item.credential = error, None
                    refused.append(slot)
            if refused:
                status_lists.release(session, slots=refused)
            signed = [item for item in signed if item.credential is not None]
        credentials = [item.credential for item in signed if item.credential is not None]
        # Each names the request that asked for it, whichever request's thread commits.
        audit.record_many(session, at=now, entries=[audit.NewEntry(
            item.waiting.request.subject, "credential.issued", item.credential.credential_id,
            {"organisation": signer.organisation, "securing": item.waiting.request.securing},
            item.waiting.request.request_id)
            for item in signed if item.credential is not None])
        credential_store.insert_credentials(
            session, organisation_id=signer.organisation_id, now=now, credentials=credentials)
        return signed

    def _announce(self, session: Session, order: _Order, stored: list[_New], *,
                  now: dt.datetime) -> None:
        """Queue the e-mails of ``order``'s ``stored`` credentials, in their transaction, and
        set their requests' answers."""
        public_url = self.runtime.settings.public_url
        for item in stored:
            assert item.credential is not None
            emails.credential_issued(session, signer=order.signer,
                                     document=item.credential.document,
                                     securing=item.credential.securing, now=now,
                                     public_url=public_url, offers=item.waiting.request.offers,
                                     claims=item.credential.claims)
            item.waiting.issued = Issued(item.credential.credential_id,
                                         item.credential.securing, item.credential.document)


def _lock_allocations(session: Session, orders: list[_Order]) -> None:
    """Take the allocation lock of every organisation in ``orders`` (sorted by organisation,
    as every batch of several takes them) before the audit head's. Taken one organisation at
    a time, the head locked with the first one's would be held while waiting for the next
    one's, which a cohort or another process's batch may hold while it waits for the head
    (allocation, then head): on PostgreSQL each would wait for the other."""
    orders.sort(key=lambda order: order.signer.organisation_id)
    for order in orders:
        status_lists.lock_allocation(session, organisation_id=order.signer.organisation_id)


def _by_organisation(batch: Sequence[_Waiting]) -> Iterator[tuple[str, list[_Waiting]]]:
    """The batch's requests by issuing organisation, each in the batch's order."""
    grouped: dict[str, list[_Waiting]] = {}
    for waiting in batch:
        grouped.setdefault(waiting.request.organisation, []).append(waiting)
    yield from grouped.items()
