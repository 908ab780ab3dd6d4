"""What the pipeline's steps share: the seams it is given (method resolver, status list fetcher,
registry lookup), the state the steps pass along, and small readers of the credential's JSON."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.crypto import DocumentLoader, PublicKey
from credstack.core.status import StatusListCredential
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.report import (
    Check,
    Meaning,
)

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


def _unread(name: str) -> Check:
    return _not_checked(name, "the credential could not be read",
                        "証明書を読み取れませんでした")


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
