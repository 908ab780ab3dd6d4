"""``credstack issuer …`` (DIDs and signing keys) and ``credstack keys secret`` (master key).

``credstack issuer keys ob2-rotate --organisation ORG [--alg RS256|ES256]`` retires the
organisation's Open Badges 2.0 key and makes a new one (default algorithm:
``CREDSTACK_OB2_ALGORITHM``); its signed OB 2.0 badges are signed with it from then on.

Nothing here prints a secret issuer key: the commands show public keys and identifiers only.
``credstack keys secret`` prints a fresh *master key* for the key store, which is its purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from credstack.adapters.cli.console import err, fail, operator, out, runtime, say
from credstack.core.crypto.keys import KeyType
from credstack.errors import CredstackError
from credstack.services.issuance import keys as issuer_keys
from credstack.services.openbadges_v2 import keys as ob2_keys
from credstack.services.openbadges_v2.service import key_url

app = typer.Typer(help="Issuer identity: DIDs and signing keys. / 発行者の DID と署名鍵",
                  no_args_is_help=True)
keys_app = typer.Typer(help="An organisation's signing keys. / 組織の署名鍵",
                      no_args_is_help=True)
app.add_typer(keys_app, name="keys")
#: ``credstack keys …``: the key store itself (registered at the top level).
store_app = typer.Typer(help="The key store's master key. / 鍵ストアのマスター鍵",
                        no_args_is_help=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the SQLite store lives.",
                                              envvar="CREDSTACK_DATA_DIR")]
OrganisationOption = Annotated[str, typer.Option(
    "--organisation", help="The organisation's slug.", show_default=False)]
TypeOption = Annotated[KeyType, typer.Option(
    "--type", help="Ed25519 (EdDSA, Data Integrity eddsa-*) or P-256 (ES256).",
    case_sensitive=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@keys_app.command("create")
def create(organisation: OrganisationOption, key_type: TypeOption = KeyType.ED25519,
           data_dir: DataDir = None) -> None:
    """Create an organisation's first key of a type (refused when it has one: rotate it)."""
    try:
        with runtime(data_dir) as opened:
            key = issuer_keys.create_key(opened, actor=operator(), organisation=organisation,
                                         key_type=key_type)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    method = key.verification_method
    out.print(say(f"Created {key.type} key {key.fragment} for {organisation}: {method}",
                  f"{organisation} の {key.type} 鍵 {key.fragment} を作成しました：{method}"),
              soft_wrap=True, markup=False, emoji=False)


@keys_app.command("rotate")
def rotate(organisation: OrganisationOption, key_type: TypeOption = KeyType.ED25519,
           data_dir: DataDir = None) -> None:
    """Retire the active key of a type and create its successor for new credentials."""
    try:
        with runtime(data_dir) as opened:
            key = issuer_keys.rotate_key(opened, actor=operator(), organisation=organisation,
                                         key_type=key_type)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    method = key.verification_method
    out.print(say(
        f"Rotated the {key.type} key of {organisation}: new credentials are signed with "
        f"{method}; credentials signed with retired keys keep verifying.",
        f"{organisation} の {key.type} 鍵を更新しました。新しい証明は {method} で署名"
        "されます。廃止した鍵で署名された証明も引き続き検証できます。"),
        soft_wrap=True, markup=False, emoji=False)


@keys_app.command("ob2-rotate")
def ob2_rotate(organisation: OrganisationOption,
               algorithm: Annotated[str | None, typer.Option(
                   "--alg", help="RS256 (RSA-2048; the only one the 1EdTech validator "
                                 "accepts) or ES256 (P-256, faster). Default: "
                                 "CREDSTACK_OB2_ALGORITHM, else RS256.",
                   show_default=False)] = None,
               data_dir: DataDir = None) -> None:
    """Retire the organisation's Open Badges 2.0 key and make a new one for its signed badges."""
    try:
        with runtime(data_dir) as opened:
            key = ob2_keys.rotate_key(opened, actor=operator(), organisation=organisation,
                                      algorithm=algorithm)
            settings = opened.settings
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    url = key_url(settings.public_url, organisation, key.fragment)
    out.print(say(
        f"New Open Badges 2.0 key of {organisation} ({key.algorithm}): {url}. Signed badges "
        "are signed with it from now on; those signed with retired keys keep verifying.",
        f"{organisation} の Open Badges 2.0 鍵（{key.algorithm}）を作成しました：{url}。"
        "以後の署名付きバッジはこの鍵で署名されます。廃止した鍵で署名されたバッジも引き続き"
        "検証できます。"), soft_wrap=True, markup=False, emoji=False)


