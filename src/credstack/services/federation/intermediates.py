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

The providers the intermediate lists (its list endpoint, when it names one; each chain leaf
→ intermediate validated under the intermediate's keys) are read at registration and kept as
a source of kind :data:`~.imports.MEMBER`, valid while their statements are: the trust check
names them "<intermediate>, an intermediate entity of this registry", and ``registry.json``
publishes their DIDs. Registering again reads them again, and so does the scheduled refresh
(:func:`refresh_intermediate`, under the keys as registered). :func:`remove_intermediate` takes
the intermediate and its providers out of the federation (audited
``federation.intermediate.removed``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from credstack.adapters.db.repositories import federation_imports as sources_store
from credstack.adapters.db.repositories import federation_intermediates as store
from credstack.adapters.db.repositories.federation_imports import Source
from credstack.adapters.db.repositories.federation_intermediates import Intermediate
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.access import Action, Actor
from credstack.core.federation import statements
from credstack.errors import NotFoundError, TrustChainError
from credstack.services import audit
from credstack.services.federation.imports import (
    MEMBER,
    PostForm,
    Read,
    entity_names,
    limits,
    post_form_to,
    read_configuration,
    read_providers,
)
from credstack.services.runtime import Runtime

__all__ = ["Intermediate", "intermediates", "refresh_intermediate", "register_intermediate",
           "remove_intermediate"]

Fetch = Callable[[str], bytes | None]


def register_intermediate(runtime: Runtime, *, actor: Actor, entity_id: str,
                          fetch: Fetch = fetch_bytes,
                          post_form: PostForm = post_form_to) -> Intermediate:
    """List ``entity_id`` as an intermediate below this anchor, with the providers it lists
    (see the module's docstring); :class:`~credstack.errors.TrustChainError` with the reason
    when its configuration cannot be fetched, is not self-signed and current, names another
    superior, or one of its providers' chains does not validate."""
    with runtime.transaction():
        actor.require(Action.KEYS_MANAGE)
    entity_id = entity_id.rstrip("/")
    now = runtime.now()
    configuration, read = _read(runtime, entity_id, None, fetch, post_form)
    jwks = configuration.claims["jwks"]
    name = entity_names(configuration.claims, entity_id)
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        kept, created = store.register(session, entity_id=entity_id, jwks=jwks, name=name,
                                       now=now)
        sources_store.replace(session, url=entity_id, kind=MEMBER, name=name, fetched_at=now,
                              valid_until=read.valid_until, providers=read.providers)
        audit.record(session, at=now, actor=principal.subject,
                     action="federation.intermediate.registered",
                     subject=f"federation-intermediate:{entity_id}", key=secret,
                     details={"new": created, "providers": len(read.providers),
                              "listed": read.listed, "stopped": read.stopped,
                              "kids": [key.get("kid") for key in kept.jwks.get("keys", [])]})
    return kept


def _read(runtime: Runtime, entity_id: str, jwks: Mapping[str, Any] | None, fetch: Fetch,
          post_form: PostForm) -> tuple[statements.Statement, Read]:
    """The intermediate's configuration (signed with ``jwks`` when given: its keys as
    registered), naming this anchor among its hints, and the providers it lists (within the
    settings' :class:`~.imports.Limits`)."""
    anchor = runtime.settings.public_url
    bounds = limits(runtime)
    configuration = read_configuration(entity_id, fetch=fetch, now=bounds.clock(), jwks=jwks)
    hints = configuration.claims.get("authority_hints") or []
    if anchor not in [str(hint).rstrip("/") for hint in hints]:
        raise TrustChainError(
            f"{entity_id} does not name this anchor ({anchor}) among its authority_hints: "
            "its operator adds it there first.", reason="authority-hints")
    read = read_providers(configuration, jwks=jwks or configuration.claims["jwks"],
                          fetch=fetch, limits=bounds, post_form=post_form, list_required=False)
    return configuration, read


def refresh_intermediate(runtime: Runtime, *, actor: Actor, entity_id: str,
                         fetch: Fetch = fetch_bytes,
                         post_form: PostForm = post_form_to) -> Source:
    """Read the providers of the registered intermediate ``entity_id`` again (the scheduled
    refresh, :mod:`.refresh`), its configuration and chains validated under its keys as
    registered: an intermediate that rotated its keys is refused until registered again.
    What it listed is replaced (audited ``federation.intermediate.refreshed``); a refusal
    raises and leaves it as it was."""
    with runtime.transaction() as session:
        actor.require(Action.KEYS_MANAGE)
        registered = store.find(session, entity_id=entity_id)
    if registered is None:
        raise NotFoundError(f"{entity_id} is not registered as an intermediate. / "
                            f"{entity_id} は中間エンティティとして登録されていません。")
    now = runtime.now()
    _, read = _read(runtime, entity_id, registered.jwks, fetch, post_form)
    valid_until, providers = read.valid_until, read.providers
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        sources_store.replace(session, url=entity_id, kind=MEMBER, name=registered.name,
                              fetched_at=now, valid_until=valid_until, providers=providers)
        audit.record(session, at=now, actor=principal.subject,
                     action="federation.intermediate.refreshed",
                     subject=f"federation-intermediate:{entity_id}", key=secret,
                     details={"providers": len(providers), "listed": read.listed,
                              "stopped": read.stopped,
                              "valid_until": valid_until.isoformat()})
    return Source(entity_id, MEMBER, dict(registered.name), now, valid_until,
                  tuple(providers), listed=read.listed, stopped=read.stopped)


def remove_intermediate(runtime: Runtime, *, actor: Actor, entity_id: str) -> Intermediate:
    """Take ``entity_id`` and the providers it listed out of the federation: the anchor no
    longer lists it nor states anything about it, and the trust check no longer names them;
    :class:`~credstack.errors.NotFoundError` when it is not registered."""
    secret = runtime.key()
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        removed = (store.remove(session, entity_id=entity_id.rstrip("/"))
                   or store.remove(session, entity_id=entity_id))
        if removed is None:
            raise NotFoundError(
                f"{entity_id} is not registered as an intermediate; `credstack federation "
                "intermediates list` shows those that are. / "
                f"{entity_id} は中間エンティティとして登録されていません。")
        sources_store.forget(session, url=removed.entity_id)
        audit.record(session, at=now, actor=principal.subject,
                     action="federation.intermediate.removed",
                     subject=f"federation-intermediate:{removed.entity_id}", key=secret,
                     details={"kids": [key.get("kid") for key in removed.jwks.get("keys", [])]})
    return removed


def intermediates(runtime: Runtime, *, actor: Actor) -> list[Intermediate]:
    """The intermediate entities the anchor lists, as the operator manages them (the public
    list endpoint reads them with the anchor's other subordinates)."""
    with runtime.transaction() as session:
        actor.require(Action.KEYS_MANAGE)
        return store.intermediates(session)
