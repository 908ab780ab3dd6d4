"""The hosts and networks the settings name."""

from __future__ import annotations

import pytest

from credstack.errors import ConfigurationError
from credstack.networks import trusted_proxies


@pytest.mark.parametrize(("value", "expected"), [
    (None, ()), ("", ()),
    ("127.0.0.1", ("127.0.0.1/32",)),
    (" 10.0.0.0/8 , ::1,", ("10.0.0.0/8", "::1/128")),
])
def test_trusted_proxies_are_addresses_or_networks(value: str | None,
                                                   expected: tuple[str, ...]) -> None:
    """Unset, no proxy is trusted; each one named is an address or a network."""
    assert trusted_proxies(value) == expected


@pytest.mark.parametrize("value", ["proxy.example", "10.0.0.0/33", "*"])
def test_a_trusted_proxy_by_name_is_refused(value: str) -> None:
    """A host name (resolved when?) or a malformed network is refused, naming the setting."""
    with pytest.raises(ConfigurationError, match="CREDSTACK_TRUSTED_PROXIES"):
        trusted_proxies(value)
