"""``credstack serve --demo`` as a user runs it: a real process, spoken to over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import free_port, store_environment


def _environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, **store_environment(settings)}


@pytest.fixture
def demo_server(settings: Settings) -> Iterator[str]:
    port = free_port()
    script = Path(sys.executable).with_name("credstack")
    process = subprocess.Popen(
        [str(script), "serve", "--demo", "--port", str(port)], env=_environment(settings),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"credstack serve exited early:\n{process.stdout.read()}")
            try:
                if httpx.get(f"{url}/api/profiles", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("credstack serve did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        print(output)


def test_serve_demo_prints_the_url_and_serves_pages_and_api(demo_server):
    """The demo service answers its API and its pages in both languages."""
    with httpx.Client(base_url=demo_server, timeout=10) as http:
        listing = http.get("/api/programmes", params={"limit": 200}).json()
        assert listing["total"] >= 60
        providers = {item["organisation"] for item in listing["items"]}
        assert len(providers) >= 12
        first = listing["items"][0]
        assert http.get(f"/api/programmes/{first['id']}").json()["validation"]
        home = http.get("/", headers={"accept-language": "ja"})
        assert home.status_code == 200 and 'lang="ja"' in home.text
        page = http.get(f"/programmes/{first['id']}", params={"lang": "en"})
        assert page.status_code == 200 and 'lang="en"' in page.text
        assert first["descriptors"]["title"]["en"] in page.text
        assert http.get("/programmes").status_code == 200
        assert http.get("/openapi.json").json()["info"]["title"] == "credstack"


def test_demo_load_is_idempotent(settings):
    """Loading the demo twice leaves one copy of every programme."""
    script = Path(sys.executable).with_name("credstack")
    for _ in range(2):
        result = subprocess.run([str(script), "demo", "load"], env=_environment(settings),
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    exported = subprocess.run([str(script), "mc", "export", "--format", "json"],
                              env=_environment(settings), capture_output=True, text=True,
                              check=True)
    codes = [(p["awarding_body"]["id"], p["code"])
             for p in json.loads(exported.stdout)["programmes"]]
    assert len(codes) == len(set(codes)) >= 60
