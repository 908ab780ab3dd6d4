"""Credentials secured with SD-JWT: selective disclosure, every disclosure checked.

*Selective Disclosure for JSON Web Tokens* — RFC 9901, November 2025 —
https://www.rfc-editor.org/rfc/rfc9901:

* §4 the compact form ``<issuer-signed JWT>~<disclosure>~…~<disclosure>~[<key binding JWT>]``;
* §4.2 a disclosure is the base64url of a JSON array — ``[salt, name, value]`` for an object
  member, ``[salt, value]`` for an array element — and its digest the base64url of the hash
  (``_sd_alg``, an IANA "Named Information Hash Algorithm" name, ``sha-256`` by default) of
  its ASCII text; objects list their members' digests in ``_sd``, arrays hold
  ``{"...": digest}`` elements;
* §7.1 verification: the issuer's signature; every disclosure's digest found in the signed
  payload or in a disclosure found there (nested objects and array elements too); no digest
  twice; an object member's disclosure only in an ``_sd``, an element's only in a ``{"..."}``;
  no disclosed name ``_sd`` or ``...``, none that the object already has; a disclosure that
  no digest references is refused; ``_sd``, ``_sd_alg`` and undisclosed ``{"..."}`` elements
  are removed from the result;
* §4.3 / §7.3 the key binding JWT (``typ: kb+jwt``), when there is one: signed by the key in
  the payload's ``cnf.jwk``, with ``iat``, ``aud``, ``nonce`` and the ``sd_hash`` of the
  SD-JWT it binds.

*Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-jose-cose/ — §3.2 "With SD-JWT": the payload *is* the credential
(``@context``, ``issuer`` …), media type ``application/vc+sd-jwt``, header ``typ: vc+sd-jwt``,
``kid`` the verification method. The IETF *SD-JWT-based Verifiable Credentials* draft
(draft-ietf-oauth-sd-jwt-vc) renamed its ``typ`` ``dc+sd-jwt``; both are read
(:data:`TYPES`).

:func:`parse` splits a token, :func:`disclose` rebuilds the disclosed claims — collecting
every violation as a :class:`~credstack.errors.Problem` instead of stopping at the first, so
that a verifier can report them all — :func:`verify_key_binding` checks the key binding JWT;
the issuer's signature is :func:`~.vc_jwt.verify_signature`'s (``joserfc``). :func:`issue`
secures a credential, the members named selectively disclosable.

Written here rather than taken from PyPI's ``sd-jwt`` (0.10.4, February 2024, the OpenWallet
Foundation's reference implementation): it accepts a disclosure that no digest references
(RFC 9901 §7.1 requires refusing it), knows ``sha-256`` only, does not check an array
element's disclosure shape, raises bare ``ValueError`` without saying which disclosure is
wrong, and brings ``jwcrypto`` and ``PyYAML`` beside ``joserfc``, which credstack already
verifies JWS with. What remains is pure data processing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto.keys import KeyPair
from credstack.core.crypto.multibase import base64url_json, strict_json
from credstack.core.dids.did_web import public_key_from_jwk
from credstack.core.said import said_of
from credstack.errors import DidDocumentError, MalformedCredentialError, Problem

from .vc_jwt import read_header, verify_signature

__all__ = ["DEFAULT_HASH", "HASHES", "KEY_BINDING_TYPE", "TYPES", "Disclosed", "SdJwt",
           "bind", "digest", "disclose", "is_sd_jwt", "issue", "parse", "verify_key_binding"]

#: ``typ`` values of credentials secured with SD-JWT: VC-JOSE-COSE's, the SD-JWT VC draft's,
#: their media types; a token without ``typ`` is read too.
TYPES: Final = ("vc+sd-jwt", "dc+sd-jwt", "application/vc+sd-jwt", "application/dc+sd-jwt")
KEY_BINDING_TYPE: Final = "kb+jwt"
DEFAULT_HASH: Final = "sha-256"
#: ``_sd_alg`` names (IANA Named Information Hash Algorithm Registry) → hashlib names.
HASHES: Final[Mapping[str, str]] = {
    "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512",
    "sha3-256": "sha3_256", "sha3-384": "sha3_384", "sha3-512": "sha3_512"}
_SD: Final = "_sd"
_ALG: Final = "_sd_alg"
_ELEMENT: Final = "..."
_PART = r"[A-Za-z0-9_-]+"
_JWS = rf"{_PART}\.{_PART}\.{_PART}"
#: The compact form: a JWS, then ``~``-terminated disclosures, then an optional KB-JWT.
_COMPACT = re.compile(rf"({_JWS})~((?:{_PART}~)*)({_JWS})?")
#: The same without the ``~`` after the last disclosure, as several issuers write an SD-JWT
#: with no key binding (a disclosure has no ``.``, so it cannot be taken for a KB-JWT).
_UNTERMINATED = re.compile(rf"{_JWS}(?:~{_PART})+")
#: The last segment of a path to an array element: ``identifier[0]``.
_ELEMENT_PATH = re.compile(r"(.+)\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class SdJwt:
    """A compact SD-JWT, split (nothing verified yet)."""

    #: The issuer-signed JWT.
    jwt: str
    header: dict[str, Any]
    payload: dict[str, Any]
    disclosures: tuple[str, ...]
    #: The key binding JWT, when the holder added one.
    key_binding: str | None = None

    @property
    def bound_text(self) -> str:
        """What a key binding JWT's ``sd_hash`` covers: the SD-JWT up to its last ``~``."""
        return "~".join((self.jwt, *self.disclosures)) + "~"

    @property
    def hash_name(self) -> object:
        """The ``_sd_alg`` the payload names (``sha-256`` when it names none)."""
        return self.payload.get(_ALG, DEFAULT_HASH)


