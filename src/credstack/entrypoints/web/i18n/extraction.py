"""How ``pybabel extract`` finds the pages' message keys (``babel.cfg`` names these methods).

A template or a page names a message by calling the translator: ``t("nav.programmes")``,
``t.plural("list.total", count)``; :func:`templates` and :func:`python` read those calls (the
key must be a literal). A key built from a code at run time (``"jobs.kind." ~ kind``) or passed
along as a value is written in ``locale/keys.txt``, which :func:`listed` reads.

The catalogues are keyed (monolingual): a key is the ``msgid``, the words are the ``msgstr``.
So that a translator sees the text to translate, each key carries its English words, read from
the English catalogue, as a note in the template (``#.``).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

#: Where the catalogues live: ``<language>/LC_MESSAGES/messages.po`` and the template.
LOCALE = Path(__file__).resolve().parents[1] / "locale"
#: The keys no call names, one a line; ``plural`` after a key makes it a plural message.
LISTED = LOCALE / "keys.txt"

#: One message found: (line, gettext function, key or (key, key) for a plural, notes).
Found = tuple[int, str, str | tuple[str, str], list[str]]


@cache
def _english() -> Mapping[str, tuple[str, ...]]:
    """The English words of every key, as the English catalogue has them (none at first)."""
    path = LOCALE / "en" / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as file:
        catalog = read_po(file)
    found: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        words = message.string if isinstance(message.string, tuple) else (message.string,)
        if key:
            found[key] = tuple(str(form or "") for form in words)
    return found


def _found(line: int, key: str, *, plural: bool) -> Found:
    notes = [f"en: {words}" for words in _english().get(key, ()) if words]
    if plural:
        return line, "ngettext", (key, key), notes
    return line, "gettext", key, notes


def _named(call: nodes.Call) -> tuple[str, bool] | None:
    """The key of ``t("key", …)`` or ``t.plural("key", …)``, and whether it is plural."""
    callee = call.node
    plural = (isinstance(callee, nodes.Getattr) and callee.attr == "plural"
              and isinstance(callee.node, nodes.Name) and callee.node.name == "t")
    if not plural and not (isinstance(callee, nodes.Name) and callee.name == "t"):
        return None
    if not call.args or not isinstance(call.args[0], nodes.Const):
        return None
    key = call.args[0].value
    return (key, plural) if isinstance(key, str) else None


def templates(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
              options: Mapping[str, Any]) -> Iterator[Found]:
    """The keys a Jinja2 template names."""
    tree = Environment(autoescape=True).parse(fileobj.read().decode("utf-8"))
    for call in tree.find_all(nodes.Call):
        named = _named(call)
        if named is not None:
            yield _found(call.lineno, named[0], plural=named[1])


def python(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
           options: Mapping[str, Any]) -> Iterator[Found]:
    """The keys a page's Python names: ``t("key", …)`` and ``t.plural("key", …)``."""
    for node in ast.walk(ast.parse(fileobj.read())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first, callee = node.args[0], node.func
        plural = (isinstance(callee, ast.Attribute) and callee.attr == "plural"
                  and isinstance(callee.value, ast.Name) and callee.value.id == "t")
        if not plural and not (isinstance(callee, ast.Name) and callee.id == "t"):
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield _found(node.lineno, first.value, plural=plural)


def listed(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
           options: Mapping[str, Any]) -> Iterator[Found]:
    """The keys of ``keys.txt``: one a line, ``#`` starting a comment."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if words:
            yield _found(number, words[0], plural=words[1:] == ["plural"])
