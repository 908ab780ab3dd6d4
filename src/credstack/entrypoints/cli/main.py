"""The ``credstack`` command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from uvicorn.config import LOGGING_CONFIG

from credstack.core.descriptors.schema import descriptor_schema
from credstack.demo.creditbank import prepare_demo_creditbank
from credstack.demo.history import MONTHS, prepare_demo_history
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import LEARNER, prepare_demo_recognition
from credstack.demo.skills import load_demo_skills, prepare_demo_role
from credstack.entrypoints import VERSION, logs
from credstack.entrypoints.cli import accounts as accounts_command
from credstack.entrypoints.cli import audit as audit_command
from credstack.entrypoints.cli import backup as backup_command
from credstack.entrypoints.cli import (
    badges,
    credentials,
    housekeeping,
    issuer,
    mc,
    operations_console,
    registry,
)
from credstack.entrypoints.cli import certificates as certificate_commands
from credstack.entrypoints.cli import clr as clr_command
from credstack.entrypoints.cli import creditbank as creditbank_command
from credstack.entrypoints.cli import doctor as doctor_command
from credstack.entrypoints.cli import federation as federation_command
from credstack.entrypoints.cli import jobs as jobs_command
from credstack.entrypoints.cli import mail as mail_command
from credstack.entrypoints.cli import ob2 as ob2_command
from credstack.entrypoints.cli import review as review_command
from credstack.entrypoints.cli import skills as skills_command
from credstack.entrypoints.cli import verify as verify_command
from credstack.entrypoints.cli.console import (
    DataDir,
    LogFormatOption,
    acting,
    err,
    exit_on_error,
    out,
    runtime,
    say,
)
from credstack.entrypoints.cli.serving import serve_processes
from credstack.entrypoints.web.app import create_app
from credstack.entrypoints.web.coalescing import CoalescingProtocol
from credstack.errors import CredstackError
from credstack.settings import Settings, answers_at, configured_public_url, listening_url

app = typer.Typer(
    help="credstack: micro-credential descriptors, registry and credentials. "
         "/ マイクロクレデンシャルの記述子・レジストリ・証明",
    no_args_is_help=True, pretty_exceptions_show_locals=False)
demo = typer.Typer(help="Demo data. / デモデータ", no_args_is_help=True)
for group, name in ((mc.app, "mc"), (issuer.app, "issuer"), (issuer.store_app, "keys"),
                    (credentials.app, "credential"), (badges.app, "badge"),
                    (registry.app, "registry"), (ob2_command.app, "ob2"),
                    (certificate_commands.app, "certificate"), (clr_command.app, "clr"),
                    (audit_command.app, "audit"), (accounts_command.app, "accounts"),
                    (review_command.app, "review"), (mail_command.app, "mail"),
                    (creditbank_command.app, "creditbank"), (skills_command.app, "skills"),
                    (housekeeping.oid4vc, "oid4vc"), (housekeeping.oauth, "oauth"),
                    (housekeeping.lti, "lti"),
                    (federation_command.app, "federation"),
                    (operations_console.app, "console")):
    app.add_typer(group, name=name)
app.command("issue")(credentials.issue)
app.command("verify")(verify_command.verify)
app.command("worker")(jobs_command.worker)
app.command("doctor")(doctor_command.doctor)
app.command("backup")(backup_command.backup)
app.command("restore")(backup_command.restore)
#: The demo organisation that signs VC-API issue requests when none is configured.
DEMO_ISSUER = "hokuto-tech"
app.add_typer(demo, name="demo")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(VERSION)


@app.command()
def init(data_dir: DataDir = None) -> None:
    """Create the data directory and bring the database schema up to date."""
    with acting(data_dir) as opened:
        where = opened.settings.store_location
    out.print(say(f"Store ready: {where}", f"ストアの準備ができました：{where}"))


def _load_demo(data_dir: Path | None, *, only_if_empty: bool,
               settings: Settings | None = None) -> int:
    """Load the demo set; say so when the demo organisations get no issuer keys."""
    with runtime(data_dir, settings=settings) as opened:
        loaded = load_demo_programmes(opened, only_if_empty=only_if_empty)
        if loaded.programmes and loaded.no_keys is None:
            load_demo_skills(opened)
    if loaded.no_keys is not None:
        reason = loaded.no_keys.message
        err.print(say(f"Demo organisations get no issuer keys: {reason}",
                      f"デモの組織に発行者鍵を作成しませんでした：{reason}"), soft_wrap=True)
    return loaded.programmes


def _show_demo_recognition(data_dir: Path | None, settings: Settings) -> None:
    """Run the demo recognition (once) and say where to see it; the demo goes on without
    it when it cannot be prepared."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            shown = prepare_demo_recognition(opened)
    except CredstackError as exc:
        err.print(say(f"The demo recognition could not be prepared: {exc.message}",
                      f"デモの認定を準備できませんでした：{exc.message}"), markup=False,
                  soft_wrap=True)
        return
    if shown is None:
        return
    _show_demo_creditbank(data_dir, settings)
    learner = (say(f"; {LEARNER} holds credential {shown.credential}",
                   f"；{LEARNER} の証明 {shown.credential}") if shown.credential else "")
    out.print(say(f"Demo recognition: decision {shown.decision} published — /recognition"
                  f"{learner}",
                  f"デモの認定：決定 {shown.decision} を公表しました — /recognition{learner}"),
              markup=False, soft_wrap=True)


