"""The VC-API issuer's use cases on a runtime: issuing one credential as the caller's
organisation (audited once: ``credential.issued``; a credential that names its learner's
e-mail address in plain text is e-mailed to them with a credential offer for a wallet app,
:mod:`credstack.services.issuance.emails`), the
published status lists, the
Achievement a credential points at, and the issued credentials' records.

The web routes (:mod:`credstack.entrypoints.web.api.credentials`) parse HTTP and call these;
the building blocks (signing, status entries, storing) are in
:mod:`credstack.services.issuance.service`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.credentials import StoredCredential
from credstack.adapters.db.repositories.keys import (
    organisation_did,
    organisations_with_active_key,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access.actors import Actor
from credstack.core.access.policy import Action, Principal, Role
from credstack.core.credentials.openbadges_v3 import build_achievement
from credstack.core.crypto.keys import KeyType
from credstack.errors import ConflictError, NotFoundError
from credstack.services import freshness, requests, skills
from credstack.services.issuance import emails, status_lists
from credstack.services.issuance import service as issuance
from credstack.services.issuance.committer import IssueRequest, committer
from credstack.services.runtime import Runtime

__all__ = ["StoredCredential", "achievement_document", "credential_document",
           "issue_credential", "issue_credential_waiting", "list_credentials",
           "publish_status_list", "signed_status_list", "stored_credential"]


def issue_credential(runtime: Runtime, *, actor: Actor, credential: Mapping[str, Any],
                     securing: str = "eddsa-rdfc-2022", alg: str = "EdDSA",
                     status_option: object = None) -> issuance.Issued:
    """Sign ``credential`` as the caller's organisation (or the service's default issuer),
    give it the status entries asked for and record it (the VC-API issue operation), in a
    transaction shared with the issue requests served meanwhile
    (:mod:`credstack.services.issuance.committer`); returned once it is committed. A
    request sent again for a credential already issued gets that credential back, with
    nothing signed, recorded or mailed again."""
    principal = actor.user()
    organisation = _issuing_organisation(runtime, principal)
    return committer(runtime).issue(_request(
        runtime, actor, principal, organisation, credential, securing, alg, status_option))


async def issue_credential_waiting(runtime: Runtime, *, actor: Actor,
                                   credential: Mapping[str, Any],
                                   securing: str = "eddsa-rdfc-2022", alg: str = "EdDSA",
                                   status_option: object = None) -> issuance.Issued:
    """:func:`issue_credential` for a request served on an event loop: it waits for its
    batch there, holding no thread (:meth:`.committer.Committer.issue_waiting`)."""
    principal = actor.user()
    organisation = _own_or_configured(runtime, principal)
    if organisation is None:  # the default issuer is looked up in the store
        organisation = await asyncio.to_thread(_issuing_organisation, runtime, principal)
    return await committer(runtime).issue_waiting(_request(
        runtime, actor, principal, organisation, credential, securing, alg, status_option))


def _request(runtime: Runtime, actor: Actor, principal: Principal, organisation: str,
             credential: Mapping[str, Any], securing: str, alg: str, status_option: object
             ) -> IssueRequest:
    actor.require(Action.CREDENTIAL_ISSUE, organisation)
    return IssueRequest(
        organisation=organisation, subject=principal.subject, credential=credential,
        securing=securing, alg=alg, status_option=status_option,
        offers=emails.mail_offers(runtime, created_by=principal.subject),
        request_id=requests.current())


def _own_or_configured(runtime: Runtime, principal: Principal) -> str | None:
    """The caller's own organisation when they issue for exactly one, otherwise the
    configured default issuer (``CREDSTACK_DEFAULT_ISSUER``); None: neither."""
    own = {membership.organisation for membership in principal.memberships
           if membership.role in (Role.ISSUER, Role.PROVIDER_ADMIN)}
    if len(own) == 1:
        return own.pop()
    return runtime.settings.default_issuer


def _issuing_organisation(runtime: Runtime, principal: Principal) -> str:
    """Who signs: the caller's own organisation when they issue for exactly one, otherwise
    the service's default issuer (``CREDSTACK_DEFAULT_ISSUER``, or the only organisation
    with an issuer key)."""
    found = _own_or_configured(runtime, principal)
    if found is not None:
        return found
    with runtime.transaction() as session:
        return _default_issuer(session)


def _default_issuer(session: Session) -> str:
    """The organisation that signs VC-API issue requests when none is configured: the only
    organisation with an active Ed25519 key."""
    found = organisations_with_active_key(session, key_type=KeyType.ED25519, limit=2)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError("No organisation has an issuer key yet; create one with "
                            "`credstack issuer keys create --organisation <slug>`.")
    raise ConflictError("Several organisations have issuer keys; set CREDSTACK_DEFAULT_ISSUER "
                        "to the slug of the one that signs VC-API issue requests.")


def signed_status_list(runtime: Runtime, *, organisation: str, number: int, purpose: str
                       ) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of one list (signed again only when the
    list changed)."""
    return status_lists.published_status_list(
        runtime.sessions, organisation=organisation, number=number, purpose=purpose,
        secret=runtime.key(), public_url=runtime.settings.public_url, now=runtime.now())


