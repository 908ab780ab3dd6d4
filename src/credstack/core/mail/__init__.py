"""E-mail as data: addresses, the outbox's states and back-off, the links a credential's
e-mail carries, and delivery status notifications read back. Nothing here sends anything
(:mod:`credstack.adapters.mail` does) or reads the clock (the time is a parameter)."""

from credstack.core.mail.addresses import is_mail_address
from credstack.core.mail.bounces import Bounce, read_bounce
from credstack.core.mail.links import CredentialLinks, credential_links, linkedin_add_url
from credstack.core.mail.outbox import (
    MAX_ATTEMPTS,
    MailState,
    event_key,
    next_attempt,
    retry_delay,
)
from credstack.core.mail.recipients import recipient_email

__all__ = [
    "MAX_ATTEMPTS",
    "Bounce",
    "CredentialLinks",
    "MailState",
    "credential_links",
    "event_key",
    "is_mail_address",
    "linkedin_add_url",
    "next_attempt",
    "read_bounce",
    "recipient_email",
    "retry_delay",
]
