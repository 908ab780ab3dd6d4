"""Settings read from the environment: the background jobs' queue and heartbeat, and the
public URL a server names in what it issues, the manual it serves, and the status entries a
VC-API credential gets by default."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from credstack.errors import ConfigurationError
from credstack.settings import (
    BUILT_MANUAL,
    DEFAULT_PUBLIC_URL,
    Settings,
    answers_at,
    issue_status,
    jobs_url,
    listening_url,
    manual_dir,
)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", None), ("  ", None),
    ("redis://127.0.0.1:6379/3", "redis://127.0.0.1:6379/3"),
    ("rediss://:secret@queue.example:6380/0", "rediss://:secret@queue.example:6380/0"),
    ("postgres://jobs@db.example/credstack", "postgresql://jobs@db.example/credstack"),
])
def test_the_jobs_url_names_redis_or_postgresql(value: str | None, expected: str | None
                                                ) -> None:
    assert jobs_url(value) == expected


@pytest.mark.parametrize("value", ["amqp://rabbit/", "redis://", "127.0.0.1:6379", "sqlite:///x"])
def test_any_other_queue_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match="CREDSTACK_JOBS_URL"):
        jobs_url(value)


def test_the_queue_is_embedded_and_the_heartbeat_a_minute_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDSTACK_JOBS_URL", raising=False)
    monkeypatch.delenv("CREDSTACK_JOBS_STALE", raising=False)
    settings = Settings.from_env(data_dir=tmp_path, database_url="")
    assert (settings.jobs_url, settings.jobs_stale, settings.embedded_jobs) == (None, 60, True)
    monkeypatch.setenv("CREDSTACK_JOBS_URL", "redis://:pw@127.0.0.1:6379/1")
    monkeypatch.setenv("CREDSTACK_JOBS_STALE", "5")
    configured = Settings.from_env(data_dir=tmp_path, database_url="")
    assert (configured.jobs_stale, configured.embedded_jobs) == (5, False)
    assert "pw" not in repr(configured)


@pytest.mark.parametrize(("host", "port", "expected"), [
    ("127.0.0.1", 9000, "http://localhost:9000"),
    ("0.0.0.0", 9000, "http://localhost:9000"),
    ("::", 8443, "http://localhost:8443"),
    ("::1", 8000, "http://localhost:8000"),
    ("192.0.2.7", 9000, "http://localhost:9000"),
    ("badges.example.ac.jp", 8080, "http://badges.example.ac.jp:8080"),
    ("localhost", 80, "http://localhost"),
])
def test_the_public_url_follows_where_the_server_listens(host, port, expected):
    """Unconfigured, the public URL is the listening port on a name a did:web can carry."""
    assert listening_url(host, port) == expected


def test_the_listening_url_is_the_default_only_when_the_environment_sets_none(monkeypatch,
                                                                              tmp_path):
    """CREDSTACK_PUBLIC_URL wins over where the server listens; unset, the server's port."""
    monkeypatch.delenv("CREDSTACK_PUBLIC_URL", raising=False)
    assert Settings.from_env(data_dir=tmp_path).public_url == DEFAULT_PUBLIC_URL
    assert Settings.from_env(data_dir=tmp_path, default_public_url="http://localhost:9000"
                             ).public_url == "http://localhost:9000"
    monkeypatch.setenv("CREDSTACK_PUBLIC_URL", "https://badges.example.ac.jp/")
    assert Settings.from_env(data_dir=tmp_path, default_public_url="http://localhost:9000"
                             ).public_url == "https://badges.example.ac.jp"


@pytest.mark.parametrize(("public", "host", "port", "answers"), [
    ("http://localhost:9000", "127.0.0.1", 9000, True),
    ("http://localhost:8000", "127.0.0.1", 9000, False),
    ("http://machine.example:9000", "0.0.0.0", 9000, True),
    ("http://machine.example:9000", "127.0.0.1", 9000, False),
    ("https://badges.example.ac.jp", "127.0.0.1", 443, False),
    ("http://localhost", "localhost", 80, True),
])
def test_a_public_url_the_server_does_not_answer_at_is_told_apart(public, host, port, answers):
    """Same scheme (plain HTTP), port and host — any host when listening everywhere."""
    assert answers_at(public, host, port) is answers


