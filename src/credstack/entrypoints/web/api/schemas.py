"""The API's request and response bodies (Create / Update / Public families)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from credstack.core.descriptors import Programme, get_profile, profiles, validate_all
from credstack.core.organisations import Organisation
from credstack.services.organisations.service import StoredOrganisation
from credstack.services.programmes.views import StoredProgramme, StoredVersion
from credstack.words import words


class ProgrammeWrite(BaseModel):
    """Descriptors to store; ``publish: false`` keeps the new version as an editable draft.

    A programme as ``GET`` answered it can be sent back as it is: the fields the server
    computes (``organisation``, ``code``, ``version``, ``validation``, ``links``, ``change``)
    are read-only and ignored, and ``id``, when given, must name the programme written.
    """

    model_config = ConfigDict(extra="forbid")

    descriptors: Programme
    publish: bool = True
    id: int | None = Field(default=None, json_schema_extra={"readOnly": True},
                           description="Read-only; on PUT, the id in the path when given.")
    organisation: str | None = Field(default=None, json_schema_extra={"readOnly": True})
    code: str | None = Field(default=None, json_schema_extra={"readOnly": True})
    version: dict[str, Any] | None = Field(default=None, json_schema_extra={"readOnly": True})
    validation: list[dict[str, Any]] | None = Field(default=None,
                                                    json_schema_extra={"readOnly": True})
    links: dict[str, str] | None = Field(default=None, json_schema_extra={"readOnly": True})
    change: str | None = Field(default=None, json_schema_extra={"readOnly": True})


class FindingPublic(BaseModel):
    code: str
    path: str
    severity: str
    message: dict[str, str]


class DescriptorStatePublic(BaseModel):
    key: str
    requirement: str
    state: str


class ReportPublic(BaseModel):
    profile: str
    conforms: bool
    is_micro_credential: bool
    findings: list[FindingPublic]
    descriptors: list[DescriptorStatePublic]


class VersionPublic(BaseModel):
    version: int
    status: str
    content_hash: str
    created_at: dt.datetime
    published_at: dt.datetime | None


class ProgrammePublic(BaseModel):
    id: int
    organisation: str
    code: str
    version: VersionPublic
    descriptors: dict[str, Any]
    validation: list[ReportPublic]
    links: dict[str, str]
    change: str | None = Field(default=None, description="What an update did.")


class ProgrammeVersionPublic(VersionPublic):
    descriptors: dict[str, Any]
    validation: list[ReportPublic]


class ProgrammePage(BaseModel):
    items: list[ProgrammePublic]
    total: int
    next: str | None = Field(description="URL of the next page, or null on the last page.")


class OrganisationPublic(BaseModel):
    id: int
    slug: str
    kind: str
    name: dict[str, str]
    country: str
    url: str | None
    email: str | None = None
    description: dict[str, str] | None = None
    corporate_number: str | None = None
    programme_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ValidationResult(BaseModel):
    reports: list[ReportPublic]


def reports(programme: Programme, profile_ids: list[str] | None = None) -> list[ReportPublic]:
    chosen = [get_profile(p) for p in profile_ids] if profile_ids else list(profiles().values())
    return [ReportPublic.model_validate(r.worded(words).to_dict())
            for r in validate_all(programme, chosen)]


def version_public(version: StoredVersion) -> VersionPublic:
    return VersionPublic(version=version.version, status=version.status.value,
                         content_hash=version.content_hash, created_at=version.created_at,
                         published_at=version.published_at)


def programme_public(stored: StoredProgramme, *, change: str | None = None
                     ) -> ProgrammePublic:
    return ProgrammePublic(
        id=stored.id, organisation=stored.organisation_slug, code=stored.code,
        version=version_public(stored.latest), descriptors=stored.programme.to_document(),
        validation=reports(stored.programme),
        links={"self": f"/api/programmes/{stored.id}",
               "versions": f"/api/programmes/{stored.id}/versions",
               "page": f"/programmes/{stored.id}"},
        change=change,
    )


def organisation_public(stored: StoredOrganisation) -> OrganisationPublic:
    o: Organisation = stored.organisation
    return OrganisationPublic(
        id=stored.id, slug=o.slug, kind=o.kind.value, name=o.name.root, country=o.country,
        url=str(o.url) if o.url else None, email=o.email,
        description=o.description.root if o.description else None,
        corporate_number=o.corporate_number, programme_count=stored.programme_count,
        created_at=stored.created_at, updated_at=stored.updated_at)
