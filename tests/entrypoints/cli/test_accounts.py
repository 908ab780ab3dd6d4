"""``credstack accounts``: users, roles, passwords and API clients from the command line."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from credstack.adapters.keystore import new_master_key_text
from credstack.entrypoints.cli.main import app
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import add_organisation, store_session
from tests.conftest import store_environment

PASSWORD = "a long enough password"


@pytest.fixture
def configured(settings: Settings) -> Settings:
    add_organisation(settings, "hokuto-tech")
    return dataclasses.replace(settings, secret_key=new_master_key_text())


def run(settings: Settings, *args: str, stdin: str | None = None, lang: str = "en"):
    env = store_environment(settings, secret=settings.secret_key or "", lang=lang)
    return CliRunner().invoke(app, ["accounts", *args], env=env, input=stdin)


def test_a_user_is_added_with_a_role_and_listed(configured):
    """user add with --password-stdin and --org/--role; user list --json shows it."""
    result = run(configured, "user", "add", "--email", "Admin@Example.org", "--name", "Admin",
                 "--password-stdin", "--org", "hokuto-tech", "--role", "provider-admin",
                 stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output
    listed = json.loads(run(configured, "user", "list", "--json").output)
    assert listed[0]["email"] == "admin@example.org"
    assert listed[0]["roles"] == [{"organisation": "hokuto-tech", "role": "provider-admin"}]


def test_a_short_password_is_refused_in_both_languages(configured):
    """The password policy: at least 12 characters; the title speaks Japanese when asked."""
    result = run(configured, "user", "add", "--email", "a@example.org", "--name", "A",
                 "--password-stdin", stdin="short\n")
    assert result.exit_code == 1 and "12 characters" in result.output
    result = run(configured, "user", "add", "--email", "a@example.org", "--name", "A",
                 "--password-stdin", stdin="short\n", lang="ja")
    assert result.exit_code == 1 and "12" in result.output
    assert not result.output.isascii()


def test_roles_are_added_and_removed(configured):
    """role add / role remove; a registry admin needs no organisation; unknown org: 1."""
    run(configured, "user", "add", "--email", "u@example.org", "--name", "U",
        "--password-stdin", stdin=PASSWORD + "\n")
    assert run(configured, "user", "role", "add", "--email", "u@example.org",
               "--role", "registry-admin").exit_code == 0
    assert run(configured, "user", "role", "add", "--email", "u@example.org", "--org",
               "hokuto-tech", "--role", "issuer").exit_code == 0
    assert run(configured, "user", "role", "add", "--email", "u@example.org", "--org",
               "nowhere", "--role", "issuer").exit_code == 1
    assert run(configured, "user", "role", "add", "--email", "u@example.org", "--org",
               "hokuto-tech", "--role", "evaluator").exit_code == 1
    assert run(configured, "user", "role", "remove", "--email", "u@example.org", "--org",
               "hokuto-tech", "--role", "issuer").exit_code == 0
    listed = json.loads(run(configured, "user", "list", "--json").output)
    assert listed[0]["roles"] == [{"organisation": "*", "role": "registry-admin"}]


def test_a_client_is_created_once_and_revoked(configured):
    """client add prints the id and secret; client revoke revokes it; changes are audited."""
    run(configured, "user", "add", "--email", "u@example.org", "--name", "U",
        "--password-stdin", "--org", "hokuto-tech", "--role", "issuer", stdin=PASSWORD + "\n")
    result = run(configured, "client", "add", "--user", "u@example.org",
                 "--scope", "credentials:issue")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.output.splitlines() if ": " in line)
    assert lines["client_id"].startswith("cs_") and len(lines["client_secret"]) >= 40
    assert run(configured, "client", "add", "--user", "u@example.org",
               "--scope", "keys:manage").exit_code == 1
    assert run(configured, "client", "revoke", lines["client_id"]).exit_code == 0
    assert run(configured, "client", "revoke", "cs_unknown").exit_code == 1
    with store_session(configured) as session:
        actions = [entry.action for entry in audit.entries(session, limit=100)]
    assert actions == ["user.created", "membership.added", "client.created", "client.revoked"]


def test_passwords_are_set_and_reset_links_printed(configured):
    """set-password takes the new one (policy applied); reset-password prints a link."""
    run(configured, "user", "add", "--email", "u@example.org", "--name", "U",
        "--password-stdin", stdin=PASSWORD + "\n")
    assert run(configured, "user", "set-password", "--email", "u@example.org",
               "--password-stdin", stdin="short\n").exit_code == 1
    done = run(configured, "user", "set-password", "--email", "u@example.org",
               "--password-stdin", stdin="another long password\n")
    assert done.exit_code == 0, done.output
    reset = run(configured, "user", "reset-password", "--email", "u@example.org")
    assert reset.exit_code == 0, reset.output
    assert f"{configured.public_url.rstrip('/')}/password-reset/" in reset.output
    assert run(configured, "user", "reset-password", "--email", "nobody@example.org"
               ).exit_code == 1
    with store_session(configured) as session:
        actions = [entry.action for entry in audit.entries(session, limit=100)]
    assert actions == ["user.created", "password.set", "password.reset"]


def test_users_are_disabled_and_enabled(configured):
    """disable / enable; the list shows the state."""
    run(configured, "user", "add", "--email", "u@example.org", "--name", "U",
        "--password-stdin", stdin=PASSWORD + "\n")
    assert run(configured, "user", "disable", "--email", "u@example.org").exit_code == 0
    assert json.loads(run(configured, "user", "list", "--json").output)[0]["disabled"] is True
    assert "(disabled)" in run(configured, "user", "list").output
    assert run(configured, "user", "enable", "--email", "u@example.org").exit_code == 0
    assert json.loads(run(configured, "user", "list", "--json").output)[0]["disabled"] is False
    assert run(configured, "user", "disable", "--email", "nobody@example.org").exit_code == 1


def test_invitations_are_made_listed_and_revoked(configured):
    """invitation add prints the link once; list shows it; revoke stops it (audited)."""
    made = run(configured, "invitation", "add", "--org", "hokuto-tech", "--email",
               "New@Example.jp", "--role", "issuer", "--language", "en")
    assert made.exit_code == 0, made.output
    assert "/invitations/" in made.output.splitlines()[0]
    assert "Invited new@example.jp as issuer of hokuto-tech" in made.output
    renewed = run(configured, "invitation", "add", "--org", "hokuto-tech", "--email",
                  "new@example.jp", "--role", "learner", lang="ja")
    assert "new@example.jp を hokuto-tech の learner に再招待しました" in renewed.output
    [pending] = json.loads(run(configured, "invitation", "list", "--org", "hokuto-tech",
                               "--json").output)
    assert (pending["email"], pending["role"]) == ("new@example.jp", "learner")
    revoked = run(configured, "invitation", "revoke", str(pending["id"]), "--org",
                  "hokuto-tech")
    assert revoked.exit_code == 0, revoked.output
    assert "No pending invitations." in run(configured, "invitation", "list", "--org",
                                            "hokuto-tech").output
    bad = run(configured, "invitation", "add", "--org", "hokuto-tech", "--email", "x@y.jp",
              "--role", "issuer", "--language", "fr")
    assert bad.exit_code == 1 and "--language is ja or en" in bad.output
    with store_session(configured) as session:
        actions = [e.action for e in audit.entries(session, limit=100)]
    assert actions.count("invitation.created") == 1 and "invitation.renewed" in actions
    assert "invitation.revoked" in actions
