"""The command's words come from its catalogues (``entrypoints/cli/locale``, domain ``cli``):
every key a command names is there in Japanese and in English with the same placeholders,
no key is left that no command names, and the console's language picks the words."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from credstack.entrypoints.cli import console

CLI = Path(console.__file__).parent
LANGUAGES = ("ja", "en")


def catalogue(language: str) -> dict[str, str]:
    path = console.LOCALE / language / "LC_MESSAGES" / "cli.po"
    with path.open("rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id}


def named_keys() -> tuple[set[str], set[str]]:
    """(the keys the commands name as literals, the prefixes of keys they build with an
    f-string, e.g. ``cli.credentials.now_``)."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in CLI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"cli(\.[a-z0-9_]+)*\.[a-z0-9_]*[a-z0-9]", node.value):
                keys.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(
                    first := node.values[0], ast.Constant) and str(first.value).startswith("cli."):
                prefixes.add(str(first.value))
    return keys, prefixes


def placeholders(words: str) -> set[str]:
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(words) if name}


def test_every_key_a_command_names_is_in_both_catalogues():
    keys, _ = named_keys()
    for language in LANGUAGES:
        missing = keys - catalogue(language).keys()
        assert not missing, f"{language}: {sorted(missing)}"


def test_both_catalogues_hold_the_same_keys_with_the_same_placeholders():
    japanese, english = catalogue("ja"), catalogue("en")
    assert japanese.keys() == english.keys()
    differ = {key for key in english if placeholders(english[key]) != placeholders(japanese[key])}
    assert not differ, sorted(differ)
    assert all(japanese[key] and english[key] for key in english)


def test_no_key_is_left_that_no_command_names():
    keys, prefixes = named_keys()
    unused = {key for key in catalogue("en")
              if key not in keys and not any(key.startswith(prefix) for prefix in prefixes)}
    assert not unused, sorted(unused)


@pytest.mark.parametrize(("language", "expected"), [
    ("ja", "{organisation} のメールの差出人名：組織名"),
    ("en", "{organisation}'s e-mail is sent as its name."),
])
def test_the_consoles_language_picks_the_words_and_fills_them_in(monkeypatch, language,
                                                                 expected):
    monkeypatch.setenv("CREDSTACK_LANG", language)
    assert console.t("cli.mail.sent_as_its_name", organisation="saikai-u") == expected.format(
        organisation="saikai-u")


def test_a_key_no_catalogue_holds_is_an_error_not_words(monkeypatch):
    monkeypatch.setenv("CREDSTACK_LANG", "en")
    with pytest.raises(KeyError):
        console.t("cli.nowhere.misspelt")
