"""How long the employer's page takes to verify ten credentials at once.

Starts ``credstack serve`` on an empty SQLite store, then posts ten credentials in one
request, as an employer's browser sends ``<input type=file multiple>``, to ``POST
/verify/compare`` (the page, the whole HTML table back) and the same ten to ``POST
/api/verify/batch`` (JSON), one request after another, and prints p50 / p95 / worst latency
per case:

* ten Open Badges 3.0 credentials of a demo programme signed with ``eddsa-rdfc-2022`` by a
  did:key issuer (``tests.signed_credentials``; no fetch at all), one of them changed after
  signing and one expired;
* ten of the Digital Credentials Consortium's did:key test credentials
  (``../shared/ref/wild/dcc-vc-test-fixtures/``; skipped when absent), no status lists.

    .venv/bin/python bench/verify_compare.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from rich.console import Console

from measure import credstack_serve, http_latencies, latency_row, machine, print_figures

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.signed_credentials import sign, signed, tampered, unsigned

FIXTURES = (Path(__file__).resolve().parents[2] / "shared" / "ref" / "wild"
            / "dcc-vc-test-fixtures" / "verifiableCredentials")
DCC = ("v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json",
       "v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json",
       "v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json")
COUNT = 10


def _demo() -> list[bytes]:
    expired = unsigned()
    expired["validUntil"] = "2025-05-01T00:00:00Z"
    documents = [signed() for _ in range(COUNT - 2)] + [tampered(), sign(expired)]
    return [json.dumps(document, ensure_ascii=False).encode() for document in documents]


def _dcc() -> list[bytes] | None:
    if not FIXTURES.is_dir():
        return None
    files = [(FIXTURES / name).read_bytes() for name in DCC]
    return [files[index % len(files)] for index in range(COUNT)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per case (default 10)")
    args = parser.parse_args(argv)
    console = Console()
    cases = {"10 demo OB 3.0 (did:key, eddsa-rdfc-2022)": _demo()}
    dcc = _dcc()
    if dcc is None:
        console.print(f"{FIXTURES} is not present: the DCC case is skipped")
    else:
        cases["10 DCC did:key credentials"] = dcc
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as folder, credstack_serve(
            {"CREDSTACK_DATA_DIR": folder, "CREDSTACK_DATABASE_URL": ""},
            ready="/verify/compare") as url, httpx.Client(base_url=url, timeout=120) as client:
        for label, files in cases.items():
            parts = [("files", (f"c{index}.json", data, "application/json"))
                     for index, data in enumerate(files)]
            api = {"files": [{"name": f"c{index}.json",
                              "contentBase64": base64.b64encode(data).decode()}
                             for index, data in enumerate(files)]}
            calls: dict[str, Callable[[], httpx.Response]] = {
                "POST /verify/compare (page)": lambda parts=parts: client.post(
                    "/verify/compare", files=parts, headers={"Accept": "text/html"}),
                "POST /api/verify/batch (JSON)": lambda api=api: client.post(
                    "/api/verify/batch", json=api),
            }
            for route, call in calls.items():
                samples = http_latencies(call, args.seconds)
                rows.append({"credentials": label, "route": route} | latency_row(samples))
    print_figures(console, f"Verifying 10 credentials at once over HTTP ({machine()})", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
