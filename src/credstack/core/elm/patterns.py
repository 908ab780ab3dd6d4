"""SHACL ``sh:pattern`` values written for Java's regular expressions, read as Python's.

SHACL takes a pattern as an XPath regular expression (SHACL §4.4.3, XPath *fn:matches*);
pySHACL compiles it with Python's ``re``. The European Commission's LOQ shapes (the
Qualification Dataset Register's profile, ``LOQ-constraints.ttl``) were written for a Java
validator, and three of their constructs are refused by ``re`` or mean something else there:

* ``\\p{L}``, ``\\p{Nl}``, ``\\p{Nd}`` — Unicode general categories, which ``re`` does not
  know: each becomes the class of the code points of that category, built from
  :mod:`unicodedata` (``\\P{…}`` its complement);
* ``[%[\\p{L}\\p{Nd}]]``, ``[[A-Fa-f0-9]\\:\\.]`` — a class nested in a class, which Java
  reads as their union and ``re`` as a class holding ``[`` followed by a literal ``]``: the
  nested class's members are written into the outer one;
* ``^(?i)(http|https):…`` — a flag group after the start, which Java applies from there on
  and ``re`` (Python 3.11) refuses: it becomes a scoped group, ``^(?i:(http|https):…)``.

Also ``\\Q…\\E`` (quoted), ``\\z`` (Python's ``\\Z``), Java's ``\\Z`` and named groups
``(?<name>…)``. What cannot be written for ``re`` with the same meaning — a class
intersection (``&&``), a negated class or ``\\P{…}`` nested in a class, an unknown property
— raises :class:`UntranslatablePattern` with the reason; the caller reports it, never drops
it silently. The rewriting is of the pattern text only: what the shapes files say is kept
(:func:`python_patterns` changes the graph read from them, not the files).

Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import Final

import rdflib
from rdflib.namespace import SH

__all__ = ["UntranslatablePattern", "python_patterns", "to_python"]

#: Java's inline flags ``re`` has with the same meaning; ``u`` (Unicode case folding) is what
#: ``re`` does for ``str`` patterns anyway.
_FLAGS: Final = frozenset("imsx")
_FLAG_GROUP: Final = re.compile(r"\(\?([a-zA-Z]+)\)")


class UntranslatablePattern(ValueError):
    """A Java pattern ``re`` cannot take with the same meaning; ``args[0]`` says why."""


@functools.cache
def _categories() -> dict[str, tuple[tuple[int, int], ...]]:
    """Each two-letter Unicode general category: its code points as ranges (one pass over
    the code space, about a quarter of a second, the first time a pattern asks)."""
    ranges: dict[str, list[list[int]]] = {}
    for point in range(sys.maxunicode + 1):
        spans = ranges.setdefault(unicodedata.category(chr(point)), [])
        if spans and spans[-1][1] == point - 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return {name: tuple((low, high) for low, high in spans) for name, spans in ranges.items()}


def _escaped(point: int) -> str:
    return f"\\U{point:08x}" if point > 0xFFFF else f"\\u{point:04x}"


@functools.cache
def _property_class(name: str) -> str:
    """The members (a class body) of ``\\p{name}``: a general category, one letter (every
    category starting with it) or two, optionally prefixed ``Is``."""
    category = name.removeprefix("Is")
    known = _categories()
    names = sorted(found for found in known if found == category
                   or (len(category) == 1 and found.startswith(category)))
    if not names or len(category) > 2:
        raise UntranslatablePattern(f"the Unicode property {name!r} (only general categories "
                                    "are read)")
    spans = sorted(span for found in names for span in known[found])
    merged: list[list[int]] = []
    for low, high in spans:
        if merged and merged[-1][1] >= low - 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return "".join(_escaped(low) if low == high else f"{_escaped(low)}-{_escaped(high)}"
                   for low, high in merged)


def _property_at(pattern: str, at: int) -> tuple[str, int]:
    """``\\p{X}`` or ``\\pX`` at ``at``: the property's class body and where it ends."""
    if pattern.startswith("{", at + 2):
        end = pattern.find("}", at + 3)
        if end < 0:
            raise UntranslatablePattern("an unclosed \\p{…}")
        return _property_class(pattern[at + 3:end]), end + 1
    if at + 2 >= len(pattern):
        raise UntranslatablePattern("a \\p without a property")
    return _property_class(pattern[at + 2]), at + 3


