"""Collections: the learner's own groupings of credentials (a job application, a degree
plan …), each shareable as one link."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import wallet_collections as collection_store
from credstack.adapters.db.repositories.wallet_collections import StoredCollection
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import owned_row

__all__ = ["Collection", "add_to", "collections", "create", "delete", "owned_collection",
           "remove_from", "rename"]

MAX_NAME_LENGTH: Final = 200
MAX_DESCRIPTION_LENGTH: Final = 2_000
MAX_COLLECTIONS: Final = 200


@dataclass(frozen=True, slots=True)
class Collection:
    public_id: str
    name: str
    description: str
    created_at: dt.datetime
    #: The public ids of its credentials, in the order they were added.
    credentials: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.public_id, "name": self.name, "description": self.description,
                "created_at": self.created_at.isoformat(),
                "credentials": list(self.credentials)}


def _view(session: Session, row: StoredCollection) -> Collection:
    return Collection(row.public_id, row.name, row.description, row.created_at,
                      tuple(collection_store.members(session, row.id)))


def owned_collection(session: Session, user_id: int, public_id: str) -> StoredCollection:
    """The caller's collection; NotFoundError for anyone else's, as for none."""
    row = collection_store.owned(session, user_id=user_id, public_id=public_id)
    if row is None:
        raise NotFoundError(code="wallet.refused.no_collection", params={"public_id": public_id})
    return row


def _checked(name: str, description: str) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    problems = []
    if not name or len(name) > MAX_NAME_LENGTH:
        problems.append(Problem("name", f"give a name of 1 to {MAX_NAME_LENGTH} characters"))
    if len(description) > MAX_DESCRIPTION_LENGTH:
        problems.append(Problem("description",
                                f"at most {MAX_DESCRIPTION_LENGTH:,} characters"))
    if problems:
        raise InputError(code="wallet.refused.collection_invalid",
                         problems=problems)
    return name, description


def collections(runtime: Runtime, *, actor: Actor) -> list[Collection]:
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return [_view(session, row) for row in collection_store.of_user(session,
                                                                        principal.user_id)]


def collection(runtime: Runtime, *, actor: Actor, public_id: str) -> Collection:
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return _view(session, owned_collection(session, principal.user_id, public_id))


def create(runtime: Runtime, *, actor: Actor, name: str, description: str = "",
           credentials: Sequence[str] = ()) -> Collection:
    """A new collection, with ``credentials`` (public ids of the caller's) in it."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    name, description = _checked(name, description)
    now = runtime.now()
    with runtime.transaction() as session:
        if collection_store.count(session, principal.user_id) >= MAX_COLLECTIONS:
            raise InputError(code="wallet.refused.too_many_collections",
                             params={"max_collections": MAX_COLLECTIONS})
        row = collection_store.add(session, public_id=secrets.token_hex(16),
                                   user_id=principal.user_id, name=name,
                                   description=description, at=now)
        for public_id in dict.fromkeys(credentials):
            member = owned_row(session, principal.user_id, public_id)
            collection_store.put(session, row.id, member.id, now)
        audit.record(session, at=now, actor=principal.subject,
                     action="wallet.collection.created", subject=row.public_id,
                     details={"credentials": len(set(credentials))})
        session.flush()
        return _view(session, row)


def rename(runtime: Runtime, *, actor: Actor, public_id: str, name: str | None = None,
           description: str | None = None) -> Collection:
    """Change a collection's name and/or description (``None`` keeps what it has)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        row = owned_collection(session, principal.user_id, public_id)
        new_name, new_description = _checked(row.name if name is None else name,
                                             row.description if description is None
                                             else description)
        row = collection_store.update(session, row.id, name=new_name,
                                      description=new_description)
        audit.record(session, at=runtime.now(), actor=principal.subject,
                     action="wallet.collection.updated", subject=public_id, details={})
        session.flush()
        return _view(session, row)


def add_to(runtime: Runtime, *, actor: Actor, public_id: str, credential: str) -> Collection:
    """Put one of the caller's credentials in one of their collections (once)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = owned_collection(session, principal.user_id, public_id)
        member = owned_row(session, principal.user_id, credential)
        if collection_store.put(session, row.id, member.id, now):
            audit.record(session, at=now, actor=principal.subject,
                         action="wallet.collection.added", subject=public_id,
                         details={"credential": credential})
        session.flush()
        return _view(session, row)


def remove_from(runtime: Runtime, *, actor: Actor, public_id: str, credential: str
                ) -> Collection:
    """Take a credential out of a collection (it stays in the wallet)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        row = owned_collection(session, principal.user_id, public_id)
        member = owned_row(session, principal.user_id, credential)
        if collection_store.take(session, row.id, member.id):
            audit.record(session, at=runtime.now(), actor=principal.subject,
                         action="wallet.collection.removed", subject=public_id,
                         details={"credential": credential})
        session.flush()
        return _view(session, row)


def delete(runtime: Runtime, *, actor: Actor, public_id: str) -> None:
    """Delete a collection (its credentials stay in the wallet; its share links go)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        row = owned_collection(session, principal.user_id, public_id)
        collection_store.forget(session, row.id)
        audit.record(session, at=runtime.now(), actor=principal.subject,
                     action="wallet.collection.deleted", subject=public_id, details={})
