"""Verification of a credential: a pipeline of small checks, one :class:`Check` each.

What is verified, and against which texts:

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ (§4 "Basic Concepts": the MUSTs checked by
  :func:`check_data_model`; §4.9 "Validity Period"); VC Data Model 1.1 credentials
  (``issuanceDate``) are still read, with a warning.
* *Open Badges Specification v3.0* — 1EdTech, 27 May 2024 —
  https://www.imsglobal.org/spec/ob/v3p0/ — §9 "Verification" (schema shape, proof, status,
  dates) and the shape of an ``OpenBadgeCredential`` from its JSON Schema.
* *Verifiable Credential Data Integrity 1.0* and *Data Integrity EdDSA Cryptosuites v1.0*
  (``credstack.core.proofs``); *Securing Verifiable Credentials using JOSE and COSE* for
  VC-JWT; *Bitstring Status List v1.0* §3.2 (``credstack.core.status``).

:func:`verify_credential` runs a list of steps; each step is a function of the shared
:class:`VerificationState` that returns one :class:`~.report.Check`. The configuration is the
list: :data:`DEFAULT_CHECKS` runs ``parse``, ``data-model``, ``contexts``, ``proof``,
``issuer``, ``validity``, ``status`` and ``meaning``; :data:`STEPS` names them so that an
adapter can run a subset (VC-API ``options.checks``) or add its own (:func:`credential_schema`).

Verdict versus error: everything about the *credential* — unreadable, tampered, expired,
revoked, signed by someone else — is a failed check, never an exception. The pipeline raises
only when it cannot decide for reasons that are the *caller's*: a naive ``now``, an empty
list of checks, a seam that breaks its contract. The seams — JSON-LD document loader, key
resolver, status list source, programme registry — and the time are parameters; nothing here
does I/O or reads the clock.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from jsonschema import exceptions as schema_errors
from jsonschema import validators
from referencing import Registry
from referencing.exceptions import Unresolvable

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    EXTENSION_PROPERTY,
    descriptors_from_credential,
)
from credstack.core.crypto import DocumentLoader, PublicKey
from credstack.core.descriptors import ProfileReport, parse_programme, profiles, validate_all
from credstack.core.proofs import CRYPTOSUITES, verify_data_integrity, verify_vc_jwt
from credstack.core.status import StatusEntry, StatusListCredential, StatusResult
from credstack.core.status import check_status as status_in_list
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values, methods
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import failed as _failed
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import problem_dicts as _problems
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.json_values import credstack_cause as _credstack_cause
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.methods import UnresolvableMethodError as _UnresolvableMethodError
from credstack.core.verification.methods import is_supported as _supported
from credstack.errors import (
    CredstackError,
    DescriptorError,
    NotFoundError,
    Problem,
    SignatureError,
    StatusListError,
    UndefinedTermError,
    UnknownContextError,
)

from .report import Check, CheckKind, DescriptorSource, Meaning, Notice, VerificationReport

__all__ = [
    "DEFAULT_CHECKS",
    "MAX_CREDENTIAL_BYTES",
    "MAX_DEPTH",
    "STEPS",
    "CheckStep",
    "MethodResolver",
    "ProgrammeLookup",
    "SchemaLookup",
    "Signer",
    "StatusListFetcher",
    "VerificationKey",
    "VerificationState",
    "check_contexts",
    "check_data_model",
    "check_issuer",
    "check_meaning",
    "check_parse",
    "check_proof",
    "check_status",
    "check_validity",
    "credential_schema",
    "verify_credential",
]

#: The largest credential read (UTF-8 bytes of its JSON or of its compact JWS). Real ones are
#: a few kilobytes; a baked image's credential rarely exceeds 100 KB.
MAX_CREDENTIAL_BYTES: Final = 1024 * 1024
#: The deepest nesting of arrays and objects read. A credential is about ten levels deep.
MAX_DEPTH: Final = json_values.MAX_DEPTH

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
ENVELOPED_TYPE: Final = "EnvelopedVerifiableCredential"
JWT_DATA_URL: Final = "data:application/vc+jwt,"
DATA_INTEGRITY_PROOF: Final = "DataIntegrityProof"
BITSTRING_ENTRY: Final = "BitstringStatusListEntry"

_OB_CONTEXT = re.compile(r"https://purl\.imsglobal\.org/spec/ob/v3p0/context(?:-3\.\d+\.\d+)?\.json")
_OB_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})
#: Credential types that use the OB context legitimately without being an OpenBadgeCredential.
_OB_FAMILY: Final = _OB_TYPES | {"EndorsementCredential", "ClrCredential"}

_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
#: XML Schema 1.1 ``dateTime`` (Part 2 §3.3.7); the zone makes it a ``dateTimeStamp``.
_DATE_TIME = re.compile(
    r"(?P<sign>-?)(?P<year>[1-9][0-9]{3,}|0[0-9]{3})-(?P<month>0[1-9]|1[0-2])"
    r"-(?P<day>0[1-9]|[12][0-9]|3[01])T(?P<hour>[01][0-9]|2[0-4]):(?P<minute>[0-5][0-9])"
    r":(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<zone>Z|(?P<zsign>[+-])(?P<zhour>0[0-9]|1[0-4]):(?P<zminute>[0-5][0-9]))?")


# --- the seams ------------------------------------------------------------------------------

#: A verification key: credstack's public key, or a public JWK (RSA keys for RS256 VC-JWTs).
VerificationKey = PublicKey | Mapping[str, Any]


class MethodResolver(Protocol):
    """Verification method id → (its public key, the DID or URL of its controller).

    Raises a :class:`~credstack.errors.CredstackError` when the method cannot be resolved or
    may not be used for assertions. ``did:key`` methods never reach it: they are resolved
    here, without I/O.
    """

    def __call__(self, verification_method: str, /) -> tuple[VerificationKey, str]: ...


class StatusListFetcher(Protocol):
    """Status list credential URL → the credential (a JSON object), or ``None``: not found.

    Raises a :class:`~credstack.errors.CredstackError` (or ``OSError``) when it cannot fetch.
    """

    def __call__(self, url: str, /) -> Mapping[str, Any] | None: ...


class ProgrammeLookup(Protocol):
    """Achievement id → the programme's registry record (JSON-ready), or ``None``: unknown."""

    def __call__(self, achievement_id: str, /) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class Signer:
    """A proof that verified: the method that signed, its controller and the suite."""

    verification_method: str
    controller: str
    suite: str
    created: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"verificationMethod": self.verification_method, "controller": self.controller,
                "suite": self.suite, "created": self.created}


@dataclass(slots=True)
class VerificationState:
    """What the steps share: the inputs and seams, then what earlier steps found out.

    Steps read the facts earlier steps set (``credential`` after ``parse``, ``signers``
    after ``proof``) and set their own; a step whose input is missing reports itself as not
    checked rather than guessing.
    """

    input: object
    document_loader: DocumentLoader
    resolve_verification_method: MethodResolver
    fetch_status_list: StatusListFetcher | None
    now: dt.datetime
    programme_lookup: ProgrammeLookup
    #: The credential as a JSON object (for a JWT: its payload's credential).
    credential: dict[str, Any] | None = None
    #: ``json-ld`` (embedded proofs), ``vc+jwt`` or ``vc-jwt-1.1`` (the ``vc`` claim).
    format: str | None = None
    token: str | None = None
    jwt_header: dict[str, Any] = field(default_factory=dict)
    jwt_claims: dict[str, Any] = field(default_factory=dict)
    #: The proofs that verified (``None`` until one did).
    signers: tuple[Signer, ...] | None = None
    #: Resolved verification methods, so that no method is resolved twice.
    methods: dict[str, tuple[VerificationKey, str]] = field(default_factory=dict)
    #: Status list credentials fetched and verified in this run, by URL.
    status_lists: dict[str, StatusListCredential | _Refusal] = field(default_factory=dict)
    meaning: Meaning | None = None
    results: dict[str, Check] = field(default_factory=dict)
    #: Recognitions of an achievement (see :mod:`.recognition`); ``None``: none are looked up.
    recognition_lookup: Any = None


