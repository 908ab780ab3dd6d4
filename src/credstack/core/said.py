"""What the core says, as data: a message key and its parameters, never the words.

The core and the services return codes with parameters (``Said("verification.reason.expired",
day=dt.date(2025, 5, 1))``); the entrypoint that shows them picks the words from its message
catalogues in the reader's language (:mod:`credstack.entrypoints.web.i18n.said`). A parameter
is a plain value (text, a number, a date), a :class:`Named` value of a vocabulary, a text in
several languages (:class:`InLanguages`), values listed as the reader's language lists
them (:class:`Listed`), or another :class:`Said` (a phrase said inside a sentence), so that a
translator words the whole in one place.

Where a core function must put words into a document it writes (a report's JSON), the words
are a parameter: a :data:`Words` function the entrypoint passes in, as the clock and the
document loader are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from credstack.errors import CredstackError, Problem

__all__ = ["InLanguages", "Listed", "Named", "Said", "Words", "placed", "said_of"]


class Named:
    """A value of a controlled vocabulary (:mod:`credstack.core.vocabularies`) said as a
    parameter: the entrypoint names it in the reader's language (``verification-check``,
    ``proof`` → "Signature")."""

    __slots__ = ("value", "vocabulary")

    vocabulary: str
    value: str

    def __init__(self, vocabulary: str, value: str) -> None:
        object.__setattr__(self, "vocabulary", vocabulary)
        object.__setattr__(self, "value", value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Named):
            return NotImplemented
        return (self.vocabulary, self.value) == (other.vocabulary, other.value)

    def __hash__(self) -> int:
        return hash((self.vocabulary, self.value))

    def __repr__(self) -> str:
        return f"Named({self.vocabulary!r}, {self.value!r})"


class InLanguages:
    """A text as the data writes it in several languages (a body's name, ``{"ja": …, "en":
    …}``) said as a parameter: the entrypoint takes the reader's language's, else the
    English, else the first."""

    __slots__ = ("texts",)

    #: The texts, as ``(language tag, text)`` pairs (hashable).
    texts: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str]) -> None:
        object.__setattr__(self, "texts", tuple(texts.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def in_language(self, language: str) -> str:
        """The text in ``language``, else in English, else the first (``""``: none)."""
        texts = dict(self.texts)
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InLanguages):
            return NotImplemented
        return self.texts == other.texts

    def __hash__(self) -> int:
        return hash(self.texts)

    def __repr__(self) -> str:
        return f"InLanguages({dict(self.texts)!r})"


class Listed:
    """Values said as one list, joined as the reader's language lists them (``a, b``;
    ``a、b``: the catalogue's ``said.list_separator``), each worded as a parameter is."""

    __slots__ = ("items",)

    items: tuple[Any, ...]

    def __init__(self, items: Iterable[Any]) -> None:
        object.__setattr__(self, "items", tuple(items))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Listed):
            return NotImplemented
        return self.items == other.items

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"Listed({list(self.items)!r})"


class Said:
    """A message key (``verification.reason.revoked``) and its named parameters; equal, and
    hashed alike, when both are. A whole-number ``count`` makes it a plural message (the
    words for so many things)."""

    __slots__ = ("key", "values")

    key: str
    #: The parameters, in the order given, as ``(name, value)`` pairs (hashable).
    values: tuple[tuple[str, Any], ...]

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", tuple(params.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def params(self) -> Mapping[str, Any]:
        return dict(self.values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Said):
            return NotImplemented
        return self.key == other.key and self.values == other.values

    def __hash__(self) -> int:
        return hash((self.key, self.values))

    def __repr__(self) -> str:
        params = "".join(f", {name}={value!r}" for name, value in self.values)
        return f"Said({self.key!r}{params})"

    def to_dict(self) -> dict[str, Any]:
        """``{"key", "params"}``, the parameters JSON-ready (a date as ISO 8601 text)."""
        return {"key": self.key, "params": {name: _json(value) for name, value in self.values}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Said:
        """What :meth:`to_dict` wrote, read back (a date stays its ISO 8601 text)."""
        params = data.get("params")
        return cls(str(data["key"]), **{str(name): _read(value) for name, value in
                                        (params.items() if isinstance(params, Mapping)
                                         else ())})


def _json(value: Any) -> Any:
    if isinstance(value, Said):
        return value.to_dict()
    if isinstance(value, Named):
        return {"vocabulary": value.vocabulary, "value": value.value}
    if isinstance(value, InLanguages):
        return dict(value.texts)
    if isinstance(value, Listed):
        return [_json(item) for item in value.items]
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else value


def _read(value: Any) -> Any:
    if isinstance(value, Mapping) and set(value) == {"key", "params"}:
        return Said.from_dict(value)
    if isinstance(value, Mapping) and set(value) == {"vocabulary", "value"}:
        return Named(str(value["vocabulary"]), str(value["value"]))
    return value


def said_of(error: CredstackError) -> Said | str:
    """What ``error`` says, as a parameter of a message that passes it on: its code and
    parameters (raised so, the core's way), else its words as they were given."""
    return Said(error.code, **error.params) if error.code else error.message


def placed(problem: Problem) -> Said | str:
    """A problem after its location (``disclosures[0]: …``), as :func:`said_of` says an
    error: its code and parameters said, else its words."""
    if not problem.code or problem.message:
        return str(problem)
    what = Said(problem.code, **problem.params)
    return Said("verification.data_model.at", location=problem.location, what=what) \
        if problem.location else what


#: The words of a :class:`Said` in a language (``ja``, ``en``, …): the entrypoint's to give.
Words: TypeAlias = Callable[[Said, str], str]
