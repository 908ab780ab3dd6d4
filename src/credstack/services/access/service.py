"""Refusals: a request that asked for what its caller may not do is recorded, then refused.

The decision itself is :func:`credstack.core.access.decide`'s; the web adapter's
:class:`~credstack.entrypoints.web.access.Access` asks it, and on a refusal calls
:func:`record_refusal` before raising, so the attempt stays in the audit log although the
request fails.
"""

from __future__ import annotations

from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime


def record_refusal(runtime: Runtime, *, actor: str, action: str, organisation: str | None,
                   reason: str, method: str, path: str, ip: str) -> int:
    """An ``access.denied`` entry for a refused request, committed at once in a transaction
    of its own (the request's own work is rolled back); its seq."""
    with runtime.transaction() as session:
        return audit.record(session, at=runtime.now(), actor=actor, action="access.denied",
                            subject=f"organisation:{organisation}" if organisation
                            else "platform",
                            details={"method": method, "path": path, "action": action,
                                     "organisation": organisation, "reason": reason, "ip": ip})
