"""Tables of the OAuth 2.0 authorization server (migration ``0024_oauth``): the clients that
registered themselves (RFC 7591), the authorization requests they pushed (RFC 9126,
``0029_oauth_pushed_requests``), the authorization codes a learner's consent made, and the
tokens of the authorization code and refresh token grants (and of the grants other protocols
add, such as OID4VCI's pre-authorized code).

API clients of the client credentials grant keep their own tables (``api_clients``,
``access_tokens``). As there, no secret is stored: a client secret, a code, an access token
and a refresh token are random (256 bits) and kept as their SHA-256 digests.

A code is kept after use (``used_at``), so that a second use is recognised as a replay and
every token it gave is revoked (RFC 6749 §4.1.2). Tokens of one authorization form a
*family* (``family``: the first token's and every refreshed one's); a refresh token used a
second time (``rotated_at`` set) revokes the whole family (RFC 9700 §4.14.2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class OAuthClientRow(Base):
    """A client that registered itself (RFC 7591)."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: None for a public client (``token_endpoint_auth_method: none``).
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    #: The metadata as registered and echoed (RFC 7591 §3.2.1), redirect URIs included.
    client_metadata: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: The redirect URIs, compared exactly with an authorization request's.
    redirect_uris: Mapped[list[str]] = mapped_column(JsonDocument)
    #: Space-separated, as OAuth writes them.
    scope: Mapped[str] = mapped_column(Text)
    grant_types: Mapped[str] = mapped_column(String(200))
    auth_method: Mapped[str] = mapped_column(String(32))
    registered_ip: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class OAuthPushedRequestRow(Base):
    """An authorization request a client pushed (RFC 9126), until the learner answers it."""

    __tablename__ = "oauth_pushed_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The digest of the random part of its ``request_uri``.
    request_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    #: The authorization request's parameters, each once (no client secret among them).
    params: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When the learner answered it: it is never read again.
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class OAuthCodeRow(Base):
    """An authorization code: a learner's consent to a client, redeemable once."""

    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2048))
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    #: What an extension keeps with the code (``authorization_details`` of RFC 9396 …).
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    issued_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When it was redeemed (or presented at all): it never works again.
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class OAuthTokenRow(Base):
    """An access token, and the refresh token issued with it (if any)."""

    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: None for grants without a client (OID4VCI's pre-authorized code).
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True)
    #: The learner the token acts for; None where a grant names no account.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    grant_type: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: The tokens of one authorization: revoked together.
    family: Mapped[str] = mapped_column(String(32), index=True)
    #: The code the family was redeemed from.
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_codes.id", ondelete="SET NULL"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    refresh_expires_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: When its refresh token was exchanged for the next one.
    rotated_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
