"""Credentials secured as compact JWS: ``vc+jwt``.

Securing Verifiable Credentials using JOSE and COSE, §3.1.1 "Securing JSON-LD Verifiable
Credentials with JOSE" — W3C Recommendation, 15 May 2025 — https://www.w3.org/TR/vc-jose-cose/
— on RFC 7515 (JWS, May 2015, https://www.rfc-editor.org/rfc/rfc7515): the unsecured VC 2.0
credential *is* the JWS payload, the header says ``typ: vc+jwt``, and ``kid`` names the
verification method.

Signing: ``EdDSA`` (Ed25519, RFC 8037), ``ES256``, ``ES384`` or ``ES512`` (P-256, P-384,
P-521; RFC 7518 §3.4)
or ``ES256K`` (secp256k1, RFC 8812), as the key's type says. It is written out
here in a few lines — header, payload, signature — because it is the bulk path and a general
JOSE library triples its cost; the tests check every token with ``joserfc``. The payload is
any JSON text of the credential (nothing canonical is required), so ``orjson`` writes it,
ten times faster than the standard library; whatever ``orjson`` refuses or would write
differently in meaning (NaN and infinities, which it writes as ``null``) goes to the standard
encoder, which keeps refusing what is not JSON. Both write a ``uuid.UUID`` as its string and
an ``enum.Enum`` member as its value (``orjson`` always does; ``json`` is taught to).

Verifying goes through ``joserfc`` and accepts those five and ``RS256`` (Open
Badges 3.0 §8.2 requires RS256 support; give an RSA public key as a JWK). ``alg: none``, HMAC
and every other algorithm are refused, and so is a key of the wrong kind for the token's
``alg``. Besides VC 2.0 payloads, tokens in the VC Data Model 1.1 "JWT" shape that Open Badges
3.0 and CLR 2.0 use (the credential in a ``vc`` claim, with ``iss``/``jti``/``sub``) are
read and decoded as VC Data Model 1.1 §6.3.1.2 says (:func:`credential_from_claims`: ``iss``
is the issuer, ``nbf`` the issuance date …); registered claims must agree with the
credential. Validity dates (``nbf``, ``exp``, ``validFrom``) are not judged here: the time is
the caller's.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import functools
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, cast

import orjson
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import JWSRegistry

from credstack.core.crypto.keys import KeyPair, PublicKey
from credstack.core.crypto.multibase import base64url_decode
from credstack.errors import MalformedCredentialError, Problem, SignatureError

__all__ = ["ACCEPTED_ALGORITHMS", "MEDIA_TYPE", "V1_TYPE", "VerifiedJwt", "claims_from_credential",
           "credential_bytes", "credential_from_claims", "is_v1_token",
           "read_header", "sign", "sign_claims", "verify", "verify_signature"]

MEDIA_TYPE: Final = "vc+jwt"
#: The ``typ`` of a VC Data Model 1.1 JWT (§6.3.1: "typ, if present, MUST be set to JWT").
V1_TYPE: Final = "JWT"
#: The algorithms a token may be signed with, and the key each needs: JWK ``kty`` and ``crv``.
_KEYS: Final = {"EdDSA": ("OKP", "Ed25519"), "ES256": ("EC", "P-256"), "ES384": ("EC", "P-384"),
                "ES512": ("EC", "P-521"), "ES256K": ("EC", "secp256k1"), "RS256": ("RSA", None)}
ACCEPTED_ALGORITHMS: Final = tuple(_KEYS)
#: ``typ`` values read as a credential: VC-JOSE-COSE's, its media type, and plain JWT (OB 3.0).
_ACCEPTED_TYPES: Final = (MEDIA_TYPE, f"application/{MEDIA_TYPE}", "JWT", None)
_MAX_PAYLOAD: Final = 8 * 1024 * 1024

#: A verification key: credstack's public key, or a JWK (needed for RSA).
VerificationKey = PublicKey | Mapping[str, Any]


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def sign(credential: Mapping[str, Any], *, key: KeyPair, kid: str) -> str:
    """The credential as a compact JWS with ``typ: vc+jwt``, signed by ``key``.

    ``kid`` is the verification method (for example ``did:key:z6Mk…#z6Mk…``).
    """
    if not isinstance(credential, Mapping):
        raise MalformedCredentialError(code="proof.vc_jwt.credential_not_object")
    if "vc" in credential or "vp" in credential:
        raise MalformedCredentialError(code="proof.vc_jwt.vc_or_vp_claim", problems=[
            Problem("vc" if "vc" in credential else "vp", code="proof.problem.not_allowed")])
    payload = _payload(credential)
    signing_input = _encoded_header(key.type.jws_algorithm, kid) + b"." + _b64(payload)
    return (signing_input + b"." + _b64(key.sign(signing_input))).decode("ascii")


def sign_claims(claims: Mapping[str, Any], *, key: KeyPair, kid: str, typ: str = "JWT") -> str:
    """Any JSON object of claims as a compact JWS signed by ``key`` (header ``alg``, ``kid``,
    ``typ``): the VC Data Model 1.1 "JWT" shape, a credential in a ``vc`` claim, as Open
    Badges 3.0 §8.2 and OID4VCI's ``jwt_vc_json`` use it."""
    header = _b64(json.dumps({"alg": key.type.jws_algorithm, "kid": kid, "typ": typ},
                             separators=(",", ":")).encode("utf-8"))
    signing_input = header + b"." + _b64(_payload(claims))
    return (signing_input + b"." + _b64(key.sign(signing_input))).decode("ascii")


def claims_from_credential(credential: Mapping[str, Any], *, now: dt.datetime
                           ) -> dict[str, Any]:
    """The claims of a VC Data Model 1.1 JWT of ``credential``, encoded as §6.3.1.1 "JWT
    Encoding" says — the inverse of :func:`credential_from_claims`: ``iss`` the issuer's id,
    ``jti`` the credential's ``id``, ``sub`` the (one) subject's ``id``, ``nbf`` and ``exp``
    its ``issuanceDate`` and ``expirationDate`` (``validFrom`` and ``validUntil`` for a VC 2.0
    credential) in NumericDate seconds, ``iat`` the time of signing, and the credential
    itself, whole, in ``vc`` (the registered claims agree with it, as the decoding requires).

    Raises :class:`MalformedCredentialError` for a date that is not an XML Schema dateTime.
    """
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject")
    claims: dict[str, Any] = {
        "iss": issuer.get("id") if isinstance(issuer, Mapping) else issuer,
        "jti": credential.get("id"),
        "sub": subject.get("id") if isinstance(subject, Mapping) else None,
        "iat": int(now.timestamp())}
    for claim, members in (("nbf", ("issuanceDate", "validFrom")),
                           ("exp", ("expirationDate", "validUntil"))):
        value = next((credential[member] for member in members if member in credential), None)
        if value is not None:
            claims[claim] = _numeric_date(value, claim)
    claims["vc"] = dict(credential)
    return {name: value for name, value in claims.items() if value is not None}


def _numeric_date(value: object, claim: str) -> int:
    """An XML Schema dateTime as NumericDate seconds (a time without a zone read as UTC)."""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return int(moment.timestamp())
    raise _not_a_date(claim, f"credential.{_CLAIM_MEMBERS[claim]}", value)


_CLAIM_MEMBERS: Final = {"nbf": "issuanceDate", "exp": "expirationDate"}


def _not_a_date(claim: str, where: str, value: object) -> MalformedCredentialError:
    """A date claim (``nbf``, ``exp``) that is not a date: a NumericDate in a token, a
    date-time in the credential it is encoded from."""
    return MalformedCredentialError(code="proof.vc_jwt.claim_not_date",
                                    params={"claim": repr(claim)},
                                    problems=[Problem(where, f"{value!r}")])


def is_v1_token(token: str) -> bool:
    """Whether a compact JWS this store signed is a VC Data Model 1.1 JWT (``typ: JWT``, the
    credential in a ``vc`` claim) rather than a ``vc+jwt`` (its header read, not checked)."""
    try:
        return read_header(token).get("typ") == V1_TYPE
    except MalformedCredentialError:
        return False


def credential_bytes(credential: Mapping[str, Any]) -> bytes:
    """The credential as UTF-8 JSON text (as a JWS or COSE payload), or
    MalformedCredentialError."""
    return _payload(credential)


def _payload(credential: Mapping[str, Any]) -> bytes:
    """The credential as UTF-8 JSON text, or MalformedCredentialError."""
    try:
        payload = orjson.dumps(credential, default=_json_value, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: let the standard encoder decide
        payload = None
    # orjson writes NaN and infinities as null, which the standard encoder refuses; a
    # credential with a null anywhere (or the word in a string) simply takes the slow path.
    if payload is None or b"null" in payload:
        try:
            payload = _PAYLOAD_ENCODER.encode(credential).encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as exc:
            raise MalformedCredentialError(code="proof.vc_jwt.not_json_data",
                                           params={"why": str(exc)}) from exc
    return payload


def _json_value(value: object) -> object:
    # What orjson writes natively (and passes here for subclasses), json is taught; the
    # rest is not JSON.
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"a {type(value).__name__} is not JSON data")


# Subclasses of str, int, dict and list, dataclasses and datetimes go to ``default``, which
# refuses them, and so to the standard encoder: they keep the meaning ``json`` gives them.
_ORJSON_OPTIONS: Final = (orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
                          | orjson.OPT_PASSTHROUGH_DATETIME)
_PAYLOAD_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                                           separators=(",", ":"), default=_json_value)


