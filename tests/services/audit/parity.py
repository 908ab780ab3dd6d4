"""The harness of the audit parity tests: one live store, the CLI on it, and twins.

A *twin* is one state change that both the ``credstack`` command and the HTTP API can make.
:func:`assert_same_entries` makes it once through the API to one target and once through the
CLI to another target of the same kind, and compares the audit entries each wrote after
naming the targets alike: only who acted (``user:…`` or ``cli:…``) and where the request came
from may differ. Each service's ``test_service_parity.py`` lists its twins and uses the
``store`` fixture (import it by name).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from credstack.adapters.keystore import new_master_key_text
from credstack.core.audit import AuditEntry
from credstack.entrypoints.bootstrap import open_runtime
from credstack.entrypoints.cli.main import app
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client, serve, store_environment
from tests.helpers import organisation, programme

SECRET = new_master_key_text()
SLUG = "hokuto-tech"


def cli_environment(settings: Settings) -> dict[str, str]:
    return store_environment(settings, secret=SECRET, public_url=settings.public_url)


def cli(settings: Settings, *args: str) -> str:
    """Run ``credstack *args`` on the store; its output (the command must succeed)."""
    result = CliRunner().invoke(app, list(args), env=cli_environment(settings))
    assert result.exit_code == 0, result.output
    return result.output


@dataclass
class Store:
    """One live server and the CLI on its store."""

    server: LiveServer
    http: httpx.Client

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def cli(self, *args: str) -> str:
        return cli(self.settings, *args)

    def entries_after(self, seq: int) -> list[AuditEntry]:
        with open_runtime(settings=self.settings) as runtime, runtime.transaction() as session:
            return audit.entries(session, after=seq, limit=1000)

    def last_seq(self) -> int:
        with open_runtime(settings=self.settings) as runtime, runtime.transaction() as session:
            head = audit.head(session)
        return head.seq if head is not None else 0


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An SQLite store with a provider, its issuer key and a published programme, served."""
    data = tmp_path_factory.mktemp("parity") / "data"
    settings = dataclasses.replace(Settings.from_env(data_dir=data, database_url=""),
                                   secret_key=SECRET)
    for live in serve(settings):
        with operator_client(live) as http:
            response = http.post("/api/organisations", json=organisation())
            assert response.status_code == 201, response.text
            response = http.post("/api/programmes",
                                 json={"descriptors": programme(), "publish": True})
            assert response.status_code == 201, response.text
            cli(settings, "issuer", "keys", "create", "--organisation", SLUG)
            yield Store(live, http)


def issued_credential(store: Store, learner: str) -> str:
    """A credential of the store's programme, issued to ``learner``; its id."""
    store.cli("issue", "--programme", "1", "--email", learner, "--batch", learner,
              "--out", str(store.settings.data_dir / "out" / learner))
    output = (store.settings.data_dir / "out" / learner / "credentials.jsonl").read_text()
    credential_id: str = json.loads(output.splitlines()[0])["credentialId"]
    return credential_id


@dataclass(frozen=True)
class Twin:
    """One state change, made through the API and through the CLI."""

    name: str
    #: Prepares a fresh target; what the two calls need. Every text value in it is written
    #: ``<key>`` in the entries before they are compared (``target`` at least).
    setup: Callable[[Store, str], dict[str, Any]]
    api: Callable[[Store, dict[str, Any]], None]
    cli: Callable[[Store, dict[str, Any]], None]


def _comparable(entries: list[AuditEntry], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries as the two paths must agree on them: every text the context names (the
    target, and whatever else differs between the two targets) written ``<its name>``; no
    actor, no client address."""
    names = sorted(((value, f"<{key}>") for key, value in context.items()
                    if isinstance(value, str) and value), key=lambda pair: -len(pair[0]))

    def named(value: Any) -> Any:
        if isinstance(value, str):
            for text, name in names:
                value = value.replace(text, name)
            return value
        if isinstance(value, dict):
            return {key: named(item) for key, item in value.items() if key != "ip"}
        if isinstance(value, list):
            return [named(item) for item in value]
        return value

    return [{"action": entry.action, "subject": _row(named(entry.subject)),
             "details": named(dict(entry.details))} for entry in entries]


def _row(subject: str) -> str:
    """An outbox message's subject (``mail:<row id>``, the e-mail a change withdraws or
    queues) without its row id, which differs between the twins' messages."""
    return re.sub(r"^mail:\d+$", "mail:<row>", subject)


def assert_same_entries(store: Store, twin: Twin) -> None:
    """The twin's change writes the same entries, whichever way it is asked for."""
    through_api = twin.setup(store, "api")
    through_cli = twin.setup(store, "cli")
    start = store.last_seq()
    twin.api(store, through_api)
    middle = store.last_seq()
    twin.cli(store, through_cli)
    api_entries = _comparable(store.entries_after(start)[: middle - start], through_api)
    cli_entries = _comparable(store.entries_after(middle), through_cli)
    assert api_entries, f"{twin.name} through the API wrote no audit entry"
    assert api_entries == cli_entries
    actors = {entry.actor for entry in store.entries_after(middle)}
    assert all(actor.startswith("cli:") for actor in actors), actors


