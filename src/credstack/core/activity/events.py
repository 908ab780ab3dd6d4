"""The events counted about an issued credential, and what they add up to.

Nothing here tracks a person: an event is counted when credstack itself does something for
the credential — hands its e-mail to the mail server, follows its claim link (the link in that
e-mail, which goes through credstack on its way to the wallet), takes it into a wallet (here,
or issues it to a wallet app by OID4VCI), makes a share link of it, or verifies it at the
public verification page or the VC-API. No tracking pixel, no third party: the counts are
what this server saw.

``issued`` is counted for batches and months only (each credential is issued once).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Final

__all__ = ["CREDENTIAL_KINDS", "Channel", "Kind", "Tally", "Totals", "month_of"]


class Kind(enum.StrEnum):
    ISSUED = "issued"
    MAILED = "mailed"
    OPENED = "opened"
    CLAIMED = "claimed"
    SHARED = "shared"
    VERIFIED = "verified"


class Channel(enum.StrEnum):
    """Where an event was seen."""

    MAIL = "mail"
    LINK = "link"
    WALLET = "wallet"
    OID4VCI = "oid4vci"
    SHARE = "share"
    PAGE = "page"
    API = "api"


#: The kinds counted for each credential, in the order a credential meets them.
CREDENTIAL_KINDS: Final = (Kind.MAILED, Kind.OPENED, Kind.CLAIMED, Kind.SHARED, Kind.VERIFIED)


@dataclass(frozen=True, slots=True)
class Tally:
    """One kind of event for one credential, a batch or a month: how many times, for how
    many credentials, first and last seen."""

    kind: Kind
    events: int = 0
    credentials: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def share_of(self, total: int) -> float | None:
        """The part of ``total`` credentials this kind reached (0 to 1); ``None`` without
        credentials."""
        return None if total <= 0 else min(self.credentials / total, 1.0)


@dataclass(frozen=True, slots=True)
class Totals:
    """A batch or a credential: how many credentials, and each kind's tally."""

    credentials: int
    tallies: dict[Kind, Tally] = field(default_factory=dict)

    def __getitem__(self, kind: Kind) -> Tally:
        return self.tallies.get(kind) or Tally(kind)


def month_of(moment: dt.datetime) -> str:
    """The month (UTC) an event at ``moment`` is counted in: ``2026-11``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.year:04d}-{moment.month:02d}"
