"""Decentralized identifiers resolved without I/O (``did:key``); ``did:web`` is an adapter."""

from .did_key import did_from_public_key, resolve, resolve_public_key, verification_method_id

__all__ = ["did_from_public_key", "resolve", "resolve_public_key", "verification_method_id"]
