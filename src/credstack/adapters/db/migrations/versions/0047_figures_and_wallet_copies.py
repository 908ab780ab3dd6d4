"""Old stores: each wallet keeps one entry per credential, and the platform's figures are
counted again from the rows they count (issue 51).

A wallet used to keep a credential a second time when it came again in another form (a
baked PNG of a credential held as JSON: the totals doubled, the credit bank offered both).
Each wallet's entries stating one credential id are compared as an import now is
(:func:`credstack.core.wallet.sameness.copies`): a copy is merged into the entry kept first —
its tags, collections, share links, public profile and credit deposits move to that entry
(where the kept one is not there already; a deposit of both keeps its own, its wallet
entry cleared as removing it would) — and removed. A PDF certificate, whose credential only
the certificate service reads, is taken for the credential of the entry kept first, as an
import of one is.

The figures' counters (``platform_counters``, raised as events happen since 0032) are then
written again from the stored rows, month by month (UTC): organisations made, programme
versions published, credentials issued, wallet entries, share links made, verifications
(each credential's count, in the month of its last), recognitions granted and credit
applications decided — so an old store's console shows its history, and the merged copies
are counted once. Downgrading leaves both as they are (nothing to undo).

Revision ID: 0047_figures_and_wallet_copies
Revises: 0046_credential_issued_on
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op

from credstack.core.credentials.baking_png import extract_png
from credstack.core.credentials.baking_svg import extract_svg
from credstack.core.verification.elm.steps import sealed_credential
from credstack.core.verification.json_values import jws_payload
from credstack.core.wallet.sameness import Held, copies
from credstack.errors import CredstackError

revision = "0047_figures_and_wallet_copies"
down_revision = "0046_credential_issued_on"
branch_labels = None
depends_on = None

#: Each figure: the moments it counts (a query of one or two columns: when, how many).
_FIGURES = {
    "organisations": "SELECT created_at FROM organisations",
    "programmes": "SELECT published_at FROM programme_versions WHERE published_at IS NOT NULL",
    "issued": "SELECT issued_at FROM issued_credentials",
    "claimed": "SELECT imported_at FROM wallet_credentials",
    "shared": "SELECT created_at FROM wallet_shares",
    "verified": "SELECT verified_last, verified_count FROM credential_activity "
                "WHERE verified_count > 0 AND verified_last IS NOT NULL",
    "recognitions": "SELECT created_at FROM recognitions",
    "creditbank": "SELECT decided_at FROM credit_applications "
                  "WHERE state IN ('approved', 'refused') AND decided_at IS NOT NULL",
}
#: The tables that name a wallet entry, and what makes a row of them unique besides it.
_NAMING = (("wallet_tags", "credential_id", "tag"),
           ("wallet_collection_items", "credential_id", "collection_id"),
           ("public_profile_items", "credential_id", "profile_id"),
           ("wallet_shares", "credential_id", None))
_PNG = b"\x89PNG\r\n\x1a\n"


def _month(value: dt.datetime | str) -> str:
    """The UTC month of a stored moment (SQLite returns the text it keeps)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.year:04d}-{moment.month:02d}"


def _document(original: bytes, kind: str) -> Mapping[str, Any] | None:
    """The credential a wallet entry holds, as JSON (a VC-JWT's claims); ``None`` when it
    cannot be read here."""
    try:
        if kind == "image":
            text = (extract_png(original) if original.startswith(_PNG)
                    else extract_svg(original)).text
        else:
            text = original.decode("utf-8").strip().removeprefix("\ufeff")
        document = json.loads(text) if text.startswith("{") else jws_payload(text)
    except (CredstackError, ValueError, RecursionError):
        # An entry whose file cannot be read here is kept apart, never lost.
        return None
    if kind == "edc" and isinstance(document, Mapping):
        document = sealed_credential(document)
    return document if isinstance(document, Mapping) else None


def _merge(connection: sa.Connection, copy: int, kept: int) -> None:
    """Move what names wallet entry ``copy`` to ``kept`` (unless ``kept`` has it), then
    remove ``copy`` and what is left naming it."""
    for table, column, unique in _NAMING:
        if unique is None:
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :kept "  # noqa: S608
                                       f"WHERE {column} = :copy"), {"kept": kept, "copy": copy})
            continue
        connection.execute(sa.text(
            f"UPDATE {table} SET {column} = :kept WHERE {column} = :copy AND {unique} NOT IN "  # noqa: S608
            f"(SELECT {unique} FROM {table} WHERE {column} = :kept)"),
            {"kept": kept, "copy": copy})
        connection.execute(sa.text(f"DELETE FROM {table} WHERE {column} = :copy"),  # noqa: S608
                           {"copy": copy})
    connection.execute(sa.text(
        "UPDATE credit_deposits SET wallet_credential_id = :kept, wallet_public_id = "
        "(SELECT public_id FROM wallet_credentials WHERE id = :kept) WHERE "
        "wallet_credential_id = :copy AND account_id NOT IN (SELECT account_id FROM "
        "credit_deposits WHERE wallet_credential_id = :kept)"), {"kept": kept, "copy": copy})
    connection.execute(sa.text(
        "UPDATE credit_deposits SET wallet_credential_id = NULL WHERE wallet_credential_id "
        "= :copy"), {"copy": copy})
    connection.execute(sa.text("DELETE FROM wallet_credentials WHERE id = :copy"),
                       {"copy": copy})


def _merge_copies(connection: sa.Connection) -> None:
    groups = connection.execute(sa.text(
        "SELECT user_id, credential_id FROM wallet_credentials WHERE credential_id IS NOT "
        "NULL GROUP BY user_id, credential_id HAVING count(*) > 1")).all()
    for user_id, credential_id in groups:
        rows = connection.execute(sa.text(
            "SELECT id, kind, original FROM wallet_credentials WHERE user_id = :user AND "
            "credential_id = :credential ORDER BY id"),
            {"user": user_id, "credential": credential_id}).all()
        held = [Held(row_id, None, container=True) if kind == "pdf"
                else Held(row_id, _document(bytes(original), kind))
                for row_id, kind, original in rows]
        for copy, kept in copies(held, credential_id=credential_id).items():
            _merge(connection, copy, kept)


def _count_again(connection: sa.Connection) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for figure, query in _FIGURES.items():
        for row in connection.execute(sa.text(query)):
            counts[(figure, _month(row[0]))] += int(row[1]) if len(row) > 1 else 1
    connection.execute(sa.text("DELETE FROM platform_counters"))
    if counts:
        connection.execute(sa.text(
            "INSERT INTO platform_counters (figure, month, count) VALUES "
            "(:figure, :month, :count)"),
            [{"figure": figure, "month": month, "count": count}
             for (figure, month), count in sorted(counts.items())])


def upgrade() -> None:
    connection = op.get_bind()
    _merge_copies(connection)
    _count_again(connection)


def downgrade() -> None:
    """Nothing to undo: the copies were the same credentials, and the counters count."""