#: One step of the pipeline. A step returns ``None`` when it does not apply to the credential
#: at all (the recognition of an achievement this registry does not know): no check is listed.
CheckStep = Callable[[VerificationState], Check | None]



# --- building checks ------------------------------------------------------------------------





def _unread(name: str) -> Check:
    return _not_checked(name, "the credential could not be read",
                        "証明書を読み取れませんでした")



# --- small readers --------------------------------------------------------------------------

def _instant(value: object, *, require_zone: bool = True) -> dt.datetime | None:
    """An XML Schema ``dateTime(Stamp)`` as an aware datetime (UTC when it has no zone).

    Years beyond Python's range are clamped to its limits, which is all a comparison with
    ``now`` needs; ``None`` when ``value`` is not a date-time.
    """
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.fullmatch(value)
    if match is None or (require_zone and match["zone"] is None):
        return None
    year = int(match["year"]) * (-1 if match["sign"] else 1)
    month, day = int(match["month"]), int(match["day"])
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    if hour == 24 and (minute or second or int(match["fraction"] or "0")):
        return None
    offset = dt.timedelta(0)
    if match["zsign"]:
        offset = dt.timedelta(hours=int(match["zhour"]), minutes=int(match["zminute"]))
        if match["zsign"] == "-":
            offset = -offset
    if year > dt.MAXYEAR:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    if year < dt.MINYEAR:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    try:
        moment = dt.datetime(year, month, day, 0, minute, second, int(fraction),
                             tzinfo=dt.timezone(offset))
    except ValueError:
        return None
    try:
        return moment + dt.timedelta(hours=hour)
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _version(credential: Mapping[str, Any]) -> str | None:
    """``2.0`` or ``1.1`` by the first ``@context``; ``None`` for neither."""
    first = next(iter(_items(credential.get("@context"))), None)
    return "2.0" if first == VC_V2_CONTEXT else "1.1" if first == VC_V1_CONTEXT else None


# --- parse ----------------------------------------------------------------------------------

def _too_large(size: int) -> _Refusal:
    return _Refusal(
        "too-large",
        f"the credential is {size:,} bytes; credstack reads at most {MAX_CREDENTIAL_BYTES:,}",
        f"証明書が大きすぎます（{size:,} バイト。上限は {MAX_CREDENTIAL_BYTES:,} バイト）",
        bytes=size, limit=MAX_CREDENTIAL_BYTES)


def _loads(text: str | bytes) -> Any:
    return json_values.strict_loads(text, "the credential", "証明書")


_TOO_DEEP = ("too-deep", f"the credential is nested more than {MAX_DEPTH} levels deep",
             f"証明書の入れ子が深すぎます（上限 {MAX_DEPTH} 段）")


def _b64_json(part: str, where: str) -> Any:
    try:
        data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise _Refusal("not-a-jwt", f"the JWS {where} is not base64url",
                       f"JWS の{where}が base64url ではありません") from None
    return json_values.strict_loads(data, f"the JWS {where}", "JWS")


def _read_token(token: str, state: VerificationState) -> None:
    header_part, payload_part, _ = token.split(".")
    header = _b64_json(header_part, "header")
    claims = _b64_json(payload_part, "payload")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise _Refusal("not-a-jwt", "the JWS header and payload must be JSON objects",
                       "JWS のヘッダーとペイロードは JSON オブジェクトでなければなりません")
    if "vc" in claims:
        credential, form = claims["vc"], "vc-jwt-1.1"
    elif "@context" in claims:
        credential, form = claims, "vc+jwt"
    else:
        what = "a presentation" if "vp" in claims else "no credential"
        raise _Refusal("not-a-credential", f"the JWT holds {what} (no @context, no vc claim)",
                       "JWT に証明書が含まれていません（@context も vc クレームもありません）")
    if not isinstance(credential, dict):
        raise _Refusal("not-a-credential", "the JWT's vc claim is not a JSON object",
                       "JWT の vc クレームが JSON オブジェクトではありません")
    state.token, state.format = token, form
    state.jwt_header, state.jwt_claims, state.credential = header, claims, credential


def _read_object(value: Any, state: VerificationState) -> None:
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else type(value).__name__
        raise _Refusal("not-an-object", f"a credential is a JSON object, not {kind}",
                       "証明書は JSON オブジェクトでなければなりません")
    if ENVELOPED_TYPE in (json_values.types(value.get("type")) or ()):
        identifier = value.get("id")
        if not isinstance(identifier, str) or not identifier.startswith(JWT_DATA_URL):
            raise _Refusal("unsupported-envelope",
                           "an EnvelopedVerifiableCredential must carry its credential as "
                           f"{JWT_DATA_URL}<compact JWS> in its id",
                           f"EnvelopedVerifiableCredential の id は {JWT_DATA_URL}<JWS> "
                           "でなければなりません")
        token = identifier[len(JWT_DATA_URL):]
        if not _JWS.fullmatch(token):
            raise _Refusal("not-a-jwt", "the envelope's data URL holds no compact JWS",
                           "エンベロープのデータ URL に JWS が含まれていません")
        _read_token(token, state)
        return
    state.credential, state.format = value, "json-ld"


def _read(raw: object, state: VerificationState) -> int:
    """Read the input into ``state``; return its size in bytes."""
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > MAX_CREDENTIAL_BYTES:
            raise _too_large(len(data))
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refusal("not-json", f"the input is not UTF-8 (byte {exc.start})",
                           f"UTF-8 のテキストではありません（{exc.start} バイト目）") from None
    if isinstance(raw, str):
        if len(raw) > MAX_CREDENTIAL_BYTES:
            # Each character is at least one byte: the length is enough to refuse.
            raise _too_large(len(raw))
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > MAX_CREDENTIAL_BYTES:
            raise _too_large(size)
        text = raw.strip().removeprefix("\ufeff").strip()
        if text.startswith(("{", "[")):
            _read_object(_loads(text), state)
        elif _JWS.fullmatch(text):
            _read_token(text, state)
        else:
            raise _Refusal("not-json",
                           "the input is neither a JSON credential nor a compact JWS (VC-JWT)",
                           "JSON の証明書でも JWS（VC-JWT）でもありません")
        return size
    if isinstance(raw, Mapping):
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise _Refusal(*_TOO_DEEP) from None
        except (TypeError, ValueError) as exc:
            raise _Refusal("not-json", f"the credential holds a value that is not JSON ({exc})",
                           "証明書に JSON ではない値が含まれています") from None
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_CREDENTIAL_BYTES:
            raise _too_large(size)
        # A private copy, made of plain JSON types: no step can change the caller's object,
        # and every step sees exactly what the bytes say.
        _read_object(_loads(text), state)
        return size
    raise _Refusal("not-an-object",
                   f"a credential is a JSON object or a JWS string, not {type(raw).__name__}",
                   "証明書は JSON オブジェクトか JWS 文字列でなければなりません")


