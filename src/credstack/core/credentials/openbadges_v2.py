"""Open Badges 2.0: a micro-credential as hosted and signed Badge Objects, and their rules.

Specification: *Open Badges v2.0*, IMS Global Learning Consortium (now 1EdTech), IMS Final
Release of 12 April 2018, document revision of 21 May 2021 —
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html (the same text
is at https://www.imsglobal.org/spec/ob/v2p0/). Its JSON-LD context is
``https://w3id.org/openbadges/v2``. Where the text leaves a rule open, the rules of the
1EdTech public validator (``1EdTech/digital-credentials-public-validator``, the OB 2.0
inspector and its ``Assertion.validationMap``) are followed; deviations are named below.

Building (pure: ids, dates, keys and salts are parameters):

* :func:`build_issuer_profile`, :func:`build_cryptographic_key`,
  :func:`build_revocation_list` — the issuer's documents;
* :func:`build_badge_class` — a programme version as a ``BadgeClass`` (see the mapping
  below);
* :func:`build_assertion`, :func:`identity_object` — one learner's award;
* :func:`sign_assertion` — a *signed* badge: the assertion as the payload of a compact JWS,
  ``RS256`` with an RSA key ("For compatibility purposes, using RSA-SHA256 is recommended",
  §SignedBadge; the 1EdTech validator accepts nothing else), or ``ES256`` with a P-256 key
  (about 25 times faster to sign; verifiers other than the 1EdTech one accept it).

The descriptors of a programme go into a BadgeClass as the Japanese *guideline for issuing
micro-credentials digitally, 1.1 (Open Badges 2.0)* maps them (seed 000, table "Descriptors
of Microcredentials and Digital Badges"): the title is ``name``, the description
``description``, the provider and its country/region the ``issuer``, the learner the
assertion's ``recipient``, the date of issuing its ``issuedOn``; every other descriptor —
learning outcomes, language, delivery mode, learner effort, inherent requirements, price,
assessment, certification, credit recognition, quality assurance, prerequisites, level — is
a section of ``criteria.narrative`` (Markdown), in the table's order. Skills with a URL
become ``alignment``\\ s, fields of study ``tags``. Every descriptor is also kept, in every
language and without loss, in the ``extensions:MicroCredential`` extension: an OB 2.0
Extension object with its own ``@context`` (credstack's vocabulary,
``https://w3id.org/credstack/mc/v1``) whose ``microCredential`` member is exactly the object
an Open Badges 3.0 achievement carries (``docs/mc-extension.md``), plus the programme code.

Checking (pure, plain JSON — no JSON-LD expansion, nothing fetched): :func:`class_of`,
:func:`validate`, :func:`context_problems`, :func:`extension_problems`,
:func:`hosted_policy_problem`, :func:`revocation_entry`, :func:`recipient_matches`,
:func:`read_jws` and :func:`verify_jws`. The verification pipeline
(:mod:`credstack.core.verification.openbadges_v2`) runs them with the fetching seam and the
clock it is given.

Deviations from the 1EdTech validator, each on the safe side:

* an inline ``@context`` object is accepted only when it defines the core Open Badges terms
  as the published context does (the validator does not look inside inline contexts);
* a hosted assertion is verified from the copy its issuer serves at its ``id`` (the
  specification's rule; the validator checks the copy it is given);
* an issuer profile whose ``id`` is not an HTTP URL has its hosted-verification origin taken
  from where it was fetched (the validator skips the origin check with a warning);
* ``RevocationList.revokedAssertions`` is required, as the specification marks it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    build_achievement,
    descriptors_from_achievement,
)
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import CreditSystem, Programme
from credstack.core.types import MultilingualText
from credstack.errors import InputError, MalformedCredentialError, Problem, SignatureError

__all__ = [
    "ACCEPTED_ALGORITHMS",
    "CONTEXT_URL",
    "CONTEXT_URLS",
    "EXTENSION_KEY",
    "EXTENSION_TYPE",
    "OB3_ACHIEVEMENT_TYPE",
    "OB3_PROFILE_TYPE",
    "OB_VOCABULARY",
    "SIGNING_ALGORITHM",
    "SIGNING_ALGORITHMS",
    "Jws",
    "SigningKey",
    "algorithm_of",
    "build_assertion",
    "build_badge_class",
    "build_cryptographic_key",
    "build_issuer_profile",
    "build_revocation_list",
    "class_of",
    "context_problems",
    "criteria_narrative",
    "descriptors_from_badge_class",
    "expand",
    "extension_problems",
    "hosted_policy_problem",
    "identity_hash",
    "identity_object",
    "is_http_url",
    "is_iri",
    "parse_datetime",
    "read_jws",
    "recipient_matches",
    "revocation_entry",
    "same_authority",
    "sign_assertion",
    "types_of",
    "validate",
    "verification_type",
    "verify_jws",
]

#: The Open Badges 2.0 JSON-LD context, and the alias its documents also use.
CONTEXT_URL: Final = "https://w3id.org/openbadges/v2"
CONTEXT_URLS: Final = frozenset({CONTEXT_URL, "https://openbadgespec.org/v2/context.json"})
#: The Open Badges vocabulary (``obi:``) and the community extensions namespace.
OB_VOCABULARY: Final = "https://w3id.org/openbadges#"
EXTENSIONS_NAMESPACE: Final = "https://w3id.org/openbadges/extensions#"
#: The property and type of credstack's micro-credential extension in OB 2.0 documents.
EXTENSION_KEY: Final = "extensions:MicroCredential"
EXTENSION_TYPE: Final = "extensions:MicroCredential"
#: Full IRIs of the OB 3.0 classes, for ``related`` links (OB 3.0 implementation guide,
#: "Migrating from OB 2.0": the terms are not in the OB 2.0 context).
OB3_ACHIEVEMENT_TYPE: Final = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement"
OB3_PROFILE_TYPE: Final = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile"
#: The JWS algorithm credstack signs with by default, those it can sign with, and those it
#: verifies (each with its key type: RS256 an RSA key, ES256 a P-256 key, EdDSA Ed25519).
SIGNING_ALGORITHM: Final = "RS256"
SIGNING_ALGORITHMS: Final = ("RS256", "ES256")
ACCEPTED_ALGORITHMS: Final = ("RS256", "ES256", "EdDSA")
#: The smallest RSA key accepted (NIST SP 800-131A: 2048 bits since 2014).
MIN_RSA_BITS: Final = 2048

_PREFIXES: Final[Mapping[str, str]] = {
    "obi": OB_VOCABULARY,
    "extensions": EXTENSIONS_NAMESPACE,
    "cred": "https://w3id.org/credentials#",
    "dc": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "sec": "https://w3id.org/security#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _term_table() -> dict[str, str]:
    compact = {
        "AlignmentObject": "schema:AlignmentObject", "CryptographicKey": "sec:Key",
        "Endorsement": "cred:Credential", "Assertion": "obi:Assertion",
        "BadgeClass": "obi:BadgeClass", "Criteria": "obi:Criteria", "Evidence": "obi:Evidence",
        "Extension": "obi:Extension", "FrameValidation": "obi:FrameValidation",
        "IdentityObject": "obi:IdentityObject", "Image": "obi:Image",
        "HostedBadge": "obi:HostedBadge", "hosted": "obi:HostedBadge", "Issuer": "obi:Issuer",
        "Profile": "obi:Profile", "RevocationList": "obi:RevocationList",
        "SignedBadge": "obi:SignedBadge", "signed": "obi:SignedBadge",
        "TypeValidation": "obi:TypeValidation", "VerificationObject": "obi:VerificationObject",
        "author": "schema:author", "caption": "schema:caption", "claim": "cred:claim",
        "created": "dc:created", "creator": "dc:creator", "description": "schema:description",
        "email": "schema:email", "endorsement": "cred:credential", "expires": "sec:expiration",
        "genre": "schema:genre", "image": "schema:image", "name": "schema:name",
        "owner": "sec:owner", "publicKey": "sec:publicKey", "publicKeyPem": "sec:publicKeyPem",
        "related": "dc:relation",
        "startsWith": "http://purl.org/dqm-vocabulary/v1/dqm#startsWith",
        "tags": "schema:keywords", "targetDescription": "schema:targetDescription",
        "targetFramework": "schema:educationalFramework", "targetName": "schema:targetName",
        "targetUrl": "schema:targetUrl", "telephone": "schema:telephone", "url": "schema:url",
        "version": "schema:version", "alignment": "obi:alignment",
        "allowedOrigins": "obi:allowedOrigins", "audience": "obi:audience",
        "badge": "obi:badge", "criteria": "obi:criteria",
        "endorsementComment": "obi:endorsementComment", "evidence": "obi:evidence",
        "hashed": "obi:hashed", "identity": "obi:identityHash", "issuedOn": "obi:issueDate",
        "issuer": "obi:issuer", "narrative": "obi:narrative", "recipient": "obi:recipient",
        "revocationList": "obi:revocationList", "revocationReason": "obi:revocationReason",
        "revoked": "obi:revoked", "revokedAssertions": "obi:revoked", "salt": "obi:salt",
        "targetCode": "obi:targetCode", "uid": "obi:uid", "validation": "obi:validation",
        "validatesType": "obi:validatesType", "validationFrame": "obi:validationFrame",
        "validationSchema": "obi:validationSchema", "verification": "obi:verify",
        "verificationProperty": "obi:verificationProperty", "verify": "obi:verify",
    }
    table = {"id": "@id", "type": "@type", **{prefix: iri for prefix, iri in _PREFIXES.items()}}
    for term, value in compact.items():
        prefix, _, suffix = value.partition(":")
        table[term] = _PREFIXES[prefix] + suffix if prefix in _PREFIXES else value
    return table


#: Every term of the Open Badges 2.0 context and the IRI it stands for (``id``/``type``:
#: the keywords). Tested against the published context file.
TERMS: Final[Mapping[str, str]] = _term_table()
#: The terms an inline ``@context`` must define exactly as the published one does, for the
#: document to be read as Open Badges 2.0 without JSON-LD processing.
_CORE_TERMS: Final = (
    "id", "type", "Assertion", "BadgeClass", "Issuer", "Profile", "CryptographicKey",
    "RevocationList", "IdentityObject", "HostedBadge", "SignedBadge", "badge", "issuer",
    "recipient", "verification", "issuedOn", "expires", "name", "description", "criteria",
    "image", "url", "email", "publicKey", "revocationList", "revokedAssertions", "identity",
    "hashed", "salt", "startsWith", "allowedOrigins", "creator", "owner", "publicKeyPem",
    "narrative", "alignment", "targetName", "targetUrl", "tags", "evidence", "revoked",
)

#: The classes a Badge Object can be read as (in the order the validator tries them).
CLASSES: Final = (
    "Assertion", "BadgeClass", "Issuer", "Profile", "Endorsement", "AlignmentObject",
    "Criteria", "CryptographicKey", "Evidence", "Extension", "IdentityObject", "Image",
    "RevocationList", "VerificationObject",
)

_UUID_URN = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}"
                       r"-[0-9a-f]{12}", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>[Zz]|(?P<sign>[+-])(?P<zh>\d{2})(?::?(?P<zm>\d{2})(?::?(?P<zs>\d{2}))?)?)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_TELEPHONE = re.compile(r"\+?[1-9]\d{1,14}(;ext=\d+)?")
_HOST = re.compile(r"(?=^.{4,253}$)(^((?!-)[a-zA-Z0-9-]{0,62}[a-zA-Z0-9]\.)+[a-zA-Z]{2,63}$)")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_IDENTITY_HASH = re.compile(r"(?:md5\$[0-9a-fA-F]{32}|sha256\$[0-9a-fA-F]{64})")
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
#: An http(s) URL with a host (a name, an IPv4 or a bracketed IPv6 address), no whitespace.
_HTTP_URL = re.compile(r"https?://(?:[^\s/?#@]*@)?(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#:@\[\]]+)"
                       r"(?::[0-9]*)?(?:[/?#]\S*)?", re.IGNORECASE)


# --- small readers ---------------------------------------------------------------------------

def _items(value: object) -> list[Any]:
    """A JSON-LD set as a list: nothing, one value, or an array of values."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


