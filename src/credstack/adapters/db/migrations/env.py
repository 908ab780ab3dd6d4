"""Alembic environment: credstack always hands Alembic an open connection."""

from __future__ import annotations

from alembic import context

from credstack.adapters.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
