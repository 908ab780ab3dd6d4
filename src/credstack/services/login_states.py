"""A login's state, signed rather than stored, for the sign-ins that leave for another site and
come back: an LTI launch (:mod:`credstack.services.lti.launches`) and a campus sign-in over
OpenID Connect (:mod:`credstack.services.sso.oidc`).

The state is ``<id>.<ref>.<ends>.<mac>``: a random id, the stored record it is for (the
platform, the identity provider), when it ends (Unix seconds) and an HMAC-SHA-256 under a key
derived from the deployment's secret for the one purpose (a state made for one kind of
sign-in is nothing to another). A short state (``short=True``: a 96-bit id and the MAC cut
to 128 bits, some 55 bytes) fits SAML's RelayState, which may have 80 bytes at most (SAML
Bindings §3.4.3). What the other site must echo (the ``nonce``, a PKCE
verifier) is derived from the id under the same key, so the site sees only that.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass

from credstack.core.types import whole_number
from credstack.services.runtime import Runtime

__all__ = ["LoginState"]

#: A short state's MAC: 22 base64url characters, 128 bits.
_SHORT_MAC = 22


def _mac(runtime: Runtime, purpose: bytes, text: str) -> str:
    key = runtime.key().derive(purpose)
    return base64.urlsafe_b64encode(hmac.digest(key, text.encode(), "sha256")).rstrip(
        b"=").decode()


@dataclass(frozen=True, slots=True)
class LoginState:
    """One login's state: for ``purpose`` (the key's label), naming the record ``ref``,
    ending at ``ends``."""

    purpose: bytes
    id: str
    ref: int
    ends: int

    @classmethod
    def new(cls, purpose: bytes, ref: int, ends: int, *, short: bool = False) -> LoginState:
        return cls(purpose, secrets.token_urlsafe(12 if short else 24), ref, ends)

    def signed(self, runtime: Runtime, *, short: bool = False) -> str:
        body = f"{self.id}.{self.ref}.{self.ends}"
        mac = _mac(runtime, self.purpose, body)
        return f"{body}.{mac[:_SHORT_MAC] if short else mac}"

    def derived(self, runtime: Runtime, use: str) -> str:
        """A value derived from the state's id for ``use`` (``nonce``, ``pkce``): the other
        site sees only this, not the id."""
        return _mac(runtime, self.purpose, f"{use}.{self.id}")

    @classmethod
    def read(cls, runtime: Runtime, purpose: bytes, text: str, *, short: bool = False
             ) -> LoginState | None:
        """The state ``text`` signs, if credstack signed it for ``purpose`` (a short state
        when ``short``; however old it is: the caller judges ``ends``)."""
        parts = text.split(".")
        if len(parts) != 4 or not 0 < len(parts[0]) <= 43:
            return None
        ref, ends = whole_number(parts[1]), whole_number(parts[2], most=2**63 - 1)
        if ref is None or ends is None:
            return None
        mac = _mac(runtime, purpose, ".".join(parts[:3]))
        if not hmac.compare_digest(parts[3].encode(),
                                   (mac[:_SHORT_MAC] if short else mac).encode()):
            return None
        return cls(purpose, parts[0], ref, ends)
