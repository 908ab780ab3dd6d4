"""How long the public verification page takes for a real credential from another issuer.

Starts ``credstack serve`` on an empty SQLite store, then posts Digital Credentials
Consortium test credentials (``../shared/ref/wild/dcc-vc-test-fixtures/``) to ``POST /verify``
(the page an employer pastes into) and to the VC-API ``POST /credentials/verify`` one after
another, and prints p50 / p95 / worst latency per case:

* a did:key credential signed with ``eddsa-rdfc-2022`` and ``Ed25519Signature2020`` (no
  fetch at all);
* a did:web credential with a Bitstring Status List entry: its DID document and status list
  are served over TLS on loopback under the DCC's own host names (as the fixtures test does),
  so each verification fetches the status list over real HTTPS (the DID document is cached
  by the resolver for five minutes, as in production).

    .venv/bin/python bench/verify_page.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.server
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import httpx
from rich.console import Console

from measure import credstack_serve, http_latencies, latency_row, machine, print_figures

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.loopback import QuietHandler, serving_tls, tls_site

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "ref" / "wild" / "dcc-vc-test-fixtures"
HOSTS = ("digitalcredentials.github.io", "raw.githubusercontent.com")
CASES = {
    "did:key, two proofs, no status":
        "verifiableCredentials/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json",
    "did:web, Ed25519Signature2020, status list over HTTPS":
        "verifiableCredentials/v1/ed25519/didWeb/legacy-validStatus-noExpiry.json",
}
ROUTES = {
    "/vc-test-fixtures/dids/legacy/did.json": "dids/legacy/did.json",
    "/vc-test-fixtures/dids/oidf/did.json": "dids/oidf/did.json",
    "/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj":
        "statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj",
}


class Hosts(QuietHandler):
    routes: ClassVar[dict[str, Path]] = {path: FIXTURES / file for path, file in ROUTES.items()}

    def do_GET(self) -> None:
        file = self.routes.get(self.path)
        body = file.read_bytes() if file is not None else b"not found"
        self.send_response(200 if file is not None else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per case (default 10)")
    args = parser.parse_args(argv)
    console = Console()
    if not FIXTURES.is_dir():
        console.print(f"{FIXTURES} is not present: nothing to measure")
        return 1
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as folder:
        site = tls_site(HOSTS, Path(folder))
        with serving_tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hosts),
                         site.context) as tls_port, credstack_serve({
                "CREDSTACK_DATA_DIR": folder, "CREDSTACK_DATABASE_URL": "",
                "CREDSTACK_ALLOW_LOOPBACK_FETCH": "1",
                "CREDSTACK_FETCH_CA_FILE": str(site.ca_file),
                "CREDSTACK_FETCH_CONNECT_TO": ",".join(
                    f"{host}:443:127.0.0.1:{tls_port}" for host in HOSTS)},
                ready="/verify") as url, httpx.Client(base_url=url, timeout=60) as client:
            for label, path in CASES.items():
                text = (FIXTURES / path).read_text(encoding="utf-8")
                calls: dict[str, Callable[[], httpx.Response]] = {
                    "POST /verify (page)": lambda text=text: client.post(
                        "/verify", data={"credential": text},
                        headers={"Accept": "text/html"}),
                    "POST /credentials/verify (VC-API)": lambda text=text: client.post(
                        "/credentials/verify",
                        content=f'{{"verifiableCredential": {text}}}',
                        headers={"Content-Type": "application/json"}),
                }
                for route, call in calls.items():
                    samples = http_latencies(call, args.seconds, at_least=30)
                    rows.append({"credential": label, "route": route}
                                | latency_row(samples))
    print_figures(console, f"Verifying DCC credentials over HTTP ({machine()})", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
