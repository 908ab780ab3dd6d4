"""The platform's figures by month, read from the counters the events keep
(:mod:`credstack.core.console.figures` says which event counts where; the audit log raises
them in the event's transaction). Reading never counts events: a year of figures is at most
a few hundred rows, whatever the number of credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from credstack.adapters.db.repositories import platform_counters as store
from credstack.core.access import Actor
from credstack.core.console.figures import FIGURES
from credstack.core.figures import Glance, Month, Series, glance, monthly_series
from credstack.services import counting
from credstack.services.console.operators import require_operator
from credstack.services.runtime import Runtime

__all__ = ["PlatformFigures", "platform_figures"]


@dataclass(frozen=True, slots=True)
class PlatformFigures:
    """Each figure's count per month from ``first`` to ``last``, and over all time."""

    first: Month
    last: Month
    counts: Mapping[str, Mapping[Month, int]]
    totals: Mapping[str, int]

    def series(self, labels: Mapping[str, str]) -> list[Series]:
        """One series per figure, in :data:`FIGURES`' order, labelled by ``labels``."""
        return [monthly_series(figure, labels.get(figure, figure), self.counts[figure],
                               first=self.first, last=self.last) for figure in FIGURES]

    def glances(self, figures: Sequence[str]) -> list[Glance]:
        """``figures`` at a glance: each one in the last month beside the month before, and
        its total."""
        return [glance(figure, self.counts[figure], month=self.last, total=self.totals[figure])
                for figure in figures]


def platform_figures(runtime: Runtime, *, actor: Actor, months: int = 12) -> PlatformFigures:
    """The last ``months`` months (this one included) of every figure."""
    require_operator(actor, action="figures.read")
    last = Month.of(runtime.now().date())
    first = last.minus(max(1, min(months, 120)) - 1)
    counting.flush(runtime)  # the verifications this process saw, not yet written
    with runtime.transaction() as session:
        found = store.counters(session, first=str(first), last=str(last))
        totals = store.totals(session)
    counts: dict[str, dict[Month, int]] = {figure: {} for figure in FIGURES}
    for (figure, month), count in found.items():
        if figure in counts:
            counts[figure][Month.parse(month)] = count
    return PlatformFigures(first, last, counts,
                           {figure: totals.get(figure, 0) for figure in FIGURES})
