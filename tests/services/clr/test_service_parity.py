"""Bundling a CLR writes the same audit entry from the CLI and the API.

Twin (the harness is :mod:`tests.services.audit.parity`): ``credstack clr bundle`` ↔
``POST /api/organisations/{slug}/clr``, one ``clr.issued`` entry each.
"""

from __future__ import annotations

import json
from typing import Any

from tests.services.audit.parity import (
    SLUG,
    Store,
    Twin,
    assert_same_entries,
    issued_credential,
    store,
)

__all__ = ["store"]


def _setup(store: Store, tag: str) -> dict[str, Any]:
    return {"credential": issued_credential(store, f"clr-{tag}@example.jp")}


def _api(store: Store, context: dict[str, Any]) -> None:
    response = store.http.post(f"/api/organisations/{SLUG}/clr",
                               json={"credential_ids": [context["credential"]]})
    assert response.status_code == 201, response.text
    context["target"] = response.json()["id"]


def _cli(store: Store, context: dict[str, Any]) -> None:
    output = store.settings.data_dir / "out" / "clr.json"
    store.cli("clr", "bundle", "--organisation", SLUG, "--credential", context["credential"],
              "-o", str(output))
    context["target"] = json.loads(output.read_text(encoding="utf-8"))["id"]


def test_the_cli_and_the_api_write_the_same_audit_entry(store: Store) -> None:
    """``clr.issued``: the CLR's id, the organisation, the securing, what was bundled."""
    assert_same_entries(store, Twin("clr bundle", _setup, _api, _cli))
    entry = store.entries_after(store.last_seq() - 1)[0]
    assert (entry.action, dict(entry.details)["organisation"]) == ("clr.issued", SLUG)
