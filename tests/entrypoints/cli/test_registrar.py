"""``credstack registrar …`` (issue 56): the template, a Shift_JIS export imported and shown,
a broken one refused with every bad row named (exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import add_organisation
from tests.conftest import store_environment

UNIVERSITY = "shibaura-tech"


def run(settings: Settings, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(app, list(args), env=store_environment(
        settings, secret=settings.secret_key, lang=lang))


def test_the_template_imports_in_shift_jis_and_shows(settings: Settings,
                                                      tmp_path: Path) -> None:
    """The template, saved as Shift_JIS, imports; the student's record shows with its GPA."""
    add_organisation(settings, UNIVERSITY)
    template = run(settings, "registrar", "template")
    assert template.exit_code == 0, template.output
    export = tmp_path / "students.csv"
    export.write_bytes(template.output.encode("shift_jis"))
    done = run(settings, "registrar", "import", str(export), "-o", UNIVERSITY, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["created"] == 1
    again = run(settings, "registrar", "import", str(export), "-o", UNIVERSITY, lang="ja")
    assert "変更なし" in again.output
    shown = run(settings, "registrar", "show", "20A1001", "-o", UNIVERSITY)
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.stdout)
    assert (record["name"], record["gpa"]) == ("山田 花子", "3.00")


def test_a_broken_export_names_each_row_and_writes_nothing(settings: Settings,
                                                           tmp_path: Path) -> None:
    """Exit 2; each bad row with its column, in the reader's language; no student stored."""
    add_organisation(settings, UNIVERSITY)
    lines = run(settings, "registrar", "template").output.splitlines()
    broken = tmp_path / "broken.csv"
    broken.write_bytes("\r\n".join([lines[0], lines[1].replace(",jp,yu", ",jp,X"),
                                    lines[1].replace("2003-04-02", "2003-04-31")])
                       .encode("cp932"))
    refused = run(settings, "registrar", "import", str(broken), "-o", UNIVERSITY, lang="ja")
    assert refused.exit_code == 2, refused.output
    assert "row 2, column grade" in refused.output
    assert "row 3, column birth_date" in refused.output
    assert "評価ではありません" in refused.output
    missing = run(settings, "registrar", "show", "20A1001", "-o", UNIVERSITY)
    assert missing.exit_code == 1
    assert "no student numbered 20A1001" in missing.output