_PLAIN: Final = (str, int, float, bool, list, type(None))


def _is_map(value: object) -> bool:
    """A JSON object. Parsed JSON gives dicts; other mappings are read too, more slowly (the
    abstract-class check is most of the cost of walking a document)."""
    return isinstance(value, dict) or (not isinstance(value, _PLAIN)
                                       and isinstance(value, Mapping))


def types_of(node: Mapping[str, Any]) -> tuple[str, ...]:
    """The strings in a node's ``type`` (``@type``), in order; others are ignored."""
    value = node.get("type", node.get("@type"))
    return tuple(item for item in _items(value) if isinstance(item, str))


def is_http_url(value: object) -> bool:
    """An absolute ``http`` or ``https`` URL with a host (what OB 2.0 interpreters handle)."""
    return isinstance(value, str) and bool(_HTTP_URL.fullmatch(value))


def is_iri(value: object) -> bool:
    """An IRI as the validator reads one: an HTTP(S) URL, a ``urn:uuid`` or a blank node."""
    if not isinstance(value, str):
        return False
    return (value.startswith("_:") and len(value) > 2) or bool(_UUID_URN.fullmatch(value)) or (
        is_http_url(value))


def _is_data_uri(value: object) -> bool:
    return isinstance(value, str) and value[:5].lower() == "data:" and "," in value


def expand(term: str) -> str | None:
    """The IRI a term, compact IRI or IRI stands for under the OB 2.0 context (else None)."""
    if term in TERMS:
        return TERMS[term]
    prefix, colon, suffix = term.partition(":")
    if not colon:
        return None
    if prefix in _PREFIXES and not suffix.startswith("//"):
        return _PREFIXES[prefix] + suffix
    return term if prefix and prefix[0].isalpha() and all(
        ch.isalnum() or ch in "+-." for ch in prefix) else None


def _is_type(value: object) -> bool:
    """A valid ``type`` value: a term, compact IRI or IRI that expands to an IRI."""
    if not isinstance(value, str):
        return False
    expanded = expand(value)
    return expanded is not None and is_iri(expanded)


def class_of(node: Mapping[str, Any]) -> str:
    """The Open Badges class a node is read as: a class of :data:`CLASSES`, ``External``
    (every type is an IRI outside the vocabulary) or ``Unknown``."""
    types = types_of(node)
    for value in types:
        if value in CLASSES:
            return value
        expanded = expand(value)
        if expanded is not None and expanded.startswith(OB_VOCABULARY):
            name = expanded.removeprefix(OB_VOCABULARY)
            if name in CLASSES:
                return name
    if types and all(_is_type(value) for value in types):
        return "External"
    return "Unknown"


def verification_type(node: Mapping[str, Any]) -> str | None:
    """``hosted`` or ``signed`` from an assertion's verification object; None when neither."""
    value = node.get("verification", node.get("verify"))
    if not isinstance(value, Mapping):
        return None
    for item in types_of(value):
        expanded = expand(item)
        if expanded == OB_VOCABULARY + "HostedBadge":
            return "hosted"
        if expanded == OB_VOCABULARY + "SignedBadge":
            return "signed"
    return None


