"""The Open Badges 3.0 and CLR 2.0 REST APIs (:mod:`credstack.services.hosting`), the same
five operations under each base path:

* ``GET /ims/ob/v3p0/discovery`` — the Service Description Document, without
  authentication;
* ``GET /ims/ob/v3p0/credentials?limit=&offset=&since=`` — the learner's credentials
  (``credential.readonly``), with ``X-Total-Count`` and a ``Link`` header (first, last, and
  next and prev where there are);
* ``POST /ims/ob/v3p0/credentials`` — add or replace one (``credential.upsert``): a JSON
  credential (``application/json``) or a VC-JWT (``text/plain``); 201, 200 or 304, the
  credential echoed in the format sent;
* ``GET``/``PUT /ims/ob/v3p0/profile`` — the learner's profile (``profile.readonly`` /
  ``profile.update``);

and under ``/ims/clr/v2p0`` with the CLR scopes and ``ClrCredential``\\ s. Errors are
``Imsx_StatusInfo`` (:mod:`credstack.entrypoints.web.problems`). The tokens come from the
authorization code grant (:mod:`credstack.entrypoints.web.api.oauth`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from credstack.core.hosting.apis import APIS, Api
from credstack.core.hosting.paging import links, window
from credstack.core.hosting.status import status_info
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import InputError, Problem
from credstack.services.hosting import service as hosting

router = APIRouter(tags=["Open Badges 3.0 and CLR 2.0 REST APIs"])

QueryText = Annotated[str | None, Query()]


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise InputError("since must be a date and time (ISO 8601).",
                         problems=[Problem("since", "not an ISO 8601 date-time")]) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _routes(api: Api) -> None:
    base = api.base_path

    @router.get(f"{base}/discovery", summary=f"{api.title}: the Service Description Document",
                operation_id=f"{api.name}_getServiceDescription")
    def discovery(runtime: RuntimeDep) -> JSONResponse:
        return JSONResponse(hosting.discovery(runtime, api=api),
                            headers={"Cache-Control": "max-age=3600"})

    @router.get(f"{base}/credentials", summary=f"{api.title}: the learner's credentials",
                operation_id=f"{api.name}_getCredentials")
    async def get_credentials(request: Request, runtime: RuntimeDep, access: AccessDep,
                              limit: QueryText = None, offset: QueryText = None,
                              since: QueryText = None) -> JSONResponse:
        page = window(limit, offset)
        after = _since(since)
        found = await run_in_threadpool(hosting.credentials, runtime, actor=access, api=api,
                                        window=page, since=after)
        url = runtime.settings.public_url.rstrip("/") + request.url.path
        return JSONResponse(found.body(), headers={
            "X-Total-Count": str(found.total), "Cache-Control": "no-store",
            "Link": links(url, page, found.total, keep={"since": since} if since else None)})

    @router.post(f"{base}/credentials", summary=f"{api.title}: add or replace a credential",
                 operation_id=f"{api.name}_upsertCredential")
    async def upsert_credential(request: Request, runtime: RuntimeDep,
                                access: AccessDep) -> Response:
        body = await request.body()
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        done = await run_in_threadpool(hosting.upsert, runtime, actor=access, api=api,
                                       body=body, media_type=media_type)
        if done.status == 304:
            return JSONResponse(status_info(304, "The credential kept is this one, or a newer "
                                                 "representation of it."), status_code=304)
        if done.text is not None:
            return Response(done.text, status_code=done.status, media_type="text/plain")
        return JSONResponse(done.json, status_code=done.status)

    @router.get(f"{base}/profile", summary=f"{api.title}: the learner's profile",
                operation_id=f"{api.name}_getProfile")
    async def get_profile(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
        found = await run_in_threadpool(hosting.profile, runtime, actor=access, api=api)
        return JSONResponse(found, headers={"Cache-Control": "no-store"})

    @router.put(f"{base}/profile", summary=f"{api.title}: update the learner's profile",
                operation_id=f"{api.name}_putProfile")
    async def put_profile(request: Request, runtime: RuntimeDep,
                          access: AccessDep) -> JSONResponse:
        try:
            document = await request.json()
        except ValueError as error:
            raise InputError("The body must be a Profile in JSON.",
                             problems=[Problem("body", "not JSON")]) from error
        updated = await run_in_threadpool(hosting.update_profile, runtime, actor=access,
                                          api=api, document=document)
        return JSONResponse(updated, headers={"Cache-Control": "no-store"})


for _api in APIS:
    _routes(_api)
