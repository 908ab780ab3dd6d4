"""The timeline (``GET /wallet``) and the import form (``POST /wallet/import``).

The timeline is the learner's record, newest first, with what the verified credentials add
up to, filtered by a tag or a collection (a plain ``GET`` form). The import form takes a file
(JSON, a VC-JWT, a baked PNG or SVG badge, a signed PDF), pasted text or a URL; the service
verifies and keeps it (:func:`~credstack.services.wallet.credentials.import_credential`) and
the learner is taken to the credential's page. What the wallet refuses — somebody else's
credential, something that is not a credential, a file too large — comes back as the same
page with the reason next to the form, 422 (413 when too large), the pasted text and the
address still in their fields.

The import reads its own form, with the wallet's limits (a file up to
:data:`~credstack.services.wallet.credentials.MAX_IMPORT_BYTES`, which
:class:`~credstack.entrypoints.web.limits.BodySizeLimit` lets through on this path), and checks
the CSRF token in it afterwards (:func:`~credstack.entrypoints.web.access.access_of`). A body
declared larger than that is answered from its length, unread.
"""

from __future__ import annotations

from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access, access_of, credentials
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep, web_user
from credstack.entrypoints.web.pages.wallet.views import (
    FormProblem,
    credit_system_name,
    credit_text,
    import_problem,
    page,
    row_of,
    see_other,
    size_text,
)
from credstack.errors import CredstackError, InputTooLargeError
from credstack.services.runtime import Runtime
from credstack.services.wallet import collections
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import timeline as timelines
from credstack.services.wallet.credentials import MAX_IMPORT_BYTES, Imported

router = APIRouter(include_in_schema=False)

#: The largest import body: the file and the multipart envelope around it.
IMPORT_BODY_BYTES: Final = MAX_IMPORT_BYTES + 64 * 1024
#: The form's fields: the CSRF token, the file, the pasted text, the URL, the button.
_MAX_FIELDS: Final = 6
#: What ``/wallet?done=…`` may announce.
DONE: Final = frozenset({"deleted"})


def _page_url(number: int, *, tag: str | None, collection: str | None) -> str:
    query = {name: value for name, value in (("tag", tag), ("collection", collection),
                                            ("page", str(number) if number > 1 else None))
             if value}
    return "/wallet" + (f"?{urlencode(query)}" if query else "")


def record_page(request: Request, runtime: Runtime, access: Access, *,
                tag: str | None = None, collection: str | None = None, status_code: int = 200,
                problem: FormProblem | None = None, pasted: str = "", url: str = "",
                done: str | None = None, number: int = 1) -> HTMLResponse:
    """Page ``number`` of the timeline (:data:`~credstack.services.wallet.timeline
    .PAGE_SIZE` credentials), filtered by ``tag`` or ``collection``, with the import form."""
    t = i18n.Translator(i18n.negotiate(request).language)
    shown = timelines.timeline(runtime, actor=access, tag=tag, collection=collection, number=number)
    groups = collections.collections(runtime, actor=access)
    chosen = next((group for group in groups if group.public_id == collection), None)
    number, pages = shown.number, shown.pages
    return page(
        request, "wallet.html", status_code=status_code, record=shown,
        rows=[row_of(item, t, shown.now) for item in shown.items],
        pager={"number": number, "pages": pages, "first": shown.first + 1,
               "last": shown.first + len(shown.items), "of": shown.count,
               "previous": _page_url(number - 1, tag=tag, collection=collection)
               if number > 1 else None,
               "next": _page_url(number + 1, tag=tag, collection=collection)
               if number < pages else None},
        credit_totals=[(system, credit_system_name(t, system), credit_text(t, system, amount))
                       for system, amount in shown.totals.credits],
        field_totals=[(total, t.field(total.field)) for total in shown.totals.by_field],
        held=shown.held, tags=list(shown.tags),
        collections=groups, tag=tag, collection=collection, chosen=chosen,
        problem=problem, pasted=pasted, url=url, done=done,
        limit=size_text(MAX_IMPORT_BYTES))


@router.get("/wallet", response_class=HTMLResponse)
def timeline(request: Request, runtime: RuntimeDep, access: WebUserDep,
             tag: Annotated[str | None, Query()] = None,
             collection: Annotated[str | None, Query()] = None,
             done: Annotated[str | None, Query()] = None,
             page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    return record_page(request, runtime, access, tag=tag or None,
                       collection=collection or None, done=done if done in DONE else None,
                       number=page)


def _declared_size(request: Request) -> int | None:
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


async def _refused(request: Request, runtime: Runtime, access: Access, problem: FormProblem,
                   *, pasted: str = "", url: str = "") -> HTMLResponse:
    return await run_in_threadpool(record_page, request, runtime, access,
                                   status_code=problem.status, problem=problem,
                                   pasted=pasted, url=url)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/wallet/import", response_class=HTMLResponse)
async def import_submitted(request: Request, runtime: RuntimeDep) -> Response:
    caller = Access(request, await run_in_threadpool(credentials, request))
    if not web_user(caller):
        # Back to the record afterwards: there is nothing to show at this form's address.
        return see_other("/sign-in?next=/wallet")
    too_large = FormProblem("wallet.error.too_large", {"limit": size_text(MAX_IMPORT_BYTES)},
                            status=413)
    declared = _declared_size(request)
    if declared is not None and declared > IMPORT_BODY_BYTES:
        # Nothing is read, so nothing was done: no CSRF token is needed to say so.
        return await _refused(request, runtime, caller, too_large)
    try:
        form = await request.form(max_files=1, max_fields=_MAX_FIELDS,
                                  max_part_size=IMPORT_BODY_BYTES)
    except InputTooLargeError:
        return await _refused(request, runtime, caller, too_large)
    except StarletteHTTPException as exc:
        return await _refused(request, runtime, caller,
                              FormProblem("wallet.error.form", {"reason": str(exc.detail)}))
    try:
        access = await access_of(request)
        pasted, url = _text(form, "credential"), _text(form, "url").strip()
        language = i18n.negotiate(request).language
        try:
            imported = await _import(runtime, access, form, pasted=pasted, url=url)
        except CredstackError as exc:
            return await _refused(request, runtime, access, import_problem(exc, language),
                                  pasted=pasted, url=url)
        if imported is None:
            return await _refused(request, runtime, access, FormProblem("wallet.error.empty"),
                                  pasted=pasted, url=url)
    finally:
        await form.close()
    done = "imported" if imported.created else "already"
    # The fragment is the credential's title: the form's own (#import-title) would otherwise
    # be kept through the redirect.
    return see_other(f"/wallet/credentials/{imported.item.public_id}?done={done}"
                     "#credential-title")


async def _import(runtime: Runtime, access: Access, form: FormData, *, pasted: str, url: str
                  ) -> Imported | None:
    """Import the chosen file, else the URL, else the pasted text; None when none was
    given."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        return await run_in_threadpool(wallet.import_credential, runtime, actor=access,
                                       data=data, source="upload", filename=upload.filename)
    if url:
        return await run_in_threadpool(wallet.import_url, runtime, actor=access, url=url)
    if pasted.strip():
        return await run_in_threadpool(wallet.import_credential, runtime, actor=access,
                                       data=pasted.encode("utf-8", "surrogatepass"),
                                       source="paste")
    return None
