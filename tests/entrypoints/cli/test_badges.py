"""``credstack badge image|bake|extract`` and ``credstack verify IMAGE``.

A store with an organisation, its key and a published programme (id 1) gives the badge
images; credentials signed under a did:key (``tests.signed_credentials``) and one issued
from the store are baked, extracted and verified from the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credstack.adapters.keystore import new_master_key_text
from credstack.core.credentials.baking_png import bake_png, read_chunks
from credstack.core.images.baked import Standard
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import provider_store
from tests.conftest import store_environment
from tests.signed_credentials import jwt, signed, tampered

SECRET = new_master_key_text()
NOW = dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC)


def environment(settings: Settings) -> dict[str, str]:
    return store_environment(settings, secret=SECRET, public_url="https://issuer.example.ac.jp",
                             allow_loopback_fetch="")


@pytest.fixture
def store(settings: Settings) -> Settings:
    """Organisation, Ed25519 key, programme 1 published and programme 2 a draft."""
    return provider_store(settings, secret=SECRET, now=NOW, drafts=["DRAFT-1"])


@pytest.fixture
def runner(store: Settings):
    def run(*args: str, stdin: str | None = None):
        return CliRunner().invoke(app, list(args), env=environment(store), input=stdin)
    return run


@pytest.fixture
def badge(runner, tmp_path: Path) -> Path:
    """The PNG badge of programme 1."""
    path = tmp_path / "badge.png"
    result = runner("badge", "image", "--programme", "1", "--format", "png", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def write(tmp_path: Path, data: object, name: str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_badge_image_writes_svg_and_png(runner, tmp_path: Path, badge: Path) -> None:
    result = runner("badge", "image", "--programme", "1", "--version", "1",
                    "-o", str(tmp_path / "badge.svg"))
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "badge.svg").read_text(encoding="utf-8")
    assert 'role="img"' in svg and "マイクロクレデンシャル" in svg
    assert "v1" in result.output
    header = read_chunks(badge.read_bytes())[0]
    assert struct.unpack(">II", header.data[:8]) == (512, 512)


@pytest.mark.parametrize("args", [("--programme", "2"), ("--programme", "1", "--version", "9"),
                                  ("--programme", "99")])
def test_drafts_and_unknown_programmes_have_no_image(runner, tmp_path: Path,
                                                     args: tuple[str, ...]) -> None:
    result = runner("badge", "image", *args, "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 1
    assert not (tmp_path / "x.svg").exists()


def test_bake_extract_and_verify_a_baked_png(runner, tmp_path: Path, badge: Path) -> None:
    """The credential comes out exactly as it went in, and ``verify`` reads the image."""
    credential = write(tmp_path, signed(), "credential.json")
    baked = tmp_path / "baked.png"
    result = runner("badge", "bake", str(credential), "--image", str(badge), "-o", str(baked))
    assert result.exit_code == 0, result.output
    assert "Open Badges 3.0" in result.output
    extracted = runner("badge", "extract", str(baked))
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.stdout) == signed()
    verified = runner("verify", str(baked))
    assert verified.exit_code == 0, verified.output
    assert "iTXt openbadgecredential chunk at byte 33" in verified.output
    assert "Verified: “" in verified.output


def test_a_tampered_baked_credential_does_not_verify(runner, tmp_path: Path,
                                                     badge: Path) -> None:
    baked = tmp_path / "tampered.png"
    baked.write_bytes(bake_png(badge.read_bytes(), json.dumps(tampered())))
    result = runner("verify", str(baked))
    assert result.exit_code == 1, result.output
    assert "Not verified" in result.output


def test_a_vc_jwt_baked_into_svg_verifies(runner, tmp_path: Path) -> None:
    image = tmp_path / "badge.svg"
    assert runner("badge", "image", "--programme", "1", "-o", str(image)).exit_code == 0
    baked = tmp_path / "baked.svg"
    result = runner("badge", "bake", "-", "--image", str(image), "-o", str(baked),
                    stdin=jwt())
    assert result.exit_code == 0, result.output
    assert f'verify="{jwt()}"' in baked.read_text(encoding="utf-8")
    result = runner("verify", str(baked), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verified"] is True


def test_a_credential_issued_from_the_store_verifies_from_its_baked_badge(
        runner, tmp_path: Path, badge: Path) -> None:
    """Issued by the store's organisation (did:web, status lists): bake, then verify."""
    out = tmp_path / "issued"
    result = runner("issue", "--programme", "1", "--email", "solo@example.jp",
                    "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    baked = tmp_path / "issued.png"
    assert runner("badge", "bake", str(out / "solo@example.jp.json"), "--image", str(badge),
                  "-o", str(baked)).exit_code == 0
    result = runner("verify", str(baked))
    assert result.exit_code == 0, result.output


def test_the_vc_api_forms_are_unwrapped_before_baking(runner, tmp_path: Path,
                                                      badge: Path) -> None:
    """``{"verifiableCredential": …}`` and an EnvelopedVerifiableCredential bake the inside."""
    enveloped = {"verifiableCredential": {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{jwt()}"}}
    baked = tmp_path / "baked.png"
    result = runner("badge", "bake", str(write(tmp_path, enveloped, "enveloped.json")),
                    "--image", str(badge), "-o", str(baked))
    assert result.exit_code == 0, result.output
    assert runner("badge", "extract", str(baked)).stdout.strip() == jwt()


def test_a_second_bake_needs_replace(runner, tmp_path: Path, badge: Path) -> None:
    credential = write(tmp_path, signed(), "credential.json")
    once, twice = tmp_path / "once.png", tmp_path / "twice.png"
    assert runner("badge", "bake", str(credential), "--image", str(badge),
                  "-o", str(once)).exit_code == 0
    refused = runner("badge", "bake", str(credential), "--image", str(once), "-o", str(twice))
    assert refused.exit_code == 2
    assert "already holds" in refused.output
    assert runner("badge", "bake", str(credential), "--image", str(once), "-o", str(twice),
                  "--replace").exit_code == 0


def test_extract_json_names_the_standard_and_the_chunk(runner, tmp_path: Path,
                                                       badge: Path) -> None:
    baked = tmp_path / "ob2.png"
    url = "https://issuer.example/assertions/1"
    result = runner("badge", "bake", "-", "--image", str(badge), "-o", str(baked), stdin=url)
    assert result.exit_code == 0, result.output
    body = json.loads(runner("badge", "extract", str(baked), "--json").stdout)
    assert body == {"standard": "ob2", "kind": "url", "content": url,
                    "where": "iTXt openbadges chunk at byte 33"}


def test_verify_hands_a_baked_ob2_assertion_to_the_ob2_verifier(runner, tmp_path: Path,
                                                                badge: Path) -> None:
    """OB 2.0 content goes to ``verify_ob2``: here a hosted URL it may not fetch (loopback),
    so it could not be checked (exit 3)."""
    baked = tmp_path / "ob2.png"
    baked.write_bytes(bake_png(badge.read_bytes(), "https://127.0.0.1:9/assertions/1",
                               standard=Standard.OB2))
    result = runner("verify", str(baked))
    assert "Verifying the Open Badges 2.0 credential baked in the iTXt openbadges chunk" \
        in result.output
    assert result.exit_code == 3, result.output
    assert "loopback" in result.output


@pytest.mark.parametrize("content", [b"plain text", b"\x89PNG\r\n\x1a\nbroken"])
def test_extract_refuses_what_is_not_a_baked_image(runner, tmp_path: Path,
                                                   content: bytes) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    result = runner("badge", "extract", str(path))
    assert result.exit_code == 2
    assert "PNG" in result.output


def test_an_image_with_nothing_baked_is_reported(runner, badge: Path) -> None:
    result = runner("badge", "extract", str(badge))
    assert result.exit_code == 2
    assert "holds no baked credential" in result.output
    assert runner("verify", str(badge)).exit_code == 2
