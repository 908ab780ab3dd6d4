"""The audit log: one entry per state change, written in the change's own transaction, and
the log's signed checkpoints.

* :func:`record` — an entry inside the caller's transaction (:func:`record_many`: several,
  the head taken once; :func:`lock_ahead`: the head's lock sent with the next answered
  statement); :func:`record_separately` — a refusal's entry, in a transaction of
  its own, before the refusal is raised;
* :func:`entries` — reading the log; :func:`verify_log` — its hash chain, against the
  checkpoints;
* :func:`head` — the log's stored head; :func:`read_checkpoints` — the checkpoint file;
  :func:`write_checkpoint` — append the log's signed end to it.

The other service packages use only these names; the rest of :mod:`.service` and
:mod:`.checkpoints` is for the entrypoints.
"""

from credstack.services.audit.checkpoints import read as read_checkpoints
from credstack.services.audit.checkpoints import write as write_checkpoint
from credstack.services.audit.service import (
    NewEntry,
    entries,
    head,
    lock_ahead,
    record,
    record_many,
    record_separately,
    verify_log,
)

__all__ = [
    "NewEntry",
    "entries",
    "head",
    "lock_ahead",
    "read_checkpoints",
    "record",
    "record_many",
    "record_separately",
    "verify_log",
    "write_checkpoint",
]
