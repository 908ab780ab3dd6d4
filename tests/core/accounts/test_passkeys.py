"""Passkeys' pure rules: the relying party of a public URL, and a passkey's name."""

from __future__ import annotations

import pytest

from credstack.core.accounts.passkeys import (
    MAX_NAME,
    RelyingParty,
    passkey_name,
    relying_party,
    reported_transports,
)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://credstack.example.ac.jp", RelyingParty("credstack.example.ac.jp",
                                                     "https://credstack.example.ac.jp")),
    ("https://Wallet.Example.JP:8443/base/", RelyingParty("wallet.example.jp",
                                                          "https://wallet.example.jp:8443")),
    ("http://localhost:8000", RelyingParty("localhost", "http://localhost:8000")),
])
def test_the_relying_party_is_the_public_urls_host_and_origin(url: str,
                                                              expected: RelyingParty) -> None:
    """The id is the host (lower case), the one origin is scheme, host and port."""
    assert relying_party(url) == expected


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://[::1]:8000", "file:///x"])
def test_an_address_is_no_relying_party(url: str) -> None:
    """WebAuthn takes no IP address (nor nothing) as a relying party id."""
    assert relying_party(url) is None


def test_a_name_is_kept_on_one_line_and_checked() -> None:
    """Spaces are folded; an empty name is missing, a long one too long."""
    assert passkey_name("  My\n phone ") == ("My phone", None)
    assert passkey_name(" \t ")[1] == "missing"
    assert passkey_name("x" * MAX_NAME)[1] is None
    assert passkey_name("x" * (MAX_NAME + 1))[1] == "too-long"


def test_only_the_known_transports_are_kept() -> None:
    """What a browser reports is filtered, sorted and joined."""
    assert reported_transports(["usb", "internal", "carrier-pigeon", 3]) == "internal usb"
    assert reported_transports("internal") == ""
