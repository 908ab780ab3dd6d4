"""A credential replaced by a newer representation of the same one (Open Badges 3.0 §10: the
same issuer id and credential id, a later ``validFrom``), as the REST API's
``upsertCredential`` does it: the newer one, imported already, takes the older one's place —
its tags, collections, share links and note — and the older one goes, without being counted
as removed by the learner (it is not "dismissed": a credential issued here is still
delivered if it is issued again)."""

from __future__ import annotations

from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.core.access import Action, Actor
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import owned_row


def replace(runtime: Runtime, *, actor: Actor, action: Action, old: str, new: str) -> None:
    """Put the wallet credential ``new`` in the place of ``old`` (public ids), audited
    (``wallet.credential.replaced``)."""
    principal = wallet_owner(actor, action)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        before = owned_row(session, principal.user_id, old)
        after = owned_row(session, principal.user_id, new)
        wallet_store.move_belongings(session, from_id=before.id, to_id=after.id)
        after.note = after.note or before.note
        session.delete(before)
        audit.record(session, at=now, actor=principal.subject,
                     action="wallet.credential.replaced", subject=new,
                     details={"replaced": old, "format": after.kind})


def discard(runtime: Runtime, *, actor: Actor, action: Action, public_id: str,
            reason: str) -> None:
    """Take back a credential just imported for an upsert that is refused (a replacement
    that does not verify, of one that does), audited (``wallet.credential.discarded``); it
    is not "dismissed" either."""
    principal = wallet_owner(actor, action)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = owned_row(session, principal.user_id, public_id)
        session.delete(row)
        audit.record(session, at=now, actor=principal.subject,
                     action="wallet.credential.discarded", subject=public_id,
                     details={"reason": reason, "format": row.kind})
