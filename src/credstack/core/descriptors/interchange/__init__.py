"""Reading and writing descriptor documents as YAML, JSON and CSV.

Everything here works on text already in memory (the CLI and web adapters do the file and
network I/O and enforce size limits first). Reading is all-or-nothing: every bad record is
reported — by position, line or row and column — and a file with any bad record yields no
documents at all, so that an import never half-happens.

File shapes accepted (YAML and JSON alike):

* one programme: a mapping with ``code``;
* a list of programmes;
* a bundle: ``{"organisations": [...], "programmes": [...]}``.

CSV holds programmes only, one per row; a column is a descriptor path with list indices and
language tags, e.g. ``title.ja``, ``learner_effort.hours``,
``learning_outcomes[0].statement.en``; an empty cell is an absent value.

Two exchange formats are JSON with a standard's shape (``.jsonld`` or ``.json`` files):

* ``ctdl`` — CTDL JSON-LD as the Credential Registry publishes it: a ``"@graph"`` of
  credential (or learning opportunity) and organisation nodes, or one node
  (:mod:`credstack.core.descriptors.ctdl`). A record is a node of the graph, named
  ``record 3 (@graph[2])``; nodes of other classes are passed over.
* ``ob3`` — Open Badges 3.0 ``Achievement`` objects: a list of them, or one (an
  ``OpenBadgeCredential`` is read as the achievement it awards). Achievements carry
  programmes only: their organisations must already be known where they are imported.

A JSON file whose content has the shape of either (a CTDL ``@context``, ``@graph`` or
``ceterms:`` keys; an OB 3.0 ``type``) is read as that format: descriptor documents never
have such keys, so the guess cannot misread one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from credstack.core.descriptors.interchange.documents import Documents, Format
    from credstack.core.descriptors.interchange.exchange import (
        default_achievement_id,
        exchange_format,
        write_achievements,
    )
    from credstack.core.descriptors.interchange.problems import (
        describe_validation_errors,
        field_names,
        format_path,
    )
    from credstack.core.descriptors.interchange.reading import MAX_INPUT_BYTES, read_documents
    from credstack.core.descriptors.interchange.records import (
        parse_organisation,
        parse_programme,
    )
    from credstack.core.descriptors.interchange.writing import write_documents

#: Each name this package offers and the module that defines it, imported on first use
#: (PEP 562): reading one decoded programme (``credstack verify``'s meaning check) needs
#: neither the file formats' readers nor the OB 3.0 and CTDL exchange.
_HOMES = {
    "Documents": "documents", "Format": "documents",
    "default_achievement_id": "exchange", "exchange_format": "exchange",
    "write_achievements": "exchange",
    "describe_validation_errors": "problems", "field_names": "problems",
    "format_path": "problems",
    "MAX_INPUT_BYTES": "reading", "read_documents": "reading",
    "parse_organisation": "records", "parse_programme": "records",
    "write_documents": "writing",
}

__all__ = [
    "MAX_INPUT_BYTES",
    "Documents",
    "Format",
    "default_achievement_id",
    "describe_validation_errors",
    "exchange_format",
    "field_names",
    "format_path",
    "parse_organisation",
    "parse_programme",
    "read_documents",
    "write_achievements",
    "write_documents",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