def parse_datetime(value: object) -> dt.datetime | None:
    """An OB 2.0 DateTime — ISO 8601 with a time and a zone — as an aware datetime."""
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.fullmatch(value.strip())
    if match is None:
        return None
    offset = dt.timedelta(0)
    if match["sign"]:
        offset = dt.timedelta(hours=int(match["zh"]), minutes=int(match["zm"] or 0),
                              seconds=int(match["zs"] or 0))
        if match["sign"] == "-":
            offset = -offset
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    try:
        return dt.datetime(int(match["year"]), int(match["month"]), int(match["day"]),
                           int(match["hour"]), int(match["minute"]), int(match["second"] or 0),
                           int(fraction), tzinfo=dt.timezone(offset))
    except ValueError:
        return None


def same_authority(first: str, second: str) -> bool:
    """Whether two HTTP(S) URLs name the same host and port (the scheme may differ)."""
    return _authority(first) == _authority(second) is not None


def _authority(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return parts.netloc.rpartition("@")[2].lower()


# --- recipients --------------------------------------------------------------------------------

def identity_hash(value: str, salt: str | None = None, *, algorithm: str = "sha256") -> str:
    """An OB 2.0 IdentityHash: ``<algorithm>$`` and the hex digest of value + salt (UTF-8).

    >>> identity_hash("mayze")
    'sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6'
    """
    if algorithm not in {"sha256", "md5"}:
        raise InputError("unsupported identity hash", problems=[Problem(
            "algorithm", f"OB 2.0 hashes identities with sha256 or md5, not {algorithm!r}")])
    digest = hashlib.new(algorithm, f"{value}{salt or ''}".encode(), usedforsecurity=False)
    return f"{algorithm}${digest.hexdigest()}"


def identity_object(value: str, *, kind: str = "email", salt: str | None = None) -> dict[str, Any]:
    """A recipient ``IdentityObject``: hashed with ``salt`` when one is given, else plain."""
    if kind not in {"email", "url", "telephone", "id"}:
        raise InputError("unsupported recipient type", problems=[Problem(
            "recipient.type", f"use email, url, telephone or id, not {kind!r}")])
    if salt is None:
        return {"type": kind, "hashed": False, "identity": value}
    return {"type": kind, "hashed": True, "salt": salt, "identity": identity_hash(value, salt)}


def recipient_matches(recipient: Mapping[str, Any], value: str) -> bool:
    """Whether ``value`` (an e-mail address, a URL …) is the recipient an IdentityObject names.

    Hashed identities are compared by hashing ``value`` with the object's salt (SHA-256 or
    MD5, as the hash says); e-mail addresses are also tried in lower case, the form most
    issuers hash. Never raises: an unreadable identity matches nothing.
    """
    identity = recipient.get("identity")
    if not isinstance(identity, str):
        return False
    candidates = list(dict.fromkeys([value, value.strip(), value.strip().lower()]))
    if recipient.get("hashed") is True:
        algorithm, _, digest = identity.partition("$")
        algorithm = algorithm.lower()
        if algorithm not in {"sha256", "md5"} or not digest:
            return False
        salt = recipient.get("salt")
        salt = salt if isinstance(salt, str) else ""
        return any(hmac.compare_digest(
            hashlib.new(algorithm, f"{candidate}{salt}".encode(),
                        usedforsecurity=False).hexdigest(), digest.lower())
                   for candidate in candidates)
    return any(identity == candidate or identity.strip().lower() == candidate
               for candidate in candidates)


# --- the criteria narrative (guideline 1.1 / seed 000) --------------------------------------

#: Section headings of the criteria narrative, in the order of the seed 000 mapping table
#: (the descriptors it maps to ``criteria``), then the descriptors it does not list.
_HEADINGS: Final[Mapping[str, tuple[str, str]]] = {
    "outcomes": ("学修成果", "Learning outcomes"),
    "language": ("授業言語", "Language"),
    "participation": ("授業の方法", "Form of participation"),
    "effort": ("学習量", "Learner effort"),
    "inherent": ("受講に必要な固有の要件", "Inherent requirements"),
    "price": ("受講料と経済的支援", "Price and financial assistance"),
    "assessment": ("評価の方法（修了要件）", "Assessment"),
    "certification": ("証明", "Certification"),
    "recognition": ("単位／その他の認定", "Credit and other recognition"),
    "quality": ("質保証", "Quality assurance"),
    "prerequisites": ("前提条件", "Prerequisites"),
    "levels": ("レベル", "Level"),
    "stackability": ("積み上げ可能性", "Stackability"),
    "delivery": ("実施期間", "Dates of delivery"),
    "further": ("その他の情報", "Further information"),
}
_WORDS: Final[Mapping[str, tuple[str, str]]] = {
    "hours": ("{} 時間", "{} hours"),
    "weeks": ("{} 週間", "{} weeks"),
    "credits": ("{value} {system}", "{value} {system}"),
    "supervision": ("評価時の監督と本人確認：{}", "Supervision and identity verification: {}"),
    "grading": ("成績評価：{}", "Grading: {}"),
    "level": ("{framework} レベル {level}", "{framework}, level {level}"),
    "stackable": ("積み上げ可能", "Stackable"),
    "not-stackable": ("積み上げ不可", "Not stackable"),
    "valid-until": ("（{} まで有効）", " (valid until {})"),
    "open-ended": ("{} から", "from {}"),
    "completion": ("プログラムを修了した学習者に授与されます。",
                   "Awarded to learners who complete the programme."),
    "list": ("、", ", "),
    "colon": ("：", ": "),
}
_CREDIT_SYSTEMS: Final[Mapping[CreditSystem, tuple[str, str]]] = {
    CreditSystem.JP_TANI: ("単位", "credits (Japanese 単位)"),
    CreditSystem.ECTS: ("ECTS 単位", "ECTS credits"),
    CreditSystem.MY_CREDIT: ("単位（マレーシア）", "Malaysian credits"),
    CreditSystem.NZ_CREDIT: ("単位（ニュージーランド）", "NZ credits"),
    CreditSystem.US_CREDIT_HOUR: ("単位（米国 credit hour）", "US credit hours"),
}
_LANGUAGE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "ja": ("日本語", "Japanese"), "en": ("英語", "English"), "zh": ("中国語", "Chinese"),
    "ko": ("韓国語", "Korean"), "ms": ("マレー語", "Malay"), "fr": ("フランス語", "French"),
    "de": ("ドイツ語", "German"), "es": ("スペイン語", "Spanish"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "ja" else pair[1]


def _text(text: MultilingualText, language: str) -> str:
    return text.text(language, "en", "ja")


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _language_name(tag: str, language: str) -> str:
    names = _LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    return f"{_pick(names, language)} ({tag})" if names else tag


def _sections(programme: Programme, language: str) -> Iterator[tuple[str, list[str]]]:
    """(section key, Markdown lines) for each descriptor the programme states."""
    def word(name: str, *args: object, **kwargs: object) -> str:
        return _pick(_WORDS[name], language).format(*args, **kwargs)

    joiner = _pick(_WORDS["list"], language)
    if programme.learning_outcomes:
        yield "outcomes", [f"- {_text(o.statement, language)}" for o in programme.learning_outcomes]
    if programme.languages:
        yield "language", [joiner.join(_language_name(tag, language)
                                       for tag in programme.languages)]
    form = programme.form_of_participation
    if form is not None:
        parts = [label(form.mode, language)]
        if form.pace is not None:
            parts.append(label(form.pace, language))
        lines = [joiner.join(parts)]
        if form.description is not None:
            lines += ["", _text(form.description, language)]
        yield "participation", lines
    effort = programme.learner_effort
    if effort is not None:
        parts = [word("hours", _decimal(effort.hours))]
        parts += [word("credits", value=_decimal(amount.value),
                       system=_pick(_CREDIT_SYSTEMS[amount.system], language))
                  for amount in effort.credits]
        if effort.duration_weeks is not None:
            parts.append(word("weeks", effort.duration_weeks))
        yield "effort", [joiner.join(parts)]
    if programme.inherent_requirements is not None:
        yield "inherent", [_text(programme.inherent_requirements, language)]
    price = programme.price
    if price is not None:
        lines = [f"{_decimal(price.amount)} {price.currency}"]
        if price.financial_assistance is not None:
            lines += ["", _text(price.financial_assistance, language)]
        yield "price", lines
    assessment = programme.assessment
    if assessment is not None:
        lines = [joiner.join(label(method, language) for method in assessment.methods)]
        if assessment.description is not None:
            lines += ["", _text(assessment.description, language)]
        if assessment.supervision is not None:
            lines += ["", word("supervision", label(assessment.supervision, language))]
        if assessment.grading is not None:
            lines += ["", word("grading", _text(assessment.grading, language))]
        yield "assessment", lines
    for key, record in (("certification", programme.certification),
                        ("recognition", programme.credit_recognition)):
        if record is not None:
            lines = [joiner.join(label(kind, language) for kind in record.kinds)]
            if record.description is not None:
                lines += ["", _text(record.description, language)]
            yield key, lines
    if programme.quality_assurance:
        lines = []
        for qa in programme.quality_assurance:
            parts = [label(qa.kind, language), label(qa.scope, language)]
            if qa.body is not None:
                parts.append(_text(qa.body, language))
            line = f"- {joiner.join(parts)}"
            if qa.valid_until is not None:
                line += word("valid-until", qa.valid_until.isoformat())
            if qa.url is not None:
                line += f" <{qa.url}>"
            lines.append(line)
            if qa.description is not None:
                lines.append(f"  {_text(qa.description, language)}")
        yield "quality", lines
    if programme.prerequisites is not None:
        yield "prerequisites", [_text(programme.prerequisites, language)]
    if programme.levels:
        yield "levels", [f"- {word('level', framework=label(level.framework, language), level=level.level)}"  # noqa: E501
                         for level in programme.levels]
    stack = programme.stackability
    if stack is not None:
        lines = [word("stackable" if stack.stackable else "not-stackable")]
        if stack.targets:
            lines.append("")
        lines += [f"- {_text(target.title, language)} ({label(target.kind, language)})"
                  + (f" <{target.url}>" if target.url is not None else "")
                  for target in stack.targets]
        if stack.description is not None:
            lines += ["", _text(stack.description, language)]
        yield "stackability", lines
    if programme.dates_of_delivery:
        yield "delivery", [f"- {period.start.isoformat()} – {period.end.isoformat()}"
                           if period.end is not None
                           else f"- {word('open-ended', period.start.isoformat())}"
                           for period in programme.dates_of_delivery]
    further = programme.further_information
    if further is not None:
        lines = [_text(further.text, language)] if further.text is not None else []
        if further.url is not None:
            lines.append(f"<{further.url}>")
        yield "further", lines


def criteria_narrative(programme: Programme, language: str = "ja") -> str:
    """The BadgeClass ``criteria.narrative``: one Markdown section per descriptor (seed 000).

    Sections follow the order of the mapping table of the Japanese guideline 1.1 (learning
    outcomes, language, delivery mode, learner effort, inherent requirements, price,
    assessment, certification, credit recognition, quality assurance, prerequisites, level),
    then stackability, dates of delivery and further information. A programme that states
    none of them is "awarded to learners who complete the programme".
    """
    sections = [f"## {_pick(_HEADINGS[key], language)}\n\n" + "\n".join(lines)
                for key, lines in _sections(programme, language) if lines]
    return "\n\n".join(sections) if sections else _pick(_WORDS["completion"], language)


# --- building ----------------------------------------------------------------------------------

def _require_iri(value: str, name: str) -> None:
    if not is_iri(value):
        raise InputError(f"{name} is not an IRI Open Badges 2.0 accepts", problems=[Problem(
            name, f"{value!r} is not an http(s) URL or a urn:uuid")])


def _timestamp(moment: dt.datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(f"{name} has no time zone", problems=[Problem(
            name, "give an aware datetime, e.g. 2025-04-01T00:00:00+09:00")])
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def build_issuer_profile(*, issuer_id: str, name: MultilingualText, url: str,
                         email: str | None, language: str = "ja",
                         public_keys: Sequence[str] = (), revocation_list: str | None = None,
                         starts_with: str | None = None,
                         description: MultilingualText | None = None,
                         related: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The issuer's ``Profile`` (typed ``Issuer``) served at ``issuer_id``.

    ``email`` is required of an issuer by the specification; without one the profile is
    still built, and verifiers will refuse it. ``public_keys`` are the URLs of every
    ``CryptographicKey`` the issuer ever signed with (retired keys included, so that old
    signatures keep verifying); ``starts_with`` narrows the hosted verification policy to
    assertions under one URL prefix. ``related`` pairs (id, type IRI) link the same issuer
    in other formats (its Open Badges 3.0 DID).
    """
    _require_iri(issuer_id, "issuer_id")
    profile: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "Issuer",
        "id": issuer_id,
        "name": _text(name, language),
        "url": url,
    }
    if email is not None:
        profile["email"] = email
    if description is not None:
        profile["description"] = _text(description, language)
    if public_keys:
        profile["publicKey"] = list(public_keys) if len(public_keys) > 1 else public_keys[0]
    if revocation_list is not None:
        profile["revocationList"] = revocation_list
    if starts_with is not None:
        profile["verification"] = {"type": "VerificationObject", "startsWith": starts_with}
    if related:
        profile["related"] = [{"type": [kind], "id": target, "version": "Open Badges v3p0"}
                              for target, kind in related]
    return profile


def build_cryptographic_key(*, key_id: str, owner: str, public_key_pem: str) -> dict[str, Any]:
    """The ``CryptographicKey`` document at ``key_id``, owned by the issuer ``owner``."""
    _require_iri(key_id, "key_id")
    return {"@context": CONTEXT_URL, "type": "CryptographicKey", "id": key_id,
            "owner": owner, "publicKeyPem": public_key_pem}


def build_revocation_list(*, list_id: str, issuer_id: str,
                          revoked: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """The issuer's ``RevocationList``: each revoked assertion's id, with its reason if any."""
    entries: list[Any] = [{"id": assertion_id, "revocationReason": reason}
                          if reason else assertion_id for assertion_id, reason in revoked]
    return {"@context": CONTEXT_URL, "type": "RevocationList", "id": list_id,
            "issuer": issuer_id, "revokedAssertions": entries}


def build_badge_class(*, programme: Programme, badge_id: str, issuer_id: str,
                      image: str | None = None, criteria_url: str | None = None,
                      achievement_id: str | None = None, version: int | None = None,
                      language: str = "ja") -> dict[str, Any]:
    """The ``BadgeClass`` of a programme version (the mapping is in the module docstring).

    ``image`` is the URL of the badge image, ``criteria_url`` a human-readable page of the
    programme, ``achievement_id`` the URL of the same programme version's Open Badges 3.0
    ``Achievement`` (linked with ``related``), ``version`` the programme version number.
    Raises :class:`~credstack.errors.InputError` when the programme has no title or no
    description (both are required of a BadgeClass).
    """
    _require_iri(badge_id, "badge_id")
    achievement = build_achievement(programme=programme, achievement_id=achievement_id or badge_id,
                                    language=language)
    criteria: dict[str, Any] = {"narrative": criteria_narrative(programme, language)}
    if criteria_url is not None:
        criteria = {"id": criteria_url, **criteria}
    badge: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "BadgeClass",
        "id": badge_id,
        "name": achievement["name"],
        "description": achievement["description"],
    }
    if image is not None:
        badge["image"] = image
    badge["criteria"] = criteria
    badge["issuer"] = issuer_id
    alignment = [
        {key: value for key, value in item.items() if key in {
            "targetName", "targetUrl", "targetFramework", "targetCode"}}
        for item in achievement.get("alignment", [])
    ]
    if alignment:
        badge["alignment"] = alignment
    if "tag" in achievement:
        badge["tags"] = achievement["tag"]
    if version is not None:
        badge["version"] = version
    if achievement_id is not None:
        badge["related"] = [{"type": [OB3_ACHIEVEMENT_TYPE], "id": achievement_id,
                             "version": "Open Badges v3p0"}]
    badge[EXTENSION_KEY] = {
        "@context": EXTENSION_CONTEXT_URL,
        "type": ["Extension", EXTENSION_TYPE],
        EXTENSION_PROPERTY: {**achievement[EXTENSION_PROPERTY], "code": programme.code},
    }
    return badge


def build_assertion(*, assertion_id: str, badge: str | Mapping[str, Any],
                    recipient: Mapping[str, Any], issued_on: dt.datetime | str,
                    verification: Mapping[str, Any], expires: dt.datetime | str | None = None,
                    evidence: Sequence[Any] = (), image: str | None = None) -> dict[str, Any]:
    """An ``Assertion`` awarding ``badge`` (its URL, or the BadgeClass) to ``recipient``.

    ``verification`` is ``{"type": "HostedBadge"}`` (``assertion_id`` is then the URL it is
    served at) or ``{"type": "SignedBadge", "creator": <key URL>}``. Dates are aware
    datetimes or OB 2.0 DateTime strings.
    """
    _require_iri(assertion_id, "assertion_id")
    kind = verification_type({"verification": verification})
    if kind is None:
        raise InputError("unknown verification", problems=[Problem(
            "verification.type", "use HostedBadge or SignedBadge")])
    if kind == "hosted" and not is_http_url(assertion_id):
        raise InputError("a hosted assertion needs an http(s) id", problems=[Problem(
            "assertion_id", "hosted verification fetches the assertion from its id")])
    issued = _date_text(issued_on, "issued_on")
    assertion: dict[str, Any] = {
        "@context": CONTEXT_URL,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": dict(recipient),
        "badge": badge if isinstance(badge, str) else dict(badge),
        "verification": dict(verification),
        "issuedOn": issued,
    }
    if expires is not None:
        assertion["expires"] = _date_text(expires, "expires")
    if image is not None:
        assertion["image"] = image
    if evidence:
        assertion["evidence"] = list(evidence)
    return assertion


def _date_text(value: dt.datetime | str, name: str) -> str:
    if isinstance(value, dt.datetime):
        return _timestamp(value, name)
    if parse_datetime(value) is None:
        raise InputError(f"{name} is not a date-time", problems=[Problem(
            name, f"{value!r} is not an ISO 8601 date-time with a time zone")])
    return value


def descriptors_from_badge_class(badge: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document a BadgeClass states (for ``Programme``; not validated here).

    From a credstack BadgeClass, the whole document, from its ``extensions:MicroCredential``
    extension; from any other, what its own fields say (name and description in an
    undetermined language, skills from alignments with a URL).
    """
    extension = badge.get(EXTENSION_KEY)
    if (isinstance(extension, Mapping)
            and EXTENSION_CONTEXT_URL in _items(extension.get("@context"))
            and isinstance(extension.get(EXTENSION_PROPERTY), Mapping)):
        achievement: dict[str, Any] = {EXTENSION_PROPERTY: extension[EXTENSION_PROPERTY]}
    else:
        achievement = {}
    for field in ("name", "description", "alignment"):
        if field in badge:
            achievement[field] = badge[field]
    return descriptors_from_achievement(achievement)


# --- validation (plain JSON) -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Rule:
    """One property of a class: its value type, whether required, how many values."""

    name: str
    kind: str
    required: bool = False
    many: bool = False
    #: For ``node`` values: the class of an embedded object.
    expected: str | None = None
    #: A ``node`` value may also be the IRI of the object (it is then not validated here).
    remote: bool = False
    #: A ``node`` value may also be a ``data:`` URI (images of BadgeClasses and Profiles).
    data_uri: bool = False
    #: ``rdf-type`` values: at least one must be one of these terms.
    one_of: tuple[str, ...] = ()
    #: A problem with this property is worth a warning, not a failure.
    warning: bool = False


_ASSERTION_TYPES: Final = ("Assertion",)
_VERIFICATION_TYPES: Final = ("HostedBadge", "SignedBadge", "hosted", "signed",
                              OB_VOCABULARY + "HostedBadge", OB_VOCABULARY + "SignedBadge")
_PROFILE_RULES: Final = (
    _Rule("id", "iri", required=True),
    _Rule("type", "rdf-type", required=True, many=True, one_of=("Issuer", "Profile")),
    _Rule("name", "text", required=True),
    _Rule("description", "text"),
    _Rule("image", "node", expected="Image", remote=True, data_uri=True),
    _Rule("url", "url", required=True),
    _Rule("email", "email", required=True),
    _Rule("telephone", "telephone"),
    _Rule("publicKey", "node", many=True, expected="CryptographicKey", remote=True),
    _Rule("verification", "node", expected="VerificationObjectIssuer"),
    _Rule("revocationList", "node", expected="RevocationList", remote=True),
    _Rule("id", "http-url", warning=True),
    _Rule("@language", "language"),
    _Rule("version", "text-or-number"),
    _Rule("related", "node", many=True, expected="Related", remote=True),
    _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
)

#: Each class's rules, after ``Assertion.validationMap`` of the 1EdTech validator.
RULES: Final[Mapping[str, tuple[_Rule, ...]]] = {
    "Assertion": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=_ASSERTION_TYPES),
        _Rule("recipient", "node", required=True, expected="IdentityObject"),
        _Rule("badge", "node", required=True, expected="BadgeClass", remote=True),
        _Rule("verification", "node", required=True, expected="VerificationObjectAssertion"),
        _Rule("issuedOn", "datetime", required=True),
        _Rule("expires", "datetime"),
        _Rule("image", "node", expected="Image", remote=True),
        _Rule("narrative", "text"),
        _Rule("evidence", "node", many=True, expected="Evidence", remote=True),
        _Rule("@language", "language"),
        _Rule("version", "text-or-number"),
        _Rule("related", "node", many=True, expected="Related", remote=True),
        _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
        _Rule("revoked", "boolean"),
        _Rule("revocationReason", "text"),
    ),
    "BadgeClass": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=("BadgeClass",)),
        _Rule("issuer", "node", required=True, expected="Profile", remote=True),
        _Rule("name", "text", required=True),
        _Rule("description", "text", required=True),
        _Rule("image", "node", expected="Image", remote=True, data_uri=True),
        _Rule("criteria", "node", required=True, expected="Criteria", remote=True),
        _Rule("alignment", "node", many=True, expected="AlignmentObject"),
        _Rule("tags", "text", many=True),
        _Rule("@language", "language"),
        _Rule("version", "text-or-number"),
        _Rule("related", "node", many=True, expected="Related", remote=True),
        _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
    ),
    "Issuer": _PROFILE_RULES,
    "Profile": _PROFILE_RULES,
    "AlignmentObject": (
        _Rule("type", "rdf-type", many=True),
        _Rule("targetName", "text", required=True),
        _Rule("targetUrl", "url", required=True),
        _Rule("targetDescription", "text"),
        _Rule("targetFramework", "text"),
        _Rule("targetCode", "text"),
    ),
    "Criteria": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "iri"),
        _Rule("narrative", "text"),
    ),
    "CryptographicKey": (
        _Rule("id", "iri"),
        _Rule("type", "rdf-type", many=True),
        _Rule("owner", "iri"),
        _Rule("publicKeyPem", "text"),
    ),
    "Endorsement": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=("Endorsement",)),
        _Rule("claim", "node", required=True, expected="Claim"),
        _Rule("issuedOn", "datetime", required=True),
        _Rule("issuer", "node", required=True, expected="Profile", remote=True),
        _Rule("verification", "node", required=True, expected="VerificationObjectAssertion"),
    ),
    "Claim": (_Rule("id", "iri", required=True), _Rule("endorsementComment", "text")),
    "Evidence": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "iri"),
        _Rule("narrative", "text"),
        _Rule("name", "text"),
        _Rule("description", "text"),
        _Rule("genre", "text"),
        _Rule("audience", "text"),
    ),
    "IdentityObject": (
        _Rule("type", "rdf-type", required=True, one_of=("id", "email", "url", "telephone")),
        _Rule("identity", "text", required=True),
        _Rule("hashed", "boolean", required=True),
        _Rule("salt", "text"),
    ),
    "Image": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "data-uri-or-url", required=True),
        _Rule("caption", "text"),
        _Rule("author", "iri"),
    ),
    "RevocationList": (
        _Rule("type", "rdf-type", required=True, many=True, one_of=("RevocationList",)),
        _Rule("id", "iri"),
        _Rule("issuer", "iri"),
        _Rule("revokedAssertions", "revoked-list", required=True, many=True),
    ),
    "VerificationObjectAssertion": (
        _Rule("type", "rdf-type", required=True, many=True, one_of=_VERIFICATION_TYPES),
        _Rule("creator", "iri"),
    ),
    "VerificationObjectIssuer": (
        _Rule("type", "rdf-type", many=True),
        _Rule("verificationProperty", "compact-iri"),
        _Rule("startsWith", "url", many=True),
        _Rule("allowedOrigins", "url-authority", many=True),
    ),
    # Related editions in other formats may have ids of other schemes (an OB 3.0 issuer's
    # DID: OB 3.0 implementation guide, "Migrating from OB 2.0").
    "Related": (_Rule("id", "absolute-iri", required=True), _Rule("type", "rdf-type", many=True)),
    "Extension": (),
    "VerificationObject": (),
    "External": (),
}

