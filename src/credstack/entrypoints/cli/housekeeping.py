"""``credstack oid4vc purge``, ``credstack oauth purge`` and ``credstack lti purge``: the
exchange protocols' housekeeping from the console.

Each deletes what its service finds over — OpenID for Verifiable Credentials' nonces,
credential offers and presentation requests (:mod:`credstack.services.oid4vci.purge`), the
authorization server's pushed authorization requests and authorization codes
(:mod:`credstack.services.oauth.purge`), the LTI tool's spent login states and old launches
(:mod:`credstack.services.lti.purge`); workers do all three every hour — and says how many
went.
Japanese or English (``CREDSTACK_LANG``, else the locale).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Protocol, TypeVar

import typer

from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    acting,
    echo_json,
    operator,
    out,
    t,
)
from credstack.services.lti import purge as lti_purge
from credstack.services.oauth import purge as oauth_purge
from credstack.services.oid4vci import purge as oid4vc_purge

__all__ = ["lti", "oauth", "oid4vc"]


class _Purged(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


P = TypeVar("P", bound=_Purged)


def _purge_group(*, about: str, purge: Callable[..., P], rows: int, what: str,
                 said: Callable[[P], str]) -> typer.Typer:
    """A command group (help: the key ``about``) whose ``purge`` (help: the key ``what``)
    runs ``purge`` and says what went (``said``)."""
    group = typer.Typer(help=about, no_args_is_help=True)

    @group.command("purge", help=what)
    def command(batch: Annotated[int, typer.Option(min=1, max=100_000,
        help="cli.help.housekeeping.rows_deleted_per_table")] = rows,
                json_output: JsonOption = False, data_dir: DataDir = None) -> None:
        with acting(data_dir) as opened:
            removed = purge(opened, actor=operator(), batch=batch)
        if json_output:
            echo_json(removed.to_dict())
            return
        out.print(said(removed), soft_wrap=True)

    return group


oid4vc = _purge_group(
    about="cli.help.housekeeping.openid_for_verifiable_credentials", purge=oid4vc_purge.purge,
    rows=oid4vc_purge.BATCH, what="cli.help.housekeeping.delete_expired_nonces_offers",
    said=lambda removed: t("cli.housekeeping.oid4vc_purged", nonces=removed.nonces,
                           offers=removed.offers, requests=removed.requests))
oauth = _purge_group(
    about="cli.help.housekeeping.oauth_2_0_authorization", purge=oauth_purge.purge,
    rows=oauth_purge.BATCH, what="cli.help.housekeeping.delete_expired_pushed_requests",
    said=lambda removed: t("cli.housekeeping.oauth_purged", pushed=removed.pushed,
                           codes=removed.codes, clients=removed.clients))
lti = _purge_group(
    about="cli.help.housekeeping.lti_1_3_tool", purge=lti_purge.purge, rows=lti_purge.BATCH,
    what="cli.help.housekeeping.delete_spent_login_states",
    said=lambda removed: t("cli.housekeeping.lti_purged", logins=removed.logins,
                           launches=removed.launches))
