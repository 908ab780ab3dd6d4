"""European Digital Credentials (ELM v3) read by credstack: verified, and shown.

The front door: :func:`verify` verifies an EDC (sealed with JAdES, or not) with the ELM files
and the trusted e-seal certificates the operator configured (``CREDSTACK_ELM_DIR``,
``CREDSTACK_ELM_TRUST``); :func:`prepare` compiles the shapes ahead, at a server's start.
"""

from credstack.services.elm.verification import prepare, verify

__all__ = ["prepare", "verify"]
