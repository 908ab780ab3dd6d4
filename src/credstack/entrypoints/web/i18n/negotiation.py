"""Which language a response speaks.

A visitor's language is, in order: ``?lang=`` (a BCP 47 tag: ``ko``, ``zh-Hans``, ``zh-CN``,
``ms-MY``…, also remembered in the ``lang`` cookie), the ``lang`` cookie, the best match in
``Accept-Language``, and Japanese — among the languages the page is offered in
(:mod:`.scope`): every language with a catalogue on public pages, Japanese and English on
staff pages. A staff page asked for another language answers in English (Japanese for a
Japanese reader) and says which language it could not speak (:attr:`Choice.wanted`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from starlette.requests import Request
from starlette.responses import Response

from credstack import catalogues
from credstack.entrypoints.web.i18n.scope import Scope, scope_of

Language = Literal["ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms"]
#: Every language credstack has words for, in the order its language menu lists them.
LANGUAGES: tuple[Language, ...] = get_args(Language)
#: The languages of the staff pages.
STAFF_LANGUAGES: tuple[Language, ...] = ("ja", "en")
DEFAULT_LANGUAGE: Language = "ja"
#: A staff page's language for a reader whose language it does not speak.
STAFF_FALLBACK: Language = "en"
COOKIE = "lang"
#: How long the ``lang`` cookie remembers a choice: one year.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
#: Where the catalogues are: a language is offered once ``<folder>/LC_MESSAGES/messages.mo``
#: is there.
LOCALE = Path(__file__).resolve().parents[1] / "locale"

#: Each language named in itself, for the language menu.
ENDONYMS: dict[Language, str] = {
    "ja": "日本語", "en": "English", "ko": "한국어", "zh-Hans": "简体中文", "th": "ไทย",
    "vi": "Tiếng Việt", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu",
}

#: Tags that name a language credstack speaks by another tag (lower case): Chinese in the
#: simplified script, as China and Singapore write it; Indonesian's and Malay's old codes.
_ALIASES: dict[str, Language] = {
    "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans",
    "zh-hans-cn": "zh-Hans", "zh-hans-sg": "zh-Hans", "zh-hans-my": "zh-Hans",
    "in": "id", "zsm": "ms", "zlm": "ms",
}


@cache
def offered() -> tuple[Language, ...]:
    """The languages public pages are offered in: those with a compiled catalogue."""
    return tuple(language for language in LANGUAGES
                 if catalogues.is_compiled(LOCALE, "messages", language))


def languages_of(scope: Scope) -> tuple[Language, ...]:
    """The languages a page of ``scope`` is offered in."""
    return offered() if scope is Scope.PUBLIC else STAFF_LANGUAGES


def language_of(tag: str | None) -> Language | None:
    """The language credstack has words for that a BCP 47 tag names (``ja-JP`` → ``ja``,
    ``zh-CN`` → ``zh-Hans``, ``ms-MY`` → ``ms``), offered or not; None for any other
    (Chinese in the traditional script, ``zh-TW``, is not simplified Chinese)."""
    if not tag:
        return None
    lowered = tag.strip().replace("_", "-").lower()
    while lowered:
        if lowered in _ALIASES:
            return _ALIASES[lowered]
        for language in LANGUAGES:
            if lowered == language.lower():
                return language
        if lowered.startswith("zh"):
            # zh-TW, zh-HK, zh-Hant…: not the simplified script; no shorter tag is tried.
            return None
        lowered = lowered.rpartition("-")[0]
    return None


def _supported(tag: str | None, languages: tuple[Language, ...]) -> Language | None:
    language = language_of(tag)
    return language if language in languages else None


def parse_accept_language(header: str, languages: tuple[Language, ...] | None = None
                          ) -> Language | None:
    """The language among ``languages`` (by default the offered ones) the visitor prefers
    most (RFC 9110 §12.5.4), or None."""
    among = offered() if languages is None else languages
    best: tuple[float, int, Language] | None = None
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = _supported(tag, among)
        if tag.strip() == "*":
            language = DEFAULT_LANGUAGE
        if language is None or quality <= 0:
            continue
        # Higher quality wins; among equals, the one listed first.
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


@dataclass(frozen=True, slots=True)
class Choice:
    """The language of one response, whether the visitor just chose it (``?lang=``), the
    languages its page is offered in, and the language the visitor asked for when the page
    is not offered in it (a staff page asked in Korean answers in English)."""

    language: Language
    chosen: bool = False
    scope: Scope = Scope.PUBLIC
    wanted: Language | None = None

    @property
    def languages(self) -> tuple[Language, ...]:
        return languages_of(self.scope)

    @property
    def remembered(self) -> Language:
        """What the ``lang`` cookie keeps of an explicit choice: the language asked for."""
        return self.wanted or self.language


def _within(scope: Scope, language: Language, *, chosen: bool = False) -> Choice:
    if language in languages_of(scope):
        return Choice(language, chosen=chosen, scope=scope)
    fallback = DEFAULT_LANGUAGE if language == DEFAULT_LANGUAGE else STAFF_FALLBACK
    wanted = language if language in offered() else None
    return Choice(fallback, chosen=chosen, scope=scope, wanted=wanted)


def negotiate(request: Request) -> Choice:
    """The language to answer ``request`` in."""
    scope = scope_of(request.url.path)
    everything = offered()
    asked = _supported(request.query_params.get("lang"), everything)
    if asked is not None:
        return _within(scope, asked, chosen=True)
    remembered = _supported(request.cookies.get(COOKIE), everything)
    if remembered is not None:
        return _within(scope, remembered)
    header = request.headers.get("accept-language", "")
    preferred = parse_accept_language(header, languages_of(scope))
    if preferred is not None:
        return Choice(preferred, scope=scope)
    # A staff page the header names no language of: English unless it asked for none.
    elsewhere = parse_accept_language(header, everything)
    return _within(scope, elsewhere or DEFAULT_LANGUAGE)


def remember(response: Response, choice: Choice) -> None:
    """Keep an explicit choice in the ``lang`` cookie; say what the response varies on."""
    if choice.chosen:
        response.set_cookie(COOKIE, choice.remembered, max_age=COOKIE_MAX_AGE, path="/",
                            samesite="lax", httponly=True)
    response.headers["Content-Language"] = choice.language
    response.headers["Vary"] = "Accept-Language, Cookie, HX-Request"
