"""Status List 2021, the predecessor of Bitstring Status List, read into the same shapes.

*Verifiable Credentials Status List v2021* — W3C Credentials Community Group, Draft
Community Group Report — https://w3c-ccg.github.io/vc-status-list-2021/ — as the reference
implementation reads it (npm ``@digitalbazaar/vc-status-list`` 8.x on
``@digitalbazaar/bitstring`` 3.x). Credentials issued before Bitstring Status List (VC 1.1,
``https://w3id.org/vc/status-list/2021/v1``) carry it; credstack verifies their status, and
issues only Bitstring Status List.

What differs from Bitstring Status List v1.0 (:mod:`.bitstring_status_list_v1`):

* the entry is a ``StatusList2021Entry`` with an ``id`` (required, not the list's URL),
  ``statusPurpose`` (``revocation`` or ``suspension``), ``statusListIndex`` and
  ``statusListCredential``; one bit per credential (no ``statusSize`` or messages);
* the list is a ``StatusList2021Credential`` whose subject is a ``StatusList2021`` with one
  ``statusPurpose``, which must be the entry's;
* ``encodedList`` is the GZIP-compressed bitstring in base64url without padding and
  *without* a multibase prefix (``H4sI…``);
* its validity period is VC 1.1's ``issuanceDate`` / ``expirationDate`` (or VC 2.0's
  ``validFrom`` / ``validUntil``).

The bits are laid out and read as in Bitstring Status List (bit 0 is the most significant bit
of byte 0), so an entry and a list read here are a
:class:`~credstack.core.status.StatusEntry` and a
:class:`~credstack.core.status.StatusListCredential`, and
:func:`~credstack.core.status.check_status` answers for them. Errors are
:class:`~credstack.errors.StatusListError` naming the offending field, as there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from credstack.core.status.bitstring_status_list_v1.bitstring import (
    _MALFORMED,
    _MALFORMED_LIST_CREDENTIAL,
    MAX_DECOMPRESSED_BYTES,
    _error,
    expand_base64url,
)
from credstack.core.status.bitstring_status_list_v1.credentials import (
    StatusListCredential,
    _parse_datetime,
    list_subject,
)
from credstack.core.status.bitstring_status_list_v1.entries import (
    StatusEntry,
    entry_object,
    parse_index,
    relocated,
)
from credstack.errors import StatusListError

__all__ = ["CONTEXT", "ENTRY_TYPE", "LIST_CREDENTIAL_TYPE", "LIST_TYPE", "parse_entry",
           "parse_list_credential"]

CONTEXT: Final = "https://w3id.org/vc/status-list/2021/v1"
ENTRY_TYPE: Final = "StatusList2021Entry"
LIST_CREDENTIAL_TYPE: Final = "StatusList2021Credential"
LIST_TYPE: Final = "StatusList2021"
#: How a GZIP stream (``1f 8b 08``) starts in base64.
_GZIP_BASE64: Final = "H4sI"


def parse_entry(value: object, *, location: str = "credentialStatus") -> StatusEntry:
    """A ``StatusList2021Entry`` as a one-bit :class:`StatusEntry`."""
    try:
        return _parse_entry(value)
    except StatusListError as exc:
        raise relocated(exc, location) from None


def _parse_entry(value: object) -> StatusEntry:
    value = entry_object(value, ENTRY_TYPE,
                         ("id", "statusPurpose", "statusListIndex", "statusListCredential"))
    for name in ("id", "statusPurpose", "statusListCredential"):
        if not isinstance(value[name], str) or not value[name]:
            raise _error(_MALFORMED, f"credentialStatus.{name}", "non_empty_string",
                         value=repr(value[name]))
    return StatusEntry(purpose=value["statusPurpose"], index=parse_index(value["statusListIndex"]),
                       list_credential=value["statusListCredential"], id=value["id"])


def parse_list_credential(document: object, *, max_bytes: int = MAX_DECOMPRESSED_BYTES
                          ) -> StatusListCredential:
    """A ``StatusList2021Credential`` (a JSON object), its list expanded.

    Its proof is *not* checked here: verify it with the proof layer first.
    """
    summary = _MALFORMED_LIST_CREDENTIAL
    document, subject = list_subject(document, LIST_CREDENTIAL_TYPE, LIST_TYPE)
    purpose = subject.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise _error(summary, "credentialSubject.statusPurpose", "non_empty_string",
                     value=repr(purpose))
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise _error(summary, "credentialSubject.encodedList", "required_string",
                     value=repr(encoded))
    if encoded.startswith("u" + _GZIP_BASE64):
        raise _error(summary, "credentialSubject.encodedList", "prefix_2021")
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    identifier = document.get("id")
    start, end = (("validFrom", "validUntil") if "validFrom" in document or "validUntil" in document
                  else ("issuanceDate", "expirationDate"))
    return StatusListCredential(
        id=identifier if isinstance(identifier, str) else None,
        issuer=issuer if isinstance(issuer, str) else None,
        purposes=(purpose,),
        bitstring=expand_base64url(encoded, max_bytes=max_bytes),
        valid_from=_parse_datetime(document.get(start), start),
        valid_until=_parse_datetime(document.get(end), end),
        credential_type=LIST_CREDENTIAL_TYPE,
    )
