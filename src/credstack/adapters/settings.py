"""The one place credstack reads its configuration from the environment.

``CREDSTACK_DATA_DIR``       where the embedded SQLite database lives (default ``./.credstack``)
``CREDSTACK_DATABASE_URL``   a database URL; ``postgresql://…`` selects PostgreSQL (psycopg 3)
``CREDSTACK_MAX_BODY_BYTES`` the largest HTTP request body accepted (default 1 MiB)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from credstack.errors import ConfigurationError

DEFAULT_DATA_DIR = Path(".credstack")


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    max_body_bytes: int = 1024 * 1024

    @classmethod
    def from_env(cls, *, data_dir: Path | None = None, database_url: str | None = None
                 ) -> Settings:
        directory = data_dir or Path(os.environ.get("CREDSTACK_DATA_DIR") or DEFAULT_DATA_DIR)
        url = database_url or os.environ.get("CREDSTACK_DATABASE_URL") or ""
        if not url:
            url = f"sqlite:///{(directory / 'credstack.sqlite3').resolve()}"
        raw_limit = os.environ.get("CREDSTACK_MAX_BODY_BYTES", str(1024 * 1024))
        try:
            limit = int(raw_limit)
        except ValueError:
            raise ConfigurationError(
                f"CREDSTACK_MAX_BODY_BYTES must be a whole number of bytes, not {raw_limit!r}."
            ) from None
        return cls(data_dir=directory, database_url=normalise_database_url(url),
                   max_body_bytes=limit)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Point ``postgresql://`` URLs at psycopg 3; refuse databases credstack does not run on."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise ConfigurationError(
        f"Unsupported database URL {url.split(':', 1)[0]}://…; credstack runs on SQLite "
        "(sqlite:///path) or PostgreSQL (postgresql://user@host/db)."
    )
