"""``credstack oid4vc …``: OpenID for Verifiable Credentials housekeeping from the console.

``purge`` deletes the nonces, credential offers and presentation requests whose time is over
(:mod:`credstack.services.oid4vci.purge`; workers do it every hour), and says how many went.
Japanese or English (``CREDSTACK_LANG``, else the locale).
"""

from __future__ import annotations

from typing import Annotated

import typer

from credstack.adapters.cli.console import (
    DataDir,
    JsonOption,
    acting,
    echo_json,
    operator,
    out,
    say,
)
from credstack.services.oid4vci import purge as purging

app = typer.Typer(help="OpenID for Verifiable Credentials: housekeeping. / "
                       "OpenID for Verifiable Credentials の保守", no_args_is_help=True)


@app.command("purge")
def purge(batch: Annotated[int, typer.Option(min=1, max=100_000, help=(
              "Rows deleted per table and transaction."))] = purging.BATCH,
          json_output: JsonOption = False, data_dir: DataDir = None) -> None:
    """Delete expired nonces, offers and requests. / 期限切れの nonce・提供・要求を削除"""
    with acting(data_dir) as opened:
        removed = purging.purge(opened, actor=operator(), batch=batch)
    if json_output:
        echo_json(removed.to_dict())
        return
    out.print(say(f"Deleted {removed.nonces} nonce(s), {removed.offers} offer(s) and "
                  f"{removed.requests} presentation request(s).",
                  f"nonce {removed.nonces} 件、提供 {removed.offers} 件、提示要求 "
                  f"{removed.requests} 件を削除しました。"), soft_wrap=True)