def check_parse(state: VerificationState) -> Check:
    """``parse``: a JSON object (or a VC-JWT) under the size and depth limits, no repeated key."""
    try:
        size = _read(state.input, state)
    except _Refusal as refusal:
        return _refused("parse", refusal)
    return _passed("parse", f"read a {size:,}-byte credential ({state.format})",
                   f"{size:,} バイトの証明書を読み取りました（{state.format}）",
                   format=state.format, bytes=size)


# --- data model -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Shape:
    """An Open Badges 3.0 class: its required properties and the classes of its links."""

    required: tuple[str, ...] = ()
    links: Mapping[str, str] = field(default_factory=dict)
    typed: bool = True


#: From the 1EdTech OB 3.0 JSON Schema (``ob_v3p0_achievementcredential_schema.json``): each
#: class's ``required`` list and the class each linking property must hold.
_OB_SHAPES: Final[Mapping[str, _Shape]] = {
    "Profile": _Shape(("id", "type"), {
        "otherIdentifier": "IdentifierEntry", "parentOrg": "Profile", "image": "Image",
        "address": "Address", "endorsement": "EndorsementCredential"}),
    "AchievementSubject": _Shape(("type", "achievement"), {
        "achievement": "Achievement", "identifier": "IdentityObject", "result": "Result",
        "source": "Profile", "image": "Image"}),
    "Achievement": _Shape(("id", "type", "criteria", "description", "name"), {
        "criteria": "Criteria", "alignment": "Alignment", "creator": "Profile",
        "resultDescription": "ResultDescription", "image": "Image",
        "otherIdentifier": "IdentifierEntry", "related": "Related",
        "endorsement": "EndorsementCredential"}),
    "Criteria": _Shape(typed=False),
    "IdentityObject": _Shape(("type", "hashed", "identityHash", "identityType")),
    "Result": _Shape(("type",), {"alignment": "Alignment"}),
    "ResultDescription": _Shape(("id", "type", "name", "resultType"), {
        "alignment": "Alignment", "rubricCriterionLevel": "RubricCriterionLevel"}),
    "RubricCriterionLevel": _Shape(("id", "type", "name"), {"alignment": "Alignment"}),
    "Alignment": _Shape(("type", "targetName", "targetUrl")),
    "IdentifierEntry": _Shape(("type", "identifier", "identifierType")),
    "Evidence": _Shape(("type",)),
    "Image": _Shape(("id", "type")),
    "Address": _Shape(("type",), {"geo": "GeoCoordinates"}),
    "GeoCoordinates": _Shape(("type", "latitude", "longitude")),
    "Related": _Shape(("id", "type")),
    "EndorsementCredential": _Shape(("type",)),
}


def _a(name: str) -> str:
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"


def _shape(node: Any, name: str, where: str, problems: list[Problem]) -> None:
    shape = _OB_SHAPES[name]
    if not isinstance(node, Mapping):
        problems.append(Problem(where, f"must be {_a(name)} object"))
        return
    if shape.typed and "type" in node and name not in (json_values.types(node["type"]) or ()):
        problems.append(Problem(f"{where}.type",
                                f"must include {name!r}, not {node['type']!r}"))
    for required in shape.required:
        if required not in node:
            problems.append(Problem(f"{where}.{required}", f"is required in {_a(name)}"))
    for link, target in shape.links.items():
        if link not in node:
            continue
        value = node[link]
        if isinstance(value, list):
            for index, item in enumerate(value):
                _shape(item, target, f"{where}.{link}[{index}]", problems)
        else:
            _shape(value, target, f"{where}.{link}", problems)


