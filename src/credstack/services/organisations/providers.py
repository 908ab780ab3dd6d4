"""Organisations as the public registry shows them: providers.

A provider is an organisation with at least one published programme, and its
``programme_count`` counts those only: drafts are not public. The sitemap reads providers in
ranges of ids and keyset pages, never all at once.
"""

from __future__ import annotations

import datetime as dt

from credstack.adapters.db.repositories import organisations as store
from credstack.adapters.db.repositories.organisations import StoredOrganisation
from credstack.services.runtime import Runtime

__all__ = ["count_providers", "get_provider", "list_providers", "provider_dates",
           "provider_ranges"]


def list_providers(runtime: Runtime) -> list[StoredOrganisation]:
    """Organisations with published programmes, by slug."""
    with runtime.transaction() as session:
        return store.list_providers(session)


def get_provider(runtime: Runtime, *, slug: str) -> StoredOrganisation:
    """One organisation, counting its published programmes only (whether it has any or not)."""
    with runtime.transaction() as session:
        return store.get_provider(session, slug=slug)


def count_providers(runtime: Runtime) -> int:
    """How many organisations have a published programme."""
    with runtime.transaction() as session:
        return store.count_providers(session)


def provider_ranges(runtime: Runtime, *, size: int) -> list[tuple[int, dt.datetime]]:
    """The ranges of ``size`` organisation ids that hold providers: (number from 1, last
    change of one of them)."""
    with runtime.transaction() as session:
        return store.provider_id_ranges(session, size=size)


def provider_dates(runtime: Runtime, *, after: int, until: int, limit: int
                   ) -> list[tuple[int, str, dt.datetime]]:
    """(id, slug, last change) of at most ``limit`` providers with ids in ``(after, until]``,
    by id: one keyset page of a sitemap."""
    with runtime.transaction() as session:
        return store.list_provider_dates(session, after=after, until=until, limit=limit)
