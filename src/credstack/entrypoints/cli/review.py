"""``credstack review …``: the recognition review process from the operator's console.

``list`` shows the applications (all of them: the console acts as the platform operator),
optionally in one state. ``remind`` sends the reminders due now — steps due soon or overdue,
recognitions to renew — as notifications to the people who owe them, once a day each (run it
from cron as often as you like), and prints what it sent. Both speak Japanese or English
(``CREDSTACK_LANG``, else the locale).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from credstack.core.review import State
from credstack.entrypoints.bootstrap import utc_now
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    exit_on_error,
    language,
    operator,
    out,
    print_table,
    t,
)
from credstack.errors import InputError, Problem
from credstack.services.review import workflow

app = typer.Typer(help="cli.help.review.the_recognition_review_process",
                  no_args_is_help=True)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _moment(text: str | None) -> dt.datetime:
    if text is None:
        return utc_now()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--now: {text!r} is not an ISO 8601 date and time.",
                         problems=[Problem("--now", "e.g. 2026-12-01T09:00:00+09:00")]
                         ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@app.command("list", help="cli.help.review.list_applications_for_recognition")
def list_applications(
    state: Annotated[State | None, typer.Option("--state",
        help="cli.help.review.only_applications_in_this")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 200,
    data_dir: DataDir = None,
) -> None:
    lang = language()
    with acting(data_dir) as opened:
        items = workflow.list_applications(opened, operator().principal,
                                           state=state.value if state else None, limit=limit)
    if not items:
        out.print(t("cli.review.no_applications"))
        return
    print_table(
        (t("cli.common.application"), t("cli.review.applicant"), t("cli.review.body"),
         t("cli.common.programme"), t("cli.common.state"), t("cli.review.due"),
         t("cli.review.updated")),
        [(item.id, item.applicant, item.recognition_body,
          f"{item.programme_id} v{item.programme_version}", item.state.label.text(lang),
          _when(item.due_at), _when(item.updated_at)) for item in items],
        title=t("cli.review.applications_recognition"))
    out.print(t("cli.review.applications", items=len(items)))


@app.command("remind", help="cli.help.review.send_the_reminders_due")
def remind(
    now: Annotated[str | None, typer.Option("--now",
        help="cli.help.review.send_the_reminders_due_2")] = None,
    data_dir: DataDir = None,
) -> None:
    lang = language()
    with exit_on_error():
        moment = _moment(now)
    with acting(data_dir) as opened:
        sent = workflow.send_reminders(opened, now=moment)
    if not sent:
        out.print(t("cli.review.no_reminders_due"))
        return
    print_table(
        (t("cli.common.to"), t("cli.common.kind"), t("cli.review.about"), t("cli.review.due"),
         t("cli.common.message")),
        [(item.email, item.kind, item.subject, _when(item.due_at), item.text.text(lang))
         for item in sent],
        title=t("cli.review.reminders_sent_2"))
    out.print(t("cli.review.reminders_sent", sent=len(sent)))
