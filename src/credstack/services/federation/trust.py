"""The verifier's trust check (issue 42, part 3 — begun): which trusted registries list an
issuer, under which name, and whether a recognition covers the credential's programme.

A verifier names the registries it trusts, in order of authority (:class:`TrustedRegistry`):

* ``own`` — credstack's own registry, read from the store (no network): an issuer DID of a
  provider recognised now, with its recognised programmes; then the registries imported
  into the store (:mod:`.imports`), each listing labelled "listed by <that registry>";
* ``dcc-legacy`` — a DCC legacy JSON registry (``registry.json``), fetched through the
  guarded fetcher and kept for :data:`REGISTRY_LIFETIME`;
* ``oidf`` — an OpenID Federation anchor: its fetch endpoint asked ``sub=<did>``, the
  answer checked against the anchor's keys (``anchor_jwks`` when the verifier pinned them,
  else those of the anchor's self-signed configuration), and kept for
  :data:`REGISTRY_LIFETIME` or until the statement expires.

A registry that cannot be reached, answers garbage or cannot be fetched offline is reported
as unchecked with why; the verdict is then "could not be checked" unless another registry
lists the issuer (:func:`credstack.core.federation.registries.judge`) — never "trusted" by
default. :func:`configured` reads the registries the operator trusts
(``CREDSTACK_TRUST_REGISTRIES``) and :func:`check_meaning` answers for a verified
credential's issuer under them, offline as ``CREDSTACK_VERIFY_OFFLINE`` says: the VC-API,
the verification page, the wallet and shared links call it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal
from urllib.parse import urlencode, urlsplit

from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.certificates.models import LANGUAGES
from credstack.core.federation import registries, statements
from credstack.core.federation.registries import Listing, TrustVerdict
from credstack.core.said import Said
from credstack.errors import CredstackError, TrustChainError
from credstack.services.federation import imports, listing
from credstack.services.runtime import Runtime, utc_now
from credstack.settings import Settings
from credstack.words import words

__all__ = [
    "REGISTRY_LIFETIME",
    "TrustedRegistry",
    "check_issuer",
    "check_meaning",
    "configured",
    "describe",
    "described",
    "line",
    "own_registry",
]

#: How long a fetched registry document is reused.
REGISTRY_LIFETIME: Final = dt.timedelta(hours=1)
_CACHE: Final = "federation.trusted-registries"
#: The OpenID Federation anchors' answers, by anchor and issuer DID; at most this many.
_OIDF_CACHE: Final = "federation.trusted-anchors-answers"
_OIDF_KEPT: Final = 4096

Fetch = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class TrustedRegistry:
    """A registry the verifier trusts: its name (as people read it), kind and address."""

    name: str
    kind: Literal["own", "dcc-legacy", "oidf"]
    url: str = ""
    anchor_jwks: Mapping[str, Any] | None = None
    #: The registry's name per language, for the line a person reads.
    names: Mapping[str, str] = field(default_factory=dict)


def _unusable(text: str) -> TrustChainError:
    return TrustChainError(f"The registry cannot be used: {text}.", reason="registry-garbage")


def _own(runtime: Runtime, registry: TrustedRegistry, issuer: str) -> Listing | None:
    provider = listing.recognised_issuer(runtime, issuer)
    if provider is not None:
        return Listing(
            registry.name,
            dict(provider.name),
            provider.url,
            provider.country,
            tuple(item.achievement for item in provider.recognitions),
            recognised=True,
        )
    return None


def _legacy(
    caches: dict[str, Any], registry: TrustedRegistry, issuer: str, fetch: Fetch, now: dt.datetime
) -> Listing | None:
    cache: dict[str, tuple[dt.datetime, dict[str, Listing]]] = caches.setdefault(_CACHE, {})
    kept = cache.get(registry.url)
    if kept is None or not kept[0] <= now < kept[0] + REGISTRY_LIFETIME:
        body = fetch(registry.url)
        if body is None:
            raise _unusable(f"{registry.url} answered 404")
        try:
            document = json.loads(body)
        except ValueError:
            raise _unusable("the registry is not JSON") from None
        kept = (now, registries.read_legacy_registry(document, registry=registry.name))
        cache[registry.url] = kept
    return kept[1].get(issuer)


def _oidf(caches: dict[str, Any], registry: TrustedRegistry, issuer: str, fetch: Fetch,
          now: dt.datetime) -> Listing | None:
    """The anchor's answer for ``issuer``, kept for :data:`REGISTRY_LIFETIME` (a listing no
    longer than its statement is valid), so that a verification does not fetch the anchor's
    configuration and statement each time; a refusal is not kept."""
    cache: dict[tuple[str, str], tuple[dt.datetime, dt.datetime, Listing | None]] = \
        caches.setdefault(_OIDF_CACHE, {})
    kept = cache.get((registry.url, issuer))
    if kept is not None and kept[0] <= now < kept[1]:
        return kept[2]
    listed = _oidf_fetched(registry, issuer, fetch, now)
    until = now + REGISTRY_LIFETIME
    if listed is not None and listed.valid_until is not None:
        until = min(until, listed.valid_until)
    if len(cache) >= _OIDF_KEPT:
        cache.clear()
    cache[(registry.url, issuer)] = (now, until, listed)
    return listed


def _oidf_fetched(registry: TrustedRegistry, issuer: str, fetch: Fetch,
                  now: dt.datetime) -> Listing | None:
    anchor = registry.url.rstrip("/")
    body = fetch(f"{anchor}/.well-known/openid-federation")
    if body is None:
        raise _unusable(f"{anchor} has no entity configuration")
    configuration = statements.read(
        body.decode("ascii", "replace"), typ=statements.ENTITY_STATEMENT
    )
    jwks = registry.anchor_jwks or configuration.claims.get("jwks")
    statements.check_times(configuration, now)
    statements.verify(configuration, jwks)
    endpoint = ((configuration.claims.get("metadata") or {}).get("federation_entity") or {}).get(
        "federation_fetch_endpoint"
    )
    if not isinstance(endpoint, str):
        raise _unusable(f"{anchor} names no fetch endpoint")
    answer = fetch(f"{endpoint}?{urlencode({'sub': issuer})}")
    if answer is None:
        return None
    return registries.listing_from_statement(
        answer.decode("ascii", "replace"),
        did=issuer,
        anchor=configuration.iss,
        anchor_jwks=jwks or {},
        now=now,
        registry=registry.name,
    )


def check_issuer(
    runtime: Runtime | None,
    *,
    issuer: str,
    achievement: str | None,
    trusted: Sequence[TrustedRegistry],
    offline: bool = False,
    fetch: Fetch = fetch_bytes,
) -> TrustVerdict:
    """The trust verdict for ``issuer`` (a DID) and ``achievement`` (the credential's
    programme version, if any) under the ``trusted`` registries, in their order.

    Without a ``runtime`` (a verifier with no store) the own registry cannot be read and is
    reported unchecked; fetched registries are then not kept between calls."""
    now = runtime.now() if runtime is not None else utc_now()
    caches: dict[str, Any] = runtime.caches if runtime is not None else {}
    found: list[Listing] = []
    unchecked: list[tuple[str, str]] = []
    for registry in trusted:
        try:
            if registry.kind == "own":
                if runtime is None:
                    unchecked.append((registry.name, "no store"))
                    continue
                listed = _own(runtime, registry, issuer)
                imported, expired = imports.listings_for(runtime, did=issuer)
                if listed is not None:
                    found.append(replace(listed, registry_names=dict(registry.names)))
                found.extend(imported)
                unchecked.extend(expired)
                continue
            elif offline:
                unchecked.append((registry.name, "offline"))
                continue
            elif registry.kind == "dcc-legacy":
                listed = _legacy(caches, registry, issuer, fetch, now)
            else:
                listed = _oidf(caches, registry, issuer, fetch, now)
        except CredstackError as refusal:
            unchecked.append((registry.name, refusal.message))
            continue
        if listed is not None:
            found.append(replace(listed, registry_names=dict(registry.names)))
    return registries.judge(achievement=achievement, listings=found, unchecked=unchecked)


def own_registry() -> TrustedRegistry:
    """This store's own registry, named in each language as the trust line says it."""
    names: dict[str, str] = {language: words(Said("trust.own_registry"), language)
                             for language in LANGUAGES}
    return TrustedRegistry(names["en"], "own", names=names)


