"""A credential's "issued" e-mail sent again, to the same address or a corrected one.

The same address: the message is sent again as it was
(:func:`credstack.services.mail.service.resend`, audited ``mail.resend``). Another address:
a new message with the same context goes to it (its event key names the new address, so a
revocation withdraws or follows it as it does the first), audited ``mail.redirected`` with
both addresses; a malformed address is refused, naming the field, and nothing is queued.
"""

from __future__ import annotations

from credstack.adapters.db.repositories import mail as outbox
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED
from credstack.core.access import Action, Actor
from credstack.core.mail import event_key, is_mail_address
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit, mail
from credstack.services.mail import NewMessage, queue_many
from credstack.services.runtime import Runtime

__all__ = ["send_again"]


def send_again(runtime: Runtime, *, actor: Actor, organisation: str, message_id: int,
               to: str) -> int:
    """Send the credential e-mail ``message_id`` again to ``to`` (see the module); the id of
    the message that goes."""
    principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
    address = to.strip()
    if not is_mail_address(address):
        raise InputError(code="activity.refused.not_an_address",
                         problems=[Problem("to", code="activity.refused.address_example")])
    now = runtime.now()
    with runtime.transaction() as session:
        row = outbox.message(session, message_id)
        if row is None or row.organisation != organisation or row.template != CREDENTIAL_ISSUED:
            raise NotFoundError(code="activity.refused.no_message",
                                params={"message_id": message_id})
        same = row.to_address.lower() == address.lower()
        credential_id = str(row.context["credential_id"])
        key = event_key("credential.issued", credential_id, address.lower())
        existing = outbox.message_id(session, key)
        if not same and existing is None:
            context = dict(row.context)
            # A wallet-app offer is for one person: the corrected address gets none of it.
            context.pop("offer", None)
            context.pop("offer_expires_at", None)
            queue_many(session, [NewMessage(key, address, CREDENTIAL_ISSUED, context,
                                            organisation, row.language)], now=now)
            new_id = outbox.message_id(session, key)
            assert new_id is not None
            audit.record(session, at=now, actor=principal.subject, action="mail.redirected",
                         subject=credential_id,
                         details={"from": row.to_address, "to": address,
                                  "organisation": organisation, "message": new_id,
                                  "was": row.id})
            return new_id
        again = existing if existing is not None else row.id
    mail.resend(runtime, actor=actor, organisation=organisation, message_id=again)
    return again
