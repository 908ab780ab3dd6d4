"""Organisations that run their own credstack join the federation as intermediate entities.

An operator registers an intermediate by its entity identifier
(:func:`register_intermediate`): its entity configuration is fetched, must be self-signed,
current and name this anchor among its ``authority_hints`` (the hint pointing back); its
keys and names are kept. The anchor then lists it (``/federation/list``, and alone with
``intermediate=true``) and states a subordinate statement about it at its fetch endpoint, so
a chain leaf → intermediate → anchor resolves (``/federation/resolve`` fetches the
intermediate's own statements over HTTP). The intermediate's keys are those of its
configuration when registered: after rotating them it is registered again (audited
``federation.intermediate.registered`` each time).
"""

from __future__ import annotations

from collections.abc import Callable

from credstack.adapters.db.repositories import federation_intermediates as store
from credstack.adapters.db.repositories.federation_intermediates import Intermediate
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.access import Action, Actor
from credstack.core.federation import statements
from credstack.errors import TrustChainError
from credstack.services import audit
from credstack.services.federation.imports import RemoteStatements, entity_names
from credstack.services.runtime import Runtime

__all__ = ["Intermediate", "intermediates", "register_intermediate"]

Fetch = Callable[[str], bytes | None]


def register_intermediate(runtime: Runtime, *, actor: Actor, entity_id: str,
                          fetch: Fetch = fetch_bytes) -> Intermediate:
    """List ``entity_id`` as an intermediate below this anchor (see the module's docstring);
    :class:`~credstack.errors.TrustChainError` with the reason when its configuration cannot
    be fetched, is not self-signed and current, or names another superior."""
    with runtime.transaction():
        actor.require(Action.KEYS_MANAGE)
    anchor = runtime.settings.public_url
    entity_id = entity_id.rstrip("/")
    now = runtime.now()
    configuration = statements.read(RemoteStatements(fetch).configuration(entity_id),
                                    typ=statements.ENTITY_STATEMENT)
    if not configuration.is_configuration or configuration.sub != entity_id:
        raise TrustChainError(f"{entity_id} serves {configuration.describe()} as its "
                              "configuration.", reason="wrong-subject")
    statements.check_entity_statement(configuration)
    statements.check_times(configuration, now)
    statements.verify(configuration, configuration.claims["jwks"])
    hints = configuration.claims.get("authority_hints") or []
    if anchor not in [str(hint).rstrip("/") for hint in hints]:
        raise TrustChainError(
            f"{entity_id} does not name this anchor ({anchor}) among its authority_hints: "
            "its operator adds it there first.", reason="authority-hints")
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        kept, created = store.register(session, entity_id=entity_id,
                                       jwks=configuration.claims["jwks"],
                                       name=entity_names(configuration.claims, entity_id),
                                       now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="federation.intermediate.registered",
                     subject=f"federation-intermediate:{entity_id}", key=secret,
                     details={"new": created, "kids": [key.get("kid") for key in
                                                       kept.jwks.get("keys", [])]})
    return kept


def intermediates(runtime: Runtime, *, actor: Actor) -> list[Intermediate]:
    """The intermediate entities the anchor lists, as the operator manages them (the public
    list endpoint reads them with the anchor's other subordinates)."""
    with runtime.transaction() as session:
        actor.require(Action.KEYS_MANAGE)
        return store.intermediates(session)