@pytest.mark.parametrize(("value", "expected"), [
    (None, True), ("", True), ("on", True), ("TRUE", True), ("1", True),
    ("off", False), ("no", False), (" 0 ", False)])
def test_sign_up_is_on_unless_turned_off(value: str | None, expected: bool, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("CREDSTACK_SIGN_UP", raising=False)
    else:
        monkeypatch.setenv("CREDSTACK_SIGN_UP", value)
    assert Settings.from_env(data_dir=tmp_path, database_url="").sign_up is expected


def test_a_sign_up_switch_neither_on_nor_off_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDSTACK_SIGN_UP", "maybe")
    with pytest.raises(ConfigurationError, match="CREDSTACK_SIGN_UP must be on or off"):
        Settings.from_env(data_dir=tmp_path, database_url="")


def test_sign_up_is_open_only_where_email_is_sent(tmp_path: Path) -> None:
    """Nobody could confirm their address without e-mail: no SMTP server, no sign-up."""
    settings = Settings(data_dir=tmp_path, database_url="sqlite://")
    assert (settings.sign_up, settings.sign_up_open) == (True, False)
    sending = dataclasses.replace(settings, smtp_host="127.0.0.1", mail_from="n@example.jp")
    assert sending.sign_up_open
    assert not dataclasses.replace(sending, sign_up=False).sign_up_open


def test_the_manual_is_the_named_folder_or_the_one_built_in_the_checkout(tmp_path: Path
                                                                         ) -> None:
    """``CREDSTACK_MANUAL_DIR`` names a built manual; unset, the checkout's ``site/`` when
    ``dev.py test`` has built it, else none."""
    (tmp_path / "index.html").write_text("<!doctype html>")
    assert manual_dir(str(tmp_path)) == tmp_path
    built = (BUILT_MANUAL / "index.html").is_file()
    assert manual_dir(None) == (BUILT_MANUAL if built else None)
    assert manual_dir("  ") == manual_dir(None)


def test_a_manual_folder_without_an_index_is_refused(tmp_path: Path) -> None:
    """A folder that holds no built manual stops the start, naming the variable and the fix."""
    with pytest.raises(ConfigurationError, match=r"CREDSTACK_MANUAL_DIR=.*no index\.html"):
        manual_dir(str(tmp_path))


def test_the_refusals_audited_one_by_one_are_a_positive_count(monkeypatch) -> None:
    """``CREDSTACK_AUDIT_REFUSALS_PER_MINUTE`` sets the budget (30 by default); anything but a
    positive whole number stops the start, naming the variable."""
    assert Settings.from_env(data_dir=Path("x")).audit_refusals_per_minute == 30
    monkeypatch.setenv("CREDSTACK_AUDIT_REFUSALS_PER_MINUTE", "500")
    assert Settings.from_env(data_dir=Path("x")).audit_refusals_per_minute == 500
    monkeypatch.setenv("CREDSTACK_AUDIT_REFUSALS_PER_MINUTE", "many")
    with pytest.raises(ConfigurationError, match="REFUSALS_PER_MINUTE must be a positive whole "
                                                 "number, not 'many'"):
        Settings.from_env(data_dir=Path("x"))


def test_an_audit_checkpoint_every_so_many_entries_is_a_positive_count(monkeypatch) -> None:
    """``CREDSTACK_AUDIT_CHECKPOINT_EVERY`` sets how many entries apart the audit log's
    checkpoints are (1,000 by default); anything but a positive whole number is refused."""
    assert Settings.from_env(data_dir=Path("x")).audit_checkpoint_every == 1000
    monkeypatch.setenv("CREDSTACK_AUDIT_CHECKPOINT_EVERY", "50")
    assert Settings.from_env(data_dir=Path("x")).audit_checkpoint_every == 50
    monkeypatch.setenv("CREDSTACK_AUDIT_CHECKPOINT_EVERY", "0")
    with pytest.raises(ConfigurationError, match="CHECKPOINT_EVERY must be a positive whole"):
        Settings.from_env(data_dir=Path("x"))


@pytest.mark.parametrize(("value", "expected"), [
    (None, ()), ("", ()), ("revocation", ("revocation",)),
    (" Revocation , suspension,revocation", ("revocation", "suspension")),
])
def test_the_default_status_of_a_vc_api_credential_is_none_unless_named(
        value: str | None, expected: tuple[str, ...]) -> None:
    """CREDSTACK_ISSUE_STATUS: the purposes named, each once, in order; none by default."""
    assert issue_status(value) == expected


def test_a_default_status_purpose_credstack_keeps_no_list_for_is_refused() -> None:
    """A purpose other than revocation and suspension names the setting and the choices."""
    with pytest.raises(ConfigurationError, match="CREDSTACK_ISSUE_STATUS: 'refresh'"):
        issue_status("revocation,refresh")


def test_the_registries_setting_is_read_and_refused_when_wrong(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREDSTACK_TRUST_REGISTRIES",
                       "own, oidf:https://anchor.example.org, dcc:https://r.example/registry.json")
    read = Settings.from_env(data_dir=tmp_path)
    assert read.trust_registries == (("own", ""), ("oidf", "https://anchor.example.org"),
                                     ("dcc", "https://r.example/registry.json"))
    monkeypatch.setenv("CREDSTACK_TRUST_REGISTRIES", "none")
    assert Settings.from_env(data_dir=tmp_path).trust_registries == ()
    monkeypatch.delenv("CREDSTACK_TRUST_REGISTRIES")
    assert Settings.from_env(data_dir=tmp_path).trust_registries == (("own", ""),)
    monkeypatch.setenv("CREDSTACK_TRUST_REGISTRIES", "ebsi:https://x")
    with pytest.raises(ConfigurationError, match="CREDSTACK_TRUST_REGISTRIES"):
        Settings.from_env(data_dir=tmp_path)


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg://app:s3cret@db.example:5432/credstack?sslmode=require",
     "postgresql+psycopg://app:***@db.example:5432/credstack?sslmode=require"),
    ("postgresql+psycopg://app:p%40ss@db.example/credstack",
     "postgresql+psycopg://app:***@db.example/credstack"),
    ("postgresql+psycopg://app@db.example/credstack",
     "postgresql+psycopg://app@db.example/credstack"),
    ("sqlite:////srv/credstack/credstack.sqlite3", "/srv/credstack/credstack.sqlite3"),
])
def test_where_the_store_is_never_shows_its_password(url: str, shown: str, tmp_path: Path
                                                     ) -> None:
    """The store's location, as the commands print it, has the password as ``***`` (what
    SQLAlchemy shows) and the SQLite file as a path."""
    assert Settings(data_dir=tmp_path, database_url=url).store_location == shown


def test_a_passwords_hash_takes_owasps_19_mib_unless_the_environment_says_otherwise(
        monkeypatch) -> None:
    """``CREDSTACK_PASSWORD_MEMORY_KIB`` unset: 19,456 KiB, OWASP's minimum for argon2id (the
    tests' processes set 8, the least argon2id takes); less than 8 is refused."""
    monkeypatch.delenv("CREDSTACK_PASSWORD_MEMORY_KIB", raising=False)
    assert Settings.from_env(data_dir=Path("x")).password_memory_kib == 19 * 1024
    assert Settings(data_dir=Path("x"), database_url="").password_memory_kib == 19 * 1024
    monkeypatch.setenv("CREDSTACK_PASSWORD_MEMORY_KIB", "8")
    assert Settings.from_env(data_dir=Path("x")).password_memory_kib == 8
    monkeypatch.setenv("CREDSTACK_PASSWORD_MEMORY_KIB", "7")
    with pytest.raises(ConfigurationError, match=r"MEMORY_KIB must be a positive whole number "
                                                 r"\(8 or more\), not '7'"):
        Settings.from_env(data_dir=Path("x"))
