"""The programme store: organisations, programmes and their immutable published versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JsonDocument = sa.JSON().with_variant(JSONB(), "postgresql")
STAMP = sa.DateTime(timezone=True)

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
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", JsonDocument, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("url", sa.String(2048)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("slug", name="uq_organisations_slug"),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_programmes"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_programmes_organisation_id_organisations"),
        sa.UniqueConstraint("organisation_id", "code", name="uq_programmes_organisation_code"),
    )
    op.create_index("ix_programmes_organisation_id", "programmes", ["organisation_id"])
    op.create_table(
        "programme_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("descriptors", JsonDocument, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("published_at", STAMP),
        sa.PrimaryKeyConstraint("id", name="pk_programme_versions"),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name="fk_programme_versions_programme_id_programmes"),
        sa.UniqueConstraint("programme_id", "version",
                            name="uq_programme_versions_programme_version"),
        sa.CheckConstraint("status IN ('draft', 'published')",
                           name="ck_programme_versions_status"),
        sa.CheckConstraint("version >= 1", name="ck_programme_versions_version_positive"),
    )
    op.create_index("ix_programme_versions_status", "programme_versions", ["status"])
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER programme_versions_published_immutable ON programme_versions")
        op.execute("DROP FUNCTION programme_versions_immutable()")
    else:
        op.execute("DROP TRIGGER programme_versions_published_immutable")
        op.execute("DROP TRIGGER programme_versions_published_undeletable")
    op.drop_table("programme_versions")
    op.drop_table("programmes")
    op.drop_table("organisations")
