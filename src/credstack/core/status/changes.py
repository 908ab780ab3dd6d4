"""Changing an issued credential's status: revoke, suspend, reinstate.

What each change needs and does is a rule of the product, kept here apart from the store that
applies it: the state it needs, the state it leaves, and the bits it writes in the
credential's Bitstring Status Lists. Revocation is final; a suspension can be lifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from credstack.core.said import Said
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
#: What a change refused in a state says (``issuing.status.refused.<state>``), with the change
#: (``issuing.status.change.<change>``) and the credential's id.
_REFUSED: Final = "issuing.status.refused."


def transition(change: StatusChange | str, *, credential_id: str, state: str,
               purposes: frozenset[str]) -> Transition:
    """What ``change`` does to a credential in ``state`` whose status entries have
    ``purposes``; :class:`~credstack.errors.ConflictError` naming why when it cannot."""
    change = StatusChange(change)
    allowed, result = _RULES[change]
    said = Said(f"issuing.status.change.{change.value}")
    if state not in allowed:
        raise ConflictError(code=_REFUSED + state,
                            params={"change": said, "credential": credential_id})
    missing = [purpose for purpose, _ in result.bits if purpose not in purposes]
    if missing:
        raise ConflictError(code=_REFUSED + "no_entry",
                            params={"change": said, "credential": credential_id,
                                    "purpose": Said(f"issuing.status.purpose.{missing[0]}")})
    return result
