"""Which language a response speaks.

A visitor's language is, in order: ``?lang=ja|en`` (which is also remembered in the ``lang``
cookie), the ``lang`` cookie, the best supported match in ``Accept-Language``, and Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from starlette.requests import Request
from starlette.responses import Response

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "ja"
COOKIE = "lang"
#: How long the ``lang`` cookie remembers a choice: one year.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Choice:
    """The language of one response, and whether the visitor just chose it (``?lang=``)."""

    language: Language
    chosen: bool = False


def _supported(tag: str | None) -> Language | None:
    """``ja``, ``ja-JP`` → ``ja``; anything credstack has no pages for → None."""
    if not tag:
        return None
    primary = tag.strip().lower().split("-", 1)[0]
    for language in LANGUAGES:
        if primary == language:
            return language
    return None


def parse_accept_language(header: str) -> Language | None:
    """The supported language the visitor prefers most (RFC 9110 §12.5.4), or None."""
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
        language = _supported(tag)
        if tag.strip() == "*":
            language = DEFAULT_LANGUAGE
        if language is None or quality <= 0:
            continue
        # Higher quality wins; among equals, the one listed first.
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


def negotiate(request: Request) -> Choice:
    """The language to answer ``request`` in."""
    asked = _supported(request.query_params.get("lang"))
    if asked is not None:
        return Choice(asked, chosen=True)
    remembered = _supported(request.cookies.get(COOKIE))
    if remembered is not None:
        return Choice(remembered)
    preferred = parse_accept_language(request.headers.get("accept-language", ""))
    return Choice(preferred or DEFAULT_LANGUAGE)


def remember(response: Response, choice: Choice) -> None:
    """Keep an explicit choice in the ``lang`` cookie; say what the response varies on."""
    if choice.chosen:
        response.set_cookie(COOKIE, choice.language, max_age=COOKIE_MAX_AGE, path="/",
                            samesite="lax", httponly=True)
    response.headers["Content-Language"] = choice.language
    response.headers["Vary"] = "Accept-Language, Cookie, HX-Request"