@dataclass(frozen=True, slots=True)
class Disclosed:
    """The claims an SD-JWT discloses, and everything wrong with its disclosures."""

    claims: dict[str, Any]
    #: Where each disclosed value was put (``credentialSubject.name``, ``evidence[1]``).
    paths: tuple[str, ...]
    #: Every violation of RFC 9901 §7.1 found (empty: every disclosure checked out).
    problems: tuple[Problem, ...]


def is_sd_jwt(text: str) -> bool:
    """Whether ``text`` has the compact form of an SD-JWT (a JWS, then ``~``…), the ``~``
    after its last disclosure perhaps left out."""
    return _COMPACT.fullmatch(text) is not None or _UNTERMINATED.fullmatch(text) is not None


def parse(text: str) -> SdJwt:
    """Split a compact SD-JWT and read the issuer-signed JWT's header and payload.

    The ``~`` that RFC 9901 §4 puts after the last disclosure may be missing (then there is
    no key binding JWT): the SD-JWT is read as if it were there, and :attr:`SdJwt.bound_text`
    has it, as a holder binding it would write it.

    Raises :class:`~credstack.errors.MalformedCredentialError` for text that is not one.
    """
    if isinstance(text, str) and _UNTERMINATED.fullmatch(text) is not None:
        text += "~"
    match = _COMPACT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise MalformedCredentialError(code="proof.sd_jwt.not_compact", problems=[
            Problem("sd-jwt", code="proof.sd_jwt.problem.not_compact")])
    jwt, listed, key_binding = match.groups()
    header = read_header(jwt)
    payload = base64url_json(jwt.split(".")[1], "the issuer-signed JWT's payload")
    if not isinstance(payload, dict):
        raise MalformedCredentialError(code="proof.sd_jwt.payload_not_object", problems=[
            Problem("payload", code="proof.problem.not_an_object")])
    return SdJwt(jwt, header, payload, tuple(listed.split("~")[:-1]), key_binding)


def digest(disclosure: str, hash_name: str = DEFAULT_HASH) -> str:
    """The digest of a disclosure: base64url of the hash of its ASCII text (§4.2.3)."""
    return _b64(hashlib.new(HASHES[hash_name], disclosure.encode("ascii")).digest())


