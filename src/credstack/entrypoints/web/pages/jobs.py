"""Background jobs as pages: ``/jobs`` and ``/jobs/{id}``.

* ``GET /jobs`` — the jobs the signed-in user may see (the ones they started; an
  organisation's administrators see its jobs too), newest first, with their state and a
  progress bar.
* ``GET /jobs/{id}`` — one job: state, progress (``<progress>`` with the numbers in words),
  attempts, the latest error in the visitor's language, the result and links to what it made.
* ``GET /jobs/{id}/file`` — the file the job made (a zip of PDF certificates), for whoever
  may see the job, kept for a week (:mod:`credstack.services.jobs.files`).

While a job is unfinished, htmx asks for the page's live part again every two seconds (the
request carries ``HX-Request``, and only that part is sent back); the answer that finds the
job finished also fills the page's status region, which stays in place, so that a screen
reader says how it ended. Without JavaScript the "Refresh" link does the same. Nothing here
is cached; every page calls :mod:`credstack.services.jobs` as the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.services import jobs
from credstack.services.jobs import JobView
from credstack.services.jobs import files as job_files

__all__ = ["RESULT_LINKS", "file_response", "router"]

router = APIRouter(include_in_schema=False)

_NO_STORE: Final = {"Cache-Control": "no-store"}
#: How often htmx asks for an unfinished job's state again.
POLL: Final = "every 2s"


def _cohort_links(view: JobView) -> list[tuple[str, str]]:
    result = view.result or {}
    programme, batch = result.get("programme_id"), result.get("batch")
    links = [("jobs.programme", f"/programmes/{programme}")] if programme else []
    if view.organisation and batch:
        # What the job made: its batch in the organisation's list of credentials.
        links.append(("jobs.credentials", f"/workspace/{quote(view.organisation)}/credentials?"
                                          f"{urlencode({'batch': batch})}"))
    return links


def _file_links(view: JobView) -> list[tuple[str, str]]:
    """The file the job made, and the batch it was made from."""
    links = [("jobs.download", f"/jobs/{quote(view.public_id)}/file")]
    batch = (view.result or {}).get("batch")
    if view.organisation and batch:
        links.append(("jobs.credentials", f"/workspace/{quote(view.organisation)}/credentials?"
                                          f"{urlencode({'batch': batch})}"))
    return links


def _records_links(view: JobView) -> list[tuple[str, str]]:
    """The organisation's records, which an import changed (or, checked only, did not)."""
    if not view.organisation:
        return []
    checked = (view.result or {}).get("dry_run") is True
    return [("jobs.records_checked" if checked else "jobs.records",
             f"/workspace/{quote(view.organisation)}/records")]


#: What a kind's result links to, as (message key, address) pairs, once it succeeded (the
#: pages that download a job's results add theirs here).
RESULT_LINKS: dict[str, Callable[[JobView], list[tuple[str, str]]]] = {
    "cohort.issue": _cohort_links,
    "credentials.pdf_zip": _file_links,
    "registrar.import": _records_links,
}
#: The kinds whose links are offered when the job failed too (a refused import: back to
#: the records, which it left as they were).
LINKED_WHEN_FAILED: Final = frozenset({"registrar.import"})
#: The result's fields a page shows, in order (others are in the JSON).
RESULT_FIELDS: Final = ("batch", "learners", "issued", "reused", "keys", "credentials",
                        "included", "left_out", "language", "programmes", "terms", "seconds",
                        "sent", "students", "results", "created", "updated", "unchanged")

#: htmx stops polling when it is answered with this status.
STOP_POLLING: Final = 286

JobId = Path(max_length=64, description="The job's id.")


def _page(request: Request, template: str, *, live: bool, **context: object) -> HTMLResponse:
    """The page, or only its live part (``_<template>``) when htmx polls; a poll of a part
    that will not change again stops the polling."""
    polled = request.headers.get("HX-Request") == "true"
    response = render(request, f"_{template}" if polled else template, section="jobs",
                      status_code=STOP_POLLING if polled and not live else 200,
                      live=live, polled=polled, poll=POLL, **context)
    response.headers.update(_NO_STORE)
    return response


@router.get("/jobs", response_class=HTMLResponse)
def job_list(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    listed = jobs.jobs(runtime, actor=access)
    return _page(request, "jobs.html", jobs=listed,
                 live=any(not item.finished for item in listed))


@router.get("/jobs/{public_id}", response_class=HTMLResponse)
def job_page(request: Request, runtime: RuntimeDep, access: WebUserDep,
             public_id: str = JobId) -> Response:
    found = jobs.job(runtime, actor=access, public_id=public_id)
    linker = RESULT_LINKS.get(found.kind)
    linked = found.state == "succeeded" or (found.state == "failed"
                                            and found.kind in LINKED_WHEN_FAILED)
    links = linker(found) if linker is not None and linked else []
    shown = [(name, found.result[name]) for name in RESULT_FIELDS
             if found.result and name in found.result]
    return _page(request, "job.html", job=found, live=not found.finished, links=links,
                 shown=shown, kept_days=job_files.KEPT.days)


@router.get("/jobs/{public_id}/file")
def job_file(runtime: RuntimeDep, access: WebUserDep, public_id: str = JobId) -> Response:
    """The file the job made, streamed part by part."""
    found = job_files.open_file(runtime, actor=access, public_id=public_id)
    return file_response(found)


def file_response(found: job_files.JobFile) -> StreamingResponse:
    """A job's file as a download (never cached, never sniffed as something else)."""
    return StreamingResponse(found.chunks, media_type=found.media_type, headers={
        **_NO_STORE, "X-Content-Type-Options": "nosniff",
        "Content-Length": str(found.size),
        "Content-Disposition": f'attachment; filename="{quote(found.name)}"'})
