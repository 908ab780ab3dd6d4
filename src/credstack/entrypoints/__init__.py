"""What drives credstack: the web application, the command line and the composition root that
wires them to a store (:mod:`credstack.entrypoints.bootstrap`).

Entrypoints call the use cases in :mod:`credstack.services`; nothing below them imports them.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Final

#: The installed distribution's version, which the pages, the API description and
#: ``credstack version`` show (read here rather than from the package's front door, which
#: imports the entrypoints).
VERSION: Final = version("credstack")
