"""The accounts' state changes write the same audit entries from the CLI and the API.

Twins (the harness is :mod:`tests.services.audit.parity`): roles added and removed
(``credstack accounts user role add|remove`` ↔ ``/api/organisations/{slug}/members``), API
clients made and revoked (``credstack accounts client add|revoke`` ↔ ``/api/me/clients``),
accounts disabled and enabled, passwords set and reset links made
(``credstack accounts user …`` ↔ ``/api/users/{email}/…``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from tests.accounts import add_user, api_client, signed_in_client
from tests.services.audit.parity import (
    SLUG,
    Store,
    Twin,
    assert_same_entries,
    cli_environment,
    store,
)

__all__ = ["store"]
NEW_PASSWORD = "a brand new passphrase"


def _person(store: Store, name: str, tag: str, **extra: Any) -> dict[str, Any]:
    """A fresh user with the issuer role: their address and subject, named for the twin."""
    email = f"{name}-{tag}@example.jp"
    user_id = add_user(store.settings, email, roles=[(SLUG, "issuer")])
    return {"email": email, "target": f"user:{user_id}", **extra}


def _ok(response: Any) -> None:
    assert response.status_code < 300, response.text


def _role_twin(add: bool) -> Twin:
    change = "add" if add else "remove"

    def setup(store: Store, tag: str) -> dict[str, Any]:
        context = _person(store, f"role-{change}", tag)
        if not add:
            store.cli("accounts", "user", "role", "add", "--email", context["email"],
                      "--org", SLUG, "--role", "employer")
        return context

    def api(store: Store, context: dict[str, Any]) -> None:
        if add:
            _ok(store.http.post(f"/api/organisations/{SLUG}/members",
                                json={"email": context["email"], "role": "employer"}))
        else:
            _ok(store.http.delete(f"/api/organisations/{SLUG}/members/{context['email']}"
                                  "/employer"))

    def cli(store: Store, context: dict[str, Any]) -> None:
        store.cli("accounts", "user", "role", change, "--email", context["email"], "--org",
                  SLUG, "--role", "employer")

    return Twin(f"role {change}", setup, api, cli)


def _signed_in(store: Store, name: str, tag: str) -> dict[str, Any]:
    """A fresh user signed in on the web (the sign-in's entries come before the twin's)."""
    context = _person(store, name, tag)
    context["web"] = signed_in_client(store.server.url, context["email"])
    return context


def _client_add() -> Twin:
    def api(store: Store, context: dict[str, Any]) -> None:
        with context["web"] as web:
            response = web.post("/api/me/clients", json={"name": "robot",
                                                         "scopes": ["credentials:issue"]})
        _ok(response)
        context["client"] = response.json()["client_id"]

    def cli(store: Store, context: dict[str, Any]) -> None:
        context["web"].close()
        output = store.cli("accounts", "client", "add", "--user", context["email"],
                           "--scope", "credentials:issue", "--name", "robot")
        context["client"] = output.split("client_id: ")[1].split()[0]

    return Twin("client add", lambda store, tag: _signed_in(store, "client-add", tag), api,
                cli)


def _client_revoke() -> Twin:
    def setup(store: Store, tag: str) -> dict[str, Any]:
        context = _signed_in(store, "client-revoke", tag)
        context["client"], _ = api_client(store.settings, context["email"],
                                          ["credentials:issue"])
        return context

    def api(store: Store, context: dict[str, Any]) -> None:
        with context["web"] as web:
            _ok(web.delete(f"/api/me/clients/{context['client']}"))

    def cli(store: Store, context: dict[str, Any]) -> None:
        context["web"].close()
        store.cli("accounts", "client", "revoke", context["client"])

    return Twin("client revoke", setup, api, cli)


def _user_twin(name: str, request: Callable[[Store, str], Any], command: list[str],
               *, before: tuple[str, ...] = (), stdin: str | None = None) -> Twin:
    def setup(store: Store, tag: str) -> dict[str, Any]:
        context = _person(store, name, tag)
        for step in before:
            store.cli("accounts", "user", step, "--email", context["email"])
        return context

    def api(store: Store, context: dict[str, Any]) -> None:
        _ok(request(store, context["email"]))

    def cli(store: Store, context: dict[str, Any]) -> None:
        result = CliRunner().invoke(app, ["accounts", "user", *command, "--email",
                                          context["email"]],
                                    env=cli_environment(store.settings), input=stdin)
        assert result.exit_code == 0, result.output

    return Twin(name, setup, api, cli)


TWINS = [
    _role_twin(add=True),
    _role_twin(add=False),
    _client_add(),
    _client_revoke(),
    _user_twin("disable", lambda store, email: store.http.post(f"/api/users/{email}/disable"),
               ["disable"]),
    _user_twin("enable", lambda store, email: store.http.post(f"/api/users/{email}/enable"),
               ["enable"], before=("disable",)),
    _user_twin("set-password", lambda store, email: store.http.put(
        f"/api/users/{email}/password", json={"password": NEW_PASSWORD}),
        ["set-password", "--password-stdin"], stdin=NEW_PASSWORD + "\n"),
    _user_twin("reset-password", lambda store, email: store.http.post(
        f"/api/users/{email}/password-reset"), ["reset-password"]),
]


@pytest.mark.parametrize("twin", TWINS, ids=lambda twin: twin.name)
def test_the_cli_and_the_api_write_the_same_audit_entries(store: Store, twin: Twin) -> None:
    """The same state change writes the same entries, whichever way it is asked for."""
    assert_same_entries(store, twin)
