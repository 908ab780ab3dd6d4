"""``credstack backup`` and ``credstack restore`` on a real store, on both databases: a store
with credentials and audit entries, backed up while it is served, restored into a fresh place,
its audit log verified, served again and one of its credentials verified."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import KEY_FILE_NAME, new_master_key_text, write_key_file
from credstack.entrypoints.cli.main import app
from credstack.services.operations import backup as backups
from credstack.settings import Settings
from tests import patiently
from tests.accounts import store_sessions
from tests.conftest import issued_to_members, serve, store_environment

#: Tables are read: printed wide whatever test ran before in this process (the CLI's console
#: reads ``COLUMNS`` once, when it is made, not from each run's environment).
pytestmark = pytest.mark.usefixtures("wide_console")

LEARNERS = {"hanako@example.jp": "山田 花子", "taro@example.jp": "鈴木 太郎"}


def _run(*args: str, settings: Settings, secret: str | None, lang: str = "en") -> Result:
    environment = store_environment(settings, secret=secret, lang=lang) | {"COLUMNS": "200"}
    if secret is None:
        environment |= {"CREDSTACK_SECRET_KEY": "", "CREDSTACK_SECRET_KEY_FILE": ""}
    return CliRunner().invoke(app, list(args), env=environment)


@dataclasses.dataclass
class Store:
    settings: Settings
    #: The master key as the environment gives it (PostgreSQL), or None: a key file
    #: in the data directory (SQLite, as ``credstack`` makes one on first use).
    secret: str | None
    credentials: list[str]


@pytest.fixture
def store(settings: Settings) -> Store:
    """Two credentials issued, and the audit entries of the setup, in the store."""
    secret = new_master_key_text()
    issued = issued_to_members(dataclasses.replace(settings, secret_key=secret), LEARNERS,
                               batch="backed-up")
    if settings.is_sqlite:
        write_key_file(settings.data_dir / KEY_FILE_NAME, secret)
        return Store(dataclasses.replace(settings, secret_key=None), None, issued)
    return Store(dataclasses.replace(settings, secret_key=secret), secret, issued)


def _target(store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """A fresh data directory, and for PostgreSQL an empty database."""
    folder = tmp_path / "restored"
    if store.settings.is_sqlite:
        return Settings.from_env(data_dir=folder, database_url="")
    return dataclasses.replace(Settings.from_env(
        data_dir=folder, database_url=request.getfixturevalue("postgres_url")),
        secret_key=store.secret)


def test_a_backup_made_while_serving_restores_into_a_fresh_place_and_verifies(
        store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Backed up while requests write refusals to the audit log; restored elsewhere: the
    checksums hold, the audit log is intact and reaches the backup's end, the credentials
    are there; served, the restored store verifies its credential; a second restore over it
    is refused without ``--force``."""
    destination = tmp_path / "backup"
    stop = threading.Event()
    for live in serve(store.settings):
        def busy(url: str = live.url) -> None:
            with httpx.Client(base_url=url, timeout=30) as client:
                while not stop.is_set():
                    client.get("/api/jobs")  # refused: an audit entry each

        for _ in range(3):
            assert patiently.get(f"{live.url}/api/jobs").status_code == 401
        writer = threading.Thread(target=busy)
        writer.start()
        try:
            made = _run("backup", str(destination), "--json", settings=store.settings,
                        secret=store.secret)
        finally:
            stop.set()
            writer.join()
    assert made.exit_code == 0, made.output
    manifest = json.loads(made.stdout)["manifest"]
    store_file = backups.STORE_SQLITE if store.settings.is_sqlite else backups.STORE_POSTGRES
    expected = {store_file, backups.CHECKPOINTS} | (
        {backups.KEY} if store.secret is None else set())
    assert set(manifest["files"]) == expected
    assert manifest["credentials"] == 2 and manifest["audit"]["seq"] > 0
    assert (destination / backups.MANIFEST).is_file()
    assert oct(destination.stat().st_mode & 0o777) == "0o700"

    target = _target(store, request, tmp_path)
    restored = _run("restore", str(destination), "--json", settings=target,
                    secret=store.secret)
    assert restored.exit_code == 0, restored.output
    check = json.loads(restored.stdout)["check"]
    assert check["ok"] and check["audit"]["intact"] and check["audit"]["reaches_backup"]
    assert check["audit"]["entries"] >= manifest["audit"]["seq"]
    assert check["audit"]["checkpoints"] >= 1
    assert check["credentials"] == 2

    again = _run("restore", str(destination), settings=target, secret=store.secret)
    assert again.exit_code == 1
    assert "--force" in again.output
    forced = _run("restore", str(destination), "--force", "--json", settings=target,
                  secret=store.secret)
    assert forced.exit_code == 0, forced.output

    served = dataclasses.replace(target, secret_key=store.secret)
    with store_sessions(served) as sessions, sessions() as session:
        document = credential_store.get_credential(
            session, credential_id=store.credentials[0]).document
    for live in serve(served):
        verified = patiently.post(f"{live.url}/credentials/verify", timeout=30,
                                  json={"verifiableCredential": json.loads(document)})
        assert verified.status_code == 200, verified.text
        assert verified.json()["verified"] is True
        assert patiently.get(f"{live.url}/readyz").status_code == 200


