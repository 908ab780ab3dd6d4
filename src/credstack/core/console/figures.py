"""The platform's figures: which events each one counts, read from the audit entry the event
writes (every state change writes one, in its own transaction), so a counter moves exactly
when its event happens and the figures page reads the counters, never the events.

Two figures are raised where their rows are written instead. ``issued``: every credential
credstack signs is stored by one repository function, whichever use case signs it (a
programme's credential, a cohort, a recognition's endorsement, a credit decision), and that
function raises the figure as it raises the issuer's own tally — no audit action can be
forgotten. ``verified``: a verification changes nothing and writes no audit entry; the
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
    "wallet.share.created": "shared",
    "oid4vci.credential.issued": "claimed",
    "recognition.granted": "recognitions",
    "creditbank.approved": "creditbank",
    "creditbank.refused": "creditbank",
}


#: The audit actions of a programme's version written (``details["status"]`` says whether it
#: is published).
_PROGRAMME_WRITES: Final = frozenset({"programme.created", "programme.updated",
                                      "programme.published"})
#: The one change of an import that publishes nothing (an import publishes every version it
#: writes: a new programme's, a new version, a draft it publishes or replaces).
_UNCHANGED: Final = "unchanged"


def _imported(details: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """An import's organisations created and versions published (its counts)."""
    amounts: list[tuple[str, int]] = []
    organisations = details.get("organisations_created")
    if isinstance(organisations, int) and organisations > 0:
        amounts.append(("organisations", organisations))
    changes = details.get("programmes")
    if isinstance(changes, Mapping):
        published = sum(n for change, n in changes.items()
                        if change != _UNCHANGED and isinstance(n, int))
        if published > 0:
            amounts.append(("programmes", published))
    return tuple(amounts)


def counted(action: str, details: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """The figures the audit entry ``action`` with ``details`` adds to, and by how much."""
    if action in _ONE:
        return ((_ONE[action], 1),)
    if action in _PROGRAMME_WRITES:
        # A version made public, whether it was written published or a draft published later.
        return (("programmes", 1),) if details.get("status") == "published" else ()
    if action == "programmes.imported":
        return _imported(details)
    if action == "wallet.credential.imported":
        return (("claimed", 1),)
    return ()
