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

from credstack.core.descriptors.interchange.documents import Documents as Documents
from credstack.core.descriptors.interchange.documents import Format as Format
from credstack.core.descriptors.interchange.exchange import (
    default_achievement_id as default_achievement_id,
)
from credstack.core.descriptors.interchange.exchange import exchange_format as exchange_format
from credstack.core.descriptors.interchange.exchange import write_achievements as write_achievements
from credstack.core.descriptors.interchange.problems import (
    describe_validation_errors as describe_validation_errors,
)
from credstack.core.descriptors.interchange.problems import (
    field_names as field_names,
)
from credstack.core.descriptors.interchange.problems import format_path as format_path
from credstack.core.descriptors.interchange.reading import MAX_INPUT_BYTES as MAX_INPUT_BYTES
from credstack.core.descriptors.interchange.reading import parse_organisation as parse_organisation
from credstack.core.descriptors.interchange.reading import parse_programme as parse_programme
from credstack.core.descriptors.interchange.reading import read_documents as read_documents
from credstack.core.descriptors.interchange.writing import write_documents as write_documents

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
