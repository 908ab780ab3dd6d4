"""credstack's recognised issuers in the DCC's legacy JSON registry form.

The form the Digital Credentials Consortium's registries are published in (its sandbox and
community registries) and ``@digitalcredentials/issuer-registry-client`` reads as a
``dcc-legacy`` registry: ``meta`` (``created``, ``updated``) and ``registry``, an object from
each issuer DID to the issuer's ``name``, ``location`` and ``url``. Every issuer DID of a
provider recognised now is listed — its ``did:web`` and each of its keys' ``did:key`` — so a
wallet or verifier pointed at ``/federation/registry.json`` (VerifierPlus, the Learner
Credential Wallet) shows credstack's providers as known. Beside what the DCC's form has,
each entry names the provider in Japanese and English (``names``), its country, its entity
identifier in the federation (``entity_id``), its corporate number (``corporate_number``,
法人番号, when known) and the programmes recognised (``programmes``), which clients of the
legacy form ignore. The providers an intermediate entity below the anchor
lists (:mod:`.intermediates`) are listed too, while their statements are valid, each naming
its ``intermediate``; a DID this registry recognises itself keeps its own entry.
"""

from __future__ import annotations

from typing import Any

from credstack.core.federation import providers
from credstack.services.federation import imports, listing
from credstack.services.runtime import Runtime

__all__ = ["dcc_registry"]


def dcc_registry(runtime: Runtime) -> dict[str, Any]:
    """The registry document (see the module's docstring)."""
    public_url = runtime.settings.public_url
    found = listing.recognised_providers(runtime)
    registry: dict[str, dict[str, Any]] = {}
    for provider in found:
        entry = {
            "name": provider.display_name("en"),
            "location": provider.country,
            "url": provider.url or f"{public_url}/providers/{provider.slug}",
            "names": {language: text for language, text in provider.name.items() if text},
            "country": provider.country,
            "entity_id": providers.provider_entity_id(public_url, provider.slug),
            "programmes": [item.achievement for item in provider.recognitions],
        }
        if provider.corporate_number:
            entry["corporate_number"] = provider.corporate_number
        for did in provider.dids:
            registry[did] = entry
    for source, member in imports.member_providers(runtime):
        through: dict[str, Any] = {
            "name": member.display_name("en"),
            "location": member.country,
            "url": member.url or member.entity_id,
            "names": {language: text for language, text in member.name.items() if text},
            "country": member.country,
            "entity_id": member.entity_id,
            "intermediate": source.url,
            "programmes": [item.id for item in member.programmes],
        }
        for did in member.dids:
            registry.setdefault(did, through)
    created = min((provider.recognised_since() for provider in found), default=runtime.now())
    return {
        "meta": {
            "created": created.isoformat(timespec="seconds"),
            "updated": runtime.now().isoformat(timespec="seconds"),
        },
        "registry": registry,
    }
