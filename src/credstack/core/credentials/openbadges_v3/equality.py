"""Open Badges 3.0 §10, "Credential equality and comparison algorithm".

Specification: *Open Badges Specification v3.0*, 1EdTech, Final Release of 27 May 2024,
https://www.imsglobal.org/spec/ob/v3p0/#credential-equality-and-comparison — a Host treats two
credentials as the same when both their issuer ids and their credential ids are equal after
percent-encoded characters are unescaped (RFC 3986) and leading and trailing whitespace is
removed; of two equal credentials, the one with the newer ``validFrom`` is the more
up-to-date representation.

A credential is read here as JSON: an embedded-proof credential as it is, a VC-JWT as its
claims (the caller decodes the JWS). The claims of a VC-JWT are the credential itself (OB 3.0
§8.2, VC-JOSE-COSE), or, in the older VC-JWT of VC 1.1, a ``vc`` claim with ``iss`` and
``jti`` beside it; both are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote


@dataclass(frozen=True, slots=True)
class Identity:
    """What makes a credential the same as another: its issuer's id and its own id."""

    issuer: str
    credential: str


def normalise(value: str) -> str:
    """Percent-encoded characters unescaped, then surrounding whitespace removed."""
    return unquote(value).strip()


def _credential(document: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = document.get("vc")
    return inner if isinstance(inner, Mapping) else document


def identity(document: Mapping[str, Any]) -> Identity | None:
    """The credential's identity; None when it has no id or no issuer id (such a credential
    is never the same as another)."""
    credential = _credential(document)
    issuer = credential.get("issuer", document.get("iss"))
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    own = credential.get("id", document.get("jti"))
    if not isinstance(issuer, str) or not isinstance(own, str):
        return None
    found = Identity(normalise(issuer), normalise(own))
    return found if found.issuer and found.credential else None


def equal(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """Whether the two are the same credential (§10)."""
    mine = identity(first)
    return mine is not None and mine == identity(second)


def valid_from(document: Mapping[str, Any]) -> dt.datetime | None:
    """``validFrom`` (VC 2.0), else ``issuanceDate`` (VC 1.1), else the JWT's ``nbf``."""
    credential = _credential(document)
    for name in ("validFrom", "issuanceDate"):
        value = credential.get(name)
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    nbf = document.get("nbf")
    if isinstance(nbf, int | float) and not isinstance(nbf, bool):
        return dt.datetime.fromtimestamp(nbf, dt.UTC)
    return None


def newer(candidate: Mapping[str, Any], kept: Mapping[str, Any]) -> bool:
    """Whether ``candidate`` is a more up-to-date representation than ``kept`` (its
    ``validFrom`` is later; without dates on both, the candidate counts as newer — the one
    sent last replaces)."""
    mine, theirs = valid_from(candidate), valid_from(kept)
    if mine is None or theirs is None:
        return True
    return mine > theirs
