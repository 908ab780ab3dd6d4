"""What the registries a verifier trusts say about a credential's issuer: the trust check.

Issue 42, part 3 (begun): a verifier names the registries it trusts — OpenID Federation
anchors (credstack's own or another's) and the DCC's legacy JSON registries — and every
verification reports which of them list the credential's issuer, under which name, and
whether a recognition covers the credential's programme. These are the pure rules; fetching
and caching the registries is a service's.

* :func:`read_legacy_registry` reads a DCC legacy registry document (``meta`` and
  ``registry``: DID → ``name``, ``location``, ``url``), refusing garbage;
* :func:`listing_from_statement` reads an anchor's subordinate statement about a DID (what
  its fetch endpoint answers to ``sub=<did>``, as the DCC's registry client asks), checked
  against the anchor's keys as the verifier configured them;
* :func:`listing_from_chain` reads a validated trust chain of a provider (credstack's
  ``micro_credential_provider`` metadata, its trust marks);
* :func:`judge` turns the listings into a :class:`TrustVerdict` with the three states of the
  verification verdict: ``listed``, ``not-listed``, or ``unknown`` when a registry could not
  be checked and none listed the issuer — never "trusted" by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from credstack.core.federation import statements
from credstack.core.federation.chains import ValidatedChain
from credstack.core.federation.providers import ENTITY_TYPE
from credstack.core.said import Said
from credstack.errors import TrustChainError

__all__ = [
    "Listing",
    "TrustVerdict",
    "judge",
    "listing_from_chain",
    "listing_from_statement",
    "read_legacy_registry",
]

_MAX_ENTRIES: Final = 1_000_000

TrustState = Literal["listed", "not-listed", "unknown"]


@dataclass(frozen=True, slots=True)
class Listing:
    """An issuer as one registry lists it."""

    registry: str
    name: Mapping[str, str]
    url: str | None = None
    location: str | None = None
    #: The achievements (programme versions) the registry says are recognised, if it says.
    programmes: tuple[str, ...] = ()
    #: Whether the registry marks the issuer a recognised provider (a trust mark).
    recognised: bool = False
    #: The registry's name per language, where it has one (else ``registry``).
    registry_names: Mapping[str, str] = field(default_factory=dict)
    #: The address of the registry this store imported the listing from (issue 42, part 4):
    #: the listing is that registry's, never this store's own recognition.
    imported_from: str | None = None
    #: The entity identifier of the intermediate entity below this registry's anchor whose
    #: own federation lists the issuer: a listing of this registry, through that member.
    intermediate: str | None = None
    #: When the statement the listing was read from expires (a fetched anchor's answer).
    valid_until: dt.datetime | None = None

    def registry_in(self, language: str) -> str:
        return _in(self.registry_names, language) or self.registry

    def display_name(self, language: str) -> str:
        return _in(self.name, language)


def _in(texts: Mapping[str, str], language: str) -> str:
    """The text written for ``language``, else the English, else the Japanese (for a Japanese
    reader, the Japanese, else the English), else any; empty when there is none."""
    for tag in (language, "en", "ja") if language != "ja" else ("ja", "en"):
        if texts.get(tag):
            return texts[tag]
    return next(iter(texts.values()), "")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 2048:
        raise TrustChainError(
            f"The registry's {where} is not a text of at most 2,048 characters.",
            reason="registry-garbage",
        )
    return value


def read_legacy_registry(document: Any, *, registry: str) -> dict[str, Listing]:
    """DID → :class:`Listing` of a DCC legacy registry document; :class:`TrustChainError`
    ``registry-garbage`` when it is not one."""
    if not isinstance(document, dict) or not isinstance(document.get("registry"), dict):
        raise TrustChainError(
            f"{registry} is not a registry: no 'registry' object of DIDs.",
            reason="registry-garbage",
        )
    entries = document["registry"]
    if len(entries) > _MAX_ENTRIES:
        raise TrustChainError(
            f"{registry} lists more than a million DIDs.", reason="registry-garbage"
        )
    found: dict[str, Listing] = {}
    for did, entry in entries.items():
        if not isinstance(did, str) or not did.startswith("did:") or not isinstance(entry, dict):
            raise TrustChainError(
                f"{registry} has an entry that is not a DID and its issuer.",
                reason="registry-garbage",
            )
        names = entry.get("names")
        name = (
            {key: _text(value, "names") for key, value in names.items()}
            if isinstance(names, dict)
            else {}
        )
        name = name or {"en": _text(entry.get("name", ""), f"name of {did}")}
        url = entry.get("url")
        location = entry.get("location")
        programmes = entry.get("programmes")
        found[did] = Listing(
            registry,
            name,
            _text(url, "url") if url is not None else None,
            _text(location, "location") if location is not None else None,
            tuple(_text(item, "programme") for item in programmes)
            if isinstance(programmes, list)
            else (),
        )
    return found


def _names(metadata: Mapping[str, Any]) -> dict[str, str]:
    """The issuer's names per language; the untagged name stands for English when no
    English one is tagged."""
    entity = metadata.get("federation_entity") or {}
    names = {
        language: entity[f"organization_name#{language}"]
        for language in ("ja", "en")
        if isinstance(entity.get(f"organization_name#{language}"), str)
    }
    if "en" not in names and isinstance(entity.get("organization_name"), str):
        names["en"] = entity["organization_name"]
    return names


def _programmes(metadata: Mapping[str, Any]) -> tuple[str, ...]:
    issuer = metadata.get(ENTITY_TYPE) or {}
    items = issuer.get("programmes") if isinstance(issuer, dict) else None
    return tuple(
        item["achievement"]
        for item in items or ()
        if isinstance(item, dict) and isinstance(item.get("achievement"), str)
    )


def listing_from_statement(
    token: str,
    *,
    did: str,
    anchor: str,
    anchor_jwks: Mapping[str, Any],
    now: dt.datetime,
    registry: str,
) -> Listing:
    """The listing an anchor's statement about ``did`` gives, once its type, subject,
    issuer, times and signature (under the configured ``anchor_jwks``) hold."""
    statement = statements.read(token, typ=statements.ENTITY_STATEMENT)
    if statement.sub != did:
        raise TrustChainError(
            f"The registry answered about {statement.sub}, not {did}.", reason="wrong-subject"
        )
    if statement.iss != anchor:
        raise TrustChainError(
            f"The statement about {did} was issued by {statement.iss}, not the anchor {anchor}.",
            reason="wrong-anchor",
        )
    statements.check_times(statement, now)
    statements.verify(statement, anchor_jwks)
    metadata = statement.claims.get("metadata") or {}
    entity = metadata.get("federation_entity") or {}
    return Listing(
        registry,
        _names(metadata),
        entity.get("organization_uri") or entity.get("homepage_uri"),
        entity.get("location"),
        _programmes(metadata),
        recognised=bool(_programmes(metadata)),
        valid_until=statement.expires,
    )


def listing_from_chain(chain: ValidatedChain, *, registry: str) -> Listing:
    """The listing a validated chain of a provider gives: recognised when it holds a trust
    mark of its anchor that validated."""
    entity = chain.metadata.get("federation_entity") or {}
    return Listing(
        registry,
        _names(chain.metadata),
        entity.get("organization_uri") or entity.get("homepage_uri"),
        entity.get("location"),
        _programmes(chain.metadata),
        recognised=bool(chain.trust_marks),
    )


@dataclass(frozen=True, slots=True)
class TrustVerdict:
    """Which registries list the issuer, and whether a recognition covers the programme."""

    state: TrustState
    listings: tuple[Listing, ...] = ()
    #: True / False when a listing says which programmes are recognised; None otherwise.
    covers_programme: bool | None = None
    #: Registries that could not be checked (unreachable, garbage), with why.
    unchecked: tuple[tuple[str, str], ...] = field(default=())

    def said(self, language: str) -> Said:
        """The verdict for the line a person reads in ``language``: what the registries
        said, with the issuer's name and the registries' as written for that language (else
        in the other of Japanese and English)."""
        if self.state == "unknown":
            return Said("trust.line.unknown")
        if self.state == "not-listed":
            return Said("trust.line.not_listed")
        recognised = any(listing.recognised for listing in self.listings)
        return Said("trust.line.recognised" if recognised else "trust.line.listed",
                    issuer=self.listings[0].display_name(language),
                    registries=tuple(listing.registry_in(language)
                                     for listing in self.listings))


def judge(
    *,
    achievement: str | None,
    listings: Sequence[Listing],
    unchecked: Sequence[tuple[str, str]] = (),
) -> TrustVerdict:
    """The verdict from what each trusted registry said (in the verifier's order)."""
    if listings:
        stated = [listing for listing in listings if listing.programmes]
        covers = (
            None
            if achievement is None or not stated
            else any(achievement in listing.programmes for listing in stated)
        )
        return TrustVerdict("listed", tuple(listings), covers, tuple(unchecked))
    return TrustVerdict("unknown" if unchecked else "not-listed", (), None, tuple(unchecked))
