"""``credstack federation keys rotate``: the anchor's key (or a provider's) retired and its
successor made, both published; refused without a master key; no secret printed."""

from __future__ import annotations

import dataclasses

from typer.testing import CliRunner

from credstack.adapters.db.repositories import federation as store
from credstack.adapters.keystore import new_master_key_text
from credstack.core.federation import statements
from credstack.entrypoints.bootstrap import open_runtime
from credstack.entrypoints.cli.main import app
from credstack.services.federation import listing
from credstack.services.federation import service as federation
from credstack.settings import Settings
from tests.services.recognitions.test_service import SECRET, prepare

PUBLIC_URL = "https://registry.example"
STRANGER = "did:key:z6MkpLDL3RoAoMRTwTgo3rs39ZwssfaPKtGdZw7AGRN7CK4W"


def run(*args: str, settings: Settings, lang: str = "en", secret: str = SECRET):
    env = {
        "CREDSTACK_LANG": lang,
        "CREDSTACK_PUBLIC_URL": PUBLIC_URL,
        "CREDSTACK_SECRET_KEY": secret,
        "CREDSTACK_SECRET_KEY_FILE": "",
        "CREDSTACK_DATA_DIR": str(settings.data_dir),
        "CREDSTACK_DATABASE_URL": "" if settings.is_sqlite else settings.database_url,
    }
    return CliRunner().invoke(app, list(args), env=env)


def _published(settings: Settings) -> list[str]:
    configured = dataclasses.replace(settings, secret_key=SECRET, public_url=PUBLIC_URL)
    with open_runtime(settings=configured) as runtime:
        anchor = statements.read(
            federation.anchor_configuration(runtime), typ=statements.ENTITY_STATEMENT
        )
        statements.verify(anchor, anchor.claims["jwks"])
        return [anchor.kid, *(key["kid"] for key in anchor.claims["jwks"]["keys"])]


def test_rotating_the_anchors_key_keeps_the_old_one_published(settings: Settings) -> None:
    """Two rotations: the newest key signs; the two before stay in the JWK set for a day."""
    prepared = prepare(settings, public_url=PUBLIC_URL)
    prepared.sessions.kw["bind"].dispose()
    first = run("federation", "keys", "rotate", settings=settings)
    assert first.exit_code == 0, first.output
    second = run("federation", "keys", "rotate", settings=settings, lang="ja")
    assert second.exit_code == 0, second.output
    assert "フェデレーション鍵を更新しました" in second.output
    signer, *published = _published(settings)
    assert signer in second.output and published[0] == signer
    assert len(published) == 2 and published[1] in second.output
    assert '"d"' not in first.output + second.output


def test_a_providers_key_is_rotated_by_its_slug(settings: Settings) -> None:
    """--organisation names a provider's entity; its key is sealed like the anchor's."""
    prepared = prepare(settings, public_url=PUBLIC_URL)
    prepared.sessions.kw["bind"].dispose()
    result = run("federation", "keys", "rotate", "--organisation", "hokuto-tech", settings=settings)
    assert result.exit_code == 0, result.output
    assert "hokuto-tech" in result.output
    configured = dataclasses.replace(settings, secret_key=SECRET, public_url=PUBLIC_URL)
    with open_runtime(settings=configured) as runtime, runtime.transaction() as session:
        keys = store.published_keys(
            session, entity=store.organisation_entity("hokuto-tech"), now=runtime.now()
        )
    assert len(keys) == 1 and keys[0].kid in result.output


def test_a_wrong_master_key_changes_nothing(settings: Settings) -> None:
    """With another master key the rotation is refused and the key store is untouched."""
    prepared = prepare(settings, public_url=PUBLIC_URL)
    prepared.sessions.kw["bind"].dispose()
    assert run("federation", "keys", "rotate", settings=settings).exit_code == 0
    before = _published(settings)
    refused = run("federation", "keys", "rotate", settings=settings, secret=new_master_key_text())
    assert refused.exit_code != 0
    assert _published(settings) == before


def _provider_dids(settings: Settings) -> list[str]:
    configured = dataclasses.replace(settings, secret_key=SECRET, public_url=PUBLIC_URL)
    with open_runtime(settings=configured) as runtime:
        [provider] = listing.recognised_providers(runtime)
        return provider.dids


def test_check_says_whether_an_issuer_is_listed(settings: Settings) -> None:
    """A recognised provider's DID: listed (0) in plain words, the programme covered; a
    stranger: not listed (1); a registry that cannot be read offline: unknown (3)."""
    prepared = prepare(settings, public_url=PUBLIC_URL)
    prepared.grant("R-2026-0100")
    prepared.sessions.kw["bind"].dispose()
    did = _provider_dids(settings)[0]
    programme = f"{PUBLIC_URL}/achievements/{prepared.programme_id}/v1"
    listed = run("federation", "check", did, "--programme", programme, settings=settings, lang="ja")
    assert listed.exit_code == 0, listed.output
    assert "認定された提供機関：北都工科大学（この登録簿）" in listed.output
    assert "認定はこのプログラムに及びます。" in listed.output
    stranger = run(
        "federation",
        "check",
        STRANGER,
        settings=settings,
    )
    assert stranger.exit_code == 1, stranger.output
    assert "none of the trusted registries" in stranger.output
    offline = run(
        "federation",
        "check",
        STRANGER,
        "--no-own",
        "--dcc-registry",
        "https://registry.example/registry.json",
        "--offline",
        settings=settings,
    )
    assert offline.exit_code == 3, offline.output
    assert "could not be checked" in offline.output
