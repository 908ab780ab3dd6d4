"""Decentralized identifiers: ``did:key`` and ``did:jwk`` (resolved without I/O) and
``did:web`` (built and parsed here; fetched by an adapter)."""

from .did_key import did_from_public_key, resolve, resolve_public_key, verification_method_id

__all__ = ["did_from_public_key", "resolve", "resolve_public_key", "verification_method_id"]
