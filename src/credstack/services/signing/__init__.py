"""Signing a credential file with a key file, outside any store (``credstack sign``)."""

from credstack.services.signing.service import SIGNABLE, sign_document

__all__ = ["SIGNABLE", "sign_document"]
