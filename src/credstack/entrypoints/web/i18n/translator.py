"""Everything a page says, in one language: messages, vocabulary labels, numbers and dates.

A template never chooses between ``ja`` and ``en`` itself: ``t("nav.programmes")`` for
messages, ``t.label(value)`` for the controlled vocabularies of the descriptor model,
``t.text(multilingual)`` for what providers wrote, ``t.field(code)`` for a field of study,
``t.descriptor(path)`` for the descriptor a finding is about.

Japanese and English are written as credstack always wrote them; the other languages take
their numbers and dates from CLDR (Babel), their vocabulary labels from the data files of
:mod:`credstack.core.vocabularies` (in English where a file does not name a value), and what
providers wrote in the reader's language, else English, else Japanese, else any.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from markupsafe import Markup, escape

from credstack.catalogues import folder
from credstack.core import vocabularies
from credstack.core.dates import day_text
from credstack.core.descriptors import isced_f
from credstack.core.descriptors.catalogue import Descriptor, credit_systems, descriptors
from credstack.core.descriptors.labels import LABELLED
from credstack.core.descriptors.models import CreditSystem, FieldOfStudy
from credstack.core.descriptors.profiles import profiles
from credstack.core.said import Said
from credstack.core.types import MultilingualText
from credstack.core.verification.report import Check, Notice
from credstack.entrypoints.web.i18n.catalogue import is_message, translations
from credstack.entrypoints.web.i18n.negotiation import Language
from credstack.entrypoints.web.i18n.scope import is_public
from credstack.entrypoints.web.i18n.vocabulary import (
    COUNTRY_NAMES,
    CREDIT_UNITS,
    LABELS,
    LANGUAGE_NAMES,
    PAGE_LABELLED,
    PROFILE_SHORT_NAMES,
    Pair,
)
from credstack.words import words

#: The languages credstack has always written its own way (their output is kept word for
#: word); the others are CLDR's.
_OWN: frozenset[str] = frozenset({"ja", "en"})
#: Languages that write a list, a label's colon and an aside in full-width punctuation.
_FULL_WIDTH: frozenset[str] = frozenset({"ja", "zh-Hans"})
#: Each vocabulary a label is read from, by its enum type.
_VOCABULARY_OF: dict[type[StrEnum], str] = LABELLED | PAGE_LABELLED


@cache
def _descriptor_paths() -> dict[tuple[str, ...], Descriptor]:
    """Every descriptor by its path, and by its key where that differs."""
    found = {(d.key,): d for d in descriptors()}
    return found | {d.path: d for d in descriptors()}


def _pick(pair: Pair, language: Language) -> str:
    return pair[0] if language == "ja" else pair[1]


def _named(vocabulary: str, value: str, language: Language) -> str | None:
    """A value's name in ``language`` (a language other than Japanese and English), else in
    English."""
    return vocabularies.name(vocabulary, value, language)


# A page asks for hundreds of messages (a timeline of 50 cards, a third of its rendering):
# each is escaped once, and one without values formatted once.
@cache
def _message(key: str, language: Language, public: bool) -> Markup:
    if public and not is_public(key):
        raise KeyError(f"{key} is a staff page's message (scope.py): a public page, offered "
                       "in every language, cannot say it")
    return escape(translations(language).gettext(key))


@cache
def _plain_message(key: str, language: Language, public: bool) -> Markup:
    return _message(key, language, public).format()


@cache
def _escaped(words: str) -> Markup:
    return escape(words)


def _whole(count: Decimal | int) -> int:
    """The count gettext chooses a plural form by. A fraction (7.5 hours) reads as many, as
    CLDR has it in Japanese, English and the languages planned (issue 53): the form of 2."""
    whole = int(count)
    return whole if whole == count else 2


@dataclass(frozen=True, slots=True)
class Translator:
    """Everything a template says, in one language; on a public page (``public``), only the
    public messages (:mod:`.scope`), which every language's catalogue holds."""

    language: Language
    public: bool = False

    @property
    def other(self) -> Language:
        """The language a text is read in when it is not written in this one: English, and
        Japanese for an English reader."""
        return "ja" if self.language == "en" else "en"

    @property
    def document(self) -> Language:
        """The language of the documents credstack writes (a certificate, an EDC), which are
        in Japanese and English: Japanese for a Japanese reader, else English."""
        return "ja" if self.language == "ja" else "en"

    @property
    def document_other(self) -> Language:
        """The documents' other language: English for a Japanese reader, else Japanese."""
        return "en" if self.language == "ja" else "ja"

    @property
    def _fallbacks(self) -> tuple[str, ...]:
        """Where a text not written in this language is looked for: English, then Japanese."""
        return ("en", "ja")

    @property
    def separator(self) -> str:
        """Between the items of a short list in running text: 「A、B」 / "A, B"."""
        return "、" if self.language in _FULL_WIDTH else ", "

    @property
    def colon(self) -> str:
        """Between a label and its value: 「ペース：同期型」 / "Pace: synchronous"."""
        return "：" if self.language in _FULL_WIDTH else ": "

    @property
    def paren_open(self) -> str:
        """Around an aside: full-width （…） in Japanese and Chinese; " (…)" elsewhere."""
        return "（" if self.language in _FULL_WIDTH else " ("

    @property
    def paren_close(self) -> str:
        return "）" if self.language in _FULL_WIDTH else ")"

    @property
    def locale(self) -> str:
        """The language as Babel names a CLDR locale (``zh_Hans``)."""
        return folder(self.language)

    def has(self, key: str) -> bool:
        """Whether there is a message ``key`` (for values that may have words, or not)."""
        return is_message(key)

    def __call__(self, key: str, /, **values: object) -> Markup:
        """The message ``key``, with ``values`` filled in (escaped unless they are markup)."""
        if not values:
            return _plain_message(key, self.language, self.public)
        return _message(key, self.language, self.public).format(**values)

    def said(self, said: Said) -> str:
        """What the core says (a message key and its parameters), in words
        (:func:`credstack.words.words`)."""
        return words(said, self.language)

    def reason(self, check: Check) -> str:
        """A verification check's reason in the page's language: what it says
        (:attr:`Check.said`) worded from the catalogues, else the words it was given
        (Japanese on a Japanese page, English on the others)."""
        if check.said is not None:
            return self.said(check.said)
        return check.reason(self.language)

    def notice(self, notice: Notice) -> str:
        """A verification warning in the page's language, as :meth:`reason` words a check."""
        if notice.said is not None:
            return self.said(notice.said)
        return notice.message(self.language)

    def plural(self, key: str, count: Decimal | int, /, **values: object) -> Markup:
        """The plural message ``key`` for ``count`` things, in the form the language's
        ``Plural-Forms`` choose (ngettext: English has a singular, Japanese one form), with
        ``{n}`` the count as a number."""
        _message(key, self.language, self.public)
        form = translations(self.language).ngettext(key, key, _whole(count))
        return _escaped(form).format(n=self.number(count), **values)

    def label(self, value: StrEnum) -> str:
        """The human label of a vocabulary value, e.g. ``DeliveryMode.ONLINE`` → オンライン."""
        if isinstance(value, CreditSystem):
            return credit_systems()[value].name.text(self.language, *self._fallbacks)
        if self.language in _OWN:
            return _pick(LABELS[type(value)][value.value], self.language)
        return _named(_VOCABULARY_OF[type(value)], value.value, self.language) or value.value

    def field(self, value: str) -> str:
        """A field of study's name: one of MEXT's fields (``digital``) or of ISCED-F's
        (``0542`` → 統計学); another, as it is written."""
        try:
            return self.label(FieldOfStudy(value))
        except ValueError:
            return isced_f.field_name(value, self.language) or value

    def descriptor(self, path: str) -> str:
        """The name of the descriptor a finding's path points into, as a person reads it
        (``learner_effort.credits[0]`` → 学修時間): the longest descriptor the path is in;
        the whole programme when it is in none."""
        parts = re.sub(r"\[\d+\]", "", path).split(".")
        # A recognition application's findings are about its programme: ``programme.…``.
        parts = parts[1:] if parts[0] == "programme" and len(parts) > 1 else parts
        for cut in range(len(parts), 0, -1):
            found = _descriptor_paths().get(tuple(parts[:cut]))
            if found is not None:
                return found.name.text(self.language, *self._fallbacks)
        return self("programme.whole")

    def labels(self, values: Iterable[StrEnum]) -> Markup:
        """Several vocabulary values as a short list in running text."""
        return self.join(self.label(value) for value in values)

    def text(self, text: MultilingualText) -> str:
        return self.pick(text)[1]

    def marked(self, text: MultilingualText | Mapping[str, str]) -> Markup:
        """What a provider wrote, as :meth:`pick` chooses it, in a ``<span lang>`` when it is
        not in the page's language (so that a screen reader reads it in its own)."""
        return self.written(*self.pick(text))

    def written(self, tag: str | None, words: str) -> Markup:
        """``words`` written in language ``tag``, in a ``<span lang>`` when that is not the
        page's language; as they are when their language is not known (``None``)."""
        if tag is None or tag == self.language:
            return escape(words)
        return Markup('<span lang="{}">{}</span>').format(tag, words)

    def texts(self, texts: Iterable[MultilingualText]) -> Markup:
        """Several multilingual texts as a short list in running text."""
        return self.join(self.text(text) for text in texts)

    def pick(self, text: MultilingualText | Mapping[str, str]) -> tuple[str, str]:
        """(language tag, text): this language, else English, else Japanese, else any (a
        plain mapping of tags to texts too: names read from credentials and the search
        index)."""
        root: Mapping[str, str] = text.root if isinstance(text, MultilingualText) else text
        for tag in (self.language, *self._fallbacks):
            if tag in root:
                return tag, root[tag]
        return next(iter(root.items()), ("und", ""))

    def profile(self, profile_id: str) -> str:
        """A framework profile's name (``jp-mc`` → マイクロクレデンシャル共通記述子（日本提案））;
        one credstack does not bundle, as it is written."""
        found = profiles().get(profile_id)
        if found is None:
            return profile_id
        return found.name.text(self.language, *self._fallbacks)

    def profile_short(self, profile_id: str, fallback: MultilingualText) -> str:
        pair = PROFILE_SHORT_NAMES.get(profile_id)
        if pair and self.language not in _OWN:
            return _named("profile-short-name", profile_id, self.language) or pair[1]
        return _pick(pair, self.language) if pair else fallback.text(self.language,
                                                                      *self._fallbacks)

    def credit_unit(self, system: CreditSystem) -> str:
        """The unit alone, as a column or a total names it: 単位, Japanese credits."""
        ja, _one, many = CREDIT_UNITS[system]
        if self.language not in _OWN:
            return _named("credit-unit", system.value, self.language) or many
        return ja if self.language == "ja" else many

    def credits(self, amount: Decimal | int, system: CreditSystem | str) -> str:
        """An amount of credits: ``2 単位``, ``1 Japanese credit``, ``3 ECTS``; a
        credit system credstack does not know, as it is written."""
        try:
            ja, one, many = CREDIT_UNITS[CreditSystem(system)]
        except ValueError:
            return f"{self.number(amount)} {system}"
        if self.language not in _OWN:
            # One form for every number in the languages beside Japanese and English (CLDR).
            unit = self.credit_unit(CreditSystem(system))
        else:
            unit = ja if self.language == "ja" else one if amount == 1 else many
        return f"{self.number(amount)} {unit}"

    def pair(self, ja: str | None, en: str | None) -> Markup:
        """Words that credstack's own data holds in Japanese and English only (a credit
        target's title, a requirement's, a recognition criterion's): in the reader's language
        when it is one of the two, else in English, else in Japanese; marked with their
        language when it is not the page's (nothing when neither is written)."""
        ordered = (("ja", ja), ("en", en)) if self.language == "ja" else (("en", en), ("ja", ja))
        for tag, written in ordered:
            if written:
                if tag == self.language:
                    return escape(written)
                return Markup('<span lang="{}">{}</span>').format(tag, written)
        return Markup()

    def language_name(self, tag: str) -> str:
        """A language's name (BCP 47 ``tag``) in this one: the vocabulary's, else CLDR's
        (Babel), else the tag."""
        primary = tag.split("-", 1)[0].lower()
        pair = LANGUAGE_NAMES.get(primary)
        if pair and self.language not in _OWN:
            return _named("language", primary, self.language) or pair[1]
        if pair:
            return _pick(pair, self.language)
        try:
            return Locale.parse(tag, sep="-").get_display_name(self.locale) or tag
        except (ValueError, UnknownLocaleError):
            return tag

    def language_names(self, tags: Iterable[str]) -> Markup:
        """Several teaching languages as a short list: 「日本語、英語」."""
        return self.join(self.language_name(tag) for tag in tags)

    def country_name(self, code: str) -> str:
        pair = COUNTRY_NAMES.get(code)
        if pair and self.language not in _OWN:
            return _named("country", code, self.language) or pair[1]
        return _pick(pair, self.language) if pair else code

    def price(self, amount: Decimal | int, currency: str) -> str:
        """A price in ``currency`` (ISO 4217): ``50,000 円`` in Japanese and ``50,000 JPY`` in
        English, as credstack always wrote them; in the other languages, CLDR's currency
        format for the language (Babel), with its symbol and the currency's decimals."""
        if self.language in _OWN:
            unit = "円" if currency == "JPY" and self.language == "ja" else currency
            return f"{self.number(amount)} {unit}"
        return format_currency(Decimal(amount), currency, locale=self.locale)

    def number(self, value: Decimal | int | float) -> str:
        """A number as people write it: thousands grouped, at most two decimals, no ``.00``
        (a float, such as a ranking's score, by its shortest decimal text); in the languages
        beside Japanese and English, with CLDR's separators."""
        if self.language not in _OWN:
            exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            return format_decimal(exact, format="#,##0.##", locale=self.locale)
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            value = Decimal(repr(value))
        rounded = value.quantize(Decimal("0.01")).normalize()
        if rounded == rounded.to_integral_value():
            return f"{int(rounded):,}"
        return f"{rounded:,f}"

    def number_range(self, low: Decimal, high: Decimal) -> str:
        shown_low, shown_high = self.number(low), self.number(high)
        if shown_low == shown_high:
            return shown_low
        dash = "〜" if self.language == "ja" else "–"  # an en dash, as CLDR's ranges have it
        return f"{shown_low}{dash}{shown_high}"

    def date(self, value: dt.date) -> str:
        """A day: as credstack writes it in Japanese and English, CLDR's long date elsewhere
        (``2025년 5월 1일``, ``1 พฤษภาคม 2568``)."""
        return day_text(value, self.language)

    def timestamp(self, value: dt.datetime) -> str:
        """A moment in UTC, to the minute."""
        utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return f"{self.date(utc.date())} {utc:%H:%M} UTC"

    def join(self, items: Iterable[str]) -> Markup:
        """A short list in running text; items that are not markup are escaped."""
        return escape(self.separator).join(items)
