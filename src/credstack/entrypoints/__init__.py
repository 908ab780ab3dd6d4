"""What drives credstack: the web application, the command line and the composition root that
wires them to a store (:mod:`credstack.entrypoints.bootstrap`).

Entrypoints call the use cases in :mod:`credstack.services`; nothing below them imports them.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    #: The installed distribution's version, which the pages, the API description and
    #: ``credstack version`` show (read here rather than from the package's front door, which
    #: imports the entrypoints).
    VERSION: str


@cache
def _version() -> str:
    # Imported here: finding the distribution's metadata costs ``credstack --help``, which
    # imports this package, more than printing the help itself.
    from importlib.metadata import version

    return version("credstack")


def __getattr__(name: str) -> str:
    # VERSION is read when first asked for (PEP 562), not when the package is imported.
    if name == "VERSION":
        return _version()
    raise AttributeError(f"module 'credstack.entrypoints' has no attribute {name!r}")
