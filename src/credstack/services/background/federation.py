"""The ``federation.refresh`` job: every imported registry and every intermediate's providers
read again before their statements lapse (:func:`credstack.services.federation.refresh.
refresh_all`). The worker starts it every six hours (at 55 minutes past 00, 06, 12 and 18
UTC), once per period whichever worker starts it, by its key."""

from __future__ import annotations

from typing import Any, Final

from credstack.core.access import Action, Actor
from credstack.services.federation import refresh_all
from credstack.services.jobs import JobContext, handler, start
from credstack.services.runtime import Runtime

__all__ = ["KIND", "refresh", "start_refresh"]

KIND: Final = "federation.refresh"


@handler(KIND, action=Action.KEYS_MANAGE)
def refresh(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Refresh every source; what came of each (a refusal leaves the source as it was and
    is recorded on it: the job itself succeeds)."""
    done = refresh_all(runtime, actor=context.actor)
    return {"refreshed": [item.url for item in done if not item.refusal and not item.skipped],
            "refused": {item.url: item.refusal.reason for item in done if item.refusal},
            "skipped": [item.url for item in done if item.skipped],
            "stopped": {item.url: item.stopped for item in done if item.stopped}}


def start_refresh(runtime: Runtime, *, actor: Actor) -> str:
    """This period's refresh job (once per six hours, by its key); its id."""
    now = runtime.now()
    period = f"{now:%Y-%m-%d}T{now.hour - now.hour % 6:02d}"
    return start(runtime, actor=actor, kind=KIND, payload={"period": period},
                 organisation=None, key=f"{KIND}:{period}").public_id