def _quoted(pattern: str, at: int) -> tuple[str, int]:
    """``\\Q…\\E`` at ``at``: the quoted text and where it ends."""
    end = pattern.find("\\E", at + 2)
    stop = len(pattern) if end < 0 else end
    return pattern[at + 2:stop], (stop if end < 0 else end + 2)


def _class_at(pattern: str, at: int) -> tuple[bool, str, int]:
    """The class opened at ``at``: whether it is negated, its members for ``re``, and where
    it ends; a nested class's members are taken into it (Java's union)."""
    index = at + 1
    negated = pattern.startswith("^", index)
    index += negated
    members: list[str] = []
    first = True
    while True:
        if index >= len(pattern):
            raise UntranslatablePattern("an unclosed character class")
        char = pattern[index]
        if char == "]" and not first:
            return negated, "".join(members), index + 1
        first = False
        if char == "[":
            inner_negated, inner, index = _class_at(pattern, index)
            if inner_negated:
                raise UntranslatablePattern("a negated class inside a class")
            members.append(inner)
        elif pattern.startswith("&&", index):
            raise UntranslatablePattern("an intersection of classes (&&)")
        elif char == "\\" and pattern.startswith(("\\p", "\\P"), index):
            if pattern[index + 1] == "P":
                raise UntranslatablePattern("\\P{…} inside a class")
            body, index = _property_at(pattern, index)
            members.append(body)
        elif char == "\\" and pattern.startswith("\\Q", index):
            text, index = _quoted(pattern, index)
            members.extend(re.escape(letter) for letter in text)
        elif char == "\\":
            members.append(pattern[index:index + 2])
            index += 2
        else:
            members.append("\\" + char if char in "[]" else char)
            index += 1


@functools.lru_cache(maxsize=256)
def to_python(pattern: str) -> str:
    """``pattern`` (Java's syntax) as ``re`` reads it with the same meaning; unchanged when
    it has none of Java's constructs. Raises :class:`UntranslatablePattern`."""
    out: list[str] = []
    index = 0
    depth = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if index + 1 >= len(pattern):
                raise UntranslatablePattern("a trailing backslash")
            following = pattern[index + 1]
            if following in "pP":
                body, index = _property_at(pattern, index)
                out.append(f"[{'^' if following == 'P' else ''}{body}]")
                continue
            if following == "Q":
                text, index = _quoted(pattern, index)
                out.append(re.escape(text))
                continue
            out.append({"z": "\\Z", "Z": "(?=\\n?\\Z)"}.get(following, pattern[index:index + 2]))
            index += 2
        elif char == "[":
            negated, members, index = _class_at(pattern, index)
            out.append(f"[{'^' if negated else ''}{members}]")
        elif char == "(":
            flags = _FLAG_GROUP.match(pattern, index)
            if flags is not None:
                wanted = flags.group(1).replace("u", "")
                if set(wanted) - _FLAGS:
                    raise UntranslatablePattern(f"the flags {flags.group(1)!r}")
                if depth:
                    raise UntranslatablePattern("a flag group inside a group")
                rest = to_python(pattern[flags.end():])
                if not out:  # at the start: Python takes it there as it is
                    return f"(?{wanted}){rest}" if wanted else rest
                return "".join(out) + (f"(?{wanted}:{rest})" if wanted else rest)
            if pattern.startswith("(?<", index) and index + 3 < len(pattern) \
                    and pattern[index + 3] not in "=!":
                out.append("(?P<")
                index += 3
            else:
                out.append(char)
                index += 1
            depth += 1
        else:
            depth -= char == ")"
            out.append(char)
            index += 1
    translated = "".join(out)
    try:
        re.compile(translated)
    except re.error as error:
        raise UntranslatablePattern(f"re refuses it: {error}") from None
    return translated


def python_patterns(graph: rdflib.Graph) -> list[tuple[str, str]]:
    """Every ``sh:pattern`` of the shapes ``graph`` rewritten for ``re`` in place; those
    that cannot be are taken out of it and returned with the reason, for the caller to
    report (a shape with no pattern constraint checks nothing of its values' form)."""
    refused: list[tuple[str, str]] = []
    for shape, literal in list(graph.subject_objects(SH.pattern)):
        text = str(literal)
        try:
            translated = to_python(text)
        except UntranslatablePattern as error:
            graph.remove((shape, SH.pattern, literal))
            refused.append((text, str(error)))
            continue
        if translated != text:
            graph.remove((shape, SH.pattern, literal))
            graph.add((shape, SH.pattern, rdflib.Literal(translated)))
    return refused