_KIND_WORDS: Final[Mapping[str, str]] = {
    "iri": "an IRI (an http(s) URL, a urn:uuid or a blank node id)",
    "http-url": "an http(s) URL (most platforms can only use HTTP ids)",
    "url": "an http(s) URL",
    "text": "a string",
    "datetime": "an ISO 8601 date-time with a time zone",
    "boolean": "true or false",
    "email": "an e-mail address",
    "telephone": "a telephone number (E.164, e.g. +81312345678)",
    "language": "a BCP 47 language tag",
    "text-or-number": "a string or a number",
    "url-authority": "a host name (e.g. example.org)",
    "compact-iri": "id or an IRI",
    "data-uri-or-url": "an http(s) URL or a data: URI",
    "absolute-iri": "an absolute IRI",
}


def _valid(kind: str, value: Any) -> bool:
    if kind == "iri":
        return is_iri(value)
    if kind in {"url", "http-url"}:
        return is_http_url(value)
    if kind == "text":
        return isinstance(value, str)
    if kind == "datetime":
        return parse_datetime(value) is not None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "email":
        return isinstance(value, str) and bool(_EMAIL.fullmatch(value))
    if kind == "telephone":
        return isinstance(value, str) and bool(_TELEPHONE.fullmatch(value))
    if kind == "language":
        return isinstance(value, str) and bool(_LANGUAGE.fullmatch(value))
    if kind == "text-or-number":
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    if kind == "url-authority":
        return isinstance(value, str) and bool(_HOST.match(value))
    if kind == "compact-iri":
        return value == "id" or (isinstance(value, str) and (
            is_iri(value) or value in TERMS or expand(value) is not None))
    if kind == "data-uri-or-url":
        return is_http_url(value) or _is_data_uri(value)
    if kind == "absolute-iri":
        return isinstance(value, str) and bool(_ABSOLUTE_IRI.fullmatch(value))
    raise ValueError(f"unknown value kind {kind!r}")  # pragma: no cover - a table error