def _context_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    if "@context" not in credential:
        problems.append(Problem("@context", "is required"))
        return
    context = credential["@context"]
    items = _items(context)
    if not isinstance(context, list | str) or not items:
        problems.append(Problem("@context", "must be an ordered set of URLs and objects"))
        return
    if _version(credential) is None:
        problems.append(Problem("@context[0]",
                                f"must be {VC_V2_CONTEXT!r} (VC Data Model 2.0), "
                                f"not {items[0]!r}"))
    for index, item in enumerate(items[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                problems.append(Problem(f"@context[{index}]", f"{item!r} is not a URL"))
        elif not isinstance(item, Mapping):
            problems.append(Problem(f"@context[{index}]", "must be a URL or a context object"))


def _vc_problems(credential: Mapping[str, Any], problems: list[Problem],
                 notices: list[Notice]) -> None:
    """VC Data Model 2.0 §4 (1.1 for credentials on its context), the MUSTs of the JSON."""
    _context_problems(credential, problems)
    if "id" in credential and not is_absolute_url(credential["id"]):
        problems.append(Problem("id", "must be a single URL"))
    types = json_values.types(credential.get("type"))
    if "type" not in credential:
        problems.append(Problem("type", "is required"))
    elif types is None:
        problems.append(Problem("type", "must be a string or an array of strings"))
    elif "VerifiableCredential" not in types:
        problems.append(Problem("type", "must include 'VerifiableCredential'"))
    issuer = credential.get("issuer")
    if issuer is None:
        problems.append(Problem("issuer", "is required"))
    elif isinstance(issuer, Mapping):
        if not is_absolute_url(issuer.get("id")):
            problems.append(Problem("issuer.id", "must be a URL"))
    elif not is_absolute_url(issuer):
        problems.append(Problem("issuer", "must be a URL or an object with a URL id"))
    _subject_problems(credential, problems)
    if _version(credential) == "1.1":
        notices.append(Notice(
            "vc-data-model-1.1",
            "a VC Data Model 1.1 credential (issuanceDate): read under the 1.1 rules",
            "VC データモデル 1.1 の証明書です（issuanceDate）。1.1 の規則で読み取りました"))
        _date_problems(credential, ("issuanceDate", "expirationDate"), "issuanceDate",
                       require_zone=False, problems=problems)
    else:
        _date_problems(credential, ("validFrom", "validUntil"), None, require_zone=True,
                       problems=problems)
    for name, needs_id in (("credentialStatus", False), ("credentialSchema", True),
                           ("evidence", False), ("termsOfUse", False),
                           ("refreshService", False)):
        if name not in credential:
            continue
        values = _items(credential[name])
        for index, value in enumerate(values):
            where = name if not isinstance(credential[name], list) else f"{name}[{index}]"
            if not isinstance(value, Mapping):
                problems.append(Problem(where, "must be an object"))
                continue
            if json_values.types(value.get("type")) is None:
                problems.append(Problem(f"{where}.type", "is required (a string or strings)"))
            if "id" in value and not is_absolute_url(value["id"]):
                problems.append(Problem(f"{where}.id", "must be a single URL"))
            elif needs_id and "id" not in value:
                problems.append(Problem(f"{where}.id", "is required"))
    if "refreshService" in credential:
        notices.append(Notice("refresh-not-performed",
                              "the credential names a refresh service; credstack does not "
                              "refresh credentials while verifying",
                              "更新サービスが指定されていますが、検証時の更新は行いません"))


def _subject_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    if "credentialSubject" not in credential:
        problems.append(Problem("credentialSubject", "is required"))
        return
    subject = credential["credentialSubject"]
    subjects = _items(subject)
    if not subjects:
        problems.append(Problem("credentialSubject", "must not be empty"))
    for index, item in enumerate(subjects):
        where = f"credentialSubject[{index}]" if isinstance(subject, list) else (
            "credentialSubject")
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be an object"))
        elif not item:
            problems.append(Problem(where, "states no claim"))
        elif "id" in item and not is_absolute_url(item["id"]):
            problems.append(Problem(f"{where}.id", "must be a single URL"))


def _date_problems(credential: Mapping[str, Any], names: tuple[str, str],
                   required: str | None, *, require_zone: bool,
                   problems: list[Problem]) -> None:
    start_name, end_name = names
    if required is not None and required not in credential:
        problems.append(Problem(required, "is required"))
    moments: dict[str, dt.datetime] = {}
    for name in names:
        if name not in credential:
            continue
        moment = _instant(credential[name], require_zone=require_zone)
        if moment is None:
            kind = "dateTimeStamp (with a time zone)" if require_zone else "dateTime"
            problems.append(Problem(name, f"{credential[name]!r} is not an XML Schema {kind}"))
        else:
            moments[name] = moment
    if start_name in moments and end_name in moments and moments[end_name] < moments[start_name]:
        problems.append(Problem(end_name, f"is before {start_name}"))


def _open_badges_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    """Open Badges 3.0 §5 and the JSON Schema's shape of an OpenBadgeCredential."""
    types = set(json_values.types(credential.get("type")) or ())
    contexts = [item for item in _items(credential.get("@context")) if isinstance(item, str)]
    has_ob_context = any(_OB_CONTEXT.fullmatch(item) for item in contexts)
    if has_ob_context and not types & _OB_FAMILY:
        problems.append(Problem("type", "a credential in the Open Badges context must include "
                                        "'OpenBadgeCredential' (or 'AchievementCredential')"))
        return
    if not types & _OB_TYPES:
        return
    if not has_ob_context:
        problems.append(Problem("@context", "must include the Open Badges 3.0 context "
                                            "(https://purl.imsglobal.org/spec/ob/v3p0/"
                                            "context-3.0.3.json)"))
    if "id" not in credential:
        problems.append(Problem("id", "is required in an Open Badges credential"))
    if _version(credential) == "2.0" and "validFrom" not in credential:
        problems.append(Problem("validFrom", "is required in an Open Badges credential"))
    issuer = credential.get("issuer")
    if issuer is not None:
        if isinstance(issuer, Mapping):
            _shape(issuer, "Profile", "issuer", problems)
        else:
            problems.append(Problem("issuer", "must be a Profile object in an Open Badges "
                                              "credential"))
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping):
        _shape(subject, "AchievementSubject", "credentialSubject", problems)
        if "id" not in subject and "identifier" not in subject:
            problems.append(Problem("credentialSubject",
                                    "must have an id or an identifier (OB 3.0 §9.1)"))
    elif subject is not None:
        problems.append(Problem("credentialSubject", "must be one AchievementSubject object"))
    for name, target in (("evidence", "Evidence"), ("image", "Image"),
                         ("endorsement", "EndorsementCredential")):
        if name in credential:
            value = credential[name]
            for index, item in enumerate(_items(value)):
                where = f"{name}[{index}]" if isinstance(value, list) else name
                _shape(item, target, where, problems)


def check_data_model(state: VerificationState) -> Check:
    """``data-model``: the VC Data Model's MUSTs, and the shape of an Open Badges credential."""
    credential = state.credential
    if credential is None:
        return _unread("data-model")
    problems: list[Problem] = []
    notices: list[Notice] = []
    _vc_problems(credential, problems, notices)
    _open_badges_problems(credential, problems)
    version = _version(credential) or "unknown"
    if problems:
        count = len(problems)
        first = problems[0]
        locations = "、".join(dict.fromkeys(p.location for p in problems))
        return _failed(
            "data-model", "data-model",
            f"the credential breaks {count} rule{'s' if count != 1 else ''} of the data "
            f"model; {first}",
            f"データモデルの規則に {count} 件違反しています（{locations}）",
            warnings=notices, problems=_problems(problems), version=version)
    types = list(json_values.types(credential.get("type")) or ())
    return _passed("data-model",
                   f"a well-formed VC Data Model {version} credential ({', '.join(types)})",
                   f"VC データモデル {version} に適合しています（{', '.join(types)}）",
                   warnings=notices, version=version, types=types)


# --- contexts -------------------------------------------------------------------------------

def _context_urls(document: Any) -> list[str]:
    """Every context URL the document names, inline contexts and proofs included, in order."""
    urls: dict[str, None] = {}
    for node in json_values.walk(document):
        if "@context" in node:
            for item in _items(node["@context"]):
                if isinstance(item, str):
                    urls[item] = None
    return list(urls)


#: The context URLs each loader is known to hold. A loader serves a fixed set of documents
#: (it never fetches), so the answer does not change; asking again would copy the document.
_KNOWN_CONTEXTS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def check_contexts(state: VerificationState) -> Check:
    """``contexts``: every JSON-LD context is one the document loader holds (none is fetched)."""
    if state.credential is None:
        return _unread("contexts")
    urls = _context_urls(state.credential)
    try:
        known = _KNOWN_CONTEXTS.setdefault(state.document_loader, set())
    except TypeError:  # a loader that cannot be weakly referenced: ask it every time
        known = set()
    unknown = []
    for url in urls:
        if url in known:
            continue
        try:
            state.document_loader(url, {})
        except CredstackError:
            unknown.append(url)
        else:
            known.add(url)
    if unknown:
        names = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more"
                                          if len(unknown) > 3 else "")
        return _failed(
            "contexts", "unknown-context",
            f"unknown JSON-LD context{'s' if len(unknown) > 1 else ''} {names}: credstack "
            "never fetches contexts, so a credential that needs one cannot be read safely",
            f"未知の JSON-LD コンテキストがあります：{names}（credstack はコンテキストを"
            "ネットワークから取得しません）",
            unknown=unknown, contexts=urls)
    return _passed("contexts", f"all {len(urls)} JSON-LD contexts are known",
                   f"JSON-LD コンテキスト {len(urls)} 件はすべて既知です", contexts=urls)


# --- proof ----------------------------------------------------------------------------------


def _resolve(state: Any, method: object) -> tuple[VerificationKey, str]:
    return methods.resolve(state.methods, state.resolve_verification_method, method)


def _public_key(state: Any, method: str) -> PublicKey:
    return methods.public_key(state.methods, state.resolve_verification_method, method)

def _describe(proof: Any) -> str:
    if not isinstance(proof, Mapping):
        return repr(proof)
    suite = proof.get("cryptosuite")
    return f"{proof.get('type')!s}" + (f" / {suite!s}" if suite is not None else "")


