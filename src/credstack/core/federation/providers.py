"""What credstack's registry states in its federation: the anchor and its recognised providers.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html — §3.1 (entity configurations and
subordinate statements), §5.1 (``federation_entity`` metadata), §5.2.2 (informational
metadata), §14 (names per language, ``organization_name#ja``).

credstack is the **trust anchor**; its entity identifier is its public URL. Each recognised
provider (an organisation holding a current recognition decision) is an immediate
subordinate whose entity identifier is ``<anchor>/organisations/<slug>``, the path its
``did:web`` names; credstack publishes that entity's configuration too, signed with the
provider's own federation key, with the anchor as its only authority hint and the trust
marks the anchor issued it.

The metadata of a provider (the anchor states them in its subordinate statement, so they
take precedence over the provider's own):

* ``federation_entity`` — ``organization_name`` (and ``#ja``, ``#en``), ``organization_uri``
  (and ``homepage_uri``, as the DCC's registries and older clients name it),
  ``contacts``;
* ``institution_additional_information`` — the DCC registries' entity type: ``legal_name``
  (per language), ``country``, ``corporate_number`` (法人番号) when stored;
* ``micro_credential_provider`` — credstack's: the issuer DIDs (``did:web`` and each key's
  ``did:key``), the credential types it may issue, and the programmes recognised, each with
  its achievement, title, decision and validity.

These are pure builders: the claims before they are signed, with the times given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.federation.trust_marks import programme_mark_type, provider_mark_type

__all__ = [
    "CREDENTIAL_TYPES",
    "ENTITY_TYPE",
    "STATEMENT_LIFETIME",
    "Anchor",
    "ProgrammeRecognition",
    "Provider",
    "anchor_configuration",
    "intermediate_statement",
    "provider_configuration",
    "provider_entity_id",
    "provider_metadata",
    "subordinate_statement",
]

#: credstack's entity type for a provider of micro-credentials.
ENTITY_TYPE: Final = "micro_credential_provider"
#: What a recognised provider may issue through credstack.
CREDENTIAL_TYPES: Final = (
    "VerifiableCredential",
    "OpenBadgeCredential",
    "AchievementCredential",
    "ClrCredential",
)
#: How long a statement credstack signs stays valid: a day, so a withdrawal reaches a
#: client that caches it within a day.
STATEMENT_LIFETIME: Final = dt.timedelta(days=1)


def provider_entity_id(anchor: str, slug: str) -> str:
    """The entity identifier of provider ``slug`` in the federation of ``anchor``."""
    return f"{anchor.rstrip('/')}/organisations/{slug}"


@dataclass(frozen=True, slots=True)
class ProgrammeRecognition:
    """A programme of the provider and the current decision that recognises it."""

    programme_id: int
    version: int
    title: Mapping[str, str]
    achievement: str
    decision: str
    decision_url: str
    recognition_body: str
    recognition_body_name: Mapping[str, str]
    outcome: str
    valid_from: dt.datetime
    valid_until: dt.datetime | None

    def to_metadata(self, anchor: str) -> dict[str, Any]:
        return {
            "programme": self.programme_id,
            "version": self.version,
            "title": dict(self.title),
            "achievement": self.achievement,
            "trust_mark_type": programme_mark_type(anchor, self.programme_id),
            "decision": self.decision,
            "decision_url": self.decision_url,
            "recognition_body": {
                "id": self.recognition_body,
                "name": dict(self.recognition_body_name),
            },
            "outcome": self.outcome,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


@dataclass(frozen=True, slots=True)
class Provider:
    """A recognised provider as the registry knows it."""

    slug: str
    name: Mapping[str, str]
    country: str
    url: str | None
    email: str | None
    did_web: str | None
    did_keys: Sequence[str]
    recognitions: Sequence[ProgrammeRecognition]
    corporate_number: str | None = None
    location: str | None = field(default=None)

    @property
    def dids(self) -> list[str]:
        """Every issuer DID of the provider: its did:web first, then its keys' did:key."""
        return [*([self.did_web] if self.did_web else []), *self.did_keys]

    def display_name(self, language: str = "en") -> str:
        other = "ja" if language == "en" else "en"
        return self.name.get(language) or self.name.get(other) or self.slug

    def recognised_until(self) -> dt.datetime | None:
        """When the last current recognition ends; None if one has no end."""
        ends = [item.valid_until for item in self.recognitions]
        return None if not ends or None in ends else max(end for end in ends if end)

    def recognised_since(self) -> dt.datetime:
        return min(item.valid_from for item in self.recognitions)


def _names(name: Mapping[str, str], claim: str, fallback: str) -> dict[str, str]:
    found = {claim: name.get("en") or name.get("ja") or fallback}
    for language in ("ja", "en"):
        if name.get(language):
            found[f"{claim}#{language}"] = name[language]
    return found


