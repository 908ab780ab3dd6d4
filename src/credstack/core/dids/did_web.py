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
as the did:web specification requires.

Reading someone else's document (:func:`read_document`, then :func:`assertion_method`) is
stricter than DID Core requires and more lenient than credstack writes:

* the document's ``id`` must be the DID it was fetched for (did:web §2.5.2: anything else
  is an ``invalidDid``, not merely a differently named key);
* the method is looked up by its absolute id or by ``#fragment`` relative to the DID, in
  ``verificationMethod`` or embedded in ``assertionMethod`` (listed in both with identical
  content, it is one method; with different content, the document is refused); it must be
  referenced (or embedded) under ``assertionMethod`` — the proof purpose of every
  credential — and its ``controller``, when given, must be the DID;
* keys are read from ``Multikey`` (and ``Ed25519VerificationKey2020``) ``publicKeyMultibase``
  values (Ed25519, P-256, P-384, P-521, secp256k1), and from ``JsonWebKey`` / ``JsonWebKey2020``
  ``publicKeyJwk`` values (RFC 8037 ``OKP`` Ed25519, RFC 7518 ``EC`` P-256 and P-384, RFC 8812
  ``EC`` secp256k1 — each becomes a :class:`~credstack.core.crypto.keys.PublicKey` —, from
  ``EcdsaSecp256k1VerificationKey2019`` (any of its key members, :data:`SECP256K1_TYPE`) and
  RFC 7518 ``RSA`` of at least 2048 bits,
  kept as its public JWK, usable only for RS256 VC-JWTs). A JWK with private members is
  refused.

Everything here is pure: fetching a document is the job of an adapter
(:mod:`credstack.adapters.resolvers.did_web`).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from credstack.core.crypto.keys import KeyType, PublicKey
from credstack.core.crypto.multibase import base58_decode
from credstack.core.crypto.multikey import decode_public_key, encode_public_key
from credstack.core.said import Listed, Said, said_of
from credstack.core.types import whole_number
from credstack.errors import DidDocumentError, MalformedCredentialError, Problem

from .did_key import DID_CONTEXTS

__all__ = [
    "BASE58_TYPES",
    "JWK_CONTEXT",
    "JWK_SUFFIX",
    "JWK_TYPES",
    "MULTIBASE_TYPES",
    "PREFIX",
    "AssertionMethod",
    "DidDocumentError",
    "VerificationKey",
    "assertion_method",
    "controlled_method",
    "did_for",
    "document",
    "json_object",
    "parse",
    "public_key_from_jwk",
    "read_document",
]

PREFIX: Final = "did:web:"
#: The prefix of what this module says (``dids.web.…``).
_SAID: Final = "dids.web."

# A DID's idchar (DID Core §3.1): ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_FRAGMENT = re.compile(r"[A-Za-z0-9._-]+")

#: Verification method types whose key is a ``publicKeyMultibase`` (and the key types each
#: may hold).
MULTIBASE_TYPES: Final[Mapping[str, frozenset[KeyType]]] = {
    "Multikey": frozenset(KeyType),
    "Ed25519VerificationKey2020": frozenset({KeyType.ED25519}),
}
#: Verification method types whose key is a ``publicKeyBase58`` (the raw key in base58-btc,
#: without multibase prefix or multicodec header): Ed25519 Signature 2018, W3C CCG,
#: https://w3c-ccg.github.io/lds-ed25519-2018/ — still in older issuers' DID documents.
BASE58_TYPES: Final[Mapping[str, KeyType]] = {"Ed25519VerificationKey2018": KeyType.ED25519}
#: Verification method types whose key is a ``publicKeyJwk``.
JWK_TYPES: Final = frozenset({"JsonWebKey", "JsonWebKey2020"})
#: The context defining ``JsonWebKey`` and ``publicKeyJwk`` (W3C CCG Security Vocabulary).
JWK_CONTEXT: Final = "https://w3id.org/security/jwk/v1"
#: What a key's fragment is followed by in the id of its ``JsonWebKey`` method.
JWK_SUFFIX: Final = "-jwk"
#: The secp256k1 method type of Ecdsa Secp256k1 Signature 2019 (W3C CCG,
#: https://w3c-ccg.github.io/lds-ecdsasecp256k1-2019/): its key is a ``publicKeyJwk``, a
#: ``publicKeyMultibase``, or a SEC 1 point (compressed or not) as ``publicKeyBase58`` or
#: ``publicKeyHex``, as Blockcerts and did:ion documents give it.
SECP256K1_TYPE: Final = "EcdsaSecp256k1VerificationKey2019"
#: JWK members that only a private (or symmetric) key has (RFC 7517/7518 §6).
_PRIVATE_JWK_MEMBERS: Final = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
#: The shortest RSA modulus accepted (NIST SP 800-131A: 2048 bits).
_MIN_RSA_BITS: Final = 2048
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
#: ``EC`` JWK curves (RFC 7518 §6.2.1.1, RFC 8812 §3.1) and the bytes of each coordinate.
_EC_CURVES: Final = {"P-256": (KeyType.P256, 32), "P-384": (KeyType.P384, 48),
                     "P-521": (KeyType.P521, 66),
                     "secp256k1": (KeyType.SECP256K1, 32)}