def _secure(document: Mapping[str, Any], state: VerificationState
            ) -> tuple[tuple[Signer, ...], tuple[Problem, ...]]:
    """Verify a document's Data Integrity proofs; return who signed, and what was skipped.

    Used for the credential and, the same way, for every status list credential. Raises
    :class:`_Refusal` or a :class:`~credstack.errors.CredstackError` when it does not verify.
    """
    if "proof" not in document or document["proof"] is None:
        raise _Refusal("missing-proof", "the credential has no proof: anyone could have "
                       "written it", "証明（署名）がありません。誰でも作成できる内容です")
    proofs = _items(document["proof"])
    if not proofs:
        raise _Refusal("missing-proof", "the credential's proof set is empty",
                       "証明（署名）が空です")
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            where = "proof" if len(proofs) == 1 else f"proof[{index}]"
            raise _Refusal("malformed-proof", f"{where} is not a proof object with a type",
                           f"{where} は type を持つ証明オブジェクトではありません",
                           problems=[{"location": where, "message": "no type"}])
    supported = [proof for proof in proofs if _supported(proof)]
    if not supported:
        found = ", ".join(_describe(proof) for proof in proofs)
        raise _Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}, "
            f"VC-JWT); found {found}",
            f"credstack が検証できる方式の証明がありません（{found}）",
            found=[_describe(proof) for proof in proofs])
    values = [proof.get("proofValue") for proof in supported]
    if len(set(map(repr, values))) != len(values):
        raise _Refusal("duplicate-proof",
                       "the same proof appears twice in the proof set; a set counts each "
                       "proof once, so the credential is refused",
                       "同じ証明が二重に含まれています")
    result = verify_data_integrity(
        document, resolve_key=lambda method: _public_key(state, method),
        document_loader=state.document_loader, expected_purpose="assertionMethod",
        skip_unsupported=True)
    signers = []
    for proof, verified in zip(supported, result.proofs, strict=True):
        if "expires" in proof:
            expires = _instant(proof["expires"], require_zone=False)
            if expires is not None and expires < state.now:
                raise _Refusal("proof-expired", f"the proof expired at {proof['expires']}",
                               f"証明の有効期限（{proof['expires']}）が過ぎています",
                               expires=proof["expires"])
        controller = _resolve(state, verified.verification_method)[1]
        signers.append(Signer(verified.verification_method, controller, verified.cryptosuite,
                              verified.created))
    return tuple(signers), result.skipped


def _proof_refusal(error: CredstackError) -> _Refusal:
    """A proof-level error as the failed verdict it is, with a precise code and reason."""
    problems = _problems(error.problems)
    if isinstance(error, _UnresolvableMethodError):
        return _Refusal("unresolvable-method", error.message,
                        f"検証方法（鍵）{error.method} を解決できません", problems=problems)
    if isinstance(error, SignatureError):
        return _Refusal(
            "signature",
            f"the signature does not verify: the credential was changed after it was signed, "
            f"or it was signed with another key ({error.message})",
            "署名が一致しません。署名後に内容が変更されたか、別の鍵で署名されています",
            problems=problems)
    if isinstance(error, UnknownContextError):
        return _Refusal("unknown-context", error.message,
                        "未知の JSON-LD コンテキストがあります（credstack はコンテキストを取得"
                        f"しません）：{error.message}", problems=problems)
    if isinstance(error, UndefinedTermError):
        term = error.problems[0].location if error.problems else "?"
        return _Refusal(
            "undefined-term",
            f"{error.message}; JSON-LD would drop it silently, so the signature would not "
            "cover it",
            f"JSON-LD で定義されていない用語 {term!r} があります。署名の対象から外れるため、"
            "受け付けません", term=term, problems=problems)
    code = "malformed-proof"
    if any(problem.location.endswith("proofValue") for problem in error.problems):
        code = "malformed-proof-value"
    detail = "; ".join([error.message, *(str(problem) for problem in error.problems)])
    return _Refusal(code, f"the proof cannot be checked: {detail}",
                    f"証明の形式が正しくありません：{detail}", problems=problems)


def _endorsement_notices(credential: Mapping[str, Any]) -> list[Notice]:
    count = sum(1 for node in json_values.walk(credential) if node is not credential
                and "EndorsementCredential" in (json_values.types(node.get("type")) or ()))
    if not count:
        return []
    return [Notice("endorsements-not-verified",
                   f"{count} embedded endorsement credential{'s' if count > 1 else ''} "
                   "not verified (each is a credential of its own)",
                   f"埋め込まれた推薦（EndorsementCredential）{count} 件は検証していません")]


def _jwt_proof(state: VerificationState) -> Check:
    header, token = state.jwt_header, state.token
    assert token is not None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return _failed("proof", "unsecured-jwt",
                       f"an unsecured JWT (alg: {alg!r}) is never accepted: it has no signature",
                       "署名のない JWT（alg: none）は受け付けません", alg=alg)
    kid = header.get("kid")
    if not isinstance(kid, str):
        return _failed("proof", "unresolvable-method",
                       "the JWS header names no key (kid), so the signer cannot be identified",
                       "JWS ヘッダーに鍵（kid）がないため、署名者を特定できません")
    try:
        verify_vc_jwt(token, resolve_key=lambda method: _resolve(state, method)[0])
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause))
    signer = Signer(kid, state.methods[kid][1], f"vc-jwt {alg}")
    state.signers = (signer,)
    return _passed("proof", f"the JWS signature ({alg}) verifies with {kid}",
                   f"JWS の署名（{alg}）を {kid} で確認しました",
                   proofs=[signer.to_dict()])


def check_proof(state: VerificationState) -> Check:
    """``proof``: every Data Integrity proof verifies (or the VC-JWT's signature does)."""
    credential = state.credential
    if credential is None:
        return _unread("proof")
    if state.token is not None:
        return _jwt_proof(state)
    notices = _endorsement_notices(credential)
    try:
        signers, skipped = _secure(credential, state)
    except _Refusal as refusal:
        return _refused("proof", refusal, notices)
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause), notices)
    state.signers = signers
    notices += [Notice("proof-skipped", f"{problem}: not verified, another proof is",
                       f"{problem.location} は credstack が検証できない方式のため確認して"
                       "いません（他の証明で確認しました）") for problem in skipped]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return _passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                            f"verif{'y' if count > 1 else 'ies'}: signed by {methods}",
                   f"証明 {count} 件（{suites}）を確認しました。署名者：{methods}",
                   warnings=notices, proofs=[signer.to_dict() for signer in signers])


# --- issuer ---------------------------------------------------------------------------------

def check_issuer(state: VerificationState) -> Check:
    """``issuer``: a verified proof's verification method is controlled by the issuer."""
    credential = state.credential
    if credential is None:
        return _unread("issuer")
    issuer = _issuer_id(credential)
    if issuer is None:
        return _failed("issuer", "no-issuer", "the credential names no issuer",
                       "発行者が記載されていません")
    if state.signers is None:
        return _not_checked("issuer", "the proof did not verify, so nobody is known to have "
                            "signed", "署名が確認できないため、署名者が不明です")
    controllers = [signer.controller for signer in state.signers]
    if issuer not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return _failed(
            "issuer", "issuer-mismatch",
            f"the credential says it was issued by {issuer}, but it was signed with a key of "
            f"{signed_by}",
            f"発行者は {issuer} と記載されていますが、{signed_by} の鍵で署名されています",
            issuer=issuer, signers=[signer.to_dict() for signer in state.signers])
    others = [signer for signer in state.signers if signer.controller != issuer]
    notices = [Notice("co-signer", f"also signed by {signer.controller}",
                      f"{signer.controller} も署名しています") for signer in others]
    return _passed("issuer", f"signed by the issuer, {issuer}",
                   f"発行者 {issuer} 自身が署名しています", warnings=notices, issuer=issuer)


# --- validity -------------------------------------------------------------------------------

