"""Concurrent VC-API issue requests share transactions (group commit), over HTTP against the
real application on each store: every request is answered with its own stored credential on
its own status index, each is audited once in a log that verifies, a repeated credential id
gets the first credential, and a request refused in a batch leaves the others stored and no
index given out without a credential; then, on the service, batches made on purpose (a
refused request among them, a credential id repeated in one) and a restart between two
runs of concurrent requests."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from psycopg import pq
from sqlalchemy import event

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import status_lists
from credstack.core.access.actors import Operator
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.status import MINIMUM_ENTRIES
from credstack.entrypoints.bootstrap import engine_of, open_runtime
from credstack.errors import InputError
from credstack.services import audit
from credstack.services.issuance import credentials, doctor
from credstack.services.issuance.issued import Issued
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import add_issuer
from tests.conftest import LiveServer, operator_client
from tests.helpers import organisation

SLUG = "hokuto-tech"
VC2 = "https://www.w3.org/ns/credentials/v2"
WITH_STATUS = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
#: As many requests in flight at once as the load test sends (concurrency 20).
CONCURRENCY = 20


def credential(number: int, **extra: object) -> dict[str, Any]:
    return {"@context": [VC2], "type": ["VerifiableCredential"],
            "credentialSubject": {"id": f"did:example:learner-{number}",
                                  "name": f"Learner {number}"}, **extra}


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    """The operator's client, the server's issuer (one organisation with an Ed25519 key)
    made; one connection per request in flight."""
    with operator_client(server, timeout=60) as client:
        response = client.post("/api/organisations", json=organisation())
        assert response.status_code == 201, response.text
        response = client.post(f"/api/organisations/{SLUG}/keys", json={"type": "Ed25519"})
        assert response.status_code == 201, response.text
        yield client


def issue_all(http: httpx.Client, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """``bodies`` sent to ``POST /credentials/issue`` by :data:`CONCURRENCY` clients at once,
    the *n*th with the request id ``issue-<n>``."""
    def send(numbered: tuple[int, dict[str, Any]]) -> httpx.Response:
        number, body = numbered
        return http.post("/credentials/issue", json=body,
                         headers={"X-Request-ID": f"issue-{number}"})

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(send, enumerate(bodies)))


def status_places(signed: dict[str, Any]) -> set[tuple[str, str]]:
    """The (list, index) of each of a credential's status entries, by list URL."""
    return {(entry["statusListCredential"], entry["statusListIndex"])
            for entry in signed["credentialStatus"]}


def store_checks(settings: Settings) -> tuple[bool, bool, Counter[tuple[str, str | None]]]:
    """``credstack doctor``'s status-list check and ``credstack audit verify`` on the store,
    and how many ``credential.issued`` entries name each credential and request id."""
    with open_runtime(settings=settings) as runtime:
        operator = Operator("tester")
        lists = doctor.check_status_lists(runtime, actor=operator)
        log = audit.verify_log(runtime, actor=operator)
        with runtime.transaction() as session:
            issued = Counter((entry.subject, entry.request_id)
                             for entry in audit.entries(session, limit=10_000)
                             if entry.action == "credential.issued")
    return lists.ok, log.ok, issued


def test_concurrent_issues_get_distinct_indexes_and_one_audit_entry_each(
        http: httpx.Client, server: LiveServer) -> None:
    """120 requests, 20 at a time, in both Data Integrity suites: each answered 201 with its
    own credential on its own status index; the lists agree with the stored credentials and
    the audit log verifies, with one entry per credential naming the request that asked for
    it (whichever request's thread committed the batch)."""
    bodies = [{"credential": credential(number),
               "options": {"cryptosuite": ("eddsa-rdfc-2022", "eddsa-jcs-2022")[number % 2],
                           **WITH_STATUS}} for number in range(120)]
    responses = issue_all(http, bodies)
    assert [response.status_code for response in responses] == [201] * 120, [
        response.text for response in responses if response.status_code != 201][:3]
    signed = [response.json()["verifiableCredential"] for response in responses]
    assert [item["credentialSubject"]["id"] for item in signed] == [
        f"did:example:learner-{number}" for number in range(120)]
    ids = [item["id"] for item in signed]
    assert len(set(ids)) == 120
    places = [place for item in signed for place in status_places(item)]
    assert len(set(places)) == len(places) == 240
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert issued == Counter((credential_id, f"issue-{number}")
                             for number, credential_id in enumerate(ids))


