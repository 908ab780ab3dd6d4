"""Tables of the OpenID for Verifiable Credentials exchanges (migration ``0025_oid4vc``;
the access tokens are the authorization server's, ``oauth_tokens``).

* ``oid4vci_offers``: credential offers of one issued credential — the pre-authorised code
  as its SHA-256 digest (the code itself is only in the offer), the transaction code's digest
  when one is asked for and how many wrong ones were tried, the configurations offered, the
  ``issuer_state`` of the authorisation code flow, who made it, through which channel
  (``page``, ``mail``, ``api``), when it expires and when it was redeemed (single use).
* ``oid4vci_nonces``: the ``c_nonce`` values key proofs have used (digests), kept until they
  would have expired anyway: a nonce is accepted once.
* ``oid4vp_requests``: an employer's OpenID for Verifiable Presentations request — its DCQL
  query, the nonce the presentation must be bound to, and, once the wallet answered by
  ``direct_post``, the answer and the one verifier's report of it; a request signed as an
  organisation (migration ``0027_oid4vp_signed``) also names it, the DID it signs as and how
  the wallet fetches its request object (``request_uri_method``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class Oid4vciOfferRow(Base):
    __tablename__ = "oid4vci_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The offer's id in its ``credential_offer_uri`` (random, 256 bits).
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tx_code_hash: Mapped[str | None] = mapped_column(String(64))
    tx_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: The configurations offered, space-separated.
    configurations: Mapped[str] = mapped_column(String(400))
    issuer_state: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    redeemed_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class Oid4vciNonceRow(Base):
    __tablename__ = "oid4vci_nonces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP, index=True)


class Oid4vpRequestRow(Base):
    __tablename__ = "oid4vp_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The request's id in its URLs, and its ``state`` (random, 256 bits).
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    label: Mapped[str] = mapped_column(String(200))
    nonce: Mapped[str] = mapped_column(String(64))
    query: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    responded_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: ``verified``, ``verified-with-warnings``, ``not-verified`` or ``error``.
    outcome: Mapped[str | None] = mapped_column(String(32))
    #: The wallet's answer (``vp_token``, or its ``error``) and the verifier's reports.
    response: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    report: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    #: The organisation (slug) whose key signs the request object; None: unsigned, by value.
    organisation: Mapped[str | None] = mapped_column(String(64))
    #: The DID the request object is signed as (the client id's), fixed when it was made.
    client_did: Mapped[str | None] = mapped_column(String(255))
    #: ``get`` or ``post``: how the wallet fetches the request object.
    request_uri_method: Mapped[str | None] = mapped_column(String(8))
    #: ``direct_post.jwt`` when the answer is to come encrypted (migration
    #: ``0028_oid4vp_encrypted``; the key is derived from the master key and the public id,
    #: never stored); None: ``direct_post``.
    response_mode: Mapped[str | None] = mapped_column(String(32))
