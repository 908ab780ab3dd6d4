"""The programme API: create, read, list and update programmes; versions and publishing.

Drafts are the provider's work in progress: only a caller who may write the programme
(its organisation's provider admin, or a registry admin) reads them. Everyone else reads the
newest *published* version, as the registry pages show it, and a draft version answers 404
as if it did not exist.
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
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.errors import InputError, Problem
from credstack.services.programmes import service as programmes
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


@router.get("/{programme_id}", response_model=ProgrammePublic,
            summary="Read a programme with its validation against every profile")
def get_programme(programme_id: ProgrammeId, runtime: RuntimeDep, access: AccessDep
                  ) -> ProgrammePublic:
    return programme_public(programmes.get_programme(runtime, actor=access,
                                                     programme_id=programme_id))


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
