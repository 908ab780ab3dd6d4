"""Migration 0034_mail_withdrawn: an outbox message may be withdrawn, on SQLite and PostgreSQL.

Messages queued before the upgrade stay as they were; afterwards a message may be
``withdrawn`` and no other new state is accepted; the tables are the ones ``tables/mail.py``
declares; downgrading deletes the withdrawn messages and refuses the state again.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from credstack.adapters.db.engine import make_engine, migrate
from credstack.settings import Settings
from tests.adapters.db.migrations.versions.test_0012_wallet import _config
from tests.adapters.db.migrations.versions.test_0015_mail import _differences, _message


def test_a_message_may_be_withdrawn_after_the_upgrade_and_not_before(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0033_credential_activity")
            _message(connection, "before", state="sent")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _message(connection, "too-early", state="withdrawn")
        migrate(engine)
        with engine.connect() as connection:
            assert _differences(connection) == []
        with engine.begin() as connection:
            _message(connection, "after", state="withdrawn")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _message(connection, "other", state="lost")
        with engine.begin() as connection:
            states = dict(
                connection.execute(sa.text("SELECT event_key, state FROM mail_outbox")).all()
            )
            assert states == {"before": "sent", "after": "withdrawn"}
            command.downgrade(_config(connection), "0033_credential_activity")
            assert dict(
                connection.execute(sa.text("SELECT event_key, state FROM mail_outbox")).all()
            ) == {"before": "sent"}
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _message(connection, "again", state="withdrawn")
    finally:
        engine.dispose()
