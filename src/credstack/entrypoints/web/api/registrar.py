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
  naming every bad row and column (``records:write``);
* ``GET /api/registrar/{organisation}/students/{number}`` — a student's record, GPA and
  history (``records:read``);
* ``GET /api/registrar/{organisation}/students/{number}/degree-edc.json?lang=ja|en`` — the
  degree as a sealed European Digital Credential, an ELM v3 qualification with the Diploma
  Supplement's fields (``records:read`` or ``credentials:read``; 404 before the degree is
  issued, 409 once withdrawn).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import InputError
from credstack.services.registrar import elm, importing, records

router = APIRouter(tags=["registrar"])

_NO_STORE: Final = {"Cache-Control": "no-store"}
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Number = Annotated[str, Path(pattern=r"^[0-9A-Za-z][0-9A-Za-z-]{0,19}$")]


@router.get("/api/registrar/template.csv", summary="The academic records import template")
def template() -> Response:
    return Response("\ufeff" + records.template(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             'attachment; filename="academic-records-template.csv"'})


@router.post("/api/registrar/{organisation}/records", summary="Import academic records")
async def import_records(
    request: Request, organisation: Slug, runtime: RuntimeDep, access: AccessDep,
    encoding: Annotated[str | None, Query(max_length=20)] = None,
    dry_run: bool = False,
) -> JSONResponse:
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/zip", "application/x-zip-compressed")):
        files = await run_in_threadpool(importing.roster_zip, body)
        done = await run_in_threadpool(importing.import_roster, runtime, actor=access,
                                       organisation=organisation, files=files,
                                       source="request body", dry_run=dry_run)
    elif kind.startswith("application/json"):
        try:
            document: Any = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise InputError(code="registrar.import.fault.json",
                             params={"why": str(exc)}) from exc
        students = document.get("students") if isinstance(document, dict) else None
        if not isinstance(students, list):
            raise InputError(code="registrar.import.fault.not_object",
                             params={"row": "students"})
        done = await run_in_threadpool(importing.import_students, runtime, actor=access,
                                       organisation=organisation, students=students,
                                       dry_run=dry_run)
    else:
        charset = request.headers.get("content-type", "").partition("charset=")[2]
        done = await run_in_threadpool(importing.import_csv, runtime, actor=access,
                                       organisation=organisation, data=body,
                                       encoding=encoding or charset.strip(' "') or None,
                                       source="request body",
                                       dry_run=dry_run)
    return JSONResponse(done.to_dict(), headers=_NO_STORE)


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
