"""The ``credstack`` command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from credstack import __version__
from credstack.adapters.cli import accounts as accounts_command
from credstack.adapters.cli import audit as audit_command
from credstack.adapters.cli import badges, credentials, issuer, mc, registry
from credstack.adapters.cli import certificates as certificate_commands
from credstack.adapters.cli import clr as clr_command
from credstack.adapters.cli import ob2 as ob2_command
from credstack.adapters.cli import verify as verify_command
from credstack.adapters.cli.console import err, fail, out, say, store, utc_now
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories.programmes import import_documents
from credstack.adapters.db.tables import ProgrammeRow
from credstack.adapters.keystore import load_master_key
from credstack.core.crypto.keys import KeyType
from credstack.core.descriptors.schema import descriptor_schema
from credstack.errors import CredstackError, KeyStoreError
from credstack.settings import Settings

app = typer.Typer(
    help="credstack: micro-credential descriptors, registry and credentials. "
         "/ マイクロクレデンシャルの記述子・レジストリ・証明",
    no_args_is_help=True, pretty_exceptions_show_locals=False)
app.add_typer(mc.app, name="mc")
app.add_typer(issuer.app, name="issuer")
app.add_typer(issuer.store_app, name="keys")
app.add_typer(credentials.app, name="credential")
app.add_typer(badges.app, name="badge")
app.add_typer(registry.app, name="registry")
app.add_typer(ob2_command.app, name="ob2")
app.add_typer(certificate_commands.app, name="certificate")
app.add_typer(clr_command.app, name="clr")
app.add_typer(audit_command.app, name="audit")
app.add_typer(accounts_command.app, name="accounts")
from credstack.adapters.cli import review as review_command  # noqa: E402

app.add_typer(review_command.app, name="review")
app.command("issue")(credentials.issue)
app.command("verify")(verify_command.verify)
demo = typer.Typer(help="Demo data. / デモデータ", no_args_is_help=True)
#: The demo organisation that signs VC-API issue requests when none is configured.
DEMO_ISSUER = "hokuto-tech"
app.add_typer(demo, name="demo")

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Where the SQLite store lives "
                                              "(default ./.credstack).",
                                              envvar="CREDSTACK_DATA_DIR")]


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


@app.command()
def init(data_dir: DataDir = None) -> None:
    """Create the data directory and bring the database schema up to date."""
    try:
        with store(data_dir) as (settings, _):
            pass
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    where = _describe(settings)
    out.print(say(f"Store ready: {where}", f"ストアの準備ができました：{where}"))


def _describe(settings: Settings) -> str:
    if settings.is_sqlite:
        return settings.database_url.removeprefix("sqlite:///")
    return make_url(settings.database_url).render_as_string(hide_password=True)


def _load_demo(data_dir: Path | None, *, only_if_empty: bool) -> int:
    """Load the demo set and give every demo organisation an Ed25519 issuer key."""
    from credstack.demo import load_demo_documents

    with store(data_dir) as (settings, session), session.begin():
        if only_if_empty and session.scalar(select(func.count()).select_from(ProgrammeRow)):
            return 0
        documents = load_demo_documents()
        report = import_documents(session, documents=documents, now=utc_now(), source="demo")
        try:
            secret = load_master_key(settings)
        except KeyStoreError as exc:
            err.print(say(f"Demo organisations get no issuer keys: {exc.message}",
                          f"デモの組織に発行者鍵を作成しませんでした：{exc.message}"),
                      soft_wrap=True)
            return len(report.programmes)
        for organisation in documents.organisations:
            if not any(key.active and key.key_type is KeyType.ED25519 for key in
                       key_store.public_keys(session, organisation=organisation.slug)):
                key_store.create_key(session, organisation=organisation.slug,
                                     key_type=KeyType.ED25519, now=utc_now(), secret=secret)
    return len(report.programmes)


@demo.command("load")
def demo_load(data_dir: DataDir = None) -> None:
    """Load the demo organisations and programmes (idempotent)."""
    try:
        count = _load_demo(data_dir, only_if_empty=False)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    out.print(say(f"Demo data loaded: {count} programmes.",
                  f"デモデータを読み込みました：{count} 件のプログラム。"))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
    with_demo: Annotated[bool, typer.Option("--demo", help="Load the demo data into an empty "
                                            "store first.")] = False,
) -> None:
    """Start the web service (API, pages) on the configured store."""
    from credstack.adapters.web.app import create_app

    try:
        if with_demo:
            loaded = _load_demo(data_dir, only_if_empty=True)
            if loaded:
                err.print(say(f"Loaded {loaded} demo programmes.",
                              f"デモ用プログラムを {loaded} 件読み込みました。"))
            accounts_command.show_demo_accounts(data_dir)
            from credstack.demo.recognition import show_demo_recognition
            show_demo_recognition(data_dir)
        settings = Settings.from_env(data_dir=data_dir)
        if with_demo and settings.default_issuer is None:
            settings = dataclasses.replace(settings, default_issuer=DEMO_ISSUER)
        application = create_app(settings)
    except CredstackError as exc:
        raise fail(exc, code=1) from None
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    url = f"http://{shown}:{port}"
    out.print(say(f"credstack is running at [bold]{url}[/]  (store: {_describe(settings)})",
                  f"credstack を [bold]{url}[/] で起動しました（ストア：{_describe(settings)}）"))
    out.print(say(f"API documentation: {url}/docs — stop with Ctrl+C",
                  f"API ドキュメント：{url}/docs — Ctrl+C で停止"))
    uvicorn.run(application, host=host, port=port, log_level="warning")


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
