"""Getting back into an account whose passkeys are lost, by an e-mailed link (issue 57).

A member of an organisation that switched passwords off (:mod:`.password_policy`) signs in
with passkeys only; a lost phone would lock them out, and a learner who has left the campus
keeps their wallet through this account. When such a member asks for a link on the sign-in
page's "forgot" form (:mod:`.reset_by_email`, same limits, same answer for every address),
the e-mail they get is a recovery link instead of a password link: a reset link of the same
table, valid an hour, used once.

Opening it shows whose account it is; confirming (:func:`complete`) uses the link up and
signs the person in, once, so that they register a new passkey on the account page. Whoever
held the lost passkey may hold a way in besides it, so everything else ends as with a new
password (:func:`.endings.end_access`: the other web sessions, tokens and API client
secrets), and the lost passkeys stay listed for their owner to remove. The recovery is
audited (``account.recovered``, with the counts that ended); a disabled account is refused.

A reset link an administrator hands to such a member leads here too: a password would not
sign them in.
"""

from __future__ import annotations

from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as store
from credstack.errors import AccountDisabledError
from credstack.services import audit
from credstack.services.accounts import endings, password_policy, passwords, sessions
from credstack.services.accounts import service as users
from credstack.services.accounts.service import User
from credstack.services.accounts.sessions import SignedIn
from credstack.services.runtime import Runtime

__all__ = ["DISABLED", "Recovery", "complete", "recovery_for"]

#: The refusal's code: the account was disabled by an administrator.
DISABLED = "accounts.refused.account_disabled"


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a reset link is for: its account, and whether that account signs in by passkey
    only (a member of an organisation that switched passwords off), which makes the link a
    recovery link."""

    user: User
    passkeys_only: bool


def recovery_for(runtime: Runtime, *, token: str) -> Recovery:
    """The account a reset link is for, while it can be used, and whether passwords are off
    for it; :class:`~credstack.errors.NotFoundError` for a link unknown, used or expired."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = passwords.link_owner(session, token, now)
        return Recovery(users.view(session, row),
                        bool(password_policy.passwordless_organisations(session, row.id)))


def complete(runtime: Runtime, *, token: str, ip: str) -> SignedIn:
    """Use the link up and sign its account in, ending every other way in; NotFoundError
    for a link unknown, used or expired, AccountDisabledError for a disabled account."""
    ip = ip[:64]
    now = runtime.now()
    with runtime.transaction() as session:
        row = passwords.link_owner(session, token, now)
        if row.disabled:
            raise AccountDisabledError(code=DISABLED)
        passwords.use_link(session, token, now)
        store.forget_resets(session, row.id)
        ended = endings.end_access(session, row.id, at=now, by="account.recovered")
        subject = f"user:{row.id}"
        audit.record(session, at=now, actor=subject, action="account.recovered",
                     subject=subject, details={"ip": ip, "via": "e-mailed link", **ended})
        return sessions.start(session, user_id=row.id, settings=runtime.settings, now=now)
