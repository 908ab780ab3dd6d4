"""``credstack mc export/import --format ctdl|ob3``: one store's programmes into another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.helpers import organisation, programme

SECOND = programme(
    code="DS-201", title={"ja": "機械学習の実践", "en": "Applied machine learning"},
    learner_effort={"hours": "67.5", "credits": [{"system": "jp-tani", "value": "1.5"}],
                    "duration_weeks": 15},
    prerequisites={"ja": "DS-101 修了", "en": "DS-101 completed"},
    price={"amount": "33000", "currency": "JPY"},
)


def run(*args: str, store: Path, stdin: str | None = None):
    env = {"CREDSTACK_LANG": "en", "CREDSTACK_DATA_DIR": str(store),
           "CREDSTACK_DATABASE_URL": ""}
    return CliRunner().invoke(app, list(args), env=env, input=stdin)


def write(path: Path, data) -> str:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A SQLite store holding one organisation and two programmes."""
    store = Settings.from_env(data_dir=tmp_path / "source", database_url="").data_dir
    bundle = write(tmp_path / "bundle.yaml", {"organisations": [organisation()],
                                              "programmes": [programme(), SECOND]})
    result = run("mc", "import", bundle, store=store)
    assert result.exit_code == 0, result.output
    return store


def _yaml(store: Path) -> str:
    result = run("mc", "export", "--format", "yaml", store=store)
    assert result.exit_code == 0, result.output
    return result.output


def test_ctdl_export_imports_into_an_empty_store_unchanged(source: Path, tmp_path: Path) -> None:
    """Export as CTDL, import the .jsonld elsewhere (no --format): the same descriptors."""
    graph = tmp_path / "registry.jsonld"
    exported = run("mc", "export", "--format", "ctdl", "--output", str(graph), store=source)
    assert exported.exit_code == 0, exported.output
    document = json.loads(graph.read_text(encoding="utf-8"))
    assert [node["@type"] for node in document["@graph"]] == [
        "ceterms:CredentialOrganization", "ceterms:MicroCredential", "ceterms:MicroCredential"]
    target = tmp_path / "target"
    imported = run("mc", "import", str(graph), "--json", store=target)
    assert imported.exit_code == 0, imported.output
    # The import is audited: the new store's master key is made, and said so on stderr.
    assert "Created a secret key" in imported.stderr
    report = json.loads(imported.stdout)
    assert (report["organisations_created"], report["programmes"]["created"]) == (
        ["hokuto-tech"], 2)
    assert _yaml(target) == _yaml(source)


def test_ob3_export_imports_where_the_organisation_is_known(source: Path, tmp_path: Path
                                                            ) -> None:
    """Achievements carry programmes only: with the organisation there, the same descriptors."""
    achievements = tmp_path / "achievements.json"
    exported = run("mc", "export", "--format", "ob3", "--language", "en", "--output",
                   str(achievements), store=source)
    assert exported.exit_code == 0, exported.output
    first, _ = json.loads(achievements.read_text(encoding="utf-8"))
    assert first["name"] == "Practical Introduction to Data Science"
    assert first["creator"]["id"].startswith("did:web:") and "hokuto-tech" in first["creator"]["id"]
    target = tmp_path / "target"
    organisations = write(tmp_path / "organisations.yaml", {"organisations": [organisation()]})
    assert run("mc", "import", organisations, store=target).exit_code == 0
    imported = run("mc", "import", str(achievements), "--format", "ob3", "--json", store=target)
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["programmes"]["created"] == 2
    assert _yaml(target) == _yaml(source)


def test_reimporting_the_own_export_changes_nothing(source: Path, tmp_path: Path) -> None:
    """Both formats are lossless: importing them back makes no new versions."""
    for fmt in ("ctdl", "ob3"):
        out = tmp_path / f"export-{fmt}.jsonld"
        assert run("mc", "export", "--format", fmt, "-o", str(out), store=source).exit_code == 0
        again = run("mc", "import", str(out), "--json", store=source)
        assert again.exit_code == 0, again.output
        assert json.loads(again.output)["programmes"]["unchanged"] == 2, fmt


