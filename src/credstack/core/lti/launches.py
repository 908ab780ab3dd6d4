"""1EdTech Learning Tools Interoperability Core 1.3 (16 April 2019,
https://www.imsglobal.org/spec/lti/v1p3/) with the 1EdTech Security Framework 1.0
(https://www.imsglobal.org/spec/security/v1p0/): the checks of a launch's id_token.

:func:`verify_id_token` verifies the signature with the platform's key set (joserfc), then
the claims the tool relies on: issuer, audience (and ``azp`` when there are several),
expiry, an ``iat`` no older than :data:`MAX_AGE`, the login's ``nonce``, a deployment the
registration knows, the LTI version and message type. Every refusal is an
:class:`~credstack.errors.AuthenticationRequiredError` whose problem names the claim and
says why as a message key (``lti.launch.why.<reason>``; ``rule``: ``lti-<reason>``, the
reason the audit log records), worded by whoever shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from credstack.core.said import Said
from credstack.errors import AuthenticationRequiredError, Problem

__all__ = ["CLAIM", "DEEP_LINKING", "DL_CLAIM", "MAX_AGE", "RESOURCE_LINK", "Launch",
           "key_id", "key_ids", "refusal", "verify_id_token"]

CLAIM: Final = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM: Final = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_CLAIM: Final = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM: Final = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RESOURCE_LINK: Final = "LtiResourceLinkRequest"
DEEP_LINKING: Final = "LtiDeepLinkingRequest"
#: The oldest id_token accepted: the Security Framework asks for a short-lived token, and
#: a launch is answered within seconds of the platform signing it.
MAX_AGE: Final = dt.timedelta(minutes=5)
#: Clocks of the LMS and credstack may differ by this much.
LEEWAY: Final = 60
ALGORITHMS: Final = ("RS256", "RS384", "RS512", "ES256", "ES384")
INSTRUCTOR_ROLES: Final = frozenset({
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"})

#: Each refusal: the claim it names (its words: the message ``lti.launch.why.<reason>``).
_REASONS: Final[dict[str, str]] = {
    "malformed": "id_token",
    "unknown-key": "id_token.kid",
    "bad-signature": "id_token",
    "issuer": "id_token.iss",
    "audience": "id_token.aud",
    "expired": "id_token.exp",
    "old": "id_token.iat",
    "nonce": "id_token.nonce",
    "state": "state",
    "state-cookie": "state",
    "deployment": "id_token." + CLAIM + "deployment_id",
    "version": "id_token." + CLAIM + "version",
    "message-type": "id_token." + CLAIM + "message_type",
    "subject": "id_token.sub",
    "jwks": "iss",
    "platform": "iss",
}


def refusal(reason: str, detail: str = "") -> AuthenticationRequiredError:
    """The error refusing a launch for ``reason`` (a key of the reasons above): the code
    ``lti.launch.refused`` saying why (``lti.launch.why.<reason>``, with ``detail`` after it
    in parentheses where one is given)."""
    why = Said(f"lti.launch.why.{reason}")
    if detail:
        why = Said("lti.launch.detailed", why=why, detail=detail)
    return AuthenticationRequiredError(
        code="lti.launch.refused", params={"why": why},
        problems=[Problem(_REASONS[reason], code=why.key, params=why.params,
                          rule=f"lti-{reason}")])


@dataclass(frozen=True, slots=True)
class Launch:
    """What a verified launch says, as the tool uses it."""

    issuer: str
    client_id: str
    deployment_id: str
    message_type: str
    subject: str
    name: str
    email: str | None
    roles: tuple[str, ...]
    context_id: str
    context_title: str
    resource_link_id: str | None
    custom: Mapping[str, str]
    memberships_url: str | None
    lineitems_url: str | None
    lineitem_url: str | None
    deep_link_return_url: str | None
    deep_link_data: str | None

    @property
    def instructor(self) -> bool:
        return any(role in INSTRUCTOR_ROLES for role in self.roles)

    @classmethod
    def of(cls, claims: Mapping[str, Any]) -> Launch:
        """The launch of claims :func:`verify_id_token` accepted (or stored from it)."""
        def part(name: str) -> Mapping[str, Any]:
            value = claims.get(name)
            return value if isinstance(value, Mapping) else {}
        context = part(CLAIM + "context")
        settings = part(DL_CLAIM + "deep_linking_settings")
        endpoint = part(AGS_CLAIM)
        audience = claims["aud"]
        name = claims.get("name") or " ".join(
            str(claims[key]) for key in ("family_name", "given_name") if claims.get(key))
        custom = part(CLAIM + "custom")
        return cls(
            issuer=str(claims["iss"]),
            client_id=str(audience if isinstance(audience, str) else claims.get("azp")),
            deployment_id=str(claims[CLAIM + "deployment_id"]),
            message_type=str(claims[CLAIM + "message_type"]), subject=str(claims["sub"]),
            name=str(name or claims["sub"]), email=claims.get("email") or None,
            roles=tuple(str(role) for role in claims.get(CLAIM + "roles") or ()),
            context_id=str(context.get("id", "")),
            context_title=str(context.get("title") or context.get("label") or ""),
            resource_link_id=part(CLAIM + "resource_link").get("id"),
            custom={str(k): str(v) for k, v in custom.items()},
            memberships_url=part(NRPS_CLAIM).get("context_memberships_url"),
            lineitems_url=endpoint.get("lineitems"), lineitem_url=endpoint.get("lineitem"),
            deep_link_return_url=settings.get("deep_link_return_url"),
            deep_link_data=settings.get("data"))


def key_id(token: str) -> str | None:
    """The ``kid`` of an id_token's protected header (unverified: only to pick the key)."""
    try:
        kid = jws.extract_compact(token.encode("ascii")).headers().get("kid")
    except (JoseError, ValueError, UnicodeError):
        raise refusal("malformed") from None
    return kid if isinstance(kid, str) else None