def disclose(sd_jwt: SdJwt) -> Disclosed:
    """The claims ``sd_jwt`` discloses, checked as RFC 9901 §7.1 says (see the module).

    Never raises for what the SD-JWT holds: a disclosure that breaks a rule is left out of
    the claims and named in :attr:`Disclosed.problems`.
    """
    return _Disclosure(sd_jwt).run()


def verify_key_binding(sd_jwt: SdJwt) -> dict[str, Any]:
    """The claims of ``sd_jwt``'s key binding JWT, once it verifies (§7.3, without the
    ``aud`` and ``nonce`` a verifier may expect: the caller compares them).

    Raises :class:`~credstack.errors.SignatureError` when its signature does not verify
    with the payload's ``cnf.jwk``, :class:`~credstack.errors.MalformedCredentialError` when
    it is not a key binding JWT of this SD-JWT.
    """
    token = sd_jwt.key_binding
    if token is None:
        raise MalformedCredentialError(code="proof.sd_jwt.no_key_binding")
    confirmation = sd_jwt.payload.get("cnf")
    jwk = confirmation.get("jwk") if isinstance(confirmation, Mapping) else None
    if jwk is None:
        raise _kb("proof.sd_jwt.kb.no_holder_key", "payload.cnf")
    try:
        key = public_key_from_jwk(jwk, where="cnf.jwk")
    except DidDocumentError as exc:
        raise _kb("proof.sd_jwt.kb.holder_key_unusable", "payload.cnf.jwk",
                  why=said_of(exc)) from None
    header, payload = verify_signature(token, key)
    if header.get("typ") != KEY_BINDING_TYPE:
        raise _kb("proof.sd_jwt.kb.typ", "kb.header.typ", typ=repr(header.get("typ")),
                  expected=repr(KEY_BINDING_TYPE))
    claims = strict_json(payload, "the key binding JWT's payload")
    if not isinstance(claims, dict):
        raise _kb("proof.sd_jwt.kb.payload_not_object", "kb.payload")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise _kb("proof.sd_jwt.kb.no_iat", "kb.payload.iat")
    for name in ("aud", "nonce"):
        if not isinstance(claims.get(name), str):
            raise _kb("proof.sd_jwt.kb.no_claim", f"kb.payload.{name}", name=name)
    hash_name = sd_jwt.hash_name
    if not isinstance(hash_name, str) or hash_name not in HASHES:
        raise _kb("proof.sd_jwt.kb.hash_unsupported", "_sd_alg", hash=repr(hash_name))
    expected = _b64(hashlib.new(HASHES[hash_name], sd_jwt.bound_text.encode("ascii")).digest())
    if claims.get("sd_hash") != expected:
        raise _kb("proof.sd_jwt.kb.sd_hash", "kb.payload.sd_hash")
    return claims


