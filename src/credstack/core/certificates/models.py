"""What a PDF certificate says: the words and values, in one language, before any layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from credstack.core import vocabularies

__all__ = ["LANGUAGES", "PDF_CHECK_TITLES", "Captions", "CertificateContent", "Language",
           "SummaryRow"]

Language = Literal["ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms"]
#: The languages a certificate is written in: the eight of the public pages (its fixed words
#: are the ``certificate-phrase`` vocabulary's).
LANGUAGES: Final[tuple[Language, ...]] = ("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms")
#: Titles of the checks a PDF certificate adds to a verification report (English, Japanese),
#: as :data:`credstack.core.verification.CHECK_TITLES` names the credential's.
PDF_CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs(
    "pdf-check", "en", "ja")


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One descriptor as the certificate sums it up: its name and its value as text."""

    key: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Captions:
    """The fixed words around the values."""

    issued_on: str
    awarding_body: str
    credential_id: str
    programme_code: str
    grade: str
    outcomes: str
    summary: str
    #: How to check the certificate: scan the QR code or upload the PDF (names the URL).
    verify_hint: str
    #: Who signed the PDF, for the line under the issuer's name.
    signed_note: str


@dataclass(frozen=True, slots=True)
class CertificateContent:
    """Everything a certificate shows, in ``language``; the renderer only places it."""

    language: Language
    #: 修了証 / Certificate of Achievement.
    heading: str
    #: What kind of credential: マイクロクレデンシャル / Micro-credential, or a badge.
    kind: str
    #: Words before the learner's name (English: "This is to certify that"); may be empty.
    preamble: str
    #: The learner as the credential names them, with the honorific the language wants.
    learner: str
    statement: str
    programme_title: str
    programme_code: str | None
    awarding_body: str
    issued_on: str
    grade: str | None
    summary: tuple[SummaryRow, ...]
    outcomes: tuple[str, ...]
    credential_id: str
    #: The page that verifies the credential (the QR code's target).
    verify_url: str
    captions: Captions
    #: The PDF's title (document information dictionary).
    document_title: str
    is_micro_credential: bool
