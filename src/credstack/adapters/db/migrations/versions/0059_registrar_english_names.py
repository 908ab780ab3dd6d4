"""The programme of study's English names: ``faculty_en``, ``department_en`` and
``degree_name_en`` on ``registrar_students`` (工学部 / Faculty of Engineering, 学士（工学） /
Bachelor of Engineering), printed on the English documents (issue 56). Empty where the
student-information system gives none; the English documents then print the names as
imported.

Revision ID: 0059_registrar_english_names
Revises: 0058_sso_saml_logout
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0059_registrar_english_names"
down_revision = "0058_sso_saml_logout"
branch_labels = None
depends_on = None

_COLUMNS = ("faculty_en", "department_en", "degree_name_en")


def upgrade() -> None:
    for column in _COLUMNS:
        op.add_column("registrar_students", sa.Column(column, sa.String(200), nullable=False,
                                                      server_default=""))


def downgrade() -> None:
    # Plain columns dropped in place on both databases (SQLite since 3.35), as 0048 does.
    for column in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE registrar_students DROP COLUMN {column}")
