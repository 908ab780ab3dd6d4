"""The programme API: create, read, list and update programmes; versions and publishing.

Drafts are the provider's work in progress: only a caller who may write the programme
(its organisation's provider admin, or a registry admin) reads them. Everyone else reads the
newest *published* version, as the registry pages show it, and a draft version answers 404
as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from credstack.adapters.db.repositories import programmes as repository
from credstack.adapters.search.live import track as index_on_commit
from credstack.adapters.web.access import AccessDep
from credstack.adapters.web.api.schemas import (
    ProgrammePage,
    ProgrammePublic,
    ProgrammeVersionPublic,
    ProgrammeWrite,
    programme_public,
    reports,
    version_public,
)
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.core.access.policy import Action
from credstack.errors import NotFoundError

router = APIRouter(prefix="/api/programmes", tags=["programmes"])

#: Ids are 64-bit integers; larger numbers cannot name a programme (and would overflow SQLite).
MAX_ID = 2**63 - 1
ProgrammeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The programme's id.")]
Version = Annotated[int, Path(ge=1, le=MAX_ID, description="A version number.")]


@router.get("", response_model=ProgrammePage, summary="List programmes (newest version each)")
def list_programmes(
    request: Request,
    session: SessionDep,
    access: AccessDep,
    organisation: Annotated[str | None, Query(description="An organisation's slug.")] = None,
    status_: Annotated[repository.Status | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID,
                                       description="The last id of the previous page.")]
    = None,
) -> ProgrammePage:
    if access.allows(Action.PROGRAMME_WRITE, organisation):
        page = repository.list_programmes(session, organisation=organisation, status=status_,
                                          limit=limit, after=after)
    elif status_ is repository.Status.DRAFT:
        page = repository.Page([], 0, None)
    else:
        page = repository.list_published_programmes(session, organisation=organisation,
                                                    limit=limit, after=after)
    next_url = None
    if page.next_after is not None:
        next_url = str(request.url.include_query_params(after=page.next_after))
    return ProgrammePage(items=[programme_public(p) for p in page.items], total=page.total,
                         next=next_url)


@router.post("", response_model=ProgrammePublic, status_code=status.HTTP_201_CREATED,
             summary="Create a programme (version 1)")
def create_programme(body: ProgrammeWrite, session: SessionDep, now: NowDep,
                     response: Response, request: Request, access: AccessDep
                     ) -> ProgrammePublic:
    _require_writer(access, body)
    stored = repository.create_programme(session, programme=body.descriptors,
                                         publish=body.publish, now=now)
    if body.publish:
        index_on_commit(request.app, session, stored.id)
    response.headers["Location"] = f"/api/programmes/{stored.id}"
    return programme_public(stored, change=repository.Change.CREATED.value)


@router.get("/{programme_id}", response_model=ProgrammePublic,
            summary="Read a programme with its validation against every profile")
def get_programme(programme_id: ProgrammeId, session: SessionDep, access: AccessDep
                  ) -> ProgrammePublic:
    stored = repository.get_programme(session, programme_id=programme_id)
    if not _sees_drafts(access, stored):
        stored = repository.get_published_programme(session, programme_id=programme_id)
    return programme_public(stored)


@router.put("/{programme_id}", response_model=ProgrammePublic,
            summary="Update a programme: replaces a draft, or adds a version after a published one")
def update_programme(programme_id: ProgrammeId, body: ProgrammeWrite, session: SessionDep,
                     now: NowDep, request: Request, access: AccessDep) -> ProgrammePublic:
    _require_owner(access, session, programme_id)
    _require_writer(access, body)
    stored, change = repository.update_programme(
        session, programme_id=programme_id, programme=body.descriptors, publish=body.publish,
        now=now)
    if body.publish and change is not repository.Change.UNCHANGED:
        index_on_commit(request.app, session, programme_id)
    return programme_public(stored, change=change.value)


@router.get("/{programme_id}/versions", response_model=list[ProgrammeVersionPublic],
            summary="Every version of a programme, oldest first")
def list_versions(programme_id: ProgrammeId, session: SessionDep, access: AccessDep
                  ) -> list[ProgrammeVersionPublic]:
    drafts = _sees_drafts(access, repository.get_programme(session, programme_id=programme_id))
    versions = repository.list_versions(session, programme_id=programme_id)
    visible = [v for v in versions if drafts or v.status is repository.Status.PUBLISHED]
    if not visible:
        raise NotFoundError(f"No published programme with id {programme_id}.")
    return [_version(v) for v in visible]


@router.get("/{programme_id}/versions/{version}", response_model=ProgrammeVersionPublic)
def get_version(programme_id: ProgrammeId, version: Version, session: SessionDep,
                access: AccessDep) -> ProgrammeVersionPublic:
    found = repository.get_version(session, programme_id=programme_id, version=version)
    if found.status is repository.Status.DRAFT and not _sees_drafts(
            access, repository.get_programme(session, programme_id=programme_id)):
        raise NotFoundError(f"Programme {programme_id} has no version {version}.")
    return _version(found)


@router.post("/{programme_id}/versions/{version}/publish", response_model=ProgrammePublic,
             summary="Publish a draft version (it becomes immutable)")
def publish_version(programme_id: ProgrammeId, version: Version, session: SessionDep, now: NowDep,
                    request: Request, access: AccessDep) -> ProgrammePublic:
    _require_owner(access, session, programme_id)
    stored = repository.publish_version(session, programme_id=programme_id, version=version,
                                        now=now)
    index_on_commit(request.app, session, programme_id)
    return programme_public(stored, change=repository.Change.PUBLISHED.value)


def _sees_drafts(access: AccessDep, stored: repository.StoredProgramme) -> bool:
    """Whether the caller may read ``stored``'s draft: whoever may write the programme."""
    return access.allows(Action.PROGRAMME_WRITE, stored.organisation_slug)


def _require_writer(access: AccessDep, body: ProgrammeWrite) -> None:
    """The document's awarding organisation must be the caller's to write for.

    A document that names none is refused by the store with its own, located error.
    """
    awarding = body.descriptors.awarding_body
    if awarding is None:
        access.user()
    else:
        access.require(Action.PROGRAMME_WRITE, awarding.id)


def _require_owner(access: AccessDep, session: SessionDep, programme_id: int) -> None:
    """Only the programme's own organisation (or a registry admin) changes it."""
    access.user()
    owner = repository.get_programme(session, programme_id=programme_id).organisation_slug
    access.require(Action.PROGRAMME_WRITE, owner)


def _version(version: repository.StoredVersion) -> ProgrammeVersionPublic:
    return ProgrammeVersionPublic(**version_public(version).model_dump(),
                                  descriptors=version.programme.to_document(),
                                  validation=reports(version.programme))
