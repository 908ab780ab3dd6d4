"""PDF certificates: what one says (pure), and the low layers a signed PDF is built from.

* :mod:`.models`, :mod:`.service` — :func:`certificate_content` reads an issued credential
  into the words and values of its certificate, in Japanese or English.
* :mod:`.cff` — a CID-keyed CFF font program from charstrings (the embedded font subset).
* :mod:`.cms` — the CMS ``SignedData`` of a PAdES baseline B-B or B-T signature, from a
  template.
* :mod:`.revocation` — whether a signature survives its certificate's revocation.
* :mod:`.active_content` — whether a PDF would act by itself when opened (JavaScript,
  automatic actions), for uploads screened before they are kept.

Rendering, signing and verifying PDFs are adapters: :mod:`credstack.services.certificates.service`,
:mod:`credstack.services.certificates.verification`,
:mod:`credstack.services.certificates.authority`.
"""

from credstack.core.certificates.content import (
    SUMMARY,
    certificate_content,
    language_of,
    learner_name,
    read_credential,
    summary_rows,
    verification_url,
)
from credstack.core.certificates.models import (
    LANGUAGES,
    PDF_CHECK_TITLES,
    Captions,
    CertificateContent,
    Language,
    SummaryRow,
)

__all__ = [
    "LANGUAGES",
    "PDF_CHECK_TITLES",
    "SUMMARY",
    "Captions",
    "CertificateContent",
    "Language",
    "SummaryRow",
    "certificate_content",
    "language_of",
    "learner_name",
    "read_credential",
    "summary_rows",
    "verification_url",
]
