"""What the programme services return, read-only: a stored programme with its newest (or
newest published) version, one version, a keyset page of programmes, an import's report.

They are the store's frozen dataclasses, named here so that the web and the console import
them from the services; the words for a version's status and for what a change did are the
core's (:mod:`credstack.core.programmes`).
"""

from __future__ import annotations

from credstack.adapters.db.repositories.programmes import (
    ImportProgress,
    ImportReport,
    Page,
    ProgrammeChange,
    StoredProgramme,
    StoredVersion,
)
from credstack.core.programmes import Change, Status

__all__ = ["Change", "ImportProgress", "ImportReport", "Page", "ProgrammeChange", "Status",
           "StoredProgramme", "StoredVersion"]