@functools.lru_cache(maxsize=256)
def _encoded_header(alg: str, kid: str) -> bytes:
    # An issuer signs thousands of tokens under one key: the header is encoded once.
    header = {"alg": alg, "kid": kid, "typ": MEDIA_TYPE}
    return _b64(json.dumps(header, separators=(",", ":")).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class VerifiedJwt:
    """A token whose signature verified: its header, its claims and the credential."""

    header: dict[str, Any]
    claims: dict[str, Any] = field(repr=False)
    credential: dict[str, Any] = field(repr=False)
    #: ``vc+jwt`` (VC 2.0, VC-JOSE-COSE) or ``vc-jwt-1.1`` (credential in a ``vc`` claim).
    format: Literal["vc+jwt", "vc-jwt-1.1"]


def read_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, unverified (to pick the key by ``kid``)."""
    header_part, _ = _split(token)
    return _json_object(header_part, "header")


def verify(token: str, *, key: VerificationKey | None = None,
           resolve_key: Callable[[str], VerificationKey] | None = None) -> VerifiedJwt:
    """Verify a credential JWT and return it; raise if it does not verify.

    Give the key directly or ``resolve_key``, which receives the header's ``kid``.
    """
    header = read_header(token)
    _check_header(header)
    if header.get("typ") not in _ACCEPTED_TYPES:
        raise MalformedCredentialError(
            code="proof.vc_jwt.typ", params={"typ": repr(header.get("typ"))},
            problems=[Problem("header.typ", code="proof.problem.expected",
                              params={"expected": repr(MEDIA_TYPE)})])
    if key is None:
        if resolve_key is None:
            raise TypeError("give key or resolve_key")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise MalformedCredentialError(code="proof.vc_jwt.no_kid", problems=[
                Problem("header.kid", code="proof.problem.missing")])
        key = resolve_key(kid)
    claims = _json_object_bytes(verify_signature(token, key)[1], "payload")
    return _credential(dict(header), claims)


def verify_signature(token: str, key: VerificationKey) -> tuple[dict[str, Any], bytes]:
    """The header and payload of any compact JWS whose signature ``key`` verifies, by the
    header's ``alg`` (one of :data:`ACCEPTED_ALGORITHMS`; never ``none``, no ``crit``).

    For JWS that are not ``vc+jwt`` credentials (an SD-JWT's issuer-signed JWT, a key binding
    JWT): the caller judges ``typ`` and the payload. Raises :class:`SignatureError` when the
    signature does not verify, :class:`MalformedCredentialError` for a token or key that is
    not one.
    """
    header = read_header(token)
    _check_header(header)
    alg = header["alg"]
    jose_key = _jose_key(key, alg)
    try:
        compact = jws.deserialize_compact(token, jose_key, algorithms=[alg],
                                          registry=_REGISTRY)
    except BadSignatureError as exc:
        raise SignatureError(code="proof.vc_jwt.signature") from exc
    except (JoseError, ValueError) as exc:
        raise MalformedCredentialError(code="proof.vc_jwt.not_compact",
                                       params={"why": str(exc)}) from exc
    return header, compact.payload


def _check_header(header: Mapping[str, Any]) -> None:
    alg = header.get("alg")
    if alg == "none" or alg is None:
        raise MalformedCredentialError(code="proof.vc_jwt.alg_none",
                                       problems=[Problem("header.alg", repr(alg))])
    if alg not in ACCEPTED_ALGORITHMS:
        raise MalformedCredentialError(
            code="proof.vc_jwt.alg_not_accepted", params={"alg": repr(alg)},
            problems=[Problem("header.alg", code="proof.problem.expected_one_of",
                              params={"known": ", ".join(ACCEPTED_ALGORITHMS)})])
    if "crit" in header:
        raise MalformedCredentialError(code="proof.vc_jwt.crit",
                                       problems=[Problem("header.crit", repr(header["crit"]))])


# --- helpers --------------------------------------------------------------------------------

class _Registry(JWSRegistry):
    """joserfc's registry without its per-call warning that RFC 9864 deprecates "EdDSA".

    VC-JOSE-COSE and every credential in circulation use "EdDSA"; the caller's ``algorithms``
    list still restricts what is allowed.
    """

    max_payload_length = _MAX_PAYLOAD
    max_header_length = 4096

    def get_alg(self, name: str) -> Any:
        if self.allowed is None or name not in self.allowed or name not in self.algorithms:
            return super().get_alg(name)
        return self.algorithms[name]


_REGISTRY: Final = _Registry(algorithms=list(ACCEPTED_ALGORITHMS))


def _split(token: str) -> tuple[str, str]:
    if not isinstance(token, str):
        raise MalformedCredentialError(code="proof.vc_jwt.not_a_string")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedCredentialError(code="proof.vc_jwt.parts", params={"found": len(parts)})
    return parts[0], parts[1]


def _json_object(part: str, where: Literal["header"]) -> dict[str, Any]:
    try:
        data = base64url_decode(part)
    except MalformedCredentialError:
        raise MalformedCredentialError(
            code=f"proof.vc_jwt.{where}.not_base64url",
            problems=[Problem(where, code="proof.problem.bad_encoding")]) from None
    return _json_object_bytes(data, where)


def _json_object_bytes(data: bytes, where: Literal["header", "payload"]) -> dict[str, Any]:
    """The JWS ``where`` (its header or payload) as a JSON object; the codes of its refusals
    are ``proof.vc_jwt.header.…`` and ``proof.vc_jwt.payload.…``."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedCredentialError(
            code=f"proof.vc_jwt.{where}.not_json",
            problems=[Problem(where, code="proof.problem.bad_json")]) from None
    if not isinstance(value, dict):
        raise MalformedCredentialError(
            code=f"proof.vc_jwt.{where}.not_object",
            problems=[Problem(where, code="proof.problem.not_an_object")])
    return value


