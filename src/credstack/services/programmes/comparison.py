"""Published programmes side by side: the newest published version of each, compared by
:func:`credstack.core.registry.comparison.compare`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from credstack.adapters.db.repositories import programmes as store
from credstack.core.registry.comparison import Comparison, compare
from credstack.errors import NotFoundError, Problem
from credstack.services.programmes.views import StoredProgramme
from credstack.services.runtime import Runtime

__all__ = ["Compared", "compare_programmes"]


@dataclass(frozen=True, slots=True)
class Compared:
    """The programmes asked for that are published, in the order asked, and the ids that are
    not; the comparison when every one was found."""

    programmes: tuple[StoredProgramme, ...]
    missing: tuple[int, ...]
    comparison: Comparison | None

    def complete(self) -> tuple[tuple[StoredProgramme, ...], Comparison]:
        """The programmes and their comparison; :class:`~credstack.errors.NotFoundError`
        naming every id that has no published programme, so that a shared link with one
        stale id says which."""
        if self.comparison is None:
            named = ", ".join(str(i) for i in self.missing)
            raise NotFoundError(
                f"No published programme with id {named}.",
                problems=[Problem("ids", f"{i} is not a published programme")
                          for i in self.missing])
        return self.programmes, self.comparison


def compare_programmes(runtime: Runtime, *, ids: Sequence[int]) -> Compared:
    """The published programmes ``ids`` and, when all of them are, their comparison."""
    with runtime.transaction() as session:
        found = store.get_published_programmes(session, programme_ids=ids)
    stored = tuple(found[i] for i in ids if i in found)
    missing = tuple(i for i in ids if i not in found)
    comparison = None if missing else compare([s.programme for s in stored])
    return Compared(stored, missing, comparison)