def key_ids(jwks: Mapping[str, Any]) -> set[str]:
    """The ``kid`` of every key of a JWK set."""
    return {str(key.get("kid")) for key in jwks.get("keys") or () if isinstance(key, Mapping)}


def verify_id_token(token: str, *, jwks: Mapping[str, Any], issuer: str, client_id: str,
                    nonce: str, deployments: Collection[str], now: dt.datetime
                    ) -> dict[str, Any]:
    """The claims of ``token`` once every check of the module has passed."""
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
        decoded = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    except InvalidKeyIdError:
        raise refusal("unknown-key") from None
    except BadSignatureError:
        raise refusal("bad-signature") from None
    except (JoseError, ValueError, TypeError) as exc:
        raise refusal("malformed", type(exc).__name__) from None
    claims = decoded.claims
    stamp = int(now.timestamp())
    registry = jwt.JWTClaimsRegistry(
        now=stamp, leeway=LEEWAY, iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id}, sub={"essential": True},
        exp={"essential": True}, iat={"essential": True}, nonce={"essential": True})
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise refusal("expired") from None
    except (InvalidClaimError, MissingClaimError) as exc:
        claim = getattr(exc, "claim", "")
        reasons = {"iss": "issuer", "aud": "audience", "sub": "subject", "nonce": "nonce",
                   "iat": "old"}
        raise refusal(reasons.get(claim, "malformed"), claim) from None
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise refusal("audience", "azp")
    if claims["iat"] < stamp - MAX_AGE.total_seconds():
        raise refusal("old")
    if claims["nonce"] != nonce:
        raise refusal("nonce")
    if claims.get(CLAIM + "version") != "1.3.0":
        raise refusal("version")
    if claims.get(CLAIM + "message_type") not in (RESOURCE_LINK, DEEP_LINKING):
        raise refusal("message-type")
    if claims.get(CLAIM + "deployment_id") not in deployments:
        raise refusal("deployment")
    return dict(claims)
