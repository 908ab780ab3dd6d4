"""``credstack issuer …`` and ``credstack keys secret``: keys, DIDs, and no secret in any output."""

from __future__ import annotations

import base64
import json
import re
import stat

import pytest
from typer.testing import CliRunner

from credstack.adapters.db.repositories import keys as store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.crypto import KeyPair, KeyType, encode_secret_key
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import add_organisation, store_session

SLUG = "hokuto-tech"
SECRET = new_master_key_text()
PUBLIC_URL = "https://issuer.example.ac.jp"
DID = "did:web:issuer.example.ac.jp:organisations:hokuto-tech"


def run(*args: str, settings: Settings | None = None, lang: str = "en",
        secret: str | None = SECRET):
    env = {"CREDSTACK_LANG": lang, "CREDSTACK_PUBLIC_URL": PUBLIC_URL,
           "CREDSTACK_SECRET_KEY": secret or "", "CREDSTACK_SECRET_KEY_FILE": ""}
    if settings is not None:
        env["CREDSTACK_DATA_DIR"] = str(settings.data_dir)
        env["CREDSTACK_DATABASE_URL"] = "" if settings.is_sqlite else settings.database_url
    return CliRunner().invoke(app, list(args), env=env)


def _with_organisation(settings: Settings) -> Settings:
    add_organisation(settings, SLUG)
    return settings


@pytest.fixture
def provider(settings: Settings) -> Settings:
    """The store (SQLite, then PostgreSQL) with one organisation in it."""
    return _with_organisation(settings)


def _active(settings: Settings, key_type: KeyType) -> KeyPair:
    with store_session(settings) as session:
        _, key_pair = store.active_key_pair(session, organisation=SLUG, key_type=key_type,
                                            secret=MasterKey.from_text(SECRET, source="test"))
    return key_pair


def _assert_no_secret(outputs: list[str], key_pairs: list[KeyPair]) -> None:
    text = "\n".join(outputs)
    for key_pair in key_pairs:
        raw = key_pair.secret_bytes()
        for form in (raw.hex(), base64.b64encode(raw).decode().rstrip("="),
                     base64.urlsafe_b64encode(raw).decode().rstrip("="),
                     encode_secret_key(key_pair)):
            assert form not in text
    assert SECRET not in text


def test_keys_secret_prints_a_fresh_key_and_how_to_set_it():
    """stdout is the key alone (43 base64url characters); stderr says how to configure it."""
    first, second = run("keys", "secret"), run("keys", "secret")
    assert first.exit_code == 0
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}\n", first.stdout)
    assert first.stdout != second.stdout
    assert "CREDSTACK_SECRET_KEY" in first.stderr
    MasterKey.from_text(first.stdout, source="stdout")


def test_keys_secret_writes_a_private_file_and_never_overwrites_it(tmp_path):
    """--output creates a 0600 file; a second run on the same path exits 1."""
    path = tmp_path / "secret.key"
    result = run("keys", "secret", "--output", str(path))
    assert result.exit_code == 0 and result.stdout == ""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "CREDSTACK_SECRET_KEY_FILE" in result.stderr
    key = path.read_text()
    again = run("keys", "secret", "--output", str(path))
    assert again.exit_code == 1 and "never overwrites" in again.output
    assert path.read_text() == key


