"""Credential offers of issued credentials: made for their learner, served by reference.

:func:`create_offer` makes an offer of one credential this platform issued, for a wallet of
the learner's choice: the learner may offer a credential issued to one of their verified
identifiers (from the wallet's credential page), an issuer or administrator of the issuing
organisation any of its credentials (from the workspace, or in the issuance e-mail). Anyone
else is refused, and the refusal recorded. The offer carries a pre-authorised code and, unless
the caller says otherwise, asks for a six-digit transaction code that the page shows beside
the QR code (never inside it). Asked to (``authorization_code``), it also names an
``issuer_state`` for wallets that would rather have the learner sign in (the authorisation
code flow: :mod:`.grants`); not by default, as some wallets (Sphereon's) then take that
grant whatever the learner has in hand. Audited: ``oid4vci.offer.created``.

:func:`standing_offer` shows such an offer again (or one made the same way) where the learner
is known otherwise — the page an LMS launches them to (:mod:`credstack.services.lti`).

:func:`add_mail_offers` makes the offers the issuance e-mail carries, in the transaction that
issues the credentials and queues their e-mail (made by whoever issued them, channel
``mail``, seven days). They ask for no transaction code: OID4VCI wants that code sent over
another channel than the offer, and the e-mail is the only channel credstack has to a learner
who has no account yet — a code written in the same e-mail would protect nothing. The e-mail
therefore says that the link works once, for a week, and is not to be forwarded; a learner
who wants a code-protected offer makes one on their credential page.

The pre-authorised code is derived from the offer's public id with a key of the server's
(HMAC-SHA-256), so that the store keeps only its digest and the offer served by reference
(:func:`offer_document`) can still name it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import qrcode
import qrcode.image.svg

from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.oid4vci import offers
from credstack.core.oid4vci.metadata import CONFIGURATIONS
from credstack.errors import AccessDeniedError, GoneError, InputError, NotFoundError, Problem
from credstack.services import audit, wallet
from credstack.services.runtime import Runtime

__all__ = ["CHANNELS", "MailOffer", "MailOffers", "NewOffer", "StandingOffer", "add_mail_offers",
           "code_digest", "create_offer", "issuer_state", "offer_document", "offer_url",
           "pre_authorized_code", "qr_data_uri", "qr_svg", "standing_offer"]

#: How long an offer lasts, by where it is shown: a page is scanned at once, an e-mail read
#: within the week.
LIFETIMES: Final = {"page": dt.timedelta(minutes=15), "api": dt.timedelta(minutes=15),
                    "mail": dt.timedelta(days=7)}
CHANNELS: Final = tuple(LIFETIMES)
TX_CODE_LENGTH: Final = 6
#: Wrong transaction codes after which an offer is spent.
MAX_TX_ATTEMPTS: Final = 5
_KEY_LABEL: Final = b"credstack oid4vci pre-authorized code v1"
_TX_DESCRIPTION: Final = ("Enter the 6-digit code shown beside the QR code. / "
                          "QR コードの横に表示された 6 桁のコードを入力してください。")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _key(runtime: Runtime) -> bytes:
    found = runtime.caches.get("oid4vci.offer-key")
    if not isinstance(found, bytes):
        found = runtime.key().derive(_KEY_LABEL)
        runtime.caches["oid4vci.offer-key"] = found
    return found


def pre_authorized_code(runtime: Runtime, public_id: str) -> str:
    """The pre-authorised code of the offer ``public_id``."""
    return _code(_key(runtime), public_id)


def _code(key: bytes, public_id: str) -> str:
    return _b64(hmac.new(key, public_id.encode("ascii"), hashlib.sha256).digest())


def issuer_state(runtime: Runtime, public_id: str) -> str:
    """The ``issuer_state`` of the offer ``public_id``'s authorisation code grant: a wallet that
    signs the learner in instead sends it back, and the token is for this offer's credential."""
    return "is_" + pre_authorized_code(runtime, f"issuer_state:{public_id}")[:40]


