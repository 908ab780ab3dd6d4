"""The OpenID provider's logout tokens at the relying party (credstack.services.sso.oidc,
Back-Channel Logout 1.0 §2.5-2.8), from a provider on loopback whose key set holds the key
this test signs with: a token checked (:func:`credstack.core.sso.oidc.verify_logout_token`,
whose every refusal tests/core/sso/test_oidc.py specifies) is taken once; its ``jti``
brought again is refused as replayed, and audited; another provider's ``jti`` of the same
value is its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import sso as sso_store
from credstack.adapters.keystore import new_master_key_text
from credstack.core.sso.oidc import BACKCHANNEL_LOGOUT
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AuthenticationRequiredError
from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime
from credstack.services.sso import oidc
from credstack.settings import Settings
from tests.accounts import add_organisation, store_session
from tests.conftest import Clock
from tests.loopback import openid_providers

ORG = "hokuto-uni"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
PROVIDERS = {"hokuto-entra": "https://login.example.jp/hokuto",
             "minato-entra": "https://login.example.jp/minato"}


@pytest.fixture
def runtime(settings: Settings, tmp_path: Path) -> Iterator[Runtime]:
    keyed = dataclasses.replace(settings, secret_key=new_master_key_text())
    add_organisation(keyed, ORG)
    clock = Clock()
    with store_session(keyed) as session:
        owner = organisation_store.existing_row(session, ORG)
        for slug, issuer in PROVIDERS.items():
            sso_store.add_provider(session, slug=slug, organisation_id=owner.id, kind="oidc",
                                   name=slug, config={"issuer": issuer, "client_id": "credstack"},
                                   secret=None, allowed_roles="learner", at=clock.now)
    key_set = {"keys": [KEY.as_dict(private=False)]}
    with openid_providers(tmp_path, list(PROVIDERS.values()),
                          key_sets=dict.fromkeys(PROVIDERS.values(), key_set)), \
            open_runtime(settings=keyed, clock=clock) as opened:
        yield opened


def _token(runtime: Runtime, slug: str, **changes: Any) -> str:
    claims = {"iss": PROVIDERS[slug], "aud": "credstack", "iat": int(runtime.now().timestamp()),
              "jti": "j-1", "events": {BACKCHANNEL_LOGOUT: {}}, "sid": "s-1", **changes}
    return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, KEY)


def _refused(runtime: Runtime) -> list[dict[str, Any]]:
    with runtime.transaction() as session:
        return [dict(e.details, about=e.subject) for e in audit.entries(session, limit=1000)
                if e.action == "sso.logout.refused"]


def test_a_logout_token_is_taken_once(runtime: Runtime) -> None:
    """§2.6: the relying party may refuse a jti it has seen; credstack always does."""
    token = _token(runtime, "hokuto-entra")
    assert oidc.backchannel_logout(runtime, slug="hokuto-entra", logout_token=token,
                                   ip="192.0.2.1") == 0
    with pytest.raises(AuthenticationRequiredError) as refused:
        oidc.backchannel_logout(runtime, slug="hokuto-entra", logout_token=token,
                                ip="192.0.2.1")
    assert refused.value.code == "sso.refused.replayed"
    assert refused.value.params["detail"] == "jti j-1"
    [entry] = _refused(runtime)
    assert (entry["reason"], entry["about"], entry["message"]) == \
        ("replayed", "sso:hokuto-entra", "logout_token")


def test_a_new_jti_or_another_providers_is_not_a_replay(runtime: Runtime) -> None:
    """The jti is spent under its issuer: the same provider's next token, and another
    provider's token of the same jti, are taken."""
    oidc.backchannel_logout(runtime, slug="hokuto-entra",
                            logout_token=_token(runtime, "hokuto-entra"), ip="192.0.2.1")
    oidc.backchannel_logout(runtime, slug="hokuto-entra",
                            logout_token=_token(runtime, "hokuto-entra", jti="j-2"),
                            ip="192.0.2.1")
    oidc.backchannel_logout(runtime, slug="minato-entra",
                            logout_token=_token(runtime, "minato-entra"), ip="192.0.2.1")
    assert _refused(runtime) == []


def test_a_refused_logout_token_spends_nothing(runtime: Runtime) -> None:
    """A token refused for its claims (another audience) leaves its jti unspent: the right
    one of that jti is then taken."""
    with pytest.raises(AuthenticationRequiredError) as refused:
        oidc.backchannel_logout(runtime, slug="hokuto-entra",
                                logout_token=_token(runtime, "hokuto-entra", aud="other"),
                                ip="192.0.2.1")
    assert refused.value.params["reason"] == "audience"
    assert oidc.backchannel_logout(runtime, slug="hokuto-entra",
                                   logout_token=_token(runtime, "hokuto-entra"),
                                   ip="192.0.2.1") == 0
    assert [e["reason"] for e in _refused(runtime)] == ["audience"]