def line(verdict: TrustVerdict, language: str) -> str:
    """The verdict in plain words in ``language``, for the line a person reads."""
    return words(verdict.said(language), language)


def configured(settings: Settings) -> list[TrustedRegistry]:
    """The registries the operator trusts (``CREDSTACK_TRUST_REGISTRIES``), in order; a
    fetched registry is named by its host (its address is in the details)."""
    trusted: list[TrustedRegistry] = []
    for kind, url in settings.trust_registries:
        if kind == "own":
            trusted.append(own_registry())
        else:
            host = urlsplit(url).hostname or url
            trusted.append(TrustedRegistry(host, "oidf" if kind == "oidf" else "dcc-legacy", url))
    return trusted


def check_meaning(
    runtime: Runtime, *, issuer: str | None, achievement: str | None, fetch: Fetch = fetch_bytes
) -> TrustVerdict | None:
    """The trust verdict for a credential's ``issuer`` under the configured registries,
    offline as the deployment is; ``None`` when no registry is configured or the credential
    names no issuer to look up."""
    trusted = configured(runtime.settings)
    if not trusted or not issuer:
        return None
    return check_issuer(
        runtime,
        issuer=issuer,
        achievement=achievement,
        trusted=trusted,
        offline=runtime.settings.verify_offline,
        fetch=fetch,
    )


def described(runtime: Runtime, *, issuer: str | None, achievement: str | None
              ) -> dict[str, Any] | None:
    """:func:`check_meaning` as :func:`describe` words it, for the views that show the trust
    line beside an outcome they do not change (the OID4VP answer, the employer's
    comparison); ``None`` when no registry is configured or there is no issuer."""
    verdict = check_meaning(runtime, issuer=issuer, achievement=achievement)
    if verdict is None or issuer is None:
        return None
    return describe(verdict, issuer=issuer, settings=runtime.settings)


def describe(verdict: TrustVerdict, *, issuer: str, settings: Settings) -> dict[str, Any]:
    """The verdict as the VC-API's ``trust`` member (and a page's details): the state, the
    plain line in ja and en, and per registry its name, address and the issuer's name there."""
    addresses = {registry.name: registry.url for registry in configured(settings)}
    return {
        "state": verdict.state,
        "line": {"ja": line(verdict, "ja"), "en": line(verdict, "en")},
        "issuer": issuer,
        "listings": [
            {
                "registry": item.registry,
                "registryUrl": (item.imported_from or item.intermediate
                                or addresses.get(item.registry) or None),
                "imported": item.imported_from is not None,
                "intermediate": item.intermediate,
                "name": dict(item.name),
                "recognised": item.recognised,
                "programmes": list(item.programmes),
            }
            for item in verdict.listings
        ],
        "coversProgramme": verdict.covers_programme,
        "unchecked": [
            {"registry": name, "registryUrl": addresses.get(name) or None, "reason": why}
            for name, why in verdict.unchecked
        ],
    }
