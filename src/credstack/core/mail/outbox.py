"""The outbox's rules: a message's states, its unique event key, and when a message that
could not be sent is tried again.

A message is ``pending`` until it is sent (``sent``), refused for good by the receiving
server (``failed``: a 5xx reply, or :data:`MAX_ATTEMPTS` tries that all failed for a
passing reason), or reported undeliverable afterwards (``bounced``: a delivery status
notification, or an administrator marking it), or ``withdrawn`` before it was sent (the
"issued" e-mail of a credential revoked meanwhile: kept, so the outbox shows what was never
sent and why, but never sent). Each message belongs to one *event* — a
credential issued to one address, one reminder to one person on one day — and the event key
is unique in the outbox, so no event is ever mailed twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Final

from credstack.core import vocabularies

#: How many times a message is tried before it is given up (about a day and a half of
#: retries with :func:`retry_delay`).
MAX_ATTEMPTS: Final = 12
#: The first retry's delay; each further one doubles it, up to :data:`LONGEST_DELAY`.
FIRST_DELAY: Final = dt.timedelta(minutes=1)
LONGEST_DELAY: Final = dt.timedelta(hours=6)
#: The longest event key stored as it is; longer ones are stored as their SHA-256 digest.
MAX_EVENT_KEY: Final = 255


class MailState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"
    WITHDRAWN = "withdrawn"

    @property
    def label_ja(self) -> str:
        return vocabularies.names("mail-state", "ja")[self.value]

    @property
    def label_en(self) -> str:
        return vocabularies.names("mail-state", "en")[self.value]


def event_key(*parts: str) -> str:
    """The outbox key of an event named by ``parts`` (``credential.issued``, the credential's
    id, the address), joined with ``:``; a key too long to index is replaced by
    ``sha256:<digest>`` of it, which is as unique."""
    if not parts or any(not part for part in parts):
        raise ValueError("an event key needs non-empty parts")
    key = ":".join(parts)
    if len(key) <= MAX_EVENT_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most six
    hours."""
    if attempts < 1:
        raise ValueError("attempts count from 1")
    delay: dt.timedelta = FIRST_DELAY * (2 ** min(attempts - 1, 20))
    return min(delay, LONGEST_DELAY)


def next_attempt(attempts: int, *, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``attempts`` tries failed for a passing reason; ``None`` once
    :data:`MAX_ATTEMPTS` are spent (the message is given up)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + retry_delay(attempts)
