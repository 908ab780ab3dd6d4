"""The workspace's last pieces (issue 15): password reset requests by e-mail, organisations'
logos, the files background jobs make, and trigram indexes for finding credentials on
PostgreSQL.

* ``password_reset_requests``: one row per request for a reset link made on the sign-in page,
  whether or not the address has an account (the rate limit counts them alike).
* ``organisation_logos``: an organisation's logo as uploaded (PNG, JPEG or SVG, screened), its
  SHA-256, and for an SVG a PNG drawn from it (what badge images embed).
* ``job_files``: what a job made for its starter to download (a zip of PDF certificates), in
  parts of at most a mebibyte, so that every web process reads it from the store whichever
  worker machine wrote it.
* PostgreSQL only: ``pg_trgm`` and a GIN index of trigrams over the learner's key and name of
  issued credentials, so that a search for part of a name or address reads the index rather
  than every credential of the organisation. SQLite keeps its covering index (0017). Where the
  extension cannot be created (a role without the right), the index is left out with a
  warning and searching works as before, only slower.

Revision ID: 0021_workspace_finish
Revises: 0020_creditbank_lifecycle
Create Date: 2026-11-24
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0021_workspace_finish"
down_revision = "0020_creditbank_lifecycle"
branch_labels = None
depends_on = None

log = logging.getLogger("credstack.migrations")

TRIGRAMS = "ix_issued_credentials_trigrams"


def upgrade() -> None:
    create_table(
        "password_reset_requests",
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("user_id", sa.Integer),
        foreign_key("password_reset_requests", "user_id", "users", ondelete="SET NULL"),
    )
    for column in ("email", "ip", "created_at"):
        op.create_index(f"ix_password_reset_requests_{column}", "password_reset_requests",
                        [column])
    create_table(
        "organisation_logos",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("raster", sa.LargeBinary),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("organisation_logos", "organisation_id", "organisations",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("organisation_id", name="uq_organisation_logos_organisation_id"),
        sa.CheckConstraint("media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')",
                           name="ck_organisation_logos_media_type"),
    )
    create_table(
        "job_files",
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        foreign_key("job_files", "job_id", "jobs", ondelete="CASCADE"),
        sa.UniqueConstraint("job_id", "part", name="uq_job_files_job_id_part"),
        sa.CheckConstraint("part >= 0", name="ck_job_files_part"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _trigrams()


def _trigrams() -> None:
    connection = op.get_bind()
    try:
        # In a savepoint: a refused CREATE EXTENSION must not abort the whole migration.
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError as exc:
        log.warning("pg_trgm cannot be created (%s): credential search reads the rows "
                    "instead of a trigram index", exc.orig)
        return
    op.create_index(TRIGRAMS, "issued_credentials", ["learner", "learner_name"],
                    postgresql_using="gin",
                    postgresql_ops={"learner": "gin_trgm_ops", "learner_name": "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: other schemas of the database may use it.
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAMS}")
    op.drop_table("job_files")
    op.drop_table("organisation_logos")
    for column in ("created_at", "ip", "email"):
        op.drop_index(f"ix_password_reset_requests_{column}",
                      table_name="password_reset_requests")
    op.drop_table("password_reset_requests")
