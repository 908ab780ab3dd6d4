"""The e-mails' words in each language, from the gettext catalogues of ``locale/`` (domain
``mail``, keyed like the pages': ``mail.issued.subject``), read by the loader every catalogue
shares (:mod:`credstack.catalogues`).

An e-mail speaks its reader's language (the one the outbox stored with it) and English after
it, for the organisation's staff and for a reader whose language the mail got wrong; an
e-mail to a Japanese or English reader speaks Japanese, then English, as it always has. A
message whose key ends ``.html`` is HTML: its placeholders' values are escaped into it.
Dates are written as the pages write them in Japanese and English, and by Babel's long
format of the language in the others.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from markupsafe import Markup, escape

from credstack import catalogues
from credstack.core.dates import day_text

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE", "Words", "day", "sections"]

LOCALE: Final = Path(__file__).resolve().parent / "locale"
DOMAIN: Final = "mail"
#: Every language an e-mail can be written in (those of the public pages).
LANGUAGES: Final = ("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms")


def sections(language: str) -> tuple[str, ...]:
    """The languages of an e-mail to a reader of ``language``, in the order it speaks them."""
    if language not in LANGUAGES or language in {"ja", "en"}:
        return ("ja", "en")
    return (language, "en")


def day(value: dt.date, language: str) -> str:
    """A day as a reader of ``language`` reads it."""
    return day_text(value, language)


class Words:
    """The messages of one language: ``t(key, **params)`` in plain text, ``t.html(key,
    **params)`` in HTML."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **params: object) -> str:
        words = catalogues.translations(LOCALE, DOMAIN, self.language).gettext(key)
        return words.format(**params) if params else words

    def html(self, key: str, **params: object) -> Markup:
        words = catalogues.translations(LOCALE, DOMAIN, self.language).gettext(key)
        return _html(words, params)

    def plural(self, key: str, n: int, **params: object) -> str:
        """The words of ``key`` for ``n`` (a message with plural forms: "in 1 day", "in 2
        days"), in plain text."""
        words = catalogues.translations(LOCALE, DOMAIN, self.language).ngettext(key, key, n)
        return words.format(**params)

    def plural_html(self, key: str, n: int, **params: object) -> Markup:
        """:meth:`plural` of a message in HTML."""
        words = catalogues.translations(LOCALE, DOMAIN, self.language).ngettext(key, key, n)
        return _html(words, params)


def _html(words: str, params: dict[str, object]) -> Markup:
    # The catalogue's HTML is ours, checked by the tests; only the values are escaped.
    return Markup(words).format(  # noqa: S704
        **{name: escape(value) for name, value in params.items()})
