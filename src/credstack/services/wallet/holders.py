"""Who the learner is: their identifiers and their holder key.

A learner's identifiers are what credentials name them by: the account's sign-in e-mail
address (added, verified, when the wallet is first opened), the holder key's ``did:key``
(verified: the platform holds the key), and whatever the learner adds — other e-mail
addresses, student numbers, URLs, other DIDs. Credentials are the account's, not an
identifier's: removing an identifier keeps every credential.

Credentials that organisations on this platform issue are delivered only to *verified*
identifiers, so that adding somebody else's address never brings in their credentials.
Identifiers the learner adds are unverified until confirmed (by a code sent to the address,
once the platform sends e-mail); an import of a file the learner holds matches every
identifier.

The holder key is an Ed25519 key made on first use, sealed with the master key like issuer
keys (:mod:`credstack.adapters.keystore`): its secret never leaves the store in the clear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import wallet_holders as holder_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.keystore import MasterKey, seal_new_key, unseal
from credstack.core.access import Action, Actor, Principal
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.descriptors.models import IdentifierType
from credstack.core.dids import did_key
from credstack.core.wallet.recipients import Identifier, normalise
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["Holder", "IdentifierView", "add_identifier", "holder", "holder_key",
           "identifiers_of", "learner_names", "open_wallet", "remove_identifier", "wallet_owner"]

#: The holder key's sealed binding names the user this way (never an organisation slug).
_KEY_OWNER = "holder:user:{}"
_KEY_FRAGMENT = "holder"
_MAX_IDENTIFIERS = 50


@dataclass(frozen=True, slots=True)
class IdentifierView:
    kind: IdentifierType
    value: str
    verified: bool
    #: The sign-in address and the holder DID are the account's own: never removed here.
    removable: bool
    created_at: dt.datetime

    def to_dict(self) -> dict[str, object]:
        return {"type": self.kind.value, "value": self.value, "verified": self.verified,
                "removable": self.removable, "created_at": self.created_at.isoformat()}


@dataclass(frozen=True, slots=True)
class Holder:
    """The learner as a holder: their DID and its verification method."""

    did: str
    verification_method: str


def wallet_owner(actor: Actor, action: Action) -> Principal:
    """The principal whose wallet this is (``wallet:read`` or ``wallet:write``)."""
    principal = actor.require(action)
    assert principal.user_id is not None  # self-service actions need a user (the policy)
    return principal


def open_wallet(session: Session, master: MasterKey, *, user_id: int, now: dt.datetime
                ) -> None:
    """Make the wallet's own identifiers and the holder key, the first time."""
    if holder_store.opened(session, user_id):
        return
    user = account_store.user_row(session, user_id)
    if user is None:
        raise NotFoundError(f"No user {user_id}.")
    sealed = seal_new_key(master, key_type=KeyType.ED25519,
                          organisation=_KEY_OWNER.format(user_id), fragment=_KEY_FRAGMENT)
    holder_store.add_key(session, user_id=user_id, sealed=sealed, at=now)
    for kind, value in ((IdentifierType.EMAIL, user.email),
                        (IdentifierType.DID, did_key.did_from_public_key(sealed.public_key))):
        identifier = normalise(kind, value)
        if _owner_of(session, identifier) is None:
            holder_store.add_identifier(session, user_id=user_id, kind=identifier.kind.value,
                                        value=identifier.value, at=now, verified=True)
    session.flush()


def holder_key(session: Session, master: MasterKey, *, user_id: int, now: dt.datetime
               ) -> tuple[KeyPair, Holder]:
    """The learner's holder key pair (opened from the store) and their holder DID."""
    open_wallet(session, master, user_id=user_id, now=now)
    row = holder_store.key(session, user_id)
    assert row is not None
    key_pair = unseal(master, organisation=_KEY_OWNER.format(user_id), fragment=_KEY_FRAGMENT,
                      key_type=KeyType(row.key_type), public_multibase=row.public_multibase,
                      master_key_id=row.master_key_id, nonce=row.nonce,
                      ciphertext=row.encrypted_secret)
    return key_pair, _holder(key_pair)


def _holder(key_pair: KeyPair) -> Holder:
    return Holder(did_key.did_from_public_key(key_pair.public_key),
                  did_key.verification_method_id(key_pair.public_key))


def _owner_of(session: Session, identifier: Identifier) -> int | None:
    return holder_store.owner_of(session, kind=identifier.kind.value, value=identifier.value)


def identifiers_of(session: Session, user_id: int, *, verified_only: bool = False
                   ) -> list[Identifier]:
    return [Identifier(IdentifierType(kind), value) for kind, value
            in holder_store.identifiers(session, user_id, verified_only=verified_only)]


def learner_names(session: Session, user_id: int) -> list[str]:
    """The names, lower-cased, a credential issued to the learner may carry: their wallet's
    verified identifiers — or, for a wallet never opened, the address they sign in with, which
    :func:`open_wallet` makes its first identifier unless another learner's wallet holds it."""
    names = [item.value.lower() for item in identifiers_of(session, user_id,
                                                           verified_only=True)]
    if names:
        return names
    user = account_store.user_row(session, user_id)
    if user is None:
        return []
    holder = _owner_of(session, normalise(IdentifierType.EMAIL, user.email))
    return [user.email.lower()] if holder in (None, user_id) else []