def _numeric_date(value: object) -> dt.datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def check_validity(state: VerificationState) -> Check:
    """``validity``: ``validFrom`` ≤ now ≤ ``validUntil`` (1.1: issuance and expiration)."""
    credential = state.credential
    if credential is None:
        return _unread("validity")
    version = _version(credential)
    start_name, end_name = (("issuanceDate", "expirationDate") if version == "1.1"
                            else ("validFrom", "validUntil"))
    bounds: dict[str, dt.datetime | None] = {}
    for name in (start_name, end_name):
        if name not in credential:
            bounds[name] = None
            continue
        moment = _instant(credential[name], require_zone=version != "1.1")
        if moment is None:
            return _failed("validity", "invalid-date",
                           f"{name} {credential[name]!r} is not a date-time, so the validity "
                           "period cannot be judged",
                           f"{name} が日時ではないため、有効期間を判断できません", field=name)
        bounds[name] = moment
    claims = state.jwt_claims
    for claim, name in (("nbf", start_name), ("exp", end_name)):
        if claim in claims:
            moment = _numeric_date(claims[claim])
            if moment is None:
                return _failed("validity", "invalid-date",
                               f"the JWT claim {claim} is not a NumericDate",
                               f"JWT の {claim} が日時（NumericDate）ではありません", field=claim)
            current = bounds.get(name)
            # The stricter bound holds: a later start, an earlier end.
            if current is None or (moment > current if claim == "nbf" else moment < current):
                bounds[name] = moment
    now = state.now
    start, end = bounds.get(start_name), bounds.get(end_name)
    shown: dict[str, Any] = {"now": now.isoformat(), start_name: credential.get(start_name),
             end_name: credential.get(end_name)}
    if start is not None and now < start:
        return _failed("validity", "not-yet-valid",
                       f"not yet valid: the credential is valid from {start.isoformat()}",
                       f"まだ有効ではありません（有効期間の開始は {start.isoformat()}）",
                       **shown)
    if end is not None and now > end:
        return _failed("validity", "expired",
                       f"expired: the credential was valid until {end.isoformat()}",
                       f"有効期限が切れています（{end.isoformat()} まで有効でした）", **shown)
    if start is None and end is None:
        return _passed("validity", "no validity period is stated",
                       "有効期間の記載はありません", **shown)
    period_en = (f"from {start.isoformat()}" if start else "") + (
        f" until {end.isoformat()}" if end else "")
    period_ja = (f"{start.isoformat()} から" if start else "") + (
        f"{end.isoformat()} まで" if end else "")
    return _passed("validity", f"valid now ({period_en.strip()})",
                   f"現在有効です（{period_ja}）", **shown)


# --- status ---------------------------------------------------------------------------------

def _status_list(state: VerificationState, url: str) -> StatusListCredential:
    """The status list credential at ``url``: fetched once, its proof and issuer verified."""
    known = state.status_lists.get(url)
    if isinstance(known, _Refusal):
        raise known
    if known is not None:
        return known
    try:
        parsed = _fetch_status_list(state, url)
    except _Refusal as refusal:
        state.status_lists[url] = refusal
        raise
    state.status_lists[url] = parsed
    return parsed


def _unavailable(url: str, why_en: str, why_ja: str, code: str = "status-unavailable"
                 ) -> _Refusal:
    return _Refusal(code, f"status could not be checked: the status list {url} {why_en}",
                    f"ステータスを確認できませんでした。ステータスリスト {url} {why_ja}",
                    statusListCredential=url)


def _fetch_status_list(state: VerificationState, url: str) -> StatusListCredential:
    assert state.fetch_status_list is not None
    try:
        document = state.fetch_status_list(url)
    except (CredstackError, OSError, ValueError) as exc:
        raise _unavailable(url, f"could not be fetched ({exc})", "を取得できません") from None
    if document is None:
        raise _unavailable(url, "is not available", "が見つかりません")
    if not isinstance(document, Mapping):
        raise _unavailable(url, "is not a JSON object", "が JSON オブジェクトではありません")
    try:
        signers, _ = _secure(document, state)
    except _Refusal as refusal:
        raise _unavailable(url, f"is not secured: {refusal.en}",
                           f"の証明を確認できません：{refusal.ja}", "status-list-unverified"
                           ) from None
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        failure = _proof_refusal(cause)
        raise _unavailable(url, f"does not verify: {failure.en}",
                           f"の証明を確認できません：{failure.ja}", "status-list-unverified"
                           ) from None
    issuer = _issuer_id(document)
    if issuer is None or issuer not in [signer.controller for signer in signers]:
        raise _unavailable(url, f"is not signed by its own issuer ({issuer})",
                           f"が発行者（{issuer}）自身によって署名されていません",
                           "status-list-unverified")
    try:
        return StatusListCredential.parse(document)
    except StatusListError as exc:
        raise _unavailable(url, f"is malformed: {exc}", f"の形式が正しくありません：{exc}"
                           ) from None


def _one_status(state: VerificationState, item: Any, where: str) -> StatusResult:
    if not isinstance(item, Mapping):
        raise _Refusal("status-malformed", f"{where} is not an object",
                       f"{where} がオブジェクトではありません")
    types = json_values.types(item.get("type")) or ()
    if BITSTRING_ENTRY not in types:
        kind = item.get("type")
        raise _Refusal("status-unsupported",
                       f"status could not be checked: the status method {kind!r} is not "
                       f"supported (credstack reads {BITSTRING_ENTRY})",
                       f"ステータスを確認できませんでした（{kind!r} の方式には対応していません）",
                       type=kind)
    try:
        entry = StatusEntry.parse(item, location=where)
    except StatusListError as exc:
        raise _Refusal("status-malformed", f"the status entry is malformed: {exc}",
                       f"ステータス情報の形式が正しくありません：{exc}") from None
    status_list = _status_list(state, entry.list_credential)
    try:
        return status_in_list(entry, status_list, now=state.now)
    except StatusListError as exc:
        raise _unavailable(entry.list_credential, f"cannot answer: {exc}",
                           f"で確認できません：{exc}") from None


