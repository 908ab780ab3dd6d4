"""``credstack ob2 …``: Open Badges 2.0 assertions of issued credentials, and verifying them.

* ``credstack ob2 assertion CREDENTIAL_ID [--signed]`` prints the OB 2.0 assertion of a
  credential credstack issued (``urn:uuid:…`` or its UUID): the hosted assertion's JSON (as
  ``/ob2/assertions/<uuid>`` serves it), or with ``--signed`` the signed badge, a compact JWS
  (RS256 or ES256, as the organisation's active OB 2.0 key is; its first key is made the
  first time, with ``CREDSTACK_OB2_ALGORITHM``, which needs the key store's secret key;
  ``credstack issuer keys ob2-rotate`` changes it). Same learner, programme, date of
  issuing and revocation state as the credential — one issuance record, every format.
* ``credstack ob2 verify FILE|URL|- [--recipient EMAIL] [--json]`` verifies an OB 2.0 badge
  from any issuer. Exit codes as ``credstack verify``: 0 verified, 1 not verified, 2 the
  input (or the store) cannot be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from credstack.core.credentials.openbadges_v2 import is_http_url
from credstack.core.verification import MAX_CREDENTIAL_BYTES
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    echo_json,
    err,
    existing_runtime,
    exit_on_error,
    read_input,
    t,
)
from credstack.entrypoints.cli.verify import EXIT_UNREADABLE, exit_with
from credstack.services.openbadges_v2 import documents
from credstack.services.openbadges_v2 import verification as ob2_verification

app = typer.Typer(help="cli.help.ob2.open_badges_2_0", no_args_is_help=True)


@app.command("assertion", help="cli.help.ob2.print_the_open_badges")
def assertion(
    credential_id: Annotated[str, typer.Argument(metavar="CREDENTIAL_ID",
                                                 help="cli.help.ob2.the_credentials_id_urn")],
    signed: Annotated[bool, typer.Option("--signed",
        help="cli.help.ob2.print_the_signed_badge")] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        settings = runtime.settings
        if signed:
            typer.echo(documents.signed_assertion(runtime, credential=credential_id))
        else:
            hosted = documents.hosted_assertion(runtime, credential=credential_id)
            echo_json(hosted.document)
            if hosted.revoked:
                err.print(t("cli.ob2.credential_revoked_or_suspended_hosted"))
    if settings.ob2_contact_email is None:
        err.print(t("cli.ob2.note_credstack_ob2_contact_email"),
                  soft_wrap=True)


@contextmanager
def _sources(data_dir: Path | None) -> Iterator[ob2_verification.Ob2Sources | None]:
    """The store's sources, or ``None`` (the network alone) when there is no SQLite file."""
    with existing_runtime(data_dir) as opened:
        yield (None if opened is None
               else ob2_verification.Ob2Sources.for_runtime(opened))


@app.command("verify", help="cli.help.ob2.verify_an_open_badges")
def verify(
    source: Annotated[str, typer.Argument(metavar="FILE|URL|-",
                                          help="cli.help.ob2.an_assertion_json_a")],
    recipient: Annotated[str | None, typer.Option(
        "--recipient", help="cli.help.ob2.an_e_mail_address")] = None,
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.ob2.print_the_report_as")] = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(EXIT_UNREADABLE):
        data: bytes | str = (source if is_http_url(source)
                             else read_input(source, limit=MAX_CREDENTIAL_BYTES)[0])
        with _sources(data_dir) as sources:
            report = ob2_verification.verify_ob2(data, recipient=recipient, sources=sources)
    exit_with(report, as_json=as_json)
