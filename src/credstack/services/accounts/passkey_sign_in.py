"""Signing in with a passkey: no e-mail address, no password (a usernameless WebAuthn
authentication ceremony with a discoverable credential).

:func:`begin` keeps a new challenge bound to a random value only this browser holds (the
entrypoint sets it as a cookie; its SHA-256 is kept) and answers the options the browser
hands ``navigator.credentials.get``: no credential listed, so the authenticator offers the
passkeys it holds for this relying party, with user verification required.
:func:`finish` takes the challenge back — once: it is deleted as it is read — finds the
passkey by the credential id the answer names, and has py_webauthn check the signature with
its public key, the challenge, the relying party id and origin, user verification and the
signature counter (which must go up, where the authenticator counts: a counter that goes back
is a copied authenticator's). The answer's user handle, when given, must be the passkey's
account's. Then the counter and the passkey's last use are kept and a web session starts
(``login.succeeded``, ``method: passkey``).

Refusals are one :class:`~credstack.errors.AuthenticationRequiredError` with one message,
audited ``login.failed`` with the reason, and counted like wrong passwords: failures from
one address lock passkey sign-ins from it, and its sign-ins altogether past the address's
limit (:mod:`credstack.core.accounts.lockout`). Only a passkey that checks out learns that
its account is disabled (:class:`~credstack.errors.AccountDisabledError`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from webauthn import (
    generate_authentication_options,
    options_to_json,
    verify_authentication_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import UserVerificationRequirement

from credstack.adapters.db.repositories import accounts as accounts_store
from credstack.adapters.db.repositories import passkeys as store
from credstack.adapters.db.transactions import Session
from credstack.core.accounts.passkeys import CEREMONY_TIMEOUT_MS, CEREMONY_VALID
from credstack.errors import (
    AccountDisabledError,
    AuthenticationRequiredError,
    CredstackError,
    Problem,
    RateLimitedError,
)
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.accounts import sessions
from credstack.services.accounts.passkeys import party
from credstack.services.accounts.sessions import SignedIn
from credstack.services.accounts.sign_in import locked
from credstack.services.runtime import Runtime

__all__ = ["SIGN_IN", "Ceremony", "begin", "finish"]

log = logging.getLogger("credstack.accounts")

#: What a sign-in ceremony's challenge is kept for.
SIGN_IN = "sign-in"
#: The lock's account key of passkey sign-ins (the account is not known before the check).
ATTEMPT_KEY = "passkey"
#: Credential ids are at most 1,023 bytes (1,364 characters in base64url).
MAX_CREDENTIAL_ID = 1400


@dataclass(frozen=True, slots=True)
class Ceremony:
    """A sign-in ceremony begun: the options for the browser, and the value that binds it
    to this browser (sent as a cookie, never shown)."""

    options: dict[str, Any]
    binding: str


def begin(runtime: Runtime) -> Ceremony:
    """A new sign-in ceremony: its options, and the binding the browser must present."""
    options = generate_authentication_options(
        rp_id=party(runtime).id, timeout=CEREMONY_TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED)
    binding = secrets.token_urlsafe(32)
    now = runtime.now()
    with runtime.transaction() as session:
        store.add_challenge(session, purpose=SIGN_IN, binding=binding,
                            challenge=bytes_to_base64url(options.challenge), user_id=None,
                            at=now, expires_at=now + CEREMONY_VALID)
    return Ceremony(options=json.loads(options_to_json(options)), binding=binding)


def finish(runtime: Runtime, *, binding: str, credential: dict[str, Any], ip: str
           ) -> SignedIn:
    """A new web session for the owner of the passkey that answered this browser's
    ceremony; else the error that says as little as it should."""
    ip = ip[:64]
    now = runtime.now()
    refusal: CredstackError
    with runtime.transaction() as session:
        wait, what = locked(session, key=ATTEMPT_KEY, ip=ip, now=now)
        if wait is not None:
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="login.locked", subject="passkey", ip=ip,
                                    details={"ip": ip, "locked": what, "retry_after": wait,
                                             "method": "passkey"})
            refusal = RateLimitedError(
                code="accounts.refused.too_many_sign_ins", params={"wait": wait},
                retry_after=wait)
        else:
            reason, row = _check(runtime, session, binding=binding, credential=credential,
                                 now=now)
            accounts_store.record_attempt(session, key=ATTEMPT_KEY, ip=ip, at=now,
                                          succeeded=reason is None)
            subject = f"user:{row.user_id}" if row is not None else "passkey"
            if reason is None and row is not None:
                audit.record(session, at=now, actor=subject, action="login.succeeded",
                             subject=subject,
                             details={"ip": ip, "method": "passkey", "passkey": row.id})
                return sessions.start(session, user_id=row.user_id,
                                      settings=runtime.settings, now=now)
            log.warning("passkey sign-in failed from %s: %s", ip, reason)
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="login.failed", subject=subject, ip=ip,
                                    details={"ip": ip, "method": "passkey", "reason": reason})
            refusal = AccountDisabledError(
                code="accounts.refused.account_disabled") if reason == "account disabled" else \
                AuthenticationRequiredError(
                    code="accounts.refused.passkey_failed",
                    problems=[Problem("credential", "passkey not accepted")])
    raise refusal


def _check(runtime: Runtime, session: Session, *, binding: str, credential: dict[str, Any],
           now: dt.datetime) -> tuple[str | None, Any]:
    """Why the answer does not sign in (None: it does), and the passkey it named."""
    challenge = store.take_challenge(session, purpose=SIGN_IN, binding=binding) \
        if binding else None
    if challenge is None:
        return "no sign-in under way in this browser", None
    expires = challenge.expires_at
    if (expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)) <= now:
        return "the sign-in took too long", None
    credential_id = credential.get("id") or credential.get("rawId")
    if not isinstance(credential_id, str) or not 0 < len(credential_id) <= MAX_CREDENTIAL_ID:
        return "no credential id", None
    row = store.by_credential_id(session, credential_id)
    if row is None:
        return "unknown passkey", None
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if handle and handle != row.user_handle:
        return "the user handle is not the passkey's account's", row
    rp = party(runtime)
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=base64url_to_bytes(challenge.challenge),
            expected_rp_id=rp.id, expected_origin=rp.origin,
            credential_public_key=row.public_key,
            credential_current_sign_count=row.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        return f"the answer does not check out: {exc}"[:300], row
    owner = accounts_store.user_row(session, row.user_id)
    if owner is None or owner.disabled:
        return "account disabled", row
    row.sign_count = verified.new_sign_count
    row.last_used_at = now
    return None, row
