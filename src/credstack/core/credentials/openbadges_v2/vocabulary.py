"""The Open Badges 2.0 vocabulary credstack reads and writes: types, properties, limits, and
small readers of Badge Objects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

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
