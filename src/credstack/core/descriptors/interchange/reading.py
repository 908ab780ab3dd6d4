"""Reading a whole file into documents, all or nothing (one decoded document into its model
is :mod:`.records`)."""

from __future__ import annotations

from credstack.core.bulk import collector_paused
from credstack.core.descriptors.interchange.columns import _csv_records
from credstack.core.descriptors.interchange.documents import Documents, Format, _Record
from credstack.core.descriptors.interchange.problems import refused
from credstack.core.descriptors.interchange.records import _parse_records
from credstack.core.descriptors.interchange.trees import _tree_records
from credstack.errors import InputTooLargeError, UnreadableInputError

#: The largest document credstack reads in one go. A file of 100,000 typical programmes is
#: about 275 MB of JSON; reading holds the decoded file and its models in memory at once
#: (about 4 GB at that size), so this is also a memory bound.
MAX_INPUT_BYTES = 512 * 1024 * 1024


@collector_paused
def read_documents(text: str | bytes, fmt: Format, *, source: str = "input") -> Documents:
    """Parse a whole file; raise with every problem found, or return every document."""
    size = len(text)
    if isinstance(text, str) and size * 4 > MAX_INPUT_BYTES:
        # Characters are up to four bytes in UTF-8; count the bytes only when it matters.
        size = len(text.encode("utf-8"))
    if size > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"{source} is {size:,} bytes; at most {MAX_INPUT_BYTES:,} can be read at once."
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise refused(UnreadableInputError, "not_utf8", where=source, source=source,
                          byte=exc.start) from None
    if fmt is Format.CSV:
        organisations: list[_Record] = []
        programmes = _csv_records(text, source)
    else:
        organisations, programmes = _tree_records(text, fmt, source)
    return _parse_records(organisations, programmes, source)
