"""An OpenID provider's documents (credstack.services.sso.documents), from providers on
loopback answering for their issuers over TLS: :func:`check`, made when an administrator
adds a provider, passes one whose metadata and key set serve and refuses, naming why, one
whose metadata cannot be read, names another issuer, lacks an endpoint, or whose key set
holds no key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AuthenticationRequiredError
from credstack.services.runtime import Runtime
from credstack.services.sso import documents
from credstack.settings import Settings
from tests.conftest import Clock
from tests.loopback import openid_providers

WORKING = "https://login.example.jp/tenant"
BROKEN = {"https://login.example.jp/none": None,
          "https://login.example.jp/other": {"issuer": "https://login.example.jp/elsewhere"},
          "https://login.example.jp/no-auth": {"authorization_endpoint": None},
          "https://login.example.jp/no-jwks": {"jwks_uri": ""},
          "https://login.example.jp/no-keys": {},
          "https://login.example.jp/bad-keys": {}}
KEY_SETS = {"https://login.example.jp/no-keys": {"keys": []},
            "https://login.example.jp/bad-keys": ["not", "a", "key", "set"]}


@pytest.fixture
def runtime(settings: Settings, tmp_path: Path) -> Iterator[Runtime]:
    with openid_providers(tmp_path, [WORKING, *BROKEN], metadata=BROKEN, key_sets=KEY_SETS), \
            open_runtime(settings=settings, clock=Clock()) as opened:
        yield opened


def test_a_provider_whose_metadata_and_keys_serve_passes(runtime: Runtime) -> None:
    documents.check(runtime, WORKING)
    assert documents.discovery(runtime, WORKING)["issuer"] == WORKING


@pytest.mark.parametrize(("issuer", "why", "url"), [
    ("https://login.example.jp/none", "unreadable",
     "https://login.example.jp/none/.well-known/openid-configuration"),
    ("https://login.example.jp/other", "issuer", "https://login.example.jp/elsewhere"),
    ("https://login.example.jp/no-auth", "endpoint", "authorization_endpoint"),
    ("https://login.example.jp/no-jwks", "endpoint", "jwks_uri"),
    ("https://login.example.jp/no-keys", "keys", "https://login.example.jp/no-keys/jwks"),
    ("https://login.example.jp/bad-keys", "unreadable",
     "https://login.example.jp/bad-keys/jwks"),
])
def test_a_provider_that_cannot_work_is_refused_with_why(runtime: Runtime, issuer: str,
                                                         why: str, url: str) -> None:
    """``sso.refused.discovery``, its ``why`` one of :data:`documents.WHY` and what is at
    fault (a document's address, the issuer named, the endpoint missing)."""
    with pytest.raises(AuthenticationRequiredError) as refused:
        documents.check(runtime, issuer)
    assert refused.value.code == "sso.refused.discovery"
    assert (refused.value.params["why"], refused.value.params["url"]) == (why, url)
    assert why in documents.WHY


def test_an_issuer_differing_only_by_a_trailing_slash_is_another(runtime: Runtime) -> None:
    """Discovery §4.3: the issuer must be identical to the one configured."""
    with pytest.raises(AuthenticationRequiredError) as refused:
        documents.check(runtime, WORKING + "/")
    assert refused.value.params["why"] == "issuer"