def test_a_bad_ctdl_record_imports_nothing_and_names_its_place(source: Path, tmp_path: Path
                                                               ) -> None:
    """One bad node exits 2 naming record and property; the other node is not imported."""
    graph = tmp_path / "registry.jsonld"
    assert run("mc", "export", "--format", "ctdl", "-o", str(graph), store=source).exit_code == 0
    document = json.loads(graph.read_text(encoding="utf-8"))
    node = document["@graph"][2]
    node["https://w3id.org/credstack/mc#descriptors"]["@value"]["languages"] = ["English"]
    graph.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "target"
    result = run("mc", "import", str(graph), store=target)
    assert result.exit_code == 2
    assert "record 3 (@graph[2]): languages[0]" in result.output
    assert run("mc", "export", "--format", "ctdl", store=target).output.count("ceterms:ctid") == 0


def test_validate_reads_ctdl_from_standard_input(source: Path) -> None:
    """mc validate takes --format ctdl for piped input and judges each programme."""
    graph = run("mc", "export", "--format", "ctdl", store=source).output
    result = run("mc", "validate", "-", "--format", "ctdl", "-p", "jp-mc", "--json",
                 store=source, stdin=graph)
    assert result.exit_code == 0, result.output
    assert [p["code"] for p in json.loads(result.output)["programmes"]] == ["DS-101", "DS-201"]


def test_elm_export_imports_into_an_empty_store_unchanged(source: Path, tmp_path: Path) -> None:
    """Export as an ELM dataset, import the .jsonld elsewhere (recognised by its content):
    the same descriptors, and importing it again changes nothing."""
    dataset = tmp_path / "qdr.jsonld"
    exported = run("mc", "export", "--format", "elm", "--output", str(dataset), store=source)
    assert exported.exit_code == 0, exported.output
    types = [node["type"] for node in json.loads(dataset.read_text("utf-8"))["@graph"]]
    assert types[0] == "Organisation" and types.count("LearningOpportunity") == 2
    target = tmp_path / "target"
    for _ in range(2):
        imported = run("mc", "import", str(dataset), "--json", store=target)
        assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["programmes"]["unchanged"] == 2
    assert _yaml(target) == _yaml(source)


def test_the_register_profile_export_names_what_it_leaves_out(tmp_path: Path) -> None:
    """--register: only the qualification the Register takes (a JEQF 6 programme, EQF 6 by
    the crosswalk's checked edge), its offers' page credstack's public page; the programme
    stating no level and the AQF 7 one (EQF only through an edge still to be checked) are
    listed with their reasons in English and Japanese."""
    store = Settings.from_env(data_dir=tmp_path / "store", database_url="").data_dir
    jeqf = programme(code="Q-JEQF", levels=[{"framework": "JEQF", "level": 6}])
    jeqf.pop("further_information", None)
    aqf = programme(code="Q-AQF", levels=[{"framework": "AQF", "level": 7}])
    bundle = write(tmp_path / "bundle.yaml", {"organisations": [organisation()],
                                              "programmes": [jeqf, aqf, SECOND]})
    assert run("mc", "import", bundle, store=store).exit_code == 0
    dataset = tmp_path / "register.jsonld"
    exported = run("mc", "export", "--format", "elm", "--register", "--output", str(dataset),
                   store=store)
    assert exported.exit_code == 0, exported.output
    graph = json.loads(dataset.read_text("utf-8"))["@graph"]
    [spec] = [node for node in graph if node["type"] == "Qualification"]
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert "https://w3id.org/credstack/mc#descriptors" not in spec
    offers = [node for node in graph if node["type"] == "LearningOpportunity"]
    assert offers and all(offer["homepage"][0]["contentURL"].endswith("/programmes/1")
                          for offer in offers)
    said = " ".join(exported.output.split())
    assert "1 qualifications written, 2 programmes left out" in said
    for code in ("Q-AQF", "DS-201"):
        assert code in said
    assert "states no qualification level" in said and "資格レベルの記載がなく" in said
    assert "still to be checked" in said


def test_the_register_profile_is_one_of_elm_datasets(source: Path) -> None:
    """--register with another format is refused, naming the format to use."""
    result = run("mc", "export", "--format", "ctdl", "--register", store=source)
    assert result.exit_code != 0
    assert "--format elm" in result.output
