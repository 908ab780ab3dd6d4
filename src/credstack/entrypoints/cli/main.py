"""The ``credstack`` command: a table of its commands, each imported only when it runs.

``credstack --help`` reads the names and the one-paragraph help of :data:`COMMANDS` and
imports none of them; ``credstack verify FILE`` imports the verifier, not the web
application, the demo data or the other nineteen commands. A command's module imports what
it needs, at the latest when it runs (the CLI's modules are the one place where an import
inside a function is allowed: ``tests/test_architecture.py``). A new command is a row of
the table; ``tests/entrypoints/cli/test_main_lazy.py`` checks that each row's help is the
help its command gives, and that the help and a command's run import no more than they
need.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    # The Click that Typer carries inside it, whose context a command makes.
    from typer._click import Context

__all__ = ["COMMANDS", "Commands", "Entry", "app"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One command of the table: its name, where it lives, and the help a listing shows."""

    name: str
    #: The module that defines it (imported when the command runs or shows its own help).
    module: str
    #: A :class:`typer.Typer` of sub-commands, or a command's function, in that module.
    attribute: str
    #: The first paragraph of the command's help, exactly as the command gives it.
    help: str

    def load(self) -> TyperCommand | TyperGroup:
        """The command itself, built by Typer as it builds a command of the main group."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer()
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=self.name)
        else:
            holder.command(self.name)(target)
        command = typer.main.get_group(holder).commands[self.name]
        assert isinstance(command, TyperCommand | TyperGroup)
        return command


def _module(name: str) -> str:
    return f"credstack.entrypoints.cli.{name}"


#: Every command, in the order ``credstack --help`` lists them.
COMMANDS: Final[tuple[Entry, ...]] = (
    Entry("issue", _module("credentials"), "issue",
          "Issue a programme's credential to one learner or to a cohort (CSV), resumably."),
    Entry("verify", _module("verify"), "verify",
          "Verify a credential: Open Badges 3.0 / VC 2.0 (Data Integrity or VC-JWT), Open Badges"
          "\n2.0, a badge image with a credential baked in, or a signed PDF certificate; a"
          "\nVerifiable Presentation is verified as one, and each credential it holds."),
    Entry("sign", _module("signing"), "sign",
          "Secure a credential file with a key file (JWK or PEM) in any securing mechanism:"
          "\nData Integrity, vc+jwt, vc+sd-jwt, vc+cose; nothing is stored."),
    Entry("worker", _module("jobs"), "worker",
          "Run background jobs from the queue until stopped. / バックグラウンドジョブを実行する"),
    Entry("doctor", _module("doctor"), "doctor",
          "Check the status lists' allocation bitmaps against the stored credentials."
          "\n/ ステータスリストの割り当てビットマップを保存済みの証明と照合します。"),
    Entry("backup", _module("backup"), "backup",
          "Back the store, its master key file and audit checkpoints up into a new directory"
          "\n(while the server serves). / "
          "ストア・マスター鍵・監査チェックポイントをバックアップする"),
    Entry("restore", _module("backup"), "restore",
          "Restore a backup into a fresh data directory (or an empty PostgreSQL database), "
          "check\nits checksums, then verify its audit log. / "
          "バックアップを復元し、監査ログを検証する"),
    Entry("version", _module("main"), "version", "Print the version."),
    Entry("init", _module("backup"), "init",
          "Create the data directory and bring the database schema up to date."),
    Entry("serve", _module("serving"), "serve",
          "Start the web service (API, pages) on the configured store."),
    Entry("schema", _module("mc"), "schema", "Write the JSON Schema of the descriptor model."),
    Entry("mc", _module("mc"), "app",
          "Micro-credential programmes: validate, import, export. / "
          "プログラムの検証・取込・書出し"),
    Entry("issuer", _module("issuer"), "app",
          "Issuer identity: DIDs and signing keys. / 発行者の DID と署名鍵"),
    Entry("keys", _module("issuer"), "store_app",
          "The key store's master key. / 鍵ストアのマスター鍵"),
    Entry("credential", _module("credentials"), "app",
          "Issued credentials and their status. / 発行済みクレデンシャルと状態"),
    Entry("badge", _module("badges"), "app",
          "Badge images and baked credentials. / バッジ画像とベイク"),
    Entry("registry", _module("registry"), "app",
          "The registry's search index. / レジストリの検索索引"),
    Entry("ob2", _module("ob2"), "app",
          "Open Badges 2.0: assertions of issued credentials, verification. / "
          "Open Badges 2.0 のアサーションと検証"),
    Entry("certificate", _module("certificates"), "app",
          "Signed PDF certificates. / 署名付き PDF 証明書"),
    Entry("clr", _module("clr"), "app",
          "Comprehensive Learner Records (CLR 2.0). / 包括的学習記録（CLR 2.0）"),
    Entry("audit", _module("audit"), "app",
          "The tamper-evident audit log. / 改ざん検知可能な監査ログ"),
    Entry("accounts", _module("accounts"), "app",
          "Accounts: users, roles, API clients. / アカウント：利用者・役割・API クライアント"),
    Entry("review", _module("review"), "app", "The recognition review process. / 認定審査の手続き"),
    Entry("mail", _module("mail"), "app", "E-mail: the outbox and sending. / メール：送信箱と送信"),
    Entry("creditbank", _module("creditbank"), "app",
          "The credit bank's targets. / 単位バンクの認定目標"),
    Entry("skills", _module("skills"), "app",
          "Competency frameworks and skills. / スキル・コンピテンシーフレームワーク"),
    Entry("registrar", _module("registrar"), "app",
          "The registrar's academic records: import, template, show. / "
          "学籍・成績の取込・テンプレート・表示"),
    Entry("registrar-documents", _module("registrar_documents"), "app",
          "The registrar's documents: issue, issue to a class, withdraw, list. / "
          "学修歴証明書の発行・一括発行・失効・一覧"),
    Entry("oid4vc", _module("housekeeping"), "oid4vc",
          "OpenID for Verifiable Credentials: housekeeping. / "
          "OpenID for Verifiable Credentials の保守"),
    Entry("oauth", _module("housekeeping"), "oauth",
          "OAuth 2.0 authorization server: housekeeping. / "
          "OAuth 2.0 authorization server の保守"),
    Entry("lti", _module("housekeeping"), "lti",
          "LTI 1.3 tool: housekeeping. / LTI 1.3 tool の保守"),
    Entry("federation", _module("federation"), "app",
          "The registry as an OpenID Federation trust anchor. / "
          "OpenID Federation のトラストアンカーとしての登録簿"),
    Entry("console", _module("operations_console"), "app",
          "The operator's console: applications, organisations, reports, figures, health. / "
          "運営コンソール（参加申請・組織・通報・統計・稼働状況）"),
    Entry("demo", _module("demo"), "app", "Demo data. / デモデータ"),
)


class Deferred(TyperCommand):
    """A command of the table before its module is imported: its name and help are what a
    listing, a suggestion or a shell completion reads; running it (or asking for its own
    help) builds the command itself, whose context then carries the run."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(name=entry.name, help=entry.help)
        self.entry = entry

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Context | None = None, **extra: Any) -> Context:
        return self.entry.load().make_context(info_name, args, parent=parent, **extra)


class Commands(TyperGroup):
    """The ``credstack`` group: every command of :data:`COMMANDS`, deferred."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = {entry.name: Deferred(entry) for entry in COMMANDS}


app = typer.Typer(cls=Commands, no_args_is_help=True, pretty_exceptions_show_locals=False)


@app.callback()
def credstack() -> None:
    """credstack: micro-credential descriptors, registry and credentials. / マイクロクレデンシャルの記述子・レジストリ・証明"""  # noqa: E501


def version() -> None:
    """Print the version."""
    from credstack.entrypoints import VERSION

    typer.echo(VERSION)
