"""``credstack console …``: the operator's console from a terminal, beside ``/console``.

What the operator does on the pages, the same services doing it and auditing it as
``cli:<user>``: the providers' applications (``applications``, ``approve``, ``refuse``),
organisations (``organisations``, ``suspend``, ``reinstate``, and ``corporate-number`` to
show, set or clear one's 法人番号), reports of a programme
(``reports``, ``hide``, ``unhide``, ``dismiss``), the platform's figures (``figures``, as a
table or ``--csv``) and its health (``health``, or ``--json`` for a monitor). Everything
speaks Japanese or English (``CREDSTACK_LANG``, else the locale); a refusal exits 1 with its
reason.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from credstack.core.console.applications import ApplicationStatus
from credstack.core.console.reports import ReportStatus
from credstack.core.figures import series_csv
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    language,
    operator,
    out,
    print_table,
    t,
)
from credstack.errors import InputError
from credstack.services.console import applications as joining
from credstack.services.console import figures, health, moderation, suspensions
from credstack.services.organisations import service as organisations

app = typer.Typer(help="cli.help.operations_console.the_operators_console_applications",
                  no_args_is_help=True)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _name(names: dict[str, str]) -> str:
    lang = language()
    return names.get(lang) or names.get("en") or names.get("ja") or "—"


@app.command("applications", help="cli.help.operations_console.providers_applications_to_join")
def list_applications(
    status: Annotated[ApplicationStatus | None, typer.Option(
        "--status", help="cli.help.operations_console.only_applications_in_this")] = None,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        found = joining.applications(runtime, actor=operator(), status=status)
    print_table([t("cli.common.application"), t("cli.common.name"),
                 t("cli.operations_console.corporate_number"), t("cli.operations_console.contact"),
                 t("cli.common.state"), t("cli.operations_console.received")],
                ([item.public_id, _name(item.name), item.corporate_number or "—", item.email,
                  item.status.value + (f" → {item.organisation_slug}"
                                       if item.organisation_slug else ""),
                  _when(item.created_at)] for item in found),
                title=t("cli.operations_console.applications", found=len(found)))


@app.command("approve", help="cli.help.operations_console.approve_an_application_the")
def approve(
    application: Annotated[str, typer.Argument(
        help="cli.help.operations_console.the_applications_id")],
    slug: Annotated[str, typer.Option("--slug",
        help="cli.help.operations_console.the_new_organisations_short")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        done = joining.approve(runtime, actor=operator(), public_id=application, slug=slug)
    out.print(t("cli.operations_console.approved_invitation_was_sent", name=_name(done.name),
                organisation_slug=done.organisation_slug, email=done.email))


@app.command("refuse", help="cli.help.operations_console.refuse_an_application_with")
def refuse(
    application: Annotated[str, typer.Argument(
        help="cli.help.operations_console.the_applications_id")],
    reason: Annotated[str, typer.Option("--reason",
        help="cli.help.operations_console.why_as_the_applicant")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        done = joining.refuse(runtime, actor=operator(), public_id=application, reason=reason)
    out.print(t("cli.operations_console.refused_was_told_why", email=done.email))


@app.command("organisations", help="cli.help.operations_console.organisations_each_with_its")
def list_organisations(
    query: Annotated[str, typer.Option("--query", "-q",
        help="cli.help.operations_console.a_part_of_the")] = "",
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        found = suspensions.organisations(runtime, actor=operator(), query=query)
    print_table([t("cli.operations_console.short_name"), t("cli.common.name"),
                 t("cli.operations_console.corporate_number"),
                 t("cli.operations_console.programmes"), t("cli.operations_console.suspended")],
                ([item.slug, _name(item.name), item.corporate_number or "—",
                  f"{item.programmes:,}",
                  (f"{_when(item.suspension.suspended_at)} {item.suspension.reason}"
                   if item.suspension else "—")] for item in found),
                title=t("cli.operations_console.organisations", found=len(found)))


@app.command("suspend", help="cli.help.operations_console.suspend_an_organisation_it")
def suspend(
    slug: Annotated[str, typer.Argument(
        help="cli.help.operations_console.the_organisations_short_name")],
    reason: Annotated[str, typer.Option("--reason",
        help="cli.help.operations_console.why_shown_on_its")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        suspensions.suspend(runtime, actor=operator(), slug=slug, reason=reason)
    out.print(t("cli.operations_console.suspended_issues_nothing_until_reinstated", slug=slug))


@app.command("reinstate", help="cli.help.operations_console.reinstate_a_suspended_organisation")
def reinstate(
    slug: Annotated[str, typer.Argument(
        help="cli.help.operations_console.the_organisations_short_name")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        suspensions.reinstate(runtime, actor=operator(), slug=slug)
    out.print(t("cli.operations_console.reinstated", slug=slug))


@app.command("corporate-number", help="cli.help.operations_console.show_set_or_clear")
def corporate_number(
    slug: Annotated[str, typer.Argument(
        help="cli.help.operations_console.the_organisations_short_name")],
    number: Annotated[str | None, typer.Argument(
        help="cli.help.operations_console.the_13_digit_corporate", show_default=False)] = None,
    clear: Annotated[bool, typer.Option("--clear",
        help="cli.help.operations_console.clear_the_corporate_number")] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        if number is None and not clear:
            kept = organisations.get_organisation(runtime, slug=slug).organisation
            out.print(kept.corporate_number or t("cli.operations_console.has_no_corporate_number",
                                                 slug=slug))
            return
        if number is not None and clear:
            raise InputError(t("cli.operations.number_or_clear"))
        stored = organisations.set_corporate_number(runtime, actor=operator(), slug=slug,
                                                    number=number or "")
    found = stored.organisation.corporate_number
    out.print(t("cli.operations_console.corporate_number_set", slug=slug, found=found) if found
              else t("cli.operations_console.corporate_number_cleared", slug=slug))


@app.command("reports", help="cli.help.operations_console.reports_of_a_problem")
def list_reports(
    status: Annotated[ReportStatus | None, typer.Option(
        "--status",
            help="cli.help.operations_console.only_reports_in_this")] = ReportStatus.WAITING,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        found = moderation.reports(runtime, actor=operator(), status=status)
    print_table([t("cli.operations_console.report"), t("cli.common.programme"),
                 t("cli.operations_console.reason"), t("cli.common.message"),
                 t("cli.common.state"), t("cli.operations_console.received")],
                ([str(item.id), f"{item.programme_id} {item.organisation}/{item.code} "
                  f"{_name(item.title)}", item.reason.value, item.message, item.status.value,
                  _when(item.created_at)] for item in found),
                title=t("cli.operations_console.reports", found=len(found)))


@app.command("hide", help="cli.help.operations_console.hide_a_programme_with")
def hide(
    programme: Annotated[int, typer.Argument(
        help="cli.help.operations_console.the_programmes_number")],
    reason: Annotated[str, typer.Option("--reason",
        help="cli.help.operations_console.the_public_reason_its")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        moderation.hide(runtime, actor=operator(), programme_id=programme, reason=reason)
    out.print(t("cli.operations_console.programme_hidden_page_gives_reason", programme=programme))


@app.command("unhide", help="cli.help.operations_console.show_a_hidden_programme")
def unhide(
    programme: Annotated[int, typer.Argument(
        help="cli.help.operations_console.the_programmes_number")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        moderation.unhide(runtime, actor=operator(), programme_id=programme)
    out.print(t("cli.operations_console.programme_shown_again", programme=programme))


@app.command("dismiss", help="cli.help.operations_console.dismiss_a_report_the")
def dismiss(
    report: Annotated[int, typer.Argument(help="cli.help.operations_console.the_reports_number")],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        moderation.dismiss(runtime, actor=operator(), report_id=report)
    out.print(t("cli.operations_console.report_dismissed", report=report))


@app.command("figures", help="cli.help.operations_console.the_platforms_figures_by")
def show_figures(
    months: Annotated[int, typer.Option("--months", min=1, max=120,
        help="cli.help.operations_console.how_many_months_this")] = 12,
    as_csv: Annotated[bool, typer.Option("--csv",
        help="cli.help.operations_console.print_csv_as_console"
                                         )] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        found = figures.platform_figures(runtime, actor=operator(), months=months)
    if as_csv:
        typer.echo(series_csv(found.series({})), nl=False)
        return
    labels = ("organisations", "programmes", "issued", "claimed", "shared", "verified",
              "recognitions", "creditbank")
    series = found.series({key: t(f"cli.operations_console.figure_{key}") if key in labels
                           else key for key in found.counts})
    months_shown = [month for month, _ in series[0].points] if series else []
    print_table([t("cli.operations_console.figure"), *(str(month) for month in months_shown),
                 t("cli.operations_console.all_time")],
                ([item.label, *(f"{count:,}" for _, count in item.points),
                  f"{found.totals.get(item.key, 0):,}"] for item in series),
                title=t("cli.operations_console.months_from_to", first=found.first,
                        last=found.last))


@app.command("health", help="cli.help.operations_console.the_job_queue_the")
def show_health(
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.operations_console.print_json_for_a")
                       ] = False,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as runtime:
        found = health.health(runtime, actor=operator())
    if as_json:
        typer.echo(json.dumps({
            "jobs": found.jobs, "mail": found.mail, "auditSeq": found.audit_seq,
            "checkpointSeq": found.checkpoint_seq,
            "checkpointAt": found.checkpoint_at.isoformat() if found.checkpoint_at else None,
            "checkpointFindings": found.checkpoint_findings, "storeBytes": found.store_bytes},
            ensure_ascii=False))
        return
    counted = ", ".join
    print_table([t("cli.operations_console.what"), t("cli.common.state")], [
        [t("cli.operations_console.jobs"),
         counted(f"{state} {n:,}" for state, n in found.jobs.items()) or "—"],
        [t("cli.operations_console.mail"),
         counted(f"{state} {n:,}" for state, n in found.mail.items()) or "—"],
        [t("cli.operations_console.audit_log"),
         t("cli.operations_console.entries_checkpoint_at_findings", audit_seq=found.audit_seq,
           value=found.checkpoint_seq or '—', checkpoint_at=_when(found.checkpoint_at),
           checkpoint_findings=found.checkpoint_findings)],
        [t("cli.operations_console.store"),
         f"{found.store_bytes / 1_000_000:,.1f} MB" if found.store_bytes is not None else "—"],
    ])