@dataclass(frozen=True, slots=True)
class AssertionMethod:
    """A verification method that may sign credentials: its absolute id, controller and key.

    ``public_key`` is a :class:`PublicKey` (Ed25519, ECDSA) or, for RSA, the public JWK
    (``kty``, ``n``, ``e``): the shape :data:`credstack.core.verification.VerificationKey`
    takes.
    """

    id: str
    controller: str
    public_key: PublicKey | Mapping[str, str]


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
        raise ValueError(f"{base_url!r} cannot be the base of a did:web: {exc}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{base_url!r} cannot be the base of a did:web: expected an http(s) "
                         "URL with a host name")
    if parts.username is not None or parts.query or parts.fragment:
        raise ValueError(f"{base_url!r} cannot be the base of a did:web: user names, queries "
                         "and fragments have no place in a did:web")
    host, fault = _domain_name(parts.hostname)
    if fault is not None:
        raise ValueError(f"{base_url!r} cannot be the base of a did:web: " + (
            "the did:web method does not allow IP addresses; use a domain name"
            if fault.key == _SAID + "ip_address" else
            f"{host!r} is not a domain name (letters, digits, hyphens and dots; write "
            "international names in their xn-- form)"))
    authority = host if port is None or (port == 443 and parts.scheme == "https") \
        else f"{host}%3A{port}"
    segments = [unquote(s) for s in parts.path.split("/") if s] + list(path_segments)
    for segment in segments:
        if segment in {"", ".", ".."}:
            raise ValueError(f"{base_url!r} cannot be the base of a did:web: the path segment "
                             f"{segment!r} cannot be part of a did:web")
    return PREFIX + ":".join([authority, *(_encode(s) for s in segments)])


def parse(did: str) -> str:
    """The HTTPS URL of the DID document of a ``did:web`` (a fragment, if any, is ignored)."""
    if not isinstance(did, str):
        raise MalformedCredentialError(code=_SAID + "not_text")
    bare = did.partition("#")[0]
    if not bare.startswith(PREFIX):
        raise _invalid(did, "expected")
    if "?" in bare or "/" in bare:
        raise _invalid(did, "no_query")
    domain, *path = bare[len(PREFIX):].split(":")
    for segment in (domain, *path):
        if not _SEGMENT.fullmatch(segment):
            raise _invalid(did, "segment", quoted=repr(segment))
    host, port = _authority(domain, did)
    for segment in path:
        if unquote(segment) in {".", ".."}:
            raise _invalid(did, "dot_segments")
    origin = f"https://{host}" + (f":{port}" if port is not None else "")
    return f"{origin}/{'/'.join(path)}/did.json" if path else f"{origin}/.well-known/did.json"


def document(did: str, keys: Iterable[VerificationKey]) -> dict[str, Any]:
    """The DID document of ``did`` with two verification methods per key: a ``Multikey``
    (``#key-1``, the method credstack's proofs and JWTs name) and the same key as a
    ``JsonWebKey`` (``#key-1-jwk``, Controlled Identifiers v1.0 §2.2.3, for JOSE and COSE
    verifiers that read only ``publicKeyJwk``).

    Every method is an ``assertionMethod`` (credentials it signed keep verifying after a
    rotation); only current keys' are also listed under ``authentication``.
    """
    parse(did)
    methods: list[dict[str, Any]] = []
    current: list[str] = []
    seen: set[str] = set()
    for key in keys:
        if not _FRAGMENT.fullmatch(key.fragment) or key.fragment in seen:
            raise ValueError(f"verification method fragment {key.fragment!r} is invalid or "
                             "used twice")
        seen.add(key.fragment)
        method_id = f"{did}#{key.fragment}"
        jwk_id = f"{method_id}{JWK_SUFFIX}"
        methods.append({"id": method_id, "type": "Multikey", "controller": did,
                        "publicKeyMultibase": encode_public_key(key.public_key)})
        methods.append({"id": jwk_id, "type": "JsonWebKey", "controller": did,
                        "publicKeyJwk": key.public_key.to_jwk()})
        if key.current:
            current += [method_id, jwk_id]
    result: dict[str, Any] = {"@context": [*DID_CONTEXTS, JWK_CONTEXT], "id": did}
    if methods:
        result["verificationMethod"] = methods
        result["authentication"] = current
        result["assertionMethod"] = [method["id"] for method in methods]
    return result


