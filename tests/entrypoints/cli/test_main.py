"""The ``credstack`` command: validate, import, export, schema, demo, init."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.conftest import store_environment
from tests.helpers import organisation, programme


def run(*args: str, settings: Settings | None = None, lang: str = "en", stdin: str | None = None):
    # The store's master key (a PostgreSQL store's is configured): imports are audited.
    env = {"CREDSTACK_LANG": lang} if settings is None else \
        store_environment(settings, secret=settings.secret_key or "", lang=lang)
    return CliRunner().invoke(app, list(args), env=env, input=stdin)


def write(path: Path, data) -> str:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_validate_conforming_programme_exits_0(tmp_path):
    """A programme that conforms to the named profile exits 0."""
    result = run("mc", "validate", write(tmp_path / "p.yaml", programme()), "--profile", "jp-mc")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_with_findings_exits_1_and_reports_each_profile(tmp_path):
    """Several --profile flags give one report each; a failing one makes the exit 1."""
    result = run("mc", "validate", write(tmp_path / "p.yaml", programme()),
                 "-p", "jp-mc", "-p", "jp-rishu", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [r["profile"] for r in report["programmes"][0]["reports"]] == ["jp-mc", "jp-rishu"]
    codes = {f["code"] for f in report["programmes"][0]["reports"][1]["findings"]}
    assert "effort-below-minimum" in codes


def test_validate_speaks_japanese(tmp_path):
    """With a Japanese locale the findings are in Japanese."""
    result = run("mc", "validate", write(tmp_path / "p.yaml", programme()), "-p", "jp-rishu",
                 lang="ja")
    assert "不適合" in result.output and "時間" in result.output


@pytest.mark.parametrize("content, message", [
    ("code: X\ntitle: [\n", "line 3"),
    ("", "empty"),
    ("- 1\n- 2\n", "expected a mapping"),
])
def test_validate_unreadable_input_exits_2(tmp_path, content, message):
    """Broken YAML, an empty file or the wrong shape exit 2 with the place named."""
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = run("mc", "validate", str(path))
    assert result.exit_code == 2
    assert message in result.output


def test_validate_unknown_profile_exits_2(tmp_path):
    """An unknown profile is a usage error that lists the known ones."""
    result = run("mc", "validate", write(tmp_path / "p.yaml", programme()), "-p", "nz")
    assert result.exit_code == 2 and "jp-rishu" in result.output


def test_validate_reads_standard_input():
    """``-`` reads the programme from standard input."""
    result = run("mc", "validate", "-", "-p", "jp-mc", stdin=yaml.safe_dump(programme()))
    assert result.exit_code == 0, result.output


def test_validate_csv_error_names_row_and_column(tmp_path):
    """A bad CSV cell is reported by row and column."""
    path = tmp_path / "p.csv"
    path.write_text("code,title.ja,learner_effort.hours\nA-1,題名,10\nA-2,題名,-5\n")
    result = run("mc", "validate", str(path))
    assert result.exit_code == 2
    assert "row 3, column C (learner_effort.hours)" in result.output


def test_validate_names_a_bad_cell_in_japanese(tmp_path):
    """With a Japanese locale each problem is in Japanese words, still placed by row and
    column."""
    path = tmp_path / "p.csv"
    path.write_text("code,title.ja,learner_effort.hours\nA-1,題名,-5\n")
    result = run("mc", "validate", str(path), lang="ja")
    assert result.exit_code == 2
    assert "row 2, column C (learner_effort.hours): 0 より大きい値にしてください" in result.output


def test_import_is_all_or_nothing(tmp_path, settings):
    """One bad programme in a file imports nothing and exits 2 naming it."""
    bad = programme(code="BAD", learner_effort={"hours": 0})
    path = write(tmp_path / "bundle.yaml",
                 {"organisations": [organisation()], "programmes": [programme(), bad]})
    result = run("mc", "import", path, settings=settings)
    assert result.exit_code == 2
    assert "programmes[1].learner_effort.hours" in result.output
    exported = run("mc", "export", "--format", "json", settings=settings)
    assert json.loads(exported.output)["programmes"] == []


def test_import_dry_run_then_import_then_export_round_trip(tmp_path, settings):
    """--dry-run writes nothing; a real import stores; export gives the same descriptors back."""
    path = write(tmp_path / "bundle.yaml",
                 {"organisations": [organisation()], "programmes": [programme()]})
    dry = run("mc", "import", path, "--dry-run", "--json", settings=settings)
    assert json.loads(dry.output)["programmes"]["created"] == 1
    assert json.loads(run("mc", "export", "--format", "json",
                          settings=settings).output)["programmes"] == []
    real = run("mc", "import", path, "--json", settings=settings)
    assert real.exit_code == 0, real.output
    again = run("mc", "import", path, "--json", settings=settings)
    assert json.loads(again.output)["programmes"]["unchanged"] == 1
    for fmt in ("yaml", "json", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert run("mc", "export", "--format", fmt, "--output", str(out),
                   settings=settings).exit_code == 0
        reimport = run("mc", "import", str(out), "--json", settings=settings)
        assert json.loads(reimport.output)["programmes"]["unchanged"] == 1, fmt


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    """A file over the read limit exits 2 before it is parsed."""
    from credstack.entrypoints.cli import mc

    monkeypatch.setattr(mc, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("code: X\n" + "#" * 2000 + "\n")
    result = run("mc", "validate", str(path))
    assert result.exit_code == 2 and "1,000" in result.output


def test_schema_is_written(tmp_path):
    """credstack schema writes the JSON Schema of the descriptors."""
    out = tmp_path / "schema.json"
    assert run("schema", "--output", str(out)).exit_code == 0
    assert "Programme" in json.loads(out.read_text())["$defs"]


def test_init_creates_the_sqlite_store(tmp_path):
    """credstack init creates the data directory and the migrated database."""
    settings = Settings.from_env(data_dir=tmp_path / "store", database_url="")
    result = run("init", settings=settings)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store" / "credstack.sqlite3").exists()


def test_console_script_is_installed():
    """The installed ``credstack`` script runs and prints its help."""
    script = Path(sys.executable).with_name("credstack")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "mc" in result.stdout
