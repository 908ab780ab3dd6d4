"""Small immutable types parsed at the boundary and shared by every core module."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import ConfigDict, RootModel, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from credstack.core import vocabularies

#: The largest id or version number the store holds: its id columns are PostgreSQL
#: ``integer`` (SQLite's reach 2^63 - 1). A larger number names nothing; passed to the
#: database it is an error there (``DataError``, or an ``OverflowError`` binding it).
MAX_ID = 2**31 - 1

LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35),
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"),
]
ProgrammeCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$"),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

#: The longest text credstack keeps for one language of one descriptor.
MAX_TEXT_LENGTH = 20_000

_WHITESPACE_ONLY = re.compile(r"^\s*$")


def refusal(code: str, en: str, ja: str) -> PydanticCustomError:
    """What a validator of ours raises: an error of kind ``code`` whose words are ``en`` and
    ``ja`` (:func:`credstack.core.descriptors.interchange.words.words_for` reads both)."""
    return PydanticCustomError(code, "{en}", {"en": en, "ja": ja})


def refused(code: str, **values: str) -> PydanticCustomError:
    """What a validator of ours raises, said as data: the error's kind ``code``, a kind of the
    ``validation-error`` vocabulary whose words in each language are filled from ``values``
    (Pydantic's own message is the English)."""
    return PydanticCustomError(code, vocabularies.names("validation-error", "en")[code], values)


def _language_order(item: tuple[str, str]) -> tuple[bool, bool, str]:
    tag = item[0]
    return tag != "ja", tag != "en", tag


class MultilingualText(RootModel[dict[LanguageTag, str]]):
    """Text in one or more languages, keyed by BCP 47 tag: ``{"ja": "…", "en": "…"}``.

    The languages are kept in one order — ``ja``, ``en``, then the others by tag — so that
    equal texts serialise identically (the content hashes of stored programmes depend on it).
    """

    model_config = ConfigDict(frozen=True)

    @field_validator("root", mode="before")
    @classmethod
    def _require_mapping(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise refusal("text_per_language",
                          'give the text per language, for example {"ja": "…", "en": "…"}',
                          '言語ごとに書いてください（例: {"ja": "…", "en": "…"}）')
        return value

    @field_validator("root")
    @classmethod
    def _check_texts(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise refusal("text_missing", "needs the text in at least one language",
                          "少なくとも 1 つの言語で書いてください")
        cleaned: dict[str, str] = {}
        for tag, text in sorted(value.items(), key=_language_order):
            if _WHITESPACE_ONLY.match(text):
                raise refusal("text_empty", f"the {tag!r} text is empty",
                              f"{tag} の文章が空です")
            if len(text) > MAX_TEXT_LENGTH:
                raise refusal("text_too_long", f"the {tag!r} text has {len(text)} characters; "
                              f"at most {MAX_TEXT_LENGTH}",
                              f"{tag} の文章が {len(text):,} 文字あります（{MAX_TEXT_LENGTH:,} "
                              "文字以内）")
            cleaned[tag] = text.strip()
        return cleaned

    def text(self, language: str, *fallbacks: str) -> str:
        """The text in ``language``, else the first fallback present, else any language."""
        for tag in (language, *fallbacks):
            if tag in self.root:
                return self.root[tag]
        return next(iter(self.root.values()))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.root)


_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):[^\s\x00-\x1f\x7f]+")
_AUTHORITY = re.compile(r"//[^/?#\s]+")


def whole_number(text: str, *, most: int = MAX_ID) -> int | None:
    """``text`` as a whole number from 0 to ``most`` when it is ASCII digits alone; ``None``
    for anything else. ``str.isdigit`` says yes to "³" and "①", which ``int`` cannot read
    (a 500 wherever such text came from a request, issue 55), and a number past
    :data:`MAX_ID` names nothing in the store (the database refuses it)."""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(most)):
        return None
    value = int(text)
    return value if value <= most else None


def is_absolute_url(value: object) -> bool:
    """An absolute URL: a scheme, no whitespace or control characters, and for ``http`` and
    ``https`` a host. Lighter than ``urlsplit`` for the many ids a credential carries."""
    if not isinstance(value, str):
        return False
    match = _URL.fullmatch(value)
    if match is None:
        return False
    if match.group(1).lower() in {"http", "https"}:
        return _AUTHORITY.match(value, match.end(1) + 1) is not None
    return True


def decimal_or_none(value: Any) -> Decimal | None:
    """A number read from JSON (a number, or its text such as ``"7.5"``) as a finite
    Decimal; None for anything else (nothing, true/false, text that is no number, NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: a whole number without a fraction (``45``, not ``45.0``)."""
    return int(value) if value == value.to_integral_value() else float(value)
