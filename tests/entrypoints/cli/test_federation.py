"""``credstack federation …``: the anchor's key (or a provider's) retired and its successor
made, both published, refused without a master key, no secret printed; the trust check;
imports (CTDL, and a federation over loopback with its anchor's keys pinned); intermediates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
from pathlib import Path

from typer.testing import CliRunner

from credstack.adapters.db.repositories import federation as store
from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation import statements
from credstack.core.federation.providers import ENTITY_TYPE
from credstack.entrypoints.bootstrap import open_runtime
from credstack.entrypoints.cli.main import app
from credstack.services.federation import listing
from credstack.services.federation import service as federation
from credstack.settings import Settings
from credstack.testing.federation import MemoryFederation
from tests.conftest import free_port
from tests.loopback import serving
from tests.services.federation.test_intermediates import University
from tests.services.recognitions.test_service import SECRET, prepare

PUBLIC_URL = "https://registry.example"
STRANGER = "did:key:z6MkpLDL3RoAoMRTwTgo3rs39ZwssfaPKtGdZw7AGRN7CK4W"


def run(*args: str, settings: Settings, lang: str = "en", secret: str = SECRET,
        **more: str):
    env = {**more,
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


CTDL_ORG = "https://credentialengineregistry.org/resources/ce-0b7d1c2a"
MY_DID = "did:web:um.example.my"


def _ctdl(name: object) -> str:
    organisation = {"@id": CTDL_ORG, "@type": "ceterms:CredentialOrganization",
                    "ceterms:ctid": "ce-0b7d1c2a", "ceterms:name": name,
                    "ceterms:sameAs": [MY_DID]}
    return json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json",
                       "@graph": [{k: v for k, v in organisation.items() if v is not None}]})


def test_a_ctdl_graph_is_imported_listed_checked_and_forgotten(
    settings: Settings, tmp_path: Path
) -> None:
    """import → sources → check (listed by the source, exit 0) → forget → not listed (1)."""
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    graph = tmp_path / "mqa.jsonld"
    graph.write_text(_ctdl({"en": "Universiti Malaya", "ja": "マラヤ大学"}), encoding="utf-8")
    imported = run("federation", "import", str(graph), "--ctdl", "--name-en", "MQA",
                   "--name-ja", "マレーシア資格機構", settings=settings, lang="ja")
    assert imported.exit_code == 0, imported.output
    assert "提供機関 1 件を取り込みました" in imported.output
    listed = run("federation", "sources", settings=settings)
    assert "MQA" in listed.output and "CTDL" in listed.output
    check = run("federation", "check", MY_DID, settings=settings)
    assert check.exit_code == 0, check.output
    assert "Listed issuer: Universiti Malaya (listed by MQA, imported)" in check.output
    forgotten = run("federation", "forget", graph.resolve().as_uri(), settings=settings)
    assert forgotten.exit_code == 0, forgotten.output
    assert run("federation", "check", MY_DID, settings=settings).exit_code == 1
    assert "No registry has been imported" in run("federation", "sources",
                                                  settings=settings).output


def test_a_refused_import_says_why_and_keeps_nothing(settings: Settings, tmp_path: Path) -> None:
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    graph = tmp_path / "bad.jsonld"
    graph.write_text(_ctdl(None), encoding="utf-8")
    refused = run("federation", "import", str(graph), "--ctdl", settings=settings)
    assert refused.exit_code == 1
    assert "has no ceterms:name" in refused.output
    unknown = run("federation", "forget", "https://nowhere.example", settings=settings)
    assert unknown.exit_code != 0 and "federation sources" in unknown.output
    assert "No registry has been imported" in run("federation", "sources",
                                                  settings=settings).output


def test_an_intermediate_is_added_listed_and_removed(settings: Settings, monkeypatch) -> None:
    """``intermediates add`` fetches the entity's configuration over HTTP (its hints name
    this anchor) and lists it; one that does not answer is refused with exit 1;
    ``intermediates remove`` takes it out, and refuses one not registered."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = MemoryFederation(now=dt.datetime.now(dt.UTC))
    federation.add(f"{base}/uni", authority_hints=[PUBLIC_URL], metadata={
        "federation_entity": {"organization_name": "Tohoku University"}})
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    with serving(server):
        added = run("federation", "intermediates", "add", f"{base}/uni", settings=settings)
        assert added.exit_code == 0, added.output
        assert "Tohoku University" in added.output
        listed = run("federation", "intermediates", "list", settings=settings, lang="ja")
        assert f"{base}/uni" in listed.output and "Tohoku University" in listed.output
    gone = run("federation", "intermediates", "add", f"http://127.0.0.1:{free_port()}/x",
               settings=settings)
    assert gone.exit_code == 1 and "could not be fetched" in gone.output.replace("\n", " ")
    removed = run("federation", "intermediates", "remove", f"{base}/uni", settings=settings,
                  lang="ja")
    assert removed.exit_code == 0, removed.output
    assert "フェデレーションから外しました" in removed.output
    assert "No intermediate is registered" in run("federation", "intermediates", "list",
                                                  settings=settings).output
    again = run("federation", "intermediates", "remove", f"{base}/uni", settings=settings)
    assert again.exit_code != 0 and "intermediates list" in again.output.replace("\n", " ")


