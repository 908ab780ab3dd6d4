"""What the resolvers' tests share: a guard that nothing reaches the network, and the check
that a bundle refuses a changed file."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from types import ModuleType

import pytest

from credstack.errors import ConfigurationError


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to resolve a host name or open a connection fails the test — at the
    attempt, and again when the test ends, in case the code under test caught the first
    failure (a fallback that swallows errors would otherwise hide a fetch)."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield
    assert attempts == [], f"network access attempted: {attempts}"


def assert_a_changed_file_is_named(monkeypatch: pytest.MonkeyPatch, bundle: ModuleType,
                                   name: str, before: bytes, after: bytes) -> None:
    """``bundle.verify_bundle()`` raises, naming the file, when the bundled file ``name`` is
    read with its first ``before`` changed into ``after``."""
    original = bundle._BUNDLE.read

    def tampered(file: str) -> bytes:
        data: bytes = original(file)
        return data.replace(before, after, 1) if file.endswith(name) else data

    monkeypatch.setattr(bundle._BUNDLE, "read", tampered)
    with pytest.raises(ConfigurationError, match=re.escape(name)):
        bundle.verify_bundle()
