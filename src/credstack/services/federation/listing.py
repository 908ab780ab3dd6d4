"""The anchor's list endpoints: its immediate subordinates, who holds a trust mark, and
every recognised provider (for the DCC registry form).

OpenID Federation 1.0, draft 48 — https://openid.net/specs/openid-federation-1_0.html —
§8.2 (Subordinate Listing), §8.5 (Trust Marked Entities Listing).

The recognised providers are read once and kept in the runtime's cache (:data:`CACHE`)
until a recognition is granted or withdrawn, or one begins or ends: at 10,000 subordinates
a listing is then a count of the recognitions and a JSON answer (``bench/federation.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from credstack.adapters.db.repositories import federation as store
from credstack.adapters.db.repositories import federation_intermediates as intermediates_store
from credstack.adapters.db.transactions import Session
from credstack.core.federation import providers, trust_marks
from credstack.core.federation.providers import Provider
from credstack.services import freshness
from credstack.services.federation.service import CACHE, providers_at, refused
from credstack.services.runtime import Runtime

__all__ = ["recognised_issuer", "recognised_providers", "subordinates", "trust_marked"]


@dataclass(frozen=True, slots=True)
class _Listing:
    counts: tuple[int, int]
    computed: dt.datetime
    until: dt.datetime | None
    slugs: tuple[str, ...]


def _current(cached: object, counts: tuple[int, int], now: dt.datetime) -> bool:
    """Whether ``cached`` is a listing of ``counts`` that still holds at ``now``."""
    return (
        isinstance(cached, _Listing)
        and cached.counts == counts
        and cached.computed <= now
        and (cached.until is None or now < cached.until)
    )


def _recognised(runtime: Runtime, session: Session, now: dt.datetime,
                counts: tuple[int, int] | None = None) -> tuple[str, ...]:
    """The recognised providers' slugs, cached until a decision or a validity boundary
    (``counts``: the recognitions' counts, when the caller has read them)."""
    counts = store.recognition_count(session) if counts is None else counts
    cached = runtime.caches.get(CACHE)
    if _current(cached, counts, now):
        assert isinstance(cached, _Listing)
        return cached.slugs
    slugs = tuple(store.recognised_slugs(session, now=now))
    until = store.next_boundary(session, after=now)
    runtime.caches[CACHE] = _Listing(counts, now, until, slugs)
    return slugs


def subordinates(
    runtime: Runtime,
    *,
    entity_types: Sequence[str] = (),
    trust_marked: bool | None = None,
    trust_mark_type: str | None = None,
    intermediate: bool | None = None,
) -> list[str]:
    """The entity identifiers of the anchor's immediate subordinates (§8.2.1's filters).

    The recognised providers are leaves of the types
    :func:`~credstack.core.federation.providers.provider_metadata` states, each with the
    "recognised provider" mark; the intermediate entities registered
    (:mod:`.intermediates`) are ``federation_entity`` only and hold no mark of the anchor.
    """
    public_url = runtime.settings.public_url
    kinds = {"federation_entity", "institution_additional_information", providers.ENTITY_TYPE}
    now = runtime.now()
    with runtime.transaction() as session:
        slugs: Sequence[str] = _recognised(runtime, session, now)
        if trust_mark_type is not None:
            slugs = _marked(runtime, session, trust_mark_type, slugs, now)
        joined = [item.entity_id for item in intermediates_store.intermediates(session)]
    if trust_marked or trust_mark_type is not None or any(
        kind != "federation_entity" for kind in entity_types
    ):
        joined = []
    leaves = (
        []
        if intermediate or any(kind not in kinds for kind in entity_types)
        else [providers.provider_entity_id(public_url, slug) for slug in slugs]
    )
    return joined if intermediate else [*leaves, *([] if intermediate is False else joined)]


def _marked(
    runtime: Runtime, session: Session, mark_type: str, slugs: Sequence[str], now: dt.datetime
) -> list[str]:
    public_url = runtime.settings.public_url
    if mark_type == trust_marks.provider_mark_type(public_url):
        return list(slugs)
    programme = trust_marks.programme_of(public_url, mark_type)
    if programme is None:
        return []
    return sorted(
        {
            found.provider
            for found in store.programme_recognitions(session, programme_id=programme, now=now)
        }
    )


def trust_marked(
    runtime: Runtime, *, mark_type: str | None, subject: str | None = None
) -> list[str]:
    """The entities holding a current mark of ``mark_type`` (§8.5), ``subject`` alone if
    given."""
    if not mark_type:
        raise refused("invalid_request", "The trust marked entities listing needs trust_mark_type.")
    found = subordinates(runtime, trust_mark_type=mark_type)
    return [entity for entity in found if subject is None or entity == subject]


@dataclass(frozen=True, slots=True)
class _Providers:
    listing: object
    stamp: tuple[object, ...]
    providers: list[Provider]
    by_did: dict[str, Provider]


def recognised_providers(runtime: Runtime) -> list[Provider]:
    """Every provider recognised now, with its DIDs and programmes."""
    return _providers(runtime).providers


def recognised_issuer(runtime: Runtime, did: str) -> Provider | None:
    """The provider recognised now that issues as ``did`` (its did:web or a did:key), if any:
    what every verification asks, answered from the cache (:data:`PROVIDERS_CACHE`)."""
    return _providers(runtime).by_did.get(did)


#: The recognised providers as read, kept while the recognised slugs (:data:`CACHE`'s
#: entry, recomputed at each decision and validity boundary) and the providers' keys and
#: names stay as they were: a verification's trust check is then two counts, read at most
#: once a moment (:mod:`credstack.services.freshness`), not a read of every provider.
PROVIDERS_CACHE = "federation.recognised-providers"


def _stamps(runtime: Runtime) -> tuple[tuple[int, int], tuple[object, ...]]:
    """What the recognised providers are kept by: the recognitions' counts and the providers'
    stamp."""
    with runtime.sessions() as session:
        return store.recognition_count(session), store.providers_stamp(session)


def _providers(runtime: Runtime) -> _Providers:
    now = runtime.now()
    counts, stamp = freshness.recent(runtime, "trusted-providers", None,
                                     lambda: _stamps(runtime))
    listing = runtime.caches.get(CACHE)
    cached = runtime.caches.get(PROVIDERS_CACHE)
    if (_current(listing, counts, now) and isinstance(cached, _Providers)
            and cached.listing is listing and cached.stamp == stamp):
        return cached
    with runtime.transaction() as session:
        slugs = _recognised(runtime, session, now, counts)
        listing = runtime.caches.get(CACHE)
        wanted = set(slugs)
        found = [
            provider
            for provider in providers_at(session, runtime.settings.public_url, None, now)
            if provider.slug in wanted
        ]
    by_did = {did: provider for provider in found for did in provider.dids}
    kept = _Providers(listing, stamp, found, by_did)
    runtime.caches[PROVIDERS_CACHE] = kept
    return kept
