"""Per-address limits, audit entries and logs count the address that connected, unless it is
a proxy the operator names (``CREDSTACK_TRUSTED_PROXIES``): then the client its
``X-Forwarded-For`` names (issue 55, M1)."""

from __future__ import annotations

import dataclasses

import pytest

from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.conftest import LiveServer, serve_with_key

METADATA = {"client_name": "Wallet", "redirect_uris": ["https://wallet.example/cb"],
            "scope": "wallet:read"}


def _register(live: LiveServer, forwarded_for: str) -> int:
    return patiently.post(f"{live.url}/oauth/register", json=METADATA,
                          headers={"X-Forwarded-For": forwarded_for}).status_code


def _refused_addresses(live: LiveServer) -> list[str]:
    with open_runtime(settings=live.settings) as runtime, runtime.transaction() as session:
        return [entry.details["ip"] for entry in audit.entries(session, latest=True, limit=20)
                if entry.action == "oauth.registration.refused"]


def test_a_forged_forwarded_for_does_not_split_an_addresss_limit(settings: Settings) -> None:
    """Without trusted proxies (the default), a rotating ``X-Forwarded-For`` from loopback
    is ignored: the third registration past a limit of two is refused, audited with the
    peer's address."""
    for live in serve_with_key(dataclasses.replace(settings, oauth_registrations_per_hour=2)):
        answers = [_register(live, f"198.51.100.{n}") for n in range(3)]
        assert answers == [201, 201, 429]
        assert _refused_addresses(live) == ["127.0.0.1"]


@pytest.mark.parametrize("proxies", [("127.0.0.1",), ("127.0.0.0/8", "::1")])
def test_a_trusted_proxys_forwarded_for_names_the_client(sqlite_settings: Settings,
                                                         proxies: tuple[str, ...]) -> None:
    """From a proxy in ``CREDSTACK_TRUSTED_PROXIES`` (an address or a network), the client
    its ``X-Forwarded-For`` names is counted and audited."""
    configured = dataclasses.replace(sqlite_settings, oauth_registrations_per_hour=1,
                                     trusted_proxies=proxies)
    for live in serve_with_key(configured):
        # The proxy appends the address it was reached from; what the client wrote before
        # it (here 192.0.2.1) is not believed.
        assert [_register(live, "192.0.2.1, 203.0.113.7"),
                _register(live, "192.0.2.1, 203.0.113.8"),
                _register(live, "192.0.2.1, 203.0.113.8")] == [201, 201, 429]
        assert _refused_addresses(live) == ["203.0.113.8"]
