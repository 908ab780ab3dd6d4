"""``credstack creditbank check|publish|targets``: a pathway file checked with its faults
placed (exit 2), published as an organisation's target by the operator (audited), listed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_organisation, store_session
from tests.conftest import store_environment
from tests.services.creditbank.banks import BACHELOR


def run(settings: Settings, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(app, list(args), env=store_environment(
        settings, secret=settings.secret_key, lang=lang))


def test_a_pathway_file_is_checked_published_and_listed(settings: Settings, tmp_path: Path
                                                        ) -> None:
    good = tmp_path / "bachelor.yaml"
    good.write_text(BACHELOR, encoding="utf-8")
    bad = tmp_path / "broken.yaml"
    bad.write_text(BACHELOR.replace("jp-tani", "furlongs"), encoding="utf-8")
    checked = run(settings, "creditbank", "check", str(good))
    assert checked.exit_code == 0, checked.output
    assert "hokuto/bachelor" in checked.output and "can be published" in checked.output
    refused = run(settings, "creditbank", "check", str(bad), lang="ja")
    assert refused.exit_code == 2
    assert "broken.yaml:4" in refused.output
    add_organisation(settings, "hokuto-tech")
    published = run(settings, "creditbank", "publish", str(good), "--organisation",
                    "hokuto-tech")
    assert published.exit_code == 0, published.output
    assert "version 1" in published.output
    assert run(settings, "creditbank", "publish", str(bad), "--organisation",
               "hokuto-tech").exit_code == 2
    assert run(settings, "creditbank", "publish", str(good), "--organisation",
               "nowhere").exit_code == 1
    listed = json.loads(run(settings, "creditbank", "targets", "--json").output)
    assert [(t["organisation"], t["target"], t["version"]) for t in listed] == [
        ("hokuto-tech", "hokuto/bachelor", 1)]
    with store_session(settings) as session:
        assert "creditbank.published" in [e.action for e in audit.entries(session, limit=50)]


def test_the_operator_runs_the_lifecycle_work_and_a_new_version_starts_its_job(
        settings: Settings, tmp_path: Path) -> None:
    """``recheck``, ``expire`` and ``reevaluate`` run the lifecycle here and report what they
    did; publishing a second version names the re-evaluation job it started."""
    good = tmp_path / "bachelor.yaml"
    good.write_text(BACHELOR, encoding="utf-8")
    add_organisation(settings, "hokuto-tech")
    assert run(settings, "creditbank", "publish", str(good), "--organisation",
               "hokuto-tech").exit_code == 0
    second = run(settings, "creditbank", "publish", str(good), "--organisation",
                 "hokuto-tech")
    assert second.exit_code == 0 and "version 2" in second.output
    assert "Re-evaluating every learner in job" in second.output
    target = json.loads(run(settings, "creditbank", "targets", "--json").output)[0]["id"]
    checked = run(settings, "creditbank", "recheck", "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output) == {"learners": 0, "deposits_checked": 0, "flagged": 0}
    expired = run(settings, "creditbank", "expire", "--day", "2033-04-01", "--json")
    assert expired.exit_code == 0 and json.loads(expired.output)["expired"] == 0
    assert run(settings, "creditbank", "expire", "--day", "someday").exit_code == 2
    again = run(settings, "creditbank", "reevaluate", target, "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["learners"] == 0
    missing = run(settings, "creditbank", "reevaluate", "nothing")
    assert missing.exit_code == 1 and "No credit target 'nothing'" in missing.output
