"""TOTP codes (RFC 6238: 30-second steps, 6 digits), with one step of clock drift either
way and no replay: a code is accepted only for a time step later than the last accepted."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

import pyotp

STEP = 30


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """A code's verdict: the time step it was accepted for, or why it was not."""

    step: int | None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.step is not None


def check_code(secret: str, code: str | None, *, now: dt.datetime, last_step: int | None
               ) -> CodeCheck:
    """Whether ``code`` is a current code of ``secret`` not used before."""
    candidate = "".join((code or "").split())
    if not candidate:
        return CodeCheck(None, "code missing")
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP), candidate):
            if last_step is not None and step <= last_step:
                return CodeCheck(None, "code replayed")
            return CodeCheck(step)
    return CodeCheck(None, "wrong code")
