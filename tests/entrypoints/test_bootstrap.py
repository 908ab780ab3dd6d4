"""The composition root: a command's runtime is wired as the server's, and leaves nothing
behind when it closes."""

from __future__ import annotations

import dataclasses

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AuthenticationRequiredError
from credstack.services.accounts import clients
from credstack.services.audit import service as audit
from credstack.settings import Settings


def test_refusals_counted_by_a_command_are_written_when_its_runtime_closes(
        settings: Settings) -> None:
    """A command's runtime counts refusals past the budget as the server does; what is
    still counted when it closes is written then, as the server writes it when it stops:
    none is lost."""
    configured = dataclasses.replace(settings, secret_key=new_master_key_text(),
                                     audit_refusals_per_minute=2)
    with open_runtime(settings=configured) as runtime:
        for _ in range(5):
            with pytest.raises(AuthenticationRequiredError):
                clients.issue_token(runtime, client_id="nobody", secret="wrong", scope=None,
                                    ip="192.0.2.5")
    with open_runtime(settings=configured) as runtime, runtime.transaction() as session:
        logged = audit.entries(session, limit=100)
    assert [e.action for e in logged].count("token.refused") == 2
    (counted,) = [e for e in logged if e.action == "token.refused.counted"]
    assert counted.details["refused"] == 3 and counted.details["ip"] == "192.0.2.5"