def _views(session: Session, user_id: int) -> list[IdentifierView]:
    user = account_store.user_row(session, user_id)
    key = holder_store.key(session, user_id)
    own = {(IdentifierType.EMAIL.value, user.email if user else "")}
    if key is not None:
        own.add((IdentifierType.DID.value, f"did:key:{key.public_multibase}"))
    return [IdentifierView(IdentifierType(row.kind), row.value, row.verified,
                           (row.kind, row.value) not in own, row.created_at)
            for row in holder_store.identifier_records(session, user_id)]


def holder(runtime: Runtime, *, actor: Actor) -> tuple[Holder, list[IdentifierView]]:
    """The learner's holder DID and identifiers (the wallet is opened on first use)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.transaction() as session:
        _, found = holder_key(session, runtime.key(), user_id=principal.user_id,
                                     now=runtime.now())
        return found, _views(session, principal.user_id)


def _parse(kind: str, value: str) -> Identifier:
    try:
        identifier_type = IdentifierType(kind)
    except ValueError:
        raise InputError(code="wallet.refused.identifier_kind", problems=[
            Problem("type", f"use one of {', '.join(t.value for t in IdentifierType)}, "
                            f"not {kind!r}")]) from None
    identifier = normalise(identifier_type, value)
    problems = []
    if not identifier.value or len(identifier.value) > 500:
        problems.append(Problem("value", "give the identifier (1 to 500 characters)"))
    elif identifier_type is IdentifierType.EMAIL and (
            "@" not in identifier.value or " " in identifier.value):
        problems.append(Problem("value", f"{identifier.value!r} is not an e-mail address"))
    elif identifier_type is IdentifierType.DID and not identifier.value.startswith("did:"):
        problems.append(Problem("value", "a DID starts with 'did:'"))
    elif identifier_type is IdentifierType.URL and not identifier.value.startswith(
            ("https://", "http://")):
        problems.append(Problem("value", "a URL starts with https:// or http://"))
    if problems:
        raise InputError(code="wallet.refused.identifier_invalid",
                         problems=problems)
    return identifier


def _asked(actor: Actor, kind: str, value: str) -> tuple[int, str, Identifier]:
    """The wallet's owner (id, audit subject) changing its identifiers, and the identifier."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    return principal.user_id, principal.subject, _parse(kind, value)


def add_identifier(runtime: Runtime, *, actor: Actor, kind: str, value: str
                   ) -> list[IdentifierView]:
    """Add an identifier (unverified); refused when it is already someone's."""
    user_id, subject, identifier = _asked(actor, kind, value)
    now = runtime.now()
    with runtime.transaction() as session:
        open_wallet(session, runtime.key(), user_id=user_id, now=now)
        owner = _owner_of(session, identifier)
        if owner is None and identifier.kind is IdentifierType.EMAIL:
            # Another account's sign-in address is theirs before they first open their wallet
            # too (it would otherwise be kept from them when they do).
            owner = account_store.user_id_by_address(session, identifier.value)
        if owner == user_id:
            raise ConflictError(code="wallet.refused.identifier_yours",
                                params={"value": identifier.value})
        if owner is not None:
            raise ConflictError(
                code="wallet.refused.identifier_taken", params={"value": identifier.value},
                problems=[Problem("value", identifier.value)])
        if len(identifiers_of(session, user_id)) >= _MAX_IDENTIFIERS:
            raise InputError(code="wallet.refused.too_many_identifiers",
                             params={"most": _MAX_IDENTIFIERS})
        holder_store.add_identifier(session, user_id=user_id,
                                    kind=identifier.kind.value, value=identifier.value, at=now,
                                    verified=False)
        audit.record(session, at=now, actor=subject, action="wallet.identifier.added",
                     subject=f"user:{user_id}",
                     details={"type": identifier.kind.value})
        session.flush()
        return _views(session, user_id)


def remove_identifier(runtime: Runtime, *, actor: Actor, kind: str, value: str
                      ) -> list[IdentifierView]:
    """Remove an identifier the learner added; every credential stays in the wallet."""
    user_id, subject, identifier = _asked(actor, kind, value)
    now = runtime.now()
    with runtime.transaction() as session:
        views = {(view.kind, view.value): view for view in _views(session, user_id)}
        found = views.get((identifier.kind, identifier.value))
        if found is None:
            raise NotFoundError(code="wallet.refused.identifier_unknown",
                                params={"value": identifier.value})
        if not found.removable:
            raise ConflictError(
                code="wallet.refused.identifier_stays", params={"value": identifier.value})
        holder_store.remove_identifier(session, user_id=user_id,
                                       kind=identifier.kind.value, value=identifier.value)
        audit.record(session, at=now, actor=subject,
                     action="wallet.identifier.removed", subject=f"user:{user_id}",
                     details={"type": identifier.kind.value})
        session.flush()
        return _views(session, user_id)
