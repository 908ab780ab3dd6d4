"""Changing an issued credential's status: revoke, suspend, reinstate.

What each change needs and does is a rule of the product, kept here apart from the store that
applies it: the state it needs, the state it leaves, and the bits it writes in the
credential's Bitstring Status Lists. Revocation is final; a suspension can be lifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from credstack.errors import ConflictError


class StatusChange(StrEnum):
    """What an issuer does to a credential's status."""

    REVOKE = "revoke"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"


@dataclass(frozen=True, slots=True)
class Transition:
    """The state a change leaves and the status list bits it writes (purpose, value)."""

    state: str
    bits: tuple[tuple[str, int], ...]


#: For each change: the states it may start from, and what it does.
_RULES: dict[StatusChange, tuple[frozenset[str], Transition]] = {
    StatusChange.REVOKE: (frozenset({"active", "suspended"}),
                          Transition("revoked", (("revocation", 1),))),
    StatusChange.SUSPEND: (frozenset({"active"}), Transition("suspended", (("suspension", 1),))),
    StatusChange.REINSTATE: (frozenset({"suspended"}), Transition("active", (("suspension", 0),))),
}
_WHY_NOT = {
    "revoked": "it is revoked, and revocation is final",
    "active": "it is not suspended",
    "suspended": "it is already suspended",
}


def transition(change: StatusChange | str, *, credential_id: str, state: str,
               purposes: frozenset[str]) -> Transition:
    """What ``change`` does to a credential in ``state`` whose status entries have
    ``purposes``; :class:`~credstack.errors.ConflictError` naming why when it cannot."""
    change = StatusChange(change)
    allowed, result = _RULES[change]
    if state not in allowed:
        raise ConflictError(f"Cannot {change.value} {credential_id}: {_WHY_NOT[state]}.")
    missing = [purpose for purpose, _ in result.bits if purpose not in purposes]
    if missing:
        raise ConflictError(f"Cannot {change.value} {credential_id}: it was issued without a "
                            f"{missing[0]} status entry.")
    return result
