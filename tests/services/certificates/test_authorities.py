"""An organisation's certificate authority: making it and revoking its document-signing
certificate are audited once, in the service, so the console and the API write the same
entries (``credstack certificate ca revoke`` wrote none before)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import service as audit
from credstack.services.certificates import authorities
from tests.helpers import organisation
from tests.services.audit.parity import Store, Twin, assert_same_entries, store

__all__ = ["store"]


def _organisation_with_authority(store: Store, tag: str) -> dict[str, Any]:
    slug = f"ca-{tag}-{uuid.uuid4().hex[:8]}"
    response = store.http.post("/api/organisations", json=organisation(slug=slug))
    assert response.status_code == 201, response.text
    store.cli("certificate", "ca", "create", "--organisation", slug)
    described = json.loads(store.cli("certificate", "ca", "show", "--organisation", slug,
                                     "--json"))
    return {"target": slug, "serial": described["signing"]["serial_number"]}


def _revoke_by_api(store: Store, context: dict[str, Any]) -> None:
    response = store.http.post(
        f"/api/organisations/{context['target']}/certificate-authority/revocations",
        json={"reason": "superseded"})
    assert response.status_code == 201, response.text


def _revoke_by_cli(store: Store, context: dict[str, Any]) -> None:
    store.cli("certificate", "ca", "revoke", "--organisation", context["target"],
              "--reason", "superseded")


def test_revoking_the_signing_certificate_writes_the_same_entries_both_ways(store: Store
                                                                           ) -> None:
    assert_same_entries(store, Twin("certificate ca revoke", _organisation_with_authority,
                                    _revoke_by_api, _revoke_by_cli))


def test_making_an_authority_is_audited(store: Store) -> None:
    slug = f"ca-made-{uuid.uuid4().hex[:8]}"
    response = store.http.post("/api/organisations", json=organisation(slug=slug))
    assert response.status_code == 201, response.text
    before = store.last_seq()
    with open_runtime(settings=store.settings) as runtime:
        info = authorities.create_authority(runtime, actor=Operator("tester"),
                                            organisation=slug, years=2)
        with runtime.transaction() as session:
            entries = audit.entries(session, after=before)
    assert info.organisation == slug and not info.external
    assert [(entry.actor, entry.action, entry.subject, dict(entry.details))
            for entry in entries] == [
        ("cli:tester", "certificate-authority.created", f"organisation:{slug}",
         {"external": False, "replace": False, "years": 2})]
