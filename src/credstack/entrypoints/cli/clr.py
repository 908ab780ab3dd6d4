"""``credstack clr``: bundle a learner's credentials into a CLR 2.0 ``ClrCredential``, verify one.

``bundle`` signs with eddsa-rdfc-2022 (default), eddsa-jcs-2022 or as a VC-JWT; every
credential must be about one learner and issued by the signing organisation (see
:mod:`credstack.services.clr.service`, which audits it as the API's route), and
``--association SOURCE TYPE TARGET`` relates two of the bundled achievements.
Exit codes of ``verify``: 0 verified; 1 not verified; 2 unreadable input or store; 3 could not
be checked (something it needs out of reach), with the headline ``credstack verify`` prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from credstack.core.verification import MAX_CREDENTIAL_BYTES
from credstack.entrypoints.cli.console import (
    DataDir,
    err,
    exit_on_error,
    fail,
    language,
    operator,
    out,
    read_input,
    runtime,
    t,
)
from credstack.entrypoints.cli.verify import exit_code, mark, print_verdict
from credstack.errors import CredstackError, InputError, Problem
from credstack.services.clr import service as clr
from credstack.services.clr import verification as clr_verification
from credstack.services.verification import service as verifier

app = typer.Typer(help="cli.help.clr.comprehensive_learner_records_clr",
                  no_args_is_help=True)

#: A CLR bundles many credentials: allow more than one credential's worth.
MAX_CLR_BYTES = 64 * MAX_CREDENTIAL_BYTES


def _association(text: str) -> dict[str, str]:
    parts = text.split()
    if len(parts) != 3:
        raise InputError(f"--association {text!r}: give SOURCE_ID TYPE TARGET_ID",
                         problems=[Problem("--association", "three space-separated values")])
    source, kind, target = parts
    return {"type": "Association", "associationType": kind, "sourceId": source,
            "targetId": target}


@app.command(help="cli.help.clr.bundle_credentials_into_a")
def bundle(
    organisation: Annotated[str, typer.Option("--organisation",
        help="cli.help.clr.the_signing_organisation_slug")],
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.help.clr.where_to_write_the")],
    credential: Annotated[list[str] | None, typer.Option(
        "--credential", help="cli.help.clr.the_id_of_a")] = None,
    imported: Annotated[list[Path] | None, typer.Option(
        "--import", help="cli.help.clr.a_credential_file_json")] = None,
    securing: Annotated[str, typer.Option(
        "--securing", help="cli.help.clr.eddsa_rdfc_2022_eddsa")] = clr.DEFAULT_SECURING,
    name: Annotated[str | None, typer.Option("--name", help="cli.help.clr.the_clrs_name")] = None,
    learner: Annotated[str | None, typer.Option(
        "--learner", help="cli.help.clr.the_learners_e_mail")] = None,
    subject_id: Annotated[str | None, typer.Option(
        "--subject-id", help="cli.help.clr.the_learners_did_or")] = None,
    association: Annotated[list[str] | None, typer.Option(
        "--association", help="cli.help.clr.source_id_type_target")] = None,
    data_dir: DataDir = None,
) -> None:
    try:
        associations = [_association(text) for text in association or ()]
        documents = [read_input(str(path), limit=MAX_CREDENTIAL_BYTES)[0].decode("utf-8")
                     for path in imported or ()]
        with runtime(data_dir) as opened:
            text = clr.bundle(opened, actor=operator(), organisation=organisation,
                              credential_ids=credential or [], imported=documents,
                              securing=securing, name=name, learner=learner,
                              subject_id=subject_id, associations=associations)
    except CredstackError as exc:
        raise fail(exc, code=2) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        err.print(t("cli.clr.cannot_read_credential", exc=exc),
                  markup=False)
        raise typer.Exit(2) from None
    output.write_text(text + ("\n" if securing == "vc-jwt" else ""), encoding="utf-8")
    count = len(credential or []) + len(documents)
    err.print(t("cli.clr.wrote_clr_credentials", count=count, output=output), markup=False)


@app.command(help="cli.help.clr.verify_a_clr_its")
def verify(
    source: Annotated[str, typer.Argument(help="cli.help.clr.the_clr_file_or")],
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.clr.print_the_report_as")] = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(2):
        data = read_input(source, limit=MAX_CLR_BYTES)[0]
        with runtime(data_dir) as opened:
            sources = verifier.VerificationSources.for_runtime(opened)
            report = clr_verification.verify_clr(data, sources=sources, now=opened.now())
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        lang = language()
        for check in report.checks:
            out.print(f"{mark(check, report)} {escape(check.name)}: "
                      f"{escape(check.reason(lang))}", soft_wrap=True, emoji=False)
        out.print()
        print_verdict(report)
    raise typer.Exit(exit_code(report))
