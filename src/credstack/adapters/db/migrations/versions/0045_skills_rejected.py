"""Skills rejected: an alignment may be ``rejected`` — a suggestion the provider turned down
for an outcome, kept so that it is not suggested again (issue 51, defect 12).
Downgrading deletes the rejected alignments (the state does not exist before).

Revision ID: 0045_skills_rejected
Revises: 0044_federation_refresh
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0045_skills_rejected"
down_revision = "0044_federation_refresh"
branch_labels = None
depends_on = None

_BEFORE = "state IN ('suggested', 'confirmed')"
_AFTER = "state IN ('suggested', 'confirmed', 'rejected')"


def _state_check(condition: str) -> None:
    # The old constraint is dropped by the name the database gave it (on SQLite, where the
    # table was made in batch mode, the naming convention may have prefixed it again);
    # batch mode, because SQLite changes a CHECK constraint only by copying the table.
    [old] = [check["name"] for check in sa.inspect(op.get_bind()).get_check_constraints(
        "skill_alignments") if "state" in check["sqltext"] and check["name"]]
    with op.batch_alter_table("skill_alignments") as table:
        table.drop_constraint(op.f(old), type_="check")
        table.create_check_constraint(op.f("ck_skill_alignments_state"), sa.text(condition))


def upgrade() -> None:
    _state_check(_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM skill_alignments WHERE state = 'rejected'")
    _state_check(_BEFORE)
