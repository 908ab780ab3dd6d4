"""An organisation's certificate authority for PDF certificates, on a runtime: made,
described, its document-signing certificate revoked (each change audited once), its CRL.

The API (``/api/organisations/{slug}/certificate-authority…``, ``/organisations/{slug}/ca/…``)
and the console (``credstack certificate ca create|show|revoke``) call these; the X.509 work
is :mod:`credstack.services.certificates.authority`.
"""

from __future__ import annotations

import datetime as dt

from credstack.core.access import Action, Actor
from credstack.services import audit
from credstack.services.certificates import authority as pki
from credstack.services.runtime import Runtime

__all__ = ["create_authority", "describe_authority", "revocation_list", "revoke_signing"]


def describe_authority(runtime: Runtime, *, organisation: str) -> pki.AuthorityInfo:
    """The organisation's CA certificate and the document-signing certificate it issued."""
    with runtime.transaction() as session:
        return pki.authority_info(session, organisation=organisation,
                                  public_url=runtime.settings.public_url)


def create_authority(runtime: Runtime, *, actor: Actor, organisation: str,
                     years: int = pki.DEFAULT_YEARS,
                     external: pki.ExternalAuthority | None = None,
                     replace: bool = False, replacing: str | None = None
                     ) -> pki.AuthorityInfo:
    """Give the organisation an authority and a document-signing certificate (credstack's
    own root, or ``external``'s); with ``replace`` the current ones are retired. Audited as
    ``certificate-authority.created``. With ``replacing`` (the serial number, in hex, of the
    authority the caller saw), an authority that has been replaced since is not replaced
    again: the current one is returned, so that a form sent twice renews once."""
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE, organisation)
        if replace and replacing is not None:
            current = pki.authority_info(session, organisation=organisation,
                                         public_url=runtime.settings.public_url)
            if format(current.authority.serial_number, "x") != replacing.lower():
                return current
        info = pki.create_authority(session, organisation=organisation, secret=runtime.key(),
                                    now=now, public_url=runtime.settings.public_url,
                                    years=years, external=external, replace=replace)
        audit.record(session, at=now, actor=principal.subject,
                     action="certificate-authority.created",
                     subject=f"organisation:{organisation}",
                     details={"external": external is not None, "replace": replace,
                              "years": years})
        return info


def revoke_signing(runtime: Runtime, *, actor: Actor, organisation: str,
                   reason: pki.RevocationReason = pki.RevocationReason.UNSPECIFIED,
                   serial_number: str | None = None,
                   revoked_at: dt.datetime | None = None) -> pki.Revocation:
    """Revoke a document-signing certificate (the active one unless ``serial_number``): it is
    retired, and its authority's CRL lists it from now on. Audited as
    ``certificate.revoked``."""
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE, organisation)
        revoked = pki.revoke_signing(session, organisation=organisation, secret=runtime.key(),
                                     now=now, public_url=runtime.settings.public_url,
                                     reason=reason, serial_number=serial_number,
                                     revoked_at=revoked_at)
        audit.record(session, at=now, actor=principal.subject, action="certificate.revoked",
                     subject=f"{organisation}:{revoked.serial_number}",
                     details={"organisation": organisation, "reason": revoked.reason.value})
        return revoked


def revocation_list(runtime: Runtime, *, organisation: str, key_id: str) -> bytes:
    """The authority's current CRL (DER), signed again when it changed or grew stale."""
    now = runtime.now()
    with runtime.transaction() as session:
        return pki.current_crl(session, organisation=organisation, key_id=key_id,
                               secret=runtime.key(), now=now)
