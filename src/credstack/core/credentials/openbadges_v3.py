"""Open Badges 3.0 credentials that carry a micro-credential's descriptors.

Specification: *Open Badges Specification v3.0*, 1EdTech Consortium, Final Release of
27 May 2024 (read with the errata up to document version 1.2, 23 December 2024),
https://www.imsglobal.org/spec/ob/v3p0/ — an ``OpenBadgeCredential`` is a W3C Verifiable
Credential 2.0 (https://www.w3.org/TR/vc-data-model-2.0/) whose subject holds an
``Achievement``.

:func:`build_open_badge_credential` turns a registered programme version and one learner's
award into the *unsigned* credential (the proof layer signs it). Every descriptor that Open
Badges has a field for goes into that field, in one language:

============================== ============================================================
descriptor                     Open Badges 3.0
============================== ============================================================
title                          ``achievement.name`` (and the credential's ``name``)
description                    ``achievement.description``
learning outcomes, assessment  ``achievement.criteria.narrative`` (Markdown)
learner effort (credits)       ``achievement.creditsAvailable`` (one system, see below)
language                       ``achievement.inLanguage`` (the first language of instruction)
field of study                 ``achievement.fieldOfStudy`` (the first field), ``tag``
skills with a URL              ``achievement.alignment`` (``Alignment``)
grading scheme                 ``achievement.resultDescription``
awarding body                  ``achievement.creator`` (``Profile``; needs a profile id)
programme code                 ``achievement.humanCode``
learner                        ``credentialSubject.id`` / ``credentialSubject.identifier``
date of issuing                ``awardedDate``
grade achieved                 ``credentialSubject.result``
============================== ============================================================

Everything else — and every multilingual text in full — travels in one extension property
of the achievement, ``microCredential``, an object of type ``MicroCredentialDescriptors``
whose keys are the descriptor model's own fields in camelCase (``docs/mc-extension.md``
describes each term). Its JSON-LD context ships inside this package
(``contexts/mc-v1.jsonld``) and is published at :data:`EXTENSION_CONTEXT_URL`. The URL is on
w3id.org, the permanent-identifier redirect service that W3C community vocabularies and
contexts (security, DID, Data Integrity) use, so the identifier outlives any one host of
credstack; the vocabulary terms live under :data:`VOCABULARY_BASE`.
:func:`descriptors_from_credential` reads the descriptor document back.

Decisions the standard leaves open, taken here:

* ``creditsAvailable`` is one number without a unit. It carries the credits in the credit
  system of the issuer's country when the programme states them (単位 for Japan, Malaysian
  credits for Malaysia, …), otherwise the first system the programme lists; the extension
  names the system (``creditsAvailableSystem``) and keeps every amount.
* ``achievementType`` is ``MicroCredential`` only when the descriptors show an assessment of
  learning outcomes. A programme without an assessment, or assessed by participation alone,
  is not a micro-credential (seeds 000–002; the same rule as
  :mod:`credstack.core.descriptors.validation`): its credential still builds, as a
  ``Badge``, so that an attendance badge is never dressed up as a micro-credential.
* Levels are not repeated as ``Alignment``: the formal schema requires ``targetUrl``, and the
  qualifications frameworks publish no stable URL per level; they travel in the extension.
  Skills become alignments only when they have a URL, for the same reason.
* ``creator`` is written only with a real profile id for the awarding body: the issuer's,
  when the issuer is the awarding body, or one the caller gives. The awarding body's
  credstack slug is not an IRI, and the issuer's id under another organisation's name
  would merge two organisations into one node of the credential's graph.
* ``awardedDate`` is a date-time: the date of issuing at midnight in ``valid_from``'s
  time zone.
* Learner identifiers other than the subject's ``id`` become ``IdentityObject`` entries.
  Given a ``salt``, each is hashed as the specification describes
  (``sha256$`` + the hex SHA-256 of the value followed by the salt); without one it is
  written in plain text. The learner's name is always plain (``identityType: name``): it is
  what people read. The salt is a parameter — the core draws no random numbers.

Pure: ids, dates, the issuer and the salt are parameters; no clock, no network, no I/O but
reading the bundled context.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, field_validator

from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    Award,
    CreditAmount,
    CreditSystem,
    IdentifierType,
    Programme,
)
from credstack.core.types import MultilingualText, Slug
from credstack.errors import InputError, MalformedCredentialError, Problem

__all__ = [
    "ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "EXTENSION_CONTEXT_URL",
    "EXTENSION_PROPERTY",
    "EXTENSION_TYPE",
    "OB_CONTEXT_URL",
    "VC_CONTEXT_URL",
    "VOCABULARY_BASE",
    "IssuerProfile",
    "achievement_type",
    "build_achievement",
    "build_open_badge_credential",
    "descriptors_from_achievement",
    "descriptors_from_credential",
    "extension_context",
    "identity_hash",
]

#: The W3C Verifiable Credentials Data Model v2.0 base context (always first).
VC_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
#: The current Open Badges 3.0 context (3.0.3 added ``inLanguage`` and ``awardedDate``).
OB_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: The credstack micro-credential extension context, bundled as ``contexts/mc-v1.jsonld``.
EXTENSION_CONTEXT_URL: Final = "https://w3id.org/credstack/mc/v1"
#: Where the extension's terms live: ``https://w3id.org/credstack/mc#learnerEffort`` …
VOCABULARY_BASE: Final = "https://w3id.org/credstack/mc#"
#: The achievement property and the type of the object that carries the descriptors.
EXTENSION_PROPERTY: Final = "microCredential"
EXTENSION_TYPE: Final = "MicroCredentialDescriptors"
#: The formal 1EdTech JSON Schema an issued credential may name in ``credentialSchema``
#: (with type ``1EdTechJsonSchemaValidator2019``, defined by the OB ``extensions.json``
#: context, which the issuing layer adds when it adds the schema reference).
ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: Final = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)

_CONTEXT_FILE = "mc-v1.jsonld"
_FALLBACK_LANGUAGES = ("en", "ja")
#: "Undetermined" (BCP 47): the language of a text read from a foreign credential.
_UNDETERMINED = "und"

#: The credit system native to an issuer's country, preferred for ``creditsAvailable``.
_NATIVE_CREDIT_SYSTEM: Final = {
    "JP": CreditSystem.JP_TANI,
    "MY": CreditSystem.MY_CREDIT,
    "NZ": CreditSystem.NZ_CREDIT,
    "US": CreditSystem.US_CREDIT_HOUR,
}

#: ``inLanguage`` as the OB 3.0 formal schema accepts it (language, script, region).
_OB_LANGUAGE_CODE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._%-](?:[/?#]\S*)?$")

#: The descriptor texts that are language maps (``{"ja": …, "en": …}``), by model field.
_LANGUAGE_MAPS: Final = frozenset({
    "title", "description", "statement", "name", "grading", "body", "prerequisites",
    "inherent_requirements", "financial_assistance", "text",
})

# --- labels for the readable texts ------------------------------------------------------
# Vocabulary labels come from credstack.core.descriptors.labels, shared with the pages.

#: Headings and labels of the criteria narrative, by language (English for the others).
_WORDS: Final[dict[str, dict[str, str]]] = {
    "ja": {
        "outcomes": "学修成果",
        "assessment": "評価の方法",
        "supervision": "評価時の監督と本人確認",
        "grading": "成績評価",
        "completion": "プログラムを修了した学習者に授与されます。",
        "list": "、",
        "colon": "：",
    },
    "en": {
        "outcomes": "Learning outcomes",
        "assessment": "Assessment",
        "supervision": "Supervision and identity verification",
        "grading": "Grading",
        "completion": "Awarded to learners who complete the programme.",
        "list": ", ",
        "colon": ": ",
    },
}


#: OB 3.0 ``identityType`` for each kind of learner identifier (``url`` and ``did`` become
#: the subject's ``id`` when they are the first such identifier).
_IDENTITY_TYPES: Final[dict[IdentifierType, str]] = {
    IdentifierType.EMAIL: "emailAddress",
    IdentifierType.STUDENT_ID: "sisSourcedId",
    IdentifierType.NATIONAL_ID: "nationalIdentityNumber",
    IdentifierType.URL: "identifier",
    IdentifierType.DID: "identifier",
    IdentifierType.OTHER: "identifier",
}


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


# --- the issuer -------------------------------------------------------------------------


class IssuerProfile(BaseModel):
    """The organisation that signs the credential, as its OB 3.0 ``Profile`` shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    #: A DID (``did:web:…``, ``did:key:…``) or an HTTPS URL that identifies the issuer.
    id: str
    name: MultilingualText
    #: The credstack organisation this profile is, when it is one: an awarding body with
    #: this slug is then written as the achievement's ``creator`` under the same ``id``.
    slug: Slug | None = None
    url: AnyHttpUrl | None = None
    email: str | None = None
    description: MultilingualText | None = None

    @field_validator("id")
    @classmethod
    def _did_or_url(cls, value: str) -> str:
        if not (_is_did(value) or _is_http_url(value)):
            raise ValueError(f"{value!r} is neither a DID nor an http(s) URL")
        return value

    def to_profile(self, language: str) -> dict[str, Any]:
        """The OB 3.0 ``Profile`` with the texts in ``language`` (or a fallback)."""
        profile: dict[str, Any] = {
            "id": self.id,
            "type": ["Profile"],
            "name": _text(self.name, language),
        }
        if self.url is not None:
            profile["url"] = str(self.url)
        if self.email is not None:
            profile["email"] = self.email
        if self.description is not None:
            profile["description"] = _text(self.description, language)
        return profile


