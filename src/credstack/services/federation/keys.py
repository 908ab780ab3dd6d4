"""Rotating the federation's keys: a new key for the anchor, or for a provider's entity.

The old key is retired and stays in the entity's JWK set for a statement's lifetime
(:data:`KEY_OVERLAP`), so what it signed keeps verifying until it expires; the rotation is
audited (``federation.key.rotated``). Keys are made, sealed and kept by the key store
(:mod:`credstack.adapters.db.repositories.federation`); none leaves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import federation as store
from credstack.core.access import Action, Actor
from credstack.core.federation import providers
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["KEY_OVERLAP", "RotatedKey", "rotate_key"]

#: How long a retired key stays published: the lifetime of what it signed.
KEY_OVERLAP: Final = providers.STATEMENT_LIFETIME


@dataclass(frozen=True, slots=True)
class RotatedKey:
    """A rotation's outcome: the new key's ``kid`` and the retired one's, published until."""

    entity: str
    kid: str
    retired: str | None
    retired_published_until: dt.datetime | None


def rotate_key(runtime: Runtime, *, actor: Actor, organisation: str | None = None) -> RotatedKey:
    """A new federation key for the anchor (or provider ``organisation``'s entity); the old
    one is retired and stays in the JWK set for a statement's lifetime. The anchor's key is
    the platform's (``keys:manage`` on no organisation: a registry administrator)."""
    entity = store.organisation_entity(organisation) if organisation else store.ANCHOR
    now = runtime.now()
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE, organisation)
        retired, created = store.rotate_key(
            session, entity=entity, secret=secret, now=now, overlap=KEY_OVERLAP
        )
        audit.record(
            session,
            at=now,
            actor=principal.subject,
            action="federation.key.rotated",
            subject=f"federation:{entity}",
            key=secret,
            details={"kid": created.kid, "retired": retired.kid if retired else None},
        )
    return RotatedKey(
        entity,
        created.kid,
        retired.kid if retired else None,
        retired.published_until if retired else None,
    )
