"""RFC 7591 client metadata as credstack accepts it: the Open Badges 3.0 profile's one host,
HTTPS or loopback, exact redirect URIs, known scopes and grants."""

from __future__ import annotations

import pytest

from credstack.core.oauth.registration import RedirectUriError, client_metadata
from credstack.errors import InputError

SCOPES = frozenset({"a", "b", "offline_access"})
GOOD = {"client_name": " Wallet ", "redirect_uris": ["https://wallet.example/cb"],
        "client_uri": "https://wallet.example/", "scope": "a offline_access",
        "software_id": "w", "contacts": ["dev@wallet.example"]}


def read(**changes: object):
    return client_metadata({**GOOD, **changes}, scopes_supported=SCOPES, default_scope="a b")


def test_good_metadata_is_kept_with_the_defaults():
    """Name trimmed, defaults filled (code, authorization_code, client_secret_basic)."""
    kept = read()
    assert kept.client_name == "Wallet" and kept.host == "wallet.example"
    assert kept.grant_types == ("authorization_code",) and kept.response_types == ("code",)
    assert kept.token_endpoint_auth_method == "client_secret_basic"
    assert kept.to_dict()["client_uri"] == "https://wallet.example/"
    assert kept.to_dict()["contacts"] == ["dev@wallet.example"]


def test_loopback_http_is_allowed_and_the_default_scope_applies():
    """RFC 8252 §7.3: http on 127.0.0.1 or localhost; no scope asked: the default."""
    kept = client_metadata({"redirect_uris": ["http://127.0.0.1:8123/cb"]},
                           scopes_supported=SCOPES, default_scope="a b")
    assert kept.scope == "a b" and kept.client_name == "127.0.0.1"


@pytest.mark.parametrize("uris", [[], "https://wallet.example/cb", ["/cb"],
                                  ["http://wallet.example/cb"], ["https://wallet.example/cb#f"],
                                  ["https://a.example/cb", "https://b.example/cb"],
                                  ["https://wallet.example/c b"], ["https://w.example/"] * 11])
def test_bad_redirect_uris_are_redirect_uri_errors(uris):
    """Missing, not a list, relative, plain http off loopback, a fragment, two hosts,
    spaces, too many."""
    with pytest.raises(RedirectUriError):
        read(redirect_uris=uris)


@pytest.mark.parametrize(("changes", "where"), [
    ({"logo_uri": "https://cdn.example/logo.png"}, "logo_uri"),
    ({"scope": "a nope"}, "scope"),
    ({"grant_types": ["client_credentials"]}, "grant_types"),
    ({"response_types": ["token"]}, "response_types"),
    ({"token_endpoint_auth_method": "private_key_jwt"}, "token_endpoint_auth_method"),
    ({"client_name": "x" * 201}, "client_name"),
    ({"contacts": "dev@wallet.example"}, "contacts"),
    ({"jwks_uri": "https://wallet.example/jwks"}, "jwks_uri"),
])
def test_each_bad_field_is_named(changes, where):
    """Other URLs on another host, unknown scopes, grants, response types and methods,
    overlong texts, contacts not a list, key sets: InputError naming the field."""
    with pytest.raises(InputError) as raised:
        read(**changes)
    assert not isinstance(raised.value, RedirectUriError)
    assert raised.value.problems[0].location == where
