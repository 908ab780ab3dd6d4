"""What the core and the services return as codes, in words: an error's or a problem's message
key and parameters, worded from the catalogues in the reader's language.

The core says what went wrong as data (``Problem(where, code="creditbank.ws.fault.unknown_key",
params={"key": "x"})``, ``LedgerError(code=…, params=…)``); the pages, the API and the CLI
call :func:`said` and :func:`problem_said` to show it. A code's message is a catalogue key
like any other (listed in ``locale/keys.txt``, since no ``t("…")`` names it). Parameters are
shown as people write them (:func:`_shown`).
Most codes are the staff areas' (Japanese and English): a reader of another language reads
those in English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from credstack.core import vocabularies
from credstack.core.said import InLanguages, Listed, Named, Said
from credstack.entrypoints.web.i18n.catalogue import translations
from credstack.entrypoints.web.i18n.negotiation import Language
from credstack.errors import CredstackError, Problem
from credstack.problems import coded

if TYPE_CHECKING:
    from credstack.services.jobs import Failure

__all__ = ["failure_parts", "failure_said", "one_language", "problem_said", "said", "words"]

#: Japanese script (kana, ideographs, full-width forms): what tells ``English / 日本語`` apart
#: from English that holds a slash.
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def words(code: str, params: Mapping[str, object], language: str) -> str:
    """The message ``code`` in ``language`` (English where that catalogue lacks it), its
    placeholders filled with ``params``."""
    count = params.get("count")
    # A plural message (``plural`` in ``keys.txt``) takes the form for so many.
    plural = isinstance(count, int) and not isinstance(count, bool)
    try:
        # A language without a catalogue (the CLI's locale) fails as a missing key would.
        template = _template(translations(cast(Language, language)), code, count, plural)
    except (KeyError, FileNotFoundError):
        template = _template(translations("en"), code, count, plural)
    return template.format(**{name: _shown(value, language) for name, value in params.items()})


def _template(catalogue: Any, code: str, count: Any, plural: bool) -> str:
    """The words of ``code``: given a count, the plural form for it if ``code`` is a plural
    message."""
    if plural:
        try:
            worded: str = catalogue.ngettext(code, code, count)
        except KeyError:
            pass  # Not a plural message: its one form.
        else:
            return worded
    template: str = catalogue.gettext(code)
    return template


def _shown(value: object, language: str) -> object:
    """A value as a message shows it: a decimal without trailing zeros (``37.5``), a problem
    in its words, a list of names joined with commas, a text by language (the data's own
    words, ``{"en": …, "ja": …}``) in ``language`` or else English, a phrase said inside the
    message (a :class:`~credstack.core.said.Said`) in its words, a vocabulary's value
    (:class:`~credstack.core.said.Named`) by its name in ``language``, values
    :class:`~credstack.core.said.Listed` as ``language`` lists them (``said.list_separator``:
    ``a, b``; ``a、b``)."""
    if isinstance(value, Said):
        return words(value.key, value.params, language)
    if isinstance(value, Named):
        return vocabularies.name(value.vocabulary, value.value, language) or value.value
    if isinstance(value, Listed):
        separator = words("said.list_separator", {}, language)
        return separator.join(str(_shown(item, language)) for item in value.items)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Problem):
        return problem_said(value, language, placed=False)
    if isinstance(value, tuple | list):
        return ", ".join(str(_shown(item, language)) for item in value)
    if isinstance(value, Mapping):
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    if isinstance(value, InLanguages):
        return value.in_language(language)
    return value


def problem_said(problem: Problem, language: str, *, placed: bool = True) -> str:
    """A problem in ``language``: worded from its code where it has one; ``placed``: after
    its location (``file:3:1 /kind: …``)."""
    said_ = (words(problem.code, problem.params, language) if problem.code
             else one_language(problem.message_in(language), language))
    return f"{problem.location}: {said_}" if placed and problem.location else said_


def said(error: CredstackError, language: str) -> str:
    """What ``error`` says in ``language``: worded from its code where it has one, else the
    one language of a message written ``English / 日本語`` (the whole message when it is not
    written so)."""
    if error.code and error.message == coded(error.code, error.params):
        # Raised with a code and no words (the core's way); an error raised with words and a
        # protocol's code (OAuth's ``invalid_request``) is said by its words.
        return words(error.code, error.params, language)
    return one_language(error.message, language)


def one_language(message: str, language: str) -> str:
    """One language of a message written ``English / 日本語``: the Japanese for ``ja``, else
    the English; a message not written so (no Japanese after its last ``" / "``, or Japanese
    before it) whole."""
    english, _, japanese = message.rpartition(" / ")
    if not english or not _JAPANESE.search(japanese) or _JAPANESE.search(english):
        return message
    return japanese if language == "ja" else english


def failure_said(failure: Failure, language: str) -> str:
    """Why a job failed, in ``language``: the kind of error, what went wrong, each problem,
    and what happens next (tried again, given up)."""
    what, problems, then = failure_parts(failure, language)
    parts = [what, *(f"- {problem}" for problem in problems)]
    if then:
        parts.append(then)
    return " ".join(parts)


def failure_parts(failure: Failure, language: str) -> tuple[str, list[str], str]:
    """Why a job failed, in ``language``, in parts a page lays out: the kind of error and
    what went wrong, each problem (a refused import's every bad row), and what happens
    next ("" when nothing is said)."""
    what = (words(failure.what.key, failure.what.params, language)
            if isinstance(failure.what, Said) else one_language(failure.what, language))
    if failure.title:
        title = failure.title.get(language) or failure.title.get("en", "")
        what = f"{title}：{what}" if language == "ja" else f"{title}: {what}"
    problems = [str(_shown(problem, language)) if isinstance(problem, Said)
                else one_language(problem, language) for problem in failure.problems]
    then = (words(failure.then.key, failure.then.params, language)
            if failure.then is not None else "")
    return what, problems, then
