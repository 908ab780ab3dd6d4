"""Fixtures for the proof specifications: the shared contexts loader and the W3C key."""

from __future__ import annotations

from pathlib import Path

import pytest

from credstack.core.crypto import KeyPair
from tests.core.proofs.vectors import ContextLoader, shared_loader, w3c_key


@pytest.fixture
def loader(shared_ref: Path) -> ContextLoader:
    """The loader over ``../shared/ref/contexts`` (shared, so its context cache stays warm)."""
    return shared_loader(shared_ref)


@pytest.fixture
def key(shared_ref: Path) -> KeyPair:
    """The vc-di-eddsa test key pair (``did:key:z6MkrJVn…``)."""
    return w3c_key(shared_ref)