def test_a_credential_id_sent_many_times_at_once_is_issued_once(
        http: httpx.Client, server: LiveServer) -> None:
    """The same request with a credential id, 40 times at once: every answer is the one
    credential issued first, signed, stored and audited once; another credential under that
    id, sent with them, is refused naming the id."""
    same = {"credential": credential(1, id="urn:uuid:0b7c2f5e-6a1d-4c3b-9e8f-1a2b3c4d5e6f"),
            "options": WITH_STATUS}
    other = {"credential": {**same["credential"], "name": "Another credential"}}
    responses = issue_all(http, [same] * 20 + [other] + [same] * 20)
    answers = [response for number, response in enumerate(responses) if number != 20]
    assert [response.status_code for response in answers] == [201] * 40
    assert len({response.text for response in answers}) == 1
    refused = responses[20]
    assert refused.status_code in {400, 422}, refused.text
    [error] = refused.json()["errors"]
    assert (error["rule"], error["pointer"]) == ("credential-id-issued", "/credential/id")
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert [(subject, count) for (subject, _), count in issued.items()] == [
        ("urn:uuid:0b7c2f5e-6a1d-4c3b-9e8f-1a2b3c4d5e6f", 1)]


def test_a_refused_request_does_not_fail_the_others(http: httpx.Client,
                                                    server: LiveServer) -> None:
    """Among 60 requests at once, some refused as they are prepared (another issuer) and
    some as they are signed (a protected term redefined, under eddsa-jcs-2022; ES256 with no
    P-256 key): each refused alone, the others issued, and no status index is left given
    out without a credential."""
    refusals = {
        0: {"credential": credential(0, issuer="did:example:someone-else")},
        1: {"credential": credential(1, **{"@context": [VC2, {"name": "https://example.org/n"}]}),
            "options": {"cryptosuite": "eddsa-jcs-2022", **WITH_STATUS}},
        2: {"credential": credential(2), "options": {"format": "vc-jwt", "alg": "ES256",
                                                     **WITH_STATUS}},
    }
    bodies = [refusals.get(number % 6) or {"credential": credential(number),
                                           "options": {"cryptosuite": "eddsa-jcs-2022",
                                                       **WITH_STATUS}}
              for number in range(60)]
    responses = issue_all(http, bodies)
    for number, response in enumerate(responses):
        if number % 6 in refusals:
            assert 400 <= response.status_code < 500, (number, response.text)
        else:
            assert response.status_code == 201, (number, response.text)
    places = [place for number, response in enumerate(responses) if number % 6 not in refusals
              for place in status_places(response.json()["verifiableCredential"])]
    assert len(set(places)) == len(places) == 60
    lists_ok, log_ok, issued = store_checks(server.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(issued.values()) == 30


def test_after_a_rotation_the_next_request_is_signed_with_the_new_key(
        http: httpx.Client) -> None:
    """The committer keeps the keys it opened, not which one is active: a request after a
    rotation is signed by the new key (#key-2), and what the old one signed still verifies."""
    def issue(number: int) -> dict[str, Any]:
        response = http.post("/credentials/issue", json={
            "credential": credential(number), "options": {"cryptosuite": "eddsa-jcs-2022"}})
        assert response.status_code == 201, response.text
        signed: dict[str, Any] = response.json()["verifiableCredential"]
        return signed

    before = issue(1)
    assert before["proof"]["verificationMethod"].endswith("#key-1")
    rotated = http.post(f"/api/organisations/{SLUG}/keys/rotate", json={"type": "Ed25519"})
    assert rotated.status_code == 201, rotated.text
    after = issue(2)
    assert after["proof"]["verificationMethod"].endswith("#key-2")
    for signed in (before, after):
        verified = http.post("/credentials/verify", json={"verifiableCredential": signed})
        assert verified.status_code == 200 and verified.json()["verified"], verified.text


# --- batches made on purpose ------------------------------------------------------------------
# The tests below hold the organisation's allocation lock while a first request commits, so
# that the requests sent meanwhile all wait, then go into one batch together (checked: their
# audit entries share the batch's time).

ACTOR = ActingAs(Principal(subject="user:3", user_id=3, email="issuer@hokuto.example",
                           memberships=frozenset({Membership(SLUG, Role.ISSUER)})))
#: Long enough for a thread started on an idle committer to be under way, or in the queue.
SETTLE = 1.0


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A runtime on each store, its one organisation holding an Ed25519 key."""
    with open_runtime(settings=settings) as opened:
        with opened.transaction() as session:
            add_issuer(session, now=opened.now(), secret=opened.key())
        yield opened


def _issue(runtime: Runtime, body: dict[str, Any]) -> Issued | Exception:
    """The credential a request got, or the error that refused it."""
    try:
        return credentials.issue_credential(
            runtime, actor=ACTOR, credential=body, securing="eddsa-jcs-2022",
            status_option={"type": "BitstringStatusListEntry"})
    except Exception as error:  # the outcome under test
        return error


def one_batch(runtime: Runtime, bodies: list[dict[str, Any]]) -> list[Issued | Exception]:
    """What each of ``bodies`` got, sent while a first request held up the committer, so
    that they wait for its batch to end and are then committed together."""
    with ThreadPoolExecutor(len(bodies) + 1) as pool:
        with runtime.transaction() as session:
            organisation = organisation_store.find_row(session, SLUG)
            assert organisation is not None
            status_lists.lock_allocation(session, organisation_id=organisation.id)
            first = pool.submit(_issue, runtime, credential(1000))
            time.sleep(SETTLE)
            sent = [pool.submit(_issue, runtime, body) for body in bodies]
            time.sleep(SETTLE)
        assert isinstance(first.result(), Issued)
        return [future.result() for future in sent]


def issue_times(runtime: Runtime, credential_ids: list[str]) -> set[dt.datetime]:
    """When the ``credential.issued`` entries of ``credential_ids`` were written."""
    with runtime.transaction() as session:
        return {entry.at for entry in audit.entries(session, limit=10_000)
                if entry.action == "credential.issued" and entry.subject in credential_ids}


def test_in_a_batch_an_invalid_request_alone_fails_with_its_own_error(runtime: Runtime
                                                                      ) -> None:
    """Nine requests committed together, one naming another issuer: it alone is refused,
    with the error that names its ``issuer``; the eight others are issued, one transaction
    (one time in the audit log) for all of them, on eight distinct status indexes."""
    bodies = [credential(number) for number in range(9)]
    bodies[4] = credential(4, issuer="did:example:someone-else")
    outcomes = one_batch(runtime, bodies)
    refused = outcomes.pop(4)
    assert isinstance(refused, InputError), refused
    assert [problem.location for problem in refused.problems] == ["credential.issuer"]
    assert all(isinstance(outcome, Issued) for outcome in outcomes), outcomes
    issued = [outcome for outcome in outcomes if isinstance(outcome, Issued)]
    assert len(issue_times(runtime, [item.credential_id for item in issued])) == 1
    places = [place for item in issued for place in status_places(item.to_json())]
    assert len(set(places)) == len(places) == 16
    lists_ok, log_ok, _ = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)


def test_a_credential_id_repeated_in_one_batch_is_issued_once(runtime: Runtime) -> None:
    """One batch holding a credential (its own id: the VC-API's idempotency key) three times,
    another credential under the same id, and two other credentials: the three get the one
    credential, signed and audited once; the other under its id is refused naming the id."""
    same = credential(1, id="urn:uuid:5d0f3c4e-2b1a-4f6e-8d7c-9a8b7c6d5e4f")
    other = {**same, "name": "Another credential"}
    outcomes = one_batch(runtime, [same, credential(2), same, other, credential(3), same])
    repeated = [outcomes[0], outcomes[2], outcomes[5]]
    assert all(isinstance(outcome, Issued) for outcome in repeated), repeated
    assert len({outcome.document for outcome in repeated if isinstance(outcome, Issued)}) == 1
    assert sorted(outcome.replayed for outcome in repeated if isinstance(outcome, Issued)
                  ) == [False, True, True]
    refused = outcomes[3]
    assert isinstance(refused, InputError), refused
    assert [problem.rule for problem in refused.problems] == ["credential-id-issued"]
    others = [outcomes[1], outcomes[4]]
    assert all(isinstance(outcome, Issued) for outcome in others), others
    assert len(issue_times(runtime, [same["id"], *(outcome.credential_id for outcome in others
                                                   if isinstance(outcome, Issued))])) == 1
    _, _, issued = store_checks(runtime.settings)
    assert sum(count for (subject, _), count in issued.items() if subject == same["id"]) == 1


async def _waiting_on_a_loop(runtime: Runtime, bodies: list[dict[str, Any]]
                            ) -> tuple[list[Issued | BaseException], bool]:
    """What each of ``bodies`` got, sent as tasks of one event loop (as the route sends
    them), with one more task cancelled while it waits; whether that one was cancelled."""
    async def send(body: dict[str, Any]) -> Issued:
        return await credentials.issue_credential_waiting(
            runtime, actor=ACTOR, credential=body, securing="eddsa-jcs-2022",
            status_option={"type": "BitstringStatusListEntry"})

    tasks = [asyncio.create_task(send(body)) for body in bodies]
    dropped = asyncio.create_task(send(credential(999)))
    await asyncio.sleep(SETTLE / 2)
    dropped.cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    cancelled = await asyncio.gather(dropped, return_exceptions=True)
    return outcomes, isinstance(cancelled[0], asyncio.CancelledError)


def test_requests_waiting_on_an_event_loop_share_a_batch_with_request_threads(
        runtime: Runtime) -> None:
    """While a first request commits (held up), four requests waiting as tasks of one event
    loop (holding no thread) and two in threads of their own are committed together in one
    transaction and each answered with its credential; a fifth task cancelled while it
    waits leaves the queue, is not issued, and strands no one behind it."""
    with ThreadPoolExecutor(4) as pool:
        with runtime.transaction() as session:
            organisation = organisation_store.find_row(session, SLUG)
            assert organisation is not None
            status_lists.lock_allocation(session, organisation_id=organisation.id)
            first = pool.submit(_issue, runtime, credential(1000))
            time.sleep(SETTLE)
            on_loop = pool.submit(asyncio.run, _waiting_on_a_loop(
                runtime, [credential(number) for number in range(4)]))
            threads = [pool.submit(_issue, runtime, credential(number)) for number in (4, 5)]
            time.sleep(SETTLE)
        assert isinstance(first.result(), Issued)
        outcomes, cancelled = on_loop.result()
        outcomes += [future.result() for future in threads]
    assert cancelled
    assert all(isinstance(outcome, Issued) for outcome in outcomes), outcomes
    issued = [outcome.credential_id for outcome in outcomes if isinstance(outcome, Issued)]
    assert len(set(issued)) == 6
    assert len(issue_times(runtime, issued)) == 1
    lists_ok, log_ok, entries = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(entries.values()) == 7


async def _leader_cancelled(runtime: Runtime, entered: threading.Event,
                            go_on: threading.Event) -> tuple[bool, list[Issued | BaseException]]:
    """Three tasks of one loop queued behind a committing request thread; the first leads
    their batch and is cancelled while the batch is stored (held at ``entered`` until
    ``go_on``); whether it was cancelled, and what the other two got."""
    async def send(number: int) -> Issued:
        return await credentials.issue_credential_waiting(
            runtime, actor=ACTOR, credential=credential(number), securing="eddsa-jcs-2022",
            status_option={"type": "BitstringStatusListEntry"})

    leader = asyncio.create_task(send(0))
    await asyncio.sleep(0)
    others = [asyncio.create_task(send(number)) for number in (1, 2)]
    await asyncio.to_thread(entered.wait, 60)
    leader.cancel()
    go_on.set()
    cancelled = await asyncio.gather(leader, return_exceptions=True)
    # Before the leader woke its loop's requests itself; cancelled, the batch's end must
    # still wake them (a bound, so that a stranded request fails the test, not hangs it).
    outcomes = await asyncio.wait_for(asyncio.gather(*others, return_exceptions=True), 60)
    return isinstance(cancelled[0], asyncio.CancelledError), outcomes


def test_a_leader_task_cancelled_while_its_batch_commits_strands_no_one(
        runtime: Runtime) -> None:
    """A request task of an event loop leads a batch holding two other tasks of its loop
    and is cancelled while the batch is stored: the batch is stored whole, the two others
    are answered with their credentials, and the log and lists agree."""
    entered, go_on = threading.Event(), threading.Event()

    def hold(_connection: Any, _cursor: Any, statement: str, *_: object) -> None:
        # The loop's batch runs in a thread of the loop's default executor ("asyncio_N").
        if ("audit_head" in statement and not entered.is_set()
                and threading.current_thread().name.startswith("asyncio")):
            entered.set()
            go_on.wait(60)

    event.listen(engine_of(runtime), "before_cursor_execute", hold)
    try:
        with ThreadPoolExecutor(2) as pool:
            with runtime.transaction() as session:
                organisation = organisation_store.find_row(session, SLUG)
                assert organisation is not None
                status_lists.lock_allocation(session, organisation_id=organisation.id)
                first = pool.submit(_issue, runtime, credential(1000))
                time.sleep(SETTLE)
                on_loop = pool.submit(asyncio.run, _leader_cancelled(runtime, entered, go_on))
                time.sleep(SETTLE)
            assert isinstance(first.result(), Issued)
            cancelled, outcomes = on_loop.result()
    finally:
        event.remove(engine_of(runtime), "before_cursor_execute", hold)
    assert cancelled
    assert all(isinstance(outcome, Issued) for outcome in outcomes), outcomes
    lists_ok, log_ok, entries = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(entries.values()) == 4


def test_indexes_taken_while_a_batch_was_signed_are_signed_again_on_free_ones(
        runtime: Runtime) -> None:
    """A batch draws its status indexes and signs before it takes the write lock; if
    another allocation took them meanwhile (made sure of: the newest list filled up while
    the batch waited for the lock), its credentials are signed again on indexes allocated
    under the lock, in a new list, and the audit log verifies."""
    warm = _issue(runtime, credential(0))
    assert isinstance(warm, Issued), warm
    with ThreadPoolExecutor(1) as pool:
        with runtime.transaction() as session:
            organisation = organisation_store.find_row(session, SLUG)
            assert organisation is not None
            status_lists.lock_allocation(session, organisation_id=organisation.id)
            waiting = pool.submit(_issue, runtime, credential(1))
            time.sleep(SETTLE)
            assert not waiting.done()
            status_lists.allocate(session, organisation_id=organisation.id,
                                  count=MINIMUM_ENTRIES - 1, now=runtime.now(),
                                  rng=random.Random(1), locked=True)
        issued = waiting.result()
    assert isinstance(issued, Issued), issued
    assert {url.rsplit("/", 2)[-2] for url, _ in status_places(warm.to_json())} == {"1"}
    assert {url.rsplit("/", 2)[-2] for url, _ in status_places(issued.to_json())} == {"2"}
    _, log_ok, entries = store_checks(runtime.settings)
    assert log_ok
    assert sum(entries.values()) == 2


def test_status_indexes_stay_unique_across_a_restart(settings: Settings) -> None:
    """Thirty credentials issued at once, the process's runtime closed and another opened on
    the store (a new committer), thirty more at once: sixty distinct status indexes, the
    lists agree with the credentials and the audit log verifies."""
    signed: list[dict[str, Any]] = []
    for run in range(2):
        with open_runtime(settings=settings) as opened:
            if run == 0:
                with opened.transaction() as session:
                    add_issuer(session, now=opened.now(), secret=opened.key())
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                outcomes = list(pool.map(lambda number, opened=opened: _issue(
                    opened, credential(number)), range(30 * run, 30 * run + 30)))
        assert all(isinstance(outcome, Issued) for outcome in outcomes), outcomes
        signed += [outcome.to_json() for outcome in outcomes if isinstance(outcome, Issued)]
    places = [place for item in signed for place in status_places(item)]
    assert len(set(places)) == len(places) == 120
    lists_ok, log_ok, issued = store_checks(settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(issued.values()) == 60


def test_an_id_stored_meanwhile_by_another_issuer_refuses_that_request_alone(
        runtime: Runtime) -> None:
    """On PostgreSQL each issuer's batches take its own lock, so another organisation's
    transaction may store a credential under an id between a batch's look-up of that id and
    its insert (on SQLite one writer at a time holds the store: it cannot happen). Made
    happen: the batch's insert first lets another runtime (another server process) issue
    under that id as another organisation. The batch stores nothing; its requests go into
    the next batch, where the one under the taken id is refused naming it and the other is
    issued; the store's lists agree and the audit log verifies, with one entry for the
    other organisation's credential."""
    if runtime.settings.database_url.startswith("sqlite") or not runtime.settings.database_url:
        pytest.skip("on SQLite the other runtime's issue would wait for the write lock the "
                    "batch holds when it is let in")
    taken = "urn:uuid:7e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c2b"
    other = ActingAs(Principal(subject="user:4", user_id=4, email="issuer@other.example",
                               memberships=frozenset({Membership("other-college",
                                                                 Role.ISSUER)})))
    with open_runtime(settings=runtime.settings) as elsewhere:
        with elsewhere.transaction() as session:
            add_issuer(session, now=elsewhere.now(), secret=elsewhere.key(),
                       document=organisation(slug="other-college"))
        stored_meanwhile: list[Issued] = []

        def meanwhile(_connection: Any, _cursor: Any, _statement: str, parameters: Any,
                      *_: object) -> None:
            # Once the batch has looked the id up (reading, its status list read already
            # with its signer's stamp), before its writing transaction takes the audit log's
            # head (which every transaction that issues takes in turn).
            if taken in str(parameters) and not stored_meanwhile:
                stored_meanwhile.append(credentials.issue_credential(
                    elsewhere, actor=other, credential=credential(9, id=taken),
                    securing="eddsa-jcs-2022"))

        event.listen(engine_of(runtime), "after_cursor_execute", meanwhile)
        try:
            outcomes = one_batch(runtime, [credential(1, id=taken), credential(2)])
        finally:
            event.remove(engine_of(runtime), "after_cursor_execute", meanwhile)
    assert [item.credential_id for item in stored_meanwhile] == [taken]
    refused, issued = outcomes
    assert isinstance(refused, InputError), refused
    assert [problem.rule for problem in refused.problems] == ["credential-id-issued"]
    assert isinstance(issued, Issued), issued
    lists_ok, log_ok, entries = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)
    assert sum(count for (subject, _), count in entries.items() if subject == taken) == 1


def test_a_batch_of_two_issuers_takes_their_locks_before_the_audit_logs(
        runtime: Runtime) -> None:
    """On PostgreSQL a batch holding two organisations' requests takes both allocation
    locks before the audit log's head, as a cohort (allocation, then head) does: made to
    happen, another transaction holds the second organisation's allocation while the batch
    commits and then appends to the audit log — it gets the head (the batch does not hold
    it while waiting for that allocation, which PostgreSQL would break as a deadlock), and
    every request of the batch is issued once it has committed."""
    if runtime.settings.database_url.startswith("sqlite") or not runtime.settings.database_url:
        pytest.skip("on SQLite one writer at a time holds the whole store: its locks are one")
    other = ActingAs(Principal(subject="user:4", user_id=4, email="issuer@other.example",
                               memberships=frozenset({Membership("other-college",
                                                                 Role.ISSUER)})))
    with runtime.transaction() as session:
        add_issuer(session, now=runtime.now(), secret=runtime.key(),
                   document=organisation(slug="other-college"))

    def issue_as_other(number: int) -> Issued | Exception:
        try:
            return credentials.issue_credential(
                runtime, actor=other, credential=credential(number),
                securing="eddsa-jcs-2022", status_option={"type": "BitstringStatusListEntry"})
        except Exception as error:  # the outcome under test
            return error

    with ThreadPoolExecutor(4) as pool, open_runtime(settings=runtime.settings) as elsewhere:
        with elsewhere.transaction() as holding:
            found = organisation_store.find_row(holding, "other-college")
            assert found is not None
            status_lists.lock_allocation(holding, organisation_id=found.id)
            with runtime.transaction() as session:
                first = organisation_store.find_row(session, SLUG)
                assert first is not None
                status_lists.lock_allocation(session, organisation_id=first.id)
                warm = pool.submit(_issue, runtime, credential(1000))
                time.sleep(SETTLE)
                ours = pool.submit(_issue, runtime, credential(1))
                theirs = pool.submit(issue_as_other, 2)
                time.sleep(SETTLE)
            # The batch of both now waits for other-college's allocation, held here; then
            # this transaction appends to the audit log, as a cohort does under that lock.
            time.sleep(SETTLE)
            audit.record(holding, at=elsewhere.now(), actor="test", action="test.appended",
                         subject="other-college", details={})
        outcomes = [warm.result(), ours.result(), theirs.result()]
    assert all(isinstance(outcome, Issued) for outcome in outcomes), outcomes
    lists_ok, log_ok, _ = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)


