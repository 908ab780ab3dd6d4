"""``credstack backup`` and ``credstack restore`` on a real store, on both databases: a store
with credentials and audit entries, backed up while it is served, restored into a fresh place,
its audit log verified, served again and one of its credentials verified."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
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


@pytest.fixture(autouse=True)
def operator_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's backup key file, apart from every store and backup the test makes."""
    path = tmp_path / "operator" / "backup.key"
    monkeypatch.setenv("CREDSTACK_BACKUP_KEY_FILE", str(path))
    return path

#: Tables are read: printed wide whatever test ran before in this process (the CLI's console
#: reads ``COLUMNS`` once, when it is made, not from each run's environment).
pytestmark = pytest.mark.usefixtures("wide_console")

LEARNERS = {"hanako@example.jp": "山田 花子", "taro@example.jp": "鈴木 太郎"}


def _run(*args: str, settings: Settings, secret: str | None, lang: str = "en",
         backup_key: Path | None = None) -> Result:
    """``credstack …`` on the store of ``settings``; backups signed with the key file
    ``backup_key`` if given, else the operator's (:func:`operator_key`)."""
    environment = store_environment(settings, secret=secret, lang=lang) | {"COLUMNS": "200"}
    if backup_key is not None:
        environment["CREDSTACK_BACKUP_KEY_FILE"] = str(backup_key)
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


def _forge(destination: Path, *, tamper: bool) -> None:
    """What the probe did to a real backup: a registry-admin role added to the store's copy
    (SQLite; nothing audited) or the checkpoints' last line dropped (PostgreSQL), then every
    checksum of the manifest recomputed, as anyone holding the backup can."""
    if tamper and (destination / backups.STORE_SQLITE).exists():
        with sqlite3.connect(destination / backups.STORE_SQLITE) as database:
            database.execute(
                "INSERT INTO users (email, display_name, password_hash, disabled, created_at) "
                "VALUES ('mallory@example.org', 'M', 'x', 0, '2026-01-01 00:00:00')")
            database.execute(
                "INSERT INTO memberships (user_id, organisation_id, role, created_at) "
                "SELECT id, NULL, 'registry-admin', '2026-01-01 00:00:00' FROM users "
                "WHERE email = 'mallory@example.org'")
        database.close()
    elif tamper:
        lines = (destination / backups.CHECKPOINTS).read_bytes().splitlines(keepends=True)
        (destination / backups.CHECKPOINTS).write_bytes(b"".join(lines[:-1]))
    manifest = json.loads((destination / backups.MANIFEST).read_text(encoding="utf-8"))
    for name in manifest["files"]:
        data = (destination / name).read_bytes()
        manifest["files"][name] = {"bytes": len(data),
                                   "sha256": hashlib.sha256(data).hexdigest()}
    (destination / backups.MANIFEST).write_text(json.dumps(manifest, indent=2),
                                                encoding="utf-8")


def test_a_backup_altered_and_its_manifest_recomputed_restores_nothing(
        store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Issue 55 L2: a registry-admin role slipped into a real backup and the manifest's
    checksums recomputed: the manifest's signature, made with the operator's key that is not
    in the backup, no longer holds; restore says so by name, in Japanese too, exits 1 and
    writes nothing."""
    destination = tmp_path / "backup"
    assert _run("backup", str(destination), settings=store.settings,
                secret=store.secret).exit_code == 0
    _forge(destination, tamper=True)
    target = _target(store, request, tmp_path)
    refused = _run("restore", str(destination), settings=target, secret=store.secret)
    assert refused.exit_code == 1, refused.output
    assert "signature" in refused.output and "altered" in refused.output
    japanese = _run("restore", str(destination), settings=target, secret=store.secret,
                    lang="ja")
    assert japanese.exit_code == 1 and "改ざん" in japanese.output
    assert not target.data_dir.exists()
    assert not target.checkpoint_file.exists()


def test_an_unsigned_backup_or_one_signed_with_another_key_restores_nothing(
        store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The signature removed, or the backup checked with another operator key, or with no
    key file at all: each refused by name before anything is written."""
    destination = tmp_path / "backup"
    assert _run("backup", str(destination), settings=store.settings,
                secret=store.secret).exit_code == 0
    target = _target(store, request, tmp_path)
    other = tmp_path / "elsewhere" / "backup.key"
    assert _run("backup", str(tmp_path / "other"), settings=store.settings,
                secret=store.secret, backup_key=other).exit_code == 0
    wrong = _run("restore", str(destination), settings=target, secret=store.secret,
                 backup_key=other)
    assert wrong.exit_code == 1 and "another key" in wrong.output, wrong.output
    missing = _run("restore", str(destination), settings=target, secret=store.secret,
                   backup_key=tmp_path / "nowhere.key")
    assert missing.exit_code == 1 and "nowhere.key" in missing.output, missing.output
    (destination / backups.SIGNATURE).unlink()
    unsigned = _run("restore", str(destination), settings=target, secret=store.secret)
    assert unsigned.exit_code == 1 and "not signed" in unsigned.output, unsigned.output
    assert not target.data_dir.exists()
