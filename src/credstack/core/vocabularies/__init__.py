"""People's names for the values of credstack's vocabularies, read from data files.

Every name a code is shown by — a delivery mode, a level framework, an ISCED-F field, a
country, a credit unit — lives in ``<language>/<vocabulary>.toml`` beside this module, one file
per language and vocabulary, one entry per value (``online = "Online"``). Adding a language is
adding its directory of files; no Python changes. A value a language does not name is named in
English (:data:`FALLBACK`), as credstack has always spoken English to every reader but a
Japanese one.

This is the one module of the core that reads files: its own package data, as a table is read,
with the standard library (:mod:`tomllib`, :mod:`importlib.resources`), each file once per
process (:func:`functools.cache`). Nothing here reads the network, the clock or the store.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

__all__ = ["FALLBACK", "languages", "name", "names", "pairs", "parse", "phrase", "vocabularies"]

#: The language a value is named in when the reader's language does not name it.
FALLBACK: Final = "en"


@cache
def languages() -> tuple[str, ...]:
    """The languages with names in the data files (``en``, ``ja``, …), sorted."""
    root = resources.files(__package__)
    return tuple(sorted(entry.name for entry in root.iterdir()
                        if entry.is_dir() and not entry.name.startswith("_")))


@cache
def vocabularies(language: str = FALLBACK) -> tuple[str, ...]:
    """The vocabularies ``language`` names (``delivery-mode``, ``isced-f``, …), sorted."""
    folder = resources.files(__package__).joinpath(language)
    return tuple(sorted(entry.name.removesuffix(".toml") for entry in folder.iterdir()
                        if entry.name.endswith(".toml")))


@cache
def _read(vocabulary: str, language: str) -> Mapping[str, str]:
    entry = resources.files(__package__).joinpath(language, f"{vocabulary}.toml")
    if not entry.is_file():
        return MappingProxyType({})
    return parse(entry.read_text("utf-8"), where=f"{language}/{vocabulary}.toml")


def parse(text: str, *, where: str) -> Mapping[str, str]:
    """One vocabulary file's names by value; :class:`ValueError` naming the file and the
    values when one is not a name (a string)."""
    table = tomllib.loads(text)
    bad = sorted(key for key, value in table.items() if not isinstance(value, str))
    if bad:
        raise ValueError(f"{where}: each value is named by a string (value = \"name\"); "
                         f"{', '.join(bad)} are not")
    return MappingProxyType(table)


def names(vocabulary: str, language: str) -> Mapping[str, str]:
    """Every value of ``vocabulary`` with its name in ``language`` exactly as its file has it
    (empty when the language has no such file)."""
    if language not in languages():
        return MappingProxyType({})
    return _read(vocabulary, language)


def name(vocabulary: str, value: str, language: str) -> str | None:
    """The name of ``value`` of ``vocabulary`` in ``language``, else in English; None when
    neither names it."""
    found = names(vocabulary, language).get(value)
    return found if found is not None else names(vocabulary, FALLBACK).get(value)


def pairs(vocabulary: str, first: str, second: str) -> dict[str, tuple[str, str]]:
    """Every value of ``vocabulary`` (in the English file's order) with its names in the
    ``first`` and ``second`` languages (``pairs("pace", "ja", "en")["mixed"]``: the Japanese
    name, then ``"Mixed"``), for the tables that still pair two languages."""
    one, other = names(vocabulary, first), names(vocabulary, second)
    return {value: (one.get(value, english), other.get(value, english))
            for value, english in names(vocabulary, FALLBACK).items()}


def phrase(key: str, language: str, **values: object) -> str:
    """The phrase ``key`` (of the ``phrase`` vocabulary: a name put into words, such as
    ``{name} (inter-disciplinary)``) in ``language``, with ``values`` filled in."""
    found = name("phrase", key, language)
    if found is None:
        raise KeyError(f"the phrase vocabulary has no {key!r} in {FALLBACK}/phrase.toml")
    return found.format(**values)
