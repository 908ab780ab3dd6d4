"""``credstack federation …``: the registry as an OpenID Federation trust anchor.

``credstack federation keys rotate [--organisation ORG]`` retires the anchor's federation
key (or that of a recognised provider's entity) and makes the next; the retired key stays in
the published JWK set for a day, the lifetime of what it signed, so chains resolved before
keep validating. The keys are sealed in the key store: nothing here prints a secret.

``credstack federation check DID [--programme URL] [--oidf ANCHOR]… [--dcc-registry URL]…
[--no-own] [--offline]`` says which trusted registries list an issuer, in plain words
("認定された提供機関：…（…）"), and whether a recognition covers the programme; it exits 0
when listed, 1 when not, 3 when a registry could not be checked and none listed it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    err,
    language,
    operator,
    plain,
    say,
)
from credstack.services.federation import keys as federation_keys
from credstack.services.federation import trust
from credstack.services.federation.trust import TrustedRegistry

app = typer.Typer(
    help="The registry as an OpenID Federation trust anchor. "
    "/ OpenID Federation のトラストアンカーとしての登録簿",
    no_args_is_help=True,
)
keys_app = typer.Typer(
    help="The federation's signing keys. / フェデレーションの署名鍵", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


@keys_app.command("rotate")
def rotate(
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="A recognised provider's slug; without it, the anchor's own key.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Retire the federation key and make its successor; the old one stays published a day."""
    with acting(data_dir) as opened:
        rotated = federation_keys.rotate_key(opened, actor=operator(), organisation=organisation)
    whose = organisation or "the trust anchor"
    whose_ja = organisation or "トラストアンカー"
    retired = (
        f" Key {rotated.retired} stays published until "
        f"{rotated.retired_published_until:%Y-%m-%d %H:%M} UTC."
        if rotated.retired and rotated.retired_published_until
        else ""
    )
    retired_ja = (
        f"鍵 {rotated.retired} は {rotated.retired_published_until:%Y-%m-%d %H:%M} "
        "(UTC) まで公開されます。"
        if rotated.retired and rotated.retired_published_until
        else ""
    )
    plain(
        say(
            f"Rotated the federation key of {whose}: statements are signed with key "
            f"{rotated.kid} from now on.{retired}",
            f"{whose_ja} のフェデレーション鍵を更新しました。これからの署名は鍵 {rotated.kid} "
            f"で行います。{retired_ja}",
        )
    )


#: Exit codes of ``credstack federation check``, as ``credstack verify``'s three states.
EXIT_LISTED, EXIT_NOT_LISTED, EXIT_UNKNOWN = 0, 1, 3


@app.command("check")
def check(
    issuer: Annotated[str, typer.Argument(help="The issuer's DID.", show_default=False)],
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="The credential's achievement (programme version) URL.",
            show_default=False,
        ),
    ] = None,
    own: Annotated[
        bool,
        typer.Option(
            "--own/--no-own", help="Check this credstack's own registry (from the store)."
        ),
    ] = True,
    anchors: Annotated[
        list[str] | None,
        typer.Option(
            "--oidf",
            help="An OpenID Federation trust anchor's entity identifier (repeatable).",
            show_default=False,
        ),
    ] = None,
    legacy: Annotated[
        list[str] | None,
        typer.Option(
            "--dcc-registry",
            help="A DCC legacy registry.json URL (repeatable).",
            show_default=False,
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Read no registry over the network.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Which trusted registries list an issuer: listed (exit 0), not listed (1), or could
    not be checked (3)."""
    trusted = [
        *(
            [
                TrustedRegistry(
                    say("this registry", "この登録簿"),
                    "own",
                    names={"ja": "この登録簿", "en": "this registry"},
                )
            ]
            if own
            else []
        ),
        *(TrustedRegistry(url, "oidf", url) for url in anchors or ()),
        *(TrustedRegistry(url, "dcc-legacy", url) for url in legacy or ()),
    ]
    with acting(data_dir) as opened:
        verdict = trust.check_issuer(
            opened, issuer=issuer, achievement=programme, trusted=trusted, offline=offline
        )
    plain(verdict.line(language()))
    if verdict.covers_programme is not None and programme:
        plain(
            say(
                "The recognition covers this programme."
                if verdict.covers_programme
                else "No recognition covers this programme.",
                "認定はこのプログラムに及びます。"
                if verdict.covers_programme
                else "このプログラムを対象とする認定はありません。",
            )
        )
    for name, why in verdict.unchecked:
        err.print(
            say(f"Not checked: {name} ({why})", f"確認できませんでした：{name}（{why}）"),
            markup=False,
            highlight=False,
        )
    raise typer.Exit(
        {"listed": EXIT_LISTED, "not-listed": EXIT_NOT_LISTED}.get(verdict.state, EXIT_UNKNOWN)
    )
