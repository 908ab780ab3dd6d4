"""What an Open Badges 3.0 credential of a programme is built from beside its achievement
(:mod:`credstack.core.descriptors.achievement`): the issuer's profile, the contexts, the
bundled extension context and the learner's identity hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, field_validator

from credstack.core.descriptors.achievement import _text
from credstack.core.descriptors.models import IdentifierType
from credstack.core.types import MultilingualText, Slug
from credstack.errors import InputError, Problem

#: The W3C Verifiable Credentials Data Model v2.0 base context (always first).
VC_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"


#: The current Open Badges 3.0 context (3.0.3 added ``inLanguage`` and ``awardedDate``).
OB_CONTEXT_URL: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


#: The credstack micro-credential extension context, bundled as ``contexts/mc-v1.jsonld``.
EXTENSION_CONTEXT_URL: Final = "https://w3id.org/credstack/mc/v1"


#: The ``achievementType`` of a credit recognition: credits a registrar recognised toward a
#: programme (a credit bank's approved decision), never the programme's completion. Open
#: Badges 3.0 extends its vocabulary with ``ext:`` terms (§ B.3.1, ``AchievementType``).
CREDIT_RECOGNITION_TYPE: Final = "ext:CreditRecognition"


#: Where the extension's terms live: ``https://w3id.org/credstack/mc#learnerEffort`` …
VOCABULARY_BASE: Final = "https://w3id.org/credstack/mc#"


#: The formal 1EdTech JSON Schema an issued credential may name in ``credentialSchema``
#: (with type ``1EdTechJsonSchemaValidator2019``, defined by the OB ``extensions.json``
#: context, which the issuing layer adds when it adds the schema reference).
ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: Final = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)


_CONTEXT_FILE = "mc-v1.jsonld"


_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._%-](?:[/?#]\S*)?$")


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


@cache
def _context_text() -> str:
    folder = resources.files("credstack.core.credentials").joinpath("contexts")
    return folder.joinpath(_CONTEXT_FILE).read_text(encoding="utf-8")


def extension_context() -> dict[str, Any]:
    """The credstack micro-credential JSON-LD context (a fresh copy, free to change)."""
    document: dict[str, Any] = json.loads(_context_text())
    return document


def _is_did(value: str) -> bool:
    return bool(_DID.match(value))


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def _timestamp(moment: dt.datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"{name} has no time zone",
            problems=[Problem(name, "give an aware datetime, e.g. 2025-04-01T00:00:00+09:00")],
        )
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def identity_hash(value: str, salt: str | None = None) -> str:
    """An OB 3.0 ``IdentityHash``: ``sha256$`` and the hex SHA-256 of value + salt (UTF-8).

    >>> identity_hash("a@example.com", "Kosher")
    'sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399'
    """
    digest = hashlib.sha256(f"{value}{salt or ''}".encode()).hexdigest()
    return f"sha256${digest}"