#: What an issue batch of one organisation waits for on PostgreSQL: the signer's stamp with
#: the newest status list (indexes drawn), BEGIN with the allocation's lock, the list and the
#: audit head (indexes claimed), then the writes with their COMMIT.
ANSWERS_A_BATCH = 3


@contextlib.contextmanager
def protocol_trace(runtime: Runtime, folder: Path) -> Iterator[list[str]]:
    """The messages the client sends to PostgreSQL on the runtime's connections while the
    block runs (libpq's trace of each connection checked out of the pool), their kinds in
    order, filled in when the block ends."""
    path = folder / "trace.txt"
    engine = engine_of(runtime)
    with path.open("a") as out:

        def on(driver: Any, _record: Any, _proxy: Any) -> None:
            driver.pgconn.trace(out.fileno())
            driver.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

        def off(driver: Any, _record: Any) -> None:
            driver.pgconn.untrace()

        event.listen(engine, "checkout", on)
        event.listen(engine, "checkin", off)
        sent: list[str] = []
        try:
            yield sent
        finally:
            event.remove(engine, "checkout", on)
            event.remove(engine, "checkin", off)
    sent += [line.split("\t")[2].strip() for line in path.read_text().splitlines()
             if line.startswith("F\t")]


def answers_waited_for(sent: list[str]) -> int:
    """How many times the client waited for the server: each Sync, Flush request and simple
    query it sent is followed by reading their answers (a Flush right after a Sync waits for
    the same answers: psycopg asks for them both as a pipeline ends)."""
    return sum(1 for before, kind in itertools.pairwise(["", *sent])
               if kind in {"Sync", "Query"} or (kind == "Flush" and before != "Sync"))


