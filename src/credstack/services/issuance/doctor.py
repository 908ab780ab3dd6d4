"""``credstack doctor``: every status list's bitmap of given-out indexes compared with the
credentials stored in it, and, on request, the bitmap rewritten from the credentials.

The check reads each list with the indexes of its credentials in one transaction under the
organisation's allocation lock, so an issuance in progress is never half seen. A repair
rewrites the bitmap and count of each list that disagrees (in that same transaction) and
records one audit entry per list, ``status_list.repaired``, with what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from credstack.adapters.db.repositories import status_lists
from credstack.core.access.actors import Actor
from credstack.core.access.policy import Action
from credstack.core.status.consistency import ListConsistency, bitmap_of, check_allocation
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["DoctorReport", "check_status_lists"]


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """What the check found: each list that disagreed (as found, before any repair)."""

    lists: int
    mismatches: tuple[ListConsistency, ...]
    #: Whether the mismatches that could be repaired were.
    repaired: bool

    @property
    def ok(self) -> bool:
        return not self.mismatches

    @property
    def unrepairable(self) -> tuple[ListConsistency, ...]:
        return tuple(found for found in self.mismatches if not found.repairable)


def check_status_lists(runtime: Runtime, *, actor: Actor, repair: bool = False
                       ) -> DoctorReport:
    """Compare every status list with its credentials (``credentials:status`` over every
    organisation, the operator's right); with ``repair``, rewrite each disagreeing bitmap
    from the credentials, audited."""
    principal = actor.require(Action.CREDENTIAL_STATUS)
    with runtime.sessions() as session:
        ids = [record.list_id for record in status_lists.allocation_records(session)]
    mismatches: list[ListConsistency] = []
    for list_id in ids:
        with runtime.transaction() as session:
            records = status_lists.allocation_records(session, list_id=list_id)
            if not records:
                continue
            status_lists.lock_allocation(session, organisation_id=records[0].organisation_id)
            record = status_lists.allocation_records(session, list_id=list_id)[0]
            held = status_lists.held_indexes(session, list_id=list_id)
            found = check_allocation(organisation=record.organisation, number=record.number,
                                     size=record.size, allocated=record.allocated,
                                     recorded_used=record.used, held=held)
            if found.ok:
                continue
            mismatches.append(found)
            if repair and found.repairable:
                status_lists.rewrite_allocation(
                    session, list_id=list_id, allocated=bitmap_of(record.size, set(held)),
                    used=found.held)
                audit.record(session, at=runtime.now(), actor=principal.subject,
                             action="status_list.repaired",
                             subject=f"status-list:{record.organisation}/{record.number}",
                             details={"organisation": record.organisation,
                                      "number": record.number, "marked": len(found.unmarked),
                                      "cleared": len(found.unheld),
                                      "used_before": record.used, "used_after": found.held})
    return DoctorReport(len(ids), tuple(mismatches), repair)
