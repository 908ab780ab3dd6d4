"""The words of what the core says (:class:`credstack.core.said.Said`), in a language.

A :class:`~credstack.core.said.Said` names a message key of the catalogues
(``web/locale/<language>/LC_MESSAGES/messages.mo``) and its parameters; :func:`words` reads the
key's words in the language and fills them in: a date as the language writes a day (as
credstack always wrote it in Japanese and English, CLDR's long date elsewhere), a
:class:`~credstack.core.said.Named` value by its vocabulary's name for it, a text the data
writes in several languages (:class:`~credstack.core.said.InLanguages`) in this one, a phrase
said inside the sentence in the same language, a tuple of values or a
:class:`~credstack.core.said.Listed` as the language lists them (``said.list_separator``). The
pages (``t.said``), the API's reports and the CLI all word it here, from the catalogues
:mod:`credstack.catalogues` reads; this module imports neither the web application nor Babel
(but to write a day in a language beside Japanese and English,
:func:`credstack.core.dates.day_text`), so that ``credstack verify`` may word its report
without them. It sits beside :mod:`credstack.catalogues`, outside the layers, because the
services hand it to the core's verification as they hand it the document loader (a check's
reason is a :class:`~credstack.core.said.Said` the verification's runner words in Japanese and
English).
"""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path
from typing import Any, Final

from credstack.catalogues import translations
from credstack.core import vocabularies
from credstack.core.dates import day_text
from credstack.core.said import InLanguages, Listed, Named, Said
from credstack.errors import CredstackError, ExchangeProtocolError, Problem
from credstack.problems import coded

__all__ = ["LOCALE", "catalogue", "error_words", "kept_words", "problem_words",
           "protocol_description", "words"]

#: The catalogues: ``<language>/LC_MESSAGES/messages.{po,mo}`` (tags spelt ``zh_Hans``).
LOCALE: Final = Path(__file__).resolve().parent / "entrypoints" / "web" / "locale"


def catalogue(language: str) -> gettext.GNUTranslations:
    """The pages' compiled catalogue of ``language`` (``zh-Hans``), read once a process."""
    return translations(LOCALE, "messages", language)


def words(said: Said, language: str) -> str:
    """The words of ``said`` in ``language``, a language with a catalogue. A :class:`Said`
    with a ``count`` is a plural message (its key ``plural`` in ``keys.txt``): its words are
    the form the language's ``Plural-Forms`` choose for the count."""
    count = said.params.get("count")
    if isinstance(count, int) and not isinstance(count, bool):
        template = catalogue(language).ngettext(said.key, said.key, count)
    else:
        template = catalogue(language).gettext(said.key)
    if not said.values:
        return template
    return template.format(**{name: _value(value, language) for name, value in said.values})


def error_words(error: CredstackError, language: str) -> str:
    """What ``error`` says in ``language``: worded from its code where the core raised it so,
    else its message as it was given."""
    return words(Said(error.code, **error.params), language) if error.code else error.message


def protocol_description(error: ExchangeProtocolError) -> str:
    """``error``'s ``error_description``: what it says in English, then what caused it, in
    ASCII with no double quote (OID4VCI §8.3.1.2 and RFC 6749 §5.2 allow no more)."""
    if error.cause is None:
        return error_words(error, "en")
    said = f"{error_words(error, 'en')}: {error_words(error.cause, 'en')}"
    return said.encode("ascii", "replace").decode("ascii").replace('"', "'")


def problem_words(problem: Problem, language: str) -> str:
    """What ``problem`` says in ``language`` (its location apart): worded from its code where
    it has one, else its message in that language (``ja``) or English."""
    if problem.code and not problem.message:
        return words(Said(problem.code, **problem.params), language)
    return problem.message_in(language)


def kept_words(error: CredstackError) -> str:
    """``error``'s message as the audit log keeps it: raised with a code (the core's way), its
    words in English and Japanese (``English / 日本語``, as its message read when it was
    words); else its message as given."""
    if error.code and error.message == coded(error.code, error.params):
        return f"{error_words(error, 'en')} / {error_words(error, 'ja')}"
    return error.message


def _value(value: Any, language: str) -> Any:
    if isinstance(value, Said):
        return words(value, language)
    if isinstance(value, tuple | Listed):
        # A list of values, each worded, joined as the language lists them ("a, b"; "a、b").
        separator = catalogue(language).gettext("said.list_separator")
        items = value.items if isinstance(value, Listed) else value
        return separator.join(str(_value(item, language)) for item in items)
    if isinstance(value, Named):
        return vocabularies.name(value.vocabulary, value.value, language) or value.value
    if isinstance(value, InLanguages):
        return value.in_language(language)
    if isinstance(value, dt.date):
        return day_text(value.date() if isinstance(value, dt.datetime) else value, language)
    return value
