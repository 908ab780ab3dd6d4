"""The verifier's trust check over real registries on loopback: credstack's own store, a
running credstack as an OpenID Federation anchor and as a DCC legacy registry, the DCC's
sandbox registry as published, a registry answering garbage and one that does not answer."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV, fetch_bytes
from credstack.core.access.actors import Operator
from credstack.core.federation.registries import TrustVerdict
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import listing, trust
from credstack.services.federation.trust import REGISTRY_LIFETIME, TrustedRegistry
from credstack.services.issuance import keys as issuer_keys
from credstack.services.issuance.service import achievement_url
from credstack.services.recognitions import service as recognitions
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.conftest import SHARED_REF, Clock, free_port, serve
from tests.loopback import QuietHandler, serving
from tests.services.recognitions.test_service import NOW, Store, prepare

NUMBER = "R-2026-0007"


def patient_fetch(url: str) -> bytes | None:
    """The verifier's fetcher, waiting as long as the suite's clients (30 s): the anchor is
    served in the test's own process, which a loaded CI machine can keep from answering
    within the fetcher's 5 s."""
    return fetch_bytes(url, timeout=30)


def check_issuer(runtime: Runtime, **arguments: Any) -> TrustVerdict:
    """:func:`trust.check_issuer` with :func:`patient_fetch` unless a test gives its own."""
    return trust.check_issuer(runtime, **{"fetch": patient_fetch, **arguments})
SANDBOX = SHARED_REF / "wild" / "registries" / "dcc-sandbox-registry.json"
#: A did:key the DCC sandbox registry lists (the fixtures' "legacy" signer).
SANDBOX_DID = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"


class Documents(QuietHandler):
    """The DCC sandbox registry as published, and a registry answering garbage."""

    def do_GET(self) -> None:
        bodies = {
            "/sandbox.json": SANDBOX.read_bytes(),
            "/garbage.json": b"<html>oops</html>",
            "/not-a-registry.json": b'{"registry": ["did:key:z6Mk"]}',
        }
        body = bodies.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body or b"")


@dataclass
class World:
    store: Store
    runtime: Runtime
    anchor: str
    documents: str
    clock: Clock

    def registries(self, *names: str) -> list[TrustedRegistry]:
        known = {
            "own": TrustedRegistry("credstack 認定登録簿", "own"),
            "oidf": TrustedRegistry("credstack federation", "oidf", self.anchor),
            "legacy": TrustedRegistry(
                "credstack legacy", "dcc-legacy", f"{self.anchor}/federation/registry.json"
            ),
            "sandbox": TrustedRegistry(
                "DCC Sandbox Registry", "dcc-legacy", f"{self.documents}/sandbox.json"
            ),
            "garbage": TrustedRegistry("Garbage", "dcc-legacy", f"{self.documents}/garbage.json"),
            "wrong": TrustedRegistry(
                "Wrong shape", "dcc-legacy", f"{self.documents}/not-a-registry.json"
            ),
            "down": TrustedRegistry(
                "Down", "dcc-legacy", f"http://127.0.0.1:{free_port()}/registry.json"
            ),
        }
        return [known[name] for name in names]

    def dids(self) -> list[str]:
        [provider] = listing.recognised_providers(self.runtime)
        return provider.dids


@pytest.fixture
def world(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    port = free_port()
    store = prepare(settings, public_url=f"http://localhost:{port}")
    store.grant(NUMBER)
    clock = Clock(NOW)
    try:
        with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Documents)) as documents:
            for _ in serve(store.settings, port=port, clock=clock):
                with open_runtime(settings=store.settings, clock=clock) as runtime:
                    yield World(store, runtime, store.settings.public_url, documents, clock)
    finally:
        store.sessions.kw["bind"].dispose()


def test_a_recognised_provider_is_listed_in_every_form(world: World) -> None:
    """Own store, the anchor's fetch endpoint and the legacy form all list each DID, with
    the programme covered and the plain line a person reads."""
    programme = achievement_url(world.anchor, world.store.programme_id, 1)
    for did in world.dids():
        verdict = check_issuer(
            world.runtime,
            issuer=did,
            achievement=programme,
            trusted=world.registries("own", "oidf", "legacy"),
        )
        assert verdict.state == "listed", verdict.unchecked
        assert [item.registry for item in verdict.listings] == [
            "credstack 認定登録簿",
            "credstack federation",
            "credstack legacy",
        ]
        assert verdict.covers_programme is True
        assert trust.line(verdict, "ja") == (
            "認定された提供機関：北都工科大学（credstack 認定登録簿、"
            "credstack federation、credstack legacy）"
        )
        assert trust.line(verdict, "en").startswith(
            "Recognised provider: Hokuto Institute of Technology (credstack 認定登録簿, "
        )
    other = check_issuer(
        world.runtime,
        issuer=world.dids()[0],
        achievement=f"{world.anchor}/achievements/999/v1",
        trusted=world.registries("own"),
    )
    assert other.covers_programme is False


