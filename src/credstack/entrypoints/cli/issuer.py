"""``credstack issuer …`` (DIDs and signing keys) and ``credstack keys secret`` (master key).

``credstack issuer keys ob2-rotate --organisation ORG [--alg RS256|ES256]`` retires the
organisation's Open Badges 2.0 key and makes a new one (default algorithm:
``CREDSTACK_OB2_ALGORITHM``); its signed OB 2.0 badges are signed with it from then on.

Nothing here prints a secret issuer key: the commands show public keys and identifiers only.
``credstack keys secret`` prints a fresh *master key* for the key store, which is its purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column

from credstack.core.crypto.keys import KeyType
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    OrganisationOption,
    acting,
    err,
    exit_on_error,
    operator,
    out,
    plain,
    print_table,
    t,
)
from credstack.services.issuance import keys as issuer_keys
from credstack.services.issuance.keys import IssuerKeyPublic, IssuerPublic
from credstack.services.openbadges_v2 import keys as ob2_keys
from credstack.services.openbadges_v2.service import key_url

app = typer.Typer(help="cli.help.issuer.issuer_identity_dids_and",
                  no_args_is_help=True)
keys_app = typer.Typer(help="cli.help.issuer.an_organisations_signing_keys",
                      no_args_is_help=True)
app.add_typer(keys_app, name="keys")
#: ``credstack keys …``: the key store itself (registered at the top level).
store_app = typer.Typer(help="cli.help.issuer.the_key_stores_master",
                        no_args_is_help=True)

TypeOption = Annotated[KeyType, typer.Option(
    "--type", help="cli.help.issuer.ed25519_eddsa_data_integrity",
    case_sensitive=False)]
#: A service that makes an organisation a key of a type (its first one, or a successor).
KeyChange = Callable[..., IssuerKeyPublic]


def _change_key(change: KeyChange, organisation: str, key_type: KeyType,
                data_dir: Path | None) -> tuple[IssuerKeyPublic, str]:
    """The key ``change`` made, and its verification method."""
    with acting(data_dir) as opened:
        key = change(opened, actor=operator(), organisation=organisation, key_type=key_type)
    return key, key.verification_method


def _issuer(organisation: str, data_dir: Path | None) -> IssuerPublic:
    with acting(data_dir) as opened:
        return issuer_keys.issuer(opened, organisation=organisation)


def _no_keys_yet(organisation: str, *, indent: str = "") -> str:
    return t("cli.issuer.no_keys_yet_credstack_issuer", indent=indent, organisation=organisation)


def _state(key: IssuerKeyPublic) -> str:
    return t("cli.issuer.active") if key.active else t("cli.issuer.retired")


@keys_app.command("create", help="cli.help.issuer.create_an_organisations_first")
def create(organisation: OrganisationOption, key_type: TypeOption = KeyType.ED25519,
           data_dir: DataDir = None) -> None:
    key, method = _change_key(issuer_keys.create_key, organisation, key_type, data_dir)
    plain(t("cli.issuer.created_key", type=key.type, fragment=key.fragment,
            organisation=organisation, method=method))


@keys_app.command("rotate", help="cli.help.issuer.retire_the_active_key")
def rotate(organisation: OrganisationOption, key_type: TypeOption = KeyType.ED25519,
           data_dir: DataDir = None) -> None:
    key, method = _change_key(issuer_keys.rotate_key, organisation, key_type, data_dir)
    plain(t("cli.issuer.rotated_key_new_credentials_signed", type=key.type,
            organisation=organisation, method=method))


@keys_app.command("ob2-rotate", help="cli.help.issuer.retire_the_organisations_open")
def ob2_rotate(organisation: OrganisationOption,
               algorithm: Annotated[str | None, typer.Option(
                   "--alg", help="cli.help.issuer.rs256_rsa_2048_the",
                   show_default=False)] = None,
               data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        key = ob2_keys.rotate_key(opened, actor=operator(), organisation=organisation,
                                  algorithm=algorithm)
        settings = opened.settings
    url = key_url(settings.public_url, organisation, key.fragment)
    plain(t("cli.issuer.new_open_badges_2_0", organisation=organisation, algorithm=key.algorithm,
            url=url))


@keys_app.command("list", help="cli.help.issuer.list_an_organisations_keys")
def list_(organisation: OrganisationOption, as_json: JsonOption = False,
          data_dir: DataDir = None) -> None:
    issuer = _issuer(organisation, data_dir)
    if as_json:
        typer.echo(issuer.model_dump_json(include={"keys"}, indent=2))
        return
    columns = [Column(heading, no_wrap=True) for heading in (
        t("cli.issuer.key"), t("cli.issuer.type"), t("cli.issuer.state"), t("cli.issuer.created"),
        t("cli.issuer.retired"))]
    print_table([*columns, Column("publicKeyMultibase", overflow="fold")], [
        (key.fragment, key.type.value, _state(key), f"{key.created_at:%Y-%m-%d}",
         f"{key.retired_at:%Y-%m-%d}" if key.retired_at else "", key.public_key_multibase)
        for key in issuer.keys], title=t("cli.issuer.keys", organisation=organisation),
        title_justify="left")
    if not issuer.keys:
        out.print(_no_keys_yet(organisation), soft_wrap=True)


@app.command(help="cli.help.issuer.show_an_organisations_dids")
def show(organisation: OrganisationOption, as_json: JsonOption = False,
         data_dir: DataDir = None) -> None:
    issuer = _issuer(organisation, data_dir)
    if as_json:
        typer.echo(issuer.model_dump_json(indent=2))
        return
    out.print(f"[bold]{organisation}[/]", soft_wrap=True)
    plain(f"  did:web  {issuer.did}")
    plain(f"  {t('cli.issuer.document')}  {issuer.did_document_url}")
    if not issuer.keys:
        out.print(_no_keys_yet(organisation, indent="  "), soft_wrap=True)
    for key in issuer.keys:
        out.print(f"  {key.fragment} {key.type.value} ({_state(key)})", soft_wrap=True)
        plain(f"    {key.verification_method}")
        plain(f"    {key.did_key}")


@store_app.command("secret", help="cli.help.issuer.make_a_fresh_master")
def secret(output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="cli.help.issuer.write_the_key_to")] = None) -> None:
    if output is None:
        typer.echo(issuer_keys.new_master_key())
        err.print(t("cli.issuer.keep_this_secret_key_safe"),
            soft_wrap=True, markup=False, emoji=False)
        return
    with exit_on_error():
        issuer_keys.new_master_key(output=output)
    err.print(t("cli.issuer.wrote_new_secret_key_mode", output=output,
                resolve=output.resolve()), soft_wrap=True, markup=False, emoji=False)