def provider_metadata(provider: Provider, *, anchor: str) -> dict[str, Any]:
    """The metadata the anchor states about ``provider`` (see the module's docstring)."""
    federation_entity: dict[str, Any] = _names(provider.name, "organization_name", provider.slug)
    if provider.url:
        federation_entity |= {"organization_uri": provider.url, "homepage_uri": provider.url}
    if provider.email:
        federation_entity["contacts"] = [provider.email]
    if provider.location:
        federation_entity["location"] = provider.location
    institution: dict[str, Any] = {
        **_names(provider.name, "legal_name", provider.slug),
        "country": provider.country,
    }
    if provider.corporate_number:
        institution["corporate_number"] = provider.corporate_number
    issuer = {
        "dids": provider.dids,
        "did_web": provider.did_web,
        "did_keys": list(provider.did_keys),
        "credential_types": list(CREDENTIAL_TYPES),
        "programmes": [item.to_metadata(anchor) for item in provider.recognitions],
    }
    return {
        "federation_entity": federation_entity,
        "institution_additional_information": institution,
        ENTITY_TYPE: issuer,
    }


@dataclass(frozen=True, slots=True)
class Anchor:
    """The trust anchor: credstack's registry, its endpoints and its published keys."""

    entity_id: str
    name: Mapping[str, str]
    jwks: Mapping[str, Any]

    def endpoint(self, name: str) -> str:
        return f"{self.entity_id.rstrip('/')}/federation/{name}"

    def metadata(self) -> dict[str, Any]:
        return {
            "federation_entity": {
                **_names(self.name, "organization_name", self.entity_id),
                "organization_uri": self.entity_id,
                "homepage_uri": self.entity_id,
                "federation_fetch_endpoint": self.endpoint("fetch"),
                "federation_list_endpoint": self.endpoint("list"),
                "federation_resolve_endpoint": self.endpoint("resolve"),
                "federation_trust_mark_status_endpoint": self.endpoint("trust-mark-status"),
                "federation_trust_mark_list_endpoint": self.endpoint("trust-mark-list"),
                "federation_trust_mark_endpoint": self.endpoint("trust-mark"),
                "federation_historical_keys_endpoint": self.endpoint("historical-keys"),
                "registry_uri": f"{self.entity_id.rstrip('/')}/federation/registry.json",
            }
        }


def historical_keys(
    anchor: Anchor, retired: Sequence[tuple[Mapping[str, Any], dt.datetime, dt.datetime]], *,
    now: dt.datetime
) -> dict[str, Any]:
    """The anchor's historical keys (OpenID Federation 1.0, the Federation Historical Keys
    endpoint): each key it no longer signs with — ``retired``: its JWK, when it was made and
    until when what it signed stays valid (``iat``, ``exp``). A rotation retires a key in
    the normal course, so none is marked ``revoked``."""
    return {
        "iss": anchor.entity_id,
        "iat": int(now.timestamp()),
        "keys": [
            {**jwk, "iat": int(made.timestamp()), "exp": int(until.timestamp())}
            for jwk, made, until in retired
        ],
    }


def _times(now: dt.datetime) -> dict[str, int]:
    return {"iat": int(now.timestamp()), "exp": int((now + STATEMENT_LIFETIME).timestamp())}


def anchor_configuration(anchor: Anchor, *, now: dt.datetime) -> dict[str, Any]:
    """The anchor's entity configuration: its keys, endpoints and the marks it issues.

    ``trust_mark_issuers`` names the anchor for "recognised provider"; the programme marks,
    one type per programme, are the anchor's own (a mark the anchor itself issued is trusted
    by it), so the configuration does not grow with the number of programmes.
    """
    return {
        "iss": anchor.entity_id,
        "sub": anchor.entity_id,
        **_times(now),
        "jwks": dict(anchor.jwks),
        "metadata": anchor.metadata(),
        "trust_mark_issuers": {provider_mark_type(anchor.entity_id): [anchor.entity_id]},
    }


def subordinate_statement(
    anchor: Anchor, provider: Provider, *, provider_jwks: Mapping[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """The anchor's statement about ``provider``: its federation keys and its metadata."""
    return {
        "iss": anchor.entity_id,
        "sub": provider_entity_id(anchor.entity_id, provider.slug),
        **_times(now),
        "jwks": dict(provider_jwks),
        "metadata": provider_metadata(provider, anchor=anchor.entity_id),
        "source_endpoint": anchor.endpoint("fetch"),
    }


def provider_configuration(
    anchor: Anchor,
    provider: Provider,
    *,
    provider_jwks: Mapping[str, Any],
    trust_marks: Sequence[Mapping[str, str]],
    now: dt.datetime,
) -> dict[str, Any]:
    """The provider's entity configuration, as credstack publishes it for the provider."""
    entity_id = provider_entity_id(anchor.entity_id, provider.slug)
    claims: dict[str, Any] = {
        "iss": entity_id,
        "sub": entity_id,
        **_times(now),
        "jwks": dict(provider_jwks),
        "authority_hints": [anchor.entity_id],
        "metadata": provider_metadata(provider, anchor=anchor.entity_id),
    }
    if trust_marks:
        claims["trust_marks"] = [dict(mark) for mark in trust_marks]
    return claims


def intermediate_statement(
    anchor: Anchor,
    entity_id: str,
    *,
    jwks: Mapping[str, Any],
    name: Mapping[str, str],
    now: dt.datetime,
) -> dict[str, Any]:
    """The anchor's statement about an intermediate entity (an organisation's own
    credstack): its keys as registered and its names; the intermediate states its own
    subordinates."""
    return {
        "iss": anchor.entity_id,
        "sub": entity_id,
        **_times(now),
        "jwks": dict(jwks),
        "metadata": {"federation_entity": _names(name, "organization_name", entity_id)},
        "source_endpoint": anchor.endpoint("fetch"),
    }
