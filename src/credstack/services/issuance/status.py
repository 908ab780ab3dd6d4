"""Revoking, suspending and reinstating the credentials an organisation issued.

The one place a status change is made for the API (``POST /credentials/status``) and the
console (``credstack credential revoke|suspend|reinstate``): the caller must be allowed
``credential.status`` on the issuing organisation, every change writes its bits to the
credential's status lists and one ``credential.<change>`` audit entry, all in one transaction.
A reason given (the workspace's pages require one) is kept in that entry's details.

A credential revoked or suspended that a learner deposited in the credit bank flags, in the
same transaction, every pending or approved credit decision that counted it
(:func:`credstack.services.creditbank.lifecycle.flag_credential`, called through the runtime's
``on_credential_inactive``): the registrar sees it at once, not at the next daily re-check.
"""

from __future__ import annotations

from collections.abc import Sequence

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.core.access import Action, Actor
from credstack.core.status.changes import StatusChange
from credstack.errors import NotFoundError
from credstack.services import activity, audit
from credstack.services import mail as mail_events
from credstack.services.runtime import Runtime


def change_status(runtime: Runtime, *, actor: Actor, credential_id: str,
                  changes: Sequence[StatusChange], reason: str | None = None,
                  organisation: str | None = None) -> credential_store.StoredCredential:
    """Apply ``changes`` in order to one of our credentials; its record afterwards.

    :class:`~credstack.errors.NotFoundError` for a credential credstack did not issue,
    :class:`~credstack.errors.ConflictError` for a change its state does not allow (nothing
    is changed then), access errors from ``actor``. With ``organisation``, a credential
    another organisation issued is answered as one that does not exist.
    """
    if not changes:
        raise ValueError("change_status needs at least one change")
    now = runtime.now()
    with runtime.transaction() as session:
        owner = credential_store.get_credential(session, credential_id=credential_id)
        if organisation is not None and owner.organisation != organisation:
            raise NotFoundError(f"{organisation!r} issued no credential with id "
                                f"{credential_id!r}. / この組織はこの証明書を発行していません。")
        principal = actor.require(Action.CREDENTIAL_STATUS, owner.organisation)
        stored = owner
        for change in changes:
            stored = credential_store.change_status(session, credential_id=credential_id,
                                                    action=change, now=now)
            audit.record(session, at=now, actor=principal.subject,
                         action=f"credential.{change}", subject=owner.credential_id,
                         details={"organisation": owner.organisation, "state": stored.state,
                                  **({"reason": reason} if reason is not None else {})})
        if stored.state != "active":
            for listener in runtime.on_credential_inactive:
                listener(session, credential_id=owner.credential_id, why=stored.state,
                         by=principal.subject, now=now)
        if StatusChange.REVOKE in changes:
            # A revoked credential is never announced: its waiting e-mail is withdrawn, and
            # its learner told of the revocation instead.
            mail_events.credential_revoked(session, credential_id=owner.credential_id,
                                           actor=principal.subject, now=now)
        for change in changes:
            if change in {StatusChange.SUSPEND, StatusChange.REINSTATE}:
                # Its learner is told of a suspension and of a reinstatement too.
                activity.status_notice(session, credential_id=owner.credential_id,
                                       change=change.value, now=now)
        return stored
