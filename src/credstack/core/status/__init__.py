"""Credential status: W3C Bitstring Status List v1.0 (``bitstring_status_list_v1``), and its
predecessor Status List 2021 (``status_list_2021``, read only, into the same shapes).

Lists, their ``encodedList`` encoding, status entries, unsigned status list credentials,
the §3.2 status check and random index allocation — all pure; the adapters store, sign,
serve and fetch.
"""

from credstack.core.status.bitstring_status_list_v1 import (
    MAX_DECOMPRESSED_BYTES,
    MAX_STATUS_SIZE,
    MINIMUM_ENTRIES,
    PURPOSES,
    Allocation,
    StatusEntry,
    StatusList,
    StatusListBuilder,
    StatusListCredential,
    StatusMessage,
    StatusPurpose,
    StatusResult,
    allocate_in_bitmap,
    check_status,
    entry_for,
    next_free_indexes,
    status_entries,
    status_list_credential,
)

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "MAX_STATUS_SIZE",
    "MINIMUM_ENTRIES",
    "PURPOSES",
    "Allocation",
    "StatusEntry",
    "StatusList",
    "StatusListBuilder",
    "StatusListCredential",
    "StatusMessage",
    "StatusPurpose",
    "StatusResult",
    "allocate_in_bitmap",
    "check_status",
    "entry_for",
    "next_free_indexes",
    "status_entries",
    "status_list_credential",
]
