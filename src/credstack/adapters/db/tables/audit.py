"""The audit log's tables: the entries of the hash chain and its one-row head.

``audit_entries`` holds the chain (:mod:`credstack.core.audit.chain`), one row per entry,
numbered by ``seq`` (1, 2, …, unique); ``subject`` is indexed for "everything about this
application". ``audit_head`` holds exactly one row (``id = 1``): the last entry's seq and
hash with their HMAC, rewritten with every append and locked while appending, so concurrent
appenders take turns. The migration creates the row as :data:`~credstack.core.audit.EMPTY_HEAD`.

On PostgreSQL a trigger refuses ``UPDATE``, ``DELETE`` and ``TRUNCATE`` on ``audit_entries``
(migration ``0005_audit``) and on SQLite two triggers refuse ``UPDATE`` and ``DELETE``: defence
in depth against mistakes and careless tools. They stop no one who owns the tables (``ALTER
TABLE audit_entries DISABLE TRIGGER USER``, ``DROP TRIGGER``); the hash chain and the head's
code are what make such changes visible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument

__all__ = ["ACTION_LENGTH", "ACTOR_LENGTH", "HEAD_ID", "SUBJECT_LENGTH", "AuditEntryRow",
           "AuditHeadRow"]

HEAD_ID: Final = 1
ACTOR_LENGTH: Final = 200
ACTION_LENGTH: Final = 100
SUBJECT_LENGTH: Final = 500
#: The longest request id (see :mod:`credstack.services.requests`).
REQUEST_ID_LENGTH: Final = 64


class AuditEntryRow(Base):
    """One entry of the hash chain; never updated or deleted by credstack."""

    __tablename__ = "audit_entries"
    __table_args__ = (CheckConstraint("seq >= 1", name="seq_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: Who: ``user:12``, ``client:abc``, ``anonymous``, ``cli:<os user>``.
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    #: What, dotted: ``application.submitted``, ``access.denied``.
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    #: About what: ``application:<public id>``, ``user:12``.
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: The request (or job) that wrote the entry (migration ``0030_request_ids``; hashed).
    request_id: Mapped[str | None] = mapped_column(String(REQUEST_ID_LENGTH))


class AuditHeadRow(Base):
    """The chain's last seq and hash, with their HMAC (``NULL`` before the first append)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
