"""The ``credstack`` command: a table of its commands, each imported only when it runs.

``credstack --help`` reads the names and the help keys of :data:`COMMANDS` and
imports none of them; ``credstack verify FILE`` imports the verifier, not the web
application, the demo data or the other nineteen commands. A command's module imports what
it needs, at the latest when it runs (the CLI's modules are the one place where an import
inside a function is allowed: ``tests/test_architecture.py``). A new command is a row of
the table; ``tests/entrypoints/cli/test_main_lazy.py`` checks that each row's help is the
help its command gives, and that the help and a command's run import no more than they
need.

Every help a command shows is a key of the CLI's catalogue (``locale/<language>/LC_MESSAGES/
cli.po``, ``cli.help.…``): a command's module names the key (``help="cli.help.issuer.…"``) and
the words are looked up when the command is about to run or show its help (:func:`translated`),
in the console's :func:`language` — so a listing of the table reads one compiled catalogue and
imports no command, and the language is the one of the run, not of the import.
"""

from __future__ import annotations

import gettext
import importlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import typer
from typer._click import Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    # The Click that Typer carries inside it, whose context a command makes.
    from typer._click import Command

__all__ = ["COMMANDS", "HELP", "LOCALE", "Commands", "Entry", "Folding", "Translated", "app",
           "help_with", "language", "translated", "words"]

#: The CLI's catalogues: ``<language>/LC_MESSAGES/cli.{po,mo}`` (Japanese and English).
LOCALE: Final = Path(__file__).resolve().parent / "locale"
#: A help key, with the values of its placeholders after a ``?`` (:func:`help_with`).
HELP_KEY: Final = re.compile(r"cli\.help\.[a-z0-9_.]+(\?.*)?", re.DOTALL)