def _show_demo_creditbank(data_dir: Path | None, settings: Settings) -> None:
    """Publish the demo credit-bank target and the learner's deposit (once); the demo goes
    on without them when they cannot be prepared."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            made = prepare_demo_creditbank(opened)
    except CredstackError as exc:
        err.print(say(f"The demo credit bank could not be prepared: {exc.message}",
                      f"デモの単位バンクを準備できませんでした：{exc.message}"), markup=False,
                  soft_wrap=True)
        return
    out.print(say(f"Demo credit bank: target {made.target} published — /targets/{made.target}",
                  f"デモの単位バンク：目標 {made.target} を公開しました — /targets/{made.target}"),
              markup=False, soft_wrap=True)
    try:
        with runtime(data_dir, settings=settings) as opened:
            role = prepare_demo_role(opened)
    except CredstackError as exc:
        err.print(say(f"The demo employer's role could not be saved: {exc.message}",
                      f"デモの雇用者の求人を保存できませんでした：{exc.message}"), markup=False,
                  soft_wrap=True)
        return
    out.print(say(f"Demo employer: role saved — /employers?role={role.id}",
                  f"デモの雇用者：求人を保存しました — /employers?role={role.id}"),
              markup=False, soft_wrap=True)


def _show_demo_history(data_dir: Path | None, settings: Settings) -> None:
    """Live the demo's past months (once), so that its figures have months to show; the
    demo goes on without them when they cannot be made."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            made = prepare_demo_history(opened)
    except CredstackError as exc:
        err.print(say(f"The demo's history could not be made: {exc.message}",
                      f"デモの履歴を作成できませんでした：{exc.message}"), markup=False,
                  soft_wrap=True)
        return
    if made.issued:
        out.print(say(f"Demo history: {made.issued} credentials issued over the last {MONTHS} "
                      f"months, {made.claimed} claimed and shared, {made.verified} verified",
                      f"デモの履歴：過去 {MONTHS} か月に {made.issued} 件の証明書を発行、"
                      f"{made.claimed} 件を受け取り・共有、{made.verified} 件を検証"),
                  markup=False, soft_wrap=True)


