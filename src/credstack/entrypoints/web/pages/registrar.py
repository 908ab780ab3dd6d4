"""The registrar's academic records in an organisation's workspace (issue 56):

* ``/workspace/{slug}/records?q=&standing=&page=`` — the records in figures (students, of
  each standing, mean and median GPA, versions kept), the form that imports an export (a
  CSV file chosen, its encoding, "check only"), and the records by 学籍番号, searched by
  number or name and filtered by standing, fifty a page;
* ``POST /workspace/{slug}/records/import`` — the import: checked whole, then written
  whole. A file of up to :data:`AT_ONCE_BYTES` is imported in the request: the answer says
  what it did (new, changed, unchanged) or, when a row is refused, each bad row with its
  column and why (422), nothing written. A larger one (a whole university's export, up to
  512 MiB: 16 s of CPU for 20,000 students) is staged in the store and imported by a
  background job, whose page (``/jobs/{id}``, 303) follows it and ends with the counts and
  a link back to the records, or every bad row and nothing written. "Check only" says what
  an import would do and writes nothing, either way;
* ``/workspace/{slug}/records/{number}`` — one record: the student, the programme of study,
  the standing, the GPA by its rule and the credits earned, the results by term, and the
  versions re-imports replaced.

Plain forms: nothing here needs JavaScript. The words are the catalogues' (``registrar.*``);
the problems' are the codes the import names (``registrar.import.fault.*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Final

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.core import vocabularies
from credstack.core.registrar.grades import STANDARD_RULE
from credstack.core.registrar.records import CourseResult, Standing
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, see_other
from credstack.errors import InputError, InputTooLargeError, RecordImportError
from credstack.services.background.handlers import start_records_import
from credstack.services.registrar import importing, records
from credstack.services.registrar.importing import Imported
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Number = Annotated[str, Path(pattern=r"^[0-9A-Za-z][0-9A-Za-z-]{0,19}$")]
#: The import's address, which takes uploads up to the import's limit (512 MiB).
IMPORT_PATH: Final = re.compile(r"/workspace/[^/]+/records/import")
#: The largest file imported in the request; a larger one is imported by a job. A small
#: file's answer on the same page, in well under a second, is simpler to read and to test
#: than a job's page; the size of a class or a faculty's export is far below it.
AT_ONCE_BYTES: Final = 1024 * 1024
#: The size of what is read from the upload at once while it is staged.
STAGED_CHUNK: Final = 1024 * 1024
#: The encodings the form offers ("" tells UTF-8 from CP932, as the import does).
ENCODINGS: Final = ("", "utf-8", "shift_jis", "cp932")


def _frame(runtime: Runtime, access: Access, slug: str) -> dict[str, Any]:
    found = home.home(runtime, actor=access, slug=slug)
    return {"slug": slug, "home": found, "sections": found.sections, "here": "records",
            "standings": [standing.value for standing in Standing],
            "encodings": ENCODINGS, "Standing": Standing}


def records_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 text: str = "", standing: str = "", page_number: int = 1,
                 status_code: int = 200, **context: Any) -> HTMLResponse:
    frame = _frame(runtime, access, slug)
    chosen = Standing(standing) if standing in frame["standings"] else None
    listed = records.student_list(runtime, actor=access, organisation=slug, text=text,
                                  standing=chosen, page=page_number)
    figures = records.figures(runtime, actor=access, organisation=slug)
    pages = max(1, -(-listed.total // listed.limit))
    values: dict[str, Any] = {"imported": None, "problem": None, "faults": [],
                              "more_faults": 0, "encoding": "", "dry_run": False, **context}
    return page(request, "registrar_records.html", status_code=status_code, **frame,
                listed=listed, figures=figures, text=text,
                standing=chosen.value if chosen else "", page_number=page_number,
                pages=pages, **values)


@router.get("/workspace/{slug}/records", response_class=HTMLResponse)
def records_list(slug: Slug, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 q: Annotated[str, Query(max_length=100)] = "",
                 standing: Annotated[str, Query(max_length=16)] = "",
                 page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1
                 ) -> Response:
    return records_page(request, runtime, access, slug, text=q, standing=standing,
                        page_number=page_number)


@router.post("/workspace/{slug}/records/import", response_class=HTMLResponse)
async def import_file(slug: Slug, request: Request, runtime: RuntimeDep, access: WebUserDep,
                      file: Annotated[UploadFile | None, File()] = None,
                      encoding: Annotated[str, Form(max_length=20)] = "",
                      dry_run: Annotated[str, Form(max_length=8)] = "") -> Response:
    """The chosen export imported (or, ``dry_run``, checked): the answer names what was
    done, or every bad row and why, with nothing written."""
    language = i18n.negotiate(request).language
    checking = bool(dry_run)
    chosen = encoding if encoding in ENCODINGS else ""
    shown: dict[str, Any] = {"encoding": chosen, "dry_run": checking}
    if file is None or not file.filename:
        return records_page(request, runtime, access, slug, status_code=422,
                            problem=str(i18n.Translator(language)("registrar.page.no_file")),
                            **shown)
    if file.size is None or file.size > AT_ONCE_BYTES:
        return await _start_job(runtime, access, slug, file, encoding=chosen,
                                dry_run=checking)
    data = await file.read(importing.MAX_IMPORT_BYTES + 1)
    try:
        done: Imported = await run_in_threadpool(
            importing.import_csv, runtime, actor=access, organisation=slug, data=data,
            encoding=chosen or None, source=file.filename[:200],
            dry_run=checking)
    except InputError as exc:
        problems = exc.problems if isinstance(exc, RecordImportError) else ()
        count = exc.params.get("count") if exc.params else None
        count = count if isinstance(count, int) else len(problems)
        return records_page(request, runtime, access, slug, status_code=422,
                            problem=said(exc, language),
                            faults=[_fault(problem, language) for problem in problems],
                            more_faults=max(0, count - len(problems)), **shown)
    return records_page(request, runtime, access, slug, imported=done, **shown)


async def _start_job(runtime: Runtime, access: Access, slug: str, file: UploadFile, *,
                     encoding: str, dry_run: bool) -> Response:
    """Stage the upload (spooled to disk by then) part by part and start the import's
    job; go to its page. A file over the import's limit is refused before anything is
    staged."""
    if file.size is not None and file.size > importing.MAX_IMPORT_BYTES:
        raise InputTooLargeError(code="registrar.import.fault.too_large",
                                 params={"limit": importing.MAX_IMPORT_BYTES // 2**20})
    upload = file.file

    def chunks() -> Iterator[bytes]:
        upload.seek(0)
        read = 0
        while chunk := upload.read(STAGED_CHUNK):
            read += len(chunk)
            if read > importing.MAX_IMPORT_BYTES:
                raise InputTooLargeError(code="registrar.import.fault.too_large",
                                         params={"limit": importing.MAX_IMPORT_BYTES // 2**20})
            yield chunk

    job = await run_in_threadpool(
        start_records_import, runtime, actor=access, organisation=slug, chunks=chunks(),
        form="csv", source=(file.filename or "students.csv")[:200], encoding=encoding or None,
        dry_run=dry_run)
    return see_other(f"/jobs/{job.public_id}")


def _fault(problem: Any, language: str) -> dict[str, Any]:
    """A refused row as the page's table shows it: the row, the column, why."""
    params = problem.params or {}
    return {"row": params.get("row", ""), "column": params.get("column", ""),
            "why": problem_said(problem, language, placed=False)}


@router.get("/workspace/{slug}/records/{number}", response_class=HTMLResponse)
def record(slug: Slug, number: Number, request: Request, runtime: RuntimeDep,
           access: WebUserDep) -> Response:
    frame = _frame(runtime, access, slug)
    found = records.student_record(runtime, actor=access, organisation=slug, number=number)
    language = i18n.negotiate(request).language
    return page(request, "registrar_record.html", **frame, record=found,
                terms=_by_term(found.student.results), gpa_rule=STANDARD_RULE.name,
                grade_name=lambda mark: vocabularies.name("registrar-grade", mark, language)
                or mark)


def _by_term(results: Iterable[CourseResult]) -> list[tuple[str, list[CourseResult]]]:
    """The results grouped by term, the terms in the order the export first names them."""
    terms: dict[str, list[CourseResult]] = {}
    for result in results:
        terms.setdefault(result.term, []).append(result)
    return list(terms.items())
