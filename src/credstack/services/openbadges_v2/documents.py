"""This deployment's Open Badges 2.0 documents on a runtime, as the ``/ob2/…`` routes and
``credstack ob2 assertion`` serve them: each read in a transaction of its own (the signed
assertion may make the organisation's first OB 2.0 key, and commits it).

The documents themselves are built in :mod:`credstack.services.openbadges_v2.service`.
"""

from __future__ import annotations

from typing import Any

from credstack.services.openbadges_v2 import service
from credstack.services.openbadges_v2.keys import signing_cache
from credstack.services.openbadges_v2.service import HostedAssertion
from credstack.services.runtime import Runtime

__all__ = ["badge_class", "hosted_assertion", "issuer_profile", "key_document",
           "revocation_list", "signed_assertion"]


def issuer_profile(runtime: Runtime, *, organisation: str, language: str = "ja"
                   ) -> dict[str, Any]:
    """The issuer ``Profile``, with the deployment's contact e-mail (``Settings``)."""
    with runtime.transaction() as session:
        return service.issuer_profile(session, organisation=organisation,
                                      public_url=runtime.settings.public_url,
                                      contact_email=runtime.settings.ob2_contact_email,
                                      language=language)


def key_document(runtime: Runtime, *, organisation: str, fragment: str) -> dict[str, Any]:
    """One of the organisation's ``CryptographicKey`` documents (public half only)."""
    with runtime.transaction() as session:
        return service.key_document(session, organisation=organisation, fragment=fragment,
                                    public_url=runtime.settings.public_url)


def revocation_list(runtime: Runtime, *, organisation: str) -> dict[str, Any]:
    """The organisation's ``RevocationList``."""
    with runtime.transaction() as session:
        return service.revocation_list(session, organisation=organisation,
                                       public_url=runtime.settings.public_url)


def badge_class(runtime: Runtime, *, programme_id: int, version: int, language: str = "ja"
                ) -> dict[str, Any]:
    """A published programme version's ``BadgeClass``."""
    with runtime.transaction() as session:
        return service.badge_class(session, programme_id=programme_id, version=version,
                                   public_url=runtime.settings.public_url, language=language)


def hosted_assertion(runtime: Runtime, *, credential: str) -> HostedAssertion:
    """The hosted assertion of a credential credstack issued (``revoked`` once it is)."""
    with runtime.transaction() as session:
        return service.hosted_assertion(session, credential=credential,
                                        public_url=runtime.settings.public_url)


def signed_assertion(runtime: Runtime, *, credential: str) -> str:
    """The signed assertion (compact JWS) of a credential credstack issued, signed with the
    organisation's active OB 2.0 key (made now, in the deployment's algorithm, if none)."""
    now = runtime.now()
    with runtime.transaction() as session:
        return service.signed_assertion(
            session, cache=signing_cache(runtime), credential=credential,
            public_url=runtime.settings.public_url, secret=runtime.key(), now=now,
            algorithm=runtime.settings.ob2_algorithm)
