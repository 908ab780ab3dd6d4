"""What a public programme page is made of, named cheaply: the key its rendering is cached by.

A programme's page shows its newest published version, its published versions, its provider,
its recognitions, its aligned skills (with the frameworks' labels) and the credit targets it
stacks into; verification keeps the registry's record of an achievement (a published version,
whether it is the newest) by the same key. :func:`page_generation` moves whenever any of them
may have changed: the counts and latest changes of the published versions, the newest version
of any status, the organisations, the recognition decisions,
the alignments, framework imports and label edits (what the search index's store generation
reads, :func:`~credstack.adapters.search.store.store_generation`) and of the published credit
targets — read by every process from the store, in one statement of scalar subqueries (one
round trip, not ten), at most once a second: a version published through this process is
shown by its next request, one published through another within the second.
"""

from __future__ import annotations

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.services import freshness
from credstack.services.runtime import Runtime

__all__ = ["known_page_generation", "page_generation"]


#: The kind the generation is kept under (:mod:`credstack.services.freshness`).
PAGE_GENERATIONS = "programme-pages"


def page_generation(runtime: Runtime) -> tuple[str, ...]:
    """Changes whenever anything a public programme page shows may have changed (except
    time, which the page's recognitions say themselves); read at most once a moment, and
    at once after this process writes (:mod:`credstack.services.freshness`)."""
    return freshness.recent(runtime, PAGE_GENERATIONS, None, lambda: _read(runtime))


def known_page_generation(runtime: Runtime) -> tuple[str, ...] | None:
    """The generation if one read a moment ago still holds (``None``: it must be read)."""
    found = freshness.known(runtime, PAGE_GENERATIONS, None)
    return found if isinstance(found, tuple) else None


def _read(runtime: Runtime) -> tuple[str, ...]:
    with runtime.sessions() as session:
        return programme_store.page_inputs(session)