def language() -> str:
    """``ja`` or ``en``: CREDSTACK_LANG, else the locale (LC_ALL, LANG), else English."""
    for variable in ("CREDSTACK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def words(key: str) -> str:
    """The words of a help key in the console's :func:`language`; a key the catalogue lacks
    is an error (:class:`KeyError`), never shown as it is.

    Read with the standard library's gettext (which Click has imported already, and which
    keeps each compiled catalogue once a process), not :mod:`credstack.catalogues`: the
    help of ``credstack --help`` imports nothing of credstack but this module."""
    found = gettext.translation("cli", LOCALE, languages=[language()]).gettext(key)
    if found == key:
        raise KeyError(key)
    return found


def help_with(key: str, /, **values: str) -> str:
    """A help key whose words have placeholders, with their values (``cli.help.x.y?n=3``),
    for :func:`translated` to fill in (a help built from what the code knows, such as the
    roles there are)."""
    from urllib.parse import urlencode

    return f"{key}?{urlencode(values)}"


def _said(text: str | None) -> str | None:
    """The words of ``text`` when it is a help key (:data:`HELP_KEY`); anything else (Click's
    own help of ``--help``, words already looked up) as it is."""
    if text is None or not HELP_KEY.fullmatch(text):
        return text
    key, _, query = text.partition("?")
    values: dict[str, str] = {}
    if query:
        from urllib.parse import parse_qsl

        values = dict(parse_qsl(query, keep_blank_values=True))
    return words(key).format(**values)


#: A command or a group, as :func:`translated` gives it back.
C = TypeVar("C", bound="Command")

#: Typer's own words in a help — its panels' titles and marks (``typer.rich_utils``' constants,
#: read when a help is drawn) and the help of the options it adds (``--help``, the shell
#: completion's) — by the keys of their words in the CLI's catalogue; the English words are
#: Typer's, to the letter. (Typer's errors are English f-strings inside the Click it carries:
#: no catalogue reaches them.)
TYPER_WORDS: Final = {
    "ARGUMENTS_PANEL_TITLE": "cli.typer.arguments",
    "OPTIONS_PANEL_TITLE": "cli.typer.options",
    "COMMANDS_PANEL_TITLE": "cli.typer.commands",
    "REQUIRED_LONG_STRING": "cli.typer.required",
    "DEFAULT_STRING": "cli.typer.default",
    "ENVVAR_STRING": "cli.typer.env_var",
    "DEPRECATED_STRING": "cli.typer.deprecated",
}
TYPER_HELP: Final = {
    "Show this message and exit.": "cli.typer.help",
    "Install completion for the current shell.": "cli.typer.install_completion",
    "Show completion for the current shell, to copy it or customize the installation.":
        "cli.typer.show_completion",
}


@contextmanager
def _folding() -> Iterator[None]:
    """While a help is drawn: Typer's panels cut a word wider than its column with an
    ellipsis, and a Japanese sentence is one word (no spaces); its texts fold instead, as
    Japanese breaks between any two characters (English, at spaces, is drawn as before).
    Typer's own words are the console's language's (:data:`TYPER_WORDS`, :data:`TYPER_HELP`)."""
    from typer import rich_utils

    made = rich_utils._make_rich_text
    typers = {name: getattr(rich_utils, name) for name in TYPER_WORDS}

    def folding(*, text: str, style: str = "", markup_mode: Any) -> Any:
        if text in TYPER_HELP:
            text = words(TYPER_HELP[text])
        drawn = made(text=text, style=style, markup_mode=markup_mode)
        if hasattr(drawn, "overflow"):  # rich's Text (Markdown folds of itself)
            drawn.overflow = "fold"
        return drawn

    rich_utils._make_rich_text = folding
    for name, key in TYPER_WORDS.items():
        setattr(rich_utils, name, words(key))
    try:
        yield
    finally:
        rich_utils._make_rich_text = made
        for name, value in typers.items():
            setattr(rich_utils, name, value)


class Usage(HelpFormatter):
    """Click's help formatter, its usage line's "Usage: " in the console's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, words("cli.typer.usage") if prefix is None else prefix)


class Folding(Context):
    """The context of a command of :func:`translated`: its help is drawn :func:`_folding`."""

    formatter_class = Usage

    def get_help(self) -> str:
        with _folding():
            return super().get_help()


def translated(command: C) -> C:
    """``command`` with its help, its parameters' help and its sub-commands' (all of them
    down the tree) in words: each help key replaced by its words in :func:`language`, the
    help drawn by a :class:`Folding` context."""
    command.context_class = Folding
    command.help = _said(command.help)
    command.short_help = _said(command.short_help)
    for parameter in command.params:
        if isinstance(help_text := getattr(parameter, "help", None), str):
            parameter.help = _said(help_text)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        translated(sub)
    return command


@dataclass(frozen=True, slots=True)
class Entry:
    """One command of the table: its name, where it lives, and the help a listing shows."""

    name: str
    #: The module that defines it (imported when the command runs or shows its own help).
    module: str
    #: A :class:`typer.Typer` of sub-commands, or a command's function, in that module.
    attribute: str
    #: The key of the command's help (``cli.help.…``): a function's, named here; a group's,
    #: the key its :class:`typer.Typer` names.
    help: str

    def build(self) -> TyperCommand | TyperGroup:
        """The command itself, built by Typer as it builds a command of the main group, its
        help still keys."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer()
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=self.name)
        else:
            holder.command(self.name, help=self.help)(target)
        command = typer.main.get_group(holder).commands[self.name]
        assert isinstance(command, TyperCommand | TyperGroup)
        return command

    def load(self) -> TyperCommand | TyperGroup:
        """The command itself, its help in words (:func:`translated`)."""
        return translated(self.build())


def _module(name: str) -> str:
    return f"credstack.entrypoints.cli.{name}"