def issue(credential: Mapping[str, Any], *, key: KeyPair, kid: str,
          disclosable: Sequence[str], typ: str = "vc+sd-jwt", hash_name: str = DEFAULT_HASH,
          salt: Callable[[], str] = lambda: secrets.token_urlsafe(16)) -> str:
    """``credential`` secured as an SD-JWT (``typ``), signed by ``key`` under ``kid``, every
    member or array element named in ``disclosable`` (dotted paths:
    ``credentialSubject.name``, ``credentialSubject.identifier[0]``; a member disclosed
    before a path that goes into it is not found) made selectively disclosable, every
    disclosure given (``…~``, no key binding).

    ``salt`` makes each disclosure's salt (random, 128 bits, by default). Raises
    :class:`~credstack.errors.MalformedCredentialError` for a path the credential lacks.
    """
    payload: dict[str, Any] = json.loads(json.dumps(credential))
    disclosures: list[str] = []
    for path in disclosable:
        *parents, last = path.split(".")
        element = _ELEMENT_PATH.fullmatch(last)
        name = element[1] if element else last
        node: Any = payload
        for parent in parents:
            node = node.get(parent) if isinstance(node, dict) else None
        holder = node.get(name) if element and isinstance(node, dict) else None
        if element and isinstance(holder, list) and int(element[2]) < len(holder):
            # An array element becomes {"...": digest} where it stood.
            text = _encode_disclosure([salt(), holder[int(element[2])]])
            holder[int(element[2])] = {_ELEMENT: digest(text, hash_name)}
        elif not element and isinstance(node, dict) and name in node \
                and name not in (_SD, _ELEMENT):
            text = _encode_disclosure([salt(), name, node.pop(name)])
            node.setdefault(_SD, []).append(digest(text, hash_name))
        else:
            raise MalformedCredentialError(
                code="proof.sd_jwt.no_member", params={"path": path},
                problems=[Problem(path, code="proof.problem.not_found")])
        disclosures.append(text)
    for node in _objects(payload):
        if _SD in node:
            node[_SD] = sorted(node[_SD])  # The order must not tell which member is which.
    payload[_ALG] = hash_name
    header = {"alg": key.type.jws_algorithm, "kid": kid, "typ": typ}
    signing_input = ".".join(_b64(json.dumps(part, ensure_ascii=False, separators=(",", ":"))
                                  .encode("utf-8")) for part in (header, payload))
    jwt = f"{signing_input}.{_b64(key.sign(signing_input.encode('ascii')))}"
    return "~".join((jwt, *disclosures)) + "~"


def bind(sd_jwt: SdJwt, *, key: KeyPair, audience: str, nonce: str, issued_at: int) -> str:
    """``sd_jwt`` presented with every disclosure it has and a key binding JWT (§4.3) signed
    by the holder's ``key`` for ``audience`` and ``nonce``; the key must be the one the
    payload's ``cnf.jwk`` names (the verifier checks it)."""
    hash_name = sd_jwt.hash_name if isinstance(sd_jwt.hash_name, str) else DEFAULT_HASH
    bound = sd_jwt.bound_text
    claims = {"iat": issued_at, "aud": audience, "nonce": nonce,
              "sd_hash": _b64(hashlib.new(HASHES[hash_name], bound.encode("ascii")).digest())}
    header = {"alg": key.type.jws_algorithm, "typ": KEY_BINDING_TYPE}
    signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode("utf-8"))
                             for part in (header, claims))
    return f"{bound}{signing_input}.{_b64(key.sign(signing_input.encode('ascii')))}"


# --- disclosing --------------------------------------------------------------------------------