def test_a_damaged_backup_restores_nothing(store: Store, request: pytest.FixtureRequest,
                                           tmp_path: Path) -> None:
    """One byte changed in the store's copy: the checksum says which file, in Japanese too,
    and the target stays empty."""
    destination = tmp_path / "backup"
    assert _run("backup", str(destination), settings=store.settings,
                secret=store.secret).exit_code == 0
    name = backups.STORE_SQLITE if store.settings.is_sqlite else backups.STORE_POSTGRES
    copy = destination / name
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    target = _target(store, request, tmp_path)
    refused = _run("restore", str(destination), settings=target, secret=store.secret,
                   lang="ja")
    assert refused.exit_code == 1
    assert "破損" in refused.output and name in refused.output
    assert not list(target.data_dir.glob("*.sqlite3"))


def test_a_backup_goes_into_an_empty_directory_only(store: Store, tmp_path: Path) -> None:
    """A directory with something in it is refused, and left as it was."""
    destination = tmp_path / "used"
    destination.mkdir()
    (destination / "keep.txt").write_text("mine")
    refused = _run("backup", str(destination), settings=store.settings, secret=store.secret)
    assert refused.exit_code == 1
    assert "not an empty directory" in refused.output
    assert [path.name for path in destination.iterdir()] == ["keep.txt"]


def test_the_manifest_times_the_backup(store: Store, tmp_path: Path) -> None:
    """The manifest says when it was made, which credstack made it and at which migration."""
    destination = tmp_path / "backup"
    made = _run("backup", str(destination), "--json", settings=store.settings,
                secret=store.secret)
    manifest = backups.read_manifest(destination)
    assert json.loads(made.stdout)["manifest"] == manifest.to_dict()
    assert dt.datetime.fromisoformat(manifest.created_at).tzinfo is not None
    assert manifest.revision is not None and manifest.revision.startswith("00")


def test_a_backup_without_its_key_is_not_restored_without_the_key(
        migrated_postgres_url: str, postgres_url: str, tmp_path: Path) -> None:
    """A store whose key comes from the environment: the backup says the key is not in it,
    and restoring without ``CREDSTACK_SECRET_KEY`` is refused before anything is written."""
    secret = new_master_key_text()
    source = dataclasses.replace(
        Settings.from_env(data_dir=tmp_path / "data", database_url=migrated_postgres_url),
        secret_key=secret)
    issued_to_members(source, LEARNERS, batch="key-apart")
    destination = tmp_path / "backup"
    made = _run("backup", str(destination), settings=source, secret=secret)
    assert made.exit_code == 0
    assert "CREDSTACK_SECRET_KEY" in made.output
    target = Settings.from_env(data_dir=tmp_path / "restored", database_url=postgres_url)
    refused = _run("restore", str(destination), settings=target, secret=None)
    assert refused.exit_code == 1
    assert "does not hold the master key" in refused.output
    assert not target.data_dir.exists()


def test_without_pg_dump_the_command_says_exactly_what_to_run(
        migrated_postgres_url: str, tmp_path: Path) -> None:
    """No ``pg_dump`` on ``PATH``: the backup stops, printing the ``pg_dump`` command line
    to run (its password left out), before it has written anything."""
    settings = dataclasses.replace(
        Settings.from_env(data_dir=tmp_path / "data", database_url=migrated_postgres_url),
        secret_key=new_master_key_text())
    destination = tmp_path / "backup"
    environment = store_environment(settings, secret=settings.secret_key) | {
        "PATH": str(tmp_path / "no-programs"), "COLUMNS": "300"}
    refused = CliRunner().invoke(app, ["backup", str(destination)], env=environment)
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert "pg_dump is not on PATH" in said
    assert "pg_dump --format=custom --no-owner --no-privileges" in said
    assert not destination.exists()
    assert not settings.checkpoint_file.exists()