# --- the bundled context ----------------------------------------------------------------


@cache
def _context_text() -> str:
    folder = resources.files(__package__).joinpath("contexts")
    return folder.joinpath(_CONTEXT_FILE).read_text(encoding="utf-8")


def extension_context() -> dict[str, Any]:
    """The credstack micro-credential JSON-LD context (a fresh copy, free to change)."""
    document: dict[str, Any] = json.loads(_context_text())
    return document


# --- small helpers ----------------------------------------------------------------------


def _is_did(value: str) -> bool:
    return bool(_DID.match(value))


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def _text(text: MultilingualText, language: str) -> str:
    return text.text(language, *_FALLBACK_LANGUAGES)


def _timestamp(moment: dt.datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"{name} has no time zone",
            problems=[Problem(name, "give an aware datetime, e.g. 2025-04-01T00:00:00+09:00")],
        )
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _ob_language_code(tag: str) -> str | None:
    """``tag`` with BCP 47 letter case (``zh-hant-tw`` → ``zh-Hant-TW``) if OB accepts it."""
    parts = tag.split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            cased.append(part.title())
        elif len(part) == 2 and part.isalpha():
            cased.append(part.upper())
        else:
            cased.append(part.lower())
    code = "-".join(cased)
    return code if _OB_LANGUAGE_CODE.match(code) else None