def check_status(state: VerificationState) -> Check:
    """``status``: each ``BitstringStatusListEntry`` against its fetched, verified list."""
    credential = state.credential
    if credential is None:
        return _unread("status")
    value = credential.get("credentialStatus")
    if value is None:
        return _passed("status", "no status: the credential has no credentialStatus",
                       "ステータス情報はありません（失効の仕組みを持たない証明書です）",
                       code="no-status", entries=[])
    if state.signers is None:
        return _not_checked("status", "the proof did not verify, so the status list it names "
                            "is not fetched",
                            "署名が確認できないため、ステータスリストを取得していません")
    if state.fetch_status_list is None:
        return Check("status", None, "status not checked: this verifier was told not to",
                     "この検証ではステータスを確認しない設定です", {}, code="not-checked",
                     kind=CheckKind.INFO, warnings=(Notice(
                         "status-not-checked", "the status (revocation, suspension) was not "
                         "checked", "ステータス（失効・一時停止）は確認していません"),))
    entries: list[dict[str, Any]] = []
    refusals: list[_Refusal] = []
    results: list[StatusResult] = []
    for index, item in enumerate(_items(value)):
        where = f"credentialStatus[{index}]" if isinstance(value, list) else "credentialStatus"
        try:
            result = _one_status(state, item, where)
        except _Refusal as refusal:
            refusals.append(refusal)
            entries.append({"location": where, "outcome": refusal.code, "reason": refusal.en})
            continue
        results.append(result)
        outcome = "revoked" if result.revoked else "suspended" if result.suspended else (
            "valid" if result.valid else "set")
        entries.append({"location": where, "outcome": outcome, "purpose": result.purpose,
                        "index": result.index, "status": result.status,
                        "message": result.message,
                        "statusListCredential": result.list_credential})
    issuer = _issuer_id(credential)
    notices = [Notice("status-list-issuer",
                      f"the status list {url} is issued by {known.issuer}, not by the "
                      f"credential's issuer {issuer}",
                      f"ステータスリスト {url} の発行者（{known.issuer}）は証明書の発行者と"
                      "異なります")
               for url, known in state.status_lists.items()
               if isinstance(known, StatusListCredential) and known.issuer != issuer]
    revoked = [result for result in results if result.revoked]
    suspended = [result for result in results if result.suspended]
    if revoked:
        where = f"{revoked[0].list_credential}, index {revoked[0].index}"
        return _failed("status", "revoked", f"the credential has been revoked ({where})",
                       f"この証明書は失効しています（{where}）", warnings=notices,
                       entries=entries)
    if suspended:
        where = f"{suspended[0].list_credential}, index {suspended[0].index}"
        return _failed("status", "suspended", f"the credential is suspended ({where})",
                       f"この証明書は一時停止されています（{where}）", warnings=notices,
                       entries=entries)
    if refusals:
        return _failed("status", refusals[0].code, refusals[0].en, refusals[0].ja,
                       warnings=notices, entries=entries)
    count = len(results)
    return _passed("status", f"neither revoked nor suspended ({count} status "
                             f"entr{'ies' if count != 1 else 'y'} checked)",
                   f"失効も一時停止もされていません（ステータス {count} 件を確認）",
                   warnings=notices, entries=entries)


# --- meaning --------------------------------------------------------------------------------

#: Open Badges ``identityType`` → credstack identifier type (the inverse of the builder's).
_IDENTIFIER_TYPES: Final = {"emailAddress": "email", "sisSourcedId": "student-id",
                            "nationalIdentityNumber": "national-id"}


def _award(credential: Mapping[str, Any], subject: Mapping[str, Any]) -> dict[str, Any]:
    """The award (learner, date, grade) as the credential states it, for the descriptors."""
    learner: dict[str, Any] = {}
    identifiers: list[dict[str, str]] = []
    subject_id = subject.get("id")
    if isinstance(subject_id, str):
        kind = ("did" if subject_id.startswith("did:")
                else "url" if is_absolute_url(subject_id) else None)
        if kind is not None:
            identifiers.append({"type": kind, "value": subject_id})
    for identity in _items(subject.get("identifier")):
        if not isinstance(identity, Mapping):
            continue
        value, kind = identity.get("identityHash"), identity.get("identityType")
        if not isinstance(value, str) or not value.strip() or not isinstance(kind, str):
            continue
        if kind == "name" and identity.get("hashed") is False and "name" not in learner:
            # The language of a name in a credential is not stated: "und" (undetermined).
            learner["name"] = {"und": value}
        elif kind != "name":
            identifiers.append({"type": _IDENTIFIER_TYPES.get(kind, "other"), "value": value})
    if identifiers:
        learner["identifiers"] = identifiers
    award: dict[str, Any] = {}
    if learner:
        award["learner"] = learner
    for name in ("awardedDate", "validFrom", "issuanceDate"):
        moment = _instant(credential.get(name), require_zone=False)
        if moment is not None:
            award["issued_on"] = moment.date().isoformat()
            break
    for result in _items(subject.get("result")):
        if isinstance(result, Mapping) and isinstance(result.get("value"), str):
            award["grade"] = result["value"]
            break
    return award


def _read_meaning(state: VerificationState, credential: Mapping[str, Any]) -> Meaning:
    types = tuple(json_values.types(credential.get("type")) or ())
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else None
    base = Meaning(types=types, issuer_id=_issuer_id(credential),
                   issuer_name=issuer_name if isinstance(issuer_name, str) else None)
    subject = next(iter(_items(credential.get("credentialSubject"))), None)
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(subject, Mapping) or not isinstance(achievement, Mapping):
        return base
    achievement_id = achievement.get("id")
    achievement_id = achievement_id if isinstance(achievement_id, str) else None
    contexts = _items(credential.get("@context"))
    source = (DescriptorSource.EXTENSION
              if EXTENSION_PROPERTY in achievement and EXTENSION_CONTEXT_URL in contexts
              else DescriptorSource.OPEN_BADGES)
    try:
        descriptors = descriptors_from_credential(credential)
    except (TypeError, ValueError, AttributeError, KeyError):
        # A foreign achievement whose fields have unexpected JSON types (a number where an
        # array of alignments belongs …): its meaning is unreadable, not an error.
        return Meaning(types=types, issuer_id=base.issuer_id, issuer_name=base.issuer_name,
                       achievement_id=achievement_id, problems=(Problem(
                           "credentialSubject.achievement",
                           "its fields do not have the types Open Badges gives them"),))
    conformance: tuple[ProfileReport, ...] = ()
    is_micro_credential: bool | None = None
    problems: tuple[Problem, ...] = ()
    award = _award(credential, subject)
    document = {**descriptors, "award": award} if award else descriptors
    try:
        try:
            programme = parse_programme(document, source="credentialSubject.achievement")
        except DescriptorError:
            # The award is the credential's own reading of its subject; a programme whose
            # award does not parse is still judged on the programme's descriptors.
            if not award:
                raise
            programme = parse_programme(descriptors, source="credentialSubject.achievement")
    except DescriptorError as exc:
        problems = exc.problems
    else:
        reports = validate_all(programme, profiles().values())
        conformance = tuple(reports)
        is_micro_credential = all(report.is_micro_credential for report in reports)
    registry = None
    if achievement_id is not None:
        try:
            registry = state.programme_lookup(achievement_id)
        except NotFoundError:
            registry = None
    name = achievement.get("name")
    kind = achievement.get("achievementType")
    return Meaning(
        types=types, issuer_id=base.issuer_id, issuer_name=base.issuer_name,
        achievement_id=achievement_id,
        achievement_type=kind if isinstance(kind, str) else None,
        achievement_name=name if isinstance(name, str) else None,
        descriptors=descriptors or None, descriptor_source=source,
        conformance=conformance, is_micro_credential=is_micro_credential,
        registry=registry, problems=problems)


