"""``credstack serve --demo`` as a user runs it: a real process, spoken to over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from credstack.adapters.keystore import MasterKeySource
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.accounts import store_sessions
from tests.conftest import free_port, shared_store, store_environment


def _environment(settings: Settings, **more: str) -> dict[str, str]:
    # A PostgreSQL store is given its master key, as in production: the demo issues with it.
    environment = {**os.environ, **store_environment(settings, secret=settings.secret_key,
                                                     **more)}
    if "public_url" not in more:
        environment.pop("CREDSTACK_PUBLIC_URL", None)
    return environment


@dataclass
class Served:
    url: str
    port: int
    #: Everything it printed, once it has stopped.
    output: list[str] = field(default_factory=list)
    #: What it has printed so far, line by line, read as it prints.
    lines: list[str] = field(default_factory=list)

    def said(self, wanted: str, *, patience: float = 60) -> str:
        """What the server has printed so far (its whitespace made single spaces), once
        ``wanted`` is in it or ``patience`` seconds have passed: its lines reach the test
        through a pipe and a thread, a moment after it printed them."""
        deadline = time.monotonic() + patience
        while True:
            so_far = " ".join(" ".join(self.lines).split())
            if wanted in so_far or time.monotonic() > deadline:
                return so_far
            time.sleep(0.1)


#: How long a server may take to stop once asked (SIGTERM) before it fails the test: each
#: process ends its requests, its job worker and its connections, which took over 20 s at
#: load 20 on two cores for a server of three processes.
STOPPING = 90


@contextmanager
def serving(settings: Settings, *arguments: str, port: int | None = None,
            patience: float = 240, **more: str) -> Iterator[Served]:
    """``credstack serve <arguments> --port <port or a free one>`` until the block ends;
    then its output is in ``output``. It must answer within ``patience`` seconds: a start
    that never answers fails, however slow the machine (a fresh process imports the whole
    application, which took up to 31 s at load 12–20 on two cores, and a minute at worst)."""
    port = port or free_port()
    script = Path(sys.executable).with_name("credstack")
    # Unbuffered, so that what it prints on starting can be read while it serves.
    process = subprocess.Popen(
        [str(script), "serve", *arguments, "--port", str(port)],
        env=_environment(settings, **more) | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    served = Served(f"http://127.0.0.1:{port}", port)
    reader = threading.Thread(target=_read, args=(process, served.lines), daemon=True)
    reader.start()

    def everything() -> str:
        reader.join(timeout=20)
        return "".join(served.lines)

    deadline = time.monotonic() + patience
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"credstack serve exited early:\n{everything()}")
            try:
                if patiently.get(f"{served.url}/api/profiles",
                                 timeout=patiently.STARTING).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)
                pytest.fail(f"credstack serve did not answer within {patience:g} s; it said:\n"
                            f"{everything()}")
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOPPING)
        except subprocess.TimeoutExpired:
            # Not left running (nor the web processes it started) once the test has failed.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        output = everything()
        served.output.append(output)
        print(output)


def _read(process: subprocess.Popen[str], lines: list[str]) -> None:
    """Keep each line ``process`` prints in ``lines`` until it closes its output."""
    assert process.stdout is not None
    with process.stdout:
        for line in process.stdout:
            lines.append(line)


@pytest.fixture(scope="module")
def demo_served(module_settings: Settings) -> Iterator[Served]:
    # The demo loads its set, its recognition, its credit bank and six months of history
    # before it answers: on a loaded two-core machine that is more than a minute. One demo
    # server a database serves the module's tests, which only read it.
    with serving(module_settings, "--demo") as served:
        yield served


@pytest.fixture
def demo_server(demo_served: Served) -> str:
    return demo_served.url


def test_serve_demo_prints_the_url_and_serves_pages_and_api(demo_server):
    """The demo service answers its API and its pages in both languages."""
    with httpx.Client(base_url=demo_server, timeout=30) as http:
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
        # The demo credit bank's target is published (issue 39, demo data).
        targets = http.get("/api/creditbank/targets").json()
        assert [t["target"] for t in targets] == ["hokuto-tech/data-science-certificate"]


def test_demo_load_is_idempotent(module_settings, demo_served):
    """Loading the demo twice leaves one copy of every programme: ``serve --demo`` loaded it
    once into the module's store, ``demo load`` loads it again."""
    script = Path(sys.executable).with_name("credstack")
    result = subprocess.run([str(script), "demo", "load"], env=_environment(module_settings),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    exported = subprocess.run([str(script), "mc", "export", "--format", "json"],
                              env=_environment(module_settings), capture_output=True,
                              text=True, check=True)
    codes = [(p["awarding_body"]["id"], p["code"])
             for p in json.loads(exported.stdout)["programmes"]]
    assert len(codes) == len(set(codes)) >= 60


def test_serve_on_another_port_names_that_port_in_what_it_issues(demo_served):
    """Without CREDSTACK_PUBLIC_URL, DIDs and the demo credential name the port served."""
    with httpx.Client(base_url=demo_served.url, timeout=30) as http:
        document = http.get("/organisations/hokuto-tech/did.json").json()
    assert document["id"] == f"did:web:localhost%3A{demo_served.port}:organisations:hokuto-tech"
    assert "8000" not in json.dumps(document)


def test_a_public_url_the_server_does_not_answer_at_is_warned_about(store):
    """A CREDSTACK_PUBLIC_URL on another port is kept, and the start says so in the language."""
    with serving(store, public_url="http://localhost:8000", lang="ja") as served:
        with httpx.Client(base_url=served.url, timeout=30) as http:
            document = http.get("/organisations/any/did.json")
        assert document.status_code == 404
    output = " ".join(served.output[0].split())
    assert "警告" in output and "CREDSTACK_PUBLIC_URL は http://localhost:8000" in output
    assert f"http://127.0.0.1:{served.port}" in output


def test_a_public_url_that_matches_the_server_is_not_warned_about(store):
    """No warning when the configured public URL is where the server answers."""
    port = free_port()
    with serving(store, port=port, public_url=f"http://localhost:{port}") as served:
        pass
    assert "Warning" not in served.output[0]


def test_serve_writes_json_logs_with_the_request_id_that_the_audit_log_keeps_too(
        sqlite_settings: Settings) -> None:
    """``serve --log-format json``: one JSON object a line, the request's with its time,
    level, event, request id, route template, status and duration; the refusal the request
    caused is in the audit log under the same id, and the chain verifies."""
    with serving(sqlite_settings, "--log-format", "json") as served:
        refused = patiently.get(f"{served.url}/api/jobs", headers={"X-Request-ID": "trace-json-1"},
                                timeout=30)
        assert refused.status_code == 401
        assert refused.headers["x-request-id"] == "trace-json-1"
        assert patiently.get(f"{served.url}/healthz").status_code == 200
    lines = [json.loads(line) for line in served.output[0].splitlines()
             if line.startswith("{")]
    [logged] = [line for line in lines if line.get("request_id") == "trace-json-1"
                and line["event"] == "request"]
    assert logged["level"] == "info" and logged["time"].endswith("Z")
    assert (logged["method"], logged["route"], logged["status"]) == ("GET", "/api/jobs", 401)
    assert logged["duration_ms"] > 0
    assert not [line for line in lines if line.get("route") == "/healthz"]
    with store_sessions(sqlite_settings) as sessions, sessions() as session:
        [denied] = [entry for entry in audit.entries(session, limit=1000)
                    if entry.request_id == "trace-json-1"]
        assert denied.action == "access.denied"
    with store_sessions(sqlite_settings) as sessions, sessions() as session:
        key = MasterKeySource(sqlite_settings)()
        assert audit.verify(session, key).ok


@pytest.fixture
def store(module_settings: Settings, request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """An empty store of the database of the module's store, for one test (so that each
    test of the module runs once a database, beside the servers the module shares)."""
    yield from shared_store(request, tmp_path_factory, like=module_settings)


@pytest.fixture(scope="module")
def plain_served(module_settings: Settings, request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``credstack serve`` with no CREDSTACK_PUBLIC_URL, on an empty store of the module's
    database: one server for the tests that read what it says on starting and where it
    sends a browser. Never, to its end, does it name itself 127.0.0.1."""
    for empty in shared_store(request, tmp_path_factory, like=module_settings):
        with serving(empty) as served:
            yield served
        assert f"127.0.0.1:{served.port}" not in " ".join(served.output[0].split())


def test_the_server_announces_the_address_its_links_name(plain_served):
    """Without CREDSTACK_PUBLIC_URL it announces http://localhost:<port>, the host every
    generated link names (a browser keeps its sign-in per host), never 127.0.0.1."""
    running = f"running at http://localhost:{plain_served.port}"
    output = plain_served.said(running)
    assert running in output
    assert f"127.0.0.1:{plain_served.port}" not in output


def test_a_browser_at_another_name_of_the_server_is_sent_to_the_address_its_links_name(
        plain_served, store):
    """Opened at 127.0.0.1, a page answers 307 to the same page at localhost (where the
    sign-in and every e-mailed link are); a public URL the server does not answer at itself
    (a reverse proxy's) sends nobody anywhere."""
    page = {"accept": "text/html"}
    answer = patiently.get(f"{plain_served.url}/sign-in?next=/wallet", headers=page,
                           timeout=30)
    assert answer.status_code == 307
    assert answer.headers["location"] == \
        f"http://localhost:{plain_served.port}/sign-in?next=/wallet"
    with serving(store, public_url="https://credentials.example.ac.jp") as served:
        assert patiently.get(f"{served.url}/sign-in", headers=page,
                             timeout=30).status_code == 200