def test_create_rotate_list_and_show(provider):
    """The whole life of a key from the command line, with nothing secret printed."""
    outputs: list[str] = []

    def step(*args: str, code: int = 0):
        result = run(*args, settings=provider)
        outputs.append(result.output)
        assert result.exit_code == code, result.output
        return result

    created = step("issuer", "keys", "create", "--organisation", SLUG)
    assert f"{DID}#key-1" in created.output
    p256 = step("issuer", "keys", "create", "--organisation", SLUG, "--type", "p-256")
    assert "P-256 key key-2" in p256.output
    old = _active(provider, KeyType.ED25519)
    conflict = step("issuer", "keys", "create", "--organisation", SLUG, code=1)
    assert "rotate" in conflict.output
    rotated = step("issuer", "keys", "rotate", "--organisation", SLUG)
    assert f"{DID}#key-3" in rotated.output

    listing = json.loads(step("issuer", "keys", "list", "--organisation", SLUG, "--json").stdout)
    assert [(k["fragment"], k["type"], k["active"]) for k in listing["keys"]] == [
        ("key-1", "Ed25519", False), ("key-2", "P-256", True), ("key-3", "Ed25519", True)]
    table = step("issuer", "keys", "list", "--organisation", SLUG)
    assert "retired" in table.output and "active" in table.output

    shown = json.loads(step("issuer", "show", "--organisation", SLUG, "--json").stdout)
    assert shown["did"] == DID
    assert shown["did_document_url"] == f"{PUBLIC_URL}/organisations/{SLUG}/did.json"
    assert shown["active"] == {"P-256": f"{DID}#key-2", "Ed25519": f"{DID}#key-3"}
    assert [k["verification_method"] for k in shown["keys"]] == [
        f"{DID}#key-1", f"{DID}#key-2", f"{DID}#key-3"]
    text = step("issuer", "show", "--organisation", SLUG)
    assert DID in text.output and shown["keys"][0]["did_key"] in text.output

    new = _active(provider, KeyType.ED25519)
    assert new.public_key != old.public_key
    _assert_no_secret(outputs, [old, new, _active(provider, KeyType.P256)])


def test_unknown_organisation_and_nothing_to_rotate_exit_1(provider):
    """No such organisation, or no key to rotate, exit 1 with the reason."""
    unknown = run("issuer", "keys", "create", "--organisation", "nowhere", settings=provider)
    assert unknown.exit_code == 1 and "nowhere" in unknown.output
    nothing = run("issuer", "keys", "rotate", "--organisation", SLUG, settings=provider)
    assert nothing.exit_code == 1 and "no active Ed25519 key" in nothing.output


def test_a_server_database_without_a_master_key_exits_1_with_the_how_to(postgres_url, tmp_path):
    """PostgreSQL never gets an implicit key: the error names the command and the settings."""
    provider = _with_organisation(Settings.from_env(data_dir=tmp_path, database_url=postgres_url))
    result = run("issuer", "keys", "create", "--organisation", SLUG, settings=provider,
                 secret=None)
    assert result.exit_code == 1
    assert "credstack keys secret" in result.stderr and "CREDSTACK_SECRET_KEY" in result.stderr
    assert not (provider.data_dir / "secret.key").exists()


def test_a_malformed_master_key_exits_1_without_echoing_it(provider):
    """A broken CREDSTACK_SECRET_KEY is refused by name, its value never printed."""
    result = run("issuer", "keys", "create", "--organisation", SLUG, settings=provider,
                 secret="not-really-a-key")
    assert result.exit_code == 1
    assert "CREDSTACK_SECRET_KEY does not hold" in result.output
    assert "not-really-a-key" not in result.output


def test_a_changed_master_key_is_named_as_the_cause(provider):
    """Rotating with another master key fails and asks whether the setting changed."""
    assert run("issuer", "keys", "create", "--organisation", SLUG,
               settings=provider).exit_code == 0
    result = run("issuer", "keys", "rotate", "--organisation", SLUG, settings=provider,
                 secret=new_master_key_text())
    assert result.exit_code == 1
    assert "was CREDSTACK_SECRET_KEY changed?" in result.output


def test_the_embedded_store_creates_its_key_and_says_so_in_japanese(sqlite_settings):
    """Without a configured key the embedded store writes secret.key and announces it once."""
    provider_settings = _with_organisation(sqlite_settings)
    first = run("issuer", "keys", "create", "--organisation", SLUG, settings=provider_settings,
                secret=None, lang="ja")
    assert first.exit_code == 0, first.output
    assert "秘密鍵を" in first.stderr and "secret.key" in first.stderr
    assert "作成しました" in first.stdout
    second = run("issuer", "keys", "rotate", "--organisation", SLUG,
                 settings=provider_settings, secret=None)
    assert second.exit_code == 0, second.output
    assert "secret.key" not in second.stderr
    assert stat.S_IMODE((provider_settings.data_dir / "secret.key").stat().st_mode) == 0o600