def test_the_dcc_sandbox_registry_lists_its_issuers(world: World) -> None:
    """A DID of the DCC's published sandbox registry: listed there, under its name."""
    verdict = check_issuer(
        world.runtime,
        issuer=SANDBOX_DID,
        achievement=None,
        trusted=world.registries("own", "sandbox"),
    )
    assert verdict.state == "listed"
    [found] = verdict.listings
    expected = json.loads(SANDBOX.read_text(encoding="utf-8"))["registry"][SANDBOX_DID]
    assert found.registry == "DCC Sandbox Registry"
    assert found.display_name("en") == expected["name"]
    assert verdict.covers_programme is None


@pytest.mark.parametrize("bad", ["garbage", "wrong", "down"])
def test_a_registry_that_cannot_be_used_leaves_the_verdict_unknown(world: World, bad: str) -> None:
    """Garbage, the wrong shape or no answer: could not be checked, never trusted."""
    verdict = check_issuer(
        world.runtime, issuer=SANDBOX_DID, achievement=None, trusted=world.registries("own", bad)
    )
    assert verdict.state == "unknown"
    assert [name for name, _ in verdict.unchecked] == [world.registries(bad)[0].name]
    listed = check_issuer(
        world.runtime,
        issuer=SANDBOX_DID,
        achievement=None,
        trusted=world.registries(bad, "sandbox"),
    )
    assert listed.state == "listed" and len(listed.unchecked) == 1


def test_offline_only_the_own_registry_is_read(world: World) -> None:
    """Offline: remote registries are unchecked ('offline'); the store still answers."""
    did = world.dids()[0]
    verdict = check_issuer(
        world.runtime,
        issuer=did,
        achievement=None,
        offline=True,
        trusted=world.registries("own", "oidf", "sandbox"),
    )
    assert verdict.state == "listed"
    assert verdict.unchecked == (
        ("credstack federation", "offline"),
        ("DCC Sandbox Registry", "offline"),
    )
    unknown = check_issuer(
        world.runtime,
        issuer=SANDBOX_DID,
        achievement=None,
        offline=True,
        trusted=world.registries("sandbox"),
    )
    assert unknown.state == "unknown"


def test_a_withdrawn_recognition_is_listed_nowhere(world: World) -> None:
    """After the withdrawal: not listed in any of credstack's three forms."""
    dids = world.dids()
    with world.store.sessions() as session, session.begin():
        recognitions.withdraw(
            session,
            recognition=NUMBER,
            reason="Rubric not published.",
            now=NOW,
            secret=world.store.secret,
        )
    world.runtime.caches.clear()
    for did in dids:
        verdict = check_issuer(
            world.runtime,
            issuer=did,
            achievement=None,
            trusted=world.registries("own", "oidf", "legacy"),
        )
        assert verdict.state == "not-listed", (did, verdict)
        assert trust.line(verdict, "en") == "The issuer is in none of the trusted registries"


def test_the_own_registry_follows_a_new_key_and_a_withdrawal_without_a_restart(
    world: World,
) -> None:
    """The own registry's answer is kept between verifications, yet a key rotated since and a
    recognition withdrawn since are seen at the next check: no cache is cleared by hand."""
    own = world.registries("own")
    before = world.dids()
    assert check_issuer(world.runtime, issuer=before[-1], achievement=None,
                        trusted=own).state == "listed"
    [provider] = listing.recognised_providers(world.runtime)
    issuer_keys.rotate_key(world.runtime, actor=Operator("test"), organisation=provider.slug)
    [added] = set(world.dids()) - set(before)
    assert check_issuer(world.runtime, issuer=added, achievement=None,
                        trusted=own).state == "listed"
    with world.store.sessions() as session, session.begin():
        recognitions.withdraw(session, recognition=NUMBER, reason="Rubric not published.",
                              now=NOW, secret=world.store.secret)
    for did in [*before, added]:
        assert check_issuer(world.runtime, issuer=did, achievement=None,
                            trusted=own).state == "not-listed", did


def test_an_anchors_answer_is_kept_until_the_registry_lifetime_passes(world: World) -> None:
    """A second verification of the same issuer asks the anchor nothing; an hour later (the
    registry lifetime) it asks again, and then sees what changed."""
    asked: list[str] = []

    def fetch(url: str) -> bytes | None:
        asked.append(url)
        return patient_fetch(url)

    did = world.dids()[0]
    for _ in range(3):
        verdict = check_issuer(world.runtime, issuer=did, achievement=None,
                               trusted=world.registries("oidf"), fetch=fetch)
        assert verdict.state == "listed"
    assert len(asked) == 2, asked
    unknown = "did:key:z6MkNotListedAnywhere"
    for _ in range(2):
        assert check_issuer(world.runtime, issuer=unknown, achievement=None,
                            trusted=world.registries("oidf"), fetch=fetch).state == "not-listed"
    assert len(asked) == 4, asked
    world.clock.advance(seconds=REGISTRY_LIFETIME.total_seconds())
    check_issuer(world.runtime, issuer=did, achievement=None,
                 trusted=world.registries("oidf"), fetch=fetch)
    assert len(asked) == 6, asked