class _Disclosure:
    """One run of §7.1 step 3 over an SD-JWT's payload."""

    def __init__(self, sd_jwt: SdJwt) -> None:
        self.sd_jwt = sd_jwt
        self.problems: list[Problem] = []
        self.paths: list[str] = []
        #: Digest → (index of the disclosure, its decoded array).
        self.by_digest: dict[str, tuple[int, list[Any]]] = {}
        self.seen: set[str] = set()
        self.used: set[str] = set()

    def run(self) -> Disclosed:
        payload = {name: value for name, value in self.sd_jwt.payload.items() if name != _ALG}
        hash_name = self.sd_jwt.hash_name
        if not isinstance(hash_name, str) or hash_name not in HASHES:
            self.problems.append(Problem(_ALG, code="proof.sd_jwt.hash_unsupported", params={
                "hash": repr(hash_name), "known": ", ".join(HASHES)}))
            return Disclosed(self._walk(payload, "", disclosing=False), (),
                             tuple(self.problems))
        self._decode(hash_name)
        claims = self._walk(payload, "", disclosing=True)
        for found, (index, _) in self.by_digest.items():
            if found not in self.used and found not in self.seen:
                self.problems.append(Problem(f"disclosures[{index}]",
                                             code="proof.sd_jwt.unreferenced"))
        return Disclosed(claims, tuple(self.paths), tuple(self.problems))

    def _decode(self, hash_name: str) -> None:
        for index, text in enumerate(self.sd_jwt.disclosures):
            where = f"disclosures[{index}]"
            try:
                value = base64url_json(text, "a disclosure")
            except MalformedCredentialError:
                self.problems.append(Problem(where, code="proof.sd_jwt.not_base64url_json"))
                continue
            shape = _shape_problem(value)
            if shape is not None:
                self.problems.append(Problem(where, code=shape[0], params=shape[1]))
                continue
            found = digest(text, hash_name)
            if found in self.by_digest:
                self.problems.append(Problem(where, code="proof.sd_jwt.given_twice"))
                continue
            self.by_digest[found] = (index, value)

    def _claim(self, found: object, where: str, length: int) -> tuple[int, list[Any]] | None:
        """The disclosure a digest found at ``where`` references, if it may go there."""
        if not isinstance(found, str):
            self.problems.append(Problem(where, code="proof.sd_jwt.digest_not_string"))
            return None
        if found in self.seen:
            self.problems.append(Problem(where, code="proof.sd_jwt.digest_repeated",
                                         params={"digest": found}))
            return None
        self.seen.add(found)
        disclosure = self.by_digest.get(found)
        if disclosure is None:
            return None  # A claim not disclosed, or a decoy.
        index, value = disclosure
        if len(value) != length:
            kind = "element" if length == 3 else "member"
            self.problems.append(Problem(f"disclosures[{index}]",
                                         code=f"proof.sd_jwt.misplaced_{kind}",
                                         params={"where": where}))
            return None
        self.used.add(found)
        return disclosure

    def _walk(self, node: Any, where: str, *, disclosing: bool) -> Any:
        if isinstance(node, dict):
            result = {name: self._walk(value, _member(where, name), disclosing=disclosing)
                      for name, value in node.items() if name != _SD}
            digests = node.get(_SD, [])
            if not isinstance(digests, list):
                self.problems.append(Problem(_member(where, _SD),
                                             code="proof.problem.not_an_array"))
                return result
            for found in digests if disclosing else ():
                disclosure = self._claim(found, _member(where, _SD), 3)
                if disclosure is None:
                    continue
                index, (_, name, value) = disclosure
                if name in result:
                    self.problems.append(Problem(
                        f"disclosures[{index}]",
                        code="proof.sd_jwt.member_present" if where
                        else "proof.sd_jwt.member_in_payload",
                        params={"name": repr(name), "where": where}))
                    continue
                self.paths.append(_member(where, name))
                result[name] = self._walk(value, _member(where, name), disclosing=True)
            return result
        if isinstance(node, list):
            items: list[Any] = []
            for position, item in enumerate(node):
                at = f"{where}[{position}]"
                if isinstance(item, dict) and set(item) == {_ELEMENT}:
                    disclosure = self._claim(item[_ELEMENT], at, 2) if disclosing else None
                    if disclosure is not None:
                        self.paths.append(f"{where}[{len(items)}]")
                        items.append(self._walk(disclosure[1][1], at, disclosing=True))
                    continue  # Undisclosed elements are removed.
                items.append(self._walk(item, at, disclosing=disclosing))
            return items
        return node


def _shape_problem(value: Any) -> tuple[str, dict[str, str]] | None:
    """The code (and its parameters) of what is wrong with a disclosure's shape."""
    if not isinstance(value, list) or len(value) not in (2, 3):
        return "proof.sd_jwt.shape", {}
    if not isinstance(value[0], str):
        return "proof.sd_jwt.salt_not_string", {}
    if len(value) == 3:
        if not isinstance(value[1], str):
            return "proof.sd_jwt.name_not_string", {}
        if value[1] in (_SD, _ELEMENT):
            return "proof.sd_jwt.name_reserved", {"name": repr(value[1])}
    return None


def _encode_disclosure(value: list[Any]) -> str:
    return _b64(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _member(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _objects(value))]
    if isinstance(node, list):
        return [found for item in node for found in _objects(item)]
    return []


# --- encoding ----------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _kb(code: str, where: str, **params: object) -> MalformedCredentialError:
    """A key binding JWT refused, the refusal placed at ``where`` too."""
    return MalformedCredentialError(code=code, params=params,
                                    problems=[Problem(where, code=code, params=params)])

