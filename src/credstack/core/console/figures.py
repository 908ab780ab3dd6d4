"""The platform's figures: which events each one counts, read from the audit entry the event
writes (every state change writes one, in its own transaction), so a counter moves exactly
when its event happens and the figures page reads the counters, never the events.

``verified`` is the exception: a verification changes nothing and writes no audit entry; the
issuer's view counts verifications of credstack's credentials (``services.activity``), and its
writer raises this figure by the same amount in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["FIGURES", "counted"]

#: The figures, in the order the page and the CSV show them.
FIGURES: Final = (
    "organisations",
    "programmes",
    "issued",
    "claimed",
    "shared",
    "verified",
    "recognitions",
    "creditbank",
)

_ONE: Final = {
    "organisation.created": "organisations",
    "credential.issued": "issued",
    "wallet.share.created": "shared",
    "oid4vci.credential.issued": "claimed",
    "recognition.granted": "recognitions",
    "creditbank.approved": "creditbank",
    "creditbank.refused": "creditbank",
}


def counted(action: str, details: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """The figures the audit entry ``action`` with ``details`` adds to, and by how much."""
    if action in _ONE:
        return ((_ONE[action], 1),)
    if action == "credentials.issued":
        issued = details.get("issued")
        return (("issued", issued),) if isinstance(issued, int) and issued > 0 else ()
    if action == "programme.published":
        return (("programmes", 1),)
    if action == "wallet.credential.imported":
        return (("claimed", 1),)
    return ()