def _a(name: str) -> str:
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"


def validate(node: Mapping[str, Any], class_name: str, where: str = "") -> tuple[
        list[Problem], list[Problem]]:
    """The problems (failures, warnings) of one Badge Object read as ``class_name``.

    Embedded objects are validated as the class their property expects; objects given by
    IRI are not fetched here (the verification pipeline fetches and validates the ones
    verification needs). A revoked assertion needs only ``id`` and ``revoked``
    (§Assertion: "If revoked is true, only revoked and id are required").
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    _validate(node, class_name, where, errors, warnings, depth=0)
    return errors, warnings


def _at(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _validate(node: Mapping[str, Any], class_name: str, where: str, errors: list[Problem],
              warnings: list[Problem], *, depth: int) -> None:
    if depth > 16:
        errors.append(Problem(where or "(root)", "objects are nested too deeply"))
        return
    rules = RULES.get(class_name, ())
    revoked = class_name == "Assertion" and node.get("revoked") is True
    if not any(rule.name == "type" for rule in rules):
        if "type" in node:
            _check_types(node["type"], _Rule("type", "rdf-type"), _at(where, "type"), errors)
        elif class_name == "Unknown":
            errors.append(Problem(_at(where, "type"), "is required: a Badge Object names "
                                                      "its class"))
    for rule in rules:
        name = rule.name
        value = node.get(name)
        if value is None and name == "verification":
            value = node.get("verify")
        target = warnings if rule.warning else errors
        if value is None:
            if rule.required and not (revoked and name not in {"id"}):
                target.append(Problem(_at(where, name), f"is required in {_a(class_name)}"))
            continue
        if isinstance(value, list):
            if not rule.many:
                target.append(Problem(_at(where, name), "takes one value, not an array"))
                continue
            if not value and rule.required and rule.kind != "revoked-list":
                target.append(Problem(_at(where, name), "must not be empty"))
                continue
        if rule.kind == "rdf-type":
            _check_types(value, rule, _at(where, name), target)
            continue
        if rule.kind == "revoked-list":
            for index, item in enumerate(_items(value)):
                if not (is_iri(item) or (_is_map(item) and (
                        is_iri(item.get("id")) or isinstance(item.get("uid"), str)))):
                    target.append(Problem(f"{_at(where, name)}[{index}]",
                                          "must be an assertion id or an object with an id"))
            continue
        for index, item in enumerate(_items(value)):
            at = f"{_at(where, name)}[{index}]" if isinstance(value, list) else _at(where, name)
            if rule.kind == "node":
                _check_node(item, rule, at, errors, warnings, depth=depth)
            elif not _valid(rule.kind, item):
                target.append(Problem(at, f"must be {_KIND_WORDS[rule.kind]}, not {item!r}"))
    if class_name == "IdentityObject" and node.get("hashed") is True and isinstance(
            node.get("identity"), str) and not _IDENTITY_HASH.fullmatch(node["identity"]):
        errors.append(Problem(_at(where, "identity"),
                              "a hashed identity must be sha256$<64 hex digits> or "
                              "md5$<32 hex digits>"))


def _check_types(value: Any, rule: _Rule, where: str, target: list[Problem]) -> None:
    values = _items(value)
    if not values:
        target.append(Problem(where, "must name at least one type"))
        return
    for item in values:
        if not (isinstance(item, str) and (item in rule.one_of or _is_type(item))):
            target.append(Problem(where, f"{item!r} is neither a term of the Open Badges 2.0 "
                                         "context nor an IRI"))
    if rule.one_of:
        wanted = {expand(term) or term for term in rule.one_of}
        if not any(isinstance(item, str) and (item in rule.one_of or (expand(item) or item)
                                              in wanted) for item in values):
            target.append(Problem(where, "must include "
                                         + " or ".join(map(repr, rule.one_of[:4]))))


def _check_node(item: Any, rule: _Rule, where: str, errors: list[Problem],
                warnings: list[Problem], *, depth: int) -> None:
    expected = rule.expected or "External"
    if _is_map(item):
        _validate(item, expected, where, errors, warnings, depth=depth + 1)
        return
    if isinstance(item, str):
        if rule.data_uri and _is_data_uri(item):
            return
        if rule.remote and (is_iri(item) or (expected == "Related"
                                              and bool(_ABSOLUTE_IRI.fullmatch(item)))):
            return
        allowed = ("an embedded object" if not rule.remote else
                   "an IRI or an embedded object") + (" or a data: URI" if rule.data_uri else "")
        errors.append(Problem(where, f"must be {allowed} ({expected}), not {item!r}"))
        return
    errors.append(Problem(where, f"must be an object ({expected}), not {item!r}"))


def context_problems(document: Mapping[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """The ``@context`` of a Badge Object: the OB 2.0 context first (failures, warnings).

    Further context URLs are not loaded (credstack never fetches a context): their terms are
    read as plain JSON, with a warning. An inline context object must define the core Open
    Badges terms exactly as the published context does.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if "@context" not in document:
        return [Problem("@context", f"is required ({CONTEXT_URL})")], []
    if isinstance(document["@context"], str) and document["@context"] in CONTEXT_URLS:
        return [], []
    items = _items(document["@context"])
    if not items:
        return [Problem("@context", f"must name the Open Badges 2.0 context {CONTEXT_URL}")], []
    first = items[0]
    if isinstance(first, str):
        if first not in CONTEXT_URLS:
            errors.append(Problem("@context[0]" if len(items) > 1 else "@context",
                                  f"must be the Open Badges 2.0 context {CONTEXT_URL}, not "
                                  f"{first!r}"))
    elif not isinstance(first, Mapping):
        errors.append(Problem("@context", "must be a URL or a context object"))
    defined: dict[str, str] = (dict(TERMS) if isinstance(first, str) and first in CONTEXT_URLS
                               else {})
    for index, item in enumerate(items):
        where = f"@context[{index}]" if isinstance(document["@context"], list) else "@context"
        if isinstance(item, str):
            if index and item not in CONTEXT_URLS:
                warnings.append(Problem(where, f"{item} is not loaded: credstack never fetches "
                                               "JSON-LD contexts, its terms are read as plain "
                                               "JSON"))
        elif isinstance(item, Mapping):
            for term, iri in _inline_terms(item).items():
                if term in _CORE_TERMS and TERMS[term] != iri:
                    errors.append(Problem(f"{where}.{term}", "redefines an Open Badges term "
                                                             f"as {iri!r}"))
                defined[term] = iri
        elif index:
            errors.append(Problem(where, "must be a URL or a context object"))
    missing = [term for term in _CORE_TERMS if defined.get(term) != TERMS[term]]
    if missing and not errors:
        errors.append(Problem("@context", "does not define the Open Badges 2.0 terms "
                                          f"{', '.join(missing[:5])}"
                                          + (" …" if len(missing) > 5 else "")))
    return errors, warnings


