"""Skills and levels (issue 17): competency frameworks (CASE documents, items and
associations as received), the label layer the operator edits, and the alignments of
programmes' learning outcomes to framework items (``tables/skills.py``).

Revision ID: 0023_skills
Revises: 0025_oid4vc
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0023_skills"
down_revision = "0025_oid4vc"
branch_labels = None
depends_on = None

URI = sa.String(1000)


def upgrade() -> None:
    create_table(
        "skill_frameworks",
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("uri", URI, nullable=False),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("creator", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("imported_at", STAMP, nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("identifier", name="uq_skill_frameworks_identifier"),
    )
    create_table(
        "skill_items",
        sa.Column("framework_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("uri", URI, nullable=False),
        sa.Column("label", sa.String(1000), nullable=False),
        sa.Column("code", sa.String(200)),
        sa.Column("language", sa.String(16)),
        sa.Column("raw", sa.Text, nullable=False),
        foreign_key("skill_items", "framework_id", "skill_frameworks", ondelete="CASCADE"),
        sa.UniqueConstraint("identifier", name="uq_skill_items_identifier"),
    )
    op.create_index("ix_skill_items_uri", "skill_items", ["uri"])
    op.create_index("ix_skill_items_framework_position", "skill_items",
                    ["framework_id", "position"])
    create_table(
        "skill_associations",
        sa.Column("framework_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("identifier", sa.String(200), nullable=False),
        sa.Column("association_type", sa.String(100), nullable=False),
        sa.Column("origin_uri", URI, nullable=False),
        sa.Column("destination_uri", URI, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        foreign_key("skill_associations", "framework_id", "skill_frameworks",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("identifier", name="uq_skill_associations_identifier"),
    )
    op.create_index("ix_skill_associations_framework_position", "skill_associations",
                    ["framework_id", "position"])
    create_table(
        "skill_labels",
        sa.Column("item_uri", URI, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("label", sa.String(1000), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.UniqueConstraint("item_uri", "language", name="uq_skill_labels_item"),
    )
    create_table(
        "skill_alignments",
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("outcome", sa.Integer, nullable=False),
        sa.Column("item_uri", URI, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", STAMP, nullable=False),
        foreign_key("skill_alignments", "programme_id", "programmes", ondelete="CASCADE"),
        sa.UniqueConstraint("programme_id", "outcome", "item_uri",
                            name="uq_skill_alignments_outcome_item"),
        sa.CheckConstraint("state IN ('suggested', 'confirmed')",
                           name="ck_skill_alignments_state"),
    )
    op.create_index("ix_skill_alignments_item", "skill_alignments", ["item_uri"])
    op.create_index("ix_skill_alignments_programme_id", "skill_alignments", ["programme_id"])


def downgrade() -> None:
    for table in ("skill_alignments", "skill_labels", "skill_associations", "skill_items",
                  "skill_frameworks"):
        op.drop_table(table)
