"""Message catalogues: how any part of credstack reads the words of a gettext catalogue.

The pages (``entrypoints/web/locale``), the e-mails (``adapters/mail/locale``) and the PDF
certificate (``services/certificates/locale``) each keep their words in a catalogue beside
their code: ``<locale>/<folder>/LC_MESSAGES/<domain>.po``, compiled into the ``.mo`` beside it
by ``python3 dev.py messages``. They are keyed: a message's ``msgid`` is its key
(``nav.programmes``), its ``msgstr`` the words, with ``str.format`` placeholders (``{n}``).

This module is the one loader they share. It sits beside :mod:`credstack.errors`, outside the
layers, because every layer that writes words reads catalogues and none may import another's
(the web's language negotiation stays the web's). It imports nothing of credstack.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

__all__ = ["folder", "is_compiled", "translations"]


def folder(language: str) -> str:
    """The catalogue's folder under a ``locale/``: the tag as gettext and Babel spell a locale
    (``zh-Hans`` → ``zh_Hans``)."""
    return language.replace("-", "_")


def _path(locale: Path, domain: str, language: str) -> Path:
    return locale / folder(language) / "LC_MESSAGES" / f"{domain}.mo"


class _Missing(gettext.NullTranslations):
    """The last resort of a catalogue: a key it lacks is an error, not the key shown as words
    (a misspelt key must fail the tests)."""

    def gettext(self, message: str) -> str:
        raise KeyError(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise KeyError(msgid1)


def is_compiled(locale: Path, domain: str, language: str) -> bool:
    """Whether ``language`` has a compiled catalogue of ``domain`` under ``locale``."""
    return _path(locale, domain, language).is_file()


@cache
def translations(locale: Path, domain: str, language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``domain`` in ``language`` under ``locale``, read once a
    process; a key it lacks raises :class:`KeyError`."""
    with _path(locale, domain, language).open("rb") as file:
        found = gettext.GNUTranslations(file)
    found.add_fallback(_Missing())
    return found
