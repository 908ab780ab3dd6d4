"""The audit log's checkpoints, in a file apart from the store.

:func:`write` appends the log's current end, signed (see
:mod:`credstack.core.audit.checkpoints`), to ``Settings.checkpoint_file``
(``CREDSTACK_AUDIT_CHECKPOINTS``; by default ``<data directory>-audit-checkpoints.jsonl``
beside the data directory, so that wiping the directory leaves it — better, put it on another
volume, or copy it elsewhere, for it to outlive the store). Every worker
writes one as it starts and every five minutes, ``credstack audit checkpoint`` one now; a
log whose end has not moved since the last checkpoint gets no new line. :func:`read` gives
them back, verified, to ``credstack audit verify``. Only the file is written: a checkpoint
changes nothing in the store, so it is not itself an audit entry.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from credstack.adapters.db.repositories import audit as repository
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Action, Actor
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
from credstack.errors import ConfigurationError, InputError
from credstack.services.runtime import Runtime

__all__ = ["Written", "public_key_id", "read", "signing_key", "write"]

#: How much of the file's end is read to find its last line (a line is about 400 bytes).
_TAIL = 8192


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
        raise ConfigurationError(
            "No checkpoint was written: the audit log's head does not verify. Run `credstack "
            "audit verify` to see what changed. / 監査ログのヘッドを検証できないため、"
            "チェックポイントを書き込みませんでした。`credstack audit verify` で確認して"
            "ください。")
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
        raise InputError(f"There is no checkpoint file {chosen}. / チェックポイントファイル "
                         f"{chosen} がありません。") from None
