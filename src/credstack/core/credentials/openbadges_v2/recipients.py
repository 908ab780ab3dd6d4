"""Recipients: identities, salted hashes, and matching a claimed recipient."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from credstack.errors import InputError, Problem


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
