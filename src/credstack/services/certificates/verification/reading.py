"""Reading an uploaded PDF within limits: what the checks share, the authorities seam and the
result."""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.reader import PdfFileReader

from credstack.core.certificates import PDF_CHECK_TITLES
from credstack.core.said import Said
from credstack.core.verification import (
    Check,
    CheckKind,
    VerificationReport,
)
from credstack.errors import (
    CredstackError,
    InputTooLargeError,
    UnreadableInputError,
)
from credstack.services.certificates import authority as pki
from credstack.words import words

#: The largest PDF read at all.
MAX_PDF_BYTES: Final = 20 * 1024 * 1024


#: At most this many objects (the trailer's ``/Size``), revisions, pages and signatures.
MAX_OBJECTS: Final = 20_000


MAX_REVISIONS: Final = 32


MAX_PAGES: Final = 200


MAX_SIGNATURES: Final = 16


#: At most this many CRLs in the document security store are read.
MAX_CRLS: Final = 16


#: The digests a timestamp's message imprint may be made with.
_IMPRINT_DIGESTS: Final = ("sha256", "sha384", "sha512")


#: The names credstack gives the credential a certificate carries.
CREDENTIAL_FILES: Final = ("credential.json", "credential.jwt")


#: Titles of the PDF checks, in English and Japanese (as ``CHECK_TITLES`` of the pipeline).
CHECK_TITLES: Final = PDF_CHECK_TITLES


_MAX_NAME_TREE_NODES: Final = 256


#: What pyHanko, asn1crypto and zlib raise on damaged input: the PDF cannot be read.
_DAMAGED: Final = (misc.PdfError, KeyError, TypeError, ValueError, AttributeError,
                   IndexError, RecursionError, AssertionError, zlib.error)


# pyHanko logs the reasons of a failed difference analysis (with a traceback) before it
# reports them; credstack reports them itself, in the check. Without a handler of its own,
# Python's last-resort handler would print them on every command line.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())


class Authorities(Protocol):
    """Finds the authority of a signer's certificate (by key id), organisations' DIDs, and
    the revocation status of the signing certificates the store issued (by SHA-256)."""

    def __call__(self, key_id: str) -> pki.FoundAuthority | None: ...

    def organisation_did(self, organisation: str) -> str: ...

    def revocation(self, fingerprint: str) -> pki.CertificateStatus | None: ...


@dataclass(frozen=True, slots=True)
class PdfVerification:
    """The report, and what the PDF carried: the credential's text and the signer."""

    report: VerificationReport
    #: The embedded credential exactly as carried (JSON text or a VC-JWT), if any.
    credential: str | None = None
    signer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        """The report as the VC-API verify result, with ``pdf``: who signed, what it holds."""
        result = self.report.to_dict()
        for item in (*result["checks"], *result["errors"]):
            titles = CHECK_TITLES.get(item["check"])
            if titles is not None:
                item["title"] = ({"en": titles[0], "ja": titles[1]}
                                 if isinstance(item["title"], dict) else titles[0])
        result["pdf"] = {"signer": dict(self.signer),
                         "credential_embedded": self.credential is not None}
        return result


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (``%PDF-`` within its first kilobyte)."""
    return data.find(b"%PDF-", 0, 1024) >= 0


def _said(name: str, ok: bool | None, said: Said, *, code: str | None = None,
          details: Mapping[str, Any] | None = None,
          kind: CheckKind = CheckKind.VERDICT) -> Check:
    """A check that says ``said`` (a message key and its parameters), worded in English and
    Japanese for the report's JSON; the pages word it in the reader's language."""
    return Check(name, ok, words(said, "en"), words(said, "ja"), dict(details or {}), code,
                 kind, said=said)


def _read(data: bytes) -> PdfFileReader:
    if len(data) > MAX_PDF_BYTES:
        raise InputTooLargeError(
            f"The PDF is {len(data):,} bytes; credstack reads PDFs of at most "
            f"{MAX_PDF_BYTES:,} bytes.")
    if not is_pdf(data):
        raise UnreadableInputError("The file is not a PDF (it does not start with %PDF-).")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise UnreadableInputError("The PDF is encrypted; credstack verifies PDF "
                                       "certificates, which are not.")
        limits = (("revisions", reader.total_revisions, MAX_REVISIONS),
                  ("objects", int(reader.trailer_view.get("/Size", 0)), MAX_OBJECTS),
                  ("pages", int(reader.root["/Pages"].get("/Count", 0)), MAX_PAGES))
    except CredstackError:
        raise
    except _DAMAGED as exc:
        raise UnreadableInputError(f"The PDF cannot be read: {exc}") from None
    for what, count, limit in limits:
        if count > limit:
            raise InputTooLargeError(f"The PDF has {count:,} {what}; credstack reads PDFs of "
                                     f"at most {limit:,} {what}.")
    return reader
