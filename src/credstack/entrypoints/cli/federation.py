"""``credstack federation …``: the registry as an OpenID Federation trust anchor.

``credstack federation keys rotate [--organisation ORG]`` retires the anchor's federation
key (or that of a recognised provider's entity) and makes the next; the retired key stays in
the published JWK set for a day, the lifetime of what it signed, so chains resolved before
keep validating. The keys are sealed in the key store: nothing here prints a secret.
"""

from __future__ import annotations

from typing import Annotated

import typer

from credstack.entrypoints.cli.console import DataDir, acting, operator, plain, say
from credstack.services.federation import keys as federation_keys

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
