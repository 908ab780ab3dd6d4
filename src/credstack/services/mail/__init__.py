"""E-mail: the outbox every message waits in, delivery over SMTP, bounces.

* :func:`~credstack.services.mail.service.queue` — inside the transaction of the event
  (a credential issued, a reminder sent), once per event key;
* :func:`~credstack.services.mail.service.deliver` — send what is due (the CLI's ``credstack
  mail send``, later a background job);
* :func:`~credstack.services.mail.service.record_bounce` — a delivery status notification,
  or an administrator, says a sent message never arrived;
* :mod:`credstack.services.mail.events` — the e-mails of credstack's events.
"""