#: Every command, in the order ``credstack --help`` lists them.
COMMANDS: Final[tuple[Entry, ...]] = (
    Entry("issue", _module("credentials"), "issue",
          "cli.help.credentials.issue_a_programmes_credential"),
    Entry("verify", _module("verify"), "verify",
          "cli.help.verify.verify_a_credential_open"),
    Entry("sign", _module("signing"), "sign",
          "cli.help.signing.secure_a_credential_file"),
    Entry("worker", _module("jobs"), "worker",
          "cli.help.jobs.run_background_jobs_from"),
    Entry("doctor", _module("doctor"), "doctor",
          "cli.help.doctor.check_the_status_lists"),
    Entry("backup", _module("backup"), "backup",
          "cli.help.backup.back_the_store_its"),
    Entry("restore", _module("backup"), "restore",
          "cli.help.backup.restore_a_backup_into"),
    Entry("version", _module("main"), "version", "cli.help.main.print_the_version"),
    Entry("init", _module("backup"), "init",
          "cli.help.backup.create_the_data_directory"),
    Entry("serve", _module("serving"), "serve",
          "cli.help.serving.start_the_web_service"),
    Entry("schema", _module("mc"), "schema", "cli.help.mc.write_the_json_schema"),
    Entry("mc", _module("mc"), "app",
          "cli.help.mc.micro_credential_programmes_validate"),
    Entry("issuer", _module("issuer"), "app",
          "cli.help.issuer.issuer_identity_dids_and"),
    Entry("keys", _module("issuer"), "store_app",
          "cli.help.issuer.the_key_stores_master"),
    Entry("credential", _module("credentials"), "app",
          "cli.help.credentials.issued_credentials_and_their"),
    Entry("badge", _module("badges"), "app",
          "cli.help.badges.badge_images_and_baked"),
    Entry("registry", _module("registry"), "app",
          "cli.help.registry.the_registrys_search_index"),
    Entry("ob2", _module("ob2"), "app",
          "cli.help.ob2.open_badges_2_0"),
    Entry("certificate", _module("certificates"), "app",
          "cli.help.certificates.signed_pdf_certificates"),
    Entry("clr", _module("clr"), "app",
          "cli.help.clr.comprehensive_learner_records_clr"),
    Entry("audit", _module("audit"), "app",
          "cli.help.audit.the_tamper_evident_audit"),
    Entry("accounts", _module("accounts"), "app",
          "cli.help.accounts.accounts_users_roles_api"),
    Entry("review", _module("review"), "app", "cli.help.review.the_recognition_review_process"),
    Entry("mail", _module("mail"), "app", "cli.help.mail.e_mail_the_outbox"),
    Entry("creditbank", _module("creditbank"), "app",
          "cli.help.creditbank.the_credit_banks_targets"),
    Entry("skills", _module("skills"), "app",
          "cli.help.skills.competency_frameworks_and_skills"),
    Entry("registrar", _module("registrar"), "app",
          "cli.help.registrar.the_registrars_academic_records"),
    Entry("registrar-documents", _module("registrar_documents"), "app",
          "cli.help.registrar_documents.the_registrars_documents_issue"),
    Entry("oid4vc", _module("housekeeping"), "oid4vc",
          "cli.help.housekeeping.openid_for_verifiable_credentials"),
    Entry("oauth", _module("housekeeping"), "oauth",
          "cli.help.housekeeping.oauth_2_0_authorization"),
    Entry("lti", _module("housekeeping"), "lti",
          "cli.help.housekeeping.lti_1_3_tool"),
    Entry("federation", _module("federation"), "app",
          "cli.help.federation.the_registry_as_an"),
    Entry("console", _module("operations_console"), "app",
          "cli.help.operations_console.the_operators_console_applications"),
    Entry("demo", _module("demo"), "app", "cli.help.demo.demo_data"),
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


class Translated(TyperGroup):
    """A group whose help, and its commands', is put in words when it starts a run (the
    language is the one of that run: a test's environment, too)."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Context | None = None, **extra: Any) -> Context:
        translated(self)
        return super().make_context(info_name, args, parent=parent, **extra)


class Commands(Translated):
    """The ``credstack`` group: every command of :data:`COMMANDS`, deferred."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = {entry.name: Deferred(entry) for entry in COMMANDS}


app = typer.Typer(cls=Commands, no_args_is_help=True, pretty_exceptions_show_locals=False)


#: The key of ``credstack --help``'s own words.
HELP: Final = "cli.help.main.credstack_micro_credential_descriptors"


@app.callback(help=HELP)
def credstack() -> None:
    """The group's own callback: it does nothing (its help is its key's words)."""


def version() -> None:
    """``credstack version`` (its help is the table's key)."""
    from credstack.entrypoints import VERSION

    typer.echo(VERSION)
