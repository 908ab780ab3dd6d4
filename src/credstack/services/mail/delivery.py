"""Starting the job that sends what waits in the outbox (kind ``mail.deliver``, run by
:func:`credstack.services.background.handlers.deliver_mail`), at once rather than at the next
minute's delivery: after a cohort's "issued" e-mails, a sign-up's or a password reset's link.

It stands in ``mail`` (not beside the handler) because the services that queue e-mail start it,
and they stand below the background handlers, which call them.
"""

from __future__ import annotations

from credstack.core.access import Operator
from credstack.services import jobs
from credstack.services.runtime import Runtime

__all__ = ["MAILER", "start_delivery"]

#: Who starts the e-mail jobs (the audit log's ``cli:mailer``).
MAILER = Operator("mailer")


def start_delivery(runtime: Runtime, *, after: str) -> str | None:
    """Start a job sending the e-mail that ``after`` queued (the learners' "issued" e-mail,
    at once rather than at the next minute's delivery); its id. ``None`` when no SMTP server
    is configured: the e-mail waits in the outbox."""
    if not runtime.settings.mail_configured:
        return None
    return jobs.start(runtime, actor=MAILER, kind="mail.deliver", payload={}, organisation=None,
                      key=f"mail.deliver:after:{after}").public_id