@demo.command("load")
def demo_load(data_dir: DataDir = None) -> None:
    """Load the demo organisations and programmes (idempotent)."""
    with exit_on_error():
        count = _load_demo(data_dir, only_if_empty=False)
    out.print(say(f"Demo data loaded: {count} programmes.",
                  f"デモデータを読み込みました：{count} 件のプログラム。"))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    with_demo: Annotated[bool, typer.Option("--demo", help="Load the demo data into an empty "
                                            "store first.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="Web processes sharing the port (about one per core); they share the store, "
             "so sessions, tokens and status lists are the same in each.")] = 1,
    log_format: LogFormatOption = None,
) -> None:
    """Start the web service (API, pages) on the configured store.

    Credentials, QR codes, DIDs and status-list URLs name ``CREDSTACK_PUBLIC_URL``; when it
    is not set, they name where this server listens (``http://localhost:<port>``).
    """
    with exit_on_error():
        # Read before the demo is loaded: the demo's credentials and DIDs name this address.
        settings = Settings.from_env(data_dir=data_dir,
                                     default_public_url=listening_url(host, port))
        if log_format is not None:
            settings = dataclasses.replace(settings, log_format=log_format.value)
        if with_demo:
            loaded = _load_demo(data_dir, only_if_empty=True, settings=settings)
            if loaded:
                err.print(say(f"Loaded {loaded} demo programmes.",
                              f"デモ用プログラムを {loaded} 件読み込みました。"))
            accounts_command.show_demo_accounts(data_dir, settings=settings)
            _show_demo_recognition(data_dir, settings)
            _show_demo_history(data_dir, settings)
        if with_demo:
            # A demo server keeps its e-mail in its local mailbox when it sends none.
            settings = dataclasses.replace(settings, demo=True)
        if with_demo and settings.default_issuer is None:
            settings = dataclasses.replace(settings, default_issuer=DEMO_ISSUER)
        if answers_at(settings.public_url, host, port):
            # Nothing stands between browsers and this server: a page opened at another of
            # its names (127.0.0.1) is sent to the one every link names.
            settings = dataclasses.replace(settings, canonical_host=True)
        # With several processes, each builds its own (serve_processes).
        application = create_app(settings, freeze_heap=True) if workers == 1 else None
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    # The address every generated link names, when it reaches this server: a browser keeps
    # its sign-in per host, so one opened at 127.0.0.1 would arrive signed out at localhost.
    url = (settings.public_url if answers_at(settings.public_url, host, port)
           else f"http://{shown}:{port}")
    where = settings.store_location
    processes = say(f", {workers} processes", f"、{workers} プロセス") if workers > 1 else ""
    out.print(say(f"credstack is running at [bold]{url}[/]  (store: {where}{processes})",
                  f"credstack を [bold]{url}[/] で起動しました（ストア：{where}{processes}）"))
    if settings.manual_dir is not None:
        out.print(say(f"Manual: {url}/manual/", f"マニュアル：{url}/manual/ja/"))
    out.print(say(f"API documentation: {url}/docs — stop with Ctrl+C",
                  f"API ドキュメント：{url}/docs — Ctrl+C で停止"))
    _warn_about_the_public_url(settings.public_url, host=host, port=port, url=url)
    if settings.embedded_jobs:
        out.print(say("Background jobs run in this process (embedded queue).",
                      "バックグラウンドジョブはこのプロセスで実行します（組み込みキュー）。"))
    else:
        out.print(say("Background jobs go to CREDSTACK_JOBS_URL: start `credstack worker` "
                      "processes to run them.",
                      "バックグラウンドジョブは CREDSTACK_JOBS_URL のキューに入ります。"
                      "`credstack worker` を起動して実行してください。"), markup=False)
    if application is None:
        serve_processes(settings, host=host, port=port, workers=workers)
        return
    config = uvicorn.Config(application, host=host, port=port, log_level="warning",
                            http=CoalescingProtocol, access_log=False,
                            log_config=None if settings.log_format == "json" else LOGGING_CONFIG)
    logs.configure(settings.log_format)
    uvicorn.Server(config).run()


def _warn_about_the_public_url(public: str, *, host: str, port: int, url: str) -> None:
    """Say so when credentials will name an address this server does not answer at: a
    ``CREDSTACK_PUBLIC_URL`` that points elsewhere (right only behind a reverse proxy), or a
    listening address no did:web can name."""
    if answers_at(public, host, port):
        return
    if configured_public_url() is None:
        err.print(say(
            f"[yellow]Warning:[/] credentials will name {public}, not {url}: a did:web cannot "
            "name an IP address. Set CREDSTACK_PUBLIC_URL to a host name that reaches this "
            "server.",
            f"[yellow]警告：[/]証明には {url} ではなく {public} が記載されます（did:web は IP "
            "アドレスを使えません）。このサーバーに届くホスト名を CREDSTACK_PUBLIC_URL に設定"
            "してください。"), soft_wrap=True)
        return
    err.print(say(
        f"[yellow]Warning:[/] CREDSTACK_PUBLIC_URL is {public}, but this server answers at "
        f"{url}. Credentials, QR codes, DIDs and status lists will name {public}: right behind "
        "a reverse proxy that forwards it here; otherwise set CREDSTACK_PUBLIC_URL to "
        f"{listening_url(host, port)} or unset it.",
        f"[yellow]警告：[/]CREDSTACK_PUBLIC_URL は {public} ですが、このサーバーは {url} で"
        f"応答します。証明・QR コード・DID・ステータスリストには {public} が記載されます。"
        "リバースプロキシがここへ転送しているなら問題ありません。そうでなければ "
        f"CREDSTACK_PUBLIC_URL を {listening_url(host, port)} にするか、設定を外してください。"),
        soft_wrap=True)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write "
                                                "(default: standard output).")] = None,
) -> None:
    """Write the JSON Schema of the descriptor model."""
    text = json.dumps(descriptor_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(say(f"Wrote the descriptor schema to {output}.",
                      f"記述子のスキーマを {output} に書き出しました。"))
