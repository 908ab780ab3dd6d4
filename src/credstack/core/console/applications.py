"""What an application to join the platform as a provider may carry: its documents' number,
size and kinds, read from their bytes (a name or a declared type is not trusted), PDFs
screened for active content."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from credstack.core.certificates.active_content import refuse_active_content
from credstack.errors import InputError, InputTooLargeError, Problem, UnsupportedMediaError

__all__ = [
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "ApplicationStatus",
    "Document",
    "screen_document",
]

#: At most this many documents with one application, each at most this large.
MAX_DOCUMENTS: Final = 3
MAX_DOCUMENT_BYTES: Final = 5 * 1024 * 1024
_KINDS: Final = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class ApplicationStatus(StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Document:
    """A document as it is kept: a clean file name, its media type (from its bytes), the
    bytes."""

    filename: str
    media_type: str
    content: bytes


def screen_document(raw: bytes, *, filename: str, where: str) -> Document:
    """``raw`` as a document an application may carry (a PDF, PNG or JPEG up to
    :data:`MAX_DOCUMENT_BYTES`), or the error naming ``where``."""
    if not raw:
        raise InputError(
            code="console.join.document_empty",
            problems=[Problem(where, code="console.join.file_empty")],
        )
    if len(raw) > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise InputTooLargeError(
            code="console.join.document_too_large",
            params={"limit": limit},
            problems=[Problem(where, code="console.join.file_too_large", params={"limit": limit})],
        )
    media_type = next((kind for magic, kind in _KINDS if raw.startswith(magic)), None)
    if media_type is None:
        raise UnsupportedMediaError(
            code="console.join.document_kind",
            problems=[Problem(where, code="console.join.file_kind")],
        )
    if media_type == "application/pdf":
        refuse_active_content(
            raw, max_objects=20_000, max_inflated_bytes=32 * 1024 * 1024, max_tokens=2_000_000
        )
    name = (
        "".join(
            ch
            for ch in filename.replace("\\", "/").rsplit("/", 1)[-1]
            if ch.isprintable() and ch not in '"<>|:*?'
        )[:200]
        or "document"
    )
    return Document(name, media_type, raw)
