"""Issuer keys: sealed at rest, bound to their organisation, rotated without breaking the past."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters import keystore
from credstack.adapters.db.repositories import keys as store
from credstack.adapters.db.repositories.organisations import create_organisation
from credstack.core.crypto import KeyPair, KeyType, decode_public_key, encode_secret_key
from credstack.core.descriptors import parse_organisation
from credstack.errors import ConflictError, KeyStoreError, NotFoundError
from credstack.settings import Settings
from tests.accounts import store_sessions
from tests.helpers import organisation

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=30)
PUBLIC_URL = "https://credstack.example.ac.jp"
ORG = "hokuto-tech"
OTHER = "minato-college"
#: The key types an organisation's key store holds (the others are only read in credentials).
ISSUING_KEY_TYPES = [KeyType.ED25519, KeyType.P256]


@pytest.fixture
def master() -> keystore.MasterKey:
    return keystore.MasterKey.from_text(keystore.new_master_key_text(), source="test")


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    with store_sessions(settings) as factory:
        with factory() as session, session.begin():
            for slug in (ORG, OTHER):
                create_organisation(session, now=NOW,
                                    organisation=parse_organisation(organisation(slug=slug)))
        yield factory


def _create(sessions: sessionmaker[Session], master: keystore.MasterKey,
            key_type: KeyType = KeyType.ED25519, slug: str = ORG) -> store.PublicKeyInfo:
    with sessions() as session, session.begin():
        return store.create_key(session, organisation=slug, key_type=key_type, now=NOW,
                                secret=master)


def _rotate(sessions: sessionmaker[Session], master: keystore.MasterKey,
            key_type: KeyType = KeyType.ED25519) -> store.PublicKeyInfo:
    with sessions() as session, session.begin():
        return store.rotate_key(session, organisation=ORG, key_type=key_type, now=LATER,
                                secret=master)


def _active(sessions: sessionmaker[Session], master: keystore.MasterKey,
            key_type: KeyType = KeyType.ED25519, slug: str = ORG,
            public_url: str | None = PUBLIC_URL) -> tuple[str, KeyPair]:
    with sessions() as session:
        return store.active_key_pair(session, organisation=slug, key_type=key_type,
                                     secret=master, public_url=public_url)


def _raw_rows(sessions: sessionmaker[Session]) -> list[dict]:
    with sessions() as session:
        return [dict(row._mapping) for row in session.execute(text("SELECT * FROM issuer_keys"))]


def _secret_forms(key_pair: KeyPair) -> list[bytes]:
    """Every spelling of a secret that could betray it in storage."""
    raw = key_pair.secret_bytes()
    return [raw, raw.hex().encode(), base64.b64encode(raw).rstrip(b"="),
            base64.urlsafe_b64encode(raw).rstrip(b"="), encode_secret_key(key_pair).encode()]


@pytest.mark.parametrize("key_type", ISSUING_KEY_TYPES)
def test_the_secret_is_stored_only_sealed(sessions, master, key_type):
    """Read with SQL, the row holds neither the secret bytes nor any encoding of them."""
    _create(sessions, master, key_type)
    _, key_pair = _active(sessions, master, key_type)
    (row,) = _raw_rows(sessions)
    assert len(bytes(row["nonce"])) == 12
    assert len(bytes(row["encrypted_secret"])) == 32 + 16  # the secret and the GCM tag
    stored = b"".join(str(v).encode() if not isinstance(v, bytes | memoryview) else bytes(v)
                      for v in row.values())
    for form in _secret_forms(key_pair):
        assert form not in stored
    assert row["master_key_id"] == master.id


def test_each_key_gets_its_own_nonce(sessions, master):
    """Two keys sealed with the same master key never share a nonce."""
    _create(sessions, master, KeyType.ED25519)
    _create(sessions, master, KeyType.P256)
    nonces = {bytes(row["nonce"]) for row in _raw_rows(sessions)}
    assert len(nonces) == 2


def test_another_master_key_does_not_open_the_store(sessions, master):
    """A different master key is told apart from tampering, and names the setting to check."""
    _create(sessions, master)
    other = keystore.MasterKey.from_text(keystore.new_master_key_text(), source="test")
    with pytest.raises(KeyStoreError, match="was CREDSTACK_SECRET_KEY changed"):
        _active(sessions, other)


def test_a_master_key_with_a_forged_id_still_does_not_open_the_store(sessions, master):
    """With the id check out of the way, AES-GCM itself refuses the wrong key."""
    _create(sessions, master)
    other = keystore.MasterKey.from_text(keystore.new_master_key_text(), source="test")
    with sessions() as session, session.begin():
        session.execute(text("UPDATE issuer_keys SET master_key_id = :id"), {"id": other.id})
    with pytest.raises(KeyStoreError, match="does not decrypt"):
        _active(sessions, other)


def test_a_row_moved_to_another_organisation_does_not_decrypt(sessions, master):
    """The ciphertext is bound to its organisation: moved elsewhere, it cannot sign."""
    _create(sessions, master)
    with sessions() as session, session.begin():
        session.execute(text(
            "UPDATE issuer_keys SET organisation_id = "
            "(SELECT id FROM organisations WHERE slug = :slug)"), {"slug": OTHER})
    with pytest.raises(KeyStoreError, match=f"key-1 of {OTHER} does not decrypt"):
        _active(sessions, master, slug=OTHER)


@pytest.mark.parametrize(("column", "value"), [("fragment", "key-9"), ("key_type", "P-256")])
def test_a_row_relabelled_does_not_decrypt(sessions, master, column, value):
    """Changing the fragment or key type of a sealed row makes it unreadable."""
    _create(sessions, master)
    with sessions() as session, session.begin():
        session.execute(text(f"UPDATE issuer_keys SET {column} = :value"), {"value": value})
    key_type = KeyType(value) if column == "key_type" else KeyType.ED25519
    with pytest.raises(KeyStoreError, match="does not decrypt"):
        _active(sessions, master, key_type)


def test_a_swapped_public_key_does_not_decrypt(sessions, master):
    """The public key is bound too: a substituted one cannot be paired with the secret."""
    _create(sessions, master)
    _create(sessions, master, slug=OTHER)
    with sessions() as session, session.begin():
        session.execute(text(
            "UPDATE issuer_keys SET public_multibase = (SELECT public_multibase FROM issuer_keys "
            "WHERE organisation_id = (SELECT id FROM organisations WHERE slug = :other)) "
            "WHERE organisation_id = (SELECT id FROM organisations WHERE slug = :org)"),
            {"other": OTHER, "org": ORG})
    with pytest.raises(KeyStoreError, match="does not decrypt"):
        _active(sessions, master)


def test_the_database_allows_one_active_key_per_type(sessions, master):
    """A second active row of the same type is refused by the partial unique index."""
    _create(sessions, master)
    (row,) = _raw_rows(sessions)
    row = {**row, "id": None, "fragment": "key-2"}
    columns = [c for c in row if c != "id"]
    statement = text(f"INSERT INTO issuer_keys ({', '.join(columns)}) "
                     f"VALUES ({', '.join(':' + c for c in columns)})")
    with pytest.raises(IntegrityError), sessions() as session, session.begin():
        session.execute(statement, row)
    retired = {**row, "retired_at": NOW}
    with sessions() as session, session.begin():
        session.execute(statement, retired)  # a retired one beside it is fine
    assert len(_raw_rows(sessions)) == 2


def test_create_is_refused_when_an_active_key_of_that_type_exists(sessions, master):
    """A second create of the same type is a conflict; another type is a new key."""
    first = _create(sessions, master)
    with pytest.raises(ConflictError, match="rotate"):
        _create(sessions, master)
    second = _create(sessions, master, KeyType.P256)
    assert (first.fragment, second.fragment) == ("key-1", "key-2")
    assert second.public_multibase.startswith("zDn")


def test_unknown_organisations_and_missing_keys_are_not_found(sessions, master):
    """No such organisation, or no key to rotate or sign with, is a NotFoundError."""
    with pytest.raises(NotFoundError, match="nowhere"):
        _create(sessions, master, slug="nowhere")
    with pytest.raises(NotFoundError, match="no active Ed25519 key to rotate"):
        _rotate(sessions, master)
    with pytest.raises(NotFoundError, match="credstack issuer keys create"):
        _active(sessions, master)


@pytest.mark.parametrize("key_type", ISSUING_KEY_TYPES)
def test_rotation_keeps_old_signatures_verifying(sessions, master, key_type):
    """After a rotation a new key signs, and the DID document still verifies the old one."""
    _create(sessions, master, key_type)
    old_method, old_pair = _active(sessions, master, key_type)
    signature = old_pair.sign(b"a credential signed before the rotation")
    rotated = _rotate(sessions, master, key_type)
    new_method, new_pair = _active(sessions, master, key_type)
    assert new_method != old_method and new_method.endswith(f"#{rotated.fragment}")
    assert new_pair.public_key != old_pair.public_key
    with sessions() as session:
        document = store.did_document(session, organisation=ORG, public_url=PUBLIC_URL)
        listed = store.public_keys(session, organisation=ORG)
    methods = {m["id"]: m for m in document["verificationMethod"]}
    # Each key is listed twice: as Multikey and as JsonWebKey (``#key-N-jwk``).
    assert set(methods) == {old_method, new_method, f"{old_method}-jwk", f"{new_method}-jwk"}
    assert set(document["assertionMethod"]) == set(methods)
    assert set(document["authentication"]) == {new_method, f"{new_method}-jwk"}
    decode_public_key(methods[old_method]["publicKeyMultibase"]).verify(
        signature, b"a credential signed before the rotation")
    assert [(k.fragment, k.active, k.retired_at) for k in listed] == [
        ("key-1", False, LATER), ("key-2", True, None)]


def test_signing_methods_name_the_did_web_or_the_did_key(sessions, master):
    """With the public URL the method is the organisation's did:web one, else the did:key."""
    _create(sessions, master)
    web_method, key_pair = _active(sessions, master)
    assert web_method == ("did:web:credstack.example.ac.jp:organisations:hokuto-tech#key-1")
    key_method, _ = _active(sessions, master, public_url=None)
    with sessions() as session:
        (info,) = store.public_keys(session, organisation=ORG)
    assert key_method == info.did_key_method and key_method.startswith("did:key:z6Mk")
    assert info.public_key == key_pair.public_key


