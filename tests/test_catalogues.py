"""The one loader of message catalogues: the pages', the e-mails' and the certificate's."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from credstack import catalogues


def _compiled(locale: Path, domain: str, language: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=catalogues.folder(language))
    for key, words in messages.items():
        catalog.add(key, words)
    target = locale / catalogues.folder(language) / "LC_MESSAGES" / f"{domain}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as file:
        write_mo(file, catalog)


def test_a_tag_is_spelt_as_gettext_spells_a_locale() -> None:
    assert catalogues.folder("zh-Hans") == "zh_Hans"
    assert catalogues.folder("th") == "th"


def test_a_catalogue_gives_its_words_and_refuses_a_key_it_lacks(tmp_path: Path) -> None:
    _compiled(tmp_path, "mail", "zh-Hans", {"mail.hello": "您好，{name}"})
    found = catalogues.translations(tmp_path, "mail", "zh-Hans")
    assert found.gettext("mail.hello") == "您好，{name}"
    with pytest.raises(KeyError):
        found.gettext("mail.hullo")
    with pytest.raises(KeyError):
        found.ngettext("mail.days", "mail.days", 2)


def test_a_language_is_compiled_once_its_mo_is_there(tmp_path: Path) -> None:
    _compiled(tmp_path, "certificate", "th", {"k": "v"})
    assert catalogues.is_compiled(tmp_path, "certificate", "th")
    assert not catalogues.is_compiled(tmp_path, "certificate", "vi")
    assert not catalogues.is_compiled(tmp_path, "mail", "th")
