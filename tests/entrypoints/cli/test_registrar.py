"""``credstack registrar …`` (issue 56): the template, a Shift_JIS export imported and shown,
a broken one refused with every bad row named (exit 2, nothing written); a OneRoster 1.2 CSV
roster imported from its zip or its folder, a broken one refused the same way."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import add_organisation
from tests.conftest import store_environment
from tests.core.registrar.oneroster_roster import roster, zipped

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


def test_a_oneroster_zip_imports_and_its_folder_is_the_same_roster(settings: Settings,
                                                                    tmp_path: Path) -> None:
    """A OneRoster 1.2 CSV zip of two students imports (dry run first, writing nothing); the
    record reads with its programme's English names and GPA; the same files as a folder
    change nothing."""
    add_organisation(settings, UNIVERSITY)
    files = roster(2)
    archive = tmp_path / "roster.zip"
    archive.write_bytes(zipped(files))
    checked = run(settings, "registrar", "import-oneroster", str(archive), "-o", UNIVERSITY,
                  "--dry-run", "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["created"] == 2
    assert run(settings, "registrar", "show", "22A00000", "-o", UNIVERSITY).exit_code == 1
    done = run(settings, "registrar", "import-oneroster", str(archive), "-o", UNIVERSITY,
               "--json")
    assert done.exit_code == 0, done.output
    assert {key: json.loads(done.stdout)[key] for key in ("students", "results", "created")
            } == {"students": 2, "results": 8, "created": 2}
    shown = run(settings, "registrar", "show", "22A00000", "-o", UNIVERSITY)
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.stdout)
    # 秀 4 × 2, 優 3 × 2, 良 2 × 1, 可 1 × 1 credits: 17 / 6 = 2.83.
    assert (record["name"], record["degree_name_en"], record["gpa"]) == (
        "山田 花子", "Bachelor of Engineering", "2.83")
    folder = tmp_path / "roster"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    again = run(settings, "registrar", "import-oneroster", str(folder), "-o", UNIVERSITY,
                lang="ja")
    assert again.exit_code == 0, again.output
    assert "変更なし" in again.output


def test_a_broken_oneroster_zip_names_each_file_row_and_column_and_writes_nothing(
        settings: Settings, tmp_path: Path) -> None:
    """Exit 2; each bad cell placed by its file, row and column; not even the good
    students are stored. A file that is no zip is refused in words (exit 2)."""
    add_organisation(settings, UNIVERSITY)
    files = roster(2)
    files["results.csv"] = files["results.csv"].replace(",秀,", ",X,", 1)
    files["demographics.csv"] = files["demographics.csv"].replace("2003-04-02", "2003-13-02", 1)
    archive = tmp_path / "broken.zip"
    archive.write_bytes(zipped(files))
    refused = run(settings, "registrar", "import-oneroster", str(archive), "-o", UNIVERSITY)
    assert refused.exit_code == 2, refused.output
    assert "results.csv row 2, column textScore" in refused.output
    assert "demographics.csv row 2, column birthDate" in refused.output
    for number in ("22A00000", "22A00001"):
        assert run(settings, "registrar", "show", number, "-o", UNIVERSITY).exit_code == 1
    not_zip = tmp_path / "roster.zip"
    not_zip.write_bytes(b"sourcedId,status\r\n")
    wrong = run(settings, "registrar", "import-oneroster", str(not_zip), "-o", UNIVERSITY)
    assert wrong.exit_code == 2, wrong.output
