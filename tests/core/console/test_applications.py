"""An application's documents: kinds read from the bytes, a size limit, PDFs screened."""

from __future__ import annotations

import pytest

from credstack.core.console.applications import MAX_DOCUMENT_BYTES, screen_document
from credstack.errors import (
    HostileUploadError,
    InputError,
    InputTooLargeError,
    UnsupportedMediaError,
)

_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def test_a_pdf_is_kept_with_its_type_from_its_bytes_and_a_clean_name() -> None:
    """The declared name loses its folders and characters a header could misread."""
    kept = screen_document(_PDF, filename='C:\\docs\\登記"事項".pdf', where="documents")
    assert kept.media_type == "application/pdf"
    assert kept.filename == "登記事項.pdf"


def test_a_pdf_that_runs_javascript_is_refused() -> None:
    """Active content is refused, as for certificates."""
    hostile = _PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    with pytest.raises(HostileUploadError):
        screen_document(hostile, filename="a.pdf", where="documents")


def test_other_kinds_empty_and_large_files_are_refused() -> None:
    """A text file named .pdf, an empty file, a file one byte over the limit."""
    with pytest.raises(UnsupportedMediaError):
        screen_document(b"hello", filename="a.pdf", where="documents")
    with pytest.raises(InputError, match="empty"):
        screen_document(b"", filename="a.pdf", where="documents")
    with pytest.raises(InputTooLargeError):
        screen_document(b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, filename="a.pdf", where="documents")
