"""Whose account an administrator may look after (reset its password, for instance).

A provider admin looks after the people of their organisation, but a person who also
belongs elsewhere, holds a platform role, or belongs nowhere is the registry admins' to look
after: otherwise one organisation's admin could take over another's member.
"""

from __future__ import annotations

from collections.abc import Iterable

from credstack.core.access.policy import PLATFORM, Membership


def managing_organisations(memberships: Iterable[Membership]) -> tuple[str | None, ...]:
    """The organisations whose ``accounts.manage`` must all allow an administrator to look
    after a user with ``memberships``, sorted; ``None`` stands for the platform (only a
    registry admin has it), which a user with a platform role or no role at all needs."""
    organisations = {m.organisation for m in memberships}
    if not organisations or PLATFORM in organisations:
        return (None,)
    return tuple(sorted(organisations))
