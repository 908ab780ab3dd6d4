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
