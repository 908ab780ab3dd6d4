"""The commands' help in one language (issue 53): every help a command, an option or an
argument shows is a ``cli.help.…`` key of the CLI's catalogues (``entrypoints/cli/locale``),
put in words by :func:`credstack.entrypoints.cli.main.translated` in the console's language
when the command runs; ``credstack --help`` and each command's ``--help`` read in Japanese or
in English, never in both halves at once."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import rich_utils
from typer.testing import CliRunner

from credstack.entrypoints.cli import console, main
from credstack.entrypoints.cli.main import COMMANDS, HELP_KEY, app, translated, words
from tests.entrypoints.cli.test_console_words import catalogue, placeholders

CLI = Path(main.__file__).parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
#: What a help printed in both languages looked like: English, " / ", then Japanese.
BOTH_HALVES = re.compile(r"[A-Za-z.)]\s+/\s+[\u3040-\u30ff\u3400-\u9fff]")
#: English words may name a Japanese term in brackets: the student's number (学籍番号).
BRACKETED_TERM = re.compile(r"\([\u3040-\u30ff\u3400-\u9fff]+\)")


def _paths(command: Any, path: list[str]) -> list[list[str]]:
    """``path`` and the path of every sub-command under it."""
    subcommands = getattr(command, "commands", {})
    return [path, *(found for name, sub in subcommands.items()
                    for found in _paths(sub, [*path, name]))]


def _commands(command: Any) -> list[Any]:
    """``command`` and every command under it."""
    return [command, *(found for sub in getattr(command, "commands", {}).values()
                       for found in _commands(sub))]


ENTRIES = {entry.name: entry for entry in COMMANDS}
PATHS = [found for entry in COMMANDS for found in _paths(entry.build(), [entry.name])]


def _help(path: list[str], language: str, *, columns: int = 100) -> str:
    result = CliRunner().invoke(app, [*path, "--help"],
                                env={"COLUMNS": str(columns), "CREDSTACK_LANG": language})
    assert result.exit_code == 0, (path, result.output)
    return result.output


def _squeezed(text: str) -> str:
    """``text`` without white space (a help as printed is wrapped and padded)."""
    return re.sub(r"\s+", "", text)


def test_every_help_in_the_commands_source_is_a_key():
    """No ``help=`` of a command, option or argument holds words, and no command takes its
    help from a docstring: each names a key (or :func:`main.help_with` of a key)."""
    worded = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "help":
                value = node.value
                if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "help_with":
                    value = value.args[0]
                if isinstance(value, ast.Constant) and not HELP_KEY.fullmatch(value.value):
                    worded.append(f"{path.name}:{node.value.lineno}")
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") in {
                        "command", "callback"} and not any(
                        keyword.arg == "help" for keyword in decorator.keywords)
                    for decorator in node.decorator_list):
                worded.append(f"{path.name}:{node.lineno} {node.name}")
    assert worded == []
    assert all(HELP_KEY.fullmatch(entry.help) for entry in COMMANDS)


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_every_help_a_command_carries_is_a_key_of_both_catalogues(entry: Any) -> None:
    """Built, before its words are looked up, every command and every option or argument
    under it carries a key (Click's own ``--help`` option aside), and both catalogues hold
    it with the same placeholders."""
    japanese, english = catalogue("ja"), catalogue("en")
    keys = []
    for command in _commands(entry.build()):
        keys.append(command.help)
        keys += [parameter.help for parameter in command.params
                 if getattr(parameter, "help", None) and parameter.name != "help"]
    assert keys and all(HELP_KEY.fullmatch(key) for key in keys), keys
    for key in {key.partition("?")[0] for key in keys}:
        assert key in japanese and key in english, key
        assert placeholders(japanese[key]) == placeholders(english[key]), key


def test_every_help_key_of_the_catalogues_is_named():
    """The catalogues hold no help key that no command names (``test_console_words`` reads
    the same literals; here, the keys the built commands carry are all of them)."""
    carried = {main.HELP}
    for entry in COMMANDS:
        for command in _commands(entry.build()):
            carried.add(str(command.help).partition("?")[0])
            carried |= {str(parameter.help).partition("?")[0] for parameter in command.params
                        if getattr(parameter, "help", None) and parameter.name != "help"}
    held = {key for key in catalogue("en") if key.startswith("cli.help.")}
    assert held - carried == set()
    assert carried - held == set()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_listing_is_in_one_language(language: str) -> None:
    """``credstack --help`` lists the commands in the console's language only."""
    printed = _help([], language)
    assert not BOTH_HALVES.search(printed), printed
    if language == "en":
        assert not JAPANESE.search(printed), printed
        assert "Demo data." in printed and "Verify a credential" in printed
    else:
        assert "デモデータ" in printed and "証明を検証する" in printed
        assert "Demo data" not in printed and "Verify a credential" not in printed


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_commands_help_is_in_one_language(language: str, monkeypatch) -> None:
    """``credstack X … --help`` of every command and group shows its own words in the
    console's language, none of the other's and no bilingual halves; English names a
    Japanese term only in brackets."""
    monkeypatch.setenv("CREDSTACK_LANG", language)
    other = "en" if language == "ja" else "ja"
    assert len(PATHS) > 2 * len(COMMANDS)
    for path in PATHS:
        printed = _help(path, language)
        assert not BOTH_HALVES.search(printed), (path, printed)
        found = ENTRIES[path[0]].build()
        for name in path[1:]:
            found = found.commands[name]
        key = found.help.partition("?")[0]
        said = words(key).split("\n\n")[0]
        assert _squeezed(said) in _squeezed(printed), (path, said, printed)
        monkeypatch.setenv("CREDSTACK_LANG", other)
        unsaid = words(key).split("\n\n")[0]
        monkeypatch.setenv("CREDSTACK_LANG", language)
        assert _squeezed(unsaid) not in _squeezed(printed), (path, unsaid)
        if language == "en":
            assert not JAPANESE.search(BRACKETED_TERM.sub("", printed)), (path, printed)
        else:
            assert JAPANESE.search(printed), path


#: Typer's own words in a help, each as its English to the letter.
TYPER_ENGLISH = ("Usage: ", "Arguments", "Options", "Commands", "[required]", "[env var: ",
                 "Show this message and exit.", "Install completion for the current shell.")


@pytest.mark.parametrize("path", [[], ["verify"], ["registry"]])
def test_typers_own_words_are_the_consoles_language(path: list[str]) -> None:
    """The usage line, the panels' titles, the marks and the help of the options Typer adds
    read in Japanese in a Japanese console, and are Typer's own English, to the letter, in an
    English one."""
    japanese, english = _help(path, "ja"), _help(path, "en")
    assert not [words for words in TYPER_ENGLISH if words in japanese], japanese
    assert "使い方: root" in japanese and "オプション" in japanese
    assert "このヘルプを表示して終了する。" in _squeezed(japanese)
    assert "Usage: root" in english and "Show this message and exit." in english
    assert not JAPANESE.search(english), english
    if path == ["verify"]:
        assert "[必須]" in japanese
        assert "[環境変数:CREDSTACK_DATA_DIR]" in _squeezed(japanese)
        assert "[required]" in english and "[env var: CREDSTACK_DATA_DIR]" in english


def test_each_of_typers_words_has_its_english_to_the_letter(monkeypatch) -> None:
    """The English catalogue says Typer's words as Typer does, so an English help is as
    Typer draws it."""
    monkeypatch.setenv("CREDSTACK_LANG", "en")
    for name, key in main.TYPER_WORDS.items():
        assert words(key) == getattr(rich_utils, name), name
    for english, key in main.TYPER_HELP.items():
        assert words(key) == english


@pytest.mark.parametrize(("language", "expected"), [
    ("ja", "provider-admin, issuer, evaluator, committee-member, registry-admin, learner, "
           "employer, registrar のいずれか。"),
    ("en", "One of: provider-admin, issuer, evaluator, committee-member, registry-admin, "
           "learner, employer, registrar."),
])
def test_a_help_with_values_fills_them_in(language: str, expected: str) -> None:
    """A help built from what the code knows (the roles there are) has them filled into
    its words in either language."""
    # Wide enough for an option's help to stand on one line of its panel.
    assert expected in _help(["accounts", "user", "add"], language, columns=300)


def test_a_help_key_no_catalogue_holds_is_an_error_not_words(monkeypatch):
    """A misspelt help key fails when the command is put in words; it is never shown as it
    is (nor does a listing fall back to English)."""
    misspelt = typer.Typer(help="cli.help.nowhere.misspelt")

    @misspelt.command("x", help="cli.help.nowhere.misspelt_too")
    def command() -> None: ...

    @misspelt.command("y", help="cli.help.demo.demo_data")
    def another() -> None: ...

    for language in ("ja", "en"):
        monkeypatch.setenv("CREDSTACK_LANG", language)
        with pytest.raises(KeyError):
            translated(typer.main.get_group(misspelt))
        with pytest.raises(KeyError):
            words("cli.help.nowhere.misspelt")


def test_the_console_and_the_help_speak_one_language(monkeypatch):
    """The help's language is the console's: CREDSTACK_LANG, else the locale."""
    monkeypatch.delenv("CREDSTACK_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert console.language() == main.language() == "ja"
    assert words("cli.help.demo.demo_data") == "デモデータ"
    monkeypatch.setenv("CREDSTACK_LANG", "en")
    assert console.language() == "en"
    assert words("cli.help.demo.demo_data") == "Demo data."
