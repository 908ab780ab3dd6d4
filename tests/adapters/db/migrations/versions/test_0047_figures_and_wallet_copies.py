"""Migration 0047_figures_and_wallet_copies, on SQLite and PostgreSQL: a wallet's second
entry of one credential (its JSON written again, its VC-JWT claims, a PDF certificate of it)
is merged into the first, which gains its tags, collection, share link and credit deposit; a newer
representation, another wallet's entry and another issuer's credential of that id stay;
the figures' counters are the stored rows' counts by month, stale ones gone."""

from __future__ import annotations

import base64
import json

import sqlalchemy as sa
from alembic import command

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import NOW, _config

HELD = {"id": "urn:uuid:1", "issuer": {"id": "did:web:a"}, "validFrom": "2026-03-31T00:00:00Z",
        "name": "Data science"}


def _jwt(payload: dict[str, object]) -> bytes:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'EdDSA'})}.{part(payload)}.c2ln".encode()


#: (user, kind, file) of each wallet entry, in the order they were kept.
ENTRIES = [
    (1, "vc", json.dumps(HELD).encode()),
    (1, "vc", json.dumps(HELD, indent=2).encode()),
    (1, "vc", _jwt({"jti": "urn:uuid:1", "iss": "did:web:a",
                    "vc": {"validFrom": "2026-03-31T00:00:00Z"}})),
    (1, "pdf", b"%PDF-1.7 a certificate"),
    (1, "vc", json.dumps({**HELD, "validFrom": "2026-04-30T00:00:00Z"}).encode()),
    (1, "vc", json.dumps({**HELD, "issuer": "did:web:b"}).encode()),
    (2, "vc", json.dumps(HELD).encode()),
]


def _store_before(connection: sa.Connection) -> list[int]:
    for user in (1, 2):
        connection.execute(sa.text(
            "INSERT INTO users (id, email, display_name, password_hash, disabled, created_at) "
            "VALUES (:id, :email, 'A', 'x', false, :now)"),
            {"id": user, "email": f"u{user}@example.org", "now": NOW})
    connection.execute(sa.text(
        "INSERT INTO organisations (id, slug, kind, name, country, created_at, updated_at) "
        "VALUES (1, 'o', 'university', '{}', 'JP', :now, :now)"), {"now": NOW})
    connection.execute(sa.text(
        "INSERT INTO status_lists (id, organisation_id, number, size, used, allocated, "
        "revocation, suspension, published, created_at, changed_at) "
        "VALUES (1, 1, 1, 8, 1, :bits, :bits, :bits, '{}', :now, :now)"),
        {"now": NOW, "bits": b"\0"})
    connection.execute(sa.text(
        "INSERT INTO issued_credentials (credential_id, organisation_id, securing, document, "
        "status_list_id, status_index, purposes, state, issued_at, issued_on) VALUES "
        "('urn:uuid:1', 1, 'vc-jwt', '{}', 1, 0, 'revocation', 'active', :now, '2026-03-31')"),
        {"now": NOW})
    ids = []
    for number, (user, kind, original) in enumerate(ENTRIES):
        ids.append(connection.scalar(sa.text(
            "INSERT INTO wallet_credentials (public_id, user_id, original, digest, media_type, "
            "kind, source, credential_id, imported_at, import_report, entry, outcome, "
            "checked_at, note) VALUES (:public, :user, :original, :digest, 'x', :kind, "
            "'upload', 'urn:uuid:1', :now, '{}', '{}', 'verified', :now, '') RETURNING id"),
            {"public": f"p{number}", "user": user, "original": original,
             "digest": f"{number:064d}", "kind": kind, "now": NOW}))
    first, second = ids[0], ids[1]
    for credential, tag in ((first, "data"), (second, "data"), (second, "science")):
        connection.execute(sa.text("INSERT INTO wallet_tags (credential_id, tag) VALUES "
                                   "(:id, :tag)"), {"id": credential, "tag": tag})
    connection.execute(sa.text(
        "INSERT INTO wallet_collections (public_id, user_id, name, description, created_at) "
        "VALUES ('c1', 1, 'For employers', '', :now)"), {"now": NOW})
    connection.execute(sa.text(
        "INSERT INTO wallet_collection_items (collection_id, credential_id, added_at) "
        "SELECT id, :id, :now FROM wallet_collections"), {"id": second, "now": NOW})
    connection.execute(sa.text(
        "INSERT INTO wallet_shares (token_hash, user_id, credential_id, label, created_at, "
        "views) VALUES (:hash, 1, :id, '', :now, 0)"), {"hash": "s" * 64, "id": ids[2],
                                                        "now": NOW})
    connection.execute(sa.text(
        "INSERT INTO credit_accounts (id, user_id, opened_at) VALUES (1, 1, :now)"),
        {"now": NOW})
    connection.execute(sa.text(
        "INSERT INTO credit_deposits (public_id, account_id, wallet_credential_id, "
        "wallet_public_id, credential, kind, route, entry, outcome, deposited_at) VALUES "
        "('d1', 1, :id, 'p3', 'urn:uuid:1', 'credential', 'mc', '{}', 'verified', :now)"),
        {"id": ids[3], "now": NOW})
    # Counters an old store kept: none of the issued credential, a verification of nothing.
    connection.execute(sa.text(
        "INSERT INTO platform_counters (figure, month, count) VALUES ('verified', '2025-01', "
        "5), ('organisations', '2026-04', 0)"))
    return ids


def test_copies_are_merged_and_the_figures_counted_from_the_rows(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0046_credential_issued_on")
            ids = _store_before(connection)
        migrate(engine)
        with engine.connect() as connection:
            kept = [row_id for (row_id,) in connection.execute(sa.text(
                "SELECT id FROM wallet_credentials ORDER BY id"))]
            assert kept == [ids[0], ids[4], ids[5], ids[6]]
            assert sorted(connection.execute(sa.text(
                "SELECT credential_id, tag FROM wallet_tags")).all()) == [
                (ids[0], "data"), (ids[0], "science")]
            assert connection.scalar(sa.text(
                "SELECT credential_id FROM wallet_collection_items")) == ids[0]
            assert connection.scalar(sa.text(
                "SELECT credential_id FROM wallet_shares")) == ids[0]
            assert connection.execute(sa.text(
                "SELECT wallet_credential_id, wallet_public_id FROM credit_deposits")).one() \
                == (ids[0], "p0")
            counters = dict(((figure, month), count) for figure, month, count in
                            connection.execute(sa.text(
                                "SELECT figure, month, count FROM platform_counters")))
        assert counters == {("organisations", "2026-04"): 1, ("issued", "2026-04"): 1,
                            ("claimed", "2026-04"): 4, ("shared", "2026-04"): 1}
    finally:
        engine.dispose()
