"""The recognition body's numbers at a glance, on the committee's landing page (``/review``):
the applications it received, the decisions it published and the recognitions among them,
this month beside last month, with their totals."""

from __future__ import annotations

import datetime as dt
from typing import Final

from credstack.adapters.db.repositories import review as store
from credstack.core.access import Principal, Role
from credstack.core.figures import Glance, Month, glance_of_days
from credstack.core.review.outcomes import Outcome
from credstack.services.runtime import Runtime

__all__ = ["GLANCE", "body_glance"]

#: The figures the committee's landing page shows at a glance, in its order.
GLANCE: Final = ("received", "decided", "recognised")


def body_glance(runtime: Runtime, *, principal: Principal) -> list[Glance]:
    """The figures of :data:`GLANCE` over the recognition bodies whose committee
    ``principal`` sits on (none for anyone else: evaluators see only what they are given)."""
    bodies = sorted(principal.organisations(Role.COMMITTEE_MEMBER))
    if not bodies:
        return []
    month = Month.of(runtime.now().date())
    since = dt.datetime.combine(month.minus(1).first_day(), dt.time(), tzinfo=dt.UTC)
    with runtime.transaction() as session:
        found = store.body_figures(session, bodies=bodies, since=since, granting=[
            outcome.value for outcome in Outcome if outcome.grants_recognition])
    return [glance_of_days(key, (moment.date() for moment in found[key][0]), month=month,
                           total=found[key][1]) for key in GLANCE]
