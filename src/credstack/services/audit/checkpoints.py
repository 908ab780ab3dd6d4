"""The audit log's checkpoints, in a file apart from the store.

:func:`write` appends the log's current end, signed (see
:mod:`credstack.core.audit.checkpoints`), to ``Settings.checkpoint_file``
(``CREDSTACK_AUDIT_CHECKPOINTS``; by default ``<data directory>-audit-checkpoints.jsonl``
beside the data directory, so that wiping the directory leaves it — better, put it on another
volume, or copy it elsewhere, for it to outlive the store). Every worker
writes one as it starts and every five minutes, ``credstack audit checkpoint`` one now; a
log whose end has not moved since the last checkpoint gets no new line. Time alone let a log
grow by thousands of entries between two checkpoints, all of them lost unseen if it was wiped
meanwhile: so every runtime (:func:`attach`, by the composition root) also appends one as
each transaction commits whose entries reach a multiple of ``Settings.audit_checkpoint_every``
(``CREDSTACK_AUDIT_CHECKPOINT_EVERY``, 1,000 by default). :func:`read` gives them back,
verified, to ``credstack audit verify``. Only the file is written: a checkpoint changes
nothing in the store, so it is not itself an audit entry.
"""

from __future__ import annotations

import hmac
import logging
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from credstack.adapters.db import transactions
from credstack.adapters.db.repositories import audit as repository
from credstack.adapters.db.transactions import Session
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Action, Actor, Operator
from credstack.core.audit import HEAD_KEY_LABEL, head_mac
from credstack.core.audit.checkpoints import (
    CHECKPOINT_KEY_LABEL,
    Checkpoint,
    ReadCheckpoints,
    checkpoint_key,
    key_id,
    read_checkpoints,
    sign_checkpoint,
)
from credstack.core.crypto.keys import KeyPair
from credstack.errors import ConfigurationError, CredstackError, InputError
from credstack.services.runtime import Runtime

__all__ = ["APPENDED_INFO", "Written", "attach", "public_key_id", "read", "signing_key",
           "write"]

log = logging.getLogger("credstack.audit")

#: How much of the file's end is read to find its last line (a line is about 400 bytes).
_TAIL = 8192
#: Where a session (``Session.info``) keeps the first and last seq its transaction appended
#: (``services.audit.service.record`` notes them).
APPENDED_INFO: Final = "credstack.audit.appended"
#: Who writes the checkpoints that come with the entries (as ``cli:audit-checkpoint``).
_WRITER: Final = Operator("audit-checkpoint")


@dataclass(frozen=True, slots=True)
class Written:
    """A checkpoint and where it is; ``new`` is False when the file's last line was it."""

    checkpoint: Checkpoint
    file: Path
    new: bool


def signing_key(key: MasterKey) -> KeyPair:
    """The Ed25519 key checkpoints are signed with, derived from the master key (it is never
    stored)."""
    return checkpoint_key(key.derive(CHECKPOINT_KEY_LABEL))


def public_key_id(runtime: Runtime, *, actor: Actor) -> str:
    """The ``did:key`` that verifies this deployment's checkpoints (to publish beside them)."""
    actor.require(Action.AUDIT_READ)
    return key_id(signing_key(runtime.key()).public_key)


def _last_line(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - _TAIL))
            lines = [line for line in file.read().splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    return lines[-1].decode("utf-8", "replace") if lines else None


def write(runtime: Runtime, *, actor: Actor) -> Written:
    """Append the log's end, signed, to the checkpoint file (unless its last line is already
    that end). Refused (:class:`~credstack.errors.ConfigurationError`) when the stored head
    does not verify: a checkpoint must never vouch for a log that was tampered with."""
    actor.require(Action.AUDIT_READ)
    key = runtime.key()
    with runtime.transaction() as session:
        head = repository.head(session)
        empty = not repository.has_entries(session)
    if head is None or (head.mac is None and not empty) or (
            head.mac is not None and not hmac.compare_digest(
                head.mac, head_mac(key.derive(HEAD_KEY_LABEL), head.seq, head.hash))):
        raise ConfigurationError(code="audit.refused.head_unverified")
    path = runtime.settings.checkpoint_file
    signer = signing_key(key)
    last = _last_line(path)
    if last is not None:
        previous = read_checkpoints([last], signer.public_key, where=str(path)).checkpoints
        if previous and (previous[0].seq, previous[0].hash) == (head.seq, head.hash):
            return Written(previous[0], path, new=False)
    checkpoint = Checkpoint(head.seq, head.hash, runtime.now())
    line = sign_checkpoint(signer, checkpoint) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: lines from several processes never interleave; fsync: a checkpoint that was
    # reported written survives a crash.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return Written(checkpoint, path, new=True)


def read(runtime: Runtime, path: Path | None = None) -> ReadCheckpoints | None:
    """The checkpoints of ``path`` (by default the checkpoint file, when there is one),
    each line verified; ``None`` when the default file does not exist yet. A ``path`` given
    that does not exist is an :class:`~credstack.errors.InputError`."""
    chosen = path or runtime.settings.checkpoint_file
    public = signing_key(runtime.key()).public_key
    try:
        with chosen.open(encoding="utf-8", errors="replace") as file:
            return read_checkpoints(file, public, where=str(chosen))
    except FileNotFoundError:
        if path is None:
            return None
        raise InputError(code="audit.refused.no_checkpoint_file",
                         params={"path": str(chosen)}) from None


def attach(runtime: Runtime) -> None:
    """Append a checkpoint as each transaction of ``runtime``'s sessions commits whose audit
    entries reach a multiple of ``Settings.audit_checkpoint_every`` (however many entries past
    it); a transaction rolled back appends none. A checkpoint that cannot be written (the head
    does not verify, the file's volume is gone) is logged as an error: the change itself is
    committed already and stays.

    The listeners hold the runtime weakly: SQLAlchemy keeps a session factory's listeners in
    a table keyed weakly by the factory's session class, and a listener holding the runtime
    (which holds the factory, which holds the class) kept the class, the runtime, its engine
    and all they hold alive for the life of the process — every test server's, about
    7,000 objects a test, which every full garbage collection then walked."""
    every = runtime.settings.audit_checkpoint_every
    owner = weakref.ref(runtime)

    def committed(session: Session) -> None:
        appended: tuple[int, int] | None = session.info.pop(APPENDED_INFO, None)
        if appended is None:
            return
        first, last = appended
        served = owner()
        if served is None or last // every == (first - 1) // every:
            return
        try:
            write(served, actor=_WRITER)
        except (CredstackError, OSError) as error:
            log.error("no audit checkpoint written at entry %s: %s", last,
                      getattr(error, "message", error))

    def rolled_back(session: Session, *_: Any) -> None:
        session.info.pop(APPENDED_INFO, None)

    transactions.on_end(runtime.sessions, committed=committed, rolled_back=rolled_back)
