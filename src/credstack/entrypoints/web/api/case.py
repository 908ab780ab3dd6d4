"""The 1EdTech CASE 1.1 provider: the competency frameworks this registry holds, read-only.

CASE Service Version 1.1, REST/JSON binding (https://www.imsglobal.org/spec/case/v1p1/):

* ``GET /ims/case/v1p1/CFDocuments?limit=&offset=`` — ``{"CFDocuments": [...]}``, with
  ``X-Total-Count`` and RFC 8288 ``Link`` headers for the next page;
* ``GET /ims/case/v1p1/CFDocuments/{sourcedId}`` — one CFDocument;
* ``GET /ims/case/v1p1/CFPackages/{sourcedId}`` — the framework whole, exactly as it was
  imported (a third party's identifiers, URIs and extensions untouched);
* ``GET /ims/case/v1p1/CFItems/{sourcedId}``, ``…/CFAssociations/{sourcedId}``.

Errors are CASE's ``imsx_StatusInfo`` (``unknownobject`` for 404; see
:func:`credstack.entrypoints.web.problems.case_status_info`). Reading is public, as CASE
frameworks are. A browser that opens an item's URI (``Accept: text/html``) — the
``targetUrl`` of an Open Badges alignment to a framework published here — is sent to the
item's page, ``/skills/{sourcedId}``.
"""

from __future__ import annotations

from typing import Annotated, Final

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.services.skills import catalogue, frameworks

router = APIRouter(prefix="/ims/case/v1p1", tags=["CASE 1.1"])

_HEADERS: Final = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}
SourcedId = Annotated[str, Path(max_length=200, description="The object's identifier.")]


def _json(content: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(content, media_type="application/json", headers={**_HEADERS,
                                                                     **(headers or {})})


def _wants_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


@router.get("/CFDocuments", summary="The competency frameworks (CASE getAllCFDocuments)")
def all_documents(request: Request, runtime: RuntimeDep,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0) -> Response:
    views = frameworks.frameworks(runtime)
    page = views[offset:offset + limit]
    documents = b",".join(frameworks.document_json(runtime, identifier=view.identifier)
                          for view in page)
    headers = {"X-Total-Count": str(len(views))}
    if offset + limit < len(views):
        headers["Link"] = (f'<{request.url.path}?limit={limit}&offset={offset + limit}>; '
                           'rel="next"')
    return _json(b'{"CFDocuments":[' + documents + b"]}", headers)


@router.get("/CFDocuments/{sourced_id}", summary="One framework (CASE getCFDocument)")
def one_document(sourced_id: SourcedId, runtime: RuntimeDep) -> Response:
    return _json(frameworks.document_json(runtime, identifier=sourced_id))


@router.get("/CFPackages/{sourced_id}", summary="A framework whole (CASE getCFPackage)")
def one_package(sourced_id: SourcedId, runtime: RuntimeDep) -> Response:
    return _json(frameworks.package_json(runtime, identifier=sourced_id))


@router.get("/CFItems/{sourced_id}", summary="One item (CASE getCFItem)",
            response_model=None)
def one_item(request: Request, sourced_id: SourcedId,
             runtime: RuntimeDep) -> Response | RedirectResponse:
    found = catalogue.item_json(runtime, identifier=sourced_id)
    if _wants_page(request):
        identifier = orjson.loads(found)["identifier"]
        return RedirectResponse(f"/skills/{identifier}", status_code=303)
    return _json(found)


@router.get("/CFAssociations/{sourced_id}", summary="One association (CASE getCFAssociation)")
def one_association(sourced_id: SourcedId, runtime: RuntimeDep) -> Response:
    return _json(catalogue.association_json(runtime, identifier=sourced_id))
