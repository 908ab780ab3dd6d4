"""Status list entries in credentials (§2.1): reading and writing credentialStatus."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from credstack.core.said import Listed
from credstack.core.status.bitstring_status_list_v1.bitstring import (
    _HEX_STATUS,
    _INDEX,
    _MALFORMED,
    ENTRY_TYPE,
    PURPOSES,
    StatusPurpose,
    _check_status_size,
    _error,
    _is_int,
    _types,
)
from credstack.core.types import is_absolute_url
from credstack.errors import StatusListError


@dataclass(frozen=True, slots=True)
class StatusMessage:
    """One element of ``statusMessage``: a status value and its (developer-facing) message."""

    status: int
    message: str

    def to_json(self) -> dict[str, str]:
        return {"status": hex(self.status), "message": self.message}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A ``BitstringStatusListEntry``: where a credential's status sits, and what it means."""

    purpose: str
    index: int
    list_credential: str
    status_size: int = 1
    messages: tuple[StatusMessage, ...] = ()
    references: tuple[str, ...] = ()
    id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.purpose, str) or not self.purpose:
            raise _error(_MALFORMED, "credentialStatus.statusPurpose", "non_empty_string",
                         value=repr(self.purpose))
        if not _is_int(self.index) or self.index < 0:
            raise _error(_MALFORMED, "credentialStatus.statusListIndex", "not_negative",
                         value=repr(self.index))
        if not is_absolute_url(self.list_credential):
            raise _error(_MALFORMED, "credentialStatus.statusListCredential", "not_url",
                         value=repr(self.list_credential))
        _check_status_size(self.status_size, "credentialStatus.statusSize", _MALFORMED)
        self._check_messages()
        for reference in self.references:
            if not is_absolute_url(reference):
                raise _error(_MALFORMED, "credentialStatus.statusReference",
                             "reference_not_url", value=repr(reference))
        if self.id is not None:
            if not is_absolute_url(self.id):
                raise _error(_MALFORMED, "credentialStatus.id", "not_url", value=repr(self.id))
            if self.id == self.list_credential:
                raise _error(_MALFORMED, "credentialStatus.id", "id_is_list")

    def _check_messages(self) -> None:
        location = "credentialStatus.statusMessage"
        possible = 1 << self.status_size
        if not self.messages:
            if self.status_size > 1:
                raise _error(_MALFORMED, location, "messages_required",
                             size=str(self.status_size), count=str(possible))
            return
        if len(self.messages) != possible:
            raise _error(_MALFORMED, location, "messages_count", found=str(len(self.messages)),
                         size=str(self.status_size), count=str(possible))
        seen = sorted(message.status for message in self.messages)
        if seen != list(range(possible)):
            raise _error(_MALFORMED, location, "messages_each", last=hex(possible - 1))

    @classmethod
    def parse(cls, value: object, *, location: str = "credentialStatus") -> StatusEntry:
        """Read a ``credentialStatus`` object; ``statusListIndex`` may be a string or a number.

        Strings are what the specification requires and what credstack writes; numbers are
        accepted on read because published credentials (the 1EdTech fixtures) use them.
        """
        try:
            return cls._parse(value)
        except StatusListError as exc:
            raise relocated(exc, location) from None

    @classmethod
    def _parse(cls, value: object) -> StatusEntry:
        value = entry_object(value, ENTRY_TYPE,
                             ("statusPurpose", "statusListIndex", "statusListCredential"))
        purpose = value["statusPurpose"]
        if not isinstance(purpose, str) or not purpose:
            raise _error(_MALFORMED, "credentialStatus.statusPurpose", "non_empty_string",
                         value=repr(purpose))
        size = value.get("statusSize", 1)
        _check_status_size(size, "credentialStatus.statusSize", _MALFORMED)
        entry_id = value.get("id")
        if entry_id is not None and not isinstance(entry_id, str):
            raise _error(_MALFORMED, "credentialStatus.id", "not_url", value=repr(entry_id))
        return cls(
            purpose=purpose,
            index=parse_index(value["statusListIndex"]),
            list_credential=value["statusListCredential"],
            status_size=size,
            messages=_parse_messages(value.get("statusMessage")),
            references=_parse_references(value.get("statusReference")),
            id=entry_id,
        )

    def to_json(self) -> dict[str, Any]:
        """The ``credentialStatus`` object, with ``statusListIndex`` as a base-10 string."""
        document: dict[str, Any] = {}
        if self.id is not None:
            document["id"] = self.id
        document |= {
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_credential,
        }
        if self.status_size != 1:
            document["statusSize"] = self.status_size
        if self.messages:
            document["statusMessage"] = [message.to_json() for message in self.messages]
        if self.references:
            document["statusReference"] = (
                self.references[0] if len(self.references) == 1 else list(self.references)
            )
        return document

    def message_for(self, status: int) -> str:
        """The message for a status value: from ``statusMessage``, else ``unset`` / ``set``."""
        for message in self.messages:
            if message.status == status:
                return message.message
        return "unset" if status == 0 else "set"


