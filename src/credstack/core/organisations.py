"""Organisations: the providers that award micro-credentials and the bodies that recognise them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AnyHttpUrl, BaseModel, ConfigDict

from credstack.core.types import CountryCode, MultilingualText, Slug


class OrganisationKind(StrEnum):
    UNIVERSITY = "university"
    JUNIOR_COLLEGE = "junior-college"
    COLLEGE_OF_TECHNOLOGY = "college-of-technology"
    VOCATIONAL_SCHOOL = "vocational-school"
    COMPANY = "company"
    ACADEMIC_SOCIETY = "academic-society"
    MOOC_PLATFORM = "mooc-platform"
    GOVERNMENT = "government"
    RECOGNITION_BODY = "recognition-body"
    OTHER = "other"


class Organisation(BaseModel):
    """A provider or recognition body, as stated in an import file or through the API."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    slug: Slug
    kind: OrganisationKind
    name: MultilingualText
    country: CountryCode = "JP"
    url: AnyHttpUrl | None = None

    def to_document(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)
