"""Passkeys of one's own account: registering one, naming, listing and removing them.

A signed-in person registers a passkey in two steps (a WebAuthn registration ceremony):
:func:`begin_registration` keeps a new challenge bound to their web session (the cookie
token's SHA-256) and answers the options the browser hands ``navigator.credentials.create``;
:func:`finish_registration` takes that challenge back — once: it is deleted as it is read —
and has py_webauthn check the authenticator's answer against it, this deployment's relying
party id and origin (:func:`credstack.core.accounts.passkeys.relying_party`), and user
verification. The passkey is kept under the name its owner gave it (``passkey.registered``).

The options ask for a discoverable credential (``residentKey: required``) with user
verification, so that the passkey alone signs in (:mod:`.passkey_sign_in`): the
authenticator finds it without an e-mail address, and its PIN or biometric stands in for the
password. The account's other passkeys are excluded, so one authenticator is not registered
twice. Only the owner, signed in through a web session, registers or removes their passkeys:
an access token or the console's operator is refused.

Removing a passkey (``passkey.removed``) ends what the account's way in may have given to
whoever held it: the web sessions but the one it was removed in, tokens and API client
secrets (:mod:`.endings`), as a new password does.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from webauthn import (
    generate_registration_options,
    options_to_json,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from credstack.adapters.db.repositories import passkeys as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.core.accounts.passkeys import (
    CEREMONY_TIMEOUT_MS,
    CEREMONY_VALID,
    MAX_NAME,
    MAX_PASSKEYS,
    RP_NAME,
    RelyingParty,
    passkey_name,
    relying_party,
    reported_transports,
)
from credstack.errors import ConfigurationError, ConflictError, InputError, NotFoundError, Problem
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.accounts import endings
from credstack.services.accounts import service as users
from credstack.services.runtime import Runtime

__all__ = ["Passkey", "begin_registration", "finish_registration", "list_own", "party",
           "remove_own"]

#: What a registration ceremony's challenge is kept for.
REGISTER = "register"


@dataclass(frozen=True, slots=True)
class Passkey:
    """One passkey of an account, as its owner sees it."""

    id: int
    name: str
    transports: tuple[str, ...]
    created_at: dt.datetime
    last_used_at: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "transports": list(self.transports),
                "createdAt": self.created_at.isoformat(),
                "lastUsedAt": self.last_used_at.isoformat() if self.last_used_at else None}


def view(row: Any) -> Passkey:
    return Passkey(id=row.id, name=row.name, transports=tuple(row.transports.split()),
                   created_at=_utc(row.created_at),
                   last_used_at=_utc(row.last_used_at) if row.last_used_at else None)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def party(runtime: Runtime) -> RelyingParty:
    """This deployment's relying party; ConfigurationError where its public URL names no
    host WebAuthn accepts."""
    found = relying_party(runtime.settings.public_url)
    if found is None:
        raise ConfigurationError(
            code="workspace.refused.passkeys_need_host",
            params={"public_url": runtime.settings.public_url})
    return found


def checked_name(name: str) -> str:
    """``name`` as a passkey's name is kept; InputError naming the field otherwise."""
    kept, problem = passkey_name(name)
    if problem == "missing":
        raise InputError(code="accounts.refused.passkey_name_missing",
                         problems=[Problem("name", "missing")])
    if problem is not None:
        raise InputError(code="accounts.refused.passkey_name_too_long",
                         params={"max_name": MAX_NAME},
                         problems=[Problem("name", f"longer than {MAX_NAME} characters")])
    return kept


def _own(actor: Actor) -> int:
    return users.own_account(actor, action="passkeys.manage", what="passkeys")[1]


def list_own(runtime: Runtime, *, actor: Actor) -> list[Passkey]:
    """The passkeys of whoever is asking, oldest first (none for the console's operator)."""
    principal = actor.user()
    if principal.user_id is None:
        return []
    with runtime.sessions() as session:
        return [view(row) for row in store.of_user(session, principal.user_id)]


