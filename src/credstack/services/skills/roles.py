"""An employer's saved roles: a role described on the match page, kept to be found again.

The match (:mod:`.matching`) asks its question afresh each time; a person who means to ask
it again saves the role under a title of theirs (:func:`save`): the description they typed
and the skills they chose, in order. Their saved roles are listed (:func:`saved`), opened
(:func:`role`: the page fills its form from it) and deleted (:func:`delete`). Saving a
title they used already replaces that role. A role is its maker's alone: anyone else asking
for it is told there is no such role. Each change is audited (``employer.role.saved``,
``employer.role.deleted``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from credstack.adapters.db.repositories import employer_roles as role_store
from credstack.adapters.db.repositories.employer_roles import SavedRole
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.skills.matching import MAX_DESCRIPTION, role_skills

__all__ = ["MAX_ROLES", "MAX_TITLE", "SavedRole", "delete", "role", "save", "saved"]

#: The longest title of a role.
MAX_TITLE: Final = 200
#: How many roles one person keeps.
MAX_ROLES: Final = 100


def _owner(actor: Actor) -> int:
    principal = actor.user()
    assert principal.user_id is not None  # a user, not an API client of nobody's
    return principal.user_id


def _own(session: Session, *, user_id: int, role_id: int) -> SavedRole:
    row = role_store.role(session, user_id=user_id, role_id=role_id)
    if row is None:
        raise NotFoundError(code="employers.refused.no_role", params={"role_id": role_id})
    return row


def save(runtime: Runtime, *, actor: Actor, title: str, text: str, skills: Sequence[str]
         ) -> SavedRole:
    """Save the role under ``title`` (a role of the same title is replaced): its
    description ``text`` and its ``skills`` (framework items' URIs, at least one)."""
    user_id = _owner(actor)
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise InputError(code="employers.refused.title_length", params={"most": MAX_TITLE},
                         problems=[Problem("title", "empty" if not title else "too long")])
    if len(text) > MAX_DESCRIPTION:
        raise InputError(code="employers.refused.description_length",
                         params={"most": MAX_DESCRIPTION},
                         problems=[Problem("text", "too long")])
    chosen = role_skills(runtime, skills)
    if not chosen:
        raise InputError(code="employers.refused.no_skills",
                         problems=[Problem("skills", "none chosen")])
    now = runtime.now()
    uris = [item.uri for item in chosen]
    with runtime.transaction() as session:
        if role_store.titled(session, user_id=user_id, title=title) is None \
                and role_store.count(session, user_id=user_id) >= MAX_ROLES:
            raise InputError(code="employers.refused.too_many_roles", params={"most": MAX_ROLES},
                             problems=[Problem("title", "too many roles")])
        row = role_store.write(session, user_id=user_id, title=title, text=text.strip(),
                               skills=uris, at=now)
        audit.record(session, at=now, actor=actor.user().subject, action="employer.role.saved",
                     subject=f"employer-role:{row.id}",
                     details={"title": title, "skills": len(uris)})
        return row


def saved(runtime: Runtime, *, actor: Actor) -> list[SavedRole]:
    """The caller's saved roles, the latest changed first."""
    user_id = _owner(actor)
    with runtime.sessions() as session:
        return role_store.roles(session, user_id=user_id)


def role(runtime: Runtime, *, actor: Actor, role_id: int) -> SavedRole:
    """One of the caller's saved roles (:class:`NotFoundError` for anyone else's)."""
    user_id = _owner(actor)
    with runtime.sessions() as session:
        return _own(session, user_id=user_id, role_id=role_id)


def delete(runtime: Runtime, *, actor: Actor, role_id: int) -> None:
    """Delete one of the caller's saved roles."""
    user_id = _owner(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        row = _own(session, user_id=user_id, role_id=role_id)
        audit.record(session, at=now, actor=actor.user().subject,
                     action="employer.role.deleted", subject=f"employer-role:{row.id}",
                     details={"title": row.title})
        role_store.forget(session, row.id)
