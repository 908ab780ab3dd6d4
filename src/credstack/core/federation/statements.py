"""The signed JWTs of a federation, and the checks every entity statement passes.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html — §3 (Entity Statement), §3.2
(validation), §8 (the endpoints' responses), §15 (media types).

Every JWT is explicitly typed (``typ``) and names its key (``kid``); a token of another type
is refused, so a trust mark cannot pass for an entity statement (RFC 8725 §3.11). Keys are
JWKs whose ``kid`` is their RFC 7638 thumbprint (SHA-256), as §3.1 recommends. Signing and
verifying go through ``joserfc``; ``none``, HMAC and every algorithm not in
:data:`ACCEPTED_ALGORITHMS` are refused.

Times are the caller's: :func:`check_times` takes ``now`` and allows :data:`LEEWAY` of clock
skew both ways, as §3.2 permits.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import JWSRegistry

from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.errors import TrustChainError

__all__ = [
    "ACCEPTED_ALGORITHMS",
    "ENTITY_STATEMENT",
    "LEEWAY",
    "RESOLVE_RESPONSE",
    "TRUST_MARK",
    "TRUST_MARK_STATUS",
    "Statement",
    "VerifiedSignatures",
    "check_entity_statement",
    "check_times",
    "federation_jwk",
    "key_id",
    "read",
    "sign",
    "verify",
]

ENTITY_STATEMENT: Final = "entity-statement+jwt"
TRUST_MARK: Final = "trust-mark+jwt"
RESOLVE_RESPONSE: Final = "resolve-response+jwt"
TRUST_MARK_STATUS: Final = "trust-mark-status-response+jwt"
HISTORICAL_KEYS: Final = "jwk-set+jwt"
#: The types whose JWTs are about no subject.
_SUBJECTLESS: Final = frozenset({TRUST_MARK_STATUS, HISTORICAL_KEYS})
#: The JWS algorithms a federation statement may be signed with, and the key each needs.
_KEYS: Final = {
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "EdDSA": ("OKP", "Ed25519"),
    "Ed25519": ("OKP", "Ed25519"),
    "RS256": ("RSA", None),
    "PS256": ("RSA", None),
}
ACCEPTED_ALGORITHMS: Final = tuple(_KEYS)
#: Clock skew allowed on ``iat`` and ``exp``.
LEEWAY: Final = dt.timedelta(seconds=60)
_MAX_TOKEN: Final = 1024 * 1024
#: Claims whose meaning this module knows: a ``crit`` may not list them (§3.1 ``crit``).
_DEFINED: Final = frozenset(
    {
        "iss",
        "sub",
        "iat",
        "exp",
        "jwks",
        "metadata",
        "crit",
        "authority_hints",
        "trust_anchor_hints",
        "trust_marks",
        "trust_mark_issuers",
        "trust_mark_owners",
        "constraints",
        "metadata_policy",
        "metadata_policy_crit",
        "source_endpoint",
        "aud",
        "trust_anchor",
    }
)


class _Registry(JWSRegistry):
    """joserfc's registry without its per-call warning that RFC 9864 deprecates "EdDSA"
    (which federations and their clients still use); ``algorithms`` still restricts."""

    max_payload_length = _MAX_TOKEN

    def get_alg(self, name: str) -> Any:
        if self.allowed is None or name not in self.allowed or name not in self.algorithms:
            return super().get_alg(name)
        return self.algorithms[name]


_REGISTRY: Final = _Registry(algorithms=list(ACCEPTED_ALGORITHMS))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _algorithm(key_type: KeyType) -> str:
    return "EdDSA" if key_type is KeyType.ED25519 else key_type.jws_algorithm


def key_id(public_key: PublicKey) -> str:
    """The key's ``kid``: its JWK thumbprint (RFC 7638, SHA-256)."""
    return _jose_key(public_key.to_jwk()).thumbprint()


def federation_jwk(public_key: PublicKey) -> dict[str, str]:
    """The public key as a federation JWK: ``kid`` (its thumbprint), ``alg`` and ``use``."""
    jwk = public_key.to_jwk()
    return {**jwk, "kid": key_id(public_key), "alg": _algorithm(public_key.type), "use": "sig"}


def sign(
    claims: Mapping[str, Any], *, key: KeyPair, typ: str, header: Mapping[str, Any] | None = None
) -> str:
    """``claims`` as a compact JWS of type ``typ``, signed by ``key`` (``kid``: its
    thumbprint). ``header`` adds header parameters (a ``trust_chain``)."""
    alg = _algorithm(key.type)
    private = {**key.public_key.to_jwk(), "d": _b64(key.secret_bytes())}
    protected = {**(header or {}), "alg": alg, "typ": typ, "kid": key_id(key.public_key)}
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.serialize_compact(
        protected, payload, _jose_key(private), algorithms=[alg], registry=_REGISTRY
    )