def code_digest(code: str) -> str:
    """What the store keeps of a pre-authorised or transaction code (SHA-256, hex)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def offer_url(runtime: Runtime, public_id: str) -> str:
    """Where the offer ``public_id`` is served (its ``credential_offer_uri``)."""
    return f"{runtime.settings.public_url}/oid4vci/offers/{public_id}"


def qr_svg(text: str) -> str:
    """``text`` as a QR code (error correction M), an SVG document."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(text)
    code.make(fit=True)
    svg: str = code.make_image().to_string(encoding="unicode")
    return svg


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code (:func:`qr_svg`), an SVG ``data:`` URI for an ``<img>``."""
    svg = qr_svg(text)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@dataclass(frozen=True, slots=True)
class NewOffer:
    """An offer just made: show ``by_reference`` as a QR code and ``tx_code`` beside it."""

    public_id: str
    credential_id: str
    offer: dict[str, Any]
    by_value: str
    by_reference: str
    url: str
    tx_code: str | None
    expires_at: dt.datetime

    @property
    def qr(self) -> str:
        """The offer by reference as a QR code (``data:`` URI)."""
        return qr_data_uri(self.by_reference)


def _may_offer(runtime: Runtime, session: Any, actor: Actor,
               row: offer_store.CredentialToOffer) -> str:
    """The actor's audit name when they may offer ``row``; else refuse (recorded)."""
    organisation = row.organisation
    if actor.allows(Action.CREDENTIAL_ISSUE, organisation):
        return actor.require(Action.CREDENTIAL_ISSUE, organisation).subject
    principal = actor.user()
    if principal.user_id is not None and actor.allows(Action.WALLET_WRITE):
        # The wallet's own identifiers (the sign-in address, the holder DID) are made when it
        # is first opened.
        wallet.open_wallet(session, runtime.key(), user_id=principal.user_id, now=runtime.now())
        names = {identifier.value.lower() for identifier in
                 wallet.identifiers_of(session, principal.user_id, verified_only=True)}
        held = offer_store.held_in_wallet(session, user_id=principal.user_id,
                                          credential_id=row.credential_id)
        if (row.learner or "").lower() in names or held:
            return principal.subject
    actor.refuse(AccessDeniedError(
        code="offer.refused.not_yours",
        problems=[Problem("credential", row.credential_id)]), action="oid4vci.offer",
        organisation=organisation)


def create_offer(runtime: Runtime, *, actor: Actor, credential_id: str, channel: str = "page",
                 tx_code: bool = True, configurations: Sequence[str] | None = None,
                 authorization_code: bool = False) -> NewOffer:
    """An offer of ``credential_id`` (see the module); ``configurations`` default to all."""
    if channel not in LIFETIMES:
        raise InputError(f"Unknown channel {channel!r}.", problems=[Problem("channel", channel)])
    chosen = list(configurations or CONFIGURATIONS)
    unknown = [name for name in chosen if name not in CONFIGURATIONS]
    if unknown or not chosen:
        raise InputError("Unknown credential configuration.", problems=[
            Problem("configurations", ", ".join(unknown) or "none chosen")])
    now = runtime.now()
    with runtime.transaction() as session:
        row = offer_store.credential_to_offer(session, credential_id)
        if row is None:
            raise NotFoundError(f"credstack issued no credential with id {credential_id!r}.")
        subject = _may_offer(runtime, session, actor, row)
        if row.state != "active":
            # offer.refused.revoked, offer.refused.suspended
            raise InputError(code=f"offer.refused.{row.state}",
                             problems=[Problem("credential", row.state)])
        public_id = secrets.token_urlsafe(32)
        code = pre_authorized_code(runtime, public_id)
        pin = ("".join(str(secrets.randbelow(10)) for _ in range(TX_CODE_LENGTH))
               if tx_code else None)
        expires = now + LIFETIMES[channel]
        offer_store.add_offers(session, [offer_store.NewOffer(
            public_id=public_id, credential_row=row.row_id, code_hash=code_digest(code),
            tx_code_hash=code_digest(pin) if pin else None, configurations=" ".join(chosen),
            issuer_state=issuer_state(runtime, public_id) if authorization_code else None,
            created_by=subject, channel=channel, created_at=now, expires_at=expires)])
        audit.record(session, at=now, actor=subject, action="oid4vci.offer.created",
                     subject=credential_id,
                     details={"offer": public_id[:12], "channel": channel,
                              "configurations": chosen, "tx_code": pin is not None})
    offer = _offer(runtime, public_id, chosen, pin is not None, authorization_code)
    url = offer_url(runtime, public_id)
    return NewOffer(public_id, credential_id, offer, offers.by_value(offer),
                    offers.by_reference(url), url, pin, expires)


@dataclass(frozen=True, slots=True)
class MailOffer:
    """An offer an issuance e-mail carries: its public id and end of validity."""

    public_id: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MailOffers:
    """What :func:`add_mail_offers` needs of the runtime, taken before the issuing transaction:
    the offers' code key and who issues (the offers' maker)."""

    key: bytes
    created_by: str

    @classmethod
    def of(cls, runtime: Runtime, *, created_by: str) -> MailOffers:
        return cls(_key(runtime), created_by)

    def add(self, session: Session, *, credential_ids: Sequence[str], now: dt.datetime,
            subject: str | None = None) -> dict[str, MailOffer]:
        """:func:`add_mail_offers` with this maker."""
        return add_mail_offers(session, maker=self, credential_ids=credential_ids, now=now,
                               subject=subject)


