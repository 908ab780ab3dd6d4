"""The tamper-evident audit log's pure part: entries, the hash chain, its verification."""

from credstack.core.audit.chain import (
    EMPTY_HEAD,
    GENESIS,
    HEAD_KEY_LABEL,
    AuditEntry,
    AuditHead,
    AuditReport,
    Finding,
    FindingKind,
    entry_hash,
    format_time,
    head_mac,
    new_entry,
    sign_head,
    verify_chain,
)

__all__ = [
    "EMPTY_HEAD",
    "GENESIS",
    "HEAD_KEY_LABEL",
    "AuditEntry",
    "AuditHead",
    "AuditReport",
    "Finding",
    "FindingKind",
    "entry_hash",
    "format_time",
    "head_mac",
    "new_entry",
    "sign_head",
    "verify_chain",
]
