"""The migrations' tests start from a store no migration has touched, on each database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """An empty, unmigrated store on each supported database."""
    if request.param == "sqlite":
        return Settings.from_env(data_dir=tmp_path / "data", database_url="")
    url = request.getfixturevalue("postgres_url")
    return dataclasses.replace(Settings.from_env(data_dir=tmp_path / "data", database_url=url),
                               secret_key=new_master_key_text())
