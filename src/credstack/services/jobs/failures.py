"""Why a job's latest attempt failed, as the store keeps it: codes and parameters, never
words (the page, the API and the CLI word it in their reader's language).

A stored failure is a JSON object:

* ``said`` — what went wrong, a message key and its parameters (:meth:`Said.to_dict`), or
  ``text`` — the error's own words where it was raised with words (``English / 日本語``);
* ``title`` — the kind of error in English and Japanese (:attr:`CredstackError.title_en`,
  ``title_ja``), for a :class:`~credstack.errors.CredstackError`;
* ``problems`` — each thing that was wrong, said (``said``) or in words (``text``);
* ``then`` — what happens next (tried again in so many seconds, given up), said.

Failures stored before the codes (``{"en": …, "ja": …}``) are read as their words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from credstack.core.said import Said, placed, said_of
from credstack.errors import CredstackError, Problem

__all__ = ["Failure", "described", "then"]


@dataclass(frozen=True, slots=True)
class Failure:
    """A stored failure read back: what went wrong (:class:`Said` or words), the error's
    kind in English and Japanese, its problems, and what happens next."""

    what: Said | str
    title: Mapping[str, str] | None = None
    problems: tuple[Said | str, ...] = ()
    then: Said | None = None

    @classmethod
    def read(cls, stored: Mapping[str, Any]) -> Failure:
        if "said" not in stored and "text" not in stored:
            # Stored before the codes: the words in English and Japanese.
            return cls(f"{stored.get('en', '')} / {stored.get('ja', '')}")
        title = stored.get("title")
        then_ = stored.get("then")
        return cls(_said_or_text(stored),
                   title=dict(title) if isinstance(title, Mapping) else None,
                   problems=tuple(_said_or_text(item) for item in stored.get("problems", ())
                                  if isinstance(item, Mapping)),
                   then=Said.from_dict(then_) if isinstance(then_, Mapping) else None)


def _said_or_text(stored: Mapping[str, Any]) -> Said | str:
    said = stored.get("said")
    return Said.from_dict(said) if isinstance(said, Mapping) else str(stored.get("text", ""))


def described(exc: BaseException) -> dict[str, Any]:
    """``exc`` as a stored failure: a credstack error by its code (or words), its kind and
    its problems; anything else as an unexpected error named by its class."""
    if not isinstance(exc, CredstackError):
        return {"said": _json(Said("jobs.problem.unexpected", name=type(exc).__name__))}
    stored = {**_part(said_of(exc)), "title": {"en": exc.title_en, "ja": exc.title_ja}}
    if exc.problems:
        stored["problems"] = [_part(_problem(problem)) for problem in exc.problems]
    return stored


def then(stored: Mapping[str, Any], said: Said) -> dict[str, Any]:
    """``stored`` with what happens next."""
    return {**stored, "then": _json(said)}


def _problem(problem: Problem) -> Said | str:
    if problem.code and not problem.message:
        return placed(problem)
    if not problem.message_ja:
        return str(problem)
    where = f"{problem.location}: " if problem.location else ""
    return f"{problem} / {where}{problem.message_ja}"


def _part(what: Said | str) -> dict[str, Any]:
    return {"said": _json(what)} if isinstance(what, Said) else {"text": what}


def _json(said: Said) -> dict[str, Any]:
    """``said`` as JSON, every parameter JSON can hold (a decimal as its digits, a problem
    said, anything else as its text)."""
    loaded: dict[str, Any] = json.loads(json.dumps(said.to_dict(), default=_plain))
    return loaded


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Said):
        return value.to_dict()
    if isinstance(value, Problem):
        return _part(_problem(value)).get("said") or str(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)
