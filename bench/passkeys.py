#!/usr/bin/env python3
"""Benchmark: a passkey sign-in round trip (issue 57) on SQLite.

    .venv/bin/python bench/passkeys.py [--rounds 200]

Starts credstack (tests' server, SQLite, a fresh store) on loopback at
``http://localhost:<port>``, registers one passkey of a learner with the tests' software
authenticator (tests/passkeys.py: P-256, ES256, as a platform authenticator answers), then
signs in ``--rounds`` times from a fresh client: ``POST /api/passkeys/sign-in/options`` (a
challenge kept, bound by a cookie) and ``POST /api/passkeys/sign-in`` (the challenge taken
back, the signature checked by py_webauthn, the counter kept, a session made, audited). The
time printed is both requests; the authenticator's signing (in this process, between them)
is left out. Exits 0; it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credstack.adapters.keystore import new_master_key_text  # noqa: E402
from credstack.settings import Settings  # noqa: E402
from tests.accounts import add_user, signed_in_client  # noqa: E402
from tests.conftest import free_port, serve  # noqa: E402
from tests.passkeys import SoftAuthenticator  # noqa: E402


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    folder = Path(tempfile.mkdtemp(prefix="bench-passkeys-"))
    port = free_port()
    settings = dataclasses.replace(
        Settings.from_env(data_dir=folder / "data", database_url=""),
        secret_key=new_master_key_text(), public_url=f"http://localhost:{port}")
    for live in serve(settings, port=port):
        add_user(settings, "learner@example.jp")
        device = SoftAuthenticator(origin=settings.public_url)
        with signed_in_client(live.url, "learner@example.jp") as web:
            options = web.post("/api/me/passkeys/options").json()
            web.post("/api/me/passkeys", json={
                "name": "bench", "credential": device.create(options)}).raise_for_status()
        ours: list[float] = []
        for _ in range(rounds):
            with httpx.Client(base_url=live.url, timeout=30) as browser:
                began = time.perf_counter()
                options = browser.post("/api/passkeys/sign-in/options").json()
                spent = time.perf_counter() - began
                credential = device.get(options)
                began = time.perf_counter()
                answer = browser.post("/api/passkeys/sign-in", json={"credential": credential})
                spent += time.perf_counter() - began
                assert answer.status_code == 200, answer.text
                ours.append(spent * 1000)
        print(f"passkey sign-in round trip, credstack's two requests, {rounds} rounds, SQLite: "
              f"p50 {statistics.median(ours):.1f} ms, p95 {_p(ours, 0.95):.1f} ms, "
              f"max {max(ours):.1f} ms")


if __name__ == "__main__":
    main()
