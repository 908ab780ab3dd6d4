"""PDF certificates verified as this deployment verifies them: under its organisations'
certificate authorities, and the credential inside with its verification sources.

:func:`~credstack.services.certificates.verification.verify_pdf` checks the PDF and is given
the credential's verifier; it stands here, above both the certificates and the credentials'
verifier, so that issuing a certificate (below the verifier, which reads issuance's status
lists) does not import verifying one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from credstack.adapters.db.transactions import Session
from credstack.services import certificates
from credstack.services import verification as verifier
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = ["verify_certificate", "verify_pdf_with_store"]


def verify_pdf_with_store(data: bytes, *, settings: Settings,
                          sessions: Callable[[], Session],
                          now: dt.datetime) -> certificates.PdfVerification:
    """:func:`~credstack.services.certificates.verify_pdf` with this deployment's authorities
    and verification sources."""
    sources = verifier.VerificationSources.from_settings(settings, sessions)
    return certificates.verify_pdf(
        data, authorities=certificates.StoreAuthorities(sessions, public_url=settings.public_url),
        verify_credential=lambda text: verifier.verify(text, now=now, sources=sources),
        now=now, tsa_roots=certificates.tsa_roots(settings.tsa_trust))


def verify_certificate(runtime: Runtime, *, data: bytes) -> certificates.PdfVerification:
    """Verify a PDF certificate: its signature under one of this deployment's organisations'
    authorities, unchanged since signing, then the credential it carries."""
    return verify_pdf_with_store(data, settings=runtime.settings, sessions=runtime.sessions,
                                 now=runtime.now())
