"""One organisation per corporate number (法人番号): a unique index on
``organisations.corporate_number`` (organisations without a number are not counted; NULLs
are distinct on SQLite and PostgreSQL alike).

Organisations that already share a number are not changed behind the operator's back: the
upgrade stops, naming the number and the organisations, and runs once the operator has
corrected them (the workspace profile, or ``PUT /api/organisations/{slug}``).

Revision ID: 0043_corporate_number_unique
Revises: 0042_federation_pins
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043_corporate_number_unique"
down_revision = "0042_federation_pins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    shared = op.get_bind().execute(sa.text(
        "SELECT corporate_number, slug FROM organisations WHERE corporate_number IN ("
        "SELECT corporate_number FROM organisations WHERE corporate_number IS NOT NULL "
        "GROUP BY corporate_number HAVING COUNT(*) > 1) ORDER BY corporate_number, slug"
    )).all()
    if shared:
        held: dict[str, list[str]] = {}
        for number, slug in shared:
            held.setdefault(number, []).append(slug)
        named = "; ".join(f"{number}: {', '.join(slugs)}" for number, slugs in held.items())
        raise RuntimeError(
            f"Organisations share a corporate number ({named}): give each its own (or none) "
            f"and migrate again. / 法人番号が重複している組織があります（{named}）。"
            "組織ごとに正しい番号（または空欄）にしてから、もう一度移行してください。")
    op.create_index("uq_organisations_corporate_number", "organisations",
                    ["corporate_number"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_organisations_corporate_number", table_name="organisations")
