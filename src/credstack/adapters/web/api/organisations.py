"""The organisation API: providers and recognition bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from credstack.adapters.db.repositories import organisations as repository
from credstack.adapters.web.access import AccessDep
from credstack.adapters.web.api.schemas import OrganisationPublic, organisation_public
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.core.access.policy import Action
from credstack.core.organisations import Organisation, OrganisationKind

router = APIRouter(prefix="/api/organisations", tags=["organisations"])


@router.get("", response_model=list[OrganisationPublic])
def list_organisations(session: SessionDep,
                       kind: Annotated[OrganisationKind | None, Query()] = None
                       ) -> list[OrganisationPublic]:
    found = repository.list_organisations(session, kind=kind.value if kind else None)
    return [organisation_public(o) for o in found]


@router.post("", response_model=OrganisationPublic, status_code=status.HTTP_201_CREATED)
def create_organisation(body: Organisation, session: SessionDep, now: NowDep,
                        response: Response, access: AccessDep) -> OrganisationPublic:
    access.require(Action.ORGANISATION_CREATE, None)
    stored = repository.create_organisation(session, organisation=body, now=now)
    response.headers["Location"] = f"/api/organisations/{stored.slug}"
    return organisation_public(stored)


@router.get("/{slug}", response_model=OrganisationPublic)
def get_organisation(slug: str, session: SessionDep) -> OrganisationPublic:
    return organisation_public(repository.get_organisation(session, slug=slug))


@router.put("/{slug}", response_model=OrganisationPublic)
def update_organisation(slug: str, body: Organisation, session: SessionDep, now: NowDep,
                        access: AccessDep) -> OrganisationPublic:
    access.require(Action.ORGANISATION_UPDATE, slug)
    return organisation_public(
        repository.update_organisation(session, slug=slug, organisation=body, now=now))