def test_a_wrong_master_key_cannot_add_or_rotate_keys(sessions, master):
    """Keys are never sealed with two master keys, and a failed rotation changes nothing."""
    _create(sessions, master)
    other = keystore.MasterKey.from_text(keystore.new_master_key_text(), source="test")
    with pytest.raises(KeyStoreError, match="was CREDSTACK_SECRET_KEY changed"):
        _create(sessions, other, KeyType.P256)
    with pytest.raises(KeyStoreError, match="was CREDSTACK_SECRET_KEY changed"):
        _rotate(sessions, other)
    with sessions() as session:
        assert [k.active for k in store.public_keys(session, organisation=ORG)] == [True]


def test_a_did_document_needs_a_key(sessions):
    """An organisation without keys has no DID document yet, and is told how to make one."""
    with pytest.raises(NotFoundError, match="issuer keys create"), sessions() as session:
        store.did_document(session, organisation=ORG, public_url=PUBLIC_URL)


# --- where the master key comes from ---------------------------------------------------------

def test_a_missing_master_key_says_how_to_make_one(tmp_path):
    """A server database without a configured key fails, naming the command and settings."""
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://db/credstack")
    with pytest.raises(KeyStoreError) as caught:
        keystore.load_master_key(settings)
    message = str(caught.value)
    assert "credstack keys secret" in message and "CREDSTACK_SECRET_KEY" in message
    assert "CREDSTACK_SECRET_KEY_FILE" in message
    assert not (tmp_path / keystore.KEY_FILE_NAME).exists()


