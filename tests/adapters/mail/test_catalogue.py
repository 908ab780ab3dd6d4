"""The e-mails' message catalogues: every key in every language (those of the e-mails only staff
read in Japanese and English), the same placeholders and links as the English words, and
compiled as they are written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from credstack import catalogues
from credstack.adapters.mail import catalogue
from credstack.adapters.mail.rendering import STAFF_LANGUAGES, STAFF_ONLY

PLACEHOLDER = re.compile(r"{(\w*)[^{}]*}")
TEMPLATES = Path(catalogue.__file__).parent / "templates"
#: The module that says a moment (``t("mail.moment", …)``) for every e-mail.
RENDERING = Path(catalogue.__file__).parent / "rendering.py"


def _read(language: str, suffix: str) -> Catalog:
    path = (catalogue.LOCALE / catalogues.folder(language) / "LC_MESSAGES"
            / f"{catalogue.DOMAIN}.{suffix}")
    with path.open("rb") as file:
        return read_po(file) if suffix == "po" else read_mo(file)


def _messages(language: str, suffix: str = "po") -> dict[str, tuple[str, ...]]:
    """Each key's words: one form, or each plural form of a message that has them."""
    return {message.id[0] if message.pluralizable else message.id:
            tuple(message.string) if message.pluralizable else (message.string,)
            for message in _read(language, suffix) if message.id}


def _keys(paths: list[Path]) -> set[str]:
    """The keys the templates ``paths`` name."""
    # A key is said as ``t("…")``, or named as the e-mail's button (``"key": "…"``).
    return {said or button for path in paths for said, button in
            re.findall(r'\bt(?:\.html|\.plural|\.plural_html)?\("([\w.]+)"|"key": "([\w.]+)"',
                       path.read_text(encoding="utf-8"))}


ENGLISH = _messages("en")
#: The keys only the staff's e-mails say (in Japanese and English, whoever reads them).
STAFF_KEYS = (
    _keys([path for path in TEMPLATES.glob("*") if path.name.split(".")[0] in STAFF_ONLY])
    - _keys([path for path in TEMPLATES.glob("*") if path.name.split(".")[0] not in STAFF_ONLY]))


def test_every_language_has_a_catalogue_and_nothing_else_does() -> None:
    folders = {path.name for path in catalogue.LOCALE.iterdir() if path.is_dir()}
    assert folders == {catalogues.folder(language) for language in catalogue.LANGUAGES}


def test_the_e_mails_name_only_keys_the_catalogues_hold_and_use_every_one() -> None:
    assert _keys([*TEMPLATES.glob("*"), RENDERING]) == set(ENGLISH)


def test_the_staff_e_mails_say_their_own_words() -> None:
    assert STAFF_KEYS and all(key.startswith(("mail.review.", "mail.application."))
                              for key in STAFF_KEYS)


@pytest.mark.parametrize("language", catalogue.LANGUAGES)
def test_each_language_says_every_message_with_the_english_placeholders(language: str) -> None:
    found = _messages(language)
    assert set(found) == (set(ENGLISH) if language in STAFF_LANGUAGES
                          else set(ENGLISH) - STAFF_KEYS)
    for key, forms in found.items():
        english = ENGLISH[key][-1]
        for words in forms:
            assert words.strip() or words == "\n", f"{language} {key} has no words"
            assert sorted(PLACEHOLDER.findall(words)) == sorted(PLACEHOLDER.findall(english)), \
                f"{language} {key}"
            if key.endswith(".html"):
                assert re.findall(r"<[^>]*>", words) == re.findall(r"<[^>]*>", english), \
                    f"{language} {key}: the same markup as the English words"
            else:
                assert "<" not in words, f"{language} {key}: markup in a plain-text message"


@pytest.mark.parametrize("language", catalogue.LANGUAGES)
def test_each_compiled_catalogue_is_its_written_one(language: str) -> None:
    """``python3 dev.py messages`` compiled the ``.po`` as it is now."""
    assert _messages(language, "mo") == _messages(language)


def test_a_reader_of_japanese_or_english_reads_both_and_the_others_theirs_then_english() -> None:
    assert catalogue.sections("ja") == catalogue.sections("en") == ("ja", "en")
    assert catalogue.sections("th") == ("th", "en")
    assert catalogue.sections("zh-Hans") == ("zh-Hans", "en")
    assert catalogue.sections("fr") == ("ja", "en")


def test_html_words_escape_the_values_put_into_them() -> None:
    said = catalogue.Words("ko").html("mail.issued.verify.html", url='https://x.example/"<a>')
    assert 'href="https://x.example/&#34;&lt;a&gt;"' in said
