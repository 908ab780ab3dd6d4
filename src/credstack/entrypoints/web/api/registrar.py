"""The registrar's academic records as a JSON API (issue 56) over
:mod:`credstack.services.registrar`.

* ``GET /api/registrar/template.csv`` — the import file's columns and an example row
  (UTF-8 with a byte order mark, which spreadsheet programs read as UTF-8);
* ``POST /api/registrar/{organisation}/records`` — import, all or nothing: a CSV export as
  the body (``Content-Type: text/csv; charset=shift_jis``, cp932 or utf-8, or
  ``?encoding=``; without either, UTF-8 or else CP932) or JSON ``{"students": [...]}``
  (each the CSV's student columns and ``results``, a list of the course columns), or a
  1EdTech OneRoster 1.2 CSV roster as a zip (``Content-Type: application/zip``);
  ``?dry_run=true`` writes nothing. 200 with the counts; 422 ``invalid-academic-records``
  naming every bad row and column (``records:write``). With ``?async=true`` or ``Prefer:
  respond-async`` the body is staged in the store as it arrives and imported by a
  background job: 202 with the job (``GET /api/jobs/{id}``, its ``Location``), whose result
  is the counts, or whose error names every bad row;
* ``GET /api/registrar/{organisation}/students/{number}`` — a student's record, GPA and
  history (``records:read``);
* ``GET /api/registrar/{organisation}/students/{number}/degree-edc.json?lang=ja|en`` — the
  degree as a sealed European Digital Credential, an ELM v3 qualification with the Diploma
  Supplement's fields (``records:read`` or ``credentials:read``; 404 before the degree is
  issued, 409 once withdrawn).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Final, Literal

from anyio import from_thread
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import InputTooLargeError
from credstack.services.background.handlers import start_records_import
from credstack.services.registrar import elm, importing, records

router = APIRouter(tags=["registrar"])

_NO_STORE: Final = {"Cache-Control": "no-store"}
#: The import's address, which takes bodies up to the import's limit (512 MiB).
IMPORT_PATH: Final = re.compile(r"/api/registrar/[^/]+/records")
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Number = Annotated[str, Path(pattern=r"^[0-9A-Za-z][0-9A-Za-z-]{0,19}$")]


@router.get("/api/registrar/template.csv", summary="The academic records import template")
def template() -> Response:
    return Response("\ufeff" + records.template(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             'attachment; filename="academic-records-template.csv"'})


@router.post("/api/registrar/{organisation}/records", summary="Import academic records",
             responses={202: {"description": "Accepted (``?async=true`` or ``Prefer: "
                                             "respond-async``): the import's job, at "
                                             "``Location``."}})
async def import_records(
    request: Request, organisation: Slug, runtime: RuntimeDep, access: AccessDep,
    encoding: Annotated[str | None, Query(max_length=20)] = None,
    dry_run: bool = False,
    in_background: Annotated[bool, Query(
        alias="async", description="Import in a background job: 202 with its URL.")] = False,
) -> JSONResponse:
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/zip", "application/x-zip-compressed")):
        form = "roster"
    elif kind.startswith("application/json"):
        form = "json"
    else:
        form = "csv"
        charset = kind.partition("charset=")[2]
        encoding = encoding or charset.strip(' "') or None
    source = "request body"
    if in_background or _prefers_async(request):
        job = await run_in_threadpool(
            start_records_import, runtime, actor=access, organisation=organisation,
            chunks=_StreamedBody(request), form=form, source=source, encoding=encoding,
            dry_run=dry_run)
        url = f"/api/jobs/{job.public_id}"
        return JSONResponse({**job.to_dict(), "url": url}, status_code=202,
                            headers={"Location": url, "Preference-Applied": "respond-async",
                                     **_NO_STORE})
    body = await request.body()
    if len(body) > importing.MAX_IMPORT_BYTES:
        raise InputTooLargeError(code="registrar.import.fault.too_large",
                                 params={"limit": importing.MAX_IMPORT_BYTES // 2**20})
    done = await run_in_threadpool(importing.import_body, runtime, actor=access,
                                   organisation=organisation, data=body, form=form,
                                   encoding=encoding, source=source, dry_run=dry_run)
    return JSONResponse(done.to_dict(), headers=_NO_STORE)


def _prefers_async(request: Request) -> bool:
    """Whether the client asked ``Prefer: respond-async`` (RFC 7240)."""
    return any(item.split(";")[0].strip().lower() == "respond-async"
               for header in request.headers.getlist("prefer") for item in header.split(","))


class _StreamedBody:
    """The request's body, read as it arrives, chunk by chunk, from the worker thread that
    stages it (refused past the import's limit)."""

    def __init__(self, request: Request) -> None:
        self._stream = request.stream().__aiter__()
        self._read = 0

    async def _next(self) -> bytes:
        return await self._stream.__anext__()

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                chunk = from_thread.run(self._next)
            except StopAsyncIteration:
                return
            self._read += len(chunk)
            if self._read > importing.MAX_IMPORT_BYTES:
                raise InputTooLargeError(code="registrar.import.fault.too_large",
                                         params={"limit": importing.MAX_IMPORT_BYTES // 2**20})
            if chunk:
                yield chunk


@router.get("/api/registrar/{organisation}/students/{number}",
            summary="A student's academic record")
def read_student(organisation: Slug, number: Number, runtime: RuntimeDep,
                 access: AccessDep) -> JSONResponse:
    found = records.student_record(runtime, actor=access, organisation=organisation,
                                   number=number)
    return JSONResponse(found.to_dict(), headers=_NO_STORE)


@router.get("/api/registrar/{organisation}/students/{number}/degree-edc.json",
            response_class=Response,
            summary="The degree as a sealed European Digital Credential (ELM v3)",
            responses={200: {"content": {"application/json": {}},
                             "description": "A JAdES-B seal (JWS JSON serialisation)."}})
async def degree_edc(organisation: Slug, number: Number, runtime: RuntimeDep,
                     access: AccessDep,
                     lang: Annotated[Literal["ja", "en"], Query(
                         description="The primary language.")] = "ja") -> Response:
    made = await run_in_threadpool(elm.degree_edc_file, runtime, actor=access,
                                   organisation=organisation, number=number, language=lang)
    return Response(made.data, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"', **_NO_STORE})
