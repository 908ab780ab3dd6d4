#!/usr/bin/env python3
"""Benchmark: the OAuth 2.0 token endpoint and the Open Badges 3.0 REST API (issue 18).

    PYTHONPATH=. .venv/bin/python bench/oauth.py [--seconds 5] [--credentials 200] \
        [--codes 200] [--database sqlite|postgresql]

A scratch store served in this process over HTTP (uvicorn on a free loopback port), a
learner whose wallet holds ``--credentials`` credentials (posted through the REST API, so
the upsert is timed too), an API client and an application registered through RFC 7591.
Timed, one request at a time, each answer checked:

* ``POST /oauth/token`` with the client credentials grant (HTTP Basic), for ``--seconds``;
* the authorization code grant: codes made beforehand (through the consent service, as the
  learner's "Allow" makes them), each redeemed once with its PKCE verifier;
* the refresh token grant: a chain of rotations, each refresh token used once;
* ``GET /ims/ob/v3p0/credentials?limit=20`` at offsets across the wallet, for ``--seconds``;
* ``POST /ims/ob/v3p0/credentials`` while the wallet fills.

Target (issue 18): token endpoint p95 ≤ 20 ms. Figures are p50 / p95 / worst with the load
average: the machine is shared, so they are noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from bench.measure import http_latencies, latency_row, machine, print_figures, scratch_store
from rich.console import Console

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import clients
from credstack.services.accounts import service as accounts
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.conftest import at_own_url, serve

LEARNER = "learner@example.jp"
REDIRECT = "http://127.0.0.1:9/cb"
VERIFIER = "bench-verifier-" + "v" * 40
OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
SCOPE = f"{OB}credential.readonly {OB}credential.upsert offline_access"


def credential(number: int) -> dict[str, object]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "https://elsewhere.example/issuer", "type": ["Profile"],
                       "name": "Elsewhere"},
            "validFrom": "2025-01-01T00:00:00Z", "name": f"Badge {number}",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": f"https://elsewhere.example/achievements/{number}",
                "type": ["Achievement"], "name": f"Badge {number}",
                "description": "A badge.", "criteria": {"narrative": "Done."}}}}


def codes(runtime: Runtime, client: dict[str, str], count: int) -> list[str]:
    """``count`` authorization codes, as the learner's "Allow" makes them."""
    with runtime.transaction() as session:
        learner = ActingAs(accounts.user(session, email=LEARNER).principal())
    made = []
    for _ in range(count):
        query = urlencode({"response_type": "code", "client_id": client["client_id"],
                           "redirect_uri": REDIRECT, "scope": SCOPE, "state": "bench",
                           "code_challenge": create_s256_code_challenge(VERIFIER),
                           "code_challenge_method": "S256"})
        answer = oauth.decide(runtime, actor=learner, allow=True, request=HttpRequest(
            method="POST", url=f"{runtime.settings.public_url}/oauth/authorize?{query}",
            headers={}, query=parse_qs(query)))
        assert answer.location is not None
        made.append(parse_qs(urlsplit(answer.location).query)["code"][0])
    return made


def timed(call: object) -> tuple[float, httpx.Response]:
    began = time.perf_counter()
    response = call()  # type: ignore[operator]
    return (time.perf_counter() - began) * 1000, response


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--codes", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    console = Console()
    rows = []
    with scratch_store(args.database) as empty:
        settings, port = at_own_url(empty, secret_key=new_master_key_text())
        with open_runtime(settings=settings) as runtime:
            operator = Operator("bench")
            accounts.add_user(runtime, actor=operator, email=LEARNER, display_name="Learner",
                              password="correct horse battery staple")
            api = clients.add_client(runtime, actor=operator, owner=LEARNER, name="bench",
                                     scopes=["wallet:read"])
            with contextlib.contextmanager(serve)(settings, port=port) as live, \
                    httpx.Client(base_url=live.url, timeout=30) as http:
                registered = http.post("/oauth/register", json={
                    "client_name": "bench", "redirect_uris": [REDIRECT], "scope": SCOPE,
                    "grant_types": ["authorization_code", "refresh_token"]}).json()
                auth = (registered["client_id"], registered["client_secret"])
                made = codes(runtime, registered, args.codes)
                basic = (api.client.client_id, api.secret)
                for _ in range(20):  # warm up
                    http.post("/oauth/token", auth=basic,
                              data={"grant_type": "client_credentials"})
                rows.append({"case": "token: client_credentials", **latency_row(
                    http_latencies(lambda: http.post(
                        "/oauth/token", auth=basic,
                        data={"grant_type": "client_credentials"}), args.seconds),
                    target_ms=20)})
                samples, token = [], {}
                for code in made:
                    took, answer = timed(lambda code=code: http.post(
                        "/oauth/token", auth=auth, data={
                            "grant_type": "authorization_code", "code": code,
                            "redirect_uri": REDIRECT, "code_verifier": VERIFIER}))
                    assert answer.status_code == 200, answer.text
                    samples.append(took)
                    token = answer.json()
                rows.append({"case": "token: authorization_code + PKCE",
                             **latency_row(samples, target_ms=20)})
                samples, refresh = [], token["refresh_token"]
                for _ in range(args.codes):
                    took, answer = timed(lambda refresh=refresh: http.post(
                        "/oauth/token", auth=auth,
                        data={"grant_type": "refresh_token", "refresh_token": refresh}))
                    assert answer.status_code == 200, answer.text
                    samples.append(took)
                    token = answer.json()
                    refresh = token["refresh_token"]
                rows.append({"case": "token: refresh_token (rotating)",
                             **latency_row(samples, target_ms=20)})
                bearer = {"Authorization": f"Bearer {token['access_token']}"}
                samples = []
                for number in range(args.credentials):
                    took, answer = timed(lambda number=number: http.post(
                        "/ims/ob/v3p0/credentials", headers=bearer,
                        json=credential(number)))
                    assert answer.status_code == 201, answer.text
                    samples.append(took)
                rows.append({"case": "REST POST /credentials (upsert, new)",
                             **latency_row(samples)})
                pages = max(1, args.credentials // 20)
                calls = iter(range(10**9))
                rows.append({"case": f"REST GET /credentials?limit=20 "
                                     f"({args.credentials} held)", **latency_row(
                    http_latencies(lambda: http.get(
                        f"/ims/ob/v3p0/credentials?limit=20&offset="
                        f"{next(calls) % pages * 20}", headers=bearer), args.seconds))})
    print_figures(console, f"OAuth token endpoint and OB 3.0 REST API ({args.database}; "
                           f"{machine()})", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
