"""Programmes and their versions in the store, and whole-file imports.

Rules kept here (and, for immutability, also by a database trigger):

* a programme is keyed by its awarding organisation and its code;
* a published version never changes; storing different descriptors for a programme whose
  newest version is published creates the next version; storing identical descriptors
  changes nothing;
* a draft version may be replaced until it is published;
* an import is one transaction: every record is checked first and any problem leaves the
  store untouched; ``dry_run`` reports what would change and writes nothing.
"""

from __future__ import annotations

from credstack.adapters.db.repositories.programmes.importing import ANALYZE_AFTER as ANALYZE_AFTER
from credstack.adapters.db.repositories.programmes.importing import ImportProgress as ImportProgress
from credstack.adapters.db.repositories.programmes.importing import _no_progress as _no_progress
from credstack.adapters.db.repositories.programmes.importing import (
    import_documents as import_documents,
)
from credstack.adapters.db.repositories.programmes.importing import import_file as import_file
from credstack.adapters.db.repositories.programmes.reading import BATCH as BATCH
from credstack.adapters.db.repositories.programmes.reading import ImportReport as ImportReport
from credstack.adapters.db.repositories.programmes.reading import Page as Page
from credstack.adapters.db.repositories.programmes.reading import ProgrammeChange as ProgrammeChange
from credstack.adapters.db.repositories.programmes.reading import StoredProgramme as StoredProgramme
from credstack.adapters.db.repositories.programmes.reading import StoredVersion as StoredVersion
from credstack.adapters.db.repositories.programmes.reading import (
    _newest_published as _newest_published,
)
from credstack.adapters.db.repositories.programmes.reading import _version as _version
from credstack.adapters.db.repositories.programmes.reading import count_published as count_published
from credstack.adapters.db.repositories.programmes.reading import (
    export_documents as export_documents,
)
from credstack.adapters.db.repositories.programmes.reading import find_programme as find_programme
from credstack.adapters.db.repositories.programmes.reading import get_programme as get_programme
from credstack.adapters.db.repositories.programmes.reading import (
    get_published_programme as get_published_programme,
)
from credstack.adapters.db.repositories.programmes.reading import (
    get_published_programmes as get_published_programmes,
)
from credstack.adapters.db.repositories.programmes.reading import (
    get_published_versions as get_published_versions,
)
from credstack.adapters.db.repositories.programmes.reading import get_version as get_version
from credstack.adapters.db.repositories.programmes.reading import (
    latest_content_hash as latest_content_hash,
)
from credstack.adapters.db.repositories.programmes.reading import list_programmes as list_programmes
from credstack.adapters.db.repositories.programmes.reading import (
    list_published_dates as list_published_dates,
)
from credstack.adapters.db.repositories.programmes.reading import (
    list_published_programmes as list_published_programmes,
)
from credstack.adapters.db.repositories.programmes.reading import list_versions as list_versions
from credstack.adapters.db.repositories.programmes.reading import page_inputs as page_inputs
from credstack.adapters.db.repositories.programmes.reading import (
    published_id_ranges as published_id_ranges,
)
from credstack.adapters.db.repositories.programmes.reading import (
    published_ids as published_ids,
)
from credstack.adapters.db.repositories.programmes.reading import (
    version_row_id as version_row_id,
)
from credstack.adapters.db.repositories.programmes.writing import (
    create_programme as create_programme,
)
from credstack.adapters.db.repositories.programmes.writing import publish_version as publish_version
from credstack.adapters.db.repositories.programmes.writing import (
    update_programme as update_programme,
)
from credstack.core.programmes import Change as Change
from credstack.core.programmes import Status as Status
