"""Outgoing e-mail: the outbox, one row per message with a unique event key, and the
organisations' sender names (``tables/mail.py``).

Revision ID: 0015_mail
Revises: 0014_jobs
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0015_mail"
down_revision = "0014_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "mail_outbox",
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("organisation", sa.String(64)),
        sa.Column("sender_name", sa.String(200)),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("context", JSON_DOCUMENT, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", STAMP),
        sa.Column("last_error", sa.Text),
        sa.Column("subject", sa.String(998)),
        sa.Column("message_id", sa.String(255)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("sent_at", STAMP),
        sa.Column("bounced_at", STAMP),
        sa.UniqueConstraint("event_key", name="uq_mail_outbox_event_key"),
        sa.CheckConstraint("state IN ('pending', 'sent', 'failed', 'bounced')",
                           name="ck_mail_outbox_state"),
    )
    op.create_index("ix_mail_outbox_state_next_attempt_at", "mail_outbox",
                    ["state", "next_attempt_at"])
    op.create_index("ix_mail_outbox_organisation", "mail_outbox", ["organisation"])
    op.create_index("ix_mail_outbox_message_id", "mail_outbox", ["message_id"])
    create_table(
        "mail_senders",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("mail_senders", "organisation_id", "organisations", ondelete="CASCADE"),
        sa.UniqueConstraint("organisation_id", name="uq_mail_senders_organisation_id"),
    )


def downgrade() -> None:
    op.drop_table("mail_senders")
    op.drop_index("ix_mail_outbox_message_id", "mail_outbox")
    op.drop_index("ix_mail_outbox_organisation", "mail_outbox")
    op.drop_index("ix_mail_outbox_state_next_attempt_at", "mail_outbox")
    op.drop_table("mail_outbox")
