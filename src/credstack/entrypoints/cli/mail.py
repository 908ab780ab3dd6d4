"""``credstack mail …``: the outbox from the operator's console.

``send`` delivers the e-mail that is due (run it from cron, or let a worker do it);
``outbox`` lists messages with their state, attempts and errors, and says when sending is
not configured; ``bounce`` records that a sent message never arrived (its delivery status
notification, or its Message-ID); ``sender`` sets the name an organisation's e-mail is sent
under. Japanese or English (``CREDSTACK_LANG``, else the locale).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from credstack.core.mail import MailState
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    OrganisationOption,
    acting,
    echo_json,
    language,
    operator,
    out,
    print_table,
    t,
)
from credstack.services.mail import service as mail

app = typer.Typer(help="cli.help.mail.e_mail_the_outbox",
                  no_args_is_help=True)



def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"


@app.command("send", help="cli.help.mail.send_the_e_mail")
def send(limit: Annotated[int, typer.Option(min=1, max=10_000,
    help="cli.help.mail.send_at_most_this")
                          ] = 100,
         json_output: JsonOption = False, data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        report = mail.deliver(opened, limit=limit)
    if json_output:
        echo_json(report.to_dict())
        return
    if not report.configured:
        out.print(t("cli.mail.not_configured"), soft_wrap=True)
        raise typer.Exit(1)
    out.print(t("cli.mail.sent_failed_retry", sent=report.sent, failed=report.failed,
                retrying=report.retrying))
    if report.last_error:
        out.print(t("cli.mail.last_error") + report.last_error, markup=False,
                  soft_wrap=True)


@app.command("outbox", help="cli.help.mail.list_the_outbox_with")
def list_outbox(
    state: Annotated[MailState | None, typer.Option("--state",
        help="cli.help.mail.only_in_this_state")
                     ] = None,
    organisation: Annotated[str | None, typer.Option("--organisation",
        help="cli.help.mail.only_this_organisations")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    json_output: JsonOption = False, data_dir: DataDir = None,
) -> None:
    lang = language()
    with acting(data_dir) as opened:
        found = mail.outbox(opened, actor=operator(), organisation=organisation, state=state,
                            limit=limit)
    if json_output:
        echo_json({"configured": found.configured,
                   "counts": {key.value: value for key, value in found.counts.items()},
                   "messages": [message.to_dict() for message in found.messages]})
        return
    if not found.configured:
        out.print(t("cli.mail.not_configured"), soft_wrap=True)
    totals = ", ".join(f"{(item.label_ja if lang == 'ja' else item.label_en)} "
                       f"{found.counts.get(item, 0)}" for item in MailState)
    if not found.messages:
        out.print(t("cli.mail.outbox_empty") + f" ({totals})")
        return
    print_table(
        ("#", t("cli.common.to"), t("cli.common.organisation"), t("cli.common.kind"),
         t("cli.common.state"), t("cli.mail.tries"), t("cli.mail.next_try"),
         t("cli.mail.sent"), t("cli.mail.error")),
        [(str(item.id), item.to, item.organisation or "—", item.template,
          item.state.label_ja if lang == "ja" else item.state.label_en, str(item.attempts),
          _when(item.next_attempt_at) if item.state is MailState.PENDING else "—",
          _when(item.sent_at), item.last_error or "") for item in found.messages],
        title=t("cli.mail.outbox"))
    out.print(totals)


@app.command("bounce", help="cli.help.mail.record_that_a_sent")
def bounce(
    report: Annotated[Path | None, typer.Option(
        "--report", help="cli.help.mail.a_delivery_status_notification")
    ] = None,
    message_id: Annotated[str | None, typer.Option("--message-id",
        help="cli.help.mail.the_bounced_messages_message")
                          ] = None,
    reason: Annotated[str | None, typer.Option("--reason",
        help="cli.help.mail.why_it_bounced")] = None,
    data_dir: DataDir = None,
) -> None:
    dsn = None
    if report is not None:
        dsn = sys.stdin.buffer.read() if str(report) == "-" else report.read_bytes()
    with acting(data_dir) as opened:
        marked = mail.record_bounce(opened, actor=operator(), dsn=dsn, message_id=message_id,
                                    reason=reason)
    out.print(t("cli.mail.message_marked_bounced", id=marked.id, to=marked.to,
                last_error=marked.last_error), markup=False, soft_wrap=True)


@app.command("sender", help="cli.help.mail.set_the_name_an")
def sender(organisation: OrganisationOption,
           name: Annotated[str | None, typer.Argument(
               help="cli.help.mail.the_sender_name_leave")
                           ] = None,
           data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        mail.set_sender_name(opened, actor=operator(), organisation=organisation, name=name)
    out.print(t("cli.mail.sent_as", organisation=organisation, name=name) if name else t(
        "cli.mail.sent_as_its_name", organisation=organisation), markup=False)
