"""PyLD's JSON-LD API (``pyld.jsonld``), imported without the loader that would fetch.

Once imported, ``pyld.jsonld`` makes its default document loader: one that fetches with
requests, which it imports for it (with urllib3 and the rest: 0.1 s of CPU in a process whose
bytecode is compiled, most of a second otherwise), or else with aiohttp. credstack never uses
that default: every call it makes is given a loader that holds the contexts and fetches
nothing (:class:`~credstack.core.crypto.canonicalization.DocumentLoader`). So PyLD is imported
here with requests and aiohttp out of its reach, where neither is imported already, and its
default becomes its own loader that refuses every URL. Nothing else is changed: requests and
aiohttp import as before afterwards.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["jsonld"]

#: What PyLD's default document loader fetches with, the first it can import.
_FETCHERS = ("requests", "aiohttp")


def _without_fetchers() -> Any:
    """``pyld.jsonld``, imported (once per process) while the fetchers not already imported
    cannot be: an import that ``sys.modules`` maps to ``None`` raises ``ImportError``, on
    which PyLD falls back to the next loader and, at last, to its refusing one."""
    if "pyld" in sys.modules:
        from pyld import jsonld as imported

        return imported
    kept_out = [name for name in _FETCHERS if name not in sys.modules]
    for name in kept_out:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        from pyld import jsonld as imported
    finally:
        for name in kept_out:
            del sys.modules[name]
    return imported


#: ``pyld.jsonld`` (PyLD has no type hints).
jsonld: Any = _without_fetchers()
