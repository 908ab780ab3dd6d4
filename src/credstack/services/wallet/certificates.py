"""The signed PDF certificate of a credential in a learner's wallet that this platform issued.

A learner reads their credentials in the wallet, signed in through the web; the certificate
of one credstack issued is offered there, without an API client. Holding it in the wallet
under one of the learner's own identifiers (the recipient matched at import) is what entitles
them to it — the same credential the issuer's staff may download through
``GET /api/credentials/{id}/certificate.pdf``. Credentials issued elsewhere get none: their
issuer makes their certificates.
"""

from __future__ import annotations

from credstack.core.access import Action, Actor
from credstack.errors import NotFoundError
from credstack.services import certificates
from credstack.services.runtime import Runtime
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import issued_here

__all__ = ["certificate", "has_certificate"]


def has_certificate(runtime: Runtime, *, actor: Actor, public_id: str) -> bool:
    """Whether the caller's credential ``public_id`` was issued here to them, so that its
    PDF certificate can be made (revoked and suspended ones are refused when asked)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return issued_here(session, principal.user_id, public_id) is not None


def certificate(runtime: Runtime, *, actor: Actor, public_id: str,
                language: str = "ja") -> certificates.CertificatePdf:
    """The signed PDF certificate (in ``language``) of the caller's credential ``public_id``,
    issued on this platform; the organisation's authority is made on first use."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    settings = runtime.settings
    now = runtime.now()
    with runtime.transaction() as session:
        credential_id = issued_here(session, principal.user_id, public_id)
        if credential_id is None:
            raise NotFoundError(
                code="wallet.refused.no_certificate")
        return certificates.certificate_pdf_in_session(
            session, credential_id=credential_id, language=language, secret=runtime.key(),
            public_url=settings.public_url, now=now, tsa_url=settings.tsa_url)
