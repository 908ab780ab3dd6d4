"""Refusals in the audit log: each one written, until an address has spent its per-minute
budget for that kind of refusal; past it, counted into one summary entry a minute.

* :func:`audit_refused` — a refusal's entry inside the caller's transaction;
* :func:`audit_refused_separately` — in a transaction of its own, before the refusal is raised.

The other service packages use only these names; the budget itself (:mod:`.service`) is for
the entrypoints.
"""

from credstack.services.access.service import audit_refused, audit_refused_separately

__all__ = ["audit_refused", "audit_refused_separately"]
