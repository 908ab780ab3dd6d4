"""The hosts and networks the settings name: whether a host is this machine, the did:web
hosts the verifier may fetch from (``CREDSTACK_DID_WEB_ALLOW``) and the reverse proxies whose
forwarded headers are believed (``CREDSTACK_TRUSTED_PROXIES``)."""

from __future__ import annotations

import ipaddress

from credstack.core.dids import did_web
from credstack.errors import ConfigurationError, CredstackError

__all__ = ["did_web_allow", "is_loopback", "trusted_proxies"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` or a loopback address."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def trusted_proxies(value: str | None) -> tuple[str, ...]:
    """``CREDSTACK_TRUSTED_PROXIES`` as addresses and networks; anything else refused (a host
    name would have to be resolved on every request, and a typo would trust no one)."""
    proxies: list[str] = []
    for item in (value or "").split(","):
        if not item.strip():
            continue
        try:
            proxies.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise ConfigurationError(
                f"CREDSTACK_TRUSTED_PROXIES: {item.strip()!r} is not an IP address or network "
                "(give the proxies' addresses, comma-separated: 127.0.0.1, 10.0.0.0/8)."
            ) from None
    return tuple(proxies)


def did_web_allow(value: str | None) -> tuple[str, ...]:
    """``CREDSTACK_DID_WEB_ALLOW`` as lower-case host names; anything but domain names refused."""
    hosts: list[str] = []
    for item in (value or "").split(","):
        host = item.strip().lower().rstrip(".")
        if not host:
            continue
        try:
            # The host's own did:web is the simplest proof that it can name one at all: a
            # domain name, not an IP address, with no port, path or wildcard.
            valid = did_web.parse(f"did:web:{host}") == f"https://{host}/.well-known/did.json"
        except CredstackError:
            valid = False
        if not valid:
            raise ConfigurationError(
                f"CREDSTACK_DID_WEB_ALLOW: {item.strip()!r} is not a host name (give domain "
                "names separated by commas, without scheme, port or path)")
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))