def _sub_id(base: str, name: str) -> str:
    """An identifier for a part of the achievement: ``<achievement id>#<name>``."""
    return f"{base}{'-' if '#' in base else '#'}{name}"


def identity_hash(value: str, salt: str | None = None) -> str:
    """An OB 3.0 ``IdentityHash``: ``sha256$`` and the hex SHA-256 of value + salt (UTF-8).

    >>> identity_hash("a@example.com", "Kosher")
    'sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399'
    """
    digest = hashlib.sha256(f"{value}{salt or ''}".encode()).hexdigest()
    return f"sha256${digest}"


# --- the achievement --------------------------------------------------------------------


def achievement_type(programme: Programme) -> str:
    """``MicroCredential`` when learning outcomes are assessed, else ``Badge``."""
    assessment = programme.assessment
    if assessment is None or assessment.participation_only:
        return "Badge"
    return "MicroCredential"


def _credits_available(programme: Programme) -> CreditAmount | None:
    effort = programme.learner_effort
    if effort is None or not effort.credits:
        return None
    region = programme.issuer_region
    native = _NATIVE_CREDIT_SYSTEM.get(region.country) if region is not None else None
    for amount in effort.credits:
        if amount.system is native:
            return amount
    return effort.credits[0]


def _narrative(programme: Programme, language: str) -> str:
    words = _words(language)
    sections: list[str] = []
    if programme.learning_outcomes:
        lines = [f"## {words['outcomes']}", ""]
        lines += [f"- {_text(o.statement, language)}" for o in programme.learning_outcomes]
        sections.append("\n".join(lines))
    assessment = programme.assessment
    if assessment is not None:
        methods = words["list"].join(
            label(method, language) for method in assessment.methods
        )
        lines = [f"## {words['assessment']}", "", methods]
        if assessment.description is not None:
            lines += ["", _text(assessment.description, language)]
        if assessment.supervision is not None:
            supervision = label(assessment.supervision, language)
            lines += ["", f"{words['supervision']}{words['colon']}{supervision}"]
        if assessment.grading is not None:
            grading = _text(assessment.grading, language)
            lines += ["", f"{words['grading']}{words['colon']}{grading}"]
        sections.append("\n".join(lines))
    if not sections:
        sections.append(words["completion"])
    return "\n\n".join(sections)


