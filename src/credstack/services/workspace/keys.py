"""An organisation's issuer keys and certificate authority, as its administrator manages them
in the workspace (``keys.manage`` on the organisation).

The work is :mod:`credstack.services.issuance.keys` and
:mod:`credstack.services.certificates.authorities` (which open the transactions and audit);
what is added here is that a form sent twice changes things once: creating a key or an
authority that exists already returns it, and rotating or renewing names the key or
authority the administrator saw, so a second submission finds it replaced and leaves the
successor alone. Private keys never leave the key store: only public halves, DIDs and
certificates come back.
"""

from __future__ import annotations

from credstack.core.access import Action, Actor
from credstack.core.crypto.keys import KeyType
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import certificates, issuance, organisations
from credstack.services.runtime import Runtime

__all__ = ["ISSUING_KEY_TYPES", "authority", "create_authority", "create_key", "issuer",
           "renew_authority", "rotate_key"]

#: The key types an organisation issues with, in the order the page offers them.
ISSUING_KEY_TYPES = (KeyType.ED25519, KeyType.P256)
#: How long a new authority's certificates last, in years, as the form allows.
YEARS = range(1, 11)


def _key_type(value: str) -> KeyType:
    try:
        key_type = KeyType(value)
    except ValueError:
        key_type = None
    if key_type not in ISSUING_KEY_TYPES:
        raise InputError(code="workspace.refused.key_type", params={"value": value},
                         problems=[Problem("type", "Ed25519 or P-256")])
    assert key_type is not None
    return key_type


def issuer(runtime: Runtime, *, actor: Actor, organisation: str) -> issuance.IssuerPublic:
    """The organisation's did:web, its DID document's address and every key (public
    halves, with their did:key and verification methods)."""
    actor.require(Action.KEYS_MANAGE, organisation)
    organisations.get_organisation(runtime, slug=organisation)
    return issuance.issuer(runtime, organisation=organisation)


def create_key(runtime: Runtime, *, actor: Actor, organisation: str, key_type: str
               ) -> issuance.IssuerKeyPublic:
    """The organisation's first key of ``key_type``; when it has one already (a form sent
    twice), that one."""
    the_type = _key_type(key_type)
    actor.require(Action.KEYS_MANAGE, organisation)
    for item in issuance.issuer_keys(runtime, organisation=organisation):
        if item.active and item.type is the_type:
            return item
    return issuance.create_key(runtime, actor=actor, organisation=organisation, key_type=the_type)


def rotate_key(runtime: Runtime, *, actor: Actor, organisation: str, key_type: str,
               replacing: str) -> issuance.IssuerKeyPublic:
    """Rotate the active key of ``key_type`` if it still is ``replacing``; else (rotated
    already) the active key as it is."""
    return issuance.rotate_key(runtime, actor=actor, organisation=organisation,
                               key_type=_key_type(key_type), replacing=replacing)


def authority(runtime: Runtime, *, actor: Actor, organisation: str
              ) -> certificates.AuthorityInfo | None:
    """The organisation's certificate authority and document-signing certificate; None
    when it has none yet."""
    actor.require(Action.KEYS_MANAGE, organisation)
    organisations.get_organisation(runtime, slug=organisation)
    try:
        return certificates.describe_authority(runtime, organisation=organisation)
    except NotFoundError:
        return None


def _years(years: int) -> int:
    if years not in YEARS:
        raise InputError(code="workspace.refused.authority_years",
                         params={"years": years}, problems=[Problem("years", "1 to 10")])
    return years


def create_authority(runtime: Runtime, *, actor: Actor, organisation: str,
                     years: int = certificates.DEFAULT_YEARS) -> certificates.AuthorityInfo:
    """The organisation's first authority (credstack's own root) and signing certificate;
    when it has them already (a form sent twice), those."""
    found = authority(runtime, actor=actor, organisation=organisation)
    if found is not None:
        return found
    return certificates.create_authority(runtime, actor=actor, organisation=organisation,
                                         years=_years(years))


def renew_authority(runtime: Runtime, *, actor: Actor, organisation: str, replacing: str,
                    years: int = certificates.DEFAULT_YEARS) -> certificates.AuthorityInfo:
    """A new authority and signing certificate in place of the authority ``replacing`` (its
    serial number in hex), which is retired; PDFs signed before keep verifying. When it was
    replaced already (a form sent twice), the current one as it is."""
    return certificates.create_authority(runtime, actor=actor, organisation=organisation,
                                         years=_years(years), replace=True,
                                         replacing=replacing)
