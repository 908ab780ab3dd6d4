"""A programme as an editor is writing it: what is valid so far, and what is not yet.

A provider fills in a form one field at a time; the conformance matrix beside it must follow
every keystroke, also while some field still holds something the model refuses ("ninety"
hours, an end before the start). :func:`read_draft` reads the document as far as it can:
every problem is kept with its place in the document, and the programme that *can* be
checked is the document without the top-level descriptors that fail (so the matrix shows
them as missing, and the form shows why next to the field).

Pure: no I/O, and nothing here knows about forms or HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from credstack.core.descriptors.models import Programme

__all__ = ["PLACEHOLDER_CODE", "Draft", "FieldError", "read_draft"]

#: The code a draft is checked under while its own code is missing or not valid yet.
PLACEHOLDER_CODE: Final = "DRAFT"
#: A document has fewer top-level descriptors than this; each retry drops at least one.
_MAX_ROUNDS: Final = 40


@dataclass(frozen=True, slots=True)
class FieldError:
    """One thing the model refuses: where (a path into the document), pydantic's error type,
    its English message, and the values the message was made from."""

    loc: tuple[str | int, ...]
    kind: str
    message: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dotted(self) -> str:
        return ".".join(str(part) for part in self.loc)


@dataclass(frozen=True, slots=True)
class Draft:
    """What a document is so far: the programme when it is valid as a whole, else None;
    the programme that can be checked against the profiles either way; every error."""

    programme: Programme | None
    checkable: Programme
    errors: tuple[FieldError, ...]

    @property
    def valid(self) -> bool:
        return self.programme is not None


def _errors(exc: ValidationError) -> list[FieldError]:
    found = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if part != "root")
        message = str(error["msg"]).removeprefix("Value error, ")
        context = {key: value for key, value in (error.get("ctx") or {}).items()
                   if isinstance(value, str | int | float)}
        found.append(FieldError(loc, str(error["type"]), message, context))
    return found


def read_draft(document: Mapping[str, Any]) -> Draft:
    """``document`` read as a programme, as far as it goes (see the module's doc)."""
    data = dict(document)
    try:
        return Draft(Programme.model_validate(data), Programme.model_validate(data), ())
    except ValidationError as exc:
        errors = _errors(exc)
    remaining = data
    current = errors
    for _ in range(_MAX_ROUNDS):
        failing = {str(error.loc[0]) for error in current if error.loc}
        if not failing:
            break
        remaining = {key: value for key, value in remaining.items() if key not in failing}
        remaining.setdefault("code", PLACEHOLDER_CODE)
        try:
            return Draft(None, Programme.model_validate(remaining), tuple(errors))
        except ValidationError as exc:
            current = _errors(exc)
    return Draft(None, Programme(code=PLACEHOLDER_CODE), tuple(errors))
