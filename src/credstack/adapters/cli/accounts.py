"""``credstack accounts …``: users, their roles in organisations, and API clients.

* ``credstack accounts user add --email E --name N [--password-stdin] [--org SLUG --role R]``
  creates a user (the password is asked for twice, or read from standard input); with
  ``--role`` it gives them that role (``registry-admin`` needs no ``--org``).
* ``credstack accounts user role add|remove --email E [--org SLUG] --role R``
* ``credstack accounts user list [--json]``
* ``credstack accounts client add --user E --scope S [--scope S …] [--name N]`` prints the
  new client's id and secret — the secret only this once.
* ``credstack accounts client revoke CLIENT_ID``

Every change is written to the audit log, with ``cli:<operating-system user>`` as the actor.
Exit codes: 0 done, 1 refused (bad input, unknown user or organisation, a conflict).
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from credstack.adapters.cli.console import fail, out, say, store, utc_now
from credstack.adapters.keystore import load_master_key
from credstack.core.access import PLATFORM, Role, all_scopes
from credstack.errors import CredstackError, InputError, Problem
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.settings import Settings

app = typer.Typer(help="Accounts: users, roles, API clients. / アカウント：利用者・役割・API "
                       "クライアント", no_args_is_help=True)
users_app = typer.Typer(help="Users and their roles. / 利用者と役割", no_args_is_help=True)
roles_app = typer.Typer(help="A user's roles in organisations. / 組織での役割",
                        no_args_is_help=True)
clients_app = typer.Typer(help="API clients (OAuth 2.0 client credentials). / API クライアント",
                          no_args_is_help=True)
app.add_typer(users_app, name="user")
users_app.add_typer(roles_app, name="role")
app.add_typer(clients_app, name="client")

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the SQLite store lives.",
                                              envvar="CREDSTACK_DATA_DIR")]
Email = Annotated[str, typer.Option("--email", help="The user's e-mail address.")]
Organisation = Annotated[str | None, typer.Option("--org", help="The organisation (slug).")]
RoleOption = Annotated[str | None, typer.Option("--role", help="One of: " + ", ".join(
    r.value for r in Role) + ".")]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _record(session: Session, settings: Settings, *, action: str, subject: str,
            details: dict[str, Any]) -> None:
    audit.record(session, at=utc_now(), actor=_actor(), action=action, subject=subject,
                 details=details, key=load_master_key(settings))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt(say("Password", "パスワード"), hide_input=True)
    again = typer.prompt(say("Password again", "パスワード（確認）"), hide_input=True)
    if first != again:
        raise InputError("The two passwords differ.",
                         problems=[Problem("password", "the two entries differ")])
    return str(first)


@users_app.command("add")
def add_user(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="The name shown for the user.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input (one line).")] = False,
    organisation: Organisation = None,
    role: RoleOption = None,
    data_dir: DataDir = None,
) -> None:
    """Create a user (and give them a role)."""
    try:
        if organisation and not role:
            raise InputError("--org needs --role.", problems=[Problem("role", "missing")])
        password = _read_password(password_stdin)
        with store(data_dir) as (settings, session), session.begin():
            user = accounts.create_user(session, email=email, display_name=name,
                                        password=password, now=utc_now())
            _record(session, settings, action="user.created", subject=user.subject,
                    details={"email": user.email})
            if role:
                user = accounts.add_membership(session, email=user.email,
                                               organisation=organisation, role=role,
                                               now=utc_now())
                _record(session, settings, action="membership.added", subject=user.subject,
                        details={"organisation": organisation, "role": role})
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    out.print(say(f"Created user {user.id}: {user.email}",
                  f"利用者 {user.id} を作成しました：{user.email}"), soft_wrap=True)
    for membership in sorted(user.memberships, key=lambda m: (m.organisation, m.role.value)):
        out.print(f"  {membership.role.value} @ {membership.organisation}", soft_wrap=True)


def _change_role(email: str, organisation: str | None, role: str | None, *, add: bool,
                 data_dir: Path | None) -> None:
    try:
        if not role:
            raise InputError("--role is required.", problems=[Problem("role", "missing")])
        with store(data_dir) as (settings, session), session.begin():
            if add:
                user = accounts.add_membership(session, email=email, organisation=organisation,
                                               role=role, now=utc_now())
            else:
                user = accounts.remove_membership(session, email=email,
                                                  organisation=organisation, role=role)
            _record(session, settings, action="membership.added" if add
                    else "membership.removed", subject=user.subject,
                    details={"organisation": organisation, "role": role})
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    where = organisation or PLATFORM
    out.print(say(f"{user.email}: {'added' if add else 'removed'} {role} @ {where}",
                  f"{user.email}：{where} の {role} を{'追加' if add else '削除'}しました"),
              soft_wrap=True)


@roles_app.command("add")
def add_role(email: Email, role: RoleOption = None, organisation: Organisation = None,
             data_dir: DataDir = None) -> None:
    """Give a user a role in an organisation."""
    _change_role(email, organisation, role, add=True, data_dir=data_dir)


@roles_app.command("remove")
def remove_role(email: Email, role: RoleOption = None, organisation: Organisation = None,
                data_dir: DataDir = None) -> None:
    """Take a role in an organisation away from a user."""
    _change_role(email, organisation, role, add=False, data_dir=data_dir)


@users_app.command("list")
def list_users(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
               data_dir: DataDir = None) -> None:
    """List the users and their roles."""
    try:
        with store(data_dir) as (_, session):
            found = accounts.users(session)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    rows: list[dict[str, Any]] = [
        {"id": u.id, "email": u.email, "name": u.display_name, "totp": u.totp_enabled,
         "disabled": u.disabled,
         "roles": [{"organisation": m.organisation, "role": m.role.value}
                   for m in sorted(u.memberships, key=lambda m: (m.organisation, m.role.value))]}
        for u in found]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print(say("No users.", "利用者はいません。"))
    for row in rows:
        roles = ", ".join(f"{r['role']} @ {r['organisation']}" for r in row["roles"]) or "—"
        out.print(f"{row['id']:>4}  {row['email']}  ({row['name']})  {roles}", markup=False,
                  soft_wrap=True)


@clients_app.command("add")
def add_client(
    user: Annotated[str, typer.Option("--user", help="The owner's e-mail address.")],
    scope: Annotated[list[str], typer.Option("--scope", help="A scope it may ask for "
                                             "(repeatable): " + ", ".join(sorted(all_scopes()))
                                             + ".")],
    name: Annotated[str, typer.Option("--name", help="A name for the client.")] = "API client",
    data_dir: DataDir = None,
) -> None:
    """Create an API client; prints its id and secret (the secret only this once)."""
    try:
        with store(data_dir) as (settings, session), session.begin():
            owner = accounts.user(session, email=user)
            created = accounts.create_client(session, user_id=owner.id, name=name,
                                             scopes=scope, now=utc_now())
            _record(session, settings, action="client.created",
                    subject=f"client:{created.client.client_id}",
                    details={"scopes": sorted(created.client.scopes), "owner": owner.subject})
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    out.print(f"client_id: {created.client.client_id}", markup=False, soft_wrap=True)
    out.print(f"client_secret: {created.secret}", markup=False, soft_wrap=True)
    out.print(f"scope: {' '.join(sorted(created.client.scopes))}", markup=False,
              soft_wrap=True)
    out.print(say("The secret is shown only this once; store it safely.",
                  "シークレットはこの一度しか表示されません。安全に保管してください。"))


@clients_app.command("revoke")
def revoke_client(client_id: Annotated[str, typer.Argument(metavar="CLIENT_ID")],
                  data_dir: DataDir = None) -> None:
    """Revoke an API client and every token it holds."""
    try:
        with store(data_dir) as (settings, session), session.begin():
            accounts.revoke_client(session, client_id=client_id, now=utc_now())
            _record(session, settings, action="client.revoked", subject=f"client:{client_id}",
                    details={})
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    out.print(say(f"Revoked {client_id}.", f"{client_id} を失効させました。"), soft_wrap=True)


def show_demo_accounts(data_dir: Path | None) -> None:
    """Create the demo accounts that are missing and print them (``serve --demo``)."""
    from credstack.demo.accounts import DEMO_PASSWORD, load_demo_accounts

    try:
        with store(data_dir) as (_, session), session.begin():
            ready = load_demo_accounts(session, now=utc_now())
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    if not ready:
        return
    out.print(say(f"Demo accounts (password: {DEMO_PASSWORD}) — sign in at /sign-in:",
                  f"デモ用アカウント（パスワード：{DEMO_PASSWORD}）— /sign-in でサインイン："),
              markup=False, soft_wrap=True)
    for account in ready:
        where = account.organisation or PLATFORM
        out.print(f"  {account.email:<30} {account.role.value} @ {where}", markup=False,
                  soft_wrap=True)
