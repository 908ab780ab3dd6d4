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
    say,
)
from credstack.errors import InputError
from credstack.services.console import applications as joining
from credstack.services.console import figures, health, moderation, suspensions
from credstack.services.organisations import service as organisations

app = typer.Typer(help="The operator's console: applications, organisations, reports, "
                       "figures, health. / 運営コンソール（参加申請・組織・通報・統計・稼働状況）",
                  no_args_is_help=True)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def _name(names: dict[str, str]) -> str:
    lang = language()
    return names.get(lang) or names.get("en") or names.get("ja") or "—"


@app.command("applications")
def list_applications(
    status: Annotated[ApplicationStatus | None, typer.Option(
        "--status", help="Only applications in this state.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Providers' applications to join. / 提供機関の参加申請の一覧"""
    with acting(data_dir) as runtime:
        found = joining.applications(runtime, actor=operator(), status=status)
    print_table([say("Application", "申請"), say("Name", "名称"),
                 say("Corporate number", "法人番号"), say("Contact", "連絡先"),
                 say("State", "状態"), say("Received", "受付")],
                ([item.public_id, _name(item.name), item.corporate_number or "—", item.email,
                  item.status.value + (f" → {item.organisation_slug}"
                                       if item.organisation_slug else ""),
                  _when(item.created_at)] for item in found),
                title=say(f"{len(found)} applications", f"{len(found)} 件の申請"))


@app.command("approve")
def approve(
    application: Annotated[str, typer.Argument(help="The application's id.")],
    slug: Annotated[str, typer.Option("--slug", help="The new organisation's short name "
                                      "(its address in the registry).")],
    data_dir: DataDir = None,
) -> None:
    """Approve an application: the organisation is made and its administrator invited. /
    申請を承認（組織を作成し、管理者を招待）"""
    with acting(data_dir) as runtime:
        done = joining.approve(runtime, actor=operator(), public_id=application, slug=slug)
    out.print(say(f"Approved: {_name(done.name)} is {done.organisation_slug}; the invitation "
                  f"was sent to {done.email}.",
                  f"承認しました：{_name(done.name)}（{done.organisation_slug}）。招待を "
                  f"{done.email} に送りました。"))


@app.command("refuse")
def refuse(
    application: Annotated[str, typer.Argument(help="The application's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, as the applicant will read "
                                        "it.")],
    data_dir: DataDir = None,
) -> None:
    """Refuse an application with a reason (the applicant is e-mailed). / 申請を不承認"""
    with acting(data_dir) as runtime:
        done = joining.refuse(runtime, actor=operator(), public_id=application, reason=reason)
    out.print(say(f"Refused; {done.email} was told why.",
                  f"不承認にしました。理由を {done.email} に知らせました。"))


@app.command("organisations")
def list_organisations(
    query: Annotated[str, typer.Option("--query", "-q", help="A part of the short name or "
                                       "of the name in Japanese or English.")] = "",
    data_dir: DataDir = None,
) -> None:
    """Organisations, each with its programmes and suspension. / 組織の一覧"""
    with acting(data_dir) as runtime:
        found = suspensions.organisations(runtime, actor=operator(), query=query)
    print_table([say("Short name", "略称"), say("Name", "名称"),
                 say("Corporate number", "法人番号"), say("Programmes", "プログラム"),
                 say("Suspended", "停止")],
                ([item.slug, _name(item.name), item.corporate_number or "—",
                  f"{item.programmes:,}",
                  (f"{_when(item.suspension.suspended_at)} {item.suspension.reason}"
                   if item.suspension else "—")] for item in found),
                title=say(f"{len(found)} organisations", f"{len(found)} 組織"))


@app.command("suspend")
def suspend(
    slug: Annotated[str, typer.Argument(help="The organisation's short name.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (shown on its programmes' "
                                        "pages).")],
    data_dir: DataDir = None,
) -> None:
    """Suspend an organisation: it issues nothing until reinstated. / 組織を停止"""
    with acting(data_dir) as runtime:
        suspensions.suspend(runtime, actor=operator(), slug=slug, reason=reason)
    out.print(say(f"{slug} is suspended: it issues nothing until reinstated.",
                  f"{slug} を停止しました。再開するまで発行できません。"))


@app.command("reinstate")
def reinstate(
    slug: Annotated[str, typer.Argument(help="The organisation's short name.")],
    data_dir: DataDir = None,
) -> None:
    """Reinstate a suspended organisation. / 停止した組織を再開"""
    with acting(data_dir) as runtime:
        suspensions.reinstate(runtime, actor=operator(), slug=slug)
    out.print(say(f"{slug} is reinstated.", f"{slug} を再開しました。"))


@app.command("corporate-number")
def corporate_number(
    slug: Annotated[str, typer.Argument(help="The organisation's short name.")],
    number: Annotated[str | None, typer.Argument(
        help="The 13-digit corporate number (法人番号) to set; without it, the one kept is "
             "shown.", show_default=False)] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Clear the corporate number.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show, set or clear an organisation's corporate number. / 組織の法人番号"""
    with acting(data_dir) as runtime:
        if number is None and not clear:
            kept = organisations.get_organisation(runtime, slug=slug).organisation
            out.print(kept.corporate_number or say(f"{slug} has no corporate number.",
                                                   f"{slug} には法人番号がありません。"))
            return
        if number is not None and clear:
            raise InputError("Give a number or --clear, not both. / "
                             "番号か --clear のどちらか一方を指定してください。")
        stored = organisations.set_corporate_number(runtime, actor=operator(), slug=slug,
                                                    number=number or "")
    found = stored.organisation.corporate_number
    out.print(say(f"The corporate number of {slug} is now {found}." if found else
                  f"{slug} has no corporate number now.",
                  f"{slug} の法人番号を {found} にしました。" if found else
                  f"{slug} の法人番号を削除しました。"))


@app.command("reports")
def list_reports(
    status: Annotated[ReportStatus | None, typer.Option(
        "--status", help="Only reports in this state.")] = ReportStatus.WAITING,
    data_dir: DataDir = None,
) -> None:
    """Reports of a problem with a programme. / プログラムへの通報の一覧"""
    with acting(data_dir) as runtime:
        found = moderation.reports(runtime, actor=operator(), status=status)
    print_table([say("Report", "通報"), say("Programme", "プログラム"), say("Reason", "理由"),
                 say("Message", "内容"), say("State", "状態"), say("Received", "受付")],
                ([str(item.id), f"{item.programme_id} {item.organisation}/{item.code} "
                  f"{_name(item.title)}", item.reason.value, item.message, item.status.value,
                  _when(item.created_at)] for item in found),
                title=say(f"{len(found)} reports", f"{len(found)} 件の通報"))


@app.command("hide")
def hide(
    programme: Annotated[int, typer.Argument(help="The programme's number.")],
    reason: Annotated[str, typer.Option("--reason", help="The public reason its page will "
                                        "show.")],
    data_dir: DataDir = None,
) -> None:
    """Hide a programme with a public reason (out of the registry's search). /
    プログラムを非表示（公開する理由を付けて）"""
    with acting(data_dir) as runtime:
        moderation.hide(runtime, actor=operator(), programme_id=programme, reason=reason)
    out.print(say(f"Programme {programme} is hidden; its page gives the reason.",
                  f"プログラム {programme} を非表示にしました。ページには理由を表示します。"))


@app.command("unhide")
def unhide(
    programme: Annotated[int, typer.Argument(help="The programme's number.")],
    data_dir: DataDir = None,
) -> None:
    """Show a hidden programme again. / 非表示のプログラムを再表示"""
    with acting(data_dir) as runtime:
        moderation.unhide(runtime, actor=operator(), programme_id=programme)
    out.print(say(f"Programme {programme} is shown again.",
                  f"プログラム {programme} を再表示しました。"))


@app.command("dismiss")
def dismiss(
    report: Annotated[int, typer.Argument(help="The report's number.")],
    data_dir: DataDir = None,
) -> None:
    """Dismiss a report (the programme stays as it is). / 通報を却下"""
    with acting(data_dir) as runtime:
        moderation.dismiss(runtime, actor=operator(), report_id=report)
    out.print(say(f"Report {report} is dismissed.", f"通報 {report} を却下しました。"))


@app.command("figures")
def show_figures(
    months: Annotated[int, typer.Option("--months", min=1, max=120,
                                        help="How many months, this one included.")] = 12,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (as /console/figures.csv)."
                                         )] = False,
    data_dir: DataDir = None,
) -> None:
    """The platform's figures by month. / プラットフォームの月別の統計"""
    with acting(data_dir) as runtime:
        found = figures.platform_figures(runtime, actor=operator(), months=months)
    if as_csv:
        typer.echo(series_csv(found.series({})), nl=False)
        return
    labels = {"organisations": ("Organisations", "組織"),
              "programmes": ("Programmes", "プログラム"),
              "issued": ("Issued", "発行"), "claimed": ("Claimed", "受け取り"),
              "shared": ("Shared", "共有"), "verified": ("Verified", "検証"),
              "recognitions": ("Recognitions", "認定"),
              "creditbank": ("Credit bank", "単位バンク")}
    series = found.series({key: say(*labels[key]) if key in labels else key
                           for key in found.counts})
    months_shown = [month for month, _ in series[0].points] if series else []
    print_table([say("Figure", "項目"), *(str(month) for month in months_shown),
                 say("All time", "累計")],
                ([item.label, *(f"{count:,}" for _, count in item.points),
                  f"{found.totals.get(item.key, 0):,}"] for item in series),
                title=say(f"{found.first} to {found.last}", f"{found.first}〜{found.last}"))


@app.command("health")
def show_health(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (for a monitor).")
                       ] = False,
    data_dir: DataDir = None,
) -> None:
    """The job queue, the mail outbox, the audit log's checkpoint, the store's size. /
    ジョブ・メール送信待ち・監査ログ・データベースの状態"""
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
    print_table([say("What", "項目"), say("State", "状態")], [
        [say("Jobs", "ジョブ"), counted(f"{state} {n:,}" for state, n in found.jobs.items())
         or "—"],
        [say("Mail", "メール"), counted(f"{state} {n:,}" for state, n in found.mail.items())
         or "—"],
        [say("Audit log", "監査ログ"),
         say(f"{found.audit_seq:,} entries; checkpoint at {found.checkpoint_seq or '—'} "
             f"({_when(found.checkpoint_at)}), {found.checkpoint_findings} findings",
             f"{found.audit_seq:,} 件、チェックポイント {found.checkpoint_seq or '—'}"
             f"（{_when(found.checkpoint_at)}）、指摘 {found.checkpoint_findings} 件")],
        [say("Store", "データベース"),
         f"{found.store_bytes / 1_000_000:,.1f} MB" if found.store_bytes is not None else "—"],
    ])