@dataclass(frozen=True, slots=True)
class Statement:
    """A federation JWT read but not yet trusted: its header, its claims, the token."""

    token: str
    header: Mapping[str, Any]
    claims: Mapping[str, Any]

    @property
    def iss(self) -> str:
        return cast(str, self.claims["iss"])

    @property
    def sub(self) -> str:
        return cast(str, self.claims["sub"])

    @property
    def kid(self) -> str:
        return cast(str, self.header["kid"])

    @property
    def is_configuration(self) -> bool:
        """An entity configuration: a statement an entity makes about itself."""
        return self.iss == self.sub

    @property
    def expires(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.claims["exp"], dt.UTC)

    def describe(self) -> str:
        """Which statement this is, for a message: its issuer and subject (a trust mark
        status answer or a historical keys list has none: it is named by its issuer)."""
        if "sub" not in self.claims:
            return f"the {self.header.get('typ')} of {self.iss}"
        if self.is_configuration:
            return f"the entity configuration of {self.iss}"
        return f"the statement of {self.iss} about {self.sub}"


def _decode(part: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise TrustChainError(
            f"The JWT's {where} is not base64url JSON.", reason="malformed"
        ) from None
    if not isinstance(value, dict):
        raise TrustChainError(f"The JWT's {where} is not a JSON object.", reason="malformed")
    return value


def read(token: str, *, typ: str) -> Statement:
    """Parse a compact JWS of type ``typ`` without trusting it: its header must name the type,
    an accepted algorithm and a key; ``iss`` and (except in a trust mark status or a list of
    historical keys, which have none) ``sub`` must be strings."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN:
        raise TrustChainError(
            "A federation JWT must be a string of at most 1 MiB.", reason="malformed"
        )
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise TrustChainError(
            f"A compact JWS has 3 parts, this has {len(parts)}.", reason="malformed"
        )
    header, claims = _decode(parts[0], "header"), _decode(parts[1], "payload")
    if header.get("typ") != typ:
        raise TrustChainError(
            f"The JWT's type is {header.get('typ')!r}, not {typ!r}; a JWT of another type "
            "is never read as one.",
            reason="wrong-type",
        )
    if header.get("alg") not in ACCEPTED_ALGORITHMS:
        raise TrustChainError(
            f"The JWT's algorithm {header.get('alg')!r} is not accepted.", reason="algorithm"
        )
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise TrustChainError("The JWT names no key (kid).", reason="malformed")
    for claim in ("iss",) if typ in _SUBJECTLESS else ("iss", "sub"):
        if not isinstance(claims.get(claim), str) or not claims[claim]:
            raise TrustChainError(f"The JWT has no {claim} claim.", reason="malformed")
    return Statement(token.strip(), header, claims)


def _jose_key(jwk: Mapping[str, Any]) -> OKPKey | ECKey | RSAKey:
    data = cast(
        dict[str, str | list[str]],
        {k: v for k, v in jwk.items() if k not in ("alg", "use", "kid", "key_ops")},
    )
    kty = jwk.get("kty")
    try:
        if kty == "OKP":
            return OKPKey.import_key(data)
        if kty == "EC":
            return ECKey.import_key(data)
        if kty == "RSA":
            return RSAKey.import_key(data)
    except (JoseError, ValueError, TypeError) as exc:
        raise TrustChainError(
            f"A JWK of type {kty} cannot be used: {exc}", reason="bad-key"
        ) from None
    raise TrustChainError(f"A JWK of type {kty!r} is not supported.", reason="bad-key")


class VerifiedSignatures:
    """Signatures already verified, by token and key: OpenID Federation §10.2 lets a party
    cache verification results until the statements expire. Bounded: the oldest are
    forgotten first. A verifier keeps one per process (in its runtime), never shared
    between parties that trust different keys (the key is part of what is remembered)."""

    def __init__(self, size: int = 10_000) -> None:
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._size = size

    def __contains__(self, item: tuple[str, str]) -> bool:
        return item in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, item: tuple[str, str]) -> None:
        self._seen[item] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)


def verify(
    statement: Statement,
    jwks: Mapping[str, Any] | None,
    *,
    verified: VerifiedSignatures | None = None,
) -> None:
    """Check ``statement``'s signature with the key of ``jwks`` its ``kid`` names.

    :class:`TrustChainError` ``unknown-key`` when no key has that ``kid``, ``bad-signature``
    when it does not verify. With ``verified``, a signature verified before with the same
    key is not verified again.
    """
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, Sequence):
        raise TrustChainError(
            f"No keys to check {statement.describe()} with.", reason="unknown-key"
        )
    key = next(
        (item for item in keys if isinstance(item, Mapping) and item.get("kid") == statement.kid),
        None,
    )
    if key is None:
        raise TrustChainError(
            f"{statement.describe().capitalize()} is signed with key {statement.kid}, which "
            "its issuer does not publish.",
            reason="unknown-key",
        )
    alg = statement.header["alg"]
    kty, crv = _KEYS[alg]
    if key.get("kty") != kty or (crv is not None and key.get("crv") != crv):
        raise TrustChainError(
            f"{statement.describe().capitalize()} is signed with {alg}, but "
            f"key {statement.kid} is not a key for it.",
            reason="bad-key",
        )
    seen = (statement.token, json.dumps(key, sort_keys=True))
    if verified is not None and seen in verified:
        return
    try:
        jws.deserialize_compact(
            statement.token, _jose_key(key), algorithms=[alg], registry=_REGISTRY
        )
        if verified is not None:
            verified.add(seen)
    except BadSignatureError:
        raise TrustChainError(
            f"The signature of {statement.describe()} does not verify.", reason="bad-signature"
        ) from None
    except JoseError as exc:
        raise TrustChainError(
            f"{statement.describe().capitalize()} cannot be read: {exc}", reason="malformed"
        ) from None


def _number(statement: Statement, claim: str) -> float:
    value = statement.claims.get(claim)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TrustChainError(
            f"{statement.describe().capitalize()} has no numeric {claim}.", reason="malformed"
        )
    return float(value)


def check_times(statement: Statement, now: dt.datetime, *, expiry_required: bool = True) -> None:
    """``iat`` not after ``now`` and ``exp`` after it (with :data:`LEEWAY`)."""
    moment = now.timestamp()
    skew = LEEWAY.total_seconds()
    if _number(statement, "iat") > moment + skew:
        raise TrustChainError(
            f"{statement.describe().capitalize()} is not valid yet.", reason="not-yet-valid"
        )
    if ("exp" in statement.claims or expiry_required) and _number(
        statement, "exp"
    ) <= moment - skew:
        raise TrustChainError(f"{statement.describe().capitalize()} has expired.", reason="expired")


def check_entity_statement(statement: Statement) -> None:
    """The claims §3.2 requires of any entity statement, and those that belong only in an
    entity configuration or only in a subordinate statement."""
    what = statement.describe().capitalize()
    claims = statement.claims
    keys = claims.get("jwks", {}).get("keys") if isinstance(claims.get("jwks"), dict) else None
    if not isinstance(keys, list) or not keys:
        raise TrustChainError(f"{what} has no JWK set (jwks).", reason="malformed")
    kids = [key.get("kid") if isinstance(key, dict) else None for key in keys]
    if any(not isinstance(kid, str) or not kid for kid in kids) or len(set(kids)) != len(kids):
        raise TrustChainError(
            f"{what} has keys without a kid, or two with one kid.", reason="malformed"
        )
    only_configuration = (
        "authority_hints",
        "trust_anchor_hints",
        "trust_marks",
        "trust_mark_issuers",
        "trust_mark_owners",
    )
    only_subordinate = ("metadata_policy", "metadata_policy_crit", "constraints", "source_endpoint")
    for claim in only_configuration if not statement.is_configuration else only_subordinate:
        if claim in claims:
            raise TrustChainError(f"{what} carries {claim}, which it may not.", reason="malformed")
    hints = claims.get("authority_hints")
    if hints is not None and (
        not isinstance(hints, list) or not hints or not all(isinstance(hint, str) for hint in hints)
    ):
        raise TrustChainError(
            f"{what} has authority_hints that are not a list of entity identifiers.",
            reason="malformed",
        )
    metadata = claims.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict) or not all(
            isinstance(value, dict) for value in metadata.values()
        ):
            raise TrustChainError(
                f"{what} has metadata that are not objects per entity type.", reason="malformed"
            )
        if any(value is None for entity in metadata.values() for value in entity.values()):
            raise TrustChainError(
                f"{what} has a metadata parameter whose value is null.", reason="malformed"
            )
    crit = claims.get("crit")
    if crit is not None:
        if not isinstance(crit, list) or any(name in _DEFINED for name in crit):
            raise TrustChainError(
                f"{what} lists a claim this specification defines in crit.", reason="malformed"
            )
        if crit:
            # credstack defines no extension claims, so it understands none a statement
            # could mark critical.
            raise TrustChainError(
                f"{what} requires claims credstack does not understand: "
                f"{', '.join(map(str, crit))}.",
                reason="critical",
            )
