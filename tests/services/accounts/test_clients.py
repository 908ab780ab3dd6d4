"""API clients and tokens: made and revoked by an administrator, audited once, and refused
once their owner is disabled."""

from __future__ import annotations

import pytest

from credstack.errors import AuthenticationRequiredError, InvalidTokenError, NotFoundError
from credstack.services.accounts import clients
from credstack.services.accounts import service as accounts
from credstack.services.runtime import Runtime
from credstack.words import error_words
from tests.accounts import PASSWORD
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]
EMAIL = "staff@example.org"


@pytest.fixture
def staff(runtime: Runtime) -> accounts.User:
    return accounts.add_user(runtime, actor=OPERATOR, email=EMAIL, display_name="Staff",
                             password=PASSWORD, organisation="hokuto-tech", role="issuer")


def test_a_client_is_made_and_revoked_with_one_entry_each(runtime: Runtime,
                                                          staff: accounts.User) -> None:
    created = clients.add_client(runtime, actor=OPERATOR, owner=EMAIL, name="robot",
                                 scopes=["credentials:issue"])
    clients.revoke_client(runtime, actor=OPERATOR, client_id=created.client.client_id)
    clients.revoke_client(runtime, actor=OPERATOR, client_id=created.client.client_id)
    subject = f"client:{created.client.client_id}"
    logged = [(e.action, e.subject, dict(e.details)) for e in entries(runtime)
              if e.action.startswith("client.")]
    assert logged == [
        ("client.created", subject, {"scopes": ["credentials:issue"], "owner": staff.subject}),
        ("client.revoked", subject, {"owner": staff.subject})]
    with pytest.raises(NotFoundError):
        clients.revoke_client(runtime, actor=OPERATOR, client_id="cs_unknown")


def test_a_disabled_owners_client_gets_no_token_and_its_tokens_are_refused(
        runtime: Runtime, staff: accounts.User) -> None:
    created = clients.add_client(runtime, actor=OPERATOR, owner=EMAIL, name="robot",
                                 scopes=["credentials:issue"])
    issued = clients.issue_token(runtime, client_id=created.client.client_id,
                                 secret=created.secret, scope=None, ip="192.0.2.1")
    assert clients.token_info(runtime, token=issued.access_token).user.id == staff.id
    accounts.set_disabled(runtime, actor=OPERATOR, email=EMAIL, disabled=True)
    with pytest.raises(InvalidTokenError) as refused:
        clients.token_info(runtime, token=issued.access_token)
    assert "disabled" in error_words(refused.value, "en")
    with pytest.raises(AuthenticationRequiredError, match="disabled"):
        clients.issue_token(runtime, client_id=created.client.client_id,
                            secret=created.secret, scope=None, ip="192.0.2.1")
    assert entries(runtime)[-1].action == "token.refused"
