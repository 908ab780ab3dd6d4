"""Organisations: the providers that award micro-credentials and the bodies that recognise them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AnyHttpUrl, BaseModel, ConfigDict, StringConstraints

from credstack.core.console.corporate_number import corporate_number
from credstack.core.types import CountryCode, MultilingualText, Slug
from credstack.errors import InputError

#: A public contact address: something@domain.tld, at most 320 characters (RFC 5321).
ContactEmail = Annotated[str, StringConstraints(strip_whitespace=True, max_length=320,
                                                pattern=r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]


def _corporate_number(text: str) -> str:
    try:
        return corporate_number(text)
    except InputError as refused:
        raise ValueError(refused.problems[0].message) from None


#: A Japanese corporate number (法人番号): 13 digits, the first the check digit of the rest.
CorporateNumber = Annotated[str, StringConstraints(max_length=40),
                            AfterValidator(_corporate_number)]


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
    #: Where the public writes to the organisation.
    email: ContactEmail | None = None
    #: What the organisation is, in its own words, per language.
    description: MultilingualText | None = None
    #: Its corporate number (法人番号), for a Japanese legal entity: shown on its public page
    #: and stated in the federation's subordinate statement about it.
    corporate_number: CorporateNumber | None = None

    def to_document(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_none=True)
