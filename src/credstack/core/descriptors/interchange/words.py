"""What a validation error says, in English and Japanese, by the kind of error.

Pydantic words its errors in English only, and for programmers ("Input should be a valid
decimal", "String should match pattern '^[A-Z]{2}$'"). Each kind of error a descriptor
document can meet has words of its own in the ``validation-error`` vocabulary of
:mod:`credstack.core.vocabularies`, filled from the error's context (the bound, the length,
the values allowed); a pattern of the shared types says what it asks for (a language tag, a
country code: the ``validation-pattern`` vocabulary) rather than showing the regular
expression. Credstack's own validators give both languages themselves
(:func:`credstack.core.types.refusal`). A kind not listed keeps Pydantic's English, and the
Japanese says that the value cannot be used (the ``validation-other`` phrase).

Pure: an error's data in, two strings out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core import vocabularies

__all__ = ["PATTERNS", "words_for"]

#: The patterns of :mod:`credstack.core.types`, by the name their words have in the
#: ``validation-pattern`` vocabulary.
PATTERNS: Final[Mapping[str, str]] = {
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "language-tag",
    r"^[A-Z]{2}$": "country-code",
    r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$": "slug",
    r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$": "code",
}


def _filled(template: str, context: Mapping[str, Any]) -> str | None:
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return None


def _both(vocabulary: str, key: str) -> tuple[str, str] | None:
    en = vocabularies.names(vocabulary, "en").get(key)
    ja = vocabularies.names(vocabulary, "ja").get(key)
    return (en, ja) if en is not None and ja is not None else None


def words_for(error: Mapping[str, Any]) -> tuple[str, str]:
    """The English and Japanese words of one Pydantic error (``type``, ``msg``, ``ctx``)."""
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    if "en" in context and "ja" in context:
        return str(context["en"]), str(context["ja"])
    pattern = PATTERNS.get(str(context.get("pattern")))
    if kind == "string_pattern_mismatch" and pattern is not None:
        said = _both("validation-pattern", pattern)
        if said is not None:
            return said
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    found = _both("validation-error", kind)
    if found is not None:
        en, ja = (_filled(found[0], context), _filled(found[1], context))
        if en is not None and ja is not None:
            return en, ja
    return (vocabularies.phrase("validation-other", "en", message=message),
            vocabularies.phrase("validation-other", "ja", message=message))
