"""The status list credentials an organisation publishes: each list's current state, signed
as a ``BitstringStatusListCredential`` when it is read and has changed since it was last
signed, and this deployment's own lists read from the store by the verifier instead of
fetched from itself."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from credstack.adapters import keystore
from credstack.adapters.db.repositories import status_lists as status_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.proofs import data_integrity
from credstack.core.status import status_list_credential
from credstack.errors import NotFoundError
from credstack.services.issuance import service as issuance
from credstack.settings import Settings

#: Status list credentials ask verifiers to refresh them after five minutes.
STATUS_LIST_TTL_MS: Final = 5 * 60 * 1000


def published_status_list(sessions: Callable[[], Session], *, organisation: str, number: int,
                          purpose: str, secret: keystore.MasterKey, public_url: str,
                          now: dt.datetime) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of one list, signed again only when the
    list changed since it was last signed (``eddsa-rdfc-2022``, string issuer: the
    organisation's did:web)."""
    with sessions() as session:
        published, current, changed_at = status_store.publication(
            session, organisation=organisation, number=number, purpose=purpose)
    if published is not None and _valid_from(published) <= now:
        return published
    url = issuance.status_list_url(public_url, organisation, number, purpose)
    with sessions() as session:
        signer = issuance.signer_for(session, organisation=organisation, secret=secret,
                                     public_url=public_url, issuing=False)
    # Valid from when the list took this state, not from the signing: a verifier that read
    # the clock a moment before asking must not find the list "not yet valid". Unless the
    # clock has gone back past that moment (an NTP step, a restored virtual machine): a list
    # valid only from a time not yet reached would fail every status check until then, so
    # it is signed again, valid from now.
    unsigned = status_list_credential(current, url=url, issuer=signer.did,
                                      valid_from=min(changed_at, now).replace(microsecond=0),
                                      ttl=STATUS_LIST_TTL_MS)
    signed = data_integrity.sign(unsigned, key=signer.methods[signer.identities[signer.did]],
                                 verification_method=signer.identities[signer.did],
                                 cryptosuite="eddsa-rdfc-2022", created=now,
                                 document_loader=shared_document_loader())
    with sessions() as session, session.begin():
        status_store.record_publication(session, organisation=organisation, number=number,
                                        purpose=purpose, credential=signed,
                                        changed_at=changed_at)
    return signed


def generation(sessions: Callable[[], Session], *, organisation: str, number: int,
               purpose: str) -> dt.datetime:
    """What one list's signed credential is made from, named: when the list last changed
    (:class:`~credstack.errors.NotFoundError` for a list that does not exist)."""
    if purpose not in status_store.PURPOSE_COLUMNS:
        raise NotFoundError(f"credstack keeps revocation and suspension lists, not "
                            f"{purpose!r} ones.")
    with sessions() as session:
        return status_store.change_time(session, organisation=organisation, number=number)


def _valid_from(signed: Mapping[str, Any]) -> dt.datetime:
    """When a signed status list credential is valid from (its ``validFrom``)."""
    return dt.datetime.fromisoformat(str(signed["validFrom"]))


_LIST_PATH: Final = re.compile(r"/status-lists/([a-z0-9][a-z0-9-]{0,63})/([1-9][0-9]{0,8})/"
                               r"(revocation|suspension)")


def own_status_list(sessions: Callable[[], Session], *, settings: Settings, url: str,
                    now: dt.datetime) -> dict[str, Any] | None:
    """One of this deployment's status list credentials, read from the store (``None``: no
    such list). The verifier uses it instead of fetching from itself."""
    match = _LIST_PATH.fullmatch(url.removeprefix(settings.public_url))
    if not url.startswith(settings.public_url) or match is None:
        return None
    try:
        return published_status_list(sessions, organisation=match[1], number=int(match[2]),
                                     purpose=match[3], secret=_master_keys(settings)(),
                                     public_url=settings.public_url, now=now)
    except NotFoundError:
        return None


def own_list_generation(sessions: Callable[[], Session], *, settings: Settings, url: str
                        ) -> dt.datetime | None:
    """When one of this deployment's lists (named by ``url``) last changed; ``None`` when
    ``url`` names none of them."""
    match = _LIST_PATH.fullmatch(url.removeprefix(settings.public_url))
    if not url.startswith(settings.public_url) or match is None:
        return None
    try:
        return generation(sessions, organisation=match[1], number=int(match[2]),
                          purpose=match[3])
    except NotFoundError:
        return None


@functools.cache
def _master_keys(settings: Settings) -> keystore.MasterKeySource:
    return keystore.MasterKeySource(settings)
