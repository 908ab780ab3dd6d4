"""``c_nonce`` values that carry their own time (OID4VCI 1.0 §7, §13.7 "Proof replay").

A nonce is ``<payload>.<tag>``: the payload is the base64url of the time it was made (8
bytes, milliseconds since the epoch) and 16 random bytes; the tag, an HMAC-SHA-256 of the
payload under a key of the server's, cut to 16 bytes. The nonce endpoint then stores nothing:
a key proof's nonce is checked for the tag and its age, which also gives the time the proof
was made (the "server managed timestamp via the nonce claim" of Appendix F.4). That each
nonce is used once is recorded by whoever accepts it (the service, in the issuance's
transaction). Unpredictable (128 random bits), as §7.2 requires.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Final

from credstack.errors import ExchangeProtocolError

__all__ = ["LIFETIME", "issue", "nonce_digest", "verify"]

#: How long a nonce may be used after it was made.
LIFETIME: Final = dt.timedelta(minutes=5)
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MAX_LENGTH: Final = 128
#: The prefix of what a refused nonce says (``oid4vci.refused.nonce.…``).
_SAID: Final = "oid4vci.refused.nonce."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _tag(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()[:16])


def issue(*, key: bytes, now: dt.datetime, random: bytes | None = None) -> str:
    """A new nonce made at ``now`` under ``key``."""
    millis = int((now - _EPOCH).total_seconds() * 1000)
    payload = _b64(millis.to_bytes(8, "big") + (random or secrets.token_bytes(16)))
    return f"{payload}.{_tag(key, payload)}"


def verify(nonce: object, *, key: bytes, now: dt.datetime,
           lifetime: dt.timedelta = LIFETIME) -> dt.datetime:
    """When ``nonce`` was made, once its tag holds and it is no older than ``lifetime``.

    Raises :class:`~credstack.errors.ExchangeProtocolError` ``invalid_nonce`` otherwise (the
    wallet should fetch a new one, §8.3.1.2).
    """
    if not isinstance(nonce, str) or len(nonce) > _MAX_LENGTH or nonce.count(".") != 1:
        raise _refused("foreign")
    payload, tag = nonce.split(".")
    if not hmac.compare_digest(tag, _tag(key, payload)):
        raise _refused("foreign")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    made = _EPOCH + dt.timedelta(milliseconds=int.from_bytes(raw[:8], "big"))
    if now - made > lifetime:
        raise _refused("expired")
    if made - now > dt.timedelta(seconds=5):
        raise _refused("future")
    return made


def _refused(said: str) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_nonce", code=_SAID + said)


def nonce_digest(nonce: str) -> str:
    """What the store keeps of a used nonce (its SHA-256, hex)."""
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()
