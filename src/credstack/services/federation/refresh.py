"""Imported registries and intermediates' providers read again, before they lapse (issue 42,
part 4).

An import holds until its earliest statement expires (a day, as this anchor's own do), and
an intermediate's providers likewise: :func:`refresh_all` imports every OpenID Federation
source again with its pinned keys and names as kept, every CTDL graph fetched from an
address (one read from a file is left as imported: it has no end of validity), and every
registered intermediate's providers under the intermediate's keys as registered
(:func:`~.intermediates.refresh_intermediate`). The worker runs it every six hours as the
``federation.refresh`` job (:mod:`credstack.services.background.federation`);
``credstack federation refresh`` runs it at once.

Each source is read within the import's limits (``CREDSTACK_FEDERATION_IMPORT_SECONDS``,
``CREDSTACK_FEDERATION_SUBORDINATES``): one stopped by them keeps the subordinates it read,
said in :attr:`Refreshed.stopped`.

A refresh that is refused keeps what the source listed before (valid until it was), and the
refusal is recorded on the source — when, the reason and its message — for
``credstack federation sources``, ``/console/federation`` and ``GET
/api/federation/sources`` to show, and audited ``federation.source.refresh-refused``; the
next import that succeeds clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from credstack.adapters.db.repositories import federation_imports as store
from credstack.adapters.db.repositories import federation_intermediates as intermediates_store
from credstack.adapters.db.repositories.federation_imports import Refusal, Source
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.access import Action, Actor
from credstack.errors import CredstackError, TrustChainError
from credstack.services import audit
from credstack.services.federation.imports import (
    MEMBER,
    PostForm,
    import_ctdl,
    import_federation,
    post_form_to,
)
from credstack.services.federation.intermediates import refresh_intermediate
from credstack.services.runtime import Runtime

__all__ = ["Refreshed", "refresh_all"]

Fetch = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What refreshing one source came to: read again (``providers``, ``valid_until``),
    refused (``refusal``; what it listed stays), or left as imported (``skipped``)."""

    url: str
    kind: str
    providers: int = 0
    valid_until: dt.datetime | None = None
    refusal: Refusal | None = None
    skipped: bool = False
    #: Read again but stopped before the end of the list (``deadline``, ``limit``: the
    #: settings' :class:`~.imports.Limits`), of ``listed`` subordinates.
    stopped: str | None = None
    listed: int | None = None


def refresh_all(runtime: Runtime, *, actor: Actor, fetch: Fetch = fetch_bytes,
                post_form: PostForm = post_form_to) -> list[Refreshed]:
    """Read every source and every intermediate's providers again (see the module)."""
    with runtime.transaction() as session:
        actor.require(Action.KEYS_MANAGE)
        found = store.sources(session)
        registered = {item.entity_id for item in intermediates_store.intermediates(session)}
    done: list[Refreshed] = []
    for source in found:
        if source.kind == MEMBER:
            if source.url not in registered:
                continue
            done.append(_attempt(runtime, actor, source, lambda kept: refresh_intermediate(
                runtime, actor=actor, entity_id=kept.url, fetch=fetch, post_form=post_form)))
        elif source.kind == "ctdl":
            if not source.url.startswith(("https://", "http://")):
                done.append(Refreshed(source.url, source.kind, len(source.providers),
                                      skipped=True))
                continue
            done.append(_attempt(runtime, actor, source, lambda kept: import_ctdl(
                runtime, actor=actor, url=kept.url, names=kept.name, fetch=fetch)))
        else:
            done.append(_attempt(runtime, actor, source, lambda kept: import_federation(
                runtime, actor=actor, anchor=kept.url, names=kept.name, fetch=fetch,
                post_form=post_form)))
    return done


def _attempt(runtime: Runtime, actor: Actor, source: Source,
             read: Callable[[Source], Source]) -> Refreshed:
    try:
        kept = read(source)
    except CredstackError as refused:
        reason = refused.reason if isinstance(refused, TrustChainError) else "error"
        refusal = Refusal(runtime.now(), reason, refused.message)
        _record(runtime, actor, source, refusal)
        return Refreshed(source.url, source.kind, len(source.providers), source.valid_until,
                         refusal=refusal)
    return Refreshed(kept.url, kept.kind, len(kept.providers), kept.valid_until,
                     stopped=kept.stopped, listed=kept.listed)


def _record(runtime: Runtime, actor: Actor, source: Source, refusal: Refusal) -> None:
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        if not store.refused(session, url=source.url, at=refusal.at, reason=refusal.reason,
                             message=refusal.message):
            return  # forgotten meanwhile
        audit.record(session, at=refusal.at, actor=principal.subject,
                     action="federation.source.refresh-refused",
                     subject=f"federation-source:{source.url[:500]}", key=secret,
                     details={"kind": source.kind, "reason": refusal.reason,
                              "message": refusal.message[:1000],
                              "valid_until": source.valid_until.isoformat()
                              if source.valid_until else None})
