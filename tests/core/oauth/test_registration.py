"""RFC 7591 client metadata as credstack accepts it: the Open Badges 3.0 profile's one host,
HTTPS, loopback or a native app's private-use scheme (RFC 8252), exact redirect URIs, known
scopes and grants."""

from __future__ import annotations

import pytest

from credstack.core.oauth.registration import (
    RedirectUriError,
    client_metadata,
    redirect_uri_matches,
)
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
    """RFC 8252 §7.3: http on the loopback IP literal; no scope asked: the default."""
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


NATIVE = {"redirect_uris": ["com.example.wallet:/callback"], "token_endpoint_auth_method": "none"}


@pytest.mark.parametrize("uri", ["com.example.wallet:/callback", "com.example.wallet:/cb?x=1",
                                 "jp.co.example-wallet:/oauth", "COM.Example.Wallet:/cb",
                                 "com.example.wallet://callback", "http://[::1]:8123/cb"])
def test_a_public_native_app_registers_its_private_use_scheme(uri):
    """RFC 8252 §7.1: a private-use scheme in reverse domain form (or a loopback IP literal)
    for a public client; kept as given, for the exact comparison."""
    kept = client_metadata({**NATIVE, "redirect_uris": [uri]}, scopes_supported=SCOPES,
                           default_scope="a")
    assert kept.redirect_uris == (uri,) and kept.token_endpoint_auth_method == "none"


def test_a_native_apps_host_is_its_schemes_domain():
    """Its name defaults to the scheme's domain; its pages may be on that domain or one above
    it, never elsewhere."""
    kept = client_metadata({**NATIVE, "client_uri": "https://example.com/",
                            "logo_uri": "https://wallet.example.com/logo.png"},
                           scopes_supported=SCOPES, default_scope="a")
    assert kept.host == "wallet.example.com" and kept.client_name == "wallet.example.com"
    for elsewhere in ("https://example.org/", "https://com/", "https://ample.com/"):
        with pytest.raises(InputError) as raised:
            client_metadata({**NATIVE, "client_uri": elsewhere}, scopes_supported=SCOPES,
                            default_scope="a")
        assert raised.value.problems[0].location == "client_uri"


@pytest.mark.parametrize(("uri", "says"), [
    ("javascript:alert(1)", "javascript: scheme"),
    ("data:text/html,<script>1</script>", "data: scheme"),
    ("file:///etc/passwd", "file: scheme"),
    ("JavaScript:alert(1)", "javascript: scheme"),
    ("mywallet:/callback", "reverse domain form"),
    ("1com.example:/cb", "not an absolute URL"),
    ("c.example:/cb", "reverse domain form"),
    ("com.exa+mple:/cb", "reverse domain form"),
    ("com.-example:/cb", "reverse domain form"),
    ("com.example.wallet:", "nothing after its scheme"),
    ("com.example.wallet:/cb#x", "fragment"),
    ("com.example.wallet:/c b", "spaces"),
    ("http://localhost:8123/cb", "not localhost"),
    ("callback", "not an absolute URL"),
])
def test_other_schemes_are_refused_naming_the_uri(uri, says):
    """RFC 8252 §8.4: a scheme without a period, not a reversed domain, or the web's own; a
    private-use URI without a path or with a fragment; localhost rather than the loopback
    address (§8.3): invalid_redirect_uri naming the URI and why."""
    with pytest.raises(RedirectUriError) as raised:
        client_metadata({**NATIVE, "redirect_uris": [uri]}, scopes_supported=SCOPES,
                        default_scope="a")
    assert says in raised.value.message and repr(uri) in raised.value.message
    assert raised.value.problems[0].location == "redirect_uris[0]"


def test_a_confidential_client_may_not_register_a_private_use_scheme():
    """A client with a secret is a web server, not an app on the learner's device (RFC 8252
    §8.4, §8.5): its private-use redirect is refused."""
    with pytest.raises(RedirectUriError, match="public client"):
        read(redirect_uris=["com.example.wallet:/callback"])


def test_a_private_use_scheme_goes_with_https_on_its_own_domain_only():
    """An app's claimed https redirect (RFC 8252 §7.2) on its scheme's domain is one host with
    it; on another domain, or a loopback address, it is not."""
    both = ["com.example.wallet:/cb", "https://wallet.example.com/cb"]
    kept = client_metadata({**NATIVE, "redirect_uris": both}, scopes_supported=SCOPES,
                           default_scope="a")
    assert kept.redirect_uris == tuple(both)
    for other in ("https://wallet.example.org/cb", "http://127.0.0.1:8123/cb"):
        with pytest.raises(RedirectUriError, match="one host"):
            client_metadata({**NATIVE, "redirect_uris": ["com.example.wallet:/cb", other]},
                            scopes_supported=SCOPES, default_scope="a")


@pytest.mark.parametrize(("registered", "given", "matches"), [
    ("https://app.example/cb", "https://app.example/cb", True),
    ("https://app.example/cb", "https://app.example:8443/cb", False),
    ("https://app.example/cb", "https://app.example/cb/", False),
    ("http://127.0.0.1:9/cb", "http://127.0.0.1:53127/cb", True),
    ("http://127.0.0.1/cb", "http://127.0.0.1:53127/cb", True),
    ("http://[::1]:9/cb", "http://[::1]:53127/cb", True),
    ("http://127.0.0.1:9/cb", "http://127.0.0.1:53127/cb?x=1", False),
    ("http://127.0.0.1:9/cb", "http://127.0.0.1:53127/other", False),
    ("http://127.0.0.1:9/cb", "http://[::1]:53127/cb", False),
    ("http://127.0.0.1:9/cb", "https://127.0.0.1:53127/cb", False),
    ("http://127.0.0.1:9/cb", "http://127.0.0.1/cb", False),
    ("http://localhost:9/cb", "http://localhost:53127/cb", False),
    ("com.example.wallet:/cb", "com.example.wallet:/cb", True),
    ("com.example.wallet:/cb", "com.example.wallet:/cb2", False),
], ids=["same", "https-port", "trailing-slash", "loopback-port", "loopback-no-port",
        "ipv6-port", "loopback-query", "loopback-path", "loopback-other-family",
        "loopback-https", "loopback-port-dropped", "localhost", "private-use",
        "private-use-path"])
def test_redirect_uris_match_exactly_but_for_a_loopback_port(registered: str, given: str,
                                                             matches: bool) -> None:
    """RFC 9700 §4.1.1: character for character; RFC 8252 §7.3: a loopback redirect's port
    is the native app's to choose when it asks."""
    assert redirect_uri_matches(registered, given) is matches