def check_meaning(state: VerificationState) -> Check:
    """``meaning`` (information): the MC descriptors, conformance per profile, the registry."""
    credential = state.credential
    if credential is None:
        return Check("meaning", None, "nothing to read: the credential could not be read",
                     "証明書を読み取れなかったため、内容はわかりません", {},
                     kind=CheckKind.INFO)
    try:
        meaning = _read_meaning(state, credential)
    except CredstackError as exc:
        return Check("meaning", None, f"the credential's meaning could not be read: {exc}",
                     "証明書の内容を読み取れませんでした", {"error": exc.message},
                     kind=CheckKind.INFO)
    state.meaning = meaning
    if meaning.achievement_id is None and meaning.descriptors is None:
        return Check("meaning", None, "not an achievement credential: no achievement to read",
                     "達成（achievement）を含まない証明書です", {"types": list(meaning.types)},
                     kind=CheckKind.INFO)
    conforming = [report.profile for report in meaning.conformance if report.conforms]
    mc_en = {True: "a micro-credential", False: "not a micro-credential",
             None: "micro-credential or not cannot be told"}[meaning.is_micro_credential]
    mc_ja = {True: "マイクロクレデンシャルです", False: "マイクロクレデンシャルではありません",
             None: "マイクロクレデンシャルかどうかは判断できません"}[meaning.is_micro_credential]
    profiles_en = ", ".join(conforming) if conforming else "none"
    known_en = "known to this registry" if meaning.registry is not None else "not in this registry"
    known_ja = "この登録簿に登録済み" if meaning.registry is not None else "この登録簿には未登録"
    return Check(
        "meaning", None,
        f"{meaning.achievement_name or meaning.achievement_id}: {mc_en}; conforms to "
        f"{profiles_en}; {known_en}",
        f"{meaning.achievement_name or meaning.achievement_id}：{mc_ja}。適合する枠組み："
        f"{'、'.join(conforming) if conforming else 'なし'}。{known_ja}",
        {"achievement": meaning.achievement_id,
         "descriptor_source": (meaning.descriptor_source.value
                               if meaning.descriptor_source is not None else None),
         "is_micro_credential": meaning.is_micro_credential,
         "conforms": {report.profile: report.conforms for report in meaning.conformance},
         "registered": meaning.registry is not None},
        kind=CheckKind.INFO)


# --- an optional step: the credential's JSON Schema -----------------------------------------

#: ``credentialSchema`` types that name a JSON Schema (OB 3.0's and VC JSON Schema's).
JSON_SCHEMA_TYPES: Final = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema",
                                      "JsonSchemaValidator2018"})


class SchemaLookup(Protocol):
    """Schema URL → the JSON Schema (a JSON object), or ``None`` when it is not held."""

    def __call__(self, url: str, /) -> Mapping[str, Any] | None: ...


def _schema_message(error: schema_errors.ValidationError) -> str:
    # jsonschema's own messages quote the whole offending value, which may be most of the
    # credential; the keyword and its expectation say what is wrong.
    message = str(error.message)
    if len(message) <= 160:
        return message
    expected = json.dumps(error.validator_value, ensure_ascii=False, default=str)
    return f"fails {error.validator!s}: {expected[:120]}"


def credential_schema(lookup: SchemaLookup, *,
                      registry: Registry[Any] | None = None) -> CheckStep:
    """A ``credential-schema`` step: validate against each JSON Schema the credential names.

    Not in :data:`DEFAULT_CHECKS`: the schemas are data an adapter provides (bundled, never
    fetched, like contexts). A schema the lookup does not hold is a warning, not a failure.
    ``registry`` resolves the schemas' ``$ref``s; give one that refuses unknown URLs, since
    without it jsonschema would fetch them.
    """
    def check(state: VerificationState) -> Check:
        credential = state.credential
        if credential is None:
            return _unread("credential-schema")
        named = [item for item in _items(credential.get("credentialSchema"))
                 if isinstance(item, Mapping) and isinstance(item.get("id"), str)
                 and set(json_values.types(item.get("type")) or ()) & JSON_SCHEMA_TYPES]
        if not named:
            return _passed("credential-schema", "the credential names no JSON Schema",
                           "JSON スキーマの指定はありません", code="no-schema")
        problems: list[Problem] = []
        notices: list[Notice] = []
        checked: list[str] = []
        for item in named:
            url = item["id"]
            schema = lookup(url)
            if schema is None:
                notices.append(Notice("schema-not-available",
                                      f"the JSON Schema {url} is not held: not checked",
                                      f"JSON スキーマ {url} を保持していないため確認していません"))
                continue
            try:
                kind = validators.validator_for(schema)
                validator = (kind(schema) if registry is None
                             else kind(schema, registry=registry))
                errors = sorted(validator.iter_errors(credential), key=lambda e: list(e.path))
            except (schema_errors.SchemaError, Unresolvable) as exc:
                notices.append(Notice("schema-unusable",
                                      f"the JSON Schema {url} cannot be used: {exc}",
                                      f"JSON スキーマ {url} を利用できません"))
                continue
            checked.append(url)
            problems.extend(
                Problem(".".join(str(part) for part in error.absolute_path) or "(root)",
                        _schema_message(error)) for error in errors)
        if problems:
            return _failed("credential-schema", "schema",
                           f"the credential does not match its JSON Schema; {problems[0]}",
                           f"JSON スキーマに適合しません（{len(problems)} 件）",
                           warnings=notices, problems=_problems(problems), schemas=checked)
        return _passed("credential-schema",
                       f"matches {len(checked)} JSON Schema{'s' if len(checked) != 1 else ''}",
                       f"JSON スキーマ {len(checked)} 件に適合しています",
                       warnings=notices, schemas=checked)

    return check


# --- the pipeline ---------------------------------------------------------------------------

#: Every built-in step by the name of the check it adds, in the order they run by default.
STEPS: Final[Mapping[str, CheckStep]] = {
    "parse": check_parse,
    "data-model": check_data_model,
    "contexts": check_contexts,
    "proof": check_proof,
    "issuer": check_issuer,
    "validity": check_validity,
    "status": check_status,
    "meaning": check_meaning,
}
DEFAULT_CHECKS: Final[tuple[CheckStep, ...]] = tuple(STEPS.values())


def verify_credential(
    credential: Mapping[str, Any] | str | bytes,
    *,
    document_loader: DocumentLoader,
    resolve_verification_method: MethodResolver,
    fetch_status_list: StatusListFetcher | None,
    now: dt.datetime,
    programme_lookup: ProgrammeLookup,
    checks: Sequence[CheckStep] = DEFAULT_CHECKS,
    recognition_lookup: Any = None,
) -> VerificationReport:
    """Verify a credential and say what it means; every finding is a check in the report.

    ``credential`` is a VC 2.0 / OB 3.0 JSON-LD credential with Data Integrity proofs (a
    JSON object, or its JSON text or bytes), a VC-JWT compact JWS, or an
    ``EnvelopedVerifiableCredential`` holding one. ``document_loader`` serves the JSON-LD
    contexts (it never fetches); ``resolve_verification_method`` resolves verification
    methods other than ``did:key``; ``fetch_status_list`` returns status list credentials
    (``None``: do not check status, with a warning); ``now`` is an aware datetime;
    ``programme_lookup`` finds the registry record of an achievement;
    ``recognition_lookup`` (a :class:`~.recognition.RecognitionLookup`, for the
    ``recognition`` step) finds the recognitions of one.

    Raises ``ValueError`` for a naive ``now`` or no checks, ``TypeError`` when a step or a
    seam breaks its contract — never for anything about the credential.
    """
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    if not checks:
        raise ValueError("give at least one check")
    state = VerificationState(
        input=credential, document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        fetch_status_list=fetch_status_list, now=now, programme_lookup=programme_lookup,
        recognition_lookup=recognition_lookup)
    results: list[Check] = []
    for step in checks:
        check = step(state)
        if check is None:
            continue  # The step does not apply to this credential.
        if not isinstance(check, Check):
            raise TypeError(f"the check step {step!r} returned {check!r}, not a Check")
        state.results[check.name] = check
        results.append(check)
    return VerificationReport(tuple(results), state.meaning)
