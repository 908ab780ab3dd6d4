"""``did:web``: identifiers from web addresses, their document URLs, and DID documents.

did:web Method Specification — W3C Credentials Community Group, unofficial draft (the text as
last revised on 8 May 2026) — https://w3c-ccg.github.io/did-method-web/ — §2.3
"Method-specific identifier" and §2.5.2 "Read (Resolve)":

* the method-specific identifier is a domain name, optionally followed by a path whose
  segments are separated by colons instead of slashes
  (``did:web:w3c-ccg.github.io:user:alice``);
* a port may follow the domain, its colon percent-encoded (``did:web:example.com%3A3000``);
* IP addresses are not allowed;
* the document of a bare domain lives at ``https://<domain>/.well-known/did.json``, that of a
  path at ``https://<domain>/<path>/did.json``, always over HTTPS.

Documents follow Decentralized Identifiers (DIDs) v1.0 §5 (W3C Recommendation, 19 July 2022,
https://www.w3.org/TR/did-core/) with ``Multikey`` verification methods as in Controlled
Identifiers v1.0 §2.2.2 (https://www.w3.org/TR/cid-1.0/#Multikey) and every DID URL absolute,
as the did:web specification requires. Everything here is pure: fetching a document is the
job of an adapter.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from credstack.core.crypto.keys import PublicKey
from credstack.core.crypto.multikey import encode_public_key
from credstack.errors import MalformedCredentialError, Problem

from .did_key import DID_CONTEXTS

__all__ = ["PREFIX", "VerificationKey", "did_for", "document", "parse"]

PREFIX: Final = "did:web:"

# A DID's idchar (DID Core §3.1): ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_FRAGMENT = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A key a DID document lists, under ``<did>#<fragment>``.

    ``current`` keys may also authenticate as the DID; keys that are no longer current stay
    listed as assertion methods so that what they signed keeps verifying.
    """

    fragment: str
    public_key: PublicKey
    current: bool = True


def did_for(base_url: str, path_segments: Sequence[str] = ()) -> str:
    """The ``did:web`` of ``base_url`` (its host, port and path) followed by ``path_segments``.

    Raises :class:`ValueError` when ``base_url`` cannot name a did:web (no host, an IP
    address, a query…): it comes from configuration, which the caller checks at the edge.

    ``did_for("https://example.com:3000/app", ["organisations", "acme"])`` is
    ``did:web:example.com%3A3000:app:organisations:acme``. The scheme does not appear: a
    did:web is always resolved over HTTPS, so the default HTTPS port is left out.
    """
    try:
        parts = urlsplit(base_url)
        port = parts.port
    except ValueError as exc:
        raise _bad_base(base_url, str(exc)) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _bad_base(base_url, "expected an http(s) URL with a host name")
    if parts.username is not None or parts.query or parts.fragment:
        raise _bad_base(base_url, "user names, queries and fragments have no place in a did:web")
    host = _domain_name(parts.hostname, base_url, _bad_base)
    authority = host if port is None or (port == 443 and parts.scheme == "https") \
        else f"{host}%3A{port}"
    segments = [unquote(s) for s in parts.path.split("/") if s] + list(path_segments)
    for segment in segments:
        if segment in {"", ".", ".."}:
            raise _bad_base(base_url, f"the path segment {segment!r} cannot be part of a did:web")
    return PREFIX + ":".join([authority, *(_encode(s) for s in segments)])


def parse(did: str) -> str:
    """The HTTPS URL of the DID document of a ``did:web`` (a fragment, if any, is ignored)."""
    if not isinstance(did, str):
        raise MalformedCredentialError("a did:web must be a string")
    bare = did.partition("#")[0]
    if not bare.startswith(PREFIX):
        raise _invalid(did, "expected did:web:<domain name>[:<path>…]")
    if "?" in bare or "/" in bare:
        raise _invalid(did, "queries and slash paths are not part of a did:web")
    domain, *path = bare[len(PREFIX):].split(":")
    for segment in (domain, *path):
        if not _SEGMENT.fullmatch(segment):
            raise _invalid(did, f"{segment!r} is not a valid identifier segment")
    host, port = _authority(domain, did)
    for segment in path:
        if unquote(segment) in {".", ".."}:
            raise _invalid(did, "dot segments would change the document's location")
    origin = f"https://{host}" + (f":{port}" if port is not None else "")
    return f"{origin}/{'/'.join(path)}/did.json" if path else f"{origin}/.well-known/did.json"


def document(did: str, keys: Iterable[VerificationKey]) -> dict[str, Any]:
    """The DID document of ``did`` with one ``Multikey`` verification method per key.

    Every key is an ``assertionMethod`` (credentials it signed keep verifying after a
    rotation); only current keys are also listed under ``authentication``.
    """
    parse(did)
    methods: list[dict[str, str]] = []
    current: list[str] = []
    seen: set[str] = set()
    for key in keys:
        if not _FRAGMENT.fullmatch(key.fragment) or key.fragment in seen:
            raise ValueError(f"verification method fragment {key.fragment!r} is invalid or "
                             "used twice")
        seen.add(key.fragment)
        method_id = f"{did}#{key.fragment}"
        methods.append({"id": method_id, "type": "Multikey", "controller": did,
                        "publicKeyMultibase": encode_public_key(key.public_key)})
        if key.current:
            current.append(method_id)
    result: dict[str, Any] = {"@context": list(DID_CONTEXTS), "id": did}
    if methods:
        result["verificationMethod"] = methods
        result["authentication"] = current
        result["assertionMethod"] = [method["id"] for method in methods]
    return result


def _authority(domain: str, did: str) -> tuple[str, int | None]:
    # Only the port's colon may be percent-encoded in the domain part.
    decoded = re.sub("%3[Aa]", ":", domain)
    if "%" in decoded:
        raise _invalid(did, "only the port's colon may be percent-encoded in the domain")
    host, colon, port_text = decoded.partition(":")
    port: int | None = None
    if colon:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise _invalid(did, f"{port_text!r} is not a port number")
        port = int(port_text)
    return _domain_name(host, did, _invalid), port


def _domain_name(host: str, where: str, error: Callable[[str, str], Exception]) -> str:
    host = host.lower()
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise error(where, "the did:web method does not allow IP addresses; use a domain name")
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise error(where, f"{host!r} is not a domain name (letters, digits, hyphens and dots; "
                    "write international names in their xn-- form)")
    return host


def _encode(segment: str) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in segment.encode())


def _invalid(did: str, reason: str) -> MalformedCredentialError:
    return MalformedCredentialError(f"{did!r} is not a valid did:web (invalidDid)",
                                    problems=[Problem("did", reason)])


def _bad_base(base_url: str, reason: str) -> ValueError:
    return ValueError(f"{base_url!r} cannot be the base of a did:web: {reason}")
