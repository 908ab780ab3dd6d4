"""Background jobs over HTTP: ``GET /api/jobs``, ``GET /api/jobs/{id}`` and
``GET /api/jobs/{id}/file`` (the file a job made, such as a zip of PDF certificates).

A job is read by whoever started it (with the session or any of their API clients' tokens)
and by the administrators of its organisation; ``?organisation=`` narrows the list to one
organisation. Jobs are started by the pages and services that need them (issuing to a
cohort, …); their answers say where to follow the job: ``/api/jobs/{id}`` and ``/jobs/{id}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import failure_said
from credstack.entrypoints.web.pages.jobs import file_response
from credstack.services import jobs
from credstack.services.jobs import files as job_files

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

_NO_STORE: Final = {"Cache-Control": "no-store"}


def _shown(view: jobs.JobView) -> dict[str, Any]:
    """The job as JSON with its latest error in English and Japanese (``errors``) and both
    together (``error``, ``"English / 日本語"``); None for a job that has not failed."""
    errors = ({language: failure_said(view.failure, language) for language in ("en", "ja")}
              if view.failure is not None else None)
    return {**view.to_dict(), "error": f"{errors['en']} / {errors['ja']}" if errors else None,
            "errors": errors}


@router.get("", summary="The jobs the caller may see, newest first")
def list_jobs(runtime: RuntimeDep, access: AccessDep,
              organisation: Annotated[str | None, Query(max_length=64)] = None
              ) -> JSONResponse:
    """The caller's jobs and, for an organisation's administrators, its jobs: state,
    progress (``done`` of ``total``), attempts, the latest error in English and Japanese,
    and the result once it succeeded."""
    found = jobs.jobs(runtime, actor=access, organisation=organisation or None)
    return JSONResponse({"items": [_shown(item) for item in found]}, headers=_NO_STORE)


@router.get("/{public_id}", summary="One job: its state, progress, error and result")
def read_job(runtime: RuntimeDep, access: AccessDep,
             public_id: Annotated[str, Path(max_length=64, description="The job's id.")]
             ) -> JSONResponse:
    found = jobs.job(runtime, actor=access, public_id=public_id)
    return JSONResponse(_shown(found), headers=_NO_STORE)


@router.get("/{public_id}/file", summary="The file a job made (kept for a week)",
            response_class=Response)
def read_job_file(runtime: RuntimeDep, access: AccessDep,
                  public_id: Annotated[str, Path(max_length=64, description="The job's id.")]
                  ) -> Response:
    """The file a finished job made (``result.file`` names it), streamed; 404 before the job
    succeeded and after the file was forgotten."""
    return file_response(job_files.open_file(runtime, actor=access, public_id=public_id))
