"""Passkeys' pure rules: who the relying party is, what a passkey may be named, how long a
ceremony may take, and how many passkeys one account may hold.

A passkey is a WebAuthn credential (Web Authentication Level 3, W3C, 2025,
https://www.w3.org/TR/webauthn-3/) its authenticator keeps and finds by itself (a
discoverable credential), so signing in asks for no e-mail address and no password. The
relying party is this deployment: its id is the host of the public URL and the only origin
it accepts is that URL's origin (scheme, host and port), so a passkey made for one
deployment never signs in to another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

#: How long a ceremony may wait for the person at the authenticator.
CEREMONY_VALID: Final = dt.timedelta(minutes=5)
#: What the browser is told to wait, in milliseconds (a little less than the challenge lives).
CEREMONY_TIMEOUT_MS: Final = 240_000
#: Passkeys one account may hold: several devices and a spare, not a collection.
MAX_PASSKEYS: Final = 20
MAX_NAME: Final = 100
#: The transports a browser may report (WebAuthn §5.8.4), kept as they were reported.
TRANSPORTS: Final = frozenset({"ble", "hybrid", "internal", "nfc", "smart-card", "usb"})
#: The relying party's name an authenticator may show.
RP_NAME: Final = "credstack"


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """The WebAuthn relying party: its id (a host name) and the one origin it accepts."""

    id: str
    origin: str


def relying_party(public_url: str) -> RelyingParty | None:
    """The relying party of a deployment at ``public_url``; None where WebAuthn cannot have
    one (no host, or an IP address: no relying party id)."""
    parts = urlsplit(public_url)
    host = (parts.hostname or "").lower()
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return None
    port = f":{parts.port}" if parts.port is not None else ""
    return RelyingParty(id=host, origin=f"{parts.scheme}://{host}{port}")


def passkey_name(name: str) -> tuple[str, str | None]:
    """A passkey's name as kept (trimmed, one line), and what is wrong with it: ``missing``,
    ``too-long`` (over :data:`MAX_NAME` characters), or None."""
    kept = " ".join(name.split())
    return kept, "missing" if not kept else "too-long" if len(kept) > MAX_NAME else None


def reported_transports(transports: object) -> str:
    """The known transports among what the browser reported, space-separated, sorted."""
    if not isinstance(transports, list):
        return ""
    return " ".join(sorted({t for t in transports if isinstance(t, str) and t in TRANSPORTS}))
