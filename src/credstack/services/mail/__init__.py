"""E-mail: the outbox every message waits in, delivery over SMTP, bounces.

* :func:`~credstack.services.mail.service.queue` — inside the transaction of the event
  (a credential issued, a reminder sent), once per event key;
* :func:`~credstack.services.mail.service.deliver` — send what is due (the CLI's ``credstack
  mail send``, later a background job);
* :func:`~credstack.services.mail.service.record_bounce` — a delivery status notification,
  or an administrator, says a sent message never arrived;
* :mod:`credstack.services.mail.events` — the e-mails of credstack's events (the "credential
  issued" ones are :mod:`credstack.services.issuance.emails`);
* :func:`~credstack.services.mail.delivery.start_delivery` — send what an event queued at
  once, in a background job, rather than at the next minute's delivery.

The other service packages use the names below (``from credstack.services import mail``).
"""

from credstack.services.mail.delivery import start_delivery
from credstack.services.mail.events import (
    account_recovery,
    credential_revoked,
    invitation,
    password_reset,
    recognition_decided,
    review_reminder,
    sign_up,
    sign_up_existing,
)
from credstack.services.mail.service import NewMessage, deliver, queue_many, resend

__all__ = [
    "NewMessage",
    "account_recovery",
    "credential_revoked",
    "deliver",
    "invitation",
    "password_reset",
    "queue_many",
    "recognition_decided",
    "resend",
    "review_reminder",
    "sign_up",
    "sign_up_existing",
    "start_delivery",
]
