"""What a public programme page is made of, named cheaply: the key its rendering is cached by.

A programme's page shows its newest published version, its published versions, its
recognitions, its aligned skills, its provider and the credit targets it stacks into. All but
the last move the store's generation as the search index reads it
(:func:`~credstack.adapters.search.store.store_generation`: published versions, organisations,
recognition decisions, alignments); the credit targets add their own stamp. A few aggregate
queries, read by every process from the store — so a version published through another
server process is never answered from an older page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from credstack.adapters.db.tables.creditbank import CreditTargetRow
from credstack.adapters.search.store import store_generation
from credstack.services.runtime import Runtime

__all__ = ["page_generation"]


def page_generation(runtime: Runtime) -> tuple[Any, ...]:
    """Changes whenever anything a public programme page shows may have changed (except
    time, which the page's recognitions say themselves)."""
    with runtime.sessions() as session:
        generation = store_generation(session)
        targets = session.execute(
            select(func.count(), func.max(CreditTargetRow.created_at),
                   func.sum(CreditTargetRow.version))
            .where(CreditTargetRow.published.is_(True))).one()
    return (*generation, *(str(value) for value in targets))