def entry_object(value: object, entry_type: str, required: Sequence[str]
                 ) -> Mapping[str, Any]:
    """A ``credentialStatus`` object of ``entry_type`` with the ``required`` members;
    :class:`StatusListError` naming what is not."""
    if not isinstance(value, Mapping):
        raise _error(_MALFORMED, "credentialStatus", "not_object", found=type(value).__name__)
    if entry_type not in _types(value.get("type")):
        raise _error(_MALFORMED, "credentialStatus.type", "wrong_type", wanted=repr(entry_type),
                     found=repr(value.get("type")))
    for name in required:
        if name not in value:
            raise _error(_MALFORMED, f"credentialStatus.{name}", "required")
    return value


def relocated(error: StatusListError, location: str) -> StatusListError:
    """``error`` with its problems' ``credentialStatus`` named ``location`` (an entry of an
    array: ``credentialStatus[1]``)."""
    if location == "credentialStatus":
        return error
    problems = [dataclasses.replace(p, location=p.location.replace("credentialStatus", location,
                                                                    1))
                for p in error.problems]
    return StatusListError(code=error.code, params=error.params, problems=problems)


def parse_index(value: object) -> int:
    """A ``statusListIndex``: a base-10 string, or on read a JSON number (see
    :meth:`StatusEntry.parse`)."""
    location = "credentialStatus.statusListIndex"
    if isinstance(value, str):
        if not _INDEX.fullmatch(value):
            raise _error(_MALFORMED, location, "index_text", value=repr(value))
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise _error(_MALFORMED, location, "index_negative", value=str(value))
        return value
    raise _error(_MALFORMED, location, "index_other", value=repr(value))


def _parse_messages(value: object) -> tuple[StatusMessage, ...]:
    location = "credentialStatus.statusMessage"
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _error(_MALFORMED, location, "not_array", found=type(value).__name__)
    messages: list[StatusMessage] = []
    for position, item in enumerate(value):
        where = f"{location}[{position}]"
        if not isinstance(item, Mapping):
            raise _error(_MALFORMED, where, "message_not_object")
        status, message = item.get("status"), item.get("message")
        if not isinstance(status, str) or not _HEX_STATUS.fullmatch(status):
            raise _error(_MALFORMED, f"{where}.status", "message_status", value=repr(status))
        if not isinstance(message, str):
            raise _error(_MALFORMED, f"{where}.message", "not_string", value=repr(message))
        messages.append(StatusMessage(int(status, 16), message))
    return tuple(messages)


def _parse_references(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise _error(_MALFORMED, "credentialStatus.statusReference", "references",
                     value=repr(value))
    return tuple(items)


def status_entries(credential: Mapping[str, Any]) -> tuple[StatusEntry, ...]:
    """The ``BitstringStatusListEntry`` entries of a credential's ``credentialStatus``.

    Entries of other types are left out: the caller decides what an unknown status
    mechanism means for its verdict.
    """
    value = credential.get("credentialStatus")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    entries: list[StatusEntry] = []
    for position, item in enumerate(items):
        location = f"credentialStatus[{position}]" if isinstance(value, list) else (
            "credentialStatus")
        if isinstance(item, Mapping) and ENTRY_TYPE in _types(item.get("type")):
            entries.append(StatusEntry.parse(item, location=location))
    return tuple(entries)


def entry_for(
    index: int,
    *,
    list_url: str,
    purpose: StatusPurpose,
    status_size: int = 1,
    messages: Sequence[StatusMessage] = (),
    references: Sequence[str] = (),
) -> dict[str, Any]:
    """The ``credentialStatus`` object for an index in the list published at ``list_url``.

    Its ``id`` is ``<list_url>#<index>``, as in the specification's examples; the index is
    written as a string.
    """
    if purpose not in PURPOSES:
        raise _error(_MALFORMED, "credentialStatus.statusPurpose", "purposes_issued",
                     purposes=Listed(PURPOSES), value=repr(purpose))
    if not is_absolute_url(list_url) or "#" in list_url:
        raise _error(_MALFORMED, "credentialStatus.statusListCredential", "url_fragment",
                     value=repr(list_url))
    entry = StatusEntry(
        purpose=purpose,
        index=index,
        list_credential=list_url,
        status_size=status_size,
        messages=tuple(messages),
        references=tuple(references),
        id=f"{list_url}#{index}",
    )
    return entry.to_json()
