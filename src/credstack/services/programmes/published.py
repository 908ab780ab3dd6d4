"""What the public sees of programmes: each one's newest published version, never a draft.

The registry's pages, the exchange formats and the badge images read programmes here. A
programme that was never published does not exist for them (:class:`~credstack.errors
.NotFoundError`). Counting every published programme is answered by the runtime's search
index when it keeps one (it holds exactly those, and counts them for free), else by the
store. A search (:func:`credstack.services.registry.service.search`) names the versions the
index holds, which are read back as they are (:func:`published_versions`) so that a result
list stays consistent with the index while a newer version is being published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from credstack.adapters.db.repositories import programmes as store
from credstack.core.programmes import Status
from credstack.core.review.outcomes import RecognitionStatus
from credstack.errors import NotFoundError
from credstack.services import recognitions
from credstack.services.programmes.views import Page, StoredProgramme, StoredVersion
from credstack.services.recognitions import RecognitionRecord
from credstack.services.runtime import Runtime

__all__ = ["PublishedProgramme", "count_published", "programme_page", "published_by_ids",
           "published_dates", "published_programme", "published_programmes",
           "published_ranges", "published_version", "published_versions"]


@dataclass(frozen=True, slots=True)
class PublishedProgramme:
    """A programme's public page: its newest published version, every published version,
    and its recognitions (newest first) with their status when it was read."""

    stored: StoredProgramme
    versions: tuple[StoredVersion, ...]
    recognitions: tuple[tuple[RecognitionRecord, RecognitionStatus], ...]


def count_published(runtime: Runtime) -> int:
    """How many programmes have a published version."""
    if runtime.registry is not None:
        return len(runtime.registry.index)
    with runtime.transaction() as session:
        return store.count_published(session)


def published_programmes(runtime: Runtime, *, organisation: str | None = None,
                         limit: int = 20, after: int | None = None) -> Page:
    """A page of published programmes (of ``organisation``, when given) with their newest
    published version, by id (keyset: ``after`` is the last id of the previous page)."""
    total = count_published(runtime) if organisation is None else None
    with runtime.transaction() as session:
        return store.list_published_programmes(session, organisation=organisation,
                                               limit=limit, after=after, total=total)


def published_programme(runtime: Runtime, *, programme_id: int) -> StoredProgramme:
    """The programme with its newest published version as ``latest``."""
    with runtime.transaction() as session:
        return store.get_published_programme(session, programme_id=programme_id)


def published_by_ids(runtime: Runtime, *, programme_ids: Sequence[int]
                     ) -> dict[int, StoredProgramme]:
    """Those of ``programme_ids`` that are published, by id, with their newest published
    version, read in one query: a form that keeps programmes by id names them by title and
    provider (an id with no published programme is left out)."""
    with runtime.transaction() as session:
        return store.get_published_programmes(session, programme_ids=programme_ids)


def published_version(runtime: Runtime, *, programme_id: int, version: int | None = None
                      ) -> StoredVersion:
    """One published version of a programme, the newest when ``version`` is None (a draft
    is :class:`~credstack.errors.NotFoundError` too)."""
    with runtime.transaction() as session:
        if version is None:
            return store.get_published_programme(session, programme_id=programme_id).latest
        found = store.get_version(session, programme_id=programme_id, version=version)
    if found.status is not Status.PUBLISHED:
        raise NotFoundError(f"Version {version} of programme {programme_id} is not published.")
    return found


def published_versions(runtime: Runtime, *, keys: Sequence[tuple[int, int]]
                       ) -> dict[tuple[int, int], StoredProgramme]:
    """The published versions named by (programme id, version), as search hits name them;
    a key whose version is not (or no longer) published is left out."""
    with runtime.transaction() as session:
        return store.get_published_versions(session, keys=keys)


def programme_page(runtime: Runtime, *, programme_id: int) -> PublishedProgramme:
    """What a programme's public page shows, read in one transaction."""
    now = runtime.now()
    with runtime.transaction() as session:
        stored = store.get_published_programme(session, programme_id=programme_id)
        versions = store.list_versions(session, programme_id=programme_id)
        found = recognitions.recognitions_for_programme(session, programme_id)
    return PublishedProgramme(
        stored, tuple(v for v in versions if v.status is Status.PUBLISHED),
        tuple((record, record.status(now)) for record in found))


def published_ranges(runtime: Runtime, *, size: int) -> list[tuple[int, dt.datetime]]:
    """The ranges of ``size`` ids that hold published programmes: (number from 1, newest
    publication among them)."""
    with runtime.transaction() as session:
        return store.published_id_ranges(session, size=size)


def published_dates(runtime: Runtime, *, after: int, until: int, limit: int
                    ) -> list[tuple[int, dt.datetime]]:
    """(id, newest publication) of at most ``limit`` published programmes with ids in
    ``(after, until]``, by id: one keyset page of a sitemap."""
    with runtime.transaction() as session:
        return store.list_published_dates(session, after=after, until=until, limit=limit)
