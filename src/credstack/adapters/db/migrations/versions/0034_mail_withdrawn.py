"""Mail withdrawn: an outbox message may be ``withdrawn`` (never to be sent, kept on record).

A revoked credential's "issued" e-mail that had not gone yet used to be deleted from the
outbox; it is now kept, marked withdrawn, so the outbox shows what was never sent and why.
Downgrading deletes the withdrawn messages (the state they are in does not exist before).

Revision ID: 0034_mail_withdrawn
Revises: 0033_credential_activity
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_mail_withdrawn"
down_revision = "0033_credential_activity"
branch_labels = None
depends_on = None

_BEFORE = "state IN ('pending', 'sent', 'failed', 'bounced')"
_AFTER = "state IN ('pending', 'sent', 'failed', 'bounced', 'withdrawn')"


def _state_check(condition: str) -> None:
    # The old constraint is dropped by the name the database gave it (SQLite's tables, made
    # in batch mode, hold it as ck_mail_outbox_ck_mail_outbox_state: the naming convention
    # prefixed the given name again). Batch mode: SQLite changes a CHECK constraint only by
    # copying the table (PostgreSQL alters it in place). op.f: the new name as given.
    [old] = [check["name"] for check in sa.inspect(op.get_bind()).get_check_constraints(
        "mail_outbox") if "state" in check["sqltext"] and check["name"]]
    with op.batch_alter_table("mail_outbox") as table:
        table.drop_constraint(op.f(old), type_="check")
        table.create_check_constraint(op.f("ck_mail_outbox_state"), sa.text(condition))


def upgrade() -> None:
    _state_check(_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM mail_outbox WHERE state = 'withdrawn'")
    _state_check(_BEFORE)
