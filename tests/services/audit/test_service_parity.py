"""Every state change is audited once, in its service: the CLI and the API write the same.

Credential status changes here (the harness is :mod:`tests.services.audit.parity`; each
service's own ``test_service_parity.py`` lists its twins), and one chain written by both.
"""

from __future__ import annotations

from typing import Any

import pytest

from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import service as audit
from tests.services.audit.parity import Store, Twin, assert_same_entries, issued_credential, store

__all__ = ["store"]


def _status_twin(change: str, purpose: str, status: bool, before: list[str]) -> Twin:
    def setup(store: Store, tag: str) -> dict[str, Any]:
        # The learner's address differs between the twins: a revocation notice names it.
        learner = f"{change}-{tag}@example.jp"
        credential = issued_credential(store, learner)
        for earlier in before:
            store.cli("credential", earlier, credential)
        return {"target": credential, "learner": learner}

    def api(store: Store, context: dict[str, Any]) -> None:
        response = store.http.post("/credentials/status", json={
            "credentialId": context["target"], "credentialStatus": [{
                "type": "BitstringStatusListEntry", "statusPurpose": purpose,
                "status": status}]})
        assert response.status_code == 200, response.text

    def run_cli(store: Store, context: dict[str, Any]) -> None:
        store.cli("credential", change, context["target"])

    return Twin(f"credential {change}", setup, api, run_cli)


TWINS = [
    _status_twin("revoke", "revocation", True, []),
    _status_twin("suspend", "suspension", True, []),
    _status_twin("reinstate", "suspension", False, ["suspend"]),
]


@pytest.mark.parametrize("twin", TWINS, ids=lambda twin: twin.name)
def test_the_cli_and_the_api_write_the_same_audit_entries(store: Store, twin: Twin) -> None:
    """The same state change writes the same entries, whichever way it is asked for."""
    assert_same_entries(store, twin)


def test_the_audit_log_is_intact_after_both_paths_wrote_it(store: Store) -> None:
    """Entries from the server and from the console extend one chain."""
    with open_runtime(settings=store.settings) as runtime, runtime.sessions() as session:
        report = audit.verify(session, runtime.key())
    assert report.ok, report
