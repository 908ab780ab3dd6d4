"""``/console/federation`` over real HTTP: the operator registers an organisation's own
credstack as an intermediate entity by its entity identifier (its configuration fetched on
loopback), sees it listed in Japanese and English and removes it; an entity that does not
answer is refused beside the form; a provider's administrator is refused the page."""

from __future__ import annotations

import datetime as dt
import http.server
from collections.abc import Iterator

import pytest

from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.access.actors import Operator
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import imports, intermediates, refresh_all
from credstack.settings import Settings
from credstack.testing.federation import MemoryFederation
from tests.accounts import add_user
from tests.conftest import LiveServer, free_port, serve_with_key
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible
from tests.loopback import serving
from tests.services.federation.test_intermediates import University

OPERATOR = "operator@example.org"
ADMIN = "admin@hokuto.example"
TEST = Operator("test")


@pytest.fixture
def live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    for server in serve_with_key(settings):
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        add_user(server.settings, ADMIN, name="Admin", roles=[("hokuto-tech", "provider-admin")])
        yield server


def test_the_operator_registers_an_intermediate(live: LiveServer) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = MemoryFederation(now=dt.datetime.now(dt.UTC))
    federation.add(f"{base}/uni", authority_hints=[live.settings.public_url], metadata={
        "federation_entity": {"organization_name": "Tohoku University",
                              "organization_name#ja": "東北大学"}})
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    for language in ("ja", "en"):
        operator = FormBrowser(live, OPERATOR, language)
        try:
            empty = operator.page("/console/federation")
            assert_accessible(empty, language)
        finally:
            operator.close()
    operator = FormBrowser(live, OPERATOR)
    try:
        gone = operator.post("/console/federation/intermediates",
                             entity_id=f"http://127.0.0.1:{free_port()}/x")
        assert gone.status_code == 422
        assert Page(gone.text).one("input", id="entity-id").attrs["aria-invalid"] == "true"
        with serving(server):
            made = operator.post("/console/federation/intermediates", entity_id=f"{base}/uni")
        assert made.status_code == 303, made.text[:2000]
        assert made.headers["location"] == "/console/federation?done=registered"
        listed = operator.page("/console/federation?done=registered")
        assert_accessible(listed, "en")
        assert "Tohoku University" in listed.source and f"{base}/uni" in listed.source
        forged = operator.http.post("/console/federation/intermediates/remove",
                                    data={"entity_id": f"{base}/uni"})
        assert forged.status_code == 403  # no CSRF token: nothing removed
        removed = operator.post("/console/federation/intermediates/remove",
                                entity_id=f"{base}/uni")
        assert removed.status_code == 303, removed.text[:2000]
        assert removed.headers["location"] == "/console/federation?done=intermediate_removed"
        after = operator.page("/console/federation?done=intermediate_removed")
        assert_accessible(after, "en")
        assert f"{base}/uni" not in after.source
        assert "out of the federation" in after.source
        missing = operator.post("/console/federation/intermediates/remove",
                                entity_id=f"{base}/uni")
        assert missing.status_code == 404
    finally:
        operator.close()
    admin = FormBrowser(live, ADMIN)
    try:
        assert admin.get("/console/federation").status_code == 403
    finally:
        admin.close()


def test_a_refused_refresh_is_shown_with_its_time_and_reason(live: LiveServer) -> None:
    """An intermediate that rotated its keys and an imported registry whose pinned keys the
    anchor no longer signs with: after the refresh, each row says when and why it was refused,
    in Japanese and English; what they listed is still shown."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), University)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    federation = MemoryFederation(now=dt.datetime.now(dt.UTC))
    federation.add(f"{base}/uni", authority_hints=[live.settings.public_url], metadata={
        "federation_entity": {"organization_name": "Tohoku University",
                              "organization_name#ja": "東北大学",
                              "federation_fetch_endpoint": f"{base}/uni/fetch",
                              "federation_list_endpoint": f"{base}/uni/list"}})
    # Another registry's anchor (its list endpoint answering, empty).
    federation.add(f"{base}/mqa", metadata={"federation_entity": {
        "organization_name": "MQA", "federation_list_endpoint": f"{base}/uni/list"}})
    server.RequestHandlerClass = type("Served", (University,),
                                      {"federation": federation, "base": base})
    with serving(server), open_runtime(settings=live.settings) as runtime:
        intermediates.register_intermediate(runtime, actor=TEST, entity_id=f"{base}/uni")
        imports.import_federation(runtime, actor=TEST, anchor=f"{base}/mqa", pin_current=True)
        for entity in ("uni", "mqa"):
            federation.keys[f"{base}/{entity}"] = KeyPair.generate(KeyType.P256)
        federation._signed.clear()
        done = refresh_all(runtime, actor=TEST)
    assert [item.refusal.reason for item in done if item.refusal] == ["unpinned-key"] * 2
    for language, words in (("ja", "に拒否されました（unpinned-key）"),
                            ("en", "Refused at ")):
        operator = FormBrowser(live, OPERATOR, language)
        try:
            shown = operator.page("/console/federation")
            assert_accessible(shown, language)
            refusals = [element for element in shown.all("p") if "data-refusal" in element.attrs]
            assert len(refusals) == 2
            for refusal in refusals:
                text = " ".join(refusal.text.split())
                assert words in text and "UTC" in text, text
            assert "東北大学" in shown.source if language == "ja" else (
                "Tohoku University" in shown.source)
        finally:
            operator.close()
