"""What one request to the authorization server works in: its transaction, the time, where
it came from, the token lifetime and the extensions (see :mod:`.server`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.transactions import Session
from credstack.services.oauth.extensions import Extension
from credstack.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class Context:
    session: Session
    now: dt.datetime
    ip: str
    #: Access tokens' lifetime, seconds (``CREDSTACK_TOKEN_TTL``).
    ttl: int
    extensions: tuple[Extension, ...]
    #: The runtime the request is served by (its refusal budget audits replays).
    runtime: Runtime


def ascii_description(text: str) -> str:
    """``text`` as an OAuth ``error_description`` may carry it (RFC 6749 §5.2: printable
    ASCII without ``"`` and ``\\``): the English half of a bilingual message."""
    english = text.split(" / ")[0]
    cleaned = "".join(c if 0x20 <= ord(c) <= 0x7E and c not in '"\\\\' else "'" if c in '"“”'
                      else "" for c in english)
    return cleaned.strip()[:300]
