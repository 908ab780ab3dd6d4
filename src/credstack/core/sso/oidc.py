"""OpenID Connect Core 1.0 incorporating errata set 2 (15 December 2023,
https://openid.net/specs/openid-connect-core-1_0.html), §3.1.3.7: the relying party's checks
of an id_token from the token endpoint. The signature is verified with the provider's key
set (joserfc); the claims with authlib's ``CodeIDToken``: issuer, audience (and ``azp``),
expiry, the login's ``nonce`` and, when the token endpoint gave an access token, its
``at_hash``.

Every refusal is an :class:`~credstack.errors.AuthenticationRequiredError` whose code is
``sso.refused.<reason>`` (one of :data:`REASONS`): the entrypoint words it, the service
audits the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from authlib.oidc.core import CodeIDToken
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

from credstack.errors import AuthenticationRequiredError

__all__ = ["BACKCHANNEL_LOGOUT", "LOGOUT_TOKEN_AGE", "REASONS", "LogoutToken", "refusal",
           "verify_id_token", "verify_logout_token"]

#: Clocks of the provider and credstack may differ by this much (seconds).
LEEWAY: Final = 60
ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")

#: Why a sign-in is refused: the last part of its code.
REASONS: Final = frozenset({
    "malformed", "unknown-key", "bad-signature", "issuer", "audience", "expired", "nonce",
    "claims", "state", "state-cookie", "provider", "discovery", "token", "denied",
    "subject",
    # SAML 2.0 (:mod:`.saml`): a signature that does not verify, none where one is required,
    # an answer or assertion brought back twice, an identity provider's metadata unusable.
    "tampered", "unsigned", "replayed", "metadata"})

_BY_CLAIM: Final = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce",
                    "exp": "expired", "sub": "subject"}


def refusal(reason: str, detail: str = "", **more: str) -> AuthenticationRequiredError:
    """The error refusing a sign-in for ``reason`` (one of :data:`REASONS`), with ``more``
    parameters where a reason has kinds (a provider's metadata: its ``why``)."""
    assert reason in REASONS, reason
    return AuthenticationRequiredError(
        code=f"sso.refused.{reason}",
        params={**{k: v[:300] for k, v in more.items()}, "reason": reason,
                "detail": detail[:300]})


def _key_id(token: str) -> str | None:
    try:
        kid = jws.extract_compact(token.encode("ascii")).headers().get("kid")
    except (JoseError, ValueError, UnicodeError):
        raise refusal("malformed") from None
    return kid if isinstance(kid, str) else None


def _decoded(token: str, key_set: Mapping[str, Any]) -> jwt.Token:
    """``token`` whose signature verifies with one of ``key_set``'s keys (by its ``kid``
    when it names one); its claims not yet judged."""
    kid = _key_id(token)
    keys = KeySet.import_key_set(dict(key_set))  # type: ignore[arg-type]
    if kid is not None and not any(key.kid == kid for key in keys.keys):
        raise refusal("unknown-key", kid)
    try:
        return jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    except BadSignatureError:
        raise refusal("bad-signature") from None
    except InvalidKeyIdError:
        raise refusal("unknown-key", kid or "") from None
    except (JoseError, ValueError):
        raise refusal("malformed") from None


def verify_id_token(token: str, *, key_set: Mapping[str, Any], issuer: str, client_id: str,
                    nonce: str, now: dt.datetime, access_token: str | None = None
                    ) -> dict[str, Any]:
    """The claims of ``token`` if its signature verifies with ``key_set`` and it was issued
    by ``issuer`` to ``client_id`` for the login of ``nonce``, unexpired at ``now``."""
    decoded = _decoded(token, key_set)
    claims = CodeIDToken(
        decoded.claims, decoded.header,
        options={"iss": {"essential": True, "value": issuer},
                 "aud": {"essential": True, "value": client_id},
                 "sub": {"essential": True}},
        params={"nonce": nonce, "client_id": client_id, "access_token": access_token})
    try:
        claims.validate(now=int(now.timestamp()), leeway=LEEWAY)
    except ExpiredTokenError:
        raise refusal("expired") from None
    except (InvalidClaimError, MissingClaimError) as exc:
        claim = str(getattr(exc, "claim", "") or "")
        raise refusal(_BY_CLAIM.get(claim, "claims"), claim) from None
    except JoseError as exc:
        raise refusal("claims", str(exc)) from None
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise refusal("subject")
    return dict(claims)


#: OpenID Connect Back-Channel Logout 1.0 (https://openid.net/specs/openid-connect-backchannel-1_0.html)
#: §2.4: the member of a logout token's ``events`` claim.
BACKCHANNEL_LOGOUT: Final = "http://schemas.openid.net/event/backchannel-logout"
#: A logout token issued longer ago than this is refused as expired (§2.6 step 5: ``iat``
#: judged as an id_token's; the provider sends it at once).
LOGOUT_TOKEN_AGE: Final = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class LogoutToken:
    """A verified logout token (Back-Channel Logout §2.4): whose sessions end (``sid``, or
    every session of ``sub``), and its ``jti`` for the caller to spend once."""

    issuer: str
    jti: str
    sub: str | None
    sid: str | None


def verify_logout_token(token: str, *, key_set: Mapping[str, Any], issuer: str,
                        client_id: str, now: dt.datetime) -> LogoutToken:
    """``token`` checked as Back-Channel Logout §2.6 asks: its signature with ``key_set``,
    ``iss`` the provider, ``aud`` holding ``client_id``, ``iat`` within
    :data:`LOGOUT_TOKEN_AGE` of ``now``, a ``jti``, the back-channel logout event, a ``sid``
    or a ``sub``, and no ``nonce`` (an id_token is not a logout token)."""
    claims = dict(_decoded(token, key_set).claims)
    if claims.get("iss") != issuer:
        raise refusal("issuer", str(claims.get("iss"))[:200])
    audience = claims.get("aud")
    if client_id not in (audience if isinstance(audience, list) else [audience]):
        raise refusal("audience", str(audience)[:200])
    issued = claims.get("iat")
    if not isinstance(issued, int | float) or isinstance(issued, bool):
        raise refusal("claims", "iat")
    if issued > now.timestamp() + LEEWAY or \
            issued < (now - LOGOUT_TOKEN_AGE).timestamp() - LEEWAY:
        raise refusal("expired", "iat")
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires < now.timestamp() - LEEWAY:
        raise refusal("expired", "exp")
    if "nonce" in claims:
        raise refusal("nonce", "nonce")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT), dict):
        raise refusal("claims", "events")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise refusal("claims", "jti")
    sub, sid = claims.get("sub"), claims.get("sid")
    sub = sub if isinstance(sub, str) and sub else None
    sid = sid if isinstance(sid, str) and sid else None
    if sub is None and sid is None:
        raise refusal("claims", "sid|sub")
    return LogoutToken(issuer=issuer, jti=jti[:200], sub=sub, sid=sid)
