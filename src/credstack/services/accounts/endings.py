"""What ends when an account's identity changes: a new password (changed by its owner, set
by an administrator, or through a reset link) or an administrator disabling the account.

Whoever took the password may hold a way in besides it, so every one ends at once: the web
sessions (all but the one the owner changed their password in), the access and refresh
tokens acting for the user (those of their API clients, and those applications got by
their consent), and the secrets of their API clients (issue 55, M2). The clients stay,
their secrets unusable until the owner issues new ones
(:func:`~credstack.services.accounts.clients.renew_own_secret`); enabling the account again
brings nothing back. The caller's single audit entry carries the counts this returns.
"""

from __future__ import annotations

import datetime as dt

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.repositories import oauth as oauth_store
from credstack.adapters.db.transactions import Session


def end_access(session: Session, user_id: int, *, at: dt.datetime, by: str,
               keep_session: str | None = None) -> dict[str, int]:
    """End the user's sessions (but the one of the cookie token ``keep_session``), tokens
    and API client secrets, in the caller's transaction (``by``: the audit action the caller
    records); how many of each ended, for that entry."""
    return {"sessions_ended": store.end_sessions(session, user_id, at=at, keep=keep_session),
            "tokens_ended": store.end_api_tokens(session, user_id, at=at)
            + oauth_store.revoke_of_user(session, user_id, at=at),
            "client_secrets_ended": store.end_client_secrets(session, user_id, at=at, by=by)}
