"""Every account on the platform, as its operator looks after them: search, roles in each
organisation (given and taken through :mod:`credstack.services.accounts.service`, audited
there as ``membership.added`` / ``membership.removed``), lock and unlock (the account is
disabled: it cannot sign in and its sessions end; ``user.disabled`` / ``user.enabled``), and
ending someone's web sessions (``user.sessions_ended``)."""

from __future__ import annotations

from credstack.adapters.db.repositories import accounts as store
from credstack.core.access import Actor
from credstack.errors import ConflictError
from credstack.services import accounts, audit
from credstack.services.accounts import User
from credstack.services.console.operators import require_operator
from credstack.services.runtime import Runtime

__all__ = ["PAGE", "end_sessions", "person", "search"]

#: At most this many people a search shows.
PAGE = 50


def search(runtime: Runtime, *, actor: Actor, query: str = "") -> list[User]:
    """Accounts whose address or name holds ``query`` (everyone when empty), newest first,
    at most :data:`PAGE`."""
    require_operator(actor, action="accounts.search")
    needle = query.strip().lower()
    with runtime.transaction() as session:
        return [accounts.view(session, row)
                for row in store.search_users(session, needle, limit=PAGE)]


def person(runtime: Runtime, *, actor: Actor, email: str) -> User:
    """One account, with its roles in each organisation."""
    require_operator(actor, action="accounts.read")
    with runtime.transaction() as session:
        return accounts.view(session, accounts.user_row_by_email(session, email))


def end_sessions(runtime: Runtime, *, actor: Actor, email: str) -> int:
    """End every web session of ``email`` (they must sign in again); how many ended. Never
    one's own (that is signing out)."""
    principal = require_operator(actor, action="user.sessions_ended")
    now = runtime.now()
    with runtime.transaction() as session:
        row = accounts.user_row_by_email(session, email)
        if row.id == principal.user_id:
            raise ConflictError(code="console.refused.own_sessions")
        ended = store.end_sessions(session, row.id, at=now)
        audit.record(session, at=now, actor=principal.subject, action="user.sessions_ended",
                     subject=f"user:{row.id}", details={"sessions_ended": ended})
        return ended
