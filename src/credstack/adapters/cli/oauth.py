"""``credstack oauth …``: the authorization server's housekeeping from the console.

``purge`` deletes the pushed authorization requests and authorization codes whose time is
over (:mod:`credstack.services.oauth.purge`; workers do it every hour), and says how many
went. Japanese or English (``CREDSTACK_LANG``, else the locale).
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
from credstack.services.oauth import purge as purging

app = typer.Typer(help="OAuth 2.0 authorization server: housekeeping. / "
                       "OAuth 2.0 認可サーバーの保守", no_args_is_help=True)


@app.command("purge")
def purge(batch: Annotated[int, typer.Option(min=1, max=100_000, help=(
              "Rows deleted per table and transaction."))] = purging.BATCH,
          json_output: JsonOption = False, data_dir: DataDir = None) -> None:
    """Delete expired pushed requests and codes. / 期限切れの認可要求・認可コードを削除"""
    with acting(data_dir) as opened:
        removed = purging.purge(opened, actor=operator(), batch=batch)
    if json_output:
        echo_json(removed.to_dict())
        return
    out.print(say(f"Deleted {removed.pushed} pushed authorization request(s) and "
                  f"{removed.codes} authorization code(s).",
                  f"プッシュされた認可要求 {removed.pushed} 件、認可コード {removed.codes} "
                  "件を削除しました。"), soft_wrap=True)
