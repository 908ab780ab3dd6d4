"""What an LMS can register: a tool at a public HTTPS address (LTI 1.3 asks for TLS, and
an LMS on another machine cannot reach this machine's loopback or a private network)."""

from __future__ import annotations

import pytest

from credstack.core.lti.registration import reachable_by_platforms


@pytest.mark.parametrize(("url", "reachable"), [
    ("https://credentials.example.ac.jp", True),
    ("https://credentials.example.ac.jp:8443/base", True),
    ("http://credentials.example.ac.jp", False),
    ("http://localhost:8000", False),
    ("https://localhost:8443", False),
    ("https://127.0.0.1", False),
    ("https://10.0.0.5", False),
    ("https://192.168.1.20", False),
    ("https://[::1]", False),
    ("https://credstack.local", False),
    ("https://intranet", False),
])
def test_only_a_public_https_address_is_reachable_by_an_lms(url: str, reachable: bool) -> None:
    """HTTPS on a public host name or address; never loopback, a private address, a
    single-label or ``.local`` name."""
    assert reachable_by_platforms(url) is reachable
