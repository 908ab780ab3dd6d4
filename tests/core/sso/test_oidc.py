"""The relying party's checks of an id_token (OpenID Connect Core §3.1.3.7) and of a logout
token (Back-Channel Logout 1.0 §2.6), on tokens this test signs: each wrong claim is refused
with its own reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from credstack.core.sso.oidc import (
    BACKCHANNEL_LOGOUT,
    LOGOUT_TOKEN_AGE,
    LogoutToken,
    verify_id_token,
    verify_logout_token,
)
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


EVENTS: dict[str, dict[str, Any]] = {BACKCHANNEL_LOGOUT: {}}


def _logout_token(key: RSAKey = KEY, *, drop: tuple[str, ...] = (), **changes: Any) -> str:
    claims = {"iss": ISSUER, "aud": "client", "iat": int(NOW.timestamp()), "jti": "j-1",
              "events": EVENTS, "sid": "s-1", **changes}
    return jwt.encode({"alg": "RS256", "kid": "k1"},
                      {k: v for k, v in claims.items() if k not in drop}, key)


def _logout(token: str) -> LogoutToken:
    return verify_logout_token(token, key_set={"keys": [KEY.as_dict(private=False)]},
                               issuer=ISSUER, client_id="client", now=NOW)


def _refused(token: str) -> tuple[str, str]:
    with pytest.raises(AuthenticationRequiredError) as refused:
        _logout(token)
    assert refused.value.code == f"sso.refused.{refused.value.params['reason']}"
    return str(refused.value.params["reason"]), str(refused.value.params["detail"])


def test_a_right_logout_token_names_the_session_to_end() -> None:
    """Signed by the provider, for this client, just issued, the logout event, a sid: the
    token says whose session ends and its jti for the caller to spend."""
    assert _logout(_logout_token()) == LogoutToken(ISSUER, "j-1", None, "s-1")


def test_a_logout_token_may_name_the_subject_and_the_session_both() -> None:
    """§2.4: a sid, a sub, or both."""
    assert _logout(_logout_token(sub="u-1")) == LogoutToken(ISSUER, "j-1", "u-1", "s-1")
    assert _logout(_logout_token(sub="u-1", drop=("sid",))).sub == "u-1"


def test_an_audience_list_holding_the_client_is_this_clients() -> None:
    assert _logout(_logout_token(aud=["other", "client"])).sid == "s-1"


def test_a_logout_token_signed_with_another_key_is_refused() -> None:
    """§2.6 step 3: the signature must verify with the provider's key."""
    assert _refused(_logout_token(OTHER)) == ("bad-signature", "")


def test_a_logout_token_naming_an_unknown_key_or_none_at_all_is_refused() -> None:
    unknown = jwt.encode({"alg": "RS256", "kid": "k9"}, {"iss": ISSUER}, KEY)
    assert _refused(unknown)[0] == "unknown-key"
    assert _refused("not.a.jwt")[0] == "malformed"


def test_a_logout_token_of_another_issuer_is_refused() -> None:
    assert _refused(_logout_token(iss="https://evil.example")) == \
        ("issuer", "https://evil.example")


def test_a_logout_token_for_another_client_is_refused() -> None:
    assert _refused(_logout_token(aud="someone-else")) == ("audience", "someone-else")
    assert _refused(_logout_token(aud=["a", "b"]))[0] == "audience"


def test_a_logout_token_issued_too_long_ago_is_refused() -> None:
    """§2.6 step 5: ``iat`` within :data:`LOGOUT_TOKEN_AGE` (and the clocks' leeway)."""
    old = int((NOW - LOGOUT_TOKEN_AGE).timestamp()) - 61
    assert _refused(_logout_token(iat=old)) == ("expired", "iat")
    assert _logout(_logout_token(iat=old + 2)).jti == "j-1"


def test_a_logout_token_from_the_future_or_expired_is_refused() -> None:
    soon = int(NOW.timestamp()) + 120
    assert _refused(_logout_token(iat=soon)) == ("expired", "iat")
    assert _refused(_logout_token(exp=int(NOW.timestamp()) - 120)) == ("expired", "exp")


def test_a_logout_token_without_its_issue_time_is_refused() -> None:
    assert _refused(_logout_token(drop=("iat",))) == ("claims", "iat")
    assert _refused(_logout_token(iat=True)) == ("claims", "iat")


@pytest.mark.parametrize("events", [None, {}, {BACKCHANNEL_LOGOUT: "yes"},
                                    {"http://schemas.openid.net/event/other": {}}])
def test_a_logout_token_without_the_logout_event_is_refused(events: Any) -> None:
    """§2.6 step 4: ``events`` holds the back-channel logout event, a JSON object."""
    token = _logout_token(drop=("events",)) if events is None else _logout_token(events=events)
    assert _refused(token) == ("claims", "events")


def test_a_logout_token_without_a_jti_is_refused() -> None:
    """Without a jti it could not be spent once."""
    assert _refused(_logout_token(drop=("jti",))) == ("claims", "jti")


@pytest.mark.parametrize("changes", [{"drop": ("sid",)}, {"sid": "", "sub": ""},
                                     {"drop": ("sid",), "sub": 7}])
def test_a_logout_token_naming_neither_session_nor_subject_is_refused(
        changes: dict[str, Any]) -> None:
    """§2.6 step 6: a sid, a sub or both; neither names whose sessions end."""
    assert _refused(_logout_token(**changes)) == ("claims", "sid|sub")


def test_a_logout_token_with_a_nonce_is_refused() -> None:
    """§2.6 step 7: a nonce makes it an id_token, which must never end a session."""
    assert _refused(_logout_token(nonce="n-1")) == ("nonce", "nonce")