#: The kind under which status lists' generations are kept (:mod:`~credstack.services.freshness`).
STATUS_LIST_GENERATIONS = "status-list"


def status_list_generation(runtime: Runtime, *, organisation: str, number: int,
                           purpose: str) -> object:
    """What :func:`signed_status_list` answers is made from: when the list last changed
    (read at most once a moment, :mod:`credstack.services.freshness`)."""
    return freshness.recent(runtime, STATUS_LIST_GENERATIONS, (organisation, number, purpose),
                            lambda: status_lists.generation(
                                runtime.sessions, organisation=organisation, number=number,
                                purpose=purpose))


def publish_status_list(runtime: Runtime, *, actor: Actor, organisation: str, number: int,
                        purpose: str) -> None:
    """Sign the list's current state now, for someone who may change its credentials'
    status (lists are also signed on demand when read).

    Not audited: what it stores is the signature of the list's current bits, which any read
    of a changed list stores too; the change of the bits is the state change, audited where
    it is made (``credential.revoke`` …, :mod:`credstack.services.issuance.status`)."""
    actor.require(Action.CREDENTIAL_STATUS, organisation)
    signed_status_list(runtime, organisation=organisation, number=number, purpose=purpose)


def achievement_document(runtime: Runtime, *, programme_id: int, version: int,
                         language: str = "ja") -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` that credentials of a published programme version carry;
    :class:`~credstack.errors.NotFoundError` for a version that is not published."""
    public_url = runtime.settings.public_url
    with runtime.transaction() as session:
        organisation = programme_store.get_programme(session, programme_id=programme_id
                                                     ).organisation_slug
        stored = programme_store.get_version(session, programme_id=programme_id,
                                             version=version)
        programme = skills.aligned_programme(session, programme_id, stored.programme)
    if stored.status != programme_store.Status.PUBLISHED:
        raise NotFoundError(f"Version {version} of programme {programme_id} is not published.")
    body = programme.awarding_body
    creator = (organisation_did(public_url, organisation)
               if body is not None and body.id == organisation else None)
    return build_achievement(
        programme=programme, language=language if language in {"ja", "en"} else "ja",
        achievement_id=issuance.achievement_url(public_url, programme_id, version),
        creator_id=creator)


def credential_document(runtime: Runtime, *, credential_id: str) -> str:
    """A credential credstack issued, as it was issued (JSON or a VC-JWT): public, as every
    verifier may ask for it (a certificate's QR code leads to its verification)."""
    with runtime.transaction() as session:
        return credential_store.get_credential(session, credential_id=credential_id).document


def stored_credential(runtime: Runtime, *, actor: Actor, credential_id: str
                      ) -> StoredCredential:
    """The record of a credential credstack issued (its document, learner, batch, status),
    for someone who may read the issuing organisation's credentials, or its learner."""
    with runtime.transaction() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
    actor.require(Action.CREDENTIAL_READ, stored.organisation, owner=stored.learner)
    return stored


def list_credentials(runtime: Runtime, *, actor: Actor, organisation: str | None = None,
                     batch: str | None = None, limit: int = 50) -> list[StoredCredential]:
    """Issued credentials, newest first, of one organisation or (for a registry admin) of
    every one, optionally of one batch."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        return credential_store.list_credentials(session, organisation=organisation,
                                                 batch=batch, limit=limit)
