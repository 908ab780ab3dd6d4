"""Requests for the registrar's documents and their delivery as a JSON API (issue 56) over
:mod:`credstack.services.registrar.requests`.

* ``POST /api/registrar/requests`` — the signed-in learner asks for documents:
  ``{"organisation", "number", "birth_date", "kinds", "copies", "language", "addressee"}``;
  201 with the request (approved at once where the organisation's rule says so)
  (``wallet:write``);
* ``GET /api/registrar/requests`` — the learner's requests, each with its delivery link and
  the link's views and downloads (``wallet:read``);
* ``GET /api/registrar/{organisation}/requests?state=pending`` — the registrar's queue
  (``state=all`` for every request) with each link's log (``records:read``);
* ``POST /api/registrar/{organisation}/requests/{id}/approve`` and ``…/refuse``
  (``{"reason"}``) (``records:write``);
* ``GET`` and ``PUT /api/registrar/{organisation}/request-rule`` —
  ``{"auto_approve", "delivery_days"}`` (``records:read`` / ``records:write``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.registrar import requests

router = APIRouter(tags=["registrar"])

_NO_STORE: Final = {"Cache-Control": "no-store"}
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
RequestId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]


class DocumentRequest(BaseModel):
    organisation: str = Field(max_length=63)
    number: str = Field(max_length=20)
    birth_date: dt.date
    kinds: list[str] = Field(max_length=6)
    copies: int = 1
    language: str = Field(default="ja", max_length=8)
    addressee: str = Field(max_length=200)


class Refusal(BaseModel):
    reason: str = Field(max_length=500)


class RequestRule(BaseModel):
    auto_approve: bool
    delivery_days: int


@router.post("/api/registrar/requests", summary="Request documents from a registrar",
             status_code=201)
async def make_request(body: DocumentRequest, runtime: RuntimeDep, access: AccessDep
                       ) -> JSONResponse:
    made = await run_in_threadpool(
        requests.request_documents, runtime, actor=access, organisation=body.organisation,
        number=body.number, birth_date=body.birth_date, kinds=body.kinds, copies=body.copies,
        language=body.language, addressee=body.addressee)
    return JSONResponse(made.to_dict(), status_code=201, headers=_NO_STORE)


@router.get("/api/registrar/requests", summary="The learner's document requests")
def my_requests(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    return JSONResponse([item.to_dict() for item in requests.my_requests(runtime, actor=access)],
                        headers=_NO_STORE)


@router.get("/api/registrar/{organisation}/requests", summary="The registrar's queue")
def queue(organisation: Slug, runtime: RuntimeDep, access: AccessDep,
          state: Annotated[str, Query(pattern="^(pending|approved|refused|all)$")] = "pending"
          ) -> JSONResponse:
    found = requests.queue(runtime, actor=access, organisation=organisation,
                           state=None if state == "all" else state)
    return JSONResponse([item.to_dict() for item in found], headers=_NO_STORE)


@router.post("/api/registrar/{organisation}/requests/{public_id}/approve",
             summary="Approve a document request")
async def approve(organisation: Slug, public_id: RequestId, runtime: RuntimeDep,
                  access: AccessDep) -> JSONResponse:
    done = await run_in_threadpool(requests.approve, runtime, actor=access,
                                   organisation=organisation, public_id=public_id)
    return JSONResponse(done.to_dict(), headers=_NO_STORE)


@router.post("/api/registrar/{organisation}/requests/{public_id}/refuse",
             summary="Refuse a document request")
def refuse(organisation: Slug, public_id: RequestId, body: Refusal, runtime: RuntimeDep,
           access: AccessDep) -> JSONResponse:
    done = requests.refuse(runtime, actor=access, organisation=organisation,
                           public_id=public_id, reason=body.reason)
    return JSONResponse(done.to_dict(), headers=_NO_STORE)


@router.get("/api/registrar/{organisation}/request-rule", summary="The request rule")
def read_rule(organisation: Slug, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    found = requests.request_rule(runtime, actor=access, organisation=organisation)
    return JSONResponse({"auto_approve": found.auto_approve,
                         "delivery_days": found.delivery_days}, headers=_NO_STORE)


@router.put("/api/registrar/{organisation}/request-rule", summary="Set the request rule")
def write_rule(organisation: Slug, body: RequestRule, runtime: RuntimeDep, access: AccessDep
               ) -> JSONResponse:
    found = requests.set_request_rule(runtime, actor=access, organisation=organisation,
                                      auto_approve=body.auto_approve,
                                      delivery_days=body.delivery_days)
    return JSONResponse({"auto_approve": found.auto_approve,
                         "delivery_days": found.delivery_days}, headers=_NO_STORE)
