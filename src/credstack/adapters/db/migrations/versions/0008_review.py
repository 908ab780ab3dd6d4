"""Recognition applications, evidence, assignments, reviews and decisions.

The tables of the review process: ``applications`` (public random ids, a ``version`` every
change compares and swaps), ``evidence_files`` (content with its SHA-256, unique per
application), ``assignments`` (with the conflict-of-interest declaration), ``reviews`` (one per
evaluator), ``review_messages`` (information requests, answers, appeal grounds, withdrawal
reasons), ``decisions`` (with the copies the transparency page shows and searches) and
``notifications`` (reminders, once per user and key). Models:
``credstack.adapters.db.repositories.review``.

Revision ID: 0008_review
Revises: 0007_recognitions
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0008_review"
down_revision = "0007_recognitions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "applications",
        sa.Column("public_id", sa.String(40), nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("programme_version", sa.Integer, nullable=False),
        sa.Column("recognition_body_id", sa.Integer, nullable=False),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("renewal_of", sa.String(64)),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("state_entered_at", STAMP, nullable=False),
        sa.Column("due_at", STAMP),
        sa.Column("self_evaluation", JSON_DOCUMENT, nullable=False),
        sa.Column("findings", JSON_DOCUMENT, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("created_by", sa.Integer),
        sa.UniqueConstraint("public_id", name="uq_applications_public_id"),
        foreign_key("applications", "organisation_id", "organisations"),
        foreign_key("applications", "programme_id", "programmes"),
        foreign_key("applications", "recognition_body_id", "organisations"),
        sa.CheckConstraint("kind IN ('initial', 'renewal')", name="ck_applications_kind"),
        sa.CheckConstraint("version >= 1", name="ck_applications_version_positive"),
    )
    op.create_index("ix_applications_organisation_id", "applications", ["organisation_id"])
    op.create_index("ix_applications_programme_id", "applications", ["programme_id"])
    op.create_index("ix_applications_recognition_body_id", "applications",
                    ["recognition_body_id"])
    op.create_index("ix_applications_state", "applications", ["state"])

    create_table(
        "evidence_files",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.Integer),
        sa.Column("uploaded_at", STAMP, nullable=False),
        foreign_key("evidence_files", "application_id", "applications"),
        sa.UniqueConstraint("application_id", "sha256",
                            name="uq_evidence_files_application_sha256"),
        sa.CheckConstraint("size >= 0", name="ck_evidence_files_size"),
    )
    op.create_index("ix_evidence_files_application_id", "evidence_files", ["application_id"])

    create_table(
        "assignments",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("evaluator_id", sa.Integer, nullable=False),
        sa.Column("assigned_by", sa.Integer),
        sa.Column("assigned_at", STAMP, nullable=False),
        sa.Column("due_at", STAMP),
        sa.Column("declaration", sa.String(16)),
        sa.Column("declaration_statement", sa.Text),
        sa.Column("declared_at", STAMP),
        foreign_key("assignments", "application_id", "applications"),
        foreign_key("assignments", "evaluator_id", "users"),
        sa.UniqueConstraint("application_id", "evaluator_id",
                            name="uq_assignments_application_evaluator"),
        sa.CheckConstraint("declaration IS NULL OR declaration IN ('none', 'conflict')",
                           name="ck_assignments_declaration"),
    )
    op.create_index("ix_assignments_application_id", "assignments", ["application_id"])
    op.create_index("ix_assignments_evaluator_id", "assignments", ["evaluator_id"])

    create_table(
        "reviews",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("evaluator_id", sa.Integer, nullable=False),
        sa.Column("scores", JSON_DOCUMENT, nullable=False),
        sa.Column("comments", JSON_DOCUMENT, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("submitted_at", STAMP, nullable=False),
        foreign_key("reviews", "application_id", "applications"),
        foreign_key("reviews", "evaluator_id", "users"),
        sa.UniqueConstraint("application_id", "evaluator_id",
                            name="uq_reviews_application_evaluator"),
    )
    op.create_index("ix_reviews_application_id", "reviews", ["application_id"])

    create_table(
        "review_messages",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("author_id", sa.Integer),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", STAMP, nullable=False),
        foreign_key("review_messages", "application_id", "applications"),
        sa.CheckConstraint("kind IN ('information-request', 'answer', 'appeal', 'withdrawal')",
                           name="ck_review_messages_kind"),
    )
    op.create_index("ix_review_messages_application_id", "review_messages", ["application_id"])

    create_table(
        "decisions",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("conditions", JSON_DOCUMENT),
        sa.Column("decided_by", sa.Integer),
        sa.Column("decided_at", STAMP, nullable=False),
        sa.Column("appeal", sa.Boolean, nullable=False),
        sa.Column("recognition", sa.String(64)),
        sa.Column("valid_from", STAMP),
        sa.Column("valid_until", STAMP),
        sa.Column("criteria_summary", JSON_DOCUMENT, nullable=False),
        sa.Column("programme_title", JSON_DOCUMENT, nullable=False),
        sa.Column("provider_name", JSON_DOCUMENT, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("published_at", STAMP),
        foreign_key("decisions", "application_id", "applications"),
        sa.UniqueConstraint("number", name="uq_decisions_number"),
        sa.CheckConstraint("outcome IN ('recognised', 'recognised-with-conditions', "
                           "'not-recognised')", name="ck_decisions_outcome"),
    )
    op.create_index("ix_decisions_application_id", "decisions", ["application_id"])
    op.create_index("ix_decisions_published_at", "decisions", ["published_at"])

    create_table(
        "notifications",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("application_id", sa.Integer),
        sa.Column("text_ja", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("dedupe", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("read_at", STAMP),
        foreign_key("notifications", "user_id", "users"),
        foreign_key("notifications", "application_id", "applications"),
        sa.UniqueConstraint("user_id", "dedupe", name="uq_notifications_user_dedupe"),
    )
    op.create_index("ix_notifications_user_id", "notifications", ["user_id"])


def downgrade() -> None:
    for table in ("notifications", "decisions", "review_messages", "reviews", "assignments",
                  "evidence_files", "applications"):
        op.drop_table(table)
