"""PDF certificates: made and signed (:mod:`.service`, :mod:`.signing`, :mod:`.page`,
:mod:`.fonts`; for someone who may read the credential, :mod:`.documents`), checked
(:mod:`.verification`: the signature, changes after signing, the timestamp, revocation, the
credential inside), and the organisations' certificate authorities that sign them
(:mod:`.authority`; on a runtime, audited, :mod:`.authorities`).

The other service packages use the names below: issuance and the wallet make certificates,
the workspace an organisation's authority, the any-format verifier and the employer's
comparison check PDFs (with the credential's verifier they are given), the programme editor
renders a page, the EDC export seals with an organisation's signing identity, the
registrar signs its documents' pages (its
signing processes forked with the fonts read).
"""

from credstack.services.certificates.authorities import create_authority, describe_authority
from credstack.services.certificates.authority import (
    DEFAULT_YEARS,
    AuthorityInfo,
    StoreAuthorities,
    signing_identity,
)
from credstack.services.certificates.documents import certificate_pdf
from credstack.services.certificates.fonts import fonts
from credstack.services.certificates.page import render_page
from credstack.services.certificates.service import (
    CertificatePdf,
    CertificateSigner,
    attachment_for,
    sign_pdf,
)
from credstack.services.certificates.service import certificate_pdf as certificate_pdf_in_session
from credstack.services.certificates.verification import (
    MAX_PDF_BYTES,
    PdfVerification,
    tsa_roots,
    verify_pdf,
)
from credstack.services.certificates.verification.credential import embedded_credential

__all__ = [
    "DEFAULT_YEARS",
    "MAX_PDF_BYTES",
    "AuthorityInfo",
    "CertificatePdf",
    "CertificateSigner",
    "PdfVerification",
    "StoreAuthorities",
    "attachment_for",
    "certificate_pdf",
    "certificate_pdf_in_session",
    "create_authority",
    "describe_authority",
    "embedded_credential",
    "fonts",
    "render_page",
    "sign_pdf",
    "signing_identity",
    "tsa_roots",
    "verify_pdf",
]
