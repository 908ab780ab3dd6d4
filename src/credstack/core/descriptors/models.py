"""The common descriptors of a micro-credential, as a typed model.

Source: the proposed *Common Descriptors of Micro-credentials* (seed 002) — 17 descriptors
compared across the Japanese proposal, the EU Council Recommendation of 16 June 2022, the
Australian National Microcredentials Framework (2022), Malaysia's MQA guidelines and Japan's
履修証明 certificate programmes — plus the EU and Australian extras named in the product brief
(supervision and identity verification, grade achieved, dates of delivery, inherent
requirements, price and financial assistance, further information).

Design:

* Every descriptor is *optional in the model*. Which ones are required is the business of a
  framework profile (``profiles/*.yaml``); a missing descriptor must become a finding that
  names it, not a parse error. The model enforces only structure and sane values: unknown
  keys, wrong types, negative or absurd hours are parse errors.
* A :class:`Programme` describes what every learner of the programme gets. Two descriptors
  belong to one learner's award (identification of the learner, date of issuing) and the EU
  "grade achieved" too: they live in :class:`Award`, and an :class:`AwardedMicroCredential` is a
  programme plus its award. Validation of a bare programme reports those as "supplied at
  issuance".
* Text meant for people is :class:`MultilingualText`: a mapping from a BCP 47 language tag to
  the text (at least ``ja`` and ``en`` in practice; any tag is accepted).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from credstack.core.types import (
    CountryCode,
    LanguageTag,
    MultilingualText,
    ProgrammeCode,
    ShortText,
    Slug,
    refused,
)

__all__ = ["CountryCode", "LanguageTag", "MultilingualText", "ProgrammeCode", "ShortText", "Slug"]

#: Hours beyond which a learner-effort figure is absurd for anything under a degree
#: (a Japanese bachelor's degree is 124 単位 × 45 h = 5,580 h).
MAX_HOURS = Decimal(10_000)


class _Model(BaseModel):
    """Immutable, strict about unknown keys, and JSON-friendly."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        use_enum_values=False,
    )


# --- controlled vocabularies -----------------------------------------------------------


class DeliveryMode(StrEnum):
    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class Pace(StrEnum):
    SYNCHRONOUS = "synchronous"
    ASYNCHRONOUS = "asynchronous"
    MIXED = "mixed"


class AssessmentMethod(StrEnum):
    EXAMINATION = "examination"
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"
    REPORT = "report"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL = "practical"
    PRESENTATION = "presentation"
    ORAL = "oral"
    PEER_REVIEW = "peer-review"
    #: Attendance or participation alone: not an assessment of learning outcomes.
    PARTICIPATION = "participation"


class Supervision(StrEnum):
    """EU 2022: supervision and identity verification during assessment."""

    UNSUPERVISED = "unsupervised"
    SUPERVISED_NO_IDENTITY_CHECK = "supervised-no-identity-check"
    SUPERVISED_ONLINE_IDENTITY_CHECK = "supervised-online-identity-check"
    SUPERVISED_ONSITE_IDENTITY_CHECK = "supervised-onsite-identity-check"


