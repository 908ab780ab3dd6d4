"""PDF certificates on a runtime: the signed certificate of an issued credential, for someone
who may read that credential.

The PDF itself is made by :mod:`credstack.services.certificates.service`; an uploaded one is
verified against this deployment's authorities by
:func:`credstack.services.formats.verify_certificate`.
"""

from __future__ import annotations

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.core.access import Action, Actor
from credstack.services.certificates import service as pdf
from credstack.services.runtime import Runtime

__all__ = ["certificate_pdf"]


def certificate_pdf(runtime: Runtime, *, actor: Actor, credential_id: str,
                    language: str = "ja") -> pdf.CertificatePdf:
    """The signed PDF certificate of a credential credstack issued, for its issuer's staff or
    its learner; the organisation's authority is made on first use."""
    actor.user()
    settings = runtime.settings
    now = runtime.now()
    with runtime.transaction() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
        actor.require(Action.CREDENTIAL_READ, stored.organisation, owner=stored.learner)
        return pdf.certificate_pdf(session, credential_id=credential_id, language=language,
                                   secret=runtime.key(), public_url=settings.public_url,
                                   now=now, tsa_url=settings.tsa_url)
