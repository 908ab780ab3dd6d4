"""``credstack accounts …``: users, their roles and passwords, and API clients.

* ``credstack accounts user add --email E --name N [--password-stdin] [--org SLUG --role R]``
  creates a user (the password is asked for twice, or read from standard input); with
  ``--role`` it gives them that role (``registry-admin`` needs no ``--org``).
* ``credstack accounts user role add|remove --email E [--org SLUG] --role R``
* ``credstack accounts user list [--json]``
* ``credstack accounts user set-password --email E [--password-stdin]`` sets a password;
  ``credstack accounts user reset-password --email E`` prints a one-time link (valid for a
  day) to hand to the user, who sets a new password with it.
* ``credstack accounts user disable|enable --email E``: a disabled user cannot sign in, and
  their web sessions and tokens stop working at once.
* ``credstack accounts client add --user E --scope S [--scope S …] [--name N]`` prints the
  new client's id and secret — the secret only this once.
* ``credstack accounts client revoke CLIENT_ID``
* ``credstack accounts invitation add --org SLUG --email E --role R [--language ja|en]``
  invites an address to a role (the link is printed once and e-mailed by a worker; a pending
  invitation of the address is renewed); ``invitation list --org SLUG [--json]`` shows the
  pending ones, ``invitation revoke --org SLUG ID`` stops one's link working.

Every change is written to the audit log by its service, with ``cli:<operating-system
user>`` as the actor. Exit codes: 0 done, 1 refused (bad input, unknown user or
organisation, a conflict).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from credstack.core.access import PLATFORM, Role, all_scopes
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    acting,
    echo_json,
    exit_on_error,
    help_with,
    operator,
    out,
    t,
)
from credstack.errors import InputError, Problem
from credstack.services.accounts import clients, passwords
from credstack.services.accounts import service as accounts
from credstack.services.workspace import members

app = typer.Typer(help="cli.help.accounts.accounts_users_roles_api", no_args_is_help=True)
users_app = typer.Typer(help="cli.help.accounts.users_and_their_roles", no_args_is_help=True)
roles_app = typer.Typer(help="cli.help.accounts.a_users_roles_in",
                        no_args_is_help=True)
clients_app = typer.Typer(help="cli.help.accounts.api_clients_oauth_2",
                          no_args_is_help=True)
app.add_typer(users_app, name="user")
users_app.add_typer(roles_app, name="role")
app.add_typer(clients_app, name="client")
invitations_app = typer.Typer(help="cli.help.accounts.invitations_to_an_organisations",
                              no_args_is_help=True)
app.add_typer(invitations_app, name="invitation")

Email = Annotated[str, typer.Option("--email", help="cli.help.accounts.the_users_e_mail")]
Organisation = Annotated[str | None, typer.Option("--org",
    help="cli.help.accounts.the_organisation_slug")]
RoleOption = Annotated[str | None, typer.Option("--role", help=help_with(
    "cli.help.accounts.one_of_roles", roles=", ".join(r.value for r in Role)))]
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="cli.help.accounts.read_the_password_from")]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt(t("cli.accounts.password"), hide_input=True)
    again = typer.prompt(t("cli.accounts.password_again"), hide_input=True)
    if first != again:
        raise InputError("The two passwords differ.",
                         problems=[Problem("password", "the two entries differ")])
    return str(first)


@users_app.command("add", help="cli.help.accounts.create_a_user_and")
def add_user(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="cli.help.accounts.the_name_shown_for")],
    password_stdin: PasswordStdin = False,
    organisation: Organisation = None,
    role: RoleOption = None,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error():
        if organisation and not role:
            raise InputError("--org needs --role.", problems=[Problem("role", "missing")])
        password = _read_password(password_stdin)
    with acting(data_dir) as runtime:
        user = accounts.add_user(runtime, actor=operator(), email=email, display_name=name,
                                 password=password, organisation=organisation, role=role)
    out.print(t("cli.accounts.created_user", id=user.id, email=user.email), soft_wrap=True)
    for membership in sorted(user.memberships, key=lambda m: (m.organisation, m.role.value)):
        out.print(f"  {membership.role.value} @ {membership.organisation}", soft_wrap=True)


def _change_role(email: str, organisation: str | None, role: str | None, *, add: bool,
                 data_dir: Path | None) -> None:
    with exit_on_error():
        if not role:
            raise InputError("--role is required.", problems=[Problem("role", "missing")])
    change = accounts.add_role if add else accounts.remove_role
    with acting(data_dir) as runtime:
        user = change(runtime, actor=operator(), email=email, organisation=organisation,
                      role=role)
    where = organisation or PLATFORM
    out.print(t("cli.accounts.role_added" if add else "cli.accounts.role_removed", email=user.email,
                role=role, where=where),
              soft_wrap=True)


@roles_app.command("add", help="cli.help.accounts.give_a_user_a")
def add_role(email: Email, role: RoleOption = None, organisation: Organisation = None,
             data_dir: DataDir = None) -> None:
    _change_role(email, organisation, role, add=True, data_dir=data_dir)


@roles_app.command("remove", help="cli.help.accounts.take_a_role_in")
def remove_role(email: Email, role: RoleOption = None, organisation: Organisation = None,
                data_dir: DataDir = None) -> None:
    _change_role(email, organisation, role, add=False, data_dir=data_dir)


@users_app.command("list", help="cli.help.accounts.list_the_users_and")
def list_users(as_json: JsonOption = False, data_dir: DataDir = None) -> None:
    with acting(data_dir) as runtime:
        found = accounts.list_users(runtime, actor=operator())
    rows: list[dict[str, Any]] = [
        {"id": u.id, "email": u.email, "name": u.display_name, "totp": u.totp_enabled,
         "disabled": u.disabled,
         "roles": [{"organisation": m.organisation, "role": m.role.value}
                   for m in sorted(u.memberships, key=lambda m: (m.organisation, m.role.value))]}
        for u in found]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        out.print(t("cli.accounts.no_users"))
    for row in rows:
        roles = ", ".join(f"{r['role']} @ {r['organisation']}" for r in row["roles"]) or "—"
        state = t("cli.accounts.disabled") if row["disabled"] else ""
        out.print(f"{row['id']:>4}  {row['email']}  ({row['name']})  {roles}{state}",
                  markup=False, soft_wrap=True)


@users_app.command("set-password", help="cli.help.accounts.set_a_users_password")
def set_password(email: Email, password_stdin: PasswordStdin = False,
                 data_dir: DataDir = None) -> None:
    with exit_on_error():
        password = _read_password(password_stdin)
    with acting(data_dir) as runtime:
        user = passwords.set_password(runtime, actor=operator(), email=email, password=password)
    out.print(t("cli.accounts.set_password", email=user.email), soft_wrap=True)


@users_app.command("reset-password", help="cli.help.accounts.print_a_one_time")
def reset_password(email: Email, data_dir: DataDir = None) -> None:
    with acting(data_dir) as runtime:
        link = passwords.start_reset(runtime, actor=operator(), email=email)
    out.print(link.url, markup=False, soft_wrap=True)
    out.print(t("cli.accounts.hand_this_link_by_safe", email=link.user.email,
                expires_at=link.expires_at), soft_wrap=True)


def _set_disabled(email: str, *, disabled: bool, data_dir: Path | None) -> None:
    with acting(data_dir) as runtime:
        user = accounts.set_disabled(runtime, actor=operator(), email=email, disabled=disabled)
    out.print(t("cli.accounts.now_disabled" if disabled else "cli.accounts.now_enabled",
                email=user.email),
              soft_wrap=True)


@users_app.command("disable", help="cli.help.accounts.disable_an_account_no")
def disable_user(email: Email, data_dir: DataDir = None) -> None:
    _set_disabled(email, disabled=True, data_dir=data_dir)


@users_app.command("enable", help="cli.help.accounts.enable_a_disabled_account")
def enable_user(email: Email, data_dir: DataDir = None) -> None:
    _set_disabled(email, disabled=False, data_dir=data_dir)


@clients_app.command("add", help="cli.help.accounts.create_an_api_client")
def add_client(
    user: Annotated[str, typer.Option("--user", help="cli.help.accounts.the_owners_e_mail")],
    scope: Annotated[list[str], typer.Option("--scope", help=help_with(
        "cli.help.accounts.a_scope_it_may", scopes=", ".join(sorted(all_scopes()))))],
    name: Annotated[str, typer.Option("--name",
        help="cli.help.accounts.a_name_for_the")] = "API client",
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        created = clients.add_client(runtime, actor=operator(), owner=user, name=name,
                                     scopes=scope)
    out.print(f"client_id: {created.client.client_id}", markup=False, soft_wrap=True)
    out.print(f"client_secret: {created.secret}", markup=False, soft_wrap=True)
    out.print(f"scope: {' '.join(sorted(created.client.scopes))}", markup=False,
              soft_wrap=True)
    out.print(t("cli.accounts.secret_shown_only_this_once"))


@clients_app.command("revoke", help="cli.help.accounts.revoke_an_api_client")
def revoke_client(client_id: Annotated[str, typer.Argument(metavar="CLIENT_ID")],
                  data_dir: DataDir = None) -> None:
    with acting(data_dir) as runtime:
        clients.revoke_client(runtime, actor=operator(), client_id=client_id)
    out.print(t("cli.accounts.revoked", client_id=client_id), soft_wrap=True)


OrganisationRequired = Annotated[str, typer.Option("--org",
    help="cli.help.accounts.the_organisation_slug")]


@invitations_app.command("add", help="cli.help.accounts.invite_an_e_mail")
def invite(email: Email, organisation: OrganisationRequired,
           role: Annotated[str, typer.Option("--role", help=help_with(
               "cli.help.accounts.one_of_roles", roles=", ".join(r.value for r in Role)))],
           language: Annotated[str, typer.Option(
               "--language", help="cli.help.accounts.the_invitation_e_mails")] = "ja",
           data_dir: DataDir = None) -> None:
    with exit_on_error():
        if language not in {"ja", "en"}:
            raise InputError(t("cli.accounts.language_ja_or_en", given=repr(language)),
                             problems=[Problem("language", language)])
    with acting(data_dir) as runtime:
        made = members.invite(runtime, actor=operator(), organisation=organisation,
                              email=email, role=role, language=language)
    out.print(made.url, markup=False, soft_wrap=True)
    expires = f"{made.invitation.expires_at:%Y-%m-%d %H:%M}"
    out.print(t("cli.accounts.invitation_renewed" if made.renewed else "cli.accounts.invited",
                email=made.invitation.email, role=made.invitation.role.value,
                organisation=organisation, expires=expires), soft_wrap=True)


@invitations_app.command("list", help="cli.help.accounts.list_an_organisations_pending")
def list_invitations(organisation: OrganisationRequired, as_json: JsonOption = False,
                     data_dir: DataDir = None) -> None:
    with acting(data_dir) as runtime:
        roster = members.roster(runtime, actor=operator(), organisation=organisation)
    rows = [{"id": i.id, "email": i.email, "role": i.role.value, "invited_by": i.invited_by,
             "expires_at": i.expires_at.isoformat()} for i in roster.invitations]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        out.print(t("cli.accounts.no_pending_invitations"))
    for row in rows:
        out.print(f"{row['id']:>4}  {row['email']}  {row['role']}  {row['expires_at']}",
                  markup=False, soft_wrap=True)


@invitations_app.command("revoke", help="cli.help.accounts.revoke_a_pending_invitation")
def revoke_invitation(invitation_id: Annotated[int, typer.Argument(metavar="ID", min=1)],
                      organisation: OrganisationRequired, data_dir: DataDir = None) -> None:
    with acting(data_dir) as runtime:
        members.revoke_invitation(runtime, actor=operator(), organisation=organisation,
                                  invitation_id=invitation_id)
    out.print(t("cli.accounts.revoked_invitation", invitation_id=invitation_id,
                organisation=organisation), soft_wrap=True)
