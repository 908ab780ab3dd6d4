"""The relying party's checks of an id_token (OpenID Connect Core §3.1.3.7), on tokens this
test signs: each wrong claim is refused with its own reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from credstack.core.sso.oidc import verify_id_token
from credstack.errors import AuthenticationRequiredError

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
OTHER = RSAKey.generate_key(2048, parameters={"kid": "k1"})
ISSUER = "https://idp.example.ac.jp"


def _token(key: RSAKey = KEY, kid: str = "k1", **changes: Any) -> str:
    now = int(NOW.timestamp())
    claims = {"iss": ISSUER, "aud": "client", "sub": "u-1", "nonce": "n-1", "iat": now,
              "exp": now + 300, **changes}
    return jwt.encode({"alg": "RS256", "kid": kid}, claims, key)


def _verify(token: str) -> dict[str, Any]:
    return verify_id_token(token, key_set={"keys": [KEY.as_dict(private=False)]},
                           issuer=ISSUER, client_id="client", nonce="n-1", now=NOW)


def test_a_right_id_token_gives_its_claims() -> None:
    """Signed by the provider's key, for this client and login, unexpired."""
    assert _verify(_token())["sub"] == "u-1"


@pytest.mark.parametrize(("token", "reason"), [
    (_token(nonce="n-2"), "nonce"),
    (_token(aud="someone-else"), "audience"),
    (_token(iss="https://evil.example"), "issuer"),
    (_token(exp=int(NOW.timestamp()) - 3600, iat=int(NOW.timestamp()) - 7200), "expired"),
    (_token(OTHER), "bad-signature"),
    (_token(kid="k9"), "unknown-key"),
    ("not.a.jwt", "malformed"),
])
def test_a_wrong_id_token_is_refused_with_its_reason(token: str, reason: str) -> None:
    """Each refusal's code names the reason the page words and the audit log keeps."""
    with pytest.raises(AuthenticationRequiredError) as refused:
        _verify(token)
    assert refused.value.code == f"sso.refused.{reason}"
    assert refused.value.params["reason"] == reason


def test_an_id_token_without_the_nonce_is_refused() -> None:
    """The login sent a nonce: a token without one is not this login's."""
    now = int(NOW.timestamp())
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, {"iss": ISSUER, "aud": "client",
                                                      "sub": "u-1", "iat": now,
                                                      "exp": now + 300}, KEY)
    with pytest.raises(AuthenticationRequiredError) as refused:
        _verify(token)
    assert refused.value.params["reason"] == "nonce"
