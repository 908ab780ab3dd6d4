"""When a credential given to the wallet is one it holds already.

One credential comes in many forms — its JSON (however indented or ordered), a VC-JWT, a
badge image with either baked in, a PDF certificate that carries it, the Open Badges 2.0
assertions converted from it — and a wallet keeps it once (issue 51: a baked PNG of a
credential held was kept a second time and counted twice). So a credential is known by its
own id, never by the bytes of the file it came in:

* its **id**: a credential's ``id``, a VC-JWT's ``vc.id`` or ``jti``, an Open Badges 2.0
  assertion's ``id`` (the caller names the hosted assertions it serves itself for the
  credentials they stand for: their id is an address of this deployment);
* two documents with one id, and the same issuer where both name one (an Open Badges 2.0
  assertion names its issuer only through its badge), are **the same credential**, unless
  the one given is a newer
  representation of the one held — the same id with a later date of issue (Open Badges 3.0
  §10, "Credential equality and comparison algorithm"), which the wallet keeps beside it so
  that the REST API's upsert can put it in the older one's place. Where either states no
  date of issue, only the same content (RFC 8785 canonical JSON) is the same credential.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto.jcs import canonicalize
from credstack.core.verification.json_values import instant, jws_payload

__all__ = ["Held", "copies", "credential_id", "date_of_issue", "day_of_issue", "issued_at",
           "same_credential"]

#: Where a credential states when it was issued: VC 2.0, VC 1.1, Open Badges 2.0.
_ISSUED: Final = ("validFrom", "issuanceDate", "issuedOn")
#: The longest id a wallet keeps (its column's width).
MAX_ID_LENGTH: Final = 2048


def _body(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The credential itself: a VC 1.1 VC-JWT's ``vc`` claim, else the document."""
    inner = document.get("vc")
    return inner if isinstance(inner, Mapping) else document


def credential_id(document: Mapping[str, Any] | None) -> str | None:
    """The id the credential states (stripped), or ``None`` (none, or too long to keep)."""
    if document is None:
        return None
    found = _body(document).get("id", document.get("jti"))
    if not isinstance(found, str) or not found.strip():
        return None
    found = found.strip()
    return found if len(found) <= MAX_ID_LENGTH else None


def issued_at(document: Mapping[str, Any]) -> dt.datetime | None:
    """When the credential says it was issued (an Open Badges 2.0 date alone is its
    midnight in UTC), else the JWT's ``nbf``; ``None`` when it does not say."""
    body = _body(document)
    for name in _ISSUED:
        value = body.get(name)
        found = instant(value, require_zone=False)
        if found is None and isinstance(value, str) and len(value) == 10:
            found = instant(f"{value}T00:00:00Z")
        if found is not None:
            return found
    nbf = document.get("nbf")
    if isinstance(nbf, int | float) and not isinstance(nbf, bool):
        try:
            return dt.datetime.fromtimestamp(nbf, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def date_of_issue(text: str) -> dt.date | None:
    """The day a stored credential (JSON text, or a VC-JWT's compact form) says it was
    issued (its ``validFrom``: a cohort row's ``issued_on``), in the zone it states; ``None``
    when it is unreadable or does not say."""
    text = text.strip()
    try:
        document = json.loads(text) if text.startswith("{") else jws_payload(text)
    except (ValueError, RecursionError):
        return None
    return day_of_issue(document) if isinstance(document, Mapping) else None


def day_of_issue(document: Mapping[str, Any]) -> dt.date | None:
    """:func:`date_of_issue` of a credential already read as JSON (a Data Integrity
    credential as its signer holds it)."""
    moment = issued_at(document)
    return moment.date() if moment is not None else None


def _issuer(document: Mapping[str, Any]) -> str | None:
    """The issuer's id the credential states (a VC-JWT's ``iss``), if any."""
    issuer = _body(document).get("issuer", document.get("iss"))
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer.strip() if isinstance(issuer, str) and issuer.strip() else None


def _content(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonicalize(document)).hexdigest()


def same_credential(given: Mapping[str, Any], held: Mapping[str, Any], *,
                    given_id: str | None = None, held_id: str | None = None) -> bool:
    """Whether ``given`` is the credential ``held`` again (see the module docstring);
    ``given_id`` and ``held_id``, when given, are the ids the caller knows them by (an
    assertion this deployment hosts, named for the credential it stands for)."""
    mine = given_id or credential_id(given)
    if mine is None or mine != (held_id or credential_id(held)):
        return False
    # Ids are the issuers' to give: two issuers may give one id (test fixtures do).
    issuers = _issuer(given), _issuer(held)
    if None not in issuers and issuers[0] != issuers[1]:
        return False
    when, then = issued_at(given), issued_at(held)
    if when is None or then is None:
        return _content(given) == _content(held)
    return when <= then


@dataclass(frozen=True, slots=True)
class Held:
    """A wallet's entry as :func:`copies` compares it: its row, the credential it holds
    (``None``: unreadable), and whether it only carries one (a PDF certificate)."""

    row: int
    document: Mapping[str, Any] | None
    container: bool = False


def copies(held: Iterable[Held], *, credential_id: str) -> dict[int, int]:
    """Which of one wallet's entries stating ``credential_id``, in the order they were kept,
    are the credential an earlier one holds (each copy's row → the row kept), as the wallet
    finds an import to be one it holds: a carrier (a PDF certificate) is the first entry's
    credential whatever its dates, on either side; two documents are compared by
    :func:`same_credential`; an entry that cannot be read is kept apart."""
    kept: list[Held] = []
    found: dict[int, int] = {}
    for entry in held:
        original = next((earlier for earlier in kept if entry.container or earlier.container
                         or (entry.document is not None and earlier.document is not None
                             and same_credential(entry.document, earlier.document,
                                                 given_id=credential_id,
                                                 held_id=credential_id))), None)
        if original is None:
            kept.append(entry)
        else:
            found[entry.row] = original.row
    return found