def add_mail_offers(session: Session, *, maker: MailOffers, credential_ids: Sequence[str],
                    now: dt.datetime, subject: str | None = None) -> dict[str, MailOffer]:
    """Offers (channel ``mail``, no transaction code: see the module) of the issued
    credentials ``credential_ids``, in the caller's issuing transaction; by credential id.
    Audited once as ``oid4vci.offer.created``: for one credential under its id, for a cohort's
    chunk under ``subject`` with how many offers were made."""
    wanted = list(dict.fromkeys(credential_ids))
    rows = offer_store.active_credential_rows(session, wanted)
    made: dict[str, MailOffer] = {}
    expires = now + LIFETIMES["mail"]
    fresh: list[offer_store.NewOffer] = []
    configurations = " ".join(CONFIGURATIONS)
    for credential_id in wanted:
        if credential_id not in rows:
            continue
        public_id = secrets.token_urlsafe(32)
        fresh.append(offer_store.NewOffer(
            public_id=public_id, credential_row=rows[credential_id],
            code_hash=code_digest(_code(maker.key, public_id)), tx_code_hash=None,
            configurations=configurations, issuer_state=None, created_by=maker.created_by,
            channel="mail", created_at=now, expires_at=expires))
        made[credential_id] = MailOffer(public_id, expires)
    if not fresh:
        return made
    offer_store.add_offers(session, fresh)
    details: dict[str, Any] = {"channel": "mail", "configurations": list(CONFIGURATIONS),
                               "tx_code": False}
    if len(made) == 1 and subject is None:
        (credential_id, offer), = made.items()
        audit.record(session, at=now, actor=maker.created_by, action="oid4vci.offer.created",
                     subject=credential_id, details={"offer": offer.public_id[:12], **details})
    else:
        audit.record(session, at=now, actor=maker.created_by, action="oid4vci.offer.created",
                     subject=subject or "oid4vci:offers", details={"offers": len(made),
                                                                   **details})
    return made


@dataclass(frozen=True, slots=True)
class StandingOffer:
    """An offer of the kind the issuance e-mail carries, as a page shows it: by reference,
    as a link and a QR code (:func:`qr_svg`)."""

    public_id: str
    by_reference: str
    expires_at: dt.datetime


def standing_offer(runtime: Runtime, *, credential_id: str, made_by: str
                   ) -> StandingOffer | None:
    """The offer of ``credential_id`` its issuance e-mail carries while it can still be
    taken (not redeemed, not expired), else a new one made the same way (by ``made_by``,
    audited); ``None`` for a credential not active. The caller has established that it
    shows the offer to the credential's learner (a launch from their LMS, say)."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = offer_store.credential_to_offer(session, credential_id)
        if row is None or row.state != "active":
            return None
        live = offer_store.live_mail_offer(session, row.row_id, now=now)
        if live is not None:
            public_id, expires = live
        else:
            made = MailOffers.of(runtime, created_by=made_by).add(
                session, credential_ids=[credential_id], now=now)[credential_id]
            public_id, expires = made.public_id, made.expires_at
    return StandingOffer(public_id, offers.by_reference(offer_url(runtime, public_id)), expires)


def _offer(runtime: Runtime, public_id: str, configurations: Sequence[str],
           with_tx_code: bool, authorization_code: bool) -> dict[str, Any]:
    tx = offers.TxCode(TX_CODE_LENGTH, _TX_DESCRIPTION) if with_tx_code else None
    return offers.credential_offer(
        issuer=runtime.settings.public_url, configuration_ids=configurations,
        pre_authorized_code=pre_authorized_code(runtime, public_id), tx_code=tx,
        issuer_state=issuer_state(runtime, public_id) if authorization_code else None)


def offer_document(runtime: Runtime, *, public_id: str) -> dict[str, Any]:
    """The offer served at its ``credential_offer_uri``; :class:`~credstack.errors.GoneError`
    once redeemed or expired, :class:`~credstack.errors.NotFoundError` for no such offer."""
    if len(public_id) > 64:
        raise NotFoundError("No such credential offer.")
    with runtime.sessions() as session:
        row = offer_store.offer_to_serve(session, public_id)
    if row is None:
        raise NotFoundError("No such credential offer.")
    if row.redeemed_at is not None or row.expires_at <= runtime.now():
        raise GoneError(code="offer.refused.gone")
    return _offer(runtime, public_id, row.configurations.split(), row.tx_code,
                  row.authorization_code)
