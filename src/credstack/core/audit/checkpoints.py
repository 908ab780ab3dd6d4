"""Checkpoints: the audit log's end, signed, kept outside the store.

The head row authenticates the end of the log, but it lives in the same store as the entries:
whoever deletes both audit tables, or puts back an older copy of the database, takes the head
with them, and the log that is left verifies as intact. A checkpoint is the log's end at one
moment — the last entry's ``seq`` and ``hash``, and when — signed with an Ed25519 key derived
from the master key, as a compact JWS (RFC 7515; ``alg: Ed25519``, the fully specified name
RFC 9864 gives EdDSA over Ed25519). The service
appends one to a file that lives apart from the store (another volume, a copy sent elsewhere,
or published: the public key is a ``did:key``). Verification compares the log with every
checkpoint it is given (:func:`compare`): a log that ends before a checkpoint's entry was
truncated or wiped, and one whose entry there has another hash was rewritten.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from credstack.core.audit.chain import AuditReport, Finding, FindingKind, format_time
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multikey import encode_public_key
from credstack.core.said import Said

__all__ = [
    "CHECKPOINT_KEY_LABEL",
    "Checkpoint",
    "ReadCheckpoints",
    "checkpoint_key",
    "compare",
    "key_id",
    "read_checkpoints",
    "sign_checkpoint",
]

#: The HKDF label of the Ed25519 seed checkpoints are signed with (``MasterKey.derive``).
CHECKPOINT_KEY_LABEL: Final = b"credstack audit log: checkpoints v1"
#: The JWS ``typ`` of a checkpoint.
MEDIA_TYPE: Final = "credstack-audit-checkpoint+jws"
_ALGORITHMS: Final = ["Ed25519"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The log's end when the checkpoint was made: its last entry, or seq 0 when empty."""

    seq: int
    hash: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReadCheckpoints:
    """The checkpoints that verified, and a finding for each line that did not."""

    checkpoints: tuple[Checkpoint, ...]
    findings: tuple[Finding, ...]


def checkpoint_key(seed: bytes) -> KeyPair:
    """The signing key of checkpoints from its 32-byte seed (derived from the master key)."""
    return KeyPair.from_secret_bytes(KeyType.ED25519, seed)


def key_id(public_key: PublicKey) -> str:
    """The key's ``did:key`` verification method: what a reader of published checkpoints
    verifies them with."""
    multikey = encode_public_key(public_key)
    return f"did:key:{multikey}#{multikey}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _jose_key(key: KeyPair | PublicKey) -> OKPKey:
    public = key.public_key if isinstance(key, KeyPair) else key
    jwk: dict[str, str | list[str]] = {**public.to_jwk()}
    if isinstance(key, KeyPair):
        jwk["d"] = _b64url(key.secret_bytes())
    return OKPKey.import_key(jwk)


def sign_checkpoint(key: KeyPair, checkpoint: Checkpoint) -> str:
    """``checkpoint`` as a compact JWS signed by ``key`` (one line of the checkpoint file)."""
    payload = json.dumps({"seq": checkpoint.seq, "hash": checkpoint.hash,
                          "at": format_time(checkpoint.at)}, separators=(",", ":"))
    header = {"alg": "Ed25519", "typ": MEDIA_TYPE, "kid": key_id(key.public_key)}
    return jws.serialize_compact(header, payload, _jose_key(key), algorithms=_ALGORITHMS)


def _invalid(line: int, where: str, why: str) -> Finding:
    return Finding(FindingKind.CHECKPOINT, 0, Said(
        "audit.finding.checkpoint_invalid", line=line, where=where,
        why=Said(f"audit.checkpoint.{why}")))


def _checkpoint(payload: bytes) -> Checkpoint:
    data = json.loads(payload)
    seq, hash_, at = data["seq"], data["hash"], data["at"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 \
            or not isinstance(hash_, str) or not isinstance(at, str):
        raise ValueError("seq, hash and at are not a checkpoint's")
    moment = dt.datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError("the time has no time zone")
    return Checkpoint(seq, hash_, moment)


def read_checkpoints(lines: Iterable[str], public_key: PublicKey, *,
                     where: str = "the checkpoint file") -> ReadCheckpoints:
    """The checkpoints among ``lines`` (compact JWS, blank lines skipped) whose signature
    ``public_key`` verifies; every other line is a :data:`FindingKind.CHECKPOINT` finding
    naming its number in ``where``."""
    key = _jose_key(public_key)
    found: list[Checkpoint] = []
    findings: list[Finding] = []
    for number, line in enumerate(lines, start=1):
        token = line.strip()
        if not token:
            continue
        try:
            compact = jws.deserialize_compact(token, key, algorithms=_ALGORITHMS)
        except JoseError as exc:
            if "signature" in str(exc).lower():
                findings.append(_invalid(number, where, "unverified"))
            else:
                findings.append(_invalid(number, where, "unsigned"))
            continue
        except ValueError:
            findings.append(_invalid(number, where, "unsigned"))
            continue
        if compact.headers().get("typ") != MEDIA_TYPE:
            findings.append(_invalid(number, where, "unsigned"))
            continue
        try:
            found.append(_checkpoint(compact.payload))
        except (ValueError, KeyError, TypeError):
            findings.append(_invalid(number, where, "unreadable"))
    return ReadCheckpoints(tuple(found), tuple(findings))


def compare(report: AuditReport, read: ReadCheckpoints) -> AuditReport:
    """``report`` (of a verification that watched the checkpoints' seqs) with findings for
    each checkpoint it contradicts, and for each line that was no valid checkpoint: entries
    removed from the end (the head with them), or rewritten up to a checkpoint."""
    findings = list(read.findings)
    last_seq = report.last_seq
    latest = max((c for c in read.checkpoints), key=lambda c: c.seq, default=None)
    if latest is not None and latest.seq > last_seq:
        findings.append(Finding(FindingKind.TRUNCATED, last_seq + 1, Said(
            "audit.finding.checkpoint_truncated", last=last_seq, when=format_time(latest.at),
            seen=latest.seq, first=last_seq + 1)))
    rewritten = {c.seq: c for c in read.checkpoints
                 if c.seq in report.watched and report.watched[c.seq] != c.hash}
    for seq, checkpoint in sorted(rewritten.items()):
        findings.append(Finding(FindingKind.HEAD_MISMATCH, seq, Said(
            "audit.finding.checkpoint_rewritten", seq=seq, when=format_time(checkpoint.at))))
    return replace(report, checkpoints=len(read.checkpoints),
                   findings=tuple(sorted((*report.findings, *findings),
                                         key=lambda finding: finding.seq)))
