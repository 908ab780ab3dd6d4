"""Backing a store up, and restoring it into a fresh place.

A backup is one directory:

* ``store.sqlite3`` — a SQLite store, copied with SQLite's online backup API while the server
  goes on serving (:func:`credstack.adapters.db.backup.copy_sqlite`); or ``store.pgdump`` — a
  PostgreSQL store, as ``pg_dump --format=custom`` makes it (the command is run when
  ``pg_dump`` is on ``PATH``; otherwise the error says exactly what to run);
* ``secret.key`` — the key store's master key file, when the master key comes from a file
  (the data directory's, or ``CREDSTACK_SECRET_KEY_FILE``); a key given in
  ``CREDSTACK_SECRET_KEY`` is not copied, and the manifest says so: keep it with the backup
  some other way, for without it the issuer keys cannot be opened nor the audit log's head
  checked;
* ``audit-checkpoints.jsonl`` — the audit log's signed checkpoints, a new one written first,
  so that the copy's log is vouched for up to the moment of the backup;
* ``manifest.json`` — written last: what each file is, its size and SHA-256, the store's
  migration and the audit log's end at the moment of the backup;
* ``manifest.sig`` — the manifest's HMAC-SHA-256 under a key derived from the operator's
  backup key file (``CREDSTACK_BACKUP_KEY_FILE``, by default beside the data directory, made
  on the first backup). That file is never in a backup: whoever holds a backup (and so the
  master key) can change the store's copy and recompute every checksum, but cannot sign the
  manifest again.

Everyone who can read a backup holds the whole deployment (the master key with it): the
directory is made readable by its owner only.

:func:`restore` checks the manifest's signature with the operator's key, then every
checksum, before it writes anything, and refuses to overwrite a
store, a key file or a checkpoint file that is already there unless told to (``force``).
:func:`check` then verifies what was restored: the audit log's chain and head under the
restored key, compared with the restored checkpoints, and reaching at least the end the
manifest names.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

from credstack.adapters.db import backup as copying
from credstack.adapters.db.engine import make_engine, newest_revision, revision
from credstack.adapters.db.repositories import audit as audit_store
from credstack.adapters.keystore import KEY_FILE_NAME, backup_key
from credstack.core.access import Action, Actor
from credstack.core.audit import AuditReport
from credstack.core.said import Said, Words, said_of
from credstack.errors import ConfigurationError, ConflictError, InputError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = ["CHECKPOINTS", "FORMAT", "KEY", "MANIFEST", "SIGNATURE", "STORE_POSTGRES",
           "STORE_SQLITE",
           "Backup", "Check", "Manifest", "Progress", "backup", "check", "read_manifest",
           "restore"]

MANIFEST: Final = "manifest.json"
SIGNATURE: Final = "manifest.sig"
STORE_SQLITE: Final = "store.sqlite3"
STORE_POSTGRES: Final = "store.pgdump"
KEY: Final = "secret.key"
CHECKPOINTS: Final = "audit-checkpoints.jsonl"
#: The manifest's format; a backup of another format is refused rather than misread.
FORMAT: Final = 1
_CHUNK: Final = 1024 * 1024

#: Told what is being done (``store``, ``checksums``…), how much of it is done and of how much.
Progress = Callable[[str, int, int], None]


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup holds."""

    database: str
    revision: str | None
    created_at: str
    credstack_version: str
    #: File name → ``{"bytes": …, "sha256": …}``.
    files: dict[str, dict[str, Any]]
    #: ``file`` (``secret.key`` is in the backup) or ``environment`` (it is not).
    master_key: str
    #: The audit log's end when the backup was made: ``{"seq": …, "hash": …}``.
    audit: dict[str, Any]
    credentials: int
    format: int = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "credstack_version": self.credstack_version,
                "created_at": self.created_at, "database": self.database,
                "revision": self.revision, "master_key": self.master_key,
                "audit": self.audit, "credentials": self.credentials, "files": self.files}


