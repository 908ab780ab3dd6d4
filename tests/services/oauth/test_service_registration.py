"""Open dynamic client registration (RFC 7591), limited per address."""

from __future__ import annotations

from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest
from credstack.services.runtime import Runtime
from tests.conftest import Clock
from tests.services.oauth.test_purge import clock, runtime
from tests.services.oauth.test_service import BASE, REDIRECT

__all__ = ["clock", "runtime"]


def test_registrations_from_one_address_are_limited(runtime: Runtime, clock: Clock) -> None:
    """300 registrations in 3.9 s went through; now an address registers at most
    REGISTRATIONS_PER_HOUR clients an hour, told as RFC 7591 tells an error when to try again
    (``Retry-After``), others unaffected."""
    def register(ip: str) -> int:
        answer = oauth.register(runtime, request=HttpRequest(
            method="POST", url=f"{BASE}/oauth/register", headers={}, ip=ip,
            json={"client_name": "Wallet", "redirect_uris": [REDIRECT],
                  "scope": "wallet:read"}))
        if answer.status == 429:
            assert answer.json()["error"] == "temporarily_unavailable"
            assert int(dict(answer.headers)["Retry-After"]) > 0
        return answer.status

    limit = oauth.REGISTRATIONS_PER_HOUR
    assert [register("192.0.2.7") for _ in range(limit + 1)] == [201] * limit + [429]
    assert register("192.0.2.8") == 201
    clock.advance(hours=1, seconds=1)
    assert register("192.0.2.7") == 201
