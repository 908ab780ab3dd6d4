"""The programme API: create, read, list and update programmes; versions and publishing.

Drafts are the provider's work in progress: only a caller who may write the programme
(its organisation's provider admin, or a registry admin) reads them. Everyone else reads the
newest *published* version, as the registry pages show it, and a draft version answers 404
as if it did not exist. That published JSON is answered from the runtime's cache as the
programme's page is, with a strong ``ETag`` (``If-None-Match`` answers 304).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from credstack.core.programmes import Change, Status
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.api.schemas import (
    ProgrammePage,
    ProgrammePublic,
    ProgrammeVersionPublic,
    ProgrammeWrite,
    programme_public,
    reports,
    version_public,
)
from credstack.entrypoints.web.caching import Cached, answer, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.errors import InputError, Problem
from credstack.services.programmes import service as programmes
from credstack.services.programmes.generations import page_generation
from credstack.services.programmes.views import StoredVersion

router = APIRouter(prefix="/api/programmes", tags=["programmes"])

#: Ids are 64-bit integers; larger numbers cannot name a programme (and would overflow SQLite).
ProgrammeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The programme's id.")]
Version = Annotated[int, Path(ge=1, le=MAX_ID, description="A version number.")]


@router.get("", response_model=ProgrammePage, summary="List programmes (newest version each)")
def list_programmes(
    request: Request,
    runtime: RuntimeDep,
    access: AccessDep,
    organisation: Annotated[str | None, Query(description="An organisation's slug.")] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID,
                                       description="The last id of the previous page.")]
    = None,
) -> ProgrammePage:
    page = programmes.list_programmes(runtime, actor=access, organisation=organisation,
                                      status=status_, limit=limit, after=after)
    next_url = None
    if page.next_after is not None:
        next_url = str(request.url.include_query_params(after=page.next_after))
    return ProgrammePage(items=[programme_public(p) for p in page.items], total=page.total,
                         next=next_url)


@router.post("", response_model=ProgrammePublic, status_code=status.HTTP_201_CREATED,
             summary="Create a programme (version 1)")
def create_programme(body: ProgrammeWrite, runtime: RuntimeDep, response: Response,
                     access: AccessDep) -> ProgrammePublic:
    stored = programmes.create_programme(runtime, actor=access, programme=body.descriptors,
                                         publish=body.publish)
    response.headers["Location"] = f"/api/programmes/{stored.id}"
    return programme_public(stored, change=Change.CREATED.value)


#: The published programme's JSON may be held a minute by a shared cache, then revalidated
#: by its ETag (as its page); it depends on who asks (a writer reads drafts), hence Vary.
PUBLIC_CACHE = "public, max-age=60"
#: A signed-in caller's answer may hold a draft: never kept by a shared cache.
PRIVATE_CACHE = "private, no-cache"
_VARY = {"Vary": "Authorization, Cookie"}


@router.get("/{programme_id}", response_model=ProgrammePublic,
            responses={304: {"description": "Not modified (If-None-Match)."}},
            summary="Read a programme with its validation against every profile")
def get_programme(programme_id: ProgrammeId, request: Request, runtime: RuntimeDep,
                  access: AccessDep) -> Response:
    """Anyone not signed in reads the newest published version, from the runtime's cache
    keyed as the programme's page is (the store's generation as the page reads it), with a
    strong ETag (``If-None-Match`` answers 304); a signed-in caller (who may read drafts,
    which that generation does not follow) is answered from the store each time."""
    def make() -> Cached:
        stored = programmes.get_programme(runtime, actor=access, programme_id=programme_id)
        return Cached.of(programme_public(stored).model_dump_json(by_alias=True).encode(),
                         "application/json", _VARY)

    if access.principal is None:
        cached = remembered(runtime, "programme-json",
                            (page_generation(runtime), programme_id), make)
        return answer(request, cached, PUBLIC_CACHE)
    return answer(request, make(), PRIVATE_CACHE)


@router.put("/{programme_id}", response_model=ProgrammePublic,
            summary="Update a programme: replaces a draft, or adds a version after a published one")
def update_programme(programme_id: ProgrammeId, body: ProgrammeWrite, runtime: RuntimeDep,
                     access: AccessDep) -> ProgrammePublic:
    if body.id is not None and body.id != programme_id:
        raise InputError(
            f"The body is programme {body.id}, the address programme {programme_id}: "
            "send a programme back to its own address. / 本文とアドレスのプログラムが"
            "異なります。", problems=[Problem("body: id", f"is {body.id}, not {programme_id}")])
    stored, change = programmes.update_programme(
        runtime, actor=access, programme_id=programme_id, programme=body.descriptors,
        publish=body.publish)
    return programme_public(stored, change=change.value)


@router.get("/{programme_id}/versions", response_model=list[ProgrammeVersionPublic],
            summary="Every version of a programme, oldest first")
def list_versions(programme_id: ProgrammeId, runtime: RuntimeDep, access: AccessDep
                  ) -> list[ProgrammeVersionPublic]:
    return [_version(v) for v in programmes.list_versions(runtime, actor=access,
                                                          programme_id=programme_id)]


@router.get("/{programme_id}/versions/{version}", response_model=ProgrammeVersionPublic)
def get_version(programme_id: ProgrammeId, version: Version, runtime: RuntimeDep,
                access: AccessDep) -> ProgrammeVersionPublic:
    return _version(programmes.get_version(runtime, actor=access, programme_id=programme_id,
                                           version=version))


@router.post("/{programme_id}/versions/{version}/publish", response_model=ProgrammePublic,
             summary="Publish a draft version (it becomes immutable)")
def publish_version(programme_id: ProgrammeId, version: Version, runtime: RuntimeDep,
                    access: AccessDep) -> ProgrammePublic:
    stored = programmes.publish_version(runtime, actor=access, programme_id=programme_id,
                                        version=version)
    return programme_public(stored, change=Change.PUBLISHED.value)


def _version(version: StoredVersion) -> ProgrammeVersionPublic:
    return ProgrammeVersionPublic(**version_public(version).model_dump(),
                                  descriptors=version.programme.to_document(),
                                  validation=reports(version.programme))