@dataclass(frozen=True, slots=True)
class Backup:
    """A backup made: where, its manifest, the commands run, what to know."""

    directory: Path
    manifest: Manifest
    commands: list[str] = field(default_factory=list)
    warnings: list[Said] = field(default_factory=list)

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The backup as JSON, what to know in English and Japanese (``words``)."""
        return {"directory": str(self.directory), "manifest": self.manifest.to_dict(),
                "commands": self.commands,
                "warnings": [{"en": words(said, "en"), "ja": words(said, "ja")}
                             for said in self.warnings]}


def backup(runtime: Runtime, *, actor: Actor, destination: Path,
           progress: Progress = _quiet) -> Backup:
    """Back the runtime's store, master key file and audit checkpoints up into
    ``destination`` (a directory that does not exist yet, or is empty)."""
    actor.require(Action.AUDIT_READ)
    settings = runtime.settings
    command = (None if settings.is_sqlite
               else copying.dump_command(settings.database_url, destination / STORE_POSTGRES))
    if command is not None and not copying.available(command):
        raise ConfigurationError(code="backup.refused.no_pg_dump",
                                 params={"command": command.shown})
    signing_key = backup_key(_backup_key_file(settings), create=True)
    assert signing_key is not None  # made when missing
    _empty_directory(destination)
    warnings: list[Said] = []
    try:
        audit.write_checkpoint(runtime, actor=actor)
    except ConfigurationError as exc:
        warnings.append(Said("backup.warning.no_checkpoint", detail=said_of(exc)))
    with runtime.transaction() as session:
        head = audit_store.head(session)
        credentials = copying.credential_count(session)
    commands: list[str] = []
    if command is None:
        copying.copy_sqlite(Path(settings.store_location), destination / STORE_SQLITE,
                            progress=lambda done, total: progress("store", done, total))
    else:
        progress("store", 0, 1)
        copying.run(command)
        progress("store", 1, 1)
        commands.append(command.shown)
    key_file = _key_file(settings)
    if key_file is not None:
        _copy_private(key_file, destination / KEY)
    else:
        warnings.append(Said("backup.warning.key_in_environment"))
    if settings.checkpoint_file.exists():
        _copy_private(settings.checkpoint_file, destination / CHECKPOINTS)
    engine = make_engine(settings)
    try:
        at_revision = revision(engine)
    finally:
        engine.dispose()
    names = [path.name for path in sorted(destination.iterdir())]
    files = {}
    for number, name in enumerate(names):
        files[name] = _described(destination / name)
        progress("checksums", number + 1, len(names))
    manifest = Manifest(
        database="sqlite" if settings.is_sqlite else "postgresql", revision=at_revision,
        created_at=runtime.now().isoformat(), credstack_version=version("credstack"),
        files=files, master_key="file" if key_file is not None else "environment",
        audit={"seq": head.seq if head else 0, "hash": head.hash if head else None},
        credentials=credentials)
    _write_manifest(destination, manifest, signing_key)
    return Backup(destination, manifest, commands, warnings)


def read_manifest(source: Path) -> Manifest:
    """The manifest of the backup in ``source``
    (:class:`~credstack.errors.InputError` when there is none, or it cannot be read)."""
    path = source / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(
            database=data["database"], revision=data["revision"], created_at=data["created_at"],
            credstack_version=data["credstack_version"], files=dict(data["files"]),
            master_key=data["master_key"], audit=dict(data["audit"]),
            credentials=int(data["credentials"]), format=int(data["format"]))
    except FileNotFoundError:
        raise InputError(code="backup.refused.not_a_backup",
                         params={"source": str(source), "manifest": MANIFEST}) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(code="backup.refused.unreadable_manifest",
                         params={"source": str(source), "error": str(exc)}) from None
    if manifest.format != FORMAT:
        raise InputError(code="backup.refused.format",
                         params={"format": manifest.format, "readable": FORMAT})
    return manifest


@dataclass(frozen=True, slots=True)
class Restored:
    """What :func:`restore` wrote, and the commands it ran."""

    manifest: Manifest
    written: list[str]
    commands: list[str]


def restore(settings: Settings, *, source: Path, force: bool = False,
            progress: Progress = _quiet) -> Restored:
    """Restore the backup in ``source`` into the store, key file and checkpoint file of
    ``settings`` once every checksum holds; what is already there is overwritten only with
    ``force`` (:class:`~credstack.errors.ConflictError` otherwise)."""
    _check_signature(source, settings)
    manifest = read_manifest(source)
    _check_sums(source, manifest, progress)
    wanted = "sqlite" if settings.is_sqlite else "postgresql"
    if manifest.database != wanted:
        raise InputError(code="backup.refused.other_database",
                         params={"database": manifest.database, "wanted": wanted})
    key_target = settings.secret_key_file or settings.data_dir / KEY_FILE_NAME
    if KEY not in manifest.files and settings.secret_key is None and not key_target.is_file():
        # Opening the store would make a new key, which opens nothing the backup holds.
        raise ConfigurationError(code="backup.refused.no_master_key")
    plan: list[tuple[Path, Path]] = []
    if KEY in manifest.files and settings.secret_key is None:
        plan.append((source / KEY, key_target))
    if CHECKPOINTS in manifest.files:
        plan.append((source / CHECKPOINTS, settings.checkpoint_file))
    occupied = [str(target) for origin, target in plan
                if target.exists() and target.read_bytes() != origin.read_bytes()]
    commands: list[str] = []
    if settings.is_sqlite:
        store = Path(settings.store_location)
        if store.exists() and store.stat().st_size > 0:
            occupied.insert(0, str(store))
        _refuse_unless(force, occupied)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        for leftover in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            leftover.unlink(missing_ok=True)
        copying.copy_sqlite(source / STORE_SQLITE, store,
                            progress=lambda done, total: progress("store", done, total))
    else:
        engine = make_engine(settings)
        try:
            if not copying.is_empty(engine):
                occupied.insert(0, settings.store_location)
        finally:
            engine.dispose()
        _refuse_unless(force, occupied)
        command = copying.restore_command(settings.database_url, source / STORE_POSTGRES,
                                          clean=force)
        if not copying.available(command):
            raise ConfigurationError(code="backup.refused.no_pg_restore",
                                     params={"command": command.shown})
        progress("store", 0, 1)
        copying.run(command)
        progress("store", 1, 1)
        commands.append(command.shown)
    for origin, target in plan:
        _copy_private(origin, target)
    written = [settings.store_location, *(str(target) for _, target in plan)]
    return Restored(manifest, written, commands)


@dataclass(frozen=True, slots=True)
class Check:
    """What a restored store holds, and whether its audit log verifies."""

    report: AuditReport
    reaches_backup: bool
    credentials: int
    revision: str | None

    @property
    def ok(self) -> bool:
        return self.report.ok and self.reaches_backup

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The check as JSON, its findings in English and Japanese (``words``)."""
        return {"ok": self.ok, "audit": {
            "intact": self.report.ok, "entries": self.report.entries,
            "last_seq": self.report.last_seq, "checkpoints": self.report.checkpoints,
            "reaches_backup": self.reaches_backup,
            "findings": [{"kind": finding.kind.value, "seq": finding.seq,
                          "en": words(finding.said, "en"), "ja": words(finding.said, "ja")}
                         for finding in self.report.findings]},
            "credentials": self.credentials, "revision": self.revision,
            "newest_revision": newest_revision()}


