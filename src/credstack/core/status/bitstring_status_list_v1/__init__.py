"""W3C Bitstring Status List v1.0.

*Bitstring Status List v1.0 — Privacy-preserving status information for Verifiable
Credentials*, W3C Recommendation, 15 May 2025.
https://www.w3.org/TR/2025/REC-vc-bitstring-status-list-20250515/

What this module holds, by section of the specification:

* §2.1 ``BitstringStatusListEntry`` — :class:`StatusEntry` (read with
  :meth:`StatusEntry.parse`, written with :func:`entry_for`) and :func:`status_entries`.
* §2.2 ``BitstringStatusListCredential`` — :func:`status_list_credential` builds the
  *unsigned* credential; :class:`StatusListCredential` is one as read.
* §3.2 Validate Algorithm — :func:`check_status`, giving a :class:`StatusResult`.
* §3.3 / §3.4 Bitstring Generation and Expansion — :class:`StatusList` (``encode`` /
  ``decode``), with :class:`StatusListBuilder` for bulk changes.
* §6.5 (random index assignment for group privacy) — :func:`next_free_indexes`.

Layout of a list (§2.2, §7.1): entry *i* occupies bits ``i * statusSize`` to
``(i + 1) * statusSize - 1``; bit 0 is the most significant bit of byte 0, and a multi-bit
status is read most significant bit first. ``encodedList`` is ``u`` (multibase base64url)
followed by the unpadded base64url of the GZIP-compressed bytes.

Everything here is pure: the proof on a status list credential, fetching it and the clock
belong to the callers, who pass ``now`` in. A malformed entry or list, or a status that cannot
be decided, raises :class:`~credstack.errors.StatusListError`, said as message keys with their
values (issue 53): its summary (``status.error.…``) ends with the error name the
specifications give (``MALFORMED_VALUE_ERROR``, ``STATUS_VERIFICATION_ERROR``,
``STATUS_LIST_LENGTH_ERROR``, ``RANGE_ERROR``, its ``error`` value) and each problem
(``status.problem.…``) names the offending field; :func:`said_of_error` says the whole as a
phrase a verification report words. A revoked or suspended credential is not an error but a
:class:`StatusResult`.
"""

from __future__ import annotations

from credstack.core.status.bitstring_status_list_v1.allocation import Allocation as Allocation
from credstack.core.status.bitstring_status_list_v1.allocation import (
    allocate_in_bitmap as allocate_in_bitmap,
)
from credstack.core.status.bitstring_status_list_v1.allocation import (
    next_free_indexes as next_free_indexes,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import _BASE64URL as _BASE64URL
from credstack.core.status.bitstring_status_list_v1.bitstring import _INDEX as _INDEX
from credstack.core.status.bitstring_status_list_v1.bitstring import ENTRY_TYPE as ENTRY_TYPE
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    LIST_CREDENTIAL_TYPE as LIST_CREDENTIAL_TYPE,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import LIST_TYPE as LIST_TYPE
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    MAX_DECOMPRESSED_BYTES as MAX_DECOMPRESSED_BYTES,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    MAX_GZIP_MEMBERS as MAX_GZIP_MEMBERS,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    MAX_STATUS_SIZE as MAX_STATUS_SIZE,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    MINIMUM_ENTRIES as MINIMUM_ENTRIES,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import PURPOSES as PURPOSES
from credstack.core.status.bitstring_status_list_v1.bitstring import VC_V2_CONTEXT as VC_V2_CONTEXT
from credstack.core.status.bitstring_status_list_v1.bitstring import StatusList as StatusList
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    StatusListBuilder as StatusListBuilder,
)
from credstack.core.status.bitstring_status_list_v1.bitstring import StatusPurpose as StatusPurpose
from credstack.core.status.bitstring_status_list_v1.bitstring import _read as _read
from credstack.core.status.bitstring_status_list_v1.bitstring import _types as _types
from credstack.core.status.bitstring_status_list_v1.bitstring import compress as compress
from credstack.core.status.bitstring_status_list_v1.bitstring import expand as expand
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    said_of_error as said_of_error,
)
from credstack.core.status.bitstring_status_list_v1.credentials import (
    StatusListCredential as StatusListCredential,
)
from credstack.core.status.bitstring_status_list_v1.credentials import StatusResult as StatusResult
from credstack.core.status.bitstring_status_list_v1.credentials import _timestamp as _timestamp
from credstack.core.status.bitstring_status_list_v1.credentials import check_status as check_status
from credstack.core.status.bitstring_status_list_v1.credentials import (
    status_list_credential as status_list_credential,
)
from credstack.core.status.bitstring_status_list_v1.entries import StatusEntry as StatusEntry
from credstack.core.status.bitstring_status_list_v1.entries import StatusMessage as StatusMessage
from credstack.core.status.bitstring_status_list_v1.entries import entry_for as entry_for
from credstack.core.status.bitstring_status_list_v1.entries import status_entries as status_entries