def _federation_of(base: str, faculties: int) -> MemoryFederation:
    """A university's own federation, its anchor ``<base>/uni`` listing ``faculties``
    subordinates, each with an issuer DID."""
    federation = MemoryFederation(now=dt.datetime.now(dt.UTC))
    anchor = f"{base}/uni"
    federation.add(anchor, metadata={"federation_entity": {
        "organization_name": "Tohoku University", "organization_name#ja": "東北大学",
        "federation_fetch_endpoint": f"{anchor}/fetch",
        "federation_list_endpoint": f"{anchor}/list"}})
    for number in range(faculties):
        metadata = {"federation_entity": {"organization_name": f"Faculty {number}"},
                    ENTITY_TYPE: {"dids": [f"did:web:faculty-{number}.tohoku.example"]}}
        federation.add(f"{anchor}/f{number}", authority_hints=[anchor], metadata=metadata)
        federation.state(anchor, f"{anchor}/f{number}", metadata=metadata)
    return federation


def test_an_anchor_s_keys_are_pinned_on_import(settings: Settings, tmp_path: Path,
                                               monkeypatch) -> None:
    """``--pin FILE`` pins the anchor's JWK set; a file with another key refuses the import
    naming the anchor's key id; ``--unpin`` forgets the pin; neither goes with ``--ctdl``."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = _federation_of(base, 2)
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    own, other = tmp_path / "own.jwks", tmp_path / "other.jwks"
    own.write_text(json.dumps(federation.jwks(f"{base}/uni")), encoding="utf-8")
    [kid] = [key["kid"] for key in federation.jwks(f"{base}/uni")["keys"]]
    stranger = KeyPair.generate(KeyType.P256).public_key
    other.write_text(json.dumps({"keys": [statements.federation_jwk(stranger)]}),
                     encoding="utf-8")
    with serving(server):
        refused = run("federation", "import", f"{base}/uni", "--pin", str(other),
                      settings=settings)
        assert refused.exit_code == 1
        assert f"key {kid}" in refused.output.replace("\n", " ")
        assert "No registry has been imported" in run("federation", "sources",
                                                      settings=settings).output
        pinned = run("federation", "import", f"{base}/uni", "--pin", str(own),
                     settings=settings, lang="ja")
        assert pinned.exit_code == 0, pinned.output
        assert f"固定されたアンカーの鍵：{kid}" in pinned.output
        # The progress bar, on standard error, ends with every subordinate counted.
        assert "提供機関を取り込み中" in pinned.stderr and "2/2" in pinned.stderr
        again = run("federation", "import", f"{base}/uni", settings=settings)
        assert f"Pinned anchor keys: {kid}." in again.output
        unpinned = run("federation", "import", f"{base}/uni", "--unpin", settings=settings)
        assert unpinned.exit_code == 0 and "Pinned" not in unpinned.output
    ctdl = run("federation", "import", str(own), "--ctdl", "--pin", str(own),
               settings=settings)
    assert ctdl.exit_code == 1 and "--pin" in ctdl.output


def test_the_anchor_s_current_keys_are_pinned_and_every_source_refreshed(
        settings: Settings, monkeypatch) -> None:
    """``--pin-current`` pins the keys the anchor publishes now, printing their ids;
    ``refresh`` imports the source again with that pin; once the anchor signs with another
    key the refresh is refused (exit 1), the providers kept, and ``sources`` says when and
    why."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = _federation_of(base, 2)
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    [kid] = [key["kid"] for key in federation.jwks(f"{base}/uni")["keys"]]
    with serving(server):
        assert "No registry has been imported" in run("federation", "refresh",
                                                      settings=settings).output
        pinned = run("federation", "import", f"{base}/uni", "--pin-current", settings=settings)
        assert pinned.exit_code == 0, pinned.output
        assert f"Pinned anchor keys: {kid}." in pinned.output
        refreshed = run("federation", "refresh", settings=settings, lang="ja")
        assert refreshed.exit_code == 0, refreshed.output
        assert f"更新しました：{base}/uni、提供機関 2 件" in refreshed.output
        federation.keys[f"{base}/uni"] = KeyPair.generate(KeyType.P256)
        federation._signed.clear()
        refused = run("federation", "refresh", settings=settings)
        assert refused.exit_code == 1
        flat = " ".join(refused.output.split())
        assert f"Refused: {base}/uni (unpinned-key)" in flat and "What it listed is kept" in flat
    listed = run("federation", "sources", settings=settings, lang="ja")
    flat = " ".join(listed.output.split())
    assert f"{base}/uni の最後の更新は" in flat and "拒否されました（unpinned-key）" in flat
    both = run("federation", "import", f"{base}/uni", "--pin-current", "--ctdl",
               settings=settings)
    assert both.exit_code == 1 and "--pin-current" in both.output


def test_an_import_past_its_subordinate_limit_says_what_it_imported_and_why(
        settings: Settings, monkeypatch) -> None:
    """``CREDSTACK_FEDERATION_SUBORDINATES=2`` and an anchor listing 5: the import keeps
    2 and says that it stopped at its limit, in English and Japanese."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    prepare(settings, public_url=PUBLIC_URL).sessions.kw["bind"].dispose()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": _federation_of(base, 5), "base": base})
    with serving(server):
        imported = run("federation", "import", f"{base}/uni", settings=settings,
                       CREDSTACK_FEDERATION_SUBORDINATES="2")
        assert imported.exit_code == 0, imported.output
        flat = " ".join(imported.output.split())
        assert "Imported 2 providers" in flat
        assert ("Stopped early: 2 of the 5 subordinates listed were imported; it reached its "
                "limit (CREDSTACK_FEDERATION_SUBORDINATES).") in flat
        again = run("federation", "refresh", settings=settings, lang="ja",
                    CREDSTACK_FEDERATION_SUBORDINATES="3")
        flat = " ".join(again.output.split())
        assert again.exit_code == 0, again.output
        assert "途中で止めました：一覧の 5 件のうち 3 件を取り込みました。" in flat