def check(runtime: Runtime, *, actor: Actor, manifest: Manifest,
          progress: Progress = _quiet) -> Check:
    """Verify the restored store: its audit log against its checkpoints, reaching the end
    the backup's manifest names."""
    report = audit.verify_log(runtime, actor=actor,
                              progress=lambda done, total: progress("audit", done, total))
    seq = int(manifest.audit.get("seq") or 0)
    with runtime.transaction() as session:
        credentials = copying.credential_count(session)
        at_seq = audit.entries(session, after=seq - 1, limit=1) if seq else []
    reaches = seq == 0 or (bool(at_seq) and at_seq[0].seq == seq
                           and at_seq[0].hash == manifest.audit.get("hash"))
    engine = make_engine(runtime.settings)
    try:
        at_revision = revision(engine)
    finally:
        engine.dispose()
    return Check(report, reaches, credentials, at_revision)


def _empty_directory(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ConflictError(code="backup.refused.not_empty",
                            params={"destination": str(destination)},
                            problems=[Problem("destination", str(destination))])
    destination.mkdir(parents=True, exist_ok=True)
    destination.chmod(0o700)


def _backup_key_file(settings: Settings) -> Path:
    """The operator's key file backups are signed with: ``CREDSTACK_BACKUP_KEY_FILE``, else
    beside the data directory (never inside it, so never in a backup)."""
    if settings.backup_key_file is not None:
        return settings.backup_key_file
    return settings.data_dir.with_name(f"{settings.data_dir.name}-backup.key")


def _key_file(settings: Settings) -> Path | None:
    if settings.secret_key is not None:
        return None
    path = settings.secret_key_file or settings.data_dir / KEY_FILE_NAME
    return path if path.is_file() else None


def _copy_private(origin: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as written, origin.open("rb") as read:
        shutil.copyfileobj(read, written)


def _described(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _signature(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def _key_id(key: bytes) -> str:
    """Which key signed: a digest of the signing key, telling a wrong key from an altered
    manifest without revealing the key."""
    return hashlib.sha256(b"credstack backup key id\0" + key).hexdigest()[:16]


def _write_manifest(destination: Path, manifest: Manifest, key: bytes) -> None:
    data = (json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    signature = {"alg": "HMAC-SHA-256", "key": _key_id(key), "mac": _signature(key, data)}
    (destination / SIGNATURE).write_text(json.dumps(signature) + "\n", encoding="utf-8")
    temporary = destination / f".{MANIFEST}.partial"
    temporary.write_bytes(data)
    temporary.replace(destination / MANIFEST)


def _check_signature(source: Path, settings: Settings) -> None:
    """Refuse a backup whose manifest is not signed with the operator's backup key."""
    key = backup_key(_backup_key_file(settings), create=False)
    if key is None:
        raise ConfigurationError(code="backup.restore.no_key",
                                 params={"path": str(_backup_key_file(settings))})
    try:
        data = (source / MANIFEST).read_bytes()
        signature = json.loads((source / SIGNATURE).read_text(encoding="utf-8"))
        key_id, mac = str(signature["key"]), str(signature["mac"])
    except FileNotFoundError:
        raise InputError(code="backup.restore.unsigned", params={"source": str(source)}
                         ) from None
    except (ValueError, KeyError, TypeError):
        raise InputError(code="backup.restore.altered", params={"source": str(source)}
                         ) from None
    if key_id != _key_id(key):
        raise InputError(code="backup.restore.other_key",
                         params={"source": str(source), "path": str(_backup_key_file(settings))})
    if not hmac.compare_digest(mac, _signature(key, data)):
        raise InputError(code="backup.restore.altered", params={"source": str(source)})


def _check_sums(source: Path, manifest: Manifest, progress: Progress) -> None:
    problems = []
    names = sorted(manifest.files)
    for number, name in enumerate(names):
        path = source / name
        if Path(name).name != name:
            problems.append(Problem(name, "not a file name"))
        elif not path.is_file():
            problems.append(Problem(name, "missing"))
        elif _described(path) != manifest.files[name]:
            problems.append(Problem(name, "its size or SHA-256 is not the manifest's"))
        progress("checksums", number + 1, len(names))
    if problems:
        raise InputError(code="backup.refused.damaged", params={"source": str(source)},
                         problems=problems)


def _refuse_unless(force: bool, occupied: list[str]) -> None:
    if occupied and not force:
        raise ConflictError(
            code="backup.refused.occupied", params={"occupied": tuple(occupied)},
            problems=[Problem("target", where) for where in occupied])
