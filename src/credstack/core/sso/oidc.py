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

__all__ = ["REASONS", "refusal", "verify_id_token"]

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


def refusal(reason: str, detail: str = "") -> AuthenticationRequiredError:
    """The error refusing a sign-in for ``reason`` (one of :data:`REASONS`)."""
    assert reason in REASONS, reason
    return AuthenticationRequiredError(code=f"sso.refused.{reason}",
                                       params={"reason": reason, "detail": detail[:300]})


def _key_id(token: str) -> str | None:
    try:
        kid = jws.extract_compact(token.encode("ascii")).headers().get("kid")
    except (JoseError, ValueError, UnicodeError):
        raise refusal("malformed") from None
    return kid if isinstance(kid, str) else None


def verify_id_token(token: str, *, key_set: Mapping[str, Any], issuer: str, client_id: str,
                    nonce: str, now: dt.datetime, access_token: str | None = None
                    ) -> dict[str, Any]:
    """The claims of ``token`` if its signature verifies with ``key_set`` and it was issued
    by ``issuer`` to ``client_id`` for the login of ``nonce``, unexpired at ``now``."""
    kid = _key_id(token)
    keys = KeySet.import_key_set(dict(key_set))  # type: ignore[arg-type]
    if kid is not None and not any(key.kid == kid for key in keys.keys):
        raise refusal("unknown-key", kid)
    try:
        decoded = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    except BadSignatureError:
        raise refusal("bad-signature") from None
    except InvalidKeyIdError:
        raise refusal("unknown-key", kid or "") from None
    except (JoseError, ValueError):
        raise refusal("malformed") from None
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
