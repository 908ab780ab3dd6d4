"""Paging of ``getCredentials`` (OB 3.0 §6.2.1 "Paging"): ``limit`` and ``offset`` in the
query, ``X-Total-Count`` with the total, and a ``Link`` header (RFC 8288) with ``first`` and
``last`` always, ``next`` while more follow, ``prev`` after the first page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from credstack.core.types import whole_number
from credstack.errors import InputError, Problem

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Window:
    limit: int
    offset: int


def window(limit: str | None, offset: str | None) -> Window:
    """The page asked for; InputError naming ``limit`` or ``offset`` when not a whole number
    in range (``limit`` 1 to 100, ``offset`` 0 or more)."""
    problems = []
    values = []
    for name, value, default, low, high in (("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
                                            ("offset", offset, 0, 0, 10**9)):
        if value is None or value == "":
            values.append(default)
            continue
        number = whole_number(value, most=high)
        if number is None or number < low:
            problems.append(Problem(name, f"a whole number from {low} to {high:,}"))
            values.append(default)
        else:
            values.append(number)
    if problems:
        raise InputError(f"{problems[0].location} must be {problems[0].message}.",
                         problems=problems)
    return Window(limit=values[0], offset=values[1])


def links(url: str, page: Window, total: int, *, keep: dict[str, str] | None = None) -> str:
    """The ``Link`` header of ``page`` of ``total`` items at ``url``; ``keep``: other query
    parameters every link repeats (``since``)."""
    def at(offset: int) -> str:
        query = urlencode({**(keep or {}), "limit": page.limit, "offset": offset})
        return f"<{url}?{query}>"

    last = max(0, (total - 1) // page.limit * page.limit)
    parts = []
    if page.offset + page.limit < total:
        parts.append(f'{at(page.offset + page.limit)}; rel="next"')
    parts.append(f'{at(last)}; rel="last"')
    parts.append(f'{at(0)}; rel="first"')
    if page.offset > 0:
        parts.append(f'{at(max(0, page.offset - page.limit))}; rel="prev"')
    return ", ".join(parts)
