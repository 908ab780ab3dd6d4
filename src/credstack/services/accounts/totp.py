"""TOTP (RFC 6238) for signing in: setting it up, turning it off, and the sealed secrets.

TOTP is optional per user: :func:`begin` makes a secret to scan (``otpauth://`` URI and QR
code), :func:`confirm` turns it on once a code from it is entered, :func:`disable` turns it
off with a current code. The rules of a code (30-second steps, ±1 step of drift, no replay)
are :mod:`credstack.core.accounts.totp`'s. Secrets are sealed in the database with a key
derived from the master key and bound to the user, so a copy of the table alone cannot
make codes. Each change is audited (``totp.started``, ``totp.enabled``, ``totp.disabled``).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyotp
import qrcode
import qrcode.image.svg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from credstack.adapters.db.repositories.accounts import StoredUser
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Actor, Principal
from credstack.core.accounts.totp import check_code
from credstack.errors import ConflictError, InputError, KeyStoreError, Problem
from credstack.services import audit
from credstack.services.accounts import service as users
from credstack.services.runtime import Runtime

ISSUER = "credstack"
#: Names the key (derived from the master key) that seals TOTP secrets in the database.
KEY_LABEL = b"credstack accounts: TOTP secrets v1"


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    secret: str
    uri: str
    #: The URI as a QR code, an SVG document (dark modules on a white square).
    qr_svg: str

    @property
    def qr_data_uri(self) -> str:
        encoded = base64.b64encode(self.qr_svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def begin(runtime: Runtime, *, actor: Actor) -> TotpEnrolment:
    """A new TOTP secret for the signed-in user to scan; TOTP stays off until
    :func:`confirm`."""
    with _own_change(runtime, actor, action="totp.started") as (row, _):
        if row.totp_secret is not None:
            raise ConflictError("TOTP is already on for this account.")
        secret = pyotp.random_base32()
        row.totp_pending = seal(runtime.key(), row.id, secret)
        return _enrolment(row.email, secret)


def pending(runtime: Runtime, *, actor: Actor) -> TotpEnrolment | None:
    """The enrolment begun and not yet confirmed, if any."""
    _, user_id = _owner(actor)
    with runtime.transaction() as session:
        row = users.user_row(session, user_id)
        if row.totp_pending is None or row.totp_secret is not None:
            return None
        return _enrolment(row.email, unseal(runtime.key(), row.id, row.totp_pending))


def confirm(runtime: Runtime, *, actor: Actor, code: str) -> None:
    """Turn TOTP on with the pending secret, proven by a current code from it."""
    with _own_change(runtime, actor, action="totp.enabled") as (row, now):
        _prove(runtime.key(), row, row.totp_pending, code, now,
               missing="There is no TOTP enrolment to confirm; start one first.")
        row.totp_secret, row.totp_pending = row.totp_pending, None


def disable(runtime: Runtime, *, actor: Actor, code: str) -> None:
    """Turn TOTP off, proven by a current code."""
    with _own_change(runtime, actor, action="totp.disabled") as (row, now):
        _prove(runtime.key(), row, row.totp_secret, code, now,
               missing="TOTP is not on for this account.")
        row.totp_secret = None
        row.totp_last_step = None


@contextmanager
def _own_change(runtime: Runtime, actor: Actor, *, action: str
                ) -> Iterator[tuple[StoredUser, dt.datetime]]:
    """The signed-in user's row in a transaction, and the time; what the block changes is
    audited as ``action`` (nothing is written when the block raises)."""
    principal, user_id = _owner(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        row = users.user_row(session, user_id)
        yield row, now
        audit.record(session, at=now, actor=principal.subject, action=action,
                     subject=principal.subject, details={})


def _prove(key: MasterKey, row: StoredUser, sealed: str | None, code: str,
           now: dt.datetime, *, missing: str) -> None:
    """Accept ``code`` as a current code of the ``sealed`` secret; ConflictError
    (``missing``) when there is no such secret, InputError when the code does not do."""
    if sealed is None:
        raise ConflictError(missing)
    if use_code(row, unseal(key, row.id, sealed), code, now) is not None:
        raise InputError("The authentication code is wrong, expired or already used.",
                         problems=[Problem("code", "wrong, expired or used code")])


def use_code(row: StoredUser, secret: str, code: str | None, now: dt.datetime) -> str | None:
    """Accept ``code`` for the stored user (recording its time step, so that it is never
    accepted again) or say why not."""
    checked = check_code(secret, code, now=now, last_step=row.totp_last_step)
    if checked.step is None:
        return checked.reason
    row.totp_last_step = checked.step
    return None


def seal(key: MasterKey, user_id: int, secret: str) -> str:
    """A TOTP secret sealed for the database (AES-256-GCM, bound to the user)."""
    nonce = os.urandom(12)
    sealed = _cipher(key).encrypt(nonce, secret.encode(), f"user:{user_id}".encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(key: MasterKey, user_id: int, stored: str) -> str:
    raw = base64.urlsafe_b64decode(stored.encode("ascii"))
    try:
        plain = _cipher(key).decrypt(raw[:12], raw[12:], f"user:{user_id}".encode())
    except InvalidTag:
        raise KeyStoreError(f"The TOTP secret of user {user_id} does not open with this "
                            "master key (was the key replaced, or the row copied?).") from None
    return plain.decode("ascii")


def _cipher(key: MasterKey) -> AESGCM:
    return AESGCM(key.derive(KEY_LABEL))


def _owner(actor: Actor) -> tuple[Principal, int]:
    return users.own_account(actor, action="totp", what="totp")


def _enrolment(email: str, secret: str) -> TotpEnrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage)
    return TotpEnrolment(secret=secret, uri=uri, qr_svg=image.to_string(encoding="unicode"))