def test_an_issue_batch_waits_for_three_answers_from_postgresql(runtime: Runtime,
                                                                tmp_path: Path) -> None:
    """On PostgreSQL each batch of concurrent issue requests waits for the server three times
    (:data:`ANSWERS_A_BATCH`), whatever its size: the signer's stamp is read with the newest
    status list, the transaction's BEGIN goes with the allocation's lock and its COMMIT with
    the batch's writes, not each in a round trip of its own (six before, then four).
    Counted in what the client sends (libpq's trace), not timed; then every request is
    issued on its own index and the audit log verifies."""
    if runtime.settings.database_url.startswith("sqlite") or not runtime.settings.database_url:
        pytest.skip("SQLite has no round trips")
    assert isinstance(_issue(runtime, credential(1000)), Issued)  # the signer opened once

    async def send_all() -> list[Issued]:
        return list(await asyncio.gather(*(credentials.issue_credential_waiting(
            runtime, actor=ACTOR, credential=credential(number), securing="eddsa-jcs-2022",
            status_option={"type": "BitstringStatusListEntry"}) for number in range(12))))

    with protocol_trace(runtime, tmp_path) as sent:
        issued = asyncio.run(send_all())
    batches = issue_times(runtime, [item.credential_id for item in issued])
    assert 1 <= len(batches) < 12
    assert answers_waited_for(sent) == ANSWERS_A_BATCH * len(batches), sent
    places = [place for item in issued for place in status_places(item.to_json())]
    assert len(set(places)) == len(places) == 24
    lists_ok, log_ok, _ = store_checks(runtime.settings)
    assert (lists_ok, log_ok) == (True, True)