class QualityAssuranceKind(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class QualityAssuranceScope(StrEnum):
    INSTITUTION = "institution"
    PROGRAMME = "programme"


class CreditSystem(StrEnum):
    JP_TANI = "jp-tani"
    ECTS = "ects"
    MY_CREDIT = "my-credit"
    NZ_CREDIT = "nz-credit"
    US_CREDIT_HOUR = "us-credit-hour"


class LevelFramework(StrEnum):
    JEQF = "JEQF"
    EQF = "EQF"
    AQF = "AQF"
    MQF = "MQF"
    NZQF = "NZQF"


#: The levels each qualifications framework defines.
LEVEL_RANGES: dict[LevelFramework, tuple[int, int]] = {
    LevelFramework.JEQF: (1, 8),
    LevelFramework.EQF: (1, 8),
    LevelFramework.AQF: (1, 10),
    LevelFramework.MQF: (1, 8),
    LevelFramework.NZQF: (1, 10),
}


class CertificationKind(StrEnum):
    DIGITAL_BADGE = "digital-badge"
    VERIFIABLE_CREDENTIAL = "verifiable-credential"
    CERTIFICATE = "certificate"
    TRANSCRIPT = "transcript"
    #: 履修証明書: the certificate a 履修証明プログラム must issue (学校教育法 第105条).
    RISHU_SHOMEI = "rishu-shomei"


class CreditRecognitionKind(StrEnum):
    ACADEMIC_CREDIT = "academic-credit"
    CREDIT_TRANSFER = "credit-transfer"
    PRIOR_LEARNING = "recognition-of-prior-learning"
    PROFESSIONAL_DEVELOPMENT = "professional-development"
    INDUSTRY_RECOGNITION = "industry-recognition"
    NONE = "none"


class StackTargetKind(StrEnum):
    DEGREE = "degree"
    CERTIFICATE_PROGRAMME = "certificate-programme"
    MICRO_CREDENTIAL = "micro-credential"
    PROFESSIONAL_QUALIFICATION = "professional-qualification"
    OTHER = "other"


class FieldOfStudy(StrEnum):
    """The fields used in MEXT's 2023 survey of recurrent education (seed 001)."""

    MEDICAL_WELFARE = "medical-welfare"
    BUSINESS = "business"
    DIGITAL = "digital"
    SCIENCE_ENGINEERING = "science-engineering"
    SEMICONDUCTORS = "semiconductors"
    GREEN = "green"
    REGIONAL = "regional"
    SOCIAL_SCIENCES = "social-sciences"
    EDUCATION = "education"
    HUMANITIES = "humanities"
    LANGUAGES = "languages"
    LAW_POLITICS = "law-politics"
    HOME_ECONOMICS = "home-economics"
    ARTS = "arts"
    SPORTS = "sports"
    HOBBIES = "hobbies"
    OTHER = "other"


class IdentifierType(StrEnum):
    EMAIL = "email"
    STUDENT_ID = "student-id"
    NATIONAL_ID = "national-id"
    URL = "url"
    DID = "did"
    OTHER = "other"


# --- descriptor values ------------------------------------------------------------------


class AwardingBody(_Model):
    """The organisation that awards the micro-credential."""

    id: Slug = Field(description="The organisation's slug in the credstack store.")
    name: MultilingualText
    url: AnyHttpUrl | None = None


class IssuerRegion(_Model):
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 code, e.g. JP.")
    subdivision: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None = (
        Field(default=None, description="ISO 3166-2 code, e.g. JP-13 for Tokyo.")
    )

    @model_validator(mode="after")
    def _subdivision_in_country(self) -> Self:
        if self.subdivision and not self.subdivision.startswith(f"{self.country}-"):
            raise refused("subdivision_country", subdivision=self.subdivision,
                          country=self.country)
        return self


class LearningOutcome(_Model):
    statement: MultilingualText


class FormOfParticipation(_Model):
    mode: DeliveryMode
    pace: Pace | None = None
    description: MultilingualText | None = None


class CreditAmount(_Model):
    system: CreditSystem
    value: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=2)]


class LearnerEffort(_Model):
    """Notional learning time: total hours, with the credits they are worth."""

    hours: Annotated[Decimal, Field(gt=0, le=MAX_HOURS, decimal_places=2)]
    credits: tuple[CreditAmount, ...] = ()
    duration_weeks: Annotated[int, Field(ge=1, le=520)] | None = None

    @field_validator("credits")
    @classmethod
    def _one_amount_per_system(cls, value: tuple[CreditAmount, ...]) -> tuple[CreditAmount, ...]:
        seen: set[CreditSystem] = set()
        for amount in value:
            if amount.system in seen:
                raise refused("credit_system_twice", system=amount.system.value)
            seen.add(amount.system)
        return value

    def credits_in(self, system: CreditSystem) -> Decimal | None:
        for amount in self.credits:
            if amount.system is system:
                return amount.value
        return None


class Assessment(_Model):
    methods: Annotated[tuple[AssessmentMethod, ...], Field(min_length=1)]
    description: MultilingualText | None = None
    supervision: Supervision | None = None
    grading: MultilingualText | None = Field(
        default=None, description="How results are graded (scale, pass mark)."
    )

    @property
    def participation_only(self) -> bool:
        return set(self.methods) == {AssessmentMethod.PARTICIPATION}


class QualityAssurance(_Model):
    kind: QualityAssuranceKind
    scope: QualityAssuranceScope
    body: MultilingualText | None = Field(
        default=None, description="Who assures quality (the provider itself for internal QA)."
    )
    description: MultilingualText | None = None
    url: AnyHttpUrl | None = None
    valid_until: dt.date | None = None


class QualificationLevel(_Model):
    framework: LevelFramework
    level: int

    @field_validator("level", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: Any) -> Any:
        # Pydantic would read true as level 1; a level is a number, never a yes/no.
        if isinstance(value, bool):
            raise refused("level_boolean")
        return value

    @model_validator(mode="after")
    def _level_exists(self) -> Self:
        low, high = LEVEL_RANGES[self.framework]
        if not low <= self.level <= high:
            raise refused("level_range", framework=self.framework.value, low=str(low),
                          high=str(high), level=str(self.level))
        return self