def begin_registration(runtime: Runtime, *, actor: Actor, session_token: str
                       ) -> dict[str, Any]:
    """The options of a new registration ceremony for the signed-in owner, its challenge
    kept bound to their web session (``session_token``, the cookie's value)."""
    user_id = _own(actor)
    rp = party(runtime)
    now = runtime.now()
    with runtime.transaction() as session:
        owner = users.user_row(session, user_id)
        kept = store.of_user(session, user_id)
        if len(kept) >= MAX_PASSKEYS:
            raise ConflictError(
                code="accounts.refused.too_many_passkeys", params={"max_passkeys": MAX_PASSKEYS})
        handle = store.user_handle(session, user_id) or bytes_to_base64url(
            secrets.token_bytes(32))
        options = generate_registration_options(
            rp_id=rp.id, rp_name=RP_NAME, user_name=owner.email,
            user_id=base64url_to_bytes(handle), user_display_name=owner.display_name,
            timeout=CEREMONY_TIMEOUT_MS,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.REQUIRED, require_resident_key=True,
                user_verification=UserVerificationRequirement.REQUIRED),
            exclude_credentials=[_descriptor(row) for row in kept])
        store.add_challenge(session, purpose=REGISTER, binding=session_token,
                            challenge=bytes_to_base64url(options.challenge), user_id=user_id,
                            user_handle=handle, at=now, expires_at=now + CEREMONY_VALID)
    answer: dict[str, Any] = json.loads(options_to_json(options))
    return answer


def _descriptor(row: Any) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in row.transports.split()
                  if t in AuthenticatorTransport._value2member_map_]
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id),
                                         transports=transports or None)


def finish_registration(runtime: Runtime, *, actor: Actor, session_token: str,
                        credential: dict[str, Any], name: str, ip: str) -> Passkey:
    """Keep the passkey the authenticator made, under ``name``, once its answer checks out
    against the challenge of this session's ceremony (which is then spent, whatever the
    verdict); InputError saying what is wrong otherwise (audited ``passkey.refused``)."""
    user_id = _own(actor)
    kept_name = checked_name(name)
    rp = party(runtime)
    now = runtime.now()
    reason: str | None = None
    with runtime.transaction() as session:
        challenge = store.take_challenge(session, purpose=REGISTER, binding=session_token)
        if challenge is None or challenge.user_id != user_id:
            reason = "no registration under way in this session"
        elif _utc(challenge.expires_at) <= now:
            reason = "the registration took too long"
        else:
            try:
                verified = verify_registration_response(
                    credential=credential,
                    expected_challenge=base64url_to_bytes(challenge.challenge),
                    expected_rp_id=rp.id, expected_origin=rp.origin,
                    require_user_verification=True)
            except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
                reason = f"the authenticator's answer does not check out: {exc}"[:300]
            else:
                credential_id = bytes_to_base64url(verified.credential_id)
                if store.by_credential_id(session, credential_id) is not None:
                    reason = "this passkey is registered already"
                else:
                    return _keep(session, user_id=user_id, handle=challenge.user_handle or "",
                                 credential=credential,
                                 credential_id=credential_id,
                                 public_key=verified.credential_public_key,
                                 sign_count=verified.sign_count, name=kept_name, ip=ip,
                                 now=now)
        refusals.audit_refused(runtime, session, at=now, actor=f"user:{user_id}",
                               action="passkey.refused", subject=f"user:{user_id}", ip=ip,
                               details={"ip": ip, "reason": reason})
    raise InputError(
        code="accounts.refused.passkey_not_registered",
        problems=[Problem("credential", reason or "")])


def _keep(session: Session, *, user_id: int, handle: str, credential: dict[str, Any],
          credential_id: str, public_key: bytes, sign_count: int, name: str, ip: str,
          now: dt.datetime) -> Passkey:
    response = credential.get("response")
    transports = reported_transports(response.get("transports")
                                     if isinstance(response, dict) else None)
    row = store.add(session, user_id=user_id, credential_id=credential_id, user_handle=handle,
                    public_key=public_key, sign_count=sign_count, transports=transports,
                    name=name, at=now)
    audit.record(session, at=now, actor=f"user:{user_id}", action="passkey.registered",
                 subject=f"user:{user_id}",
                 details={"passkey": row.id, "name": name, "transports": transports, "ip": ip})
    return view(row)


def remove_own(runtime: Runtime, *, actor: Actor, passkey_id: int, ip: str,
               keep_session: str | None) -> dict[str, int]:
    """Remove one of the owner's passkeys (``passkey.removed``) and end what it may have let
    in: the account's other web sessions (but ``keep_session``, the one it was removed in),
    its tokens and API client secrets; how many of each ended."""
    user_id = _own(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.one_of_user(session, user_id=user_id, passkey_id=passkey_id)
        if row is None:
            raise NotFoundError(code="accounts.refused.no_passkey",
                                params={"passkey_id": passkey_id})
        name = row.name
        store.remove(session, row)
        ended = endings.end_access(session, user_id, at=now, by="passkey.removed",
                                   keep_session=keep_session)
        audit.record(session, at=now, actor=f"user:{user_id}", action="passkey.removed",
                     subject=f"user:{user_id}",
                     details={"passkey": passkey_id, "name": name, "ip": ip, **ended})
    return ended
