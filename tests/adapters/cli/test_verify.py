"""``credstack verify FILE|URL|-``: exit 0 only when verified, 1 when not, 2 when unreadable."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from credstack.adapters.cli.main import app
from tests.signed_credentials import ISSUER, jwt, signed, tampered


def run(*args: str, lang: str = "en", stdin: str | None = None):
    env = {"CREDSTACK_LANG": lang, "CREDSTACK_ALLOW_LOOPBACK_FETCH": ""}
    return CliRunner().invoke(app, ["verify", *args], env=env, input=stdin)


def write(tmp_path: Path, data: object, name: str = "credential.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_valid_credential_exits_0_with_each_check_and_the_meaning(tmp_path: Path) -> None:
    result = run(write(tmp_path, signed()))
    assert result.exit_code == 0, result.output
    assert "✓ Proof (signature)" in result.output
    assert f"signed by the issuer, {ISSUER}" in result.output  # no emoji for "did:key:"
    assert "A micro-credential." in result.output
    assert "Profile jp-mc: conforms" in result.output
    assert "Verified." in result.output


def test_japanese_output(tmp_path: Path) -> None:
    result = run(write(tmp_path, signed()), lang="ja")
    assert result.exit_code == 0, result.output
    assert "✓ 証明（署名）" in result.output
    assert "マイクロクレデンシャルです。" in result.output
    assert "検証できました。" in result.output


def test_a_tampered_credential_exits_1_naming_the_proof(tmp_path: Path) -> None:
    result = run(write(tmp_path, tampered()), lang="ja")
    assert result.exit_code == 1, result.output
    assert "✗ 証明（署名）" in result.output
    assert "検証できませんでした" in result.output


def test_json_prints_the_report(tmp_path: Path) -> None:
    result = run(write(tmp_path, tampered()), "--json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["verified"] is False
    assert "proof" in [error["check"] for error in body["errors"]]
    result = run(write(tmp_path, signed()), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["meaning"]["is_micro_credential"] is True


def test_a_vc_jwt_from_standard_input(tmp_path: Path) -> None:
    result = run("-", stdin=jwt())
    assert result.exit_code == 0, result.output


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.json")).exit_code == 2
    assert run(write(tmp_path, "this is not a credential")).exit_code == 2
    assert run("-", "--json", stdin="{not json").exit_code == 2


def test_urls_are_https_only(tmp_path: Path) -> None:
    result = run("http://issuer.example.ac.jp/credential.json")
    assert result.exit_code == 2
    assert "https" in result.output
    result = run("https://127.0.0.1:9/credential.json")
    assert result.exit_code == 2
    assert "loopback" in result.output
