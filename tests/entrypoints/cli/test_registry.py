"""``credstack registry reindex|stats``: the index rebuilt from the store and described."""

from __future__ import annotations

import json

from click.testing import Result
from typer.testing import CliRunner

from credstack.adapters.search import files
from credstack.demo import load_demo_documents
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.conftest import store_environment


def run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=store_environment(settings))


def test_reindex_builds_and_saves_the_index(settings: Settings) -> None:
    """After a demo load, reindex indexes every programme; stats says it is current."""
    assert run(settings, "demo", "load").exit_code == 0
    stale = json.loads(run(settings, "registry", "stats", "--json").output)
    assert stale["exists"] is False and stale["current"] is False
    result = run(settings, "registry", "reindex")
    assert result.exit_code == 0, result.output
    count = len(load_demo_documents().programmes)
    assert f"Indexed {count} programmes" in result.output
    header = files.read_header(settings.data_dir)
    assert header is not None and header["live"] == count
    facts = json.loads(run(settings, "registry", "stats", "--json").output)
    assert facts["current"] is True
    assert facts["programmes"] == facts["store_published_versions"] == count


def test_stats_says_when_the_index_is_stale(settings: Settings) -> None:
    """An import after the reindex makes the saved index out of date."""
    run(settings, "init")
    run(settings, "registry", "reindex")
    assert run(settings, "demo", "load").exit_code == 0
    result = run(settings, "registry", "stats")
    assert result.exit_code == 0
    assert "registry reindex" in result.output
