"""The script a name is written in, so that a page can tell a learner's names apart (a
credential names a Japanese learner in kanji and in the Latin alphabet)."""

from __future__ import annotations

import unicodedata


def script_of(name: str) -> str:
    """``japanese`` for a name with kanji or kana, ``latin`` for one in the Latin alphabet,
    ``other`` otherwise."""
    if any("\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
           for c in name):
        return "japanese"
    if all(c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in name
           if c.isalpha()):
        return "latin"
    return "other"