@keys_app.command("list")
def list_(organisation: OrganisationOption, as_json: JsonOption = False,
          data_dir: DataDir = None) -> None:
    """List an organisation's keys, active and retired (public halves only)."""
    try:
        with runtime(data_dir) as opened:
            issuer = issuer_keys.issuer(opened, organisation=organisation)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    if as_json:
        typer.echo(issuer.model_dump_json(include={"keys"}, indent=2))
        return
    table = Table(title=say(f"Keys of {organisation}", f"{organisation} の鍵"),
                  title_justify="left")
    for heading in (say("key", "鍵"), say("type", "種類"), say("state", "状態"),
                    say("created", "作成"), say("retired", "廃止")):
        table.add_column(heading, no_wrap=True)
    table.add_column("publicKeyMultibase", overflow="fold")
    for key in issuer.keys:
        state = say("active", "使用中") if key.active else say("retired", "廃止")
        table.add_row(key.fragment, key.type.value, state, f"{key.created_at:%Y-%m-%d}",
                      f"{key.retired_at:%Y-%m-%d}" if key.retired_at else "",
                      key.public_key_multibase)
    out.print(table)
    if not issuer.keys:
        out.print(say(f"No keys yet: credstack issuer keys create --organisation {organisation}",
                      f"鍵はまだありません：credstack issuer keys create --organisation "
                      f"{organisation}"), soft_wrap=True)


@app.command()
def show(organisation: OrganisationOption, as_json: JsonOption = False,
         data_dir: DataDir = None) -> None:
    """Show an organisation's DIDs, verification methods and active keys."""
    try:
        with runtime(data_dir) as opened:
            issuer = issuer_keys.issuer(opened, organisation=organisation)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    if as_json:
        typer.echo(issuer.model_dump_json(indent=2))
        return
    out.print(f"[bold]{organisation}[/]", soft_wrap=True)
    out.print(f"  did:web  {issuer.did}", soft_wrap=True, markup=False, emoji=False)
    out.print(f"  {say('document', '文書')}  {issuer.did_document_url}", soft_wrap=True,
              markup=False, emoji=False)
    if not issuer.keys:
        out.print(say(f"  No keys yet: credstack issuer keys create --organisation "
                      f"{organisation}",
                      f"  鍵はまだありません：credstack issuer keys create --organisation "
                      f"{organisation}"), soft_wrap=True)
    for key in issuer.keys:
        state = say("active", "使用中") if key.active else say("retired", "廃止")
        out.print(f"  {key.fragment} {key.type.value} ({state})", soft_wrap=True)
        out.print(f"    {key.verification_method}", soft_wrap=True, markup=False, emoji=False)
        out.print(f"    {key.did_key}", soft_wrap=True, markup=False, emoji=False)


@store_app.command("secret")
def secret(output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the key to this new file (mode 0600) instead of "
        "printing it.")] = None) -> None:
    """Make a fresh master key for the issuer key store and say how to use it."""
    if output is None:
        typer.echo(issuer_keys.new_master_key())
        err.print(say(
            "Keep this secret key safe and set it for every credstack process, for example:\n"
            "  export CREDSTACK_SECRET_KEY=<the key above>\n"
            "or store it in a file readable only by credstack and set "
            "CREDSTACK_SECRET_KEY_FILE to its path. Losing it loses the issuer keys.",
            "この秘密鍵を安全に保管し、credstack のすべてのプロセスに設定してください。例：\n"
            "  export CREDSTACK_SECRET_KEY=<上の鍵>\n"
            "または credstack だけが読めるファイルに保存し、そのパスを "
            "CREDSTACK_SECRET_KEY_FILE に設定してください。失うと発行者の鍵も失われます。"),
            soft_wrap=True, markup=False, emoji=False)
        return
    try:
        issuer_keys.new_master_key(output=output)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    err.print(say(f"Wrote a new secret key to {output} (mode 0600). Set "
                  f"CREDSTACK_SECRET_KEY_FILE={output.resolve()} for every credstack process.",
                  f"新しい秘密鍵を {output} に書き出しました（モード 0600）。credstack の"
                  f"すべてのプロセスで CREDSTACK_SECRET_KEY_FILE={output.resolve()} を設定"
                  "してください。"), soft_wrap=True, markup=False, emoji=False)
