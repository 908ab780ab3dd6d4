"""How fast every workspace page is on the demo data, as each person opens it.

Starts ``credstack serve --demo`` (the README's first command: SQLite, the demo programmes
and accounts) on a free port in a temporary data directory, signs in over HTTP as the demo
provider admin, issuer, learner and employer, and asks for each of their pages one after
another for ``--seconds`` each: p50 / p95 / worst. The pages are those of issue 15 (the
workspace shell, members, API clients, keys, certificate authority, profile, outbox, the
programme editor, its history and its import, the provider's public page with its logo,
issuing, the credential list, jobs, the employer's comparison page)
beside the learner's wallet and account.

Target (issue 15): each page p95 ≤ 100 ms with the demo data.

    .venv/bin/python bench/workspace_pages.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console

from measure import credstack_serve, latency_row, machine, print_figures

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from credstack.demo.accounts import DEMO_PASSWORD, PROVIDER
from tests.accounts import signed_in_client

TARGET_MS = 100.0
HTML = {"Accept": "text/html", "Accept-Language": "ja"}
WORKSPACE = f"/workspace/{PROVIDER}"


def _pages(client: httpx.Client) -> dict[str, list[str]]:
    """Each demo person's pages (the editor's pages name the provider's first programme)."""
    listing = client.get(f"{WORKSPACE}/programmes", headers=HTML).text
    found = re.search(rf"{WORKSPACE}/programmes/(\d+)/edit", listing)
    programme = found.group(1) if found else "1"
    return {
        "provider-admin@demo.example": [
            "/workspace", WORKSPACE, f"{WORKSPACE}/members", f"{WORKSPACE}/clients",
            f"{WORKSPACE}/keys", f"{WORKSPACE}/authority", f"{WORKSPACE}/profile",
            f"{WORKSPACE}/mail", f"{WORKSPACE}/programmes", f"{WORKSPACE}/programmes/new",
            f"{WORKSPACE}/programmes/{programme}/edit",
            f"{WORKSPACE}/programmes/{programme}/history", f"{WORKSPACE}/programmes/import",
            f"/providers/{PROVIDER}", "/jobs"],
        "issuer@demo.example": [f"{WORKSPACE}/issue", f"{WORKSPACE}/credentials"],
        "learner@demo.example": ["/wallet", "/account"],
        "employer@demo.example": ["/verify/compare"],
    }


def _time(client: httpx.Client, path: str, seconds: float) -> list[float] | str:
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 20:
        began = time.perf_counter()
        response = client.get(path, headers=HTML)
        samples.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per page (default 3)")
    args = parser.parse_args(argv)
    console = Console()
    console.print(machine())
    rows: list[dict[str, str]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="credstack-bench-") as folder, credstack_serve(
            {"CREDSTACK_DATA_DIR": folder, "CREDSTACK_DATABASE_URL": ""}, ready="/verify",
            arguments=["--demo"], startup=300) as url:
        console.print(f"serve --demo answered after {time.perf_counter() - started:.1f} s")
        with contextlib.closing(signed_in_client(url, "provider-admin@demo.example",
                                                 DEMO_PASSWORD)) as admin:
            pages = _pages(admin)
        for email, paths in pages.items():
            with contextlib.closing(signed_in_client(url, email, DEMO_PASSWORD)) as client:
                for path in paths:
                    shown = path.replace(WORKSPACE, "~")
                    found = _time(client, path, args.seconds)
                    rows.append({"person": email.split("@")[0], "page": shown}
                                | latency_row(found, target_ms=TARGET_MS))
    print_figures(console, f"Workspace pages on the demo data (~ is {WORKSPACE}; target p95 ≤ "
                  f"{TARGET_MS:.0f} ms)",
                  rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