class Certification(_Model):
    kinds: Annotated[tuple[CertificationKind, ...], Field(min_length=1)]
    description: MultilingualText | None = None


class CreditRecognition(_Model):
    kinds: Annotated[tuple[CreditRecognitionKind, ...], Field(min_length=1)]
    description: MultilingualText | None = None


class StackTarget(_Model):
    title: MultilingualText
    kind: StackTargetKind
    credits: CreditAmount | None = None
    url: AnyHttpUrl | None = None


class Stackability(_Model):
    stackable: bool
    targets: tuple[StackTarget, ...] = ()
    description: MultilingualText | None = None

    @model_validator(mode="after")
    def _targets_only_when_stackable(self) -> Self:
        if self.targets and not self.stackable:
            raise refused("targets_not_stackable")
        return self


class DeliveryPeriod(_Model):
    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise refused("ends_before_start", end=self.end.isoformat(),
                          start=self.start.isoformat())
        return self


class Price(_Model):
    amount: Annotated[Decimal, Field(ge=0, le=100_000_000, decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 code, e.g. JPY."
    )
    financial_assistance: MultilingualText | None = None


class FurtherInformation(_Model):
    url: AnyHttpUrl | None = None
    text: MultilingualText | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.url is None and self.text is None:
            raise refused("url_or_text")
        return self


class SkillTargetType(StrEnum):
    """What a skill's URL points at, as Open Badges 3.0 ``Alignment.targetType`` names it."""

    #: An item of a 1EdTech CASE competency framework (ESCO and the skill standards credstack
    #: imports are CASE frameworks too).
    CF_ITEM = "CFItem"
    #: A CTDL-ASN competency.
    CEASN_COMPETENCY = "ceasn:Competency"


class Skill(_Model):
    name: MultilingualText
    framework: ShortText | None = Field(default=None, description="e.g. ESCO, O*NET, ITSS.")
    code: ShortText | None = None
    url: AnyHttpUrl | None = None
    type: SkillTargetType | None = Field(
        default=None, description="What the URL points at: CFItem (a CASE item) or "
                                  "ceasn:Competency; unset for any other skill page.")


class Identifier(_Model):
    type: IdentifierType
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LearnerIdentity(_Model):
    name: MultilingualText | None = None
    identifiers: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _identifies(self) -> Self:
        if self.name is None and not self.identifiers:
            raise refused("learner_unidentified")
        return self


class Award(_Model):
    """What belongs to one learner's award rather than to the programme."""

    learner: LearnerIdentity | None = None
    issued_on: dt.date | None = None
    grade: ShortText | None = Field(default=None, description="EU: grade achieved.")


# --- the documents ----------------------------------------------------------------------


class Programme(_Model):
    """A micro-credential programme described with the common descriptors."""

    code: ProgrammeCode = Field(description="The provider's own code for the programme.")
    title: MultilingualText | None = None
    awarding_body: AwardingBody | None = None
    issuer_region: IssuerRegion | None = None
    description: MultilingualText | None = None
    learning_outcomes: tuple[LearningOutcome, ...] = ()
    form_of_participation: FormOfParticipation | None = None
    languages: tuple[LanguageTag, ...] = ()
    learner_effort: LearnerEffort | None = None
    assessment: Assessment | None = None
    quality_assurance: tuple[QualityAssurance, ...] = ()
    levels: tuple[QualificationLevel, ...] = ()
    certification: Certification | None = None
    credit_recognition: CreditRecognition | None = None
    prerequisites: MultilingualText | None = None
    stackability: Stackability | None = None
    dates_of_delivery: tuple[DeliveryPeriod, ...] = ()
    inherent_requirements: MultilingualText | None = None
    price: Price | None = None
    further_information: FurtherInformation | None = None
    fields: tuple[FieldOfStudy, ...] = Field(
        default=(), description="Fields of study, for classification and search."
    )
    skills: tuple[Skill, ...] = ()

    @property
    def assesses_learning(self) -> bool:
        """Whether learning outcomes are assessed, by more than participation: what makes a
        programme a micro-credential rather than an attendance badge (seeds 000–002)."""
        return self.assessment is not None and not self.assessment.participation_only

    def to_document(self) -> dict[str, Any]:
        """The JSON-ready document, without unset or empty descriptors."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    def canonical_json(self) -> str:
        """The document as compact JSON, the same text for equal programmes.

        Fields come in model order and languages in one fixed order, so no key sorting is
        needed; stored versions are compared by the SHA-256 of this text.
        """
        return self.model_dump_json(exclude_none=True, exclude_defaults=True)


class AwardedMicroCredential(Programme):
    """One learner's micro-credential: the programme's descriptors plus the award."""

    award: Award