def _jose_key(key: VerificationKey, alg: str) -> OKPKey | ECKey | RSAKey:
    jwk: dict[str, Any] = key.to_jwk() if isinstance(key, PublicKey) else dict(key)
    if any(private in jwk for private in ("d", "p", "q", "dp", "dq", "qi", "k")):
        raise MalformedCredentialError(code="proof.vc_jwt.private_key")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if (kty, crv if kty != "RSA" else None) != _KEYS[alg]:
        described = f"{kty} {crv}" if crv else str(kty)
        raise SignatureError(
            code="proof.vc_jwt.key_mismatch", params={"alg": alg, "key": described},
            problems=[Problem("header.alg", code="proof.problem.not_the_verification_key")])
    data = cast(dict[str, str | list[str]], jwk)
    try:
        if kty == "OKP":
            return OKPKey.import_key(data)
        if kty == "EC":
            return ECKey.import_key(data)
        return RSAKey.import_key(data)
    except (JoseError, ValueError, TypeError) as exc:
        raise MalformedCredentialError(code="proof.vc_jwt.key_unusable",
                                       params={"kty": str(kty), "why": str(exc)}) from exc


def _credential(header: dict[str, Any], claims: dict[str, Any]) -> VerifiedJwt:
    if "vc" not in claims:
        if "vp" in claims:
            raise MalformedCredentialError(code="proof.vc_jwt.presentation")
        if "@context" not in claims:
            raise MalformedCredentialError(code="proof.vc_jwt.not_a_credential", problems=[
                Problem("payload", code="proof.problem.not_a_credential")])
        return VerifiedJwt(header, claims, claims, "vc+jwt")
    return VerifiedJwt(header, claims, credential_from_claims(claims), "vc-jwt-1.1")


