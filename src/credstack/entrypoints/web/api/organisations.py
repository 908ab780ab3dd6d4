"""The organisation API: providers and recognition bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from credstack.core.organisations import Organisation, OrganisationKind
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.api.schemas import OrganisationPublic, organisation_public
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.organisations import service as organisations

router = APIRouter(prefix="/api/organisations", tags=["organisations"])


@router.get("", response_model=list[OrganisationPublic])
def list_organisations(runtime: RuntimeDep,
                       kind: Annotated[OrganisationKind | None, Query()] = None
                       ) -> list[OrganisationPublic]:
    found = organisations.list_organisations(runtime, kind=kind)
    return [organisation_public(o) for o in found]


@router.post("", response_model=OrganisationPublic, status_code=status.HTTP_201_CREATED)
def create_organisation(body: Organisation, runtime: RuntimeDep, response: Response,
                        access: AccessDep) -> OrganisationPublic:
    stored = organisations.create_organisation(runtime, actor=access, organisation=body)
    response.headers["Location"] = f"/api/organisations/{stored.slug}"
    return organisation_public(stored)


@router.get("/{slug}", response_model=OrganisationPublic)
def get_organisation(slug: str, runtime: RuntimeDep) -> OrganisationPublic:
    return organisation_public(organisations.get_organisation(runtime, slug=slug))


@router.put("/{slug}", response_model=OrganisationPublic)
def update_organisation(slug: str, body: Organisation, runtime: RuntimeDep,
                        access: AccessDep) -> OrganisationPublic:
    return organisation_public(organisations.update_organisation(
        runtime, actor=access, slug=slug, organisation=body))