def test_an_explicit_sqlite_url_gets_no_implicit_key(tmp_path):
    """Only the embedded default store creates a key file by itself."""
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/elsewhere.db")
    with pytest.raises(KeyStoreError, match="credstack keys secret"):
        keystore.load_master_key(settings)


def test_the_embedded_store_creates_a_private_key_file_once(sqlite_settings):
    """First use writes <data dir>/secret.key (0600) and announces it; later uses read it."""
    announced: list[Path] = []
    before = {p.name for p in sqlite_settings.data_dir.iterdir()}  # the migrated store
    first = keystore.load_master_key(sqlite_settings, announce=announced.append)
    second = keystore.load_master_key(sqlite_settings, announce=announced.append)
    path = sqlite_settings.data_dir / keystore.KEY_FILE_NAME
    assert announced == [path.resolve()]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.id == second.id
    assert {p.name for p in path.parent.iterdir()} - before == {keystore.KEY_FILE_NAME}


def test_the_master_key_can_come_from_a_file(tmp_path):
    """CREDSTACK_SECRET_KEY_FILE names a file holding the key text."""
    text_ = keystore.new_master_key_text()
    path = tmp_path / "secret.key"
    keystore.write_key_file(path, text_)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://db/x",
                        secret_key_file=path)
    assert keystore.load_master_key(settings).id == \
        keystore.MasterKey.from_text(text_, source="test").id
    with pytest.raises(KeyStoreError, match="never overwrites"):
        keystore.write_key_file(path, keystore.new_master_key_text())


@pytest.mark.parametrize("value", ["not-a-key", "A" * 42, "A" * 44, "+" * 43, "é" * 43])
def test_a_malformed_master_key_is_refused_without_echoing_it(tmp_path, value):
    """A wrong-length or non-base64url key is a KeyStoreError that does not repeat the value."""
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://db/x",
                        secret_key=value)
    with pytest.raises(KeyStoreError, match="CREDSTACK_SECRET_KEY does not hold") as caught:
        keystore.load_master_key(settings)
    assert value not in str(caught.value)


def test_a_missing_key_file_and_two_sources_are_refused(tmp_path):
    """An unreadable key file, or both settings at once, are clear errors."""
    missing = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://db/x",
                       secret_key_file=tmp_path / "absent.key")
    with pytest.raises(KeyStoreError, match="Cannot read the secret key file"):
        keystore.load_master_key(missing)
    both = dataclasses.replace(missing, secret_key=keystore.new_master_key_text())
    with pytest.raises(KeyStoreError, match="set only one"):
        keystore.load_master_key(both)


def test_secrets_do_not_show_in_reprs(tmp_path, master):
    """Neither the settings nor the master key nor a sealed key print their secrets."""
    value = keystore.new_master_key_text()
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", secret_key=value)
    assert value not in repr(settings)
    assert repr(master) == f"MasterKey(id={master.id!r})"
    sealed = keystore.seal_new_key(master, key_type=KeyType.ED25519, organisation=ORG,
                                   fragment="key-1")
    assert "nonce" not in repr(sealed) and "ciphertext" not in repr(sealed)
