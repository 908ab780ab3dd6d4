"""``credstack registrar-documents …`` (issue 56): a student's documents written to files, a
class issued and issued again (nothing signed twice), a record withdrawn and its files then
failing ``credstack verify``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import ORGANISATION, provider_store
from tests.conftest import store_environment
from tests.services.registrar.test_documents import HEADER, record_rows

SLUG = ORGANISATION["slug"]


@pytest.fixture
def store(sqlite_settings: Settings) -> Settings:
    return dataclasses.replace(sqlite_settings, secret_key=new_master_key_text())


def run(settings: Settings, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(app, list(args), env=store_environment(
        settings, secret=settings.secret_key, lang=lang))


def imported(settings: Settings, tmp_path: Path, numbers: tuple[str, ...]) -> None:
    provider_store(settings, secret=settings.secret_key,
                   now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    export = tmp_path / "students.csv"
    export.write_bytes("\r\n".join([HEADER, *(row for number in numbers
                                              for row in record_rows(number))])
                       .encode("shift_jis"))
    done = run(settings, "registrar", "import", str(export), "-o", SLUG)
    assert done.exit_code == 0, done.output


def test_a_students_documents_are_written_and_verify(store: Settings,
                                                     tmp_path: Path) -> None:
    """`issue` writes the PDF, the credential and the CLR; each verifies (exit 0); after
    `withdraw`, each fails (exit 1) and `list` says revoked."""
    imported(store, tmp_path, ("20A1001",))
    folder = tmp_path / "out"
    done = run(store, "registrar-documents", "issue", "20A1001", "-o", SLUG,
               "-k", "transcript", "--out", str(folder))
    assert done.exit_code == 0, done.output
    files = sorted(path.name for path in folder.iterdir())
    assert files == ["20A1001-transcript-ja.clr.json", "20A1001-transcript-ja.json",
                     "20A1001-transcript-ja.pdf"]
    for name in files:
        checked = run(store, "verify", str(folder / name))
        assert checked.exit_code == 0, (name, checked.output)
    gone = run(store, "registrar-documents", "withdraw", "20A1001", "-o", SLUG,
               "--reason", "record corrected by hand")
    assert gone.exit_code == 0, gone.output
    for name in files:
        checked = run(store, "verify", str(folder / name))
        assert checked.exit_code == 1, (name, checked.output)
    listed = run(store, "registrar-documents", "list", "20A1001", "-o", SLUG,
                 "--json")
    assert {row["state"] for row in json.loads(listed.stdout)} == {"revoked"}


def test_a_class_issued_twice_signs_nothing_twice(store: Settings,
                                                  tmp_path: Path) -> None:
    """Three graduates: 5 forms each (degree PDF + VC, transcript PDF + VC + CLR); the same
    batch again finds them all stored."""
    imported(store, tmp_path, ("20A1001", "20A1002", "20A1003"))
    first = run(store, "registrar-documents", "class", "-o", SLUG, "--batch",
                "2026-03", "--chunk", "2", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"students": 3, "issued": 15, "already": 0,
                                        "refused": {}}
    again = run(store, "registrar-documents", "class", "-o", SLUG, "--batch",
                "2026-03", "--json")
    assert json.loads(again.stdout) == {"students": 3, "issued": 0, "already": 3,
                                        "refused": {}}


def test_the_degree_is_written_as_a_sealed_edc(store: Settings, tmp_path: Path) -> None:
    """`edc` before the degree: exit 1, nothing written; after `issue -k degree`: a JAdES
    seal whose payload is the EDC of the graduate's qualification, in the language asked."""
    imported(store, tmp_path, ("20A1001",))
    folder = tmp_path / "edc"
    refused = run(store, "registrar-documents", "edc", "20A1001", "-o", SLUG,
                  "--out", str(folder))
    assert refused.exit_code == 1 and not folder.exists()
    issued = run(store, "registrar-documents", "issue", "20A1001", "-o", SLUG, "-k", "degree",
                 "-f", "vc", "--out", str(tmp_path / "out"))
    assert issued.exit_code == 0, issued.output
    done = run(store, "registrar-documents", "edc", "20A1001", "-o", SLUG, "--lang", "en",
               "--out", str(folder))
    assert done.exit_code == 0, done.output
    written = folder / "edc-degree-20A1001-en.json"
    credential = json.loads(json.loads(written.read_bytes())["payload"])
    assert "EuropeanDigitalCredential" in credential["type"]
    claim = credential["credentialSubject"]["hasClaim"][0]
    assert claim["specifiedBy"]["type"] == "Qualification"
    assert credential["credentialSubject"]["fullName"] == {"en": "YAMADA Hanako"}
