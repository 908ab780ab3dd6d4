"""The ``lti.awards`` job: a course link's roster and results read from the LMS and its
credential issued to the learners who meet the rule (:func:`credstack.services.lti.sync`,
idempotent and resumable). Started when a learner launches the link (at most once a
minute per link, by its key), every hour by the worker for every launched link, and when an
instructor or an issuer asks to issue now (and when a learner who met the rule without an
address links their account).

A run asked for now is not dropped when it cannot issue: when another run holds the link,
it fails as a conflict and the job runner queues it again after a back-off (as it does when
the organisation's issuing key is unavailable: :func:`credstack.services.lti.sync`), so
that the grades it was asked to read are read after the run before it."""

from __future__ import annotations

from typing import Any, Final

from credstack.core.access import Action, Actor, Operator
from credstack.errors import ConflictError, InputError, Problem
from credstack.services import lti
from credstack.services.jobs import JobContext, JobView, handler, start
from credstack.services.runtime import Runtime

__all__ = ["LTI", "awards", "check_awards", "start_awards", "start_hourly", "start_on_launch"]

#: Who issues for launches and the schedule (the audit log's ``cli:lti``).
LTI: Final = Operator("lti")
KIND: Final = "lti.awards"


def check_awards(runtime: Runtime, payload: dict[str, Any], organisation: str | None) -> None:
    """An awards job names a ``link`` of ``organisation``."""
    link = payload.get("link")
    if not isinstance(link, str) or lti.link_organisation(runtime, link=link) != organisation:
        raise InputError(code="jobs.refused.other_link",
                         problems=[Problem("payload.link", "a course link of the organisation")])


@handler(KIND, action=Action.CREDENTIAL_ISSUE, check=check_awards)
def awards(runtime: Runtime, context: JobContext) -> dict[str, Any]:
    """Read the link's roster and results, issue to those who passed (``link``)."""
    done = lti.sync(runtime, actor=context.actor, link=context.payload["link"])
    if done.skipped and context.payload.get("now"):
        # A conflict: the runner tries it again later (see the module).
        raise ConflictError(code="jobs.refused.awards_running")
    return {"link": context.payload["link"], "learners": done.learners, "issued": done.issued,
            "pending": done.pending, "blocked": done.blocked, "lowered": done.lowered,
            "skipped": done.skipped}


def start_awards(runtime: Runtime, *, link: str, key: str, actor: Actor = LTI,
                 now: bool = False) -> JobView:
    """Start the awards job of ``link`` (once per ``key``); ``now`` for a run someone asked
    for, which is tried again rather than dropped when it cannot run (see the module)."""
    organisation = lti.link_organisation(runtime, link=link)
    payload: dict[str, Any] = {"link": link, **({"now": True} if now else {})}
    return start(runtime, actor=actor, kind=KIND, payload=payload,
                 organisation=organisation, key=f"{KIND}:{link}:{key}")


def start_on_launch(runtime: Runtime, *, link: str) -> None:
    """Start the awards job of ``link`` a launch asks for: once a minute, by the job's key —
    and remembered by the runtime too, so that a class launching at once does not ask the
    job queue (a transaction and the link's organisation read) each time."""
    minute = runtime.now().strftime("%Y-%m-%dT%H:%M")
    started: dict[str, str] = runtime.caches.setdefault("lti.awards.launched", {})
    if started.get(link) != minute:
        start_awards(runtime, link=link, key=f"launch:{minute}")
        started[link] = minute


def start_hourly(runtime: Runtime) -> list[str]:
    """This hour's awards job of every launched link; their ids."""
    hour = runtime.now().strftime("%Y-%m-%dT%H")
    return [start_awards(runtime, link=link, key=hour).public_id
            for link, _ in lti.all_links(runtime)]
