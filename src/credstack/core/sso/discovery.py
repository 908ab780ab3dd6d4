"""Finding one's institution among the identity providers, as a federation's discovery
service does (GakuNin's embedded DS): a few letters of any of its names find it.

A provider is found by its own name, its organisation's name in any language, or its
organisation's short name (slug); every word of the query must appear in one of them,
compared after Unicode compatibility folding and case folding (so full-width ``HOKUTO``
finds "Hokuto", and two kanji of a Japanese name find it), and, for Latin letters, without
their accents (``dai hoc`` finds "Đại học"). Words are split on spaces, so a Japanese name
is found by any part of it written without spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from credstack.core.registry.text import fold, normalise

#: At most this many providers are listed for a query (a federation holds hundreds).
MOST: Final = 20
#: Below this many providers the sign-in page lists them all without a search.
LISTED_WITHOUT_SEARCH: Final = 6


@dataclass(frozen=True, slots=True)
class Institution:
    """An enabled provider as the sign-in page offers it."""

    slug: str
    name: str
    organisation: str
    organisation_names: Mapping[str, str]

    def organisation_name(self, language: str) -> str:
        """The organisation's name in ``language``, else English, Japanese, its short name."""
        names = self.organisation_names
        return names.get(language) or names.get("en") or names.get("ja") or self.organisation


def folded(text: str) -> str:
    """``text`` compared as the search compares it: as the registry's search folds words
    (:func:`credstack.core.registry.text.normalise` then :func:`~credstack.core.registry.text.fold`:
    NFKC, case folding, Latin accents dropped, đ as d), runs of spaces one space."""
    return " ".join(fold(normalise(text)).split())


def matching(institutions: Iterable[Institution], query: str, *, most: int = MOST
             ) -> Sequence[Institution]:
    """The institutions every word of ``query`` finds, by name; none for an empty query."""
    words = folded(query).split()
    if not words:
        return ()
    found = []
    for institution in institutions:
        haystack = " ".join(folded(text) for text in (
            institution.name, institution.organisation, *institution.organisation_names.values()))
        if all(word in haystack for word in words):
            found.append(institution)
    return sorted(found, key=lambda i: folded(i.name))[:most]
