"""credstack's registry read by outside clients from the npm registry, over HTTPS.

A credstack server on loopback (``https://localhost:<port>``, a CA of the test's own trusted
by node through ``NODE_EXTRA_CA_CERTS``) holds a provider with a recognised programme and a
recognition body. ``interop/js/federation.mjs`` then runs, unmodified from the registry
(pinned in ``interop/js/package-lock.json``):

* ``@openid-federation/core`` 0.2.1 (OpenWallet Foundation Labs): ``resolveTrustChains``
  from the provider's entity identifier to credstack's trust anchor — the provider's entity
  configuration, the anchor's, the anchor's subordinate statement from its fetch endpoint,
  every signature checked with ``jose`` — and the resolved metadata; an organisation that is
  not recognised resolves to no chain. The library reads trust marks by the ``id`` claim of
  the drafts before ``trust_mark_type``; credstack's marks carry both;
* ``@digitalcredentials/issuer-registry-client`` 3.1.0: ``load`` of
  ``/federation/registry.json`` (the DCC's legacy form) and ``didEntry`` of each of the
  provider's issuer DIDs — name, URL and location, as VerifierPlus and the Learner
  Credential Wallet show a known issuer;
* the same client's 3.2.0-beta.5 (``lookupIssuersFor``): credstack named both as an OpenID
  Federation registry (the anchor's entity configuration, then its fetch endpoint
  ``?sub=<did>``) and as a legacy one; every issuer DID is found in both, a stranger's in
  neither, and no registry is left unchecked. This client puts the DID in the query
  unencoded, so a did:web's ``%3A`` arrives as ``:``; credstack reads both spellings.

Once the recognition is withdrawn, the provider resolves to no chain and its DIDs are in
neither registry.

Needs ``node`` and ``interop/js/node_modules`` (``npm ci --prefix interop/js``); skips
without them, fails instead when ``CREDSTACK_REQUIRE_NODE=1``.
"""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings
from tests.conftest import free_port, serve
from tests.interop.oid4vc import run_node
from tests.interop.test_js_reference import JS, REQUIRE_NODE, Node
from tests.interop.test_js_reference import node as node  # the fixture
from tests.loopback import tls_site
from tests.services.recognitions.test_service import NOW, Store, prepare

NUMBER = "R-2026-0042"
SLUG = "hokuto-tech"
PACKAGES = (
    "@openid-federation/core",
    "@digitalcredentials/issuer-registry-client",
    "dcc-issuer-registry-client-oidf",
    "jose",
)
#: A did:key no registry lists.
STRANGER = "did:key:z6MkpLDL3RoAoMRTwTgo3rs39ZwssfaPKtGdZw7AGRN7CK4W"


@dataclass
class Registry:
    url: str
    ca_file: Path
    store: Store

    @property
    def provider(self) -> str:
        return f"{self.url}/organisations/{SLUG}"


@pytest.fixture
def clients(node: Node) -> Node:
    missing = [name for name in PACKAGES if not (JS / "node_modules" / name).is_dir()]
    if missing:
        message = f"interop/js/node_modules lacks {', '.join(missing)}; run npm ci"
        if REQUIRE_NODE:
            pytest.fail(message)
        pytest.skip(message)
    return node


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    """The store of a recognised provider, served at ``https://localhost:<port>`` with the
    real clock (the clients judge times by their own)."""
    port = free_port()
    site = tls_site(["localhost"], tmp_path)
    settings = Settings.from_env(data_dir=tmp_path / "data", database_url="")
    store = prepare(dataclasses.replace(settings), public_url=f"https://localhost:{port}")
    store.grant(NUMBER)
    try:
        for live in serve(store.settings, port=port, tls_chain=tmp_path / "server.pem"):
            yield Registry(live.url, site.ca_file, store)
    finally:
        store.sessions.kw["bind"].dispose()


def _read(registry: Registry, dids: list[str]) -> dict[str, Any]:
    return run_node(
        "federation.mjs",
        {
            "anchor": registry.url,
            "provider": registry.provider,
            "unknown": f"{registry.url}/organisations/jmicro",
            "dids": dids,
            "registry": f"{registry.url}/federation/registry.json",
            "strangerDid": STRANGER,
        },
        ca_file=registry.ca_file,
    )


def _dids(registry: Registry) -> list[str]:
    context = ssl.create_default_context(cafile=str(registry.ca_file))
    with httpx.Client(verify=context, timeout=30) as client:
        document = client.get(f"{registry.url}/federation/registry.json").json()
    return sorted(document["registry"])


def test_outside_clients_resolve_the_chain_and_read_the_registry(
    clients: Node, registry: Registry
) -> None:
    """The federation client validates provider → anchor; the DCC clients know every DID."""
    dids = _dids(registry)
    assert any(did.startswith("did:web:localhost%3A") for did in dids)
    assert any(did.startswith("did:key:z6Mk") for did in dids)
    answer = _read(registry, dids)
    [chain] = answer["provider"]["chains"]
    assert chain["valid"] is True
    assert chain["trustAnchor"] == registry.url
    assert chain["issuers"] == [registry.url, registry.url]
    assert chain["subjects"] == [registry.provider, registry.url]
    assert chain["organizationName"] == "Hokuto Institute of Technology"
    assert chain["homepage"] == "https://www.example.ac.jp/"
    assert f"{registry.url}/federation/trust-marks/recognised-provider" in chain["trustMarks"]
    assert len(chain["trustMarks"]) == 2
    # Not recognised: no entity configuration to start from (404, an error document).
    assert "entity-statement+jwt" in answer["unknown"]["error"]
    assert answer["legacy"]["loaded"] == [
        {"name": "credstack", "loaded": True, "url": f"{registry.url}/federation/registry.json"}
    ]
    for did in dids:
        entry = answer["legacy"]["entries"][did]
        assert entry == {
            "name": "Hokuto Institute of Technology",
            "url": "https://www.example.ac.jp/",
            "location": "JP",
            "registries": ["credstack"],
        }
        found = answer["lookups"][did]
        assert found["unchecked"] == []
        # The anchor's own name, from its entity configuration, names the federation.
        assert sorted(match["registry"] for match in found["matching"]) == [
            "credstack legacy",
            "credstack registry",
        ], (did, found)
        federation = next(
            match for match in found["matching"] if match["registry"] == "credstack registry"
        )
        assert federation["nameJa"] == "北都工科大学"
        assert set(federation["dids"]) == set(dids)
    assert answer["lookups"][STRANGER] == {"matching": [], "unchecked": []}


def test_a_withdrawn_recognition_leaves_both_registries(clients: Node, registry: Registry) -> None:
    """Withdrawn: no chain resolves, no DID is found in either registry."""
    dids = _dids(registry)
    with registry.store.sessions() as session, session.begin():
        recognitions.withdraw(
            session,
            recognition=NUMBER,
            reason="Rubric not published.",
            now=NOW,
            secret=registry.store.secret,
        )
    answer = _read(registry, dids)
    assert "entity-statement+jwt" in answer["provider"]["error"]
    assert all(entry is None for entry in answer["legacy"]["entries"].values())
    assert all(found == {"matching": [], "unchecked": []} for found in answer["lookups"].values())