def read_document(did: str, data: bytes | str, *, source: str | None = None) -> dict[str, Any]:
    """The DID document of ``did`` from its JSON text: a JSON object whose ``id`` is ``did``.

    ``source`` (the URL it came from) is named in errors. Raises :class:`DidDocumentError`.
    """
    where = (Said(_SAID + "where.document_at", did=did, source=source) if source
             else Said(_SAID + "where.document", did=did))
    value = json_object(data, where)
    _check_id(value, did, where)
    return value


def json_object(data: bytes | str, where: str | Said) -> dict[str, Any]:
    """The JSON object ``data`` holds (a DID or controller document, a verification method);
    :class:`DidDocumentError` naming ``where`` when it is not JSON or not an object."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _unusable("not_json", where, why=str(exc)) from None
    if not isinstance(value, dict):
        raise _unusable("not_object", where)
    return value


def assertion_method(document: Mapping[str, Any], method: str) -> AssertionMethod:
    """The key of ``method`` (``<did>#<fragment>``) from its DID's document, if it may assert.

    Raises :class:`DidDocumentError` when the document is another DID's, does not list the
    method, lists it but not under ``assertionMethod``, gives it another controller, or holds
    a key credstack cannot read; :class:`~credstack.errors.MalformedCredentialError` when
    ``method`` is not a did:web URL.
    """
    did, _, fragment = method.partition("#")
    parse(did)
    if not fragment:
        raise DidDocumentError(code=_SAID + "no_fragment", params={"method": method})
    return controlled_method(document, method, controller=did,
                             where=Said(_SAID + "where.document", did=did))


def controlled_method(document: Mapping[str, Any], method: str, *, controller: str,
                      where: str | Said) -> AssertionMethod:
    """The key of ``method`` from the document of its ``controller`` (a DID or a URL), if it
    may assert: Controlled Identifiers v1.0 §3.3 "Retrieve Verification Method"
    (https://www.w3.org/TR/cid-1.0/#retrieve-verification-method), steps 5 to 9 — the
    document's ``id`` is the controller, it lists the method (in ``verificationMethod`` or
    embedded in ``assertionMethod``; listed twice, with identical content), under
    ``assertionMethod``, and the method's ``controller``, when given, is the controller.

    ``where`` names the document in errors (``the DID document of did:web:…``). Raises
    :class:`DidDocumentError`.
    """
    _check_id(document, controller, where)
    methods: dict[str, Mapping[str, Any]] = {}
    for entry in _entries(document, "verificationMethod", where):
        if not isinstance(entry, Mapping):
            raise _unusable("entry_not_object", where)
        _add_method(methods, entry, controller, where)
    asserting: set[str] = set()
    for entry in _entries(document, "assertionMethod", where):
        if isinstance(entry, str):
            asserting.add(_absolute(entry, controller))
        elif isinstance(entry, Mapping):
            asserting.add(_add_method(methods, entry, controller, where))
        else:
            raise _unusable("assertion_entry", where)
    found = methods.get(method)
    if found is None:
        raise _unusable("not_listed", where, method=method)
    if method not in asserting:
        raise DidDocumentError(code=_SAID + "not_asserting",
                               params={"method": method, "controller": controller})
    controlled_by = found.get("controller", controller)
    if controlled_by != controller:
        raise DidDocumentError(code=_SAID + "controlled_by", params={
            "method": method, "quoted": repr(controlled_by), "controller": controller})
    return AssertionMethod(method, controller, _method_key(found, method))


def public_key_from_jwk(jwk: object, *, where: str | Said = "publicKeyJwk"
                        ) -> PublicKey | dict[str, str]:
    """A public JWK as a verification key: OKP Ed25519 and EC P-256, P-384 and secp256k1 as a
    :class:`PublicKey`, RSA (2048 bits or more) as ``{"kty", "n", "e"}``. ``where`` names the
    key in errors.

    Raises :class:`DidDocumentError` for a private key, a key meant for encryption, another
    key type or curve, or values that are not a key.
    """
    if not isinstance(jwk, Mapping):
        raise _unusable("not_object", where)
    private = [member for member in _PRIVATE_JWK_MEMBERS if member in jwk]
    if private:
        raise _unusable("private", where, members=Listed(private))
    if jwk.get("use", "sig") != "sig":
        raise _unusable("not_for_signing", where, use=repr(jwk.get("use")))
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        return _from_raw(KeyType.ED25519, _b64url(jwk, "x", where, 32), where)
    if kty == "EC" and isinstance(crv, str) and crv in _EC_CURVES:
        key_type, size = _EC_CURVES[crv]
        x, y = _b64url(jwk, "x", where, size), _b64url(jwk, "y", where, size)
        key = _from_raw(key_type, bytes([2 + (y[-1] & 1)]) + x, where)
        # The compressed point only carries y's parity: compare the whole y, so a point that
        # is not on the curve is refused instead of silently becoming another key.
        if key.to_jwk()["y"] != _encode_b64url(y):
            raise _unusable("off_curve", where, curve=crv)
        return key
    if kty == "RSA":
        modulus = _b64url(jwk, "n", where)
        exponent = _b64url(jwk, "e", where)
        bits = int.from_bytes(modulus, "big").bit_length()
        if bits < _MIN_RSA_BITS:
            raise _unusable("rsa_short", where, bits=bits, least=_MIN_RSA_BITS)
        if int.from_bytes(exponent, "big") < 3 or not exponent[-1] & 1:
            raise _unusable("rsa_exponent", where)
        return {"kty": "RSA", "n": _encode_b64url(modulus), "e": _encode_b64url(exponent)}
    described = f"{kty} {crv}" if crv is not None else str(kty)
    raise _unusable("key_type", where, described=described)


def _check_id(document: Mapping[str, Any], identifier: str, where: str | Said) -> None:
    if document.get("id") != identifier:
        raise _unusable("other_id", where, quoted=repr(document.get("id")),
                        identifier=identifier)


def _entries(document: Mapping[str, Any], name: str, where: str | Said) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise _unusable("not_list", where, name=name)
    return value


def _absolute(reference: str, controller: str) -> str:
    """A method id relative to the controller (``#key-1``) made absolute; absolute ids
    unchanged."""
    return controller + reference if reference.startswith("#") else reference


def _add_method(methods: dict[str, Mapping[str, Any]], entry: Mapping[str, Any],
                controller: str, where: str | Said) -> str:
    method_id = entry.get("id")
    if not isinstance(method_id, str):
        raise _unusable("no_id", where)
    method_id = _absolute(method_id, controller)
    if method_id in methods:
        # The same method listed again with identical content (in verificationMethod and
        # embedded in assertionMethod, as the DCC's documents do) is one method; two
        # different ones under one id would make "the" key of a signature ambiguous.
        if _same_method(methods[method_id], entry, controller):
            return method_id
        raise _unusable("twice", where, method=method_id)
    methods[method_id] = entry
    return method_id


def _same_method(first: Mapping[str, Any], second: Mapping[str, Any], controller: str) -> bool:
    """Whether two entries are the same method (their ids compared once made absolute)."""
    return ({**first, "id": _absolute(str(first["id"]), controller)}
            == {**second, "id": _absolute(str(second["id"]), controller)})


def _method_key(method: Mapping[str, Any], method_id: str) -> PublicKey | dict[str, str]:
    kind = method.get("type")
    if isinstance(kind, str) and kind in MULTIBASE_TYPES:
        value = method.get("publicKeyMultibase")
        if not isinstance(value, str):
            raise _of_method("no_multibase", method_id, kind=kind)
        key = _multibase_key(value, method_id)
        if key.type not in MULTIBASE_TYPES[kind]:
            raise _of_method("holding", method_id, kind=kind, key_type=key.type)
        return key
    if isinstance(kind, str) and kind in BASE58_TYPES:
        value = method.get("publicKeyBase58")
        if not isinstance(value, str) or not value:
            raise _of_method("no_base58", method_id, kind=kind)
        try:
            raw = base58_decode(value)
        except MalformedCredentialError as exc:
            raise _of_method("base58_unread", method_id, why=said_of(exc)) from None
        return _from_raw(BASE58_TYPES[kind], raw,
                         Said(_SAID + "where.base58", method=method_id))
    if isinstance(kind, str) and kind in JWK_TYPES:
        return public_key_from_jwk(method.get("publicKeyJwk"),
                                   where=Said(_SAID + "where.jwk", method=method_id))
    if kind == SECP256K1_TYPE:
        return _secp256k1_key(method, method_id)
    known = [*MULTIBASE_TYPES, *BASE58_TYPES, *sorted(JWK_TYPES), SECP256K1_TYPE]
    raise _of_method("method_type", method_id, quoted=repr(kind), known=Listed(known))


def _multibase_key(value: str, method_id: str) -> PublicKey:
    """The key of a method's ``publicKeyMultibase``."""
    try:
        return decode_public_key(value)
    except MalformedCredentialError as exc:
        raise _of_method("multibase_unread", method_id, why=said_of(exc)) from None


def _secp256k1_key(method: Mapping[str, Any], method_id: str) -> PublicKey:
    """An ``EcdsaSecp256k1VerificationKey2019``'s key, whichever member holds it."""
    if "publicKeyJwk" in method:
        key = public_key_from_jwk(method["publicKeyJwk"],
                                  where=Said(_SAID + "where.jwk", method=method_id))
    elif isinstance(method.get("publicKeyMultibase"), str):
        key = _multibase_key(method["publicKeyMultibase"], method_id)
    else:
        raw = _point_bytes(method, method_id)
        if len(raw) == 65 and raw[0] == 4:
            # SEC 1 §2.3.3: an uncompressed point, compressed (the parity of y picks 02/03).
            raw = bytes([2 + (raw[-1] & 1)]) + raw[1:33]
        key = _from_raw(KeyType.SECP256K1, raw, Said(_SAID + "where.key", method=method_id))
    if not isinstance(key, PublicKey) or key.type is not KeyType.SECP256K1:
        raise _of_method("secp256k1_other", method_id, kind=SECP256K1_TYPE)
    return key


def _point_bytes(method: Mapping[str, Any], method_id: str) -> bytes:
    base58, hexadecimal = method.get("publicKeyBase58"), method.get("publicKeyHex")
    try:
        if isinstance(base58, str) and base58:
            return base58_decode(base58)
        if isinstance(hexadecimal, str) and hexadecimal:
            return bytes.fromhex(hexadecimal)
    except (MalformedCredentialError, ValueError):
        raise _of_method("point_unread", method_id) from None
    raise _of_method("no_point", method_id, kind=SECP256K1_TYPE)


def _from_raw(key_type: KeyType, raw: bytes, where: str | Said) -> PublicKey:
    try:
        return PublicKey.from_raw(key_type, raw)
    except MalformedCredentialError as exc:
        raise _unusable("raw_unread", where, why=said_of(exc)) from None


def _b64url(jwk: Mapping[str, Any], member: str, where: str | Said, length: int | None = None
            ) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str) or not value or not _BASE64URL.fullmatch(value):
        raise _unusable("no_member", where, member=repr(member))
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise _unusable("member_not_base64url", where, member=repr(member)) from None
    if length is not None and len(raw) != length:
        raise _unusable("member_length", where, member=repr(member), size=len(raw),
                        length=length)
    return raw


def _encode_b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _authority(domain: str, did: str) -> tuple[str, int | None]:
    # Only the port's colon may be percent-encoded in the domain part.
    decoded = re.sub("%3[Aa]", ":", domain)
    if "%" in decoded:
        raise _invalid(did, "percent")
    host, colon, port_text = decoded.partition(":")
    port: int | None = None
    if colon:
        port = whole_number(port_text, most=65535)
        if not port:
            raise _invalid(did, "port", quoted=repr(port_text))
    host, fault = _domain_name(host)
    if fault is not None:
        raise _invalid(did, fault.key.removeprefix(_SAID), **fault.params)
    return host, port


def _domain_name(host: str) -> tuple[str, Said | None]:
    """The host lower-cased, and what is wrong with it as a did:web's domain name (``None``:
    nothing)."""
    host = host.lower()
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return host, Said(_SAID + "ip_address")
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        return host, Said(_SAID + "domain", quoted=repr(host))
    return host, None


def _encode(segment: str) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in segment.encode())


def _invalid(did: str, reason: str, **params: object) -> MalformedCredentialError:
    """``did`` is no did:web (``invalidDid``), for ``reason`` (a ``dids.web.…`` key) with its
    ``params``."""
    return MalformedCredentialError(code=_SAID + "invalid", params={"quoted": repr(did)},
                                    problems=[Problem("did", code=_SAID + reason,
                                                      params=params)])


def _unusable(reason: str, where: str | Said, **params: object) -> DidDocumentError:
    """``where`` (a document, a method, a key) cannot give a key, for ``reason`` (a
    ``dids.web.…`` key) with its ``params``."""
    return DidDocumentError(code=_SAID + reason, params={"where": where, **params})


def _of_method(reason: str, method_id: str, **params: object) -> DidDocumentError:
    """The verification method ``method_id`` gives no key, for ``reason``."""
    return DidDocumentError(code=_SAID + reason, params={"method": method_id, **params})
