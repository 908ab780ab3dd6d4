"""Whether a signature survives the revocation of its signer's certificate (pure).

Specifications: *Internet X.509 Public Key Infrastructure Certificate and CRL Profile*,
RFC 5280 (May 2008), §5.3.1 (reason codes), https://www.rfc-editor.org/rfc/rfc5280; ETSI EN
319 102-1 V1.4.1 (2024-06), *Procedures for Creation and Validation of AdES Digital
Signatures*, §5.2.6 (``REVOKED_NO_POE``) and §5.6.2.1 (past signature validation).

A signature made before its certificate was revoked stays valid only when the time it was
made is *proven* — by a trusted timestamp over the signature (PAdES B-T), a proof of
existence — and the key was not compromised (after a compromise, anyone may have signed,
and timestamped). The signing time a signer writes in the PDF (``/M``) proves nothing: the
revoked key could have written any time. So, as EN 319 102-1 does (``REVOKED_NO_POE`` is
not a pass), credstack fails such a signature, and says precisely why: that the claimed time
is before the revocation, and that no timestamp proves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["KEY_COMPROMISE", "RevocationFacts", "RevocationVerdict", "judge_revocation"]

#: The RFC 5280 reason after which no signature of the key is trusted, whenever made.
KEY_COMPROMISE = "keyCompromise"


class RevocationVerdict(StrEnum):
    #: The certificate is not revoked.
    GOOD = "good"
    #: Revoked, but a timestamp proves the signature was made before (and not a compromise).
    REVOKED_AFTER_SIGNING = "revoked-after-signing"
    #: Revoked; the claimed signing time is before the revocation, but nothing proves it.
    REVOKED_NO_TIMESTAMP = "revoked-no-timestamp"
    #: Revoked, and the signature is not shown to be older (or the key was compromised).
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class RevocationFacts:
    revoked_at: dt.datetime
    reason: str


def judge_revocation(revocation: RevocationFacts | None, *, timestamp: dt.datetime | None,
                     claimed: dt.datetime | None) -> RevocationVerdict:
    """The verdict for a signature whose certificate's revocation is ``revocation``.

    ``timestamp`` is the time a *valid* signature timestamp proves; ``claimed`` the signing
    time the signer wrote.
    """
    if revocation is None:
        return RevocationVerdict.GOOD
    if revocation.reason == KEY_COMPROMISE:
        return RevocationVerdict.REVOKED
    if timestamp is not None:
        return (RevocationVerdict.REVOKED_AFTER_SIGNING if timestamp < revocation.revoked_at
                else RevocationVerdict.REVOKED)
    if claimed is not None and claimed < revocation.revoked_at:
        return RevocationVerdict.REVOKED_NO_TIMESTAMP
    return RevocationVerdict.REVOKED
