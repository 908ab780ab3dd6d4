"""Tables of passkeys (WebAuthn credentials) and the challenges of their ceremonies
(migration ``0050_passkeys``).

A passkey row keeps what a signature is checked with: the credential's id (base64url, as the
browser sends it), its COSE public key and the last signature counter seen; besides, the
transports the browser reported (offered back when the passkey is named), the name its owner
gave it and when it was made and last used. ``user_handle`` is the account's WebAuthn user
handle: random, the same for every passkey of one account, and what a discoverable
credential hands back to say whose it is. Nothing here is secret: the private key never
leaves the authenticator.

A challenge row is one ceremony begun and not yet finished: the random challenge, what it is
for (``register`` or ``sign-in``), the SHA-256 of what binds it to one browser (the web
session's cookie token when registering, a cookie of its own when signing in) and, when
registering, the account and its user handle. Finishing a ceremony deletes its row, so a
challenge works once; rows past ``expires_at`` are refused and deleted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class PasskeyRow(Base):
    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: The credential id, base64url without padding (at most 1,023 bytes: 1,364 characters).
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    user_handle: Mapped[str] = mapped_column(String(128), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The authenticator's signature counter (unsigned 32 bits: wider than ``Integer``).
    sign_count: Mapped[int] = mapped_column(BigInteger)
    #: The transports the browser reported (``internal``, ``hybrid``, ``usb``…), space-separated.
    transports: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class PasskeyChallengeRow(Base):
    __tablename__ = "passkey_challenges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``register`` or ``sign-in``.
    purpose: Mapped[str] = mapped_column(String(16))
    #: SHA-256 (hex) of what binds the ceremony to one browser.
    binding_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: The challenge, base64url without padding.
    challenge: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The user handle a registration's options carried (the answer does not repeat it).
    user_handle: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP, index=True)


class PasswordsOffRow(Base):
    """An organisation whose administrator switched passwords off: its members sign in with
    a passkey (or their organisation's single sign-on), never with a password. No row: the
    organisation's members may use passwords."""

    __tablename__ = "organisation_passwords_off"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    switched_off_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: The audit subject of who switched them off.
    switched_off_by: Mapped[str] = mapped_column(String(320))