def _alignments(programme: Programme, language: str) -> list[dict[str, Any]]:
    alignments: list[dict[str, Any]] = []
    for skill in programme.skills:
        if skill.url is None:
            continue
        alignment: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": _text(skill.name, language),
            "targetType": "ext:Skill",
            "targetUrl": str(skill.url),
        }
        if skill.framework is not None:
            alignment["targetFramework"] = skill.framework
        if skill.code is not None:
            alignment["targetCode"] = skill.code
        alignments.append(alignment)
    return alignments


def _to_extension(value: Any, key: str | None = None) -> Any:
    """A descriptor value with camelCase keys; language maps are copied as they are."""
    if key in _LANGUAGE_MAPS:
        return value
    if isinstance(value, dict):
        return {_camel(k): _to_extension(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_extension(item) for item in value]
    return value


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower()


def _extension(programme: Programme, credits: CreditAmount | None) -> dict[str, Any]:
    document = programme.to_document()
    # The code travels as the standard's humanCode; the awarding body's credstack id is a
    # slug, not an IRI, so it must not sit under the JSON-LD keyword alias "id".
    document.pop("code", None)
    if "awarding_body" in document:
        body = dict(document["awarding_body"])
        document["awarding_body"] = {"slug": body.pop("id"), **body}
    extension: dict[str, Any] = {"type": EXTENSION_TYPE, **_to_extension(document)}
    if credits is not None:
        extension["creditsAvailableSystem"] = credits.system.value
    return extension


def build_achievement(
    *,
    programme: Programme,
    achievement_id: str,
    creator_id: str | None = None,
    language: str = "ja",
) -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` of a programme version, descriptors included.

    ``achievement_id`` is the stable URL of this programme version's achievement;
    ``creator_id`` the ``Profile`` id of the awarding body (without it, no ``creator`` is
    written: a profile needs an id, and the awarding body's slug is not one).
    """
    _require_uri(achievement_id, "achievement_id")
    title = programme.title
    description = programme.description
    problems = [
        Problem(name, "needed: an OB 3.0 achievement has a name and a description")
        for name, value in (("title", title), ("description", description))
        if value is None
    ]
    if problems or title is None or description is None:
        raise InputError(f"programme {programme.code} cannot become an achievement",
                         problems=problems)
    credits = _credits_available(programme)
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement_type(programme),
        "name": _text(title, language),
        "description": _text(description, language),
        "criteria": {"narrative": _narrative(programme, language)},
        "humanCode": programme.code,
    }
    if credits is not None:
        achievement["creditsAvailable"] = _number(credits.value)
    in_language = next(
        (code for code in map(_ob_language_code, programme.languages) if code), None
    )
    if in_language is not None:
        achievement["inLanguage"] = in_language
    if programme.fields:
        labels = [label(field, language) for field in programme.fields]
        achievement["fieldOfStudy"] = labels[0]
        achievement["tag"] = labels
    alignments = _alignments(programme, language)
    if alignments:
        achievement["alignment"] = alignments
    assessment = programme.assessment
    if assessment is not None and assessment.grading is not None:
        achievement["resultDescription"] = [{
            "id": _sub_id(achievement_id, "grading"),
            "type": ["ResultDescription"],
            "name": _text(assessment.grading, language),
            "resultType": "Result",
        }]
    body = programme.awarding_body
    if body is not None and creator_id is not None:
        creator: dict[str, Any] = {
            "id": creator_id,
            "type": ["Profile"],
            "name": _text(body.name, language),
        }
        if body.url is not None:
            creator["url"] = str(body.url)
        achievement["creator"] = creator
    achievement[EXTENSION_PROPERTY] = _extension(programme, credits)
    return achievement


# --- the credential ---------------------------------------------------------------------


def _require_uri(value: str, name: str) -> None:
    if not _URI.match(value):
        raise InputError(f"{name} is not a URI",
                         problems=[Problem(name, f"{value!r} is not an absolute URI")])


def _subject(award: Award, salt: str | None, language: str) -> dict[str, Any]:
    learner = award.learner
    if learner is None:
        raise InputError("the award does not identify the learner", problems=[
            Problem("award.learner", "give the learner's name or an identifier")])
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    identities: list[dict[str, Any]] = []
    if learner.name is not None:
        names = learner.name.root
        first = _text(learner.name, language)
        for text in [first, *(t for t in names.values() if t != first)]:
            identities.append({
                "type": "IdentityObject",
                "identityHash": text,
                "identityType": "name",
                "hashed": False,
            })
    for identifier in learner.identifiers:
        value = identifier.value
        if "id" not in subject and (
            (identifier.type is IdentifierType.DID and _is_did(value))
            or (identifier.type is IdentifierType.URL and _is_http_url(value))
        ):
            subject["id"] = value
            continue
        identity: dict[str, Any] = {
            "type": "IdentityObject",
            "identityHash": identity_hash(value, salt) if salt is not None else value,
            "identityType": _IDENTITY_TYPES[identifier.type],
            "hashed": salt is not None,
        }
        if salt is not None:
            identity["salt"] = salt
        identities.append(identity)
    if identities:
        subject["identifier"] = identities
    return subject


def build_open_badge_credential(
    *,
    programme: Programme,
    award: Award,
    issuer: IssuerProfile,
    credential_id: str,
    achievement_id: str,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
    language: str = "ja",
    salt: str | None = None,
    creator_id: str | None = None,
    achievement: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` awarding ``programme`` to ``award.learner``.

    ``credential_id`` is the credential's URI (``urn:uuid:…``), ``achievement_id`` the stable
    URL of the programme version's achievement, ``valid_from``/``valid_until`` aware
    datetimes. Texts in the standard's fields are in ``language`` (else English, else
    Japanese, else any); the extension keeps every language. ``salt`` hashes the learner's
    identifiers (see the module docstring). ``creator_id`` is the awarding body's profile
    id; by default it is the issuer's id when the issuer *is* the awarding body (its
    ``slug`` is the awarding body's), and otherwise no ``creator`` is written — never the
    issuer's id under another organisation's name.

    ``achievement``, when given, is the programme version's achievement as
    :func:`build_achievement` made it (for the same programme, id, creator and language):
    bulk issuance builds it once per cohort instead of once per learner (most of the cost
    of a credential). It is placed in the credential as it is, not copied — treat it, and
    every credential that holds it, as read-only.

    Raises :class:`~credstack.errors.InputError` naming the parameter or descriptor that
    cannot go into a credential.
    """
    _require_uri(credential_id, "credential_id")
    starts = _timestamp(valid_from, "valid_from")
    subject = _subject(award, salt, language)
    if achievement is None:
        body = programme.awarding_body
        if creator_id is None and body is not None and issuer.slug == body.id:
            creator_id = issuer.id
        achievement = build_achievement(
            programme=programme,
            achievement_id=achievement_id,
            creator_id=creator_id,
            language=language,
        )
    elif achievement.get("id") != achievement_id:
        raise InputError("the prebuilt achievement is another one", problems=[
            Problem("achievement", f"its id is not achievement_id {achievement_id!r}")])
    subject["achievement"] = achievement
    if award.grade is not None:
        result: dict[str, Any] = {"type": ["Result"], "value": award.grade}
        if "resultDescription" in achievement:
            result["resultDescription"] = achievement["resultDescription"][0]["id"]
        subject["result"] = [result]
    awarded = (
        dt.datetime.combine(award.issued_on, dt.time(), tzinfo=valid_from.tzinfo)
        if award.issued_on is not None
        else valid_from
    )
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_URL, OB_CONTEXT_URL, EXTENSION_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.to_profile(language),
        "validFrom": starts,
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until, "valid_until")
        if valid_until <= valid_from:
            raise InputError("the credential would expire before it is valid", problems=[
                Problem("valid_until", f"{valid_until.isoformat()} is not after valid_from")])
    credential["name"] = achievement["name"]
    credential["awardedDate"] = _timestamp(awarded, "award.issued_on")
    credential["credentialSubject"] = subject
    return credential


# --- reading the descriptors back -------------------------------------------------------


def _from_extension(value: Any, key: str | None = None) -> Any:
    """The inverse of :func:`_to_extension`, dropping JSON-LD ``id``/``type`` members."""
    if key in _LANGUAGE_MAPS:
        return value
    if isinstance(value, dict):
        return {
            _snake(k): _from_extension(v, _snake(k))
            for k, v in value.items()
            if k not in {"id", "type", "@id", "@type"}
        }
    if isinstance(value, list):
        return [_from_extension(item) for item in value]
    return value


def descriptors_from_achievement(achievement: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document an OB 3.0 ``Achievement`` states, for ``Programme``.

    From a credstack achievement this is the programme's whole descriptor document. From a
    foreign one without the extension, only what the standard's own fields say: the code
    (``humanCode``), the title and description (language undetermined, ``und``), the
    language and the skills aligned by URL. The result is not validated here: pass it to
    :meth:`Programme.model_validate` (or the framework validation) to judge it.
    """
    document: dict[str, Any] = {}
    code = achievement.get("humanCode")
    if isinstance(code, str):
        document["code"] = code
    extension = achievement.get(EXTENSION_PROPERTY)
    if isinstance(extension, Mapping):
        descriptors = _from_extension(dict(extension))
        descriptors.pop("credits_available_system", None)
        if isinstance(descriptors.get("awarding_body"), dict):
            body = descriptors["awarding_body"]
            if "slug" in body:
                descriptors["awarding_body"] = {"id": body.pop("slug"), **body}
        document.update(descriptors)
    for field, name in (("title", "name"), ("description", "description")):
        if field not in document and isinstance(achievement.get(name), str):
            document[field] = {_UNDETERMINED: achievement[name]}
    if "languages" not in document and isinstance(achievement.get("inLanguage"), str):
        document["languages"] = [achievement["inLanguage"]]
    if "skills" not in document:
        skills = [
            {
                "name": {_UNDETERMINED: alignment["targetName"]},
                "url": alignment["targetUrl"],
                **({"framework": alignment["targetFramework"]}
                   if "targetFramework" in alignment else {}),
                **({"code": alignment["targetCode"]} if "targetCode" in alignment else {}),
            }
            for alignment in achievement.get("alignment") or ()
            if isinstance(alignment, Mapping)
            and isinstance(alignment.get("targetName"), str)
            and isinstance(alignment.get("targetUrl"), str)
        ]
        if skills:
            document["skills"] = skills
    return document


def descriptors_from_credential(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document of the achievement an ``OpenBadgeCredential`` awards.

    Raises :class:`~credstack.errors.MalformedCredentialError` when the credential has no
    ``credentialSubject.achievement`` object.
    """
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(achievement, Mapping):
        raise MalformedCredentialError(
            "the credential awards no achievement",
            problems=[Problem("credentialSubject.achievement", "an object is required")],
        )
    return descriptors_from_achievement(achievement)
