"""The programme store: organisations, programmes and their immutable published versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_table,
    execute_per_dialect,
    foreign_key,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# A published version is immutable and cannot be deleted. The repositories refuse such
# changes with a clear error; the trigger makes the rule hold for every other writer too.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER programme_versions_published_immutable
       BEFORE UPDATE ON programme_versions WHEN OLD.status = 'published'
       BEGIN SELECT RAISE(ABORT, 'published programme versions are immutable'); END""",
    """CREATE TRIGGER programme_versions_published_undeletable
       BEFORE DELETE ON programme_versions WHEN OLD.status = 'published'
       BEGIN SELECT RAISE(ABORT, 'published programme versions are immutable'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION programme_versions_immutable() RETURNS trigger AS $$
       BEGIN
         IF OLD.status = 'published' THEN
           RAISE EXCEPTION 'published programme versions are immutable';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER programme_versions_published_immutable
       BEFORE UPDATE OR DELETE ON programme_versions
       FOR EACH ROW EXECUTE FUNCTION programme_versions_immutable()""",
]


def upgrade() -> None:
    create_table(
        "organisations",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", JSON_DOCUMENT, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("url", sa.String(2048)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.UniqueConstraint("slug", name="uq_organisations_slug"),
    )
    create_table(
        "programmes",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("programmes", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id", "code", name="uq_programmes_organisation_code"),
    )
    op.create_index("ix_programmes_organisation_id", "programmes", ["organisation_id"])
    create_table(
        "programme_versions",
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("descriptors", JSON_DOCUMENT, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("published_at", STAMP),
        foreign_key("programme_versions", "programme_id", "programmes"),
        sa.UniqueConstraint("programme_id", "version",
                            name="uq_programme_versions_programme_version"),
        sa.CheckConstraint("status IN ('draft', 'published')",
                           name="ck_programme_versions_status"),
        sa.CheckConstraint("version >= 1", name="ck_programme_versions_version_positive"),
    )
    op.create_index("ix_programme_versions_status", "programme_versions", ["status"])
    execute_per_dialect(postgresql=POSTGRES_TRIGGERS, sqlite=SQLITE_TRIGGERS)


def downgrade() -> None:
    execute_per_dialect(
        postgresql=["DROP TRIGGER programme_versions_published_immutable ON programme_versions",
                    "DROP FUNCTION programme_versions_immutable()"],
        sqlite=["DROP TRIGGER programme_versions_published_immutable",
                "DROP TRIGGER programme_versions_published_undeletable"])
    op.drop_table("programme_versions")
    op.drop_table("programmes")
    op.drop_table("organisations")
