"""``credstack clr bundle`` and ``credstack clr verify`` on a store: a bundled CLR verifies,
a credential the organisation did not issue is refused."""

from __future__ import annotations

import json
from pathlib import Path

from credstack.settings import Settings
from tests.entrypoints.cli.test_credentials_issue import SLUG, run, store

__all__ = ["store"]


def _issued(store: Settings, tmp_path: Path) -> str:
    result = run(store, "issue", "--programme", "1", "--email", "hanako@example.jp",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    line = (tmp_path / "out" / "credentials.jsonl").read_text(encoding="utf-8").splitlines()[0]
    credential_id: str = json.loads(line)["credentialId"]
    return credential_id


def test_a_bundled_clr_verifies(store: Settings, tmp_path: Path) -> None:
    """Bundle one issued credential, then verify the file: exit 0, every check passed."""
    output = tmp_path / "clr.json"
    bundled = run(store, "clr", "bundle", "--organisation", SLUG, "--credential",
                  _issued(store, tmp_path), "-o", str(output))
    assert bundled.exit_code == 0, bundled.output
    assert json.loads(output.read_text(encoding="utf-8"))["type"] == [
        "VerifiableCredential", "ClrCredential"]
    verified = run(store, "clr", "verify", str(output), "--json")
    assert verified.exit_code == 0, verified.output


def test_an_unknown_credential_is_refused_with_exit_2(store: Settings, tmp_path: Path) -> None:
    """Nothing is written; the error names the credential."""
    output = tmp_path / "clr.json"
    refused = run(store, "clr", "bundle", "--organisation", SLUG, "--credential",
                  "urn:uuid:00000000-0000-4000-8000-000000000000", "-o", str(output))
    assert refused.exit_code == 2, refused.output
    assert not output.exists()
