"""Several servers on one PostgreSQL: two ``credstack serve --workers 2``, each with its own
data directory as on two machines, behind no load balancer but the test itself. What one
server does, the other knows: sessions and their end, failed sign-ins, OAuth tokens and their
revocation, status lists, and (within the index's check interval) the registry's search."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.search.live import CHECK_SECONDS
from credstack.core.access.policy import PLATFORM, Membership, Role, usable_scopes
from credstack.core.accounts.lockout import ACCOUNT_FAILURES
from credstack.core.status import StatusListCredential
from credstack.entrypoints.cli.serving import listening_socket
from credstack.services.oauth import token_cache
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    PASSWORD,
    add_user,
    api_client,
    bearer_token,
    csrf_of,
    provider_store,
    sign_in,
)
from tests.conftest import _Copies, free_port, need_postgres
from tests.entrypoints.cli.test_main_serve import serving
from tests.helpers import programme

PERSON = "person@example.jp"
OPERATOR = "operator@example.org"
#: How long the test waits for a programme published through one server to be found through
#: the other (whose index notices the store's new generation at its next check, every
#: CHECK_SECONDS) before deciding that it never will be: a give-up of twelve checks, not a
#: bound on how soon (that is bench work; a loaded CI machine is several times slower).
SEARCH_PATIENCE = 12 * CHECK_SECONDS
#: How long the test waits for a token revoked through one process to be refused by every
#: other (each answers a token it verified a moment ago from its own memory for
#: ``token_cache.KEPT_SECONDS`` and the grace of one read, RFC 7009 §2's propagation delay):
#: a give-up of twelve such moments, not a bound on how soon.
REVOCATION_PATIENCE = 12 * (token_cache.KEPT_SECONDS + token_cache.GRACE_SECONDS)


def test_the_shared_socket_is_tcp_so_answers_are_not_held_back() -> None:
    """The listening socket names TCP as its protocol: asyncio sets TCP_NODELAY only on
    such sockets' connections, and without it each keep-alive answer waits for an ACK."""
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.get_inheritable()
    finally:
        sock.close()


@dataclasses.dataclass
class Servers:
    a: str
    b: str
    settings: Settings
    client: tuple[str, str]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory,
            _migrated_copies: _Copies) -> Iterator[Servers]:
    need_postgres()
    folder = tmp_path_factory.mktemp("two-servers")
    with _migrated_copies.copy() as url:
        settings = dataclasses.replace(
            Settings.from_env(data_dir=folder / "a", database_url=url),
            secret_key=new_master_key_text())
        port_a, port_b = free_port(), free_port()
        # Both name one public address, as behind a load balancer.
        public = f"http://localhost:{port_a}"
        settings = dataclasses.replace(settings, public_url=public)
        provider_store(settings, secret=settings.secret_key or "", now=dt.datetime.now(dt.UTC))
        add_user(settings, PERSON, roles=[("hokuto-tech", "provider-admin")])
        add_user(settings, OPERATOR, roles=[(None, "registry-admin")])
        client = api_client(settings, OPERATOR, sorted(usable_scopes(
            [Membership(PLATFORM, Role.REGISTRY_ADMIN)])))
        # Six processes start at once on a CI machine's two cores: more patience.
        with serving(settings, "--workers", "2", port=port_a, public_url=public,
                     data_dir=str(folder / "a"), patience=180) as first, \
                serving(settings, "--workers", "2", port=port_b, public_url=public,
                        data_dir=str(folder / "b"), patience=180) as second:
            yield Servers(first.url, second.url, settings, client)
        for output in (*first.output, *second.output):
            assert "Traceback" not in output, output


def test_a_session_made_on_one_server_is_honoured_and_ended_on_the_other(
        servers: Servers) -> None:
    """Signed in through A, the cookie opens the account page on B; signed out on A, B
    refuses it."""
    with httpx.Client(base_url=servers.a, timeout=20) as on_a:
        assert sign_in(on_a, PERSON).status_code == 303
        cookie = on_a.cookies["credstack_session"]
        with httpx.Client(base_url=servers.b, timeout=20,
                          cookies={"credstack_session": cookie}) as on_b:
            assert on_b.get("/api/me").status_code == 200
            page = on_b.get("/account")
            assert page.status_code == 200 and PERSON in page.text
            assert on_a.post("/sign-out", headers={"X-CSRF-Token": csrf_of(on_a)}
                             ).status_code == 303
            assert on_b.get("/api/me").status_code == 401


def test_failed_sign_ins_on_either_server_count_toward_one_lock(servers: Servers) -> None:
    """Wrong passwords sent to A and B in turn lock the account (for that address) on both."""
    email = "locked@example.jp"
    add_user(servers.settings, email)
    clients = [httpx.Client(base_url=url, timeout=20) for url in (servers.a, servers.b)]
    try:
        for attempt in range(ACCOUNT_FAILURES):
            assert sign_in(clients[attempt % 2], email, "wrong password").status_code == 401
        for client in clients:
            assert sign_in(client, email, PASSWORD).status_code == 429
    finally:
        for client in clients:
            client.close()