#: VC Data Model 1.1 §6.3.1: the registered claims and the credential properties they stand
#: for (``sub`` is the subject's ``id``; ``nbf`` and ``exp`` are dates).
_IDENTIFYING_CLAIMS: Final = (("iss", "issuer"), ("jti", "id"), ("sub", "credentialSubject"))
_DATE_CLAIMS: Final = (("nbf", "issuanceDate"), ("exp", "expirationDate"))


def credential_from_claims(claims: Mapping[str, Any]) -> dict[str, Any]:
    """The credential of a VC Data Model 1.1 JWT (its ``vc`` claim), decoded as §6.3.1.2
    "JWT Decoding" says: ``iss`` sets ``issuer`` (its ``id`` when it is an object), ``jti``
    the ``id``, ``sub`` the subject's ``id``, ``nbf`` the ``issuanceDate`` and ``exp`` the
    ``expirationDate`` (NumericDate seconds as an XML Schema dateTime in UTC).

    Where the ``vc`` claim gives ``issuer``, ``id`` or the subject's ``id`` too, the two must
    agree: a token whose JSON and registered claims say different things is refused. Raises
    :class:`MalformedCredentialError` for a ``vc`` that is not an object, or a date claim
    that is not a number.
    """
    source = claims.get("vc")
    if not isinstance(source, dict):
        raise MalformedCredentialError(code="proof.vc_jwt.vc_not_object", problems=[
            Problem("payload.vc", code="proof.problem.not_an_object")])
    credential = dict(source)
    for claim, member in _IDENTIFYING_CLAIMS:
        if claim not in claims:
            continue
        value = claims[claim]
        holder: dict[str, Any] = credential
        if member != "id":
            node = credential.get(member)
            if isinstance(node, Mapping):
                holder = credential[member] = dict(node)
            elif member == "issuer" and node is None:
                credential[member] = value
                continue
            elif member == "credentialSubject":
                # A list of subjects (or none): ``sub`` names none of them in particular.
                continue
            elif node != value:
                raise _disagreement(claim, value, node)
            else:
                continue
        found = holder.get("id")
        if found is not None and found != value:
            raise _disagreement(claim, value, found)
        holder["id"] = value
    for claim, member in _DATE_CLAIMS:
        if claim not in claims:
            continue
        seconds = claims[claim]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise _not_a_date(claim, f"payload.{claim}", seconds)
        try:
            moment = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise MalformedCredentialError(
                code="proof.vc_jwt.claim_out_of_range", params={"claim": repr(claim)},
                problems=[Problem(f"payload.{claim}", f"{seconds!r}")]) from None
        credential[member] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return credential


def _disagreement(claim: str, value: object, found: object) -> MalformedCredentialError:
    # VC Data Model 1.1 §6.3.1: the registered claims stand for these credential properties;
    # when both are given they must agree, or the JSON and the token say different things.
    return MalformedCredentialError(
        code="proof.vc_jwt.claim_disagrees", params={"claim": repr(claim)},
        problems=[Problem(f"payload.{claim}", f"{value!r} ≠ {found!r}")])
