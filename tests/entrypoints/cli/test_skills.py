"""``credstack skills …``: a CASE package imported (all or nothing, faults placed, exit 2),
exported exactly, listed; the DSS standard published; ESCO from a folder of its CSV files;
a label set."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from click.testing import Result
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.conftest import store_environment
from tests.services.skills.skillstores import THIRD_PARTY

IDENTIFIER = "3b6f2c1a-8e4d-4f0a-9c2b-5d7e1a9f4c20"


def run(settings: Settings, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(app, list(args), env=store_environment(
        settings, secret=settings.secret_key, lang=lang))


def test_a_package_is_imported_exported_exactly_and_listed(settings: Settings,
                                                           tmp_path: Path) -> None:
    """Import, a second import writes nothing, export gives the package back."""
    first = run(settings, "skills", "import", str(THIRD_PARTY))
    assert first.exit_code == 0, first.output
    assert "5 items" in first.output and "imported" in first.output
    again = run(settings, "skills", "import", str(THIRD_PARTY), lang="ja")
    assert "変更なし" in again.output
    target = tmp_path / "out.json"
    exported = run(settings, "skills", "export", IDENTIFIER, "-o", str(target))
    assert exported.exit_code == 0, exported.output
    assert target.read_bytes() == orjson.dumps(orjson.loads(THIRD_PARTY.read_bytes()))
    listed = run(settings, "skills", "list", "--json")
    assert [row["identifier"] for row in json.loads(listed.output)] == [IDENTIFIER]


def test_a_bad_package_exits_2_with_its_faults_placed(settings: Settings,
                                                      tmp_path: Path) -> None:
    """Nothing is kept."""
    data = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    data["CFAssociations"][0]["associationType"] = "isCousinOf"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    refused = run(settings, "skills", "import", str(bad))
    assert refused.exit_code == 2
    assert "bad.json:" in refused.output and "/CFAssociations/0/associationType" in \
        refused.output
    assert json.loads(run(settings, "skills", "list", "--json").output) == []


def test_esco_from_a_folder_of_its_files_and_a_label(settings: Settings,
                                                     tmp_path: Path) -> None:
    """The two CSV files in a folder (as the wheel holds them), then a Japanese label."""
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills.csv").write_text(
        "id,description\nhttp://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-"
        "4a4a65afdc43,machine learning ML The principles and methods of machine learning.\n",
        encoding="utf-8")
    (folder / "occupations.csv").write_text("id,description\n", encoding="utf-8")
    done = run(settings, "skills", "esco", "--from", str(folder))
    assert done.exit_code == 0, done.output
    assert "ESCO skills" in done.output and "1 items" in done.output
    named = run(settings, "skills", "label",
                "3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43", "機械学習", "--lang", "ja")
    assert named.exit_code == 0, named.output
    assert "機械学習" in named.output
