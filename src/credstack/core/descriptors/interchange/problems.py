"""Pydantic's validation errors as problems a person can act on, and descriptor paths as
people write them."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, Final

from pydantic import BaseModel

from credstack.core.descriptors.interchange.words import words_for
from credstack.core.descriptors.models import AwardedMicroCredential
from credstack.core.organisations import Organisation
from credstack.core.said import Said
from credstack.errors import CredstackError, Problem

#: What an unknown key is called, in Japanese, by its English name.
_NOUNS_JA: Final = {"descriptor key": "記述子のキー", "field": "項目"}


def describe_validation_errors(
    errors: Iterable[Any], locate: Callable[[tuple[str | int, ...]], str], *,
    keys: Sequence[str] | None = None, noun: str = "descriptor key",
) -> list[Problem]:
    """Pydantic's errors as problems a person can act on, placed by ``locate``, in English
    and Japanese (:mod:`.words`).

    An unknown key is called a ``noun`` ("unknown descriptor key 'titel'") and compared with
    ``keys`` for a "did you mean" hint; by default those of descriptor and organisation
    documents. A request body that is not a descriptor document says what it is instead
    (``noun="field"``, ``keys`` its own: :func:`field_names`).
    """
    known = _known_keys() if keys is None else list(keys)
    problems = []
    for error in errors:
        en, ja = _message(error, known, noun)
        problems.append(Problem(locate(tuple(part for part in error["loc"] if part != "root")),
                                en, message_ja=ja))
    return problems


def _message(error: Any, known: Sequence[str], noun: str) -> tuple[str, str]:
    if error["type"] == "extra_forbidden":
        key = str(error["loc"][-1])
        # The key itself may be known elsewhere ("level" inside "levels"): never offered.
        close = difflib.get_close_matches(key, [k for k in known if k != key], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        hint_ja = f"（{close[0]} の誤りではありませんか）" if close else ""
        noun_ja = _NOUNS_JA.get(noun, noun)
        return (f"unknown {noun} {key!r}{hint}",
                f"{key} という{noun_ja}はありません{hint_ja}")
    en, ja = words_for(error)
    value = error.get("input")
    if error["type"] not in {"model_type", "dict_type", "missing"} \
            and isinstance(value, str | int | float):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
        en, ja = f"{en} (got {shown})", f"{ja}（入力: {shown}）"
    return en, ja


@cache
def _known_keys() -> list[str]:
    """Every key any document may use, for "did you mean" hints."""
    return field_names(AwardedMicroCredential, Organisation)


def field_names(*annotations: Any) -> list[str]:
    """Every field name of the models in ``annotations`` and of the models they hold."""
    keys: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        for name, info in model.model_fields.items():
            if name in keys:
                continue
            keys.add(name)
            for arg in _model_args(info.annotation):
                walk(arg)

    for annotation in annotations:
        for model in _model_args(annotation):
            walk(model)
    return sorted(keys)


def _model_args(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _model_args(arg)


#: What a value is, by its type, as the ``editor.interchange.kind.*`` keys word it.
_KINDS: Final = {list: "list", str: "text", int: "number", float: "number",
                 type(None): "nothing", bool: "boolean", dict: "mapping"}


def kind_of(value: Any) -> Said:
    """What ``value`` is (a list, text, a number …), for a message to say."""
    kind = _KINDS.get(type(value))
    if kind is None:
        return Said("editor.interchange.kind.other", name=type(value).__name__)
    return Said(f"editor.interchange.kind.{kind}")


def refused(error: type[CredstackError], name: str, /, *, where: str | Sequence[str],
            **params: object) -> CredstackError:
    """A file that cannot be read (``error``: :class:`UnreadableInputError`) or read as
    descriptors: the ``editor.interchange.refused.<name>`` key with ``params`` (the file
    as ``source``), and its problem, the ``editor.interchange.problem.<name>`` key with the
    same values, placed at ``where`` (the file, a row and column, a line; one per place), as
    the command line, the API and the editor's import report word them."""
    places = [where] if isinstance(where, str) else list(where)
    return error(code=f"editor.interchange.refused.{name}", params=params, problems=[
        Problem(place, code=f"editor.interchange.problem.{name}", params=params)
        for place in places])


def format_path(loc: Sequence[str | int]) -> str:
    """``("learning_outcomes", 0, "statement")`` → ``learning_outcomes[0].statement``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