def test_a_token_from_one_server_works_on_the_other_until_revoked_there(
        servers: Servers) -> None:
    """A client-credentials token from A is accepted by B; revoked on B, every process of
    both servers refuses it once the moment they may answer from memory has passed (each
    server runs two processes, and the request is answered by whichever takes it)."""
    token = bearer_token(servers.a, *servers.client)
    me = {"Authorization": f"Bearer {token}"}
    assert patiently.get(f"{servers.b}/api/me", headers=me, timeout=20).status_code == 200
    revoked = patiently.post(f"{servers.b}/oauth/revoke", auth=servers.client,
                             data={"token": token}, timeout=20)
    assert revoked.status_code == 200
    revoked_at = time.monotonic()
    for url in (servers.a, servers.b):
        while (status := patiently.get(f"{url}/api/me", headers=me,
                                       timeout=20).status_code) != 401:
            assert status == 200
            assert time.monotonic() - revoked_at < REVOCATION_PATIENCE, f"{url} still answers"
            time.sleep(0.2)
    time.sleep(token_cache.KEPT_SECONDS + token_cache.GRACE_SECONDS)
    for url in (servers.a, servers.b):
        for _ in range(4):
            assert patiently.get(f"{url}/api/me", headers=me, timeout=20).status_code == 401


def test_a_credential_revoked_through_one_server_is_revoked_in_the_others_list(
        servers: Servers) -> None:
    """Issued and revoked through A; the status list B serves has the credential's bit set."""
    token = {"Authorization": f"Bearer {bearer_token(servers.a, *servers.client)}"}
    issued = patiently.post(f"{servers.a}/credentials/issue", headers=token, timeout=30, json={
        "credential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                       "type": ["VerifiableCredential"],
                       "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}},
        "options": {"cryptosuite": "eddsa-jcs-2022",
                    "credentialStatus": {"type": "BitstringStatusListEntry"}}})
    assert issued.status_code == 201, issued.text
    signed = issued.json()["verifiableCredential"]
    entry = signed["credentialStatus"][0]
    changed = patiently.post(f"{servers.a}/credentials/status", headers=token, timeout=30, json={
        "credentialId": signed["id"], "credentialStatus": [
            {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
             "status": True}]})
    assert changed.status_code == 200, changed.text
    path = httpx.URL(entry["statusListCredential"]).path
    document = patiently.get(f"{servers.b}{path}").json()
    bits = StatusListCredential.parse(document).status_list()
    assert bits.get(int(entry["statusListIndex"])) == 1


def test_a_programme_published_through_one_server_is_found_through_the_other(
        servers: Servers) -> None:
    """Published through A, the programme comes into B's search results, with no restart of
    B (its index notices the store's new generation at its next check)."""
    token = {"Authorization": f"Bearer {bearer_token(servers.a, *servers.client)}"}
    created = patiently.post(f"{servers.a}/api/programmes", headers=token, timeout=30,
                             json={"descriptors": programme(code="SHARED-1", title={
                             "ja": "共有索引演習", "en": "Sharedindex practice"})})
    assert created.status_code == 201, created.text
    published_at = time.monotonic()
    while True:
        found = patiently.get(f"{servers.b}/api/search", params={"q": "Sharedindex"}, timeout=20)
        assert found.status_code == 200
        if any(hit["programme_id"] == created.json()["id"] for hit in found.json()["hits"]):
            break
        assert time.monotonic() - published_at < SEARCH_PATIENCE, found.json()
        time.sleep(0.5)


def test_every_process_counts_into_one_scrape_and_the_metrics_directory_goes_with_the_server(
        sqlite_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve --workers 2``: requests spread over both web processes are all in the one
    ``/metrics`` answer (read by Prometheus' own parser), each process having written its
    values to the directory credstack made; once the server stops, the directory is gone."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    with serving(sqlite_settings, "--workers", "2", patience=120) as served, \
            ThreadPoolExecutor(8) as pool:
        def missing(number: int) -> int:
            # A connection of its own each, so that both processes take some.
            return patiently.get(f"{served.url}/api/programmes/{900 + number}",
                                 timeout=30).status_code

        [directory] = temporary.glob("credstack-metrics-*")

        def writers() -> set[str]:
            return {path.stem.rsplit("_", 1)[1] for path in directory.glob("counter_*.db")}

        # The server is up once one process answers; the other may still be starting (on a
        # loaded machine, for seconds) and take nothing until it is: ask until both have.
        sent = 0
        while sent < 4_000 and (sent == 0 or len(writers()) < 2):
            assert set(pool.map(missing, range(sent, sent + 120))) == {404}
            sent += 120
        text = patiently.get(f"{served.url}/metrics").text
        counted = sum(
            sample.value for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "credstack_http_requests_total"
            and sample.labels["route"] == "/api/programmes/{programme_id}"
            and sample.labels["status"] == "404")
        assert counted == sent
        assert len(writers()) >= 2, sorted(directory.iterdir())
    assert list(temporary.glob("credstack-metrics-*")) == []