def _inline_terms(context: Mapping[str, Any]) -> dict[str, str]:
    """The IRI each term of an inline context stands for (compact IRIs resolved)."""
    raw: dict[str, str] = {}
    for term, definition in context.items():
        if isinstance(definition, str):
            raw[term] = definition
        elif isinstance(definition, Mapping) and isinstance(definition.get("@id"), str):
            raw[term] = definition["@id"]
    resolved: dict[str, str] = {}
    for term, value in raw.items():
        for _ in range(4):
            if value in raw and value != term:
                value = raw[value]
                continue
            prefix, colon, suffix = value.partition(":")
            if colon and prefix in raw and not suffix.startswith("//"):
                value = raw[prefix] + suffix
            break
        resolved[term] = value
    return resolved


def extension_problems(document: Mapping[str, Any], where: str = "") -> list[Problem]:
    """Extensions must be objects with their own ``@context`` and a type including
    ``Extension`` (§Extensions: both are required)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(document, where)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((item, f"{at}[{index}]") for index, item in enumerate(node))
            continue
        if not _is_map(node):
            continue
        for key, value in node.items():
            if key == "@context":
                continue
            path = _at(at, key)
            if not (_is_map(value) or isinstance(value, list)):
                if isinstance(key, str) and key.startswith(("extensions:", EXTENSIONS_NAMESPACE)):
                    problems.append(Problem(path, "an extension must be an object"))
                continue
            is_extension = (isinstance(key, str) and (expand(key) or "").startswith(
                EXTENSIONS_NAMESPACE)) or (_is_map(value) and any(
                    expand(kind) == OB_VOCABULARY + "Extension" for kind in types_of(value)))
            if not is_extension:
                stack.append((value, path))
                continue
            for index, item in enumerate(_items(value)):
                spot = f"{path}[{index}]" if isinstance(value, list) else path
                if not _is_map(item):
                    problems.append(Problem(spot, "an extension must be an object"))
                    continue
                contexts = _items(item.get("@context"))
                if not contexts or not all(is_http_url(c) or _is_map(c)
                                           for c in contexts):
                    problems.append(Problem(f"{spot}.@context",
                                            "an extension needs its own @context (the URL of "
                                            "the extension's context)"))
                if not any(expand(kind) == OB_VOCABULARY + "Extension"
                           for kind in types_of(item)):
                    problems.append(Problem(f"{spot}.type", "an extension's type must include "
                                                            "'Extension'"))
    return problems


# --- hosted verification policy, revocation lists ---------------------------------------------

def hosted_policy_problem(assertion_id: str, issuer: Mapping[str, Any], *,
                          issuer_location: str | None) -> tuple[str | None, list[str]]:
    """Whether a hosted assertion's id is in its issuer's verification scope (§HostedBadge).

    Returns (the reason it is not, or None; notes). The scope is the issuer Profile's
    ``verification`` object: every ``startsWith`` prefix and ``allowedOrigins`` host it
    declares; without ``allowedOrigins``, the host of the issuer's id — or, when that id is
    not an HTTP URL, of ``issuer_location``, the URL the profile was fetched from.
    """
    notes: list[str] = []
    policy = issuer.get("verification", issuer.get("verify"))
    policy = policy if isinstance(policy, Mapping) else {}
    prefixes = [item for item in _items(policy.get("startsWith")) if isinstance(item, str)]
    if prefixes and not any(assertion_id.startswith(prefix) for prefix in prefixes):
        return (f"the assertion id {assertion_id} does not start with any prefix the issuer "
                f"allows ({', '.join(prefixes)})"), notes
    origins = [item.lower() for item in _items(policy.get("allowedOrigins"))
               if isinstance(item, str)]
    if not origins:
        issuer_id = issuer.get("id")
        own = is_http_url(issuer_id)
        home = issuer_id if own else issuer_location
        authority = _authority(home) if isinstance(home, str) else None
        if authority is None:
            return ("the issuer has no HTTP origin to host its assertions on (its id is not an "
                    "http(s) URL and it was not fetched from one)"), notes
        if not own:
            notes.append(f"the issuer's id is not an HTTP URL; its origin is taken from where "
                         f"its profile is served, {home}")
        origins = [authority]
    authority = _authority(assertion_id)
    hostname = urlsplit(assertion_id).hostname if authority is not None else None
    if authority is None or (authority not in origins and (hostname or "") not in origins):
        return (f"the assertion is hosted at {authority or assertion_id}, which is not an "
                f"origin the issuer allows ({', '.join(origins)})"), notes
    return None, notes


def revocation_entry(revocation_list: Mapping[str, Any], assertion_id: str,
                     uid: str | None = None) -> Mapping[str, Any] | None:
    """The entry of ``revokedAssertions`` that revokes ``assertion_id`` (or a legacy
    ``uid``), as an object (a bare id becomes ``{"id": …}``); None when it is not listed."""
    for entry in _items(revocation_list.get("revokedAssertions")):
        if isinstance(entry, str) and entry.strip() == assertion_id:
            return {"id": entry}
        if isinstance(entry, Mapping):
            if isinstance(entry.get("id"), str) and entry["id"].strip() == assertion_id:
                return entry
            if uid is not None and entry.get("uid") == uid:
                return entry
    return None


# --- signed badges: JWS ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Jws:
    """A compact JWS read but not verified: its header, payload and signed bytes."""

    token: str
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(part: str, where: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise MalformedCredentialError(f"the JWS {where} is not base64url", problems=[
            Problem(where, "not base64url")]) from None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise MalformedCredentialError(f"the JSON repeats the key {key!r}", problems=[
                Problem(key, "repeated in one object")])
        result[key] = value
    return result


def _json_object(data: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(data, object_pairs_hook=_unique)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MalformedCredentialError(f"the JWS {where} is not JSON", problems=[
            Problem(where, "not UTF-8 JSON")]) from None
    if not isinstance(value, dict):
        raise MalformedCredentialError(f"the JWS {where} is not a JSON object", problems=[
            Problem(where, "must be a JSON object")])
    return value


def read_jws(token: str) -> Jws:
    """Split and decode a compact JWS (RFC 7515 §7.1) without verifying it.

    Raises :class:`~credstack.errors.MalformedCredentialError` when it is not a compact JWS
    of a JSON object.
    """
    token = token.strip()
    if not _JWS.fullmatch(token):
        raise MalformedCredentialError("not a compact JWS", problems=[
            Problem("jws", "expected header.payload.signature in base64url")])
    header_part, payload_part, signature_part = token.split(".")
    header = _json_object(_b64decode(header_part, "header"), "header")
    payload = _json_object(_b64decode(payload_part, "payload"), "payload")
    signature = _b64decode(signature_part, "signature")
    return Jws(token, header, payload, f"{header_part}.{payload_part}".encode("ascii"),
               signature)


#: A private key credstack signs OB 2.0 assertions with: RSA (RS256) or P-256 (ES256).
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def algorithm_of(key: SigningKey) -> str:
    """The JWS algorithm a signing key makes: RS256 (RSA, ≥ 2048 bits) or ES256 (P-256).

    Raises :class:`~credstack.errors.InputError` for any other key.
    """
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise InputError("RS256 needs an RSA key of at least 2048 bits", problems=[
                Problem("key", "give an RSA private key of 2048 bits or more")])
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise InputError("an OB 2.0 assertion is signed with an RSA key (RS256) or a P-256 key "
                     "(ES256)", problems=[Problem("key", f"not {type(key).__name__}")])


def sign_assertion(assertion: Mapping[str, Any], *, key: SigningKey) -> str:
    """The signed badge: ``assertion`` as the payload of a compact JWS, RS256 or ES256 as
    the key is (:func:`algorithm_of`).

    RSASSA-PKCS1-v1_5 (RS256) is deterministic: the same assertion and key always give the
    same token. ECDSA (ES256) draws a fresh nonce per signature, so tokens differ, and each
    of them is valid: either may be cached by its payload.
    """
    alg = algorithm_of(key)
    header = _b64url(b'{"alg":"' + alg.encode("ascii") + b'","typ":"JWT"}')
    payload = _b64url(json.dumps(assertion, ensure_ascii=False, separators=(",", ":"),
                                 allow_nan=False).encode("utf-8"))
    signing_input = f"{header}.{payload}".encode("ascii")
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        # JWS wants the raw r ‖ s (RFC 7518 §3.4), 32 bytes each, not the DER cryptography makes.
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{header}.{payload}.{_b64url(signature)}"


def verify_jws(jws: Jws, public_key_pem: str) -> str:
    """Check a JWS's signature with a PEM public key; return the algorithm.

    ``alg`` must be one of :data:`ACCEPTED_ALGORITHMS` and fit the key: RS256 an RSA key of
    at least 2048 bits, ES256 a P-256 key, EdDSA an Ed25519 key. ``alg: none``, HMAC and
    critical header parameters are refused (:class:`~credstack.errors.MalformedCredentialError`);
    a signature that does not verify raises :class:`~credstack.errors.SignatureError`.
    """
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise MalformedCredentialError("an unsecured JWS (alg: none) has no signature",
                                       problems=[Problem("header.alg", repr(alg))])
    if alg not in ACCEPTED_ALGORITHMS:
        raise MalformedCredentialError(f"unsupported JWS algorithm {alg!r}", problems=[
            Problem("header.alg", f"use one of {', '.join(ACCEPTED_ALGORITHMS)}")])
    if "crit" in jws.header:
        raise MalformedCredentialError("the JWS has critical header parameters credstack does "
                                       "not understand", problems=[Problem("header.crit", "")])
    key = _public_key(public_key_pem)
    try:
        if alg == "RS256":
            if not isinstance(key, rsa.RSAPublicKey):
                raise _mismatch(alg, "an RSA key")
            if key.key_size < MIN_RSA_BITS:
                raise MalformedCredentialError(
                    f"the RSA key has {key.key_size} bits; at least {MIN_RSA_BITS} are needed",
                    problems=[Problem("publicKeyPem", "too short")])
            key.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256":
            if not (isinstance(key, ec.EllipticCurvePublicKey)
                    and isinstance(key.curve, ec.SECP256R1)):
                raise _mismatch(alg, "a P-256 key")
            if len(jws.signature) != 64:
                raise SignatureError("an ES256 signature has 64 bytes")
            der = encode_dss_signature(int.from_bytes(jws.signature[:32], "big"),
                                       int.from_bytes(jws.signature[32:], "big"))
            key.verify(der, jws.signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            if not isinstance(key, ed25519.Ed25519PublicKey):
                raise _mismatch(alg, "an Ed25519 key")
            key.verify(jws.signature, jws.signing_input)
    except InvalidSignature:
        raise SignatureError("the JWS signature does not verify with the key") from None
    return alg


@functools.lru_cache(maxsize=256)
def _public_key(pem: str) -> Any:
    """A PEM public key, parsed once: an issuer's key checks every badge it signed."""
    try:
        return serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError) as exc:
        raise MalformedCredentialError(f"the key's publicKeyPem cannot be read: {exc}",
                                       problems=[Problem("publicKeyPem", "not a PEM key")]
                                       ) from None


def _mismatch(alg: str, wanted: str) -> MalformedCredentialError:
    return MalformedCredentialError(f"the JWS says {alg}, which needs {wanted}; the key is "
                                    "of another kind", problems=[Problem("publicKeyPem",
                                                                         f"not {wanted}")])
