"""The database adapter: SQLAlchemy tables, Alembic migrations and repositories."""
