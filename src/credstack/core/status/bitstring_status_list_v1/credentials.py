"""Status list credentials (§2.2) and the Validate Algorithm (§3.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from credstack.core.said import Listed
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    _MALFORMED_LIST,
    _MALFORMED_LIST_CREDENTIAL,
    _OUT_OF_RANGE,
    _UNVERIFIABLE,
    LIST_CREDENTIAL_TYPE,
    LIST_TYPE,
    MAX_DECOMPRESSED_BYTES,
    MINIMUM_ENTRIES,
    VC_V2_CONTEXT,
    StatusList,
    _check_length,
    _check_status_size,
    _entries_in,
    _error,
    _is_int,
    _read,
    _types,
    expand,
)
from credstack.core.status.bitstring_status_list_v1.entries import StatusEntry
from credstack.core.types import is_absolute_url


def _timestamp(value: datetime, name: str) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise _error(_MALFORMED_LIST_CREDENTIAL, name, "naive_time", value=repr(value))
    moment = value.astimezone(UTC)
    text = moment.isoformat(timespec="seconds" if not moment.microsecond else "microseconds")
    return text.replace("+00:00", "Z")


def status_list_credential(
    status_list: StatusList,
    *,
    url: str,
    issuer: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl: int | None = None,
    minimum_entries: int = MINIMUM_ENTRIES,
) -> dict[str, Any]:
    """The unsigned VC 2.0 ``BitstringStatusListCredential`` publishing ``status_list``.

    ``url`` is where it is served (its ``id``; the subject is ``<url>#list``), ``issuer`` a
    string (the W3C suite mishandles an issuer object), ``ttl`` milliseconds before a refresh
    should be attempted. Only the VC 2.0 context is needed: it defines the status list terms.
    The caller signs the result.
    """
    if not is_absolute_url(url) or "#" in url:
        raise _error(_MALFORMED_LIST_CREDENTIAL, "id", "url_fragment", value=repr(url))
    if not is_absolute_url(issuer):
        raise _error(_MALFORMED_LIST_CREDENTIAL, "issuer", "not_url", value=repr(issuer))
    _check_length(status_list.size, minimum_entries, "credentialSubject.encodedList")
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _timestamp(valid_from, "validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until, "validUntil")
        if valid_until <= valid_from:
            raise _error(_MALFORMED_LIST_CREDENTIAL, "validUntil", "after_valid_from")
    subject: dict[str, Any] = {
        "id": f"{url}#list",
        "type": LIST_TYPE,
        "statusPurpose": status_list.purpose,
        "encodedList": status_list.encode(),
    }
    if ttl is not None:
        if not _is_int(ttl) or ttl <= 0:
            raise _error(_MALFORMED_LIST_CREDENTIAL, "credentialSubject.ttl", "ttl_positive",
                         value=repr(ttl))
        subject["ttl"] = ttl
    credential["credentialSubject"] = subject
    return credential


def list_subject(document: object, credential_type: str, list_type: str
                 ) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """A status list credential of ``credential_type`` and its one subject, a list of
    ``list_type``; :class:`StatusListError` naming what is not."""
    summary = _MALFORMED_LIST_CREDENTIAL
    if not isinstance(document, Mapping):
        raise _error(summary, "", "not_object", found=type(document).__name__)
    if credential_type not in _types(document.get("type")):
        raise _error(summary, "type", "must_include", wanted=repr(credential_type),
                     found=repr(document.get("type")))
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise _error(summary, "credentialSubject", "one_object")
    if list_type not in _types(subject.get("type")):
        raise _error(summary, "credentialSubject.type", "wrong_type", wanted=repr(list_type),
                     found=repr(subject.get("type")))
    return document, subject


def _parse_datetime(value: object, location: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise _error(_MALFORMED_LIST_CREDENTIAL, location, "date_time", value=repr(value))


@dataclass(frozen=True, slots=True)
class StatusListCredential:
    """A ``BitstringStatusListCredential`` as read, its list already expanded.

    Its proof is *not* checked here: verify it with the proof layer first (§3.2 step 4).
    Parse a list once and check many entries against it.
    """

    id: str | None
    issuer: str | None
    purposes: tuple[str, ...]
    bitstring: bytes = field(repr=False)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    ttl: int | None = None
    #: The type it was read as: ``BitstringStatusListCredential`` here, another for a list of
    #: another specification read into the same shape (``StatusList2021Credential``).
    credential_type: str = LIST_CREDENTIAL_TYPE

    @classmethod
    def parse(
        cls, document: object, *, max_bytes: int = MAX_DECOMPRESSED_BYTES
    ) -> StatusListCredential:
        """Read a status list credential (a JSON object), expanding its ``encodedList``."""
        summary = _MALFORMED_LIST_CREDENTIAL
        document, subject = list_subject(document, LIST_CREDENTIAL_TYPE, LIST_TYPE)
        purposes = subject.get("statusPurpose")
        candidates = purposes if isinstance(purposes, list) else [purposes]
        listed = [p for p in candidates if isinstance(p, str) and p]
        if not listed or len(listed) != len(candidates):
            raise _error(summary, "credentialSubject.statusPurpose", "purposes",
                         value=repr(purposes))
        if "encodedList" not in subject:
            raise _error(summary, "credentialSubject.encodedList", "required")
        ttl = subject.get("ttl")
        if ttl is not None and (not _is_int(ttl) or ttl < 0):
            raise _error(summary, "credentialSubject.ttl", "ttl", value=repr(ttl))
        issuer = document.get("issuer")
        if isinstance(issuer, Mapping):
            issuer = issuer.get("id")
        identifier = document.get("id")
        # A list written as a VC 1.1 credential states its validity period as VC 1.1 does.
        start, end = (("validFrom", "validUntil")
                      if "validFrom" in document or "validUntil" in document
                      else ("issuanceDate", "expirationDate"))
        return cls(
            id=identifier if isinstance(identifier, str) else None,
            issuer=issuer if isinstance(issuer, str) else None,
            purposes=tuple(listed),
            bitstring=expand(subject["encodedList"], max_bytes=max_bytes),
            valid_from=_parse_datetime(document.get(start), start),
            valid_until=_parse_datetime(document.get(end), end),
            ttl=ttl,
        )

    def status_list(
        self,
        *,
        status_size: int = 1,
        purpose: str | None = None,
        minimum_entries: int = MINIMUM_ENTRIES,
    ) -> StatusList:
        """The list read with ``status_size`` bits per entry (the entry decides, §2.1)."""
        _check_status_size(status_size, "statusSize", _MALFORMED_LIST)
        _check_length(_entries_in(len(self.bitstring), status_size), minimum_entries,
                      "credentialSubject.encodedList")
        return StatusList(self.bitstring, status_size=status_size,
                          purpose=purpose or self.purposes[0])

    def check_valid_at(self, now: datetime) -> None:
        """Raise unless ``now`` is inside the list's validity period."""
        if self.valid_from is not None and now < self.valid_from:
            raise _error(_UNVERIFIABLE, "validFrom", "not_yet_valid",
                         moment=self.valid_from.isoformat())
        if self.valid_until is not None and now > self.valid_until:
            raise _error(_UNVERIFIABLE, "validUntil", "expired",
                         moment=self.valid_until.isoformat())


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The status of one credential in one list: a verdict, not an error."""

    purpose: str
    status: int
    message: str
    index: int
    list_credential: str

    @property
    def valid(self) -> bool:
        """Status 0: for revocation and suspension, the credential stands."""
        return self.status == 0

    @property
    def revoked(self) -> bool:
        return self.purpose == "revocation" and self.status != 0

    @property
    def suspended(self) -> bool:
        return self.purpose == "suspension" and self.status != 0


def check_status(
    entry: StatusEntry | Mapping[str, Any],
    list_credential: StatusListCredential | Mapping[str, Any],
    *,
    now: datetime | None = None,
    minimum_entries: int = MINIMUM_ENTRIES,
    max_bytes: int = MAX_DECOMPRESSED_BYTES,
) -> StatusResult:
    """§3.2: the status an entry points at, in an already fetched and verified list credential.

    Checks, raising ``StatusListError`` when the status cannot be decided: the entry and the
    list are well formed; the entry's purpose is one of the list's; the list has at least
    ``minimum_entries`` entries of the entry's ``statusSize``; the index lies inside it; and,
    when ``now`` is given, the list credential is within its validity period. The list
    credential's proof and its issuer are the caller's to check.
    """
    parsed = entry if isinstance(entry, StatusEntry) else StatusEntry.parse(entry)
    credential = (list_credential if isinstance(list_credential, StatusListCredential)
                  else StatusListCredential.parse(list_credential, max_bytes=max_bytes))
    if now is not None:
        credential.check_valid_at(now)
    if parsed.purpose not in credential.purposes:
        raise _error(_UNVERIFIABLE, "credentialStatus.statusPurpose", "other_purpose",
                     purpose=repr(parsed.purpose), purposes=Listed(map(repr, credential.purposes)))
    # The entry decides how the bits are read (§2.1 statusSize); no StatusList is built, so
    # that checking many entries against one parsed list stays cheap.
    size = _entries_in(len(credential.bitstring), parsed.status_size)
    _check_length(size, minimum_entries, "credentialSubject.encodedList")
    if parsed.index >= size:
        raise _error(_OUT_OF_RANGE, "credentialStatus.statusListIndex", "past_end",
                     index=f"{parsed.index:,}", size=f"{size:,}", last=f"{size - 1:,}")
    status = _read(credential.bitstring, parsed.index, parsed.status_size)
    return StatusResult(
        purpose=parsed.purpose,
        status=status,
        message=parsed.message_for(status),
        index=parsed.index,
        list_credential=parsed.list_credential,
    )
