"""Connecting to the store and bringing its schema up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from credstack.errors import ConfigurationError
from credstack.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite gets WAL and enforced foreign keys."""
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.database_url, json_deserializer=read_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(settings.database_url, pool_pre_ping=True,
                         json_deserializer=read_json)


def read_json(text: str | bytes) -> Any:
    """A stored JSON value: orjson reads it twice as fast as the standard library, which a
    wallet's record of a thousand entries feels; what orjson refuses (an integer beyond 64
    bits, kept as a credential stated it) the standard library reads."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration the database lacks."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise ConfigurationError(
            f"Cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.orig}"
        ) from None


def is_migrated(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
