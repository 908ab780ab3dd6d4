"""Tables of outgoing e-mail (migration ``0015_mail``).

* ``mail_outbox``: one row per message, queued in the transaction of the event it is about
  (a credential issued, a reminder sent) and sent later; ``event_key`` is unique, so an event
  is mailed at most once however often it is queued. What to say is kept as the template's
  name and its context (rendered when sent); what happened as ``state``, ``attempts``,
  ``next_attempt_at``, ``last_error``, ``sent_at`` and the ``message_id`` the message was
  sent with (which a delivery status notification names when it bounces).
* ``mail_senders``: the display name an organisation's e-mail is sent under, when it chose
  one (otherwise its name in the message's language).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument

STATES = "state IN ('pending', 'sent', 'failed', 'bounced', 'withdrawn')"


class MailOutboxRow(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(STATES, name="state"),
        # Delivery reads the due pending messages in order.
        Index("ix_mail_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: The organisation the message is sent for (its slug); ``None``: the platform's own.
    organisation: Mapped[str | None] = mapped_column(String(64), index=True)
    sender_name: Mapped[str | None] = mapped_column(String(200))
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(64))
    context: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    last_error: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(998))
    message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    sent_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    bounced_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class MailSenderRow(Base):
    __tablename__ = "mail_senders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
