"""The registrar's numbers at a glance, on the credit bank's landing page
(``/workspace/{slug}/creditbank``): the applications for credit transfer submitted into the
organisation's targets, and those approved and refused, this month beside last month, with
their totals."""

from __future__ import annotations

import datetime as dt
from typing import Final

from credstack.adapters.db.repositories import credit_applications as application_store
from credstack.core.access import Action, Actor
from credstack.core.figures import Glance, Month, glance_of_days
from credstack.services.runtime import Runtime

__all__ = ["GLANCE", "registrar_glance"]

#: The figures the registrar's landing page shows at a glance, in its order.
GLANCE: Final = ("submitted", "approved", "refused")


def registrar_glance(runtime: Runtime, *, actor: Actor, organisation: str) -> list[Glance]:
    """The figures of :data:`GLANCE` for ``organisation``, for whoever decides its
    applications (anyone else is refused, and the refusal recorded)."""
    actor.require(Action.CREDITBANK_DECIDE, organisation)
    month = Month.of(runtime.now().date())
    since = dt.datetime.combine(month.minus(1).first_day(), dt.time(), tzinfo=dt.UTC)
    with runtime.sessions() as session:
        found = application_store.figures(session, organisation, since=since)
    return [glance_of_days(key, (moment.date() for moment in found[key][0]), month=month,
                           total=found[key][1]) for key in GLANCE]
