"""Issued credentials' date of issue, as a column in the workspace's search index: the
issuer's list, its filter and its CSV export read the day the credential states
(``validFrom``, a cohort row's ``issued_on``) — the day its learner's e-mail, PDF and pages
read — instead of the moment the issuance job signed it (issue 51).

The column is filled from each stored document, a thousand rows at a time; a document that
states no date of issue is dated the day it was signed. The column stays nullable: making it
NOT NULL would copy the table on SQLite, and the copy's drop would cascade to the offers and
activity that refer to its credentials.

Revision ID: 0046_credential_issued_on
Revises: 0045_skills_rejected
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from credstack.core.wallet.sameness import date_of_issue

revision = "0046_credential_issued_on"
down_revision = "0045_skills_rejected"
branch_labels = None
depends_on = None

#: Rows read and written per round trip while filling the column.
_BATCH = 1000
_SEARCH = "ix_issued_credentials_search"
_SEARCHED = ("organisation_id", "state", "programme_version_id", "{}", "batch", "learner",
             "learner_name")


def _signed_day(value: dt.datetime | str) -> dt.date:
    """The UTC day of a stored ``issued_at`` (SQLite returns the text it keeps)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment.astimezone(dt.UTC) if moment.tzinfo else moment).date()


def upgrade() -> None:
    with op.batch_alter_table("issued_credentials") as table:
        table.add_column(sa.Column("issued_on", sa.Date, nullable=True))
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(sa.text(
            "SELECT id, document, issued_at FROM issued_credentials WHERE id > :after "
            "ORDER BY id LIMIT :batch"), {"after": after, "batch": _BATCH}).all()
        if not rows:
            break
        after = rows[-1][0]
        connection.execute(sa.text(
            "UPDATE issued_credentials SET issued_on = :day WHERE id = :id"
        ).bindparams(sa.bindparam("day", type_=sa.Date)), [
            {"id": row_id, "day": date_of_issue(document) or _signed_day(issued_at)}
            for row_id, document, issued_at in rows])
    op.drop_index(_SEARCH, table_name="issued_credentials")
    op.create_index(_SEARCH, "issued_credentials",
                    [name.format("issued_on") for name in _SEARCHED])


def downgrade() -> None:
    op.drop_index(_SEARCH, table_name="issued_credentials")
    with op.batch_alter_table("issued_credentials") as table:
        table.drop_column("issued_on")
    op.create_index(_SEARCH, "issued_credentials",
                    [name.format("issued_at") for name in _SEARCHED])
