"""``credstack issue`` (one learner or a whole cohort) and ``credstack credential …`` (status).

Bulk issuance is idempotent and resumable (see
:func:`credstack.services.issuance.cohorts.issue_cohort`):
running the same command again after a crash, a kill or a completed run issues only what is
missing and rewrites the output files from the store, so they always hold every learner's
credential exactly once; each transaction that stores credentials writes one audit entry.
Output: ``credentials.jsonl`` (one line per learner, in cohort order) and one file per
learner (``<learner>.json``, or ``.jwt`` for VC-JWTs), each written to a temporary file and
renamed into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Column

from credstack.core.credentials import securing as securing_forms
from credstack.core.credentials.cohorts import Cohort, CohortMember, read_cohort
from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.status.changes import StatusChange
from credstack.core.types import MultilingualText
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    acting,
    echo_json,
    err,
    exit_on_error,
    operator,
    out,
    print_table,
    runtime,
    t,
)
from credstack.errors import InputError, Problem, UnreadableInputError
from credstack.services.issuance import cohorts, credentials, status
from credstack.services.issuance import service as issuance
from credstack.services.runtime import Runtime

app = typer.Typer(help="cli.help.credentials.issued_credentials_and_their",
                  no_args_is_help=True)

_SAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def _file_name(key: str) -> str:
    """A file name for a learner: the key itself when it is safe, else a cleaned key plus a
    digest (two keys never share a file)."""
    safe = _SAFE.sub("_", key)[:80].strip(".") or "learner"
    if safe != key:
        safe = f"{safe}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"
    return safe


def _write_atomically(path: Path, text: str) -> None:
    _write_atomically_bytes(path, text.encode("utf-8"))


def _write_atomically_bytes(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _single(email: str | None, student_id: str | None, did: str | None, name: str | None,
            language: str) -> Cohort:
    identifiers = [Identifier(type=kind, value=value) for kind, value in (
        (IdentifierType.EMAIL, email), (IdentifierType.STUDENT_ID, student_id),
        (IdentifierType.DID, did)) if value]
    key = (email.lower() if email else None) or student_id or did
    if key is None:
        raise InputError("no learner given", problems=[Problem(
            "--learners", "give a cohort CSV, or --email / --student-id / --did for one "
                          "learner")])
    learner = LearnerIdentity(name=MultilingualText({language: name}) if name else None,
                              identifiers=tuple(identifiers))
    return Cohort((CohortMember(row=1, key=key, award=Award(learner=learner)),))


def _write_outputs(opened: Runtime, result: issuance.CohortResult, cohort: Cohort,
                   securing: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    documents = cohorts.cohort_documents(opened, keys=result.keys)
    for member, document in zip(cohort.members, documents, strict=True):
        enveloped = securing in securing_forms.ENVELOPED
        credential: object = document if enveloped else json.loads(document)
        credential_id = None if enveloped else json.loads(document)["id"]
        lines.append(json.dumps({"learner": member.key, "credentialId": credential_id,
                                 "credential": credential}, ensure_ascii=False,
                                separators=(",", ":")))
        form = securing_forms.file_form(document, securing)
        name = folder / f"{_file_name(member.key)}.{form.extension}"
        if securing == "vc+cose":
            _write_atomically_bytes(name, form.data)
        else:
            text = document if enveloped else json.dumps(credential, ensure_ascii=False,
                                                         indent=2)
            _write_atomically(name, text + "\n")
    _write_atomically(folder / "credentials.jsonl", "\n".join(lines) + "\n")


def issue(
    programme: Annotated[int, typer.Option("--programme",
        help="cli.help.credentials.the_programmes_id",
                                           show_default=False)],
    learners: Annotated[Path | None, typer.Option(
        "--learners", help="cli.help.credentials.a_cohort_csv_columns")] = None,
    email: Annotated[str | None, typer.Option(
        help="cli.help.credentials.one_learners_e_mail")] = None,
    student_id: Annotated[str | None, typer.Option("--student-id",
        help="cli.help.credentials.one_learners_student_number")
                          ] = None,
    did: Annotated[str | None, typer.Option(help="cli.help.credentials.one_learners_did")] = None,
    name: Annotated[str | None, typer.Option(help="cli.help.credentials.one_learners_name")] = None,
    version: Annotated[int | None, typer.Option(
        help="cli.help.credentials.the_programme_version_default")
                       ] = None,
    batch: Annotated[str | None, typer.Option(
        help="cli.help.credentials.names_this_issuance_the")] = None,
    securing: Annotated[str, typer.Option(
        help="cli.help.credentials.eddsa_rdfc_2022_eddsa")] = "eddsa-rdfc-2022",
    language: Annotated[str, typer.Option(help="cli.help.credentials.language_of_the_credentials"
                                          )] = "ja",
    valid_until: Annotated[str | None, typer.Option(
        "--valid-until", help="cli.help.credentials.expiry_date_yyyy_mm")] = None,
    output: Annotated[Path | None, typer.Option(
        "--out", help="cli.help.credentials.folder_for_the_files")] = None,
    workers: Annotated[int | None, typer.Option(
        help="cli.help.credentials.signing_processes_default_every")] = None,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", min=1, max=100_000,
        help="cli.help.credentials.learners_stored_per_transaction")] = 2000,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error():
        if learners is not None:
            try:
                data = learners.read_bytes()
            except OSError as exc:
                raise UnreadableInputError(f"Cannot read {learners}: {exc.strerror}.") from None
            cohort = read_cohort(data, source=str(learners), language=language)
            batch = batch or learners.stem
        else:
            cohort = _single(email, student_id, did, name, language)
            batch = batch or "single"
        if securing not in issuance.SECURINGS:
            raise InputError("unknown securing mechanism", problems=[Problem(
                "--securing", f"use one of {', '.join(issuance.SECURINGS)}")])
        expires = None
        if valid_until is not None:
            try:
                expires = dt.datetime.combine(dt.date.fromisoformat(valid_until), dt.time(),
                                              tzinfo=dt.UTC)
            except ValueError:
                raise InputError("bad expiry date", problems=[Problem(
                    "--valid-until", f"{valid_until!r} is not a date (YYYY-MM-DD)")]) from None
        folder = output or Path("credentials") / _file_name(batch)
        with runtime(data_dir) as opened:
            # The key is opened (and, for a new store, made and announced) before the bar
            # is drawn.
            opened.key()
            # No refresh thread: the signing workers are forked, and forking a process while
            # another thread holds a lock can leave the child stuck on it.
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), console=err, auto_refresh=False,
                          transient=False) as bar:
                task = bar.add_task(t("cli.common.issuing"), total=len(cohort))

                def show(step: issuance.CohortProgress) -> None:
                    bar.update(task, completed=step.done)
                    bar.refresh()

                result = cohorts.issue_cohort(
                    opened, actor=operator(), programme_id=programme, version=version,
                    cohort=cohort, batch=batch, securing=securing, valid_until=expires,
                    language=language, workers=workers, chunk_size=chunk_size, progress=show)
            _write_outputs(opened, result, cohort, securing, folder)
    out.print(t("cli.credentials.issued_credential_were_already_issued", issued=result.issued,
                reused=result.reused, batch=batch, folder=folder),
        soft_wrap=True)


def _change(credential_id: str, change: StatusChange, data_dir: Path | None) -> None:
    with acting(data_dir) as opened:
        stored = status.change_status(opened, actor=operator(), credential_id=credential_id,
                                      changes=[change])
    out.print(t(f"cli.credentials.now_{stored.state}", credential_id=credential_id))


CredentialId = Annotated[str, typer.Argument(help="cli.help.credentials.the_credentials_id_urn",
                                             show_default=False)]


@app.command(help="cli.help.credentials.revoke_a_credential_final")
def revoke(credential_id: CredentialId, data_dir: DataDir = None) -> None:
    _change(credential_id, StatusChange.REVOKE, data_dir)


@app.command(help="cli.help.credentials.suspend_a_credential_until")
def suspend(credential_id: CredentialId, data_dir: DataDir = None) -> None:
    _change(credential_id, StatusChange.SUSPEND, data_dir)


@app.command(help="cli.help.credentials.lift_a_suspension")
def reinstate(credential_id: CredentialId, data_dir: DataDir = None) -> None:
    _change(credential_id, StatusChange.REINSTATE, data_dir)


@app.command(help="cli.help.credentials.show_an_issued_credentials")
def show(credential_id: CredentialId, data_dir: DataDir = None,
         as_json: JsonOption = False) -> None:
    with acting(data_dir) as opened:
        stored = credentials.stored_credential(opened, actor=operator(),
                                               credential_id=credential_id)
    if as_json:
        echo_json(stored.to_dict())
        return
    for key, value in stored.to_dict().items():
        out.print(f"{key}: {value}", markup=False)


@app.command("list", help="cli.help.credentials.list_issued_credentials_newest")
def list_credentials(
    organisation: Annotated[str | None, typer.Option(
        help="cli.help.credentials.only_this_organisations")] = None,
    batch: Annotated[str | None, typer.Option(help="cli.help.credentials.only_this_batch")] = None,
    limit: Annotated[int, typer.Option(help="cli.help.credentials.at_most_this_many")] = 50,
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        rows = credentials.list_credentials(opened, actor=operator(), organisation=organisation,
                                            batch=batch, limit=limit)
    if as_json:
        echo_json([row.to_dict() for row in rows])
        return
    print_table([Column(title, overflow="fold") for title in (
        t("cli.credentials.credential"), t("cli.credentials.learner"), t("cli.credentials.batch"),
        t("cli.common.state"), t("cli.credentials.issued"))], [
        (row.credential_id, row.learner or "", row.batch or "", row.state,
         row.issued_on.isoformat()) for row in rows])
